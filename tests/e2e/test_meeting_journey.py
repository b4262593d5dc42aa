"""The Văn phòng schedules a meeting of the Tỉnh ủy, records its conclusions, and finds the
tasks they became in the task list; the task links back to the meeting, whose page shows the
tasks' statuses. Screenshots at desktop width and at 390 px (a phone)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from vanphong.programs import services
from vanphong.programs.models import Meeting
from vanphong.tasks.models import SourceKind, Task

pytestmark = pytest.mark.e2e


def test_the_office_records_conclusions_and_finds_their_tasks(
    live_server, province, browser, page, screenshots, settings, sign_in
):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    room = services.room_create(
        actor=None, organization=province.office, name="Phòng họp tầng 2", capacity=30
    )
    day = timezone.localdate() + dt.timedelta(days=1)

    # The Chánh Văn phòng schedules the Standing Committee's meeting.
    sign_in(page, live_server, "chief")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Lịch họp").click()
    page.get_by_role("link", name="Tạo cuộc họp").click()
    page.get_by_label("Cơ quan").select_option(label="Tỉnh ủy Thử nghiệm")
    page.get_by_label("Loại cuộc họp").select_option("hop_ban_thuong_vu")
    page.get_by_label("Tên cuộc họp").fill("Họp Ban Thường vụ về chuyển đổi số")
    page.get_by_label("Bắt đầu").fill(f"{day:%d/%m/%Y} 08:00")
    page.get_by_label("Kết thúc").fill(f"{day:%d/%m/%Y} 10:30")
    page.get_by_label("Phòng họp", exact=False).first.select_option(label="Phòng họp tầng 2")
    page.get_by_label("Chủ trì").select_option(label="leader — Tỉnh ủy")
    page.get_by_label("Thành phần dự họp").select_option(
        label=["chief — Văn phòng", "specialist — Văn phòng"]
    )
    page.get_by_role("button", name="Tạo cuộc họp").click()
    expect(page.locator(".messages")).to_contain_text("Đã tạo cuộc họp.")
    meeting = Meeting.objects.get()
    assert (meeting.room, meeting.chair, meeting.created_by) == (room, province.leader, province.chief)

    # Two conclusions, each with a lead and a due date.
    due = day + dt.timedelta(days=20)
    for text, lead in (
        ("Đảng ủy xã An Phú xây dựng kế hoạch chuyển đổi số", "ĐU An Phú"),
        ("Đảng ủy xã Bình Minh rà soát hạ tầng mạng", "ĐU Bình Minh"),
    ):
        details = page.locator("details", has=page.locator("summary", has_text="Ghi kết luận"))
        if details.get_attribute("open") is None:  # open by itself while there is no conclusion
            page.locator("summary", has_text="Ghi kết luận").click()
        page.get_by_label("Nội dung kết luận").fill(text)
        page.get_by_label("Chủ trì thực hiện").select_option(label=lead)
        page.get_by_label("Thời hạn").fill(f"{due:%d/%m/%Y}")
        page.get_by_role("button", name="Ghi kết luận").click()
        expect(page.locator(".messages")).to_contain_text("Đã ghi kết luận và giao nhiệm vụ.")
    tasks = list(Task.objects.order_by("id"))
    assert [(t.source_kind, t.lead_organization, t.due_date) for t in tasks] == [
        (SourceKind.CONCLUSION, province.commune_x, due),
        (SourceKind.CONCLUSION, province.commune_y, due),
    ]
    rows = page.locator("tr[data-conclusion]")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Chưa đến hạn")
    page.screenshot(path=screenshots / "meetings-01-conclusions.png", full_page=True)

    # The tasks are in the task list; one opens, and links back to the meeting.
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Nhiệm vụ", exact=True
    ).click()
    expect(page.get_by_role("link", name="Đảng ủy xã An Phú xây dựng kế hoạch")).to_be_visible()
    expect(page.get_by_role("link", name="Đảng ủy xã Bình Minh rà soát hạ tầng")).to_be_visible()
    page.get_by_role("link", name="Đảng ủy xã An Phú xây dựng kế hoạch").click()
    page.get_by_role("link", name="Cuộc họp: Họp Ban Thường vụ về chuyển đổi số").click()
    expect(page.get_by_role("heading", name="Họp Ban Thường vụ về chuyển đổi số")).to_be_visible()

    # The Bí thư finds them on the province dashboard: two tasks, both in progress.
    leader_context = browser.new_context(
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 1280, "height": 860}
    )
    leader = leader_context.new_page()
    leader.set_default_timeout(10_000)
    sign_in(leader, live_server, "leader")
    leader.goto(f"{live_server.url}/nhiem-vu/tong-quan/")
    expect(leader.locator('[data-block="province"] [data-stat="total"]')).to_have_attribute("data-value", "2")
    expect(leader.locator('[data-block="province"] [data-stat="in_progress"]')).to_have_attribute(
        "data-value", "2"
    )
    leader.screenshot(path=screenshots / "meetings-05-dashboard.png", full_page=True)
    leader_context.close()

    # The week's meetings and the meeting page on a phone.
    phone = browser.new_context(
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 390, "height": 844}
    )
    small = phone.new_page()
    small.set_default_timeout(10_000)
    sign_in(small, live_server, "chief")
    small.goto(f"{live_server.url}/cuoc-hop/?tuan={day:%Y-%m-%d}")
    expect(small.get_by_role("link", name="Họp Ban Thường vụ về chuyển đổi số")).to_be_visible()
    small.screenshot(path=screenshots / "meetings-02-week-phone.png", full_page=True)
    small.get_by_role("link", name="Họp Ban Thường vụ về chuyển đổi số").click()
    expect(small.locator("tr[data-conclusion]").first).to_contain_text("Chưa đến hạn")
    small.screenshot(path=screenshots / "meetings-03-meeting-phone.png", full_page=True)
    assert small.evaluate("document.documentElement.scrollWidth") <= 390
    phone.close()
    page.goto(f"{live_server.url}/cuoc-hop/?tuan={day:%Y-%m-%d}")
    page.screenshot(path=screenshots / "meetings-04-week-desktop.png", full_page=True)
