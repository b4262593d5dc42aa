"""The meeting rooms' pages: the rooms with their occupancy (meetings and bookings) as a day
grid or a week table, the booking form, a booking and its cancellation. Every rule is in
``services_rooms``; reads go through ``selectors_rooms``."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vanphong.core.forms import apply_errors
from vanphong.logistics import selectors_rooms, services_rooms
from vanphong.logistics.forms_rooms import BookingCancelForm, BookingForm
from vanphong.logistics.models import BookingState, RoomBooking
from vanphong.logistics.services import Conflict
from vanphong.orgs.models import Organization, OrgKind
from vanphong.programs.models import Room

DAY_FROM, DAY_TO = 7, 19  # the day grid's hours (a slot outside is clipped, its times still shown)
WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]


def _day(raw: str | None) -> dt.date:
    if raw:
        with contextlib.suppress(ValueError):
            day = dt.date.fromisoformat(raw)
            if 2000 <= day.year <= 2100:
                return day
    return timezone.localdate()


def _aware(day: dt.date, hour: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@dataclass
class Bar:
    slot: selectors_rooms.Slot
    left: float
    width: float


@dataclass
class RoomRow:
    room: Room
    bars: list[Bar] = field(default_factory=list)
    days: list[tuple[dt.date, str, list[selectors_rooms.Slot]]] = field(default_factory=list)
    slots: list[selectors_rooms.Slot] = field(default_factory=list)


def _bars(slots: list[selectors_rooms.Slot], day: dt.date) -> list[Bar]:
    window_start, window_end = _aware(day, DAY_FROM), _aware(day, DAY_TO)
    total = (window_end - window_start).total_seconds()
    bars = []
    for slot in slots:
        start, end = max(slot.start, window_start), min(slot.end, window_end)
        if end <= start:
            continue
        left = (start - window_start).total_seconds() / total * 100
        width = (end - start).total_seconds() / total * 100
        bars.append(Bar(slot, round(left, 2), round(max(width, 1.5), 2)))
    return bars


@require_GET
def room_list(request: HttpRequest) -> HttpResponse:
    day = _day(request.GET.get("ngay"))
    week = request.GET.get("xem") == "tuan"
    rooms = list(selectors_rooms.rooms_visible_to(request.user).filter(active=True))
    if week:
        first = day - dt.timedelta(days=day.weekday())
        days = [first + dt.timedelta(days=i) for i in range(7)]
        start, end = _aware(first), _aware(first + dt.timedelta(days=7))
        previous, following = first - dt.timedelta(days=7), first + dt.timedelta(days=7)
    else:
        days = [day]
        start, end = _aware(day), _aware(day + dt.timedelta(days=1))
        previous, following = day - dt.timedelta(days=1), day + dt.timedelta(days=1)
    slots = selectors_rooms.occupancy(request.user, rooms, start, end)
    rows = []
    for room in rooms:
        mine = [s for s in slots if s.room_id == room.pk]
        row = RoomRow(room=room, slots=mine)
        if week:
            row.days = [
                (
                    d,
                    WEEKDAYS[d.weekday()],
                    [s for s in mine if s.start < _aware(d + dt.timedelta(days=1)) and s.end > _aware(d)],
                )
                for d in days
            ]
        else:
            row.bars = _bars(mine, day)
        rows.append(row)
    context = {
        "nav_active": "logistics",
        "tab": "rooms",
        "rows": rows,
        "day": day,
        "week": week,
        "days": [(d, WEEKDAYS[d.weekday()]) for d in days],
        "hours": list(range(DAY_FROM, DAY_TO)),
        "ticks": [f"{i * 100 / (DAY_TO - DAY_FROM):.3f}" for i in range(1, DAY_TO - DAY_FROM)],
        "previous": previous,
        "following": following,
        "today": timezone.localdate(),
        "may_book": selectors_rooms.organizations_booking_for(request.user).exists() and bool(rooms),
    }
    return render(request, "logistics/room_list.html", context)


def _bookable(request: HttpRequest) -> tuple[QuerySet[Room], QuerySet[Organization]]:
    """The active rooms the reader sees, and the organisations of those rooms' families where
    they write (the service checks the pair chosen)."""
    rooms = selectors_rooms.rooms_visible_to(request.user).filter(active=True)
    families = {selectors_rooms.family_of(r.organization) for r in rooms}
    agency = Q(is_office=True) | ~Q(kind=OrgKind.COMMITTEE)
    organizations = selectors_rooms.organizations_booking_for(request.user).filter(
        (agency & Q(parent_id__in=families)) | (~(agency & Q(parent__isnull=False)) & Q(pk__in=families))
    )
    return rooms, organizations


@require_http_methods(["GET", "POST"])
def room_book(request: HttpRequest) -> HttpResponse:
    rooms, organizations = _bookable(request)
    if not rooms.exists() or not organizations.exists():
        raise Http404
    initial: dict[str, Any] = {}
    with contextlib.suppress(ValueError, TypeError):
        chosen = rooms.filter(pk=int(request.GET.get("phong", ""))).first()
        if chosen is not None:
            initial["room"] = chosen
    room = initial.get("room") or rooms.first()
    if room is not None:
        initial["organization"] = selectors_rooms.default_booking_organization(request.user, room)
    form = BookingForm(request.POST or None, rooms=rooms, organizations=organizations, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                booking = services_rooms.room_book(
                    actor=request.user,
                    room=data["room"],
                    organization=data["organization"],
                    title=data["title"],
                    start=data["start"],
                    end=data["end"],
                    attendees=data["attendees"] or 0,
                )
            except Conflict as error:
                apply_errors(form, error)
                status = 409
            except ValidationError as error:
                apply_errors(form, error)
            except PermissionDenied as error:
                form.add_error("organization", str(error))
                status = 403
            else:
                messages.success(request, f"Đã đặt phòng “{booking.room.name}”.")
                return redirect("logistics:room_booking_detail", booking.pk)
    return render(
        request,
        "logistics/room_book.html",
        {"form": form, "nav_active": "logistics", "tab": "rooms"},
        status=status,
    )


def _booking(request: HttpRequest, pk: int) -> RoomBooking:
    return get_object_or_404(selectors_rooms.bookings_visible_to(request.user), pk=pk)


def _render_booking(
    request: HttpRequest, booking: RoomBooking, form: BookingCancelForm | None = None, status: int = 200
) -> HttpResponse:
    may_cancel = (
        booking.state == BookingState.BOOKED
        and booking.end > timezone.now()
        and services_rooms.may_cancel(request.user, booking)
    )
    context = {
        "booking": booking,
        "may_cancel": may_cancel,
        "form": form or BookingCancelForm(),
        "nav_active": "logistics",
        "tab": "rooms",
    }
    return render(request, "logistics/room_booking_detail.html", context, status=status)


@require_GET
def room_booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_booking(request, _booking(request, pk))


@require_POST
def room_booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _booking(request, pk)
    form = BookingCancelForm(request.POST)
    if form.is_valid():
        try:
            services_rooms.room_booking_cancel(
                actor=request.user, booking=booking, reason=form.cleaned_data["reason"]
            )
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return _render_booking(request, booking, form, status=403)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Đã hủy lịch đặt phòng; phòng được giải phóng.")
            return redirect("logistics:room_booking_detail", booking.pk)
    return _render_booking(request, booking, form, status=400)
