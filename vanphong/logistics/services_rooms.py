"""Booking the meeting rooms of the programmes' register (``programs.Room``) for something
other than a meeting of the calendar (a reception, a training, an agency's own meeting).

One room is never held by two bookings, nor by a booking and a meeting, at once. Both sides
take the same row lock on the room (``SELECT … FOR UPDATE``) before they look:

* ``room_book`` locks the room, then refuses (``Conflict``, HTTP 409 ``conflict``) a booked
  booking or a non-cancelled meeting overlapping [start, end) — back to back is allowed;
* the meetings' side (``programs.services.meetings._book``) asks the holder registered here
  (``register_room_holder(booking_holder)``, at import) under its own lock, and refuses a
  meeting in a booked room with ``RoomConflict``.

So two requests for one room at once are served one after the other, and exactly one wins.

Who books: a person holding WRITE in the booking organisation, when that organisation belongs
to the room's committee family (``selectors_rooms.family_of``: the committee, its Văn phòng and
its other agencies; a subordinate committee is a family of its own), in an active room.
Who cancels: the booker, or the room keeper's leaders (DIRECT in the organisation keeping the
room: the Chánh Văn phòng for the office's rooms, the committee's leaders)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from vanphong.audit.services import audit_record
from vanphong.logistics import audit_rooms  # noqa: F401  (registers the audit actions)
from vanphong.logistics.models import BookingState, RoomBooking
from vanphong.logistics.selectors_rooms import same_family
from vanphong.logistics.services import Conflict
from vanphong.orgs.access import Capability, can
from vanphong.orgs.actors import Actor, acting_person, person_of
from vanphong.orgs.models import Organization
from vanphong.programs.models import Meeting, MeetingState, Room
from vanphong.programs.selectors.meetings import meetings_visible_to
from vanphong.programs.services.meetings import register_room_holder

MAX_TITLE = 300
MAX_REASON = 300
MAX_HOURS = 24 * 7  # as a meeting: at most a week
MAX_ATTENDEES = 5000
LAST_YEAR = 2100


def _when(start: dt.datetime, end: dt.datetime) -> str:
    start, end = timezone.localtime(start), timezone.localtime(end)
    if start.date() == end.date():
        return f"{start:%H:%M}–{end:%H:%M} ngày {start:%d/%m/%Y}"
    return f"{start:%H:%M} ngày {start:%d/%m/%Y} đến {end:%H:%M} ngày {end:%d/%m/%Y}"


def _describe(booking: RoomBooking) -> str:
    org = booking.organization
    return f"“{booking.title}” của {org.short_name or org.name}, {_when(booking.start, booking.end)}"


def _overlapping_booking(
    room: Room, start: dt.datetime, end: dt.datetime, exclude: int | None = None
) -> RoomBooking | None:
    qs = RoomBooking.objects.filter(room=room, state=BookingState.BOOKED, start__lt=end, end__gt=start)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs.select_related("organization").order_by("start", "id").first()


def booking_holder(
    room: Room, start: dt.datetime, end: dt.datetime, exclude_booking_id: int | None = None
) -> str | None:
    """The room holder asked by the meetings' ``_book`` under the room's lock: a booked booking
    overlapping [start, end), described, or ``None``."""
    booking = _overlapping_booking(room, start, end, exclude_booking_id)
    return _describe(booking) if booking is not None else None


register_room_holder(booking_holder)


def may_book(actor: Actor, room: Room, organization: Organization) -> bool:
    return same_family(organization, room) and can(actor, Capability.WRITE, organization)


def may_cancel(actor: Actor, booking: RoomBooking) -> bool:
    person = person_of(actor)
    if person is not None and person.pk == booking.booked_by_id:
        return True
    return can(actor, Capability.DIRECT, booking.room.organization)


@transaction.atomic
def room_book(
    *,
    actor: Actor,
    room: Room,
    organization: Organization,
    title: str,
    start: dt.datetime | None,
    end: dt.datetime | None,
    attendees: int = 0,
) -> RoomBooking:
    """Book ``room`` for ``organization`` over [start, end). Refused with ``Conflict`` (409)
    when a booking or a meeting holds the room at any moment of it; with ``ValidationError``
    for the fields (in the past, end not after start, more people than the room seats)."""
    booker = acting_person(actor)
    if not may_book(actor, room, organization):
        raise PermissionDenied("Bạn không có quyền đặt phòng họp này cho cơ quan đã chọn.")
    title = " ".join((title or "").split())
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = ["Hãy nhập nội dung sử dụng phòng."]
    elif len(title) > MAX_TITLE:
        errors["title"] = [f"Nội dung dài tối đa {MAX_TITLE} ký tự."]
    if start is None or end is None:
        errors["end" if start else "start"] = ["Hãy nhập thời gian bắt đầu và kết thúc."]
    elif end <= start:
        errors["end"] = ["Thời gian kết thúc phải sau thời gian bắt đầu."]
    elif start < timezone.now():
        errors["start"] = ["Không đặt phòng cho thời gian đã qua."]
    elif end - start > dt.timedelta(hours=MAX_HOURS):
        errors["end"] = ["Một lần đặt phòng không quá 7 ngày."]
    elif end.year > LAST_YEAR:
        errors["end"] = [f"Thời gian đặt phòng phải trước năm {LAST_YEAR + 1}."]
    if not isinstance(attendees, int) or isinstance(attendees, bool) or not 0 <= attendees <= MAX_ATTENDEES:
        errors["attendees"] = [f"Số người phải từ 0 đến {MAX_ATTENDEES}."]
    elif room.capacity and attendees > room.capacity:
        errors["attendees"] = [f"Phòng “{room.name}” chỉ đủ chỗ cho {room.capacity} người."]
    if not room.active:
        errors["room"] = [f"Phòng “{room.name}” không còn sử dụng."]
    if errors:
        raise ValidationError(errors)
    assert start is not None and end is not None

    # The same lock as the meetings' side: whoever comes second sees the first one's row.
    Room.objects.select_for_update().filter(pk=room.pk).first()
    other = _overlapping_booking(room, start, end)
    if other is not None:
        raise Conflict({"room": [f"Phòng “{room.name}” đã được đặt: {_describe(other)}."]})
    meeting = (
        Meeting.objects.filter(room=room, start__lt=end, end__gt=start)
        .exclude(state=MeetingState.CANCELLED)
        .order_by("start", "id")
        .first()
    )
    if meeting is not None:
        seen = meetings_visible_to(actor).filter(pk=meeting.pk).exists()
        named = f"“{meeting.title}”, " if seen else ""
        raise Conflict(
            {"room": [f"Phòng “{room.name}” đã có cuộc họp {named}{_when(meeting.start, meeting.end)}."]}
        )
    booking = RoomBooking.objects.create(
        room=room,
        organization=organization,
        title=title,
        start=start,
        end=end,
        attendees=attendees,
        booked_by=booker,
    )
    audit_record(
        actor=actor,
        action="room_booking.create",
        target=booking,
        organization_id=organization.pk,
        after={
            "room": room.pk,
            "organization": organization.pk,
            "title": title,
            "start": start,
            "end": end,
            "attendees": attendees,
        },
    )
    return booking


@transaction.atomic
def room_booking_cancel(*, actor: Actor, booking: RoomBooking, reason: str) -> RoomBooking:
    """Cancel a booking (the room is free again at once), with a reason."""
    acting_person(actor)
    if not may_cancel(actor, booking):
        raise PermissionDenied("Chỉ người đặt hoặc lãnh đạo cơ quan quản lý phòng được hủy lịch đặt phòng.")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": ["Hãy nêu lý do hủy."]})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": [f"Lý do dài tối đa {MAX_REASON} ký tự."]})
    locked = RoomBooking.objects.select_for_update().get(pk=booking.pk)
    if locked.state != BookingState.BOOKED:
        raise ValidationError({"state": ["Lịch đặt phòng đã hủy trước đó."]})
    if locked.end <= timezone.now():
        raise ValidationError({"state": ["Buổi sử dụng phòng đã kết thúc: không hủy được nữa."]})
    locked.state = BookingState.CANCELLED
    locked.cancel_reason = reason
    locked.save(update_fields=["state", "cancel_reason"])
    audit_record(
        actor=actor,
        action="room_booking.cancel",
        target=locked,
        organization_id=locked.organization_id,
        before={"state": BookingState.BOOKED},
        after={"state": BookingState.CANCELLED, "reason": reason},
    )
    booking.state, booking.cancel_reason = locked.state, locked.cancel_reason
    return booking
