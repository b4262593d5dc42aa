"""Utilisation on known data: trips, hours and km per car, driver and agency; the requests refused
while a suitable car stood idle; the cars that never went out."""

from __future__ import annotations

import pytest

from vanphong.logistics import selectors, services
from vanphong.logistics.models import Trip, Vehicle
from vanphong.logistics.tests.conftest import at

pytestmark = pytest.mark.django_db


def trip(province, start, end, passengers=3, organization=None):
    return services.trip_request(
        actor=province.specialist.user if organization is None else province.clerk_x.user,
        organization=organization or province.committee,
        purpose="Công tác",
        passengers=passengers,
        from_place="Tỉnh ủy",
        to_place="Xã",
        start=start,
        end=end,
    )


def test_utilisation_on_known_data(province, pool):
    idle = Vehicle.objects.create(organization=province.office, plate="49A-999.99", seats=7)
    one = trip(province, at(1, 7), at(1, 11))  # 4 h, car, Minh
    two = trip(province, at(1, 13), at(1, 17, 30))  # 4.5 h, car, Hải
    three = trip(province, at(2, 7), at(2, 9), passengers=10)  # 2 h, van, Minh
    for t, car, driver in ((one, "car", "minh"), (two, "car", "hai"), (three, "van", "minh")):
        services.trip_assign(actor=province.chief.user, trip=t, vehicle=pool[car], driver=pool[driver])
    refused_idle = trip(province, at(1, 8), at(1, 10))  # the van and the 7-seater were free
    services.trip_decide(actor=province.chief.user, trip=refused_idle, approve=False, reason="Hết xe")
    refused_full = trip(province, at(2, 7, 30), at(2, 8, 30), passengers=12)  # only the van seats 12: out
    services.trip_decide(actor=province.chief.user, trip=refused_full, approve=False, reason="Hết xe")
    # The first trip's log (moved to the past to be logged; the van's trip is still to come).
    Trip.objects.filter(pk=one.pk).update(start=at(-2, 7), end=at(-2, 11))
    one.refresh_from_db()
    services.trip_complete(actor=province.chief.user, trip=one, odometer_start=1000, odometer_end=1080)

    figures = selectors.utilisation(province.office, at(-5, 0), at(5, 0))
    cars = {u.name: (u.trips, u.hours, u.km) for u in figures.vehicles}
    assert cars == {"49A-000.01": (2, 8.5, 80), "49A-000.16": (1, 2.0, 0)}
    drivers = {u.name: (u.trips, u.hours) for u in figures.drivers}
    assert drivers == {"Lê Văn Minh": (2, 6.0), "Phạm Văn Hải": (1, 4.5)}
    assert [(u.name, u.trips) for u in figures.agencies] == [("Tỉnh ủy", 3)]
    assert (figures.refused, figures.refused_while_idle) == (2, 1)
    assert figures.idle_vehicles == [idle.plate]
    # Outside the period: nothing.
    empty = selectors.utilisation(province.office, at(10, 0), at(20, 0))
    assert not empty.vehicles and empty.refused == 0


def test_trips_are_seen_by_the_agency_and_the_pool_only(province, pool):
    mine = trip(province, at(1, 7), at(1, 9))
    assert mine in selectors.trips_visible_to(province.chief.user)
    assert mine in selectors.trips_visible_to(province.specialist.user)
    assert mine not in selectors.trips_visible_to(province.clerk_x.user)
