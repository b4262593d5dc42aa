"""A leader's direction on an incoming document becomes a task; the commune that leads it
reports progress and completion from its own browser; the province dashboard's count moves."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from vanphong.documents.services.incoming import incoming_present, incoming_register
from vanphong.documents.services.registering import registers_provision_defaults
from vanphong.tasks.models import Outcome, Task, TaskState

pytestmark = pytest.mark.e2e


def new_page(browser):
    context = browser.new_context(
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 1280, "height": 860}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def stat(page, block: str, name: str):
    return page.locator(f'[data-block="{block}"] [data-stat="{name}"]')


def test_direction_to_task_to_progress_to_completion_moves_the_dashboard(
    live_server, province, browser, page, screenshots, settings, sign_in
):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    registers_provision_defaults(organization=province.committee, term_start=dt.date(2025, 10, 1))
    entry = incoming_register(
        actor=province.clerk.user,
        organization=province.committee,
        symbol="57-NQ/TW",
        subject="Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
        issued_date=dt.date(2024, 12, 22),
    )
    incoming_present(actor=province.clerk.user, entry=entry, to_person=province.leader)

    # The leader directs it from the pending list: Đảng ủy xã An Phú leads, within ten days.
    sign_in(page, live_server, "leader")
    page.locator(".card", has_text="Văn bản chờ cho ý kiến").get_by_role("link", name="57-NQ/TW").click()
    page.get_by_role("textbox", name="Ý kiến chỉ đạo").fill(
        "Giao Đảng ủy xã An Phú xây dựng kế hoạch thực hiện"
    )
    page.get_by_label("Nơi nhận việc, dòng 1").select_option(label="ĐU An Phú")
    page.get_by_label("Vai trò, dòng 1").select_option("lead")
    due = timezone.localdate() + dt.timedelta(days=10)
    page.get_by_label("Hạn xử lý, dòng 1").fill(due.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Lưu ý kiến chỉ đạo").click()
    expect(page.locator(".messages")).to_contain_text("Đã ghi ý kiến chỉ đạo.")
    task = Task.objects.get()
    assert (task.lead_organization, task.due_date, task.source_document) == (
        province.commune_x,
        due,
        entry.document,
    )

    # The document page lists the task it gave rise to.
    page.reload()
    expect(page.get_by_role("link", name=task.title[:40], exact=False)).to_be_visible()

    # The province dashboard: one task in progress, none done.
    page.goto(f"{live_server.url}/nhiem-vu/tong-quan/")
    expect(stat(page, "province", "total")).to_have_attribute("data-value", "1")
    expect(stat(page, "province", "in_progress")).to_have_attribute("data-value", "1")
    expect(stat(page, "province", "done_on_time")).to_have_attribute("data-value", "0")
    page.screenshot(path=screenshots / "tasks-01-dashboard-before.png", full_page=True)

    # The commune's clerk finds it in the task list, reports progress, then completion.
    context, clerk = new_page(browser)
    sign_in(clerk, live_server, "clerk_x")
    clerk.goto(f"{live_server.url}/nhiem-vu/")
    clerk.get_by_role("link", name=task.title[:40], exact=False).first.click()
    expect(clerk.get_by_role("heading", name="Thông tin nhiệm vụ")).to_be_visible()
    clerk.locator("summary", has_text="Báo cáo tiến độ").click()
    clerk.get_by_label("Tiến độ (%)").fill("60")
    clerk.get_by_label("Nội dung báo cáo").fill("Đã họp Ban Thường vụ, dự thảo kế hoạch")
    clerk.get_by_role("button", name="Gửi báo cáo tiến độ").click()
    expect(clerk.locator(".messages")).to_be_visible()
    task.refresh_from_db()
    assert (task.state, task.progress) == (TaskState.IN_PROGRESS, 60)
    clerk.locator("summary", has_text="Báo cáo hoàn thành").click()
    clerk.get_by_label("Kết quả thực hiện").fill("Đã ban hành Kế hoạch số 12-KH/ĐU")
    clerk.get_by_role("button", name="Báo cáo hoàn thành").click()
    expect(clerk.locator(".messages")).to_be_visible()
    clerk.screenshot(path=screenshots / "tasks-02-completed.png", full_page=True)
    task.refresh_from_db()
    assert (task.state, task.outcome, task.progress) == (TaskState.COMPLETED, Outcome.ON_TIME, 100)
    context.close()

    # Back on the leader's dashboard the task has moved to "done on time".
    page.reload()
    expect(stat(page, "province", "done_on_time")).to_have_attribute("data-value", "1")
    expect(stat(page, "province", "in_progress")).to_have_attribute("data-value", "0")
    page.screenshot(path=screenshots / "tasks-03-dashboard-after.png", full_page=True)
