"""Lists on a phone (issue "Hardening", item 8): at 390×844 the incoming, outgoing, task and
search lists fit the screen's width, their rows are cards that show the symbol and the trích
yếu first, the filters fold behind "Bộ lọc", and the task dashboard opens on its numbers.
Screenshots go to test-results/phone-*.png. The same lists on a desktop (about 15 rows at
1366×768) are tested in test_wide_screens.py."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from vanphong.documents.services.registering import registers_provision_defaults
from vanphong.documents.tests.factories import incoming_entry, outgoing_draft
from vanphong.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def new_phone(browser):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a {PHONE['width']}px phone"


def filters_fold(page) -> None:
    button = page.locator("details.filters-fold > summary", has_text="Bộ lọc")
    expect(button).to_be_visible()
    expect(page.locator("details.filters-fold")).not_to_have_attribute("open", "")
    expect(page.get_by_role("button", name="Lọc")).to_be_hidden()


def first_card_shows(page, symbol: str, subject: str) -> None:
    row = page.locator("table.table-cards tbody tr").first
    expect(row.get_by_text(symbol, exact=False).first).to_be_visible()
    expect(row.get_by_role("link", name=subject)).to_be_visible()
    # The card reads symbol first, then the trích yếu, then the rest.
    top = row.locator("td.cell-symbol, td.cell-subject").first.bounding_box()
    assert top and top["y"] - row.bounding_box()["y"] < 20


def test_lists_and_dashboard_on_a_phone(live_server, province, browser, screenshots, settings, sign_in):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    registers_provision_defaults(organization=province.committee, term_start=dt.date(2025, 10, 1))
    for number in range(101, 106):
        incoming_entry(province, number)
    incoming_entry(province)  # the newest: 15-NQ/TW "Nghị quyết về phát triển kinh tế số"
    outgoing_draft(province, subject="Kế hoạch thực hiện chuyển đổi số năm 2026")
    outgoing_draft(province)
    for title in ("Xây dựng kế hoạch chuyển đổi số", "Báo cáo sơ kết công tác dân vận"):
        TaskFactory(province=province, title=title)
    TaskFactory(province=province, title="Tổng kết công tác kiểm tra, giám sát", due_in=2)

    context, page = new_phone(browser)
    sign_in(page, live_server, "clerk")

    page.goto(f"{live_server.url}/van-ban/den/")
    filters_fold(page)
    first_card_shows(page, "15-NQ/TW", "Nghị quyết về phát triển kinh tế số")
    fits_the_screen(page)
    page.screenshot(path=screenshots / "phone-incoming.png", full_page=True)
    # The button unfolds the filters.
    page.locator("details.filters-fold > summary").click()
    expect(page.get_by_label("Số, ký hiệu, trích yếu, cơ quan ban hành")).to_be_visible()
    fits_the_screen(page)

    page.goto(f"{live_server.url}/van-ban/di/")
    filters_fold(page)
    first_card_shows(page, "—", "Nghị quyết về phát triển kinh tế số tỉnh")
    fits_the_screen(page)
    page.screenshot(path=screenshots / "phone-outgoing.png", full_page=True)

    page.goto(f"{live_server.url}/tra-cuu/?q=kinh+te+so")
    expect(page.get_by_label("Từ khóa")).to_be_visible()
    expect(page.locator("details.filters-fold > summary", has_text="Bộ lọc")).to_be_visible()
    expect(page.locator(".search-result").first).to_be_visible()
    expect(page.locator(".search-result").first).to_contain_text("kinh tế số")
    fits_the_screen(page)
    page.screenshot(path=screenshots / "phone-search.png", full_page=True)
    context.close()

    context, page = new_phone(browser)
    sign_in(page, live_server, "leader")
    page.goto(f"{live_server.url}/nhiem-vu/")
    filters_fold(page)
    row = page.locator("table.table-cards tbody tr").first
    expect(row.locator("td.cell-subject a")).to_be_visible()
    fits_the_screen(page)
    page.screenshot(path=screenshots / "phone-tasks.png", full_page=True)

    page.goto(f"{live_server.url}/nhiem-vu/tong-quan/")
    stats = page.locator(".stats").first
    expect(stats).to_be_visible()
    page.screenshot(path=screenshots / "phone-dashboard.png", full_page=True)
    # The numbers come first: on the first screen, before the links to the report and the
    # overdue list; the period folds behind its button.
    assert stats.bounding_box()["y"] + 100 < PHONE["height"]
    report = page.get_by_role("link", name="Lập báo cáo tình hình thực hiện")
    assert report.bounding_box()["y"] > stats.bounding_box()["y"]
    expect(page.locator("details.filters-fold > summary", has_text="Chọn kỳ thống kê")).to_be_visible()
    fits_the_screen(page)
    context.close()
