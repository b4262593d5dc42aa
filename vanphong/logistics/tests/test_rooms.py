"""Room bookings: clashes with bookings and with meetings (both ways, under the room's
lock), back to back, capacity, cancelling, who books and who sees; the pages."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from vanphong.audit.models import AuditEvent
from vanphong.logistics import selectors_rooms, services_rooms
from vanphong.logistics.models import BookingState, RoomBooking
from vanphong.logistics.services import Conflict
from vanphong.logistics.tests.conftest import at
from vanphong.programs import services as programs
from vanphong.programs.models import Meeting, MeetingKind, Room


@pytest.fixture
def room(province) -> Room:
    return programs.room_create(
        actor=None, organization=province.office, name="Phòng họp tầng 2", capacity=20, equipment="Máy chiếu"
    )


def book(province: Any, room: Room, **kwargs: Any) -> RoomBooking:
    values: dict[str, Any] = {
        "actor": province.specialist.user,
        "room": room,
        "organization": province.office,
        "title": "Tập huấn nghiệp vụ văn thư",
        "start": at(1, 8),
        "end": at(1, 10),
        "attendees": 15,
    }
    values.update(kwargs)
    return services_rooms.room_book(**values)


def meeting(province: Any, room: Room, start: Any, end: Any) -> Any:
    return programs.meeting_create(
        actor=province.leader.user,
        organization=province.committee,
        title="Họp Ban Thường vụ",
        kind=MeetingKind.HOP_BAN_THUONG_VU,
        start=start,
        end=end,
        chair=province.leader,
        room=room,
    )


def test_a_booking_is_recorded_and_audited(province, room):
    booking = book(province, room)
    assert booking.state == BookingState.BOOKED
    assert booking.booked_by == province.specialist
    assert AuditEvent.objects.filter(action="room_booking.create", target_id=str(booking.pk)).exists()


def test_booking_vs_booking_clash_and_back_to_back(province, room):
    book(province, room)
    with pytest.raises(Conflict) as refused:
        book(province, room, start=at(1, 9), end=at(1, 11), title="Họp chi bộ")
    assert "Tập huấn nghiệp vụ văn thư" in refused.value.message_dict["room"][0]
    with pytest.raises(Conflict):  # inside
        book(province, room, start=at(1, 8, 30), end=at(1, 9, 30))
    with pytest.raises(Conflict):  # around
        book(province, room, start=at(1, 7), end=at(1, 11))
    before = book(province, room, start=at(1, 7), end=at(1, 8), title="Chuẩn bị")
    after = book(province, room, start=at(1, 10), end=at(1, 12), title="Họp chi bộ")
    assert before.pk and after.pk
    assert RoomBooking.objects.filter(room=room).count() == 3


def test_another_room_is_free(province, room):
    other = programs.room_create(actor=None, organization=province.office, name="Phòng khách")
    book(province, room)
    assert book(province, other, attendees=40).room == other  # capacity 0: not checked


def test_a_booking_is_refused_over_a_meeting(province, room):
    meeting(province, room, at(1, 9), at(1, 11))
    with pytest.raises(Conflict) as refused:
        book(province, room, actor=province.leader.user, organization=province.committee)
    message = refused.value.message_dict["room"][0]
    assert "cuộc họp “Họp Ban Thường vụ”" in message  # the leader sees the meeting: named
    assert RoomBooking.objects.count() == 0


def test_a_meeting_the_booker_may_not_see_is_not_named(province, room):
    meeting(province, room, at(1, 9), at(1, 11))
    with pytest.raises(Conflict) as refused:
        book(province, room)  # the specialist is not in that meeting
    message = refused.value.message_dict["room"][0]
    assert "cuộc họp 09:00–11:00" in message and "Ban Thường vụ" not in message


def test_a_cancelled_meeting_frees_the_room(province, room):
    held = meeting(province, room, at(1, 9), at(1, 11)).meeting
    programs.meeting_cancel(actor=province.leader.user, meeting=held, reason="Hoãn")
    assert book(province, room).pk


def test_a_meeting_is_refused_in_a_booked_room(province, room):
    booking = book(province, room)
    with pytest.raises(programs.RoomConflict) as refused:
        meeting(province, room, at(1, 9), at(1, 11))
    assert "Tập huấn nghiệp vụ văn thư" in refused.value.message_dict["room"][0]
    assert meeting(province, room, at(1, 10), at(1, 11)).meeting.pk  # back to back
    services_rooms.room_booking_cancel(actor=province.specialist.user, booking=booking, reason="Đổi lịch")
    assert meeting(province, room, at(1, 8), at(1, 9)).meeting.pk


def test_capacity_and_times_are_checked(province, room):
    with pytest.raises(ValidationError) as refused:
        book(province, room, attendees=21)
    assert "20 người" in refused.value.message_dict["attendees"][0]
    assert book(province, room, attendees=20).pk
    with pytest.raises(ValidationError) as refused:
        book(province, room, start=at(-1, 8), end=at(-1, 10))
    assert "start" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        book(province, room, start=at(2, 10), end=at(2, 10))
    assert "end" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        book(province, room, start=at(2, 8), end=at(2, 9), title="  ")
    assert "title" in refused.value.message_dict


def test_an_inactive_room_is_not_booked(province, room):
    programs.room_set_active(actor=None, room=room, active=False)
    with pytest.raises(ValidationError) as refused:
        book(province, room)
    assert "room" in refused.value.message_dict


def test_cancel_frees_the_room_and_needs_a_reason(province, room):
    booking = book(province, room)
    with pytest.raises(ValidationError):
        services_rooms.room_booking_cancel(actor=province.specialist.user, booking=booking, reason=" ")
    services_rooms.room_booking_cancel(actor=province.specialist.user, booking=booking, reason="Đổi lịch")
    booking.refresh_from_db()
    assert booking.state == BookingState.CANCELLED and booking.cancel_reason == "Đổi lịch"
    assert AuditEvent.objects.filter(action="room_booking.cancel", target_id=str(booking.pk)).exists()
    with pytest.raises(ValidationError):
        services_rooms.room_booking_cancel(actor=province.specialist.user, booking=booking, reason="Lần nữa")
    assert book(province, room).pk


def test_who_cancels(province, room):
    booking = book(province, room)
    with pytest.raises(PermissionDenied):
        services_rooms.room_booking_cancel(actor=province.clerk.user, booking=booking, reason="Không cần")
    services_rooms.room_booking_cancel(
        actor=province.chief.user, booking=booking, reason="Phòng bận việc khác"
    )
    assert RoomBooking.objects.get(pk=booking.pk).state == BookingState.CANCELLED


def test_who_books(province, room):
    # Another committee (a commune's Đảng ủy) may not book the province's room, even for itself.
    with pytest.raises(PermissionDenied):
        book(province, room, actor=province.clerk_x.user, organization=province.commune_x)
    # The committee's leader writes in the commune too, but the commune is a family of its own.
    with pytest.raises(PermissionDenied):
        book(province, room, actor=province.leader.user, organization=province.commune_x)
    # Nor may anyone book in the name of an organisation where they do not write.
    with pytest.raises(PermissionDenied):
        book(province, room, organization=province.commune_x)
    # The committee's people book for the committee or for the office.
    assert book(province, room, actor=province.clerk.user, organization=province.committee).pk
    assert book(province, room, actor=province.chief.user, start=at(2, 8), end=at(2, 9)).pk


def test_who_sees_the_rooms_and_the_bookings(province, room):
    commune_room = programs.room_create(actor=None, organization=province.commune_x, name="Hội trường xã")
    booking = book(province, room)
    for person in (province.specialist, province.chief, province.clerk, province.leader):
        assert room in selectors_rooms.rooms_visible_to(person.user)
        assert booking in selectors_rooms.bookings_visible_to(person.user)
    assert commune_room not in selectors_rooms.rooms_visible_to(province.specialist.user)
    assert list(selectors_rooms.rooms_visible_to(province.clerk_x.user)) == [commune_room]
    assert not selectors_rooms.bookings_visible_to(province.clerk_x.user).exists()


def test_occupancy_shows_meetings_and_bookings(province, room):
    book(province, room)
    meeting(province, room, at(1, 14), at(1, 16))
    slots = selectors_rooms.occupancy(province.specialist.user, [room], at(1, 0), at(2, 0))
    assert [(s.kind, s.local_start.hour) for s in slots] == [("booking", 8), ("meeting", 14)]
    assert selectors_rooms.occupancy(province.specialist.user, [room], at(2, 0), at(3, 0)) == []


POSTGRES_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Đặt phòng đồng thời cần PostgreSQL (SQLite trong bộ nhớ không chờ khóa giữa các luồng).",
)
THREADS = 6


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_simultaneous_bookings_and_meetings_of_one_room_exactly_one_wins(province, room):
    barrier = threading.Barrier(THREADS)

    def work(i: int) -> str:
        try:
            barrier.wait(timeout=30)
            try:
                if i % 2:
                    meeting(province, room, at(1, 8, i), at(1, 10, i))
                else:
                    book(province, room, start=at(1, 8, i), end=at(1, 10, i), title=f"Đặt {i}")
            except (Conflict, programs.RoomConflict):
                return "refused"
            return "won"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(work, range(THREADS)))
    assert sorted(results) == ["refused"] * (THREADS - 1) + ["won"]
    assert RoomBooking.objects.filter(room=room).count() + Meeting.objects.filter(room=room).count() == 1


# --- Pages ---------------------------------------------------------------------------------------


@pytest.fixture
def pages(settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"


def test_room_list_shows_the_day_grid(client, pages, province, room):
    book(province, room)
    meeting(province, room, at(1, 14), at(1, 16))
    client.force_login(province.specialist.user)
    day = at(1, 0).date()
    response = client.get(reverse("logistics:room_list"), {"ngay": day.isoformat()})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Phòng họp tầng 2" in text and "Máy chiếu" in text
    assert "Tập huấn nghiệp vụ văn thư" in text
    assert "14:00–16:00" in text and "Họp Ban Thường vụ" not in text  # a meeting not theirs: untitled
    week = client.get(reverse("logistics:room_list"), {"ngay": day.isoformat(), "xem": "tuan"})
    assert week.status_code == 200 and "Tập huấn nghiệp vụ văn thư" in week.content.decode()
    client.force_login(province.leader.user)
    text = client.get(reverse("logistics:room_list"), {"ngay": day.isoformat()}).content.decode()
    assert "Họp Ban Thường vụ" in text and "Tập huấn nghiệp vụ văn thư" in text


def test_room_list_needs_login(client, pages, province, room):
    response = client.get(reverse("logistics:room_list"))
    assert response.status_code == 302


def test_booking_form_books_and_shows_the_clash(client, pages, province, room):
    client.force_login(province.specialist.user)
    url = reverse("logistics:room_book")
    form = client.get(url, {"phong": room.pk})
    assert form.status_code == 200
    chosen = form.context["form"].initial
    assert chosen["room"] == room and chosen["organization"] == province.office  # the booker's own
    day = at(1, 0)
    data = {
        "room": room.pk,
        "organization": province.office.pk,
        "title": "Tiếp đoàn công tác",
        "start": f"{day:%d/%m/%Y} 08:00",
        "end": f"{day:%d/%m/%Y} 10:00",
        "attendees": "10",
    }
    response = client.post(url, data)
    booking = RoomBooking.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "logistics:room_booking_detail", args=[booking.pk]
    )
    again = client.post(url, {**data, "title": "Trùng"})
    assert again.status_code == 409
    assert "đã được đặt" in again.content.decode()
    too_many = client.post(
        url, {**data, "start": f"{day:%d/%m/%Y} 13:00", "end": f"{day:%d/%m/%Y} 14:00", "attendees": "99"}
    )
    assert too_many.status_code == 400


def test_booking_detail_and_cancel_page(client, pages, province, room):
    booking = book(province, room)
    client.force_login(province.clerk_x.user)
    assert client.get(reverse("logistics:room_booking_detail", args=[booking.pk])).status_code == 404
    client.force_login(province.specialist.user)
    detail = client.get(reverse("logistics:room_booking_detail", args=[booking.pk]))
    assert detail.status_code == 200 and "Tập huấn nghiệp vụ văn thư" in detail.content.decode()
    url = reverse("logistics:room_booking_cancel", args=[booking.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Đổi lịch"}).status_code == 302
    booking.refresh_from_db()
    assert booking.state == BookingState.CANCELLED


def test_another_committee_cannot_open_the_booking_form_for_the_room(client, pages, province, room):
    client.force_login(province.clerk_x.user)
    response = client.get(reverse("logistics:room_book"), {"phong": room.pk})
    assert response.status_code in (200, 404)
    assert "Phòng họp tầng 2" not in response.content.decode()
