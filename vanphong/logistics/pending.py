"""The home page's groups of the car pool (registered in ``core.pending`` when the app is
ready): for the dispatchers (DIRECT in a pool's organisation: the Văn phòng's leaders), the
requests waiting for a car, soonest first; for the people who asked, their trips of the coming
days with the car given. A reader holding neither costs no query."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from vanphong.core import pending
from vanphong.core.queries import first_with_total
from vanphong.logistics.models import Trip, TripState
from vanphong.orgs.access import Capability, scope_for
from vanphong.orgs.actors import Actor


def _when(trip: Trip) -> str:
    return f"{timezone.localtime(trip.start):%H:%M %d/%m}"


@pending.register("logistics.to_dispatch")
def pending_to_dispatch(user: Actor) -> pending.PendingGroup | None:
    scope = scope_for(user)
    if not scope.grants_for(Capability.DIRECT):
        return None
    qs = (
        Trip.objects.filter(scope.org_q(Capability.DIRECT, prefix="pool__"))
        .filter(state__in=(TripState.REQUESTED, TripState.APPROVED), end__gte=timezone.now())
        .select_related("organization")
        .only("pk", "start", "to_place", "passengers", "organization__short_name")
        .order_by("start", "pk")
    )
    rows, total = first_with_total(qs)
    return pending.PendingGroup(
        "logistics.to_dispatch",
        "Đề nghị xe chờ bố trí",
        total,
        reverse("logistics:board"),
        tuple(
            (
                f"{_when(t)} — {t.organization.short_name} đi {t.to_place} ({t.passengers} người)",
                reverse("logistics:trip_detail", args=[t.pk]),
            )
            for t in rows
        ),
    )


@pending.register("logistics.my_trips")
def pending_my_trips(user: Actor) -> pending.PendingGroup | None:
    scope = scope_for(user)
    if scope.person_id is None:
        return None
    now = timezone.now()
    qs = (
        Trip.objects.filter(
            requested_by_id=scope.person_id,
            state__in=(TripState.REQUESTED, TripState.APPROVED, TripState.ASSIGNED),
            end__gte=now,
            start__lt=now + dt.timedelta(days=7),
        )
        .select_related("vehicle")
        .only("pk", "start", "to_place", "state", "vehicle__plate")
        .order_by("start", "pk")
    )
    rows, total = first_with_total(qs)

    def label(trip: Trip) -> str:
        car = f"xe {trip.vehicle.plate}" if trip.vehicle is not None else trip.get_state_display().lower()
        return f"{_when(trip)} — đi {trip.to_place}: {car}"

    return pending.PendingGroup(
        "logistics.my_trips",
        "Chuyến công tác đồng chí đã đề nghị xe",
        total,
        reverse("logistics:trip_list"),
        tuple((label(t), reverse("logistics:trip_detail", args=[t.pk])) for t in rows),
    )
