"""The car pool's main path: an agency's specialist asks for a car through the page; the Chánh
Văn phòng (the dispatcher) opens the board, finds the request waiting and assigns a car and a
driver; the specialist then sees the trip "Đã bố trí xe" with the plate. Screenshots of the
request, the board and the trip at desktop width and at 390 px (a phone)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from vanphong.logistics.models import Driver, Trip, TripState, Vehicle

pytestmark = pytest.mark.e2e

PHONE = {"locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh", "viewport": {"width": 390, "height": 844}}
DESKTOP = {"locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh", "viewport": {"width": 1280, "height": 860}}
PURPOSE = "Kiểm tra công tác xây dựng Đảng tại Đảng ủy xã An Phú"


def _context(browser, **options):
    context = browser.new_context(**options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def test_an_agency_requests_a_car_and_the_dispatcher_assigns_it(
    live_server, province, browser, page, screenshots, settings, sign_in
):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    car = Vehicle.objects.create(organization=province.office, plate="49A-123.45", seats=7, kind="seven")
    Vehicle.objects.create(organization=province.office, plate="49A-000.16", seats=16, kind="van")
    Driver.objects.create(
        organization=province.office, full_name="Lê Văn Minh", licence_class="D", phone="0905123456"
    )
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    # The specialist asks for a car for the Tỉnh ủy.
    sign_in(page, live_server, "specialist")
    page.goto(f"{live_server.url}/hau-can/xe/")
    page.get_by_role("link", name="Đề nghị xe").first.click()
    expect(page.get_by_role("heading", name="Đề nghị bố trí xe")).to_be_visible()
    page.get_by_label("Cơ quan đề nghị").select_option(label=province.committee.short_name)
    page.get_by_label("Nội dung công tác").fill(PURPOSE)
    page.get_by_label("Nơi đi").fill("Trụ sở Tỉnh ủy")
    page.get_by_label("Nơi đến").fill("Đảng ủy xã An Phú")
    page.get_by_label("Đi lúc").fill(f"{tomorrow:%Y-%m-%d}T07:30")
    page.get_by_label("Về lúc").fill(f"{tomorrow:%Y-%m-%d}T11:30")
    page.get_by_label("Số người đi").fill("4")
    page.get_by_label("Thành phần đi").fill("Đồng chí Phó Bí thư Thường trực và ba chuyên viên")
    page.screenshot(path=screenshots / "logistics-01-request-desktop.png", full_page=True)
    page.get_by_role("button", name="Gửi đề nghị").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi đề nghị xe đi Đảng ủy xã An Phú")
    trip = Trip.objects.get()
    assert (trip.organization, trip.state, trip.passengers) == (province.committee, TripState.REQUESTED, 4)
    assert timezone.localtime(trip.start).strftime("%d/%m/%Y %H:%M") == f"{tomorrow:%d/%m/%Y} 07:30"
    expect(page.locator(".page-header")).to_contain_text("Chờ duyệt")

    # The Chánh Văn phòng opens the board, finds it waiting and assigns a car and a driver.
    office, desk = _context(browser, **DESKTOP)
    sign_in(desk, live_server, "chief")
    desk.goto(f"{live_server.url}/hau-can/xe/dieu-xe/?ngay={tomorrow:%Y-%m-%d}")
    expect(desk.get_by_role("heading", name=f"Bảng điều xe ngày {tomorrow:%d/%m/%Y}")).to_be_visible()
    waiting = desk.locator("section[aria-labelledby=h-waiting]")
    expect(waiting).to_contain_text("Đảng ủy xã An Phú")
    waiting.get_by_role("link", name="Bố trí xe cho chuyến").click()
    assign = desk.locator("#bo-tri")
    assign.get_by_label("Xe", exact=True).select_option(
        label=f"49A-123.45 · 7 chỗ · Xe 7 chỗ — {province.office.short_name}"
    )
    assign.get_by_label("Lái xe", exact=True).select_option(label="Lê Văn Minh (hạng D) · 0905123456")
    desk.get_by_role("button", name="Bố trí xe").click()
    expect(desk.locator(".messages")).to_contain_text("Đã bố trí xe 49A-123.45, lái xe Lê Văn Minh.")
    trip.refresh_from_db()
    assert (trip.state, trip.vehicle, trip.driver.full_name) == (TripState.ASSIGNED, car, "Lê Văn Minh")
    desk.goto(f"{live_server.url}/hau-can/xe/dieu-xe/?ngay={tomorrow:%Y-%m-%d}")
    board = desk.locator("table.lg-board")
    expect(board).to_contain_text("07:30–11:30")
    expect(board).to_contain_text("Đảng ủy xã An Phú")
    expect(desk.locator("section[aria-labelledby=h-waiting]")).to_contain_text(
        "Không có đề nghị nào đang chờ."
    )
    desk.screenshot(path=screenshots / "logistics-02-board-desktop.png", full_page=True)
    office.close()

    # The specialist sees the car given, with its plate.
    page.goto(f"{live_server.url}/hau-can/xe/{trip.pk}/")
    header = page.locator(".page-header")
    expect(header).to_contain_text("Đã bố trí xe")
    expect(header).to_contain_text("49A-123.45")
    expect(header).to_contain_text("Lê Văn Minh")
    page.screenshot(path=screenshots / "logistics-03-trip-assigned-desktop.png", full_page=True)

    # The same pages on a phone: cards, nothing wider than the screen.
    phone, small = _context(browser, **PHONE)
    sign_in(small, live_server, "chief")
    for name, url in (
        ("list", "/hau-can/xe/"),
        ("board", f"/hau-can/xe/dieu-xe/?ngay={tomorrow:%Y-%m-%d}"),
        ("trip", f"/hau-can/xe/{trip.pk}/"),
        ("request", "/hau-can/xe/de-nghi/"),
        ("vehicles", "/hau-can/xe/danh-sach/"),
        ("utilisation", "/hau-can/xe/hieu-suat/"),
    ):
        small.goto(f"{live_server.url}{url}")
        small.screenshot(path=screenshots / f"logistics-04-{name}-phone.png", full_page=True)
        assert small.evaluate("document.documentElement.scrollWidth") <= 390, name
    small.goto(f"{live_server.url}/hau-can/xe/dieu-xe/?ngay={tomorrow:%Y-%m-%d}")
    expect(small.locator("table.lg-board")).to_be_hidden()
    cards = small.locator(".lg-board-cards")
    expect(cards).to_be_visible()
    expect(cards).to_contain_text("49A-123.45")
    expect(cards).to_contain_text("07:30–11:30")
    phone.close()
