"""The Tỉnh ủy's office asks its two communes for a monthly report (made through the services);
the văn thư of one commune answers it on the page — numbers, text, send — and the office sees
that commune's row of the tracking board turn to "sent on time", then the aggregation with its
chart. Screenshots at desktop width and at 390 px (a phone)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from vanphong.reporting import services
from vanphong.reporting.models import SubmissionState
from vanphong.tasks.models import TaskState

pytestmark = pytest.mark.e2e

PHONE = {"locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh", "viewport": {"width": 390, "height": 844}}


def test_a_commune_answers_the_monthly_report_and_the_office_sees_it(
    live_server, province, browser, page, screenshots, settings, sign_in
):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    request = services.request_create(
        actor=province.specialist.user,
        organization=province.committee,
        title="Báo cáo tình hình công tác xây dựng Đảng hằng tháng",
        frequency="monthly",
        due_day=20,
        recipients=[province.commune_x, province.commune_y],
        indicators=[
            services.IndicatorSpec(
                "dang_vien_moi", "Số đảng viên mới kết nạp", "người", Decimal(0), Decimal(500)
            ),
            services.IndicatorSpec("don_thu", "Số đơn thư tiếp nhận", "đơn", Decimal(0)),
        ],
        sections=["Tình hình chung", "Kết quả thực hiện nhiệm vụ", "Kiến nghị, đề xuất"],
    )
    submission = request.submissions.filter(organization=province.commune_x).order_by("due_date").first()
    assert submission is not None

    # The commune's văn thư finds the report among those to send and answers it.
    sign_in(page, live_server, "clerk_x")
    page.goto(f"{live_server.url}/bao-cao/")
    page.get_by_role("link", name="Báo cáo tình hình công tác xây dựng Đảng hằng tháng").first.click()
    expect(page.get_by_role("heading", name="Đảng ủy xã An Phú")).to_be_visible()
    page.get_by_label("Số đảng viên mới kết nạp (người)").fill("3")
    page.get_by_label("Số đơn thư tiếp nhận (đơn)").fill("12")
    page.get_by_label("Tình hình chung").fill("Tình hình chính trị, trật tự an toàn xã hội ổn định.")
    page.get_by_label("Kết quả thực hiện nhiệm vụ").fill(
        "Kết nạp 3 đảng viên; tiếp nhận 12 đơn, đã chuyển xử lý."
    )
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu nháp báo cáo.")
    page.screenshot(path=screenshots / "reporting-01-form-desktop.png", full_page=True)
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi báo cáo.")
    expect(page.get_by_text("Đã nộp đúng hạn").first).to_be_visible()
    submission.refresh_from_db()
    assert submission.state == SubmissionState.SUBMITTED
    assert submission.task.state == TaskState.COMPLETED

    # The office's specialist sees the board: An Phú sent on time, Bình Minh not yet.
    office = browser.new_context(
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 1280, "height": 860}
    )
    desk = office.new_page()
    desk.set_default_timeout(10_000)
    sign_in(desk, live_server, "specialist")
    desk.goto(f"{live_server.url}/bao-cao/{request.pk}/?ky={submission.period}")
    rows = desk.locator("#board tbody tr")
    expect(rows).to_have_count(2)
    expect(desk.locator(f'tr[data-organization="{province.commune_x.pk}"]')).to_contain_text(
        "Đã nộp đúng hạn"
    )
    expect(desk.locator(f'tr[data-organization="{province.commune_y.pk}"]')).to_contain_text("Chưa nộp")
    desk.screenshot(path=screenshots / "reporting-02-board-desktop.png", full_page=True)
    desk.get_by_role("link", name="Tổng hợp số liệu").click()
    expect(desk.locator("#totals")).to_contain_text("Số đảng viên mới kết nạp")
    expect(desk.locator("svg.bar-chart").first).to_be_visible()
    desk.screenshot(path=screenshots / "reporting-03-aggregate-desktop.png", full_page=True)
    office.close()

    # The same pages on a phone: cards, nothing wider than the screen.
    phone = browser.new_context(**PHONE)
    small = phone.new_page()
    small.set_default_timeout(10_000)
    sign_in(small, live_server, "specialist")
    for name, url in (
        ("board", f"/bao-cao/{request.pk}/?ky={submission.period}"),
        ("aggregate", f"/bao-cao/{request.pk}/tong-hop/?ky={submission.period}"),
        ("list", "/bao-cao/"),
    ):
        small.goto(f"{live_server.url}{url}")
        small.screenshot(path=screenshots / f"reporting-04-{name}-phone.png", full_page=True)
        assert small.evaluate("document.documentElement.scrollWidth") <= 390, name
    phone.close()
    commune_phone = browser.new_context(**PHONE)
    clerk = commune_phone.new_page()
    clerk.set_default_timeout(10_000)
    sign_in(clerk, live_server, "clerk_y")
    other = request.submissions.get(organization=province.commune_y, period=submission.period)
    clerk.goto(f"{live_server.url}/bao-cao/nop/{other.pk}/")
    expect(clerk.get_by_role("button", name="Gửi báo cáo")).to_be_visible()
    clerk.screenshot(path=screenshots / "reporting-05-form-phone.png", full_page=True)
    assert clerk.evaluate("document.documentElement.scrollWidth") <= 390
    commune_phone.close()
