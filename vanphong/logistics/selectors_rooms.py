"""Reading the meeting rooms shared by a committee's agencies, and what holds them.

A room of the programmes' register (``programs.Room``) belongs to a *committee family*: the
committee itself and the organisations working for it directly (its Văn phòng and its other
agencies: children of the committee that are not committees themselves). Subordinate
committees (a commune's Đảng ủy) are families of their own. A room kept by the Văn phòng (or
by an agency) serves the family of its parent committee; a room kept by a committee serves
that committee's family.

Everyone who reads or writes in some organisation of a family sees that family's rooms and
their occupancy (meetings and bookings, with the bookings' titles; a meeting's title only when
they may see the meeting). All of it in SQL, through ``scope_for``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from vanphong.logistics.models import BookingState, RoomBooking
from vanphong.orgs.access import Capability, scope_for
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import Organization, OrgKind
from vanphong.programs.models import Meeting, MeetingState, Room
from vanphong.programs.selectors.meetings import meetings_visible_to


def family_of(organization: Organization) -> int:
    """The id of the committee whose family ``organization`` belongs to."""
    agency = organization.is_office or organization.kind != OrgKind.COMMITTEE
    if agency and organization.parent_id is not None:
        return organization.parent_id
    return organization.pk


def same_family(organization: Organization, room: Room) -> bool:
    return family_of(organization) == family_of(room.organization)


def _agency_q(prefix: str = "") -> Q:
    """An organisation working for its parent committee (the Văn phòng, an agency)."""
    return Q(**{f"{prefix}is_office": True}) | ~Q(**{f"{prefix}kind": OrgKind.COMMITTEE})


def _families_q(user: Actor | None) -> Q:
    """A Q on Organization matching the committees of the families ``user`` reaches."""
    scope = scope_for(user)
    reached = Organization.objects.filter(scope.org_q(Capability.READ) | scope.org_q(Capability.WRITE))
    heads = reached.exclude(_agency_q() & Q(parent__isnull=False)).values("pk")
    parents = reached.filter(_agency_q(), parent__isnull=False).values("parent_id")
    return Q(pk__in=heads) | Q(pk__in=parents)


def rooms_visible_to(user: Actor | None) -> QuerySet[Room]:
    """The rooms of the families where ``user`` reads or writes, active or not."""
    if scope_for(user).person_id is None:
        return Room.objects.none()
    families = Organization.objects.filter(_families_q(user)).values("pk")
    by_agency = _agency_q("organization__") & Q(organization__parent__isnull=False)
    return (
        Room.objects.filter(
            (by_agency & Q(organization__parent_id__in=families))
            | (~by_agency & Q(organization_id__in=families))
        )
        .select_related("organization")
        .order_by("organization__path", "name")
    )


def bookings_visible_to(user: Actor | None) -> QuerySet[RoomBooking]:
    """The bookings of the rooms ``user`` sees (cancelled ones included)."""
    return RoomBooking.objects.filter(room__in=rooms_visible_to(user).values("pk")).select_related(
        "room", "room__organization", "organization", "booked_by"
    )


def booking_list(
    user: Actor | None,
    *,
    room: Room | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    include_cancelled: bool = True,
) -> QuerySet[RoomBooking]:
    """Bookings ``user`` sees that overlap [start, end) (either bound optional), by start."""
    qs = bookings_visible_to(user)
    if room is not None:
        qs = qs.filter(room=room)
    if start is not None:
        qs = qs.filter(end__gt=start)
    if end is not None:
        qs = qs.filter(start__lt=end)
    if not include_cancelled:
        qs = qs.filter(state=BookingState.BOOKED)
    return qs.order_by("start", "id")


@dataclass(frozen=True)
class Slot:
    """One thing holding a room: a meeting or a booking, as the occupancy grid shows it."""

    room_id: int
    kind: str  # "meeting" | "booking"
    pk: int
    title: str
    start: dt.datetime
    end: dt.datetime
    organization: str
    url_name: str  # the page of the meeting or the booking ("" when the reader may not open it)

    @property
    def local_start(self) -> dt.datetime:
        return timezone.localtime(self.start)

    @property
    def local_end(self) -> dt.datetime:
        return timezone.localtime(self.end)


def occupancy(user: Actor | None, rooms: list[Room], start: dt.datetime, end: dt.datetime) -> list[Slot]:
    """Everything holding ``rooms`` in [start, end): non-cancelled meetings and booked bookings
    (two queries), by start. A meeting ``user`` may not see shows as "Cuộc họp" without title."""
    ids = [r.pk for r in rooms]
    if not ids:
        return []
    meetings = list(
        Meeting.objects.filter(room_id__in=ids, start__lt=end, end__gt=start)
        .exclude(state=MeetingState.CANCELLED)
        .select_related("organization")
        .only("pk", "room_id", "title", "start", "end", "organization__short_name", "organization__name")
    )
    visible = set(
        meetings_visible_to(user).filter(pk__in=[m.pk for m in meetings]).values_list("pk", flat=True)
    )
    slots = [
        Slot(
            room_id=m.room_id or 0,
            kind="meeting",
            pk=m.pk,
            title=m.title if m.pk in visible else "Cuộc họp",
            start=m.start,
            end=m.end,
            organization=m.organization.short_name or m.organization.name,
            url_name="programs:meeting_detail" if m.pk in visible else "",
        )
        for m in meetings
    ]
    bookings = RoomBooking.objects.filter(
        room_id__in=ids, state=BookingState.BOOKED, start__lt=end, end__gt=start
    ).select_related("organization")
    slots += [
        Slot(
            room_id=b.room_id,
            kind="booking",
            pk=b.pk,
            title=b.title,
            start=b.start,
            end=b.end,
            organization=b.organization.short_name or b.organization.name,
            url_name="logistics:room_booking_detail",
        )
        for b in bookings
    ]
    return sorted(slots, key=lambda s: (s.start, s.room_id, s.kind, s.pk))


def organizations_booking_for(user: Actor | None) -> QuerySet[Organization]:
    """The organisations ``user`` may book rooms for (WRITE there)."""
    return Organization.objects.filter(scope_for(user).org_q(Capability.WRITE), active=True).order_by("path")


def default_booking_organization(user: Actor | None, room: Room) -> Organization | None:
    """Whom a booking of ``room`` is for when the caller names no organisation: their own
    organisation when they write there and it is of the room's family, else the first (by
    the tree) of that family where they write; ``None`` when there is none."""
    family = family_of(room.organization)
    candidates = organizations_booking_for(user).filter((_agency_q() & Q(parent_id=family)) | Q(pk=family))
    own = getattr(getattr(user, "person", None), "organization_id", None)
    chosen = [o for o in candidates[:50] if family_of(o) == family]
    for organization in chosen:
        if organization.pk == own:
            return organization
    return chosen[0] if chosen else None
