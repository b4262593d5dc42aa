"""The Văn phòng composes next week's calendar of the Thường trực Tỉnh ủy on the page: from a
meeting and a programme item already planned, plus a working visit added by hand; the
Chánh Văn phòng approves and publishes it, moves one event, and the published week shows it
marked "Thay đổi" with what changed. Screenshots at desktop width and at 390 px (a phone)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from vanphong.notifications.models import Notification
from vanphong.programs import services
from vanphong.programs.models import (
    CalendarEvent,
    CalendarState,
    CalendarWeek,
    MeetingKind,
    Program,
    ProgramBody,
    ProgramItem,
    ProgramPeriod,
)

pytestmark = pytest.mark.e2e


def test_the_office_composes_publishes_and_changes_the_week(
    live_server, province, browser, page, screenshots, settings, sign_in
):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday()) + dt.timedelta(days=7)
    tz = timezone.get_current_timezone()
    room = services.room_create(actor=None, organization=province.office, name="Phòng họp Ban Thường vụ")
    start = dt.datetime.combine(monday + dt.timedelta(days=1), dt.time(8, 0), tzinfo=tz)
    services.meeting_create(
        actor=province.leader.user,
        organization=province.committee,
        title="Họp Ban Thường vụ Tỉnh ủy thường kỳ",
        kind=MeetingKind.HOP_BAN_THUONG_VU,
        start=start,
        end=start + dt.timedelta(hours=3),
        room=room,
        chair=province.leader,
        participants=[province.chief, province.specialist],
    )
    program = Program.objects.create(
        organization=province.committee,
        body=ProgramBody.THUONG_TRUC,
        period=ProgramPeriod.WEEK,
        start=monday,
        end=monday + dt.timedelta(days=6),
        title="Chương trình công tác tuần của Thường trực Tỉnh ủy",
    )
    ProgramItem.objects.create(
        program=program,
        order=1,
        content="Làm việc với Đảng ủy xã An Phú về công tác xây dựng Đảng",
        planned_date=monday + dt.timedelta(days=2),
        leader=province.leader,
        preparing_organization=province.commune_x,
        meeting_kind=MeetingKind.LAM_VIEC,
    )
    week_url = f"{live_server.url}/lich-tuan/?week={monday:%Y-%m-%d}&organization={province.committee.pk}"

    # The Chánh Văn phòng opens next week: nothing yet; composes it from the programme and meetings.
    sign_in(page, live_server, "chief")
    page.goto(week_url)
    expect(page.get_by_text("Lịch công tác tuần này chưa được lập.")).to_be_visible()
    page.get_by_role("button", name="Lấy từ chương trình và lịch họp").click()
    expect(page.locator(".messages")).to_contain_text("Đã thêm 2 sự kiện")
    expect(page.locator("tr[data-event]")).to_have_count(2)

    # A working visit asked for by hand.
    page.get_by_role("link", name="Thêm sự kiện").click()
    page.get_by_label("Ngày").fill(f"{monday + dt.timedelta(days=3):%d/%m/%Y}")
    page.get_by_label("Bắt đầu").fill("08:00")
    page.get_by_label("Kết thúc").fill("11:00")
    page.get_by_label("Nội dung").fill("Tiếp đoàn công tác của Ban Tổ chức Trung ương")
    page.get_by_label("Loại").select_option("lam_viec")
    page.get_by_label("Lãnh đạo dự").select_option(label="leader — Tỉnh ủy")
    page.get_by_label("Thành phần").fill("Lãnh đạo Ban Tổ chức Tỉnh ủy, Văn phòng Tỉnh ủy")
    page.get_by_label("Địa điểm").fill("Trụ sở Tỉnh ủy")
    page.get_by_role("button", name="Thêm vào lịch").click()
    expect(page.locator(".messages")).to_contain_text("Đã thêm sự kiện vào lịch tuần.")
    expect(page.locator("tr[data-event]")).to_have_count(3)
    page.screenshot(path=screenshots / "calendar-01-draft-desktop.png", full_page=True)

    # The Chánh Văn phòng approves (the head of the office may) and publishes.
    page.get_by_role("button", name="Duyệt").click()
    expect(page.locator(".messages")).to_contain_text("Đã duyệt lịch công tác tuần.")
    page.get_by_role("button", name="Công bố").click()
    expect(page.locator(".messages")).to_contain_text("Đã công bố lịch công tác tuần")
    expect(page.locator("[data-week-state]")).to_have_text("Đã công bố")
    week = CalendarWeek.objects.get()
    assert week.state == CalendarState.PUBLISHED and week.approved_by == province.chief

    # The meeting moves to the afternoon: edited on the page, marked on the published week.
    event = CalendarEvent.objects.get(meeting__isnull=False)
    page.get_by_role("link", name="Sửa: Họp Ban Thường vụ Tỉnh ủy thường kỳ").click()
    page.get_by_label("Bắt đầu").fill("14:00")
    page.get_by_label("Kết thúc").fill("17:00")
    page.get_by_role("button", name="Lưu thay đổi").click()
    expect(page.locator(".messages")).to_contain_text("thay đổi được đánh dấu trên lịch")
    row = page.locator(f'tr[data-event="{event.pk}"]')
    expect(row.locator("[data-changed]")).to_have_text("Thay đổi")
    expect(row).to_contain_text("Đổi giờ từ 08:00 sang 14:00")
    expect(row).to_contain_text("14:00–17:00")
    event.refresh_from_db()
    assert event.changed_after_publication and event.sequence == 1
    assert Notification.objects.filter(kind="calendar.change", recipient=province.leader).exists()
    page.screenshot(path=screenshots / "calendar-02-published-desktop.png", full_page=True)

    # The Bí thư reads the week on a phone: each day a card, nothing wider than the screen.
    phone = browser.new_context(
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 390, "height": 844}
    )
    small = phone.new_page()
    small.set_default_timeout(10_000)
    sign_in(small, live_server, "leader")
    small.goto(week_url)
    expect(small.locator(f'tr[data-event="{event.pk}"] [data-changed]')).to_be_visible()
    expect(small.get_by_text("Tiếp đoàn công tác của Ban Tổ chức Trung ương")).to_be_visible()
    assert small.evaluate("document.documentElement.scrollWidth") <= 390
    small.screenshot(path=screenshots / "calendar-03-week-phone.png", full_page=True)
    small.goto(f"{live_server.url}/lich-tuan/dang-ky/")
    expect(small.get_by_role("button", name="Thu hồi")).to_have_count(2)
    assert small.evaluate("document.documentElement.scrollWidth") <= 390
    small.screenshot(path=screenshots / "calendar-04-feeds-phone.png", full_page=True)
    phone.close()
