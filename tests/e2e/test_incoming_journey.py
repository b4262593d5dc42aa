"""A clerk registers an incoming document from the keyboard, the leader directs it from the
pending list, and it is found by a search typed without diacritics."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from vanphong.documents.models import Assignment, EntryStatus, RegisterEntry
from vanphong.documents.services.registering import registers_provision_defaults

pytestmark = pytest.mark.e2e


def test_clerk_registers_leader_directs_and_search_finds_it(
    live_server, province, browser, page, screenshots, settings, sign_in
):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    registers_provision_defaults(organization=province.committee, term_start=dt.date(2025, 10, 1))

    # The clerk: symbol, Tab to the issuer (filled from the symbol), the date, the subject, Enter.
    sign_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}/van-ban/den/vao-so/")
    symbol = page.get_by_label("Số, ký hiệu")
    expect(symbol).to_be_focused()
    page.keyboard.type("15-NQ/TU")
    expect(page.locator("#symbol-info")).to_contain_text("Nghị quyết")
    expect(page.locator("#symbol-info")).to_contain_text("Tỉnh ủy Thử nghiệm")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Cơ quan ban hành")).to_be_focused()
    expect(page.get_by_label("Cơ quan ban hành")).to_have_value("Tỉnh ủy Thử nghiệm")
    expect(page.get_by_label("Loại văn bản")).to_have_value("NQ")
    page.keyboard.press("Tab")
    page.keyboard.type(timezone.localdate().strftime("%d/%m/%Y"))
    page.keyboard.press("Tab")  # the type, already read from the symbol
    page.keyboard.press("Tab")
    expect(page.get_by_label("Trích yếu nội dung")).to_be_focused()
    page.keyboard.type("Nghị quyết về phát triển kinh tế số tỉnh")
    page.screenshot(path=screenshots / "incoming-01-register-form.png", full_page=True)
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Đã vào sổ số đến 1")
    expect(page.get_by_role("heading", name="15-NQ/TU")).to_be_visible()
    page.screenshot(path=screenshots / "incoming-02-registered.png", full_page=True)

    # The clerk presents it to the leader.
    page.get_by_label("Trình đồng chí").select_option(label="leader")
    page.get_by_role("button", name="Trình", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Đã trình văn bản")
    entry = RegisterEntry.objects.get()
    assert entry.status == EntryStatus.PRESENTED

    # The leader, in a browser of their own, opens it from the pending list and directs it.
    context = browser.new_context(
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 1280, "height": 860}
    )
    leader = context.new_page()
    leader.set_default_timeout(10_000)
    sign_in(leader, live_server, "leader")
    pending = leader.locator(".card", has_text="Văn bản chờ cho ý kiến")
    expect(pending).to_be_visible()
    leader.screenshot(path=screenshots / "incoming-03-leader-home.png", full_page=True)
    pending.get_by_role("link", name="15-NQ/TU").click()
    leader.get_by_role("textbox", name="Ý kiến chỉ đạo").fill("Giao Văn phòng chủ trì tham mưu")
    leader.get_by_label("Nơi nhận việc, dòng 1").select_option(label="Văn phòng")
    leader.get_by_label("Vai trò, dòng 1").select_option("lead")
    due = timezone.localdate() + dt.timedelta(days=7)
    leader.get_by_label("Hạn xử lý, dòng 1").fill(due.strftime("%d/%m/%Y"))
    leader.get_by_role("button", name="Lưu ý kiến chỉ đạo").click()
    expect(leader.locator(".messages")).to_contain_text("Đã ghi ý kiến chỉ đạo.")
    expect(leader.locator("#h-directions")).to_be_visible()
    leader.screenshot(path=screenshots / "incoming-04-directed.png", full_page=True)
    assignment = Assignment.objects.get()
    assert (assignment.organization, assignment.role, assignment.due_date) == (province.office, "lead", due)

    # Anyone who may read it finds it without typing the diacritics.
    leader.goto(f"{live_server.url}/tra-cuu/?q=kinh+te+so")
    expect(leader.get_by_text(re.compile("phát triển kinh tế số"))).to_be_visible()
    leader.screenshot(path=screenshots / "incoming-05-search.png", full_page=True)
    context.close()
