"""The demo's shared services: a year of trips in an uneven pool (requests refused while cars stood
idle, as the seeds tell), the coming days' requests waiting for the dispatcher's home, the asset
register with a transfer and repairs as tasks, a budget with spending under the rule."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from vanphong.core.pending import pending_for
from vanphong.demo import orgs as orgs_demo
from vanphong.demo.logistics import seed_logistics, summary
from vanphong.logistics.models import Asset, AssetTransfer, Expense, RepairRequest, Trip, TripState
from vanphong.logistics.selectors import utilisation
from vanphong.orgs.models import Organization, Person


def _user(username):
    return Person.objects.select_related("user").get(user__username=username).user


def test_the_demo_shared_services(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    orgs_demo.seed_demo(scale=1)
    counts = seed_logistics()
    assert "chuyến công tác" in summary(counts)
    office = Organization.objects.get(parent__slug="tinhuy", is_office=True)
    now = timezone.now()
    year = utilisation(office, now - dt.timedelta(days=366), now)
    assert sum(u.trips for u in year.vehicles) == Trip.objects.filter(state=TripState.COMPLETED).count() > 300
    assert year.refused_while_idle > 0  # the pool to rebalance
    busiest, quietest = year.vehicles[0], year.vehicles[-1]
    assert busiest.trips > 3 * quietest.trips
    # No car and no driver out twice at once, in the whole year.
    held = list(
        Trip.objects.filter(vehicle__isnull=False).values_list("vehicle_id", "driver_id", "start", "end")
    )
    for n, (car, driver, start, end) in enumerate(held):
        for other_car, other_driver, s, e in held[n + 1 :]:
            if s < end and e > start:
                assert car != other_car and driver != other_driver
    assert AssetTransfer.objects.count() == 1 and Asset.objects.count() == counts["assets"]
    assert RepairRequest.objects.filter(task__isnull=False).count() == 2
    assert (
        Expense.objects.filter(state="approved").exists()
        and Expense.objects.filter(state="requested").exists()
    )
    groups = {g.key: g.count for g in pending_for(_user("chanhvp"))}
    assert groups.get("logistics.to_dispatch", 0) == counts["waiting"] > 0
    assert {g.key for g in pending_for(_user("chuyenvien"))} >= {"logistics.my_trips"}
