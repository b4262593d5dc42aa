"""Reading the car pool: who sees which trips, and the utilisation figures.

A trip is seen by its requesting organisation's people (READ or WRITE there, and its requester)
and by the pool's people (READ there: the Văn phòng that dispatches). The utilisation of a
period (``utilisation``) is computed by the database — a GROUP BY per car, per driver and per
agency over the trips that held a car — with the gaps beside it: the requests refused in the
period and, for each, how many suitable cars stood idle at that time (the pool to rebalance)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from vanphong.logistics.models import HOLDING, Driver, Trip, TripState, Vehicle
from vanphong.orgs.access import Capability, scope_for
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import Organization, OrgKind


def agency_q(committee_id: int | None, *, prefix: str = "") -> Q:
    """A Q on ``prefix`` + Organization: the agencies that work for a committee (its Văn phòng,
    its Ban, …: its children that are not committees themselves). A lower committee (a commune's
    Đảng ủy) is its own family with its own office, never one of them."""
    return Q(**{f"{prefix}parent_id": committee_id}) & ~Q(**{f"{prefix}kind": OrgKind.COMMITTEE})


def committee_of(organization: Organization) -> int:
    """The committee an organisation works for: itself when it is a committee, its parent when
    it is an agency of one (its Văn phòng included)."""
    if organization.kind == OrgKind.COMMITTEE or organization.parent_id is None:
        return organization.pk
    return organization.parent_id


def pool_for(organization: Organization) -> Organization:
    """Whose cars an organisation asks for (and whose Văn phòng keeps its assets and spending
    rule): the Văn phòng of the committee it is or works for, else that committee itself."""
    if organization.is_office:
        return organization
    committee = committee_of(organization)
    office = Organization.objects.filter(parent_id=committee, is_office=True, active=True).first()
    if office is not None:
        return office
    return organization if committee == organization.pk else Organization.objects.get(pk=committee)


def dispatchable_vehicles(pool: Organization) -> QuerySet[Vehicle]:
    """The cars a pool dispatches: its own, and the shared cars of its committee and of the
    committee's agencies (never another committee's)."""
    committee = committee_of(pool)
    return Vehicle.objects.filter(
        Q(organization=pool)
        | (Q(shared=True) & (Q(organization_id=committee) | agency_q(committee, prefix="organization__"))),
        active=True,
    )


def dispatchable_drivers(pool: Organization) -> QuerySet[Driver]:
    """The drivers a pool dispatches: its own, its committee's and its committee's agencies'."""
    committee = committee_of(pool)
    return Driver.objects.filter(
        Q(organization=pool) | Q(organization_id=committee) | agency_q(committee, prefix="organization__"),
        active=True,
    )


def trips_visible_to(user: Actor | None) -> QuerySet[Trip]:
    scope = scope_for(user)
    q = (
        scope.org_q(Capability.READ, prefix="organization__")
        | scope.org_q(Capability.WRITE, prefix="organization__")
        | scope.org_q(Capability.READ, prefix="pool__")
    )
    if scope.person_id is not None:
        q |= Q(requested_by_id=scope.person_id) | Q(driver__person_id=scope.person_id)
    return Trip.objects.filter(q)


@dataclass(frozen=True)
class Usage:
    key: int
    name: str
    trips: int
    hours: float
    km: int


@dataclass
class Utilisation:
    start: dt.datetime
    end: dt.datetime
    vehicles: list[Usage] = field(default_factory=list)
    drivers: list[Usage] = field(default_factory=list)
    agencies: list[Usage] = field(default_factory=list)
    refused: int = 0
    refused_while_idle: int = 0  # refused although a car with enough seats stood idle
    idle_vehicles: list[str] = field(default_factory=list)  # plates with no trip in the period


def _hours(value: dt.timedelta | None) -> float:
    return round(value.total_seconds() / 3600, 1) if value else 0.0


def _usage(rows: QuerySet, key: str, name: str) -> list[Usage]:
    return [
        Usage(row[key], row[name], row["trips"], _hours(row["duration"]), int(row["km"] or 0))
        for row in rows
        if row[key] is not None
    ]


def utilisation(pool: Organization, start: dt.datetime, end: dt.datetime) -> Utilisation:
    """The pool's figures for the trips that began in [start, end): trips, hours out and km
    driven (completed trips' logs) per car, per driver and per requesting agency, busiest first."""
    held = Trip.objects.filter(pool=pool, state__in=HOLDING, start__gte=start, start__lt=end)
    duration = ExpressionWrapper(F("end") - F("start"), output_field=DurationField())
    km = Coalesce(Sum(F("odometer_end") - F("odometer_start")), 0)

    def grouped(key: str, name: str) -> QuerySet:
        return (
            held.values(key, name)
            .annotate(trips=Count("pk"), duration=Sum(duration), km=km)
            .order_by("-trips", name)
        )

    result = Utilisation(start=start, end=end)
    result.vehicles = _usage(grouped("vehicle_id", "vehicle__plate"), "vehicle_id", "vehicle__plate")
    result.drivers = _usage(grouped("driver_id", "driver__full_name"), "driver_id", "driver__full_name")
    result.agencies = _usage(
        grouped("organization_id", "organization__short_name"), "organization_id", "organization__short_name"
    )
    used = {u.key for u in result.vehicles}
    cars = list(dispatchable_vehicles(pool).order_by("plate").values("pk", "plate", "seats"))
    result.idle_vehicles = [c["plate"] for c in cars if c["pk"] not in used]
    refused = list(
        Trip.objects.filter(pool=pool, state=TripState.REFUSED, start__gte=start, start__lt=end).only(
            "pk", "start", "end", "passengers"
        )
    )
    result.refused = len(refused)
    if refused:
        # One query for the cars' holding trips over the refused requests' span.
        span_start = min(t.start for t in refused)
        span_end = max(t.end for t in refused)
        holding = list(
            Trip.objects.filter(
                state__in=HOLDING, start__lt=span_end, end__gt=span_start, vehicle__isnull=False
            ).values_list("vehicle_id", "start", "end")
        )
        for trip in refused:
            busy = {v for v, s, e in holding if s < trip.end and e > trip.start}
            if any(c["pk"] not in busy and c["seats"] - 1 >= trip.passengers for c in cars):
                result.refused_while_idle += 1
    return result


def vehicles_of(pool: Organization) -> QuerySet[Vehicle]:
    return dispatchable_vehicles(pool).select_related("organization").order_by("plate")
