"""The Chánh Văn phòng makes the usual templates, starts this week's bulletin, ticks an urgent
incoming document and this week's meeting among the candidates, writes a note, saves, edits a
chosen line, and moves the bulletin into the outgoing flow, where it is a draft report to the two
communes. Screenshots of the composing page at desktop width and at 390 px (a phone)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from vanphong.documents.models import DocumentState
from vanphong.reporting.models import InfoProduct
from vanphong.reporting.tests.test_products import week_world  # noqa: F401 - a fixture

pytestmark = pytest.mark.e2e

PHONE = {"locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh", "viewport": {"width": 390, "height": 844}}


def test_the_office_composes_the_weekly_bulletin_and_sends_it_into_the_outgoing_flow(
    live_server,
    province,
    week_world,  # noqa: F811 - the fixture imported above
    browser,
    page,
    screenshots,
    settings,
    sign_in,  # noqa: F811
):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    sign_in(page, live_server, "chief")
    page.goto(f"{live_server.url}/bao-cao/ban-tin/")
    page.get_by_role("link", name="Mẫu sản phẩm").click()
    page.get_by_role("button", name="Tạo mẫu thường dùng").click()
    expect(page.locator(".messages")).to_contain_text("Đã tạo 3 mẫu")
    expect(page.locator("#templates tbody tr")).to_have_count(3)

    page.goto(f"{live_server.url}/bao-cao/ban-tin/")
    page.get_by_label("Mẫu").select_option(label=f"Bản tin tuần – Bản tin tuần ({province.committee.name})")
    page.get_by_role("button", name="Tạo", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Chọn các mục tin rồi lưu")
    urgent = week_world["urgent"]
    line = page.locator(".product-line", has=page.locator(f'input[value$=":incoming:{urgent.pk}"]'))
    expect(line).to_contain_text("Đáng chú ý")
    expect(page.locator("body")).not_to_contain_text("Việc mật")
    line.get_by_role("checkbox").check()
    meeting = page.locator(
        ".product-line", has=page.locator(f'input[value$=":meeting:{week_world["meeting"].pk}"]')
    )
    meeting.get_by_role("checkbox").check()
    page.locator("#note-0").fill("Tình hình chính trị ổn định.")
    page.screenshot(path=screenshots / "bulletin-01-compose-desktop.png", full_page=True)
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu sản phẩm thông tin.")
    # A ticked line is now edited in place.
    line = page.locator(".product-line.is-chosen", has=page.locator(f'input[value$=":incoming:{urgent.pk}"]'))
    line.locator("textarea").fill("Trung ương chỉ đạo khẩn về phòng, chống bão.")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu sản phẩm thông tin.")
    preview = page.locator(".product-preview")
    expect(preview).to_contain_text("I. TÌNH HÌNH CHUNG")
    expect(preview).to_contain_text("- Trung ương chỉ đạo khẩn về phòng, chống bão.")
    expect(preview).to_contain_text("III. CÁC CUỘC HỌP TRONG TUẦN")

    phone = browser.new_context(**PHONE)
    small = phone.new_page()
    small.set_default_timeout(10_000)
    sign_in(small, live_server, "chief")
    product = InfoProduct.objects.get()
    small.goto(f"{live_server.url}/bao-cao/ban-tin/{product.pk}/")
    expect(small.locator(".product-line.is-chosen")).to_have_count(3)
    small.screenshot(path=screenshots / "bulletin-02-compose-phone.png", full_page=False)
    small.goto(f"{live_server.url}/bao-cao/ban-tin/")
    small.screenshot(path=screenshots / "bulletin-03-list-phone.png", full_page=True)
    phone.close()

    page.get_by_role("button", name="Chuyển thành dự thảo văn bản đi").click()
    expect(page.locator(".messages")).to_contain_text("Đã chuyển thành dự thảo văn bản đi")
    product.refresh_from_db()
    assert product.document is not None and product.document.state == DocumentState.DRAFT
    assert {r.organization_id for r in product.document.recipients.all()} == {
        province.commune_x.pk,
        province.commune_y.pk,
    }
    expect(page.locator("body")).to_contain_text(product.title)
    page.goto(f"{live_server.url}/bao-cao/ban-tin/{product.pk}/")
    expect(page.get_by_role("link", name="Mở văn bản đi")).to_be_visible()
    page.screenshot(path=screenshots / "bulletin-04-drafted-desktop.png", full_page=True)
