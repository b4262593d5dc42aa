import re

import pytest
from playwright.sync_api import expect

from vanphong.orgs.models import StaffQuota
from vanphong.orgs.tests.factories import TEST_PASSWORD, UnitFactory

pytestmark = pytest.mark.e2e


def test_specialist_signs_in_from_the_keyboard_and_finds_the_staffing(
    live_server, province, page, screenshots
):
    UnitFactory(organization=province.office, name="Phòng Tổng hợp")
    StaffQuota.objects.create(organization=province.office, approved=5, decision="Quyết định 12-QĐ/TU")

    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/tai-khoan/dang-nhap/"))
    expect(page.get_by_role("heading", name="Văn phòng số")).to_be_visible()
    page.screenshot(path=screenshots / "01-login.png", full_page=True)

    # Keyboard only: the username field has the focus, Tab to the password, Enter to submit.
    expect(page.get_by_label("Tên đăng nhập")).to_be_focused()
    page.keyboard.type("specialist")
    page.keyboard.press("Tab")
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Việc của tôi")).to_be_visible()
    expect(page.locator(".empty-state")).to_contain_text("Không có việc nào đang chờ bạn.")
    page.screenshot(path=screenshots / "02-home.png", full_page=True)

    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Tổ chức, cán bộ"
    ).click()
    expect(page.get_by_role("heading", name="Tổ chức, cán bộ", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Văn phòng Tỉnh ủy")).to_be_visible()
    page.get_by_label("Tìm tổ chức").fill("An Phú")
    expect(page.locator("#directory-results")).not_to_contain_text("Đảng ủy xã Bình Minh")
    expect(page.locator("#directory-results")).to_contain_text("Đảng ủy xã An Phú")
    page.screenshot(path=screenshots / "03-directory.png", full_page=True)

    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Biên chế").click()
    expect(page.get_by_role("heading", name="Biên chế", exact=True)).to_be_visible()
    office_row = page.locator("tr", has_text="Văn phòng Tỉnh ủy")
    expect(office_row).to_contain_text("3/5")
    page.screenshot(path=screenshots / "04-staffing.png", full_page=True)

    # On a phone the side navigation folds behind the menu button.
    page.set_viewport_size({"width": 390, "height": 844})
    toggle = page.get_by_role("button", name="Mở menu")
    nav = page.locator("#sidenav")
    expect(toggle).to_be_visible()
    expect(nav).to_be_hidden()
    page.screenshot(path=screenshots / "05-phone-closed.png", full_page=True)
    toggle.click()
    expect(nav).to_be_visible()
    expect(page.get_by_role("button", name="Đóng menu")).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Việc của tôi")).to_be_visible()
    page.screenshot(path=screenshots / "06-phone-menu.png")
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()


def test_a_wrong_password_is_answered_in_vietnamese(live_server, province, page):
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("specialist")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator(".form-errors")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/tai-khoan/dang-nhap/"))
