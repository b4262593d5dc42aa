"""Trips: requested by an agency, approved and given a car and a driver by the Văn phòng, never two
trips on one car or one driver at once (a driver's rest between trips counts), logged when done."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from vanphong.audit.tests.support import clear_audit_trail
from vanphong.logistics import services
from vanphong.logistics.models import Trip, TripState, Vehicle
from vanphong.logistics.tests.conftest import at


def request(province, start, end, passengers=3, **kwargs):
    return services.trip_request(
        actor=province.specialist.user,
        organization=kwargs.pop("organization", province.committee),
        purpose="Kiểm tra công tác xây dựng Đảng tại Đảng ủy xã An Phú",
        passengers=passengers,
        from_place="Trụ sở Tỉnh ủy",
        to_place="Đảng ủy xã An Phú",
        start=start,
        end=end,
        **kwargs,
    )


@pytest.mark.django_db
def test_a_request_goes_to_the_committees_office_and_is_assigned(province, pool):
    trip = request(province, at(2, 7), at(2, 17))
    assert trip.pool == province.office and trip.state == TripState.REQUESTED
    with pytest.raises(PermissionDenied):
        services.trip_assign(
            actor=province.specialist.user, trip=trip, vehicle=pool["car"], driver=pool["minh"]
        )
    trip = services.trip_assign(
        actor=province.chief.user, trip=trip, vehicle=pool["car"], driver=pool["minh"]
    )
    assert (trip.state, trip.vehicle, trip.driver) == (TripState.ASSIGNED, pool["car"], pool["minh"])


@pytest.mark.django_db
def test_the_same_car_twice_at_overlapping_times_is_a_conflict(province, pool):
    first = request(province, at(2, 7), at(2, 12))
    services.trip_assign(actor=province.chief.user, trip=first, vehicle=pool["car"], driver=pool["minh"])
    second = request(province, at(2, 11), at(2, 15))
    with pytest.raises(services.Conflict, match="49A-000.01"):
        services.trip_assign(actor=province.chief.user, trip=second, vehicle=pool["car"], driver=pool["hai"])
    # Back-to-back is fine for the car (another driver).
    third = request(province, at(2, 12), at(2, 16))
    services.trip_assign(actor=province.chief.user, trip=third, vehicle=pool["car"], driver=pool["hai"])


@pytest.mark.django_db
def test_a_driver_rests_between_trips(province, pool, settings):
    settings.VANPHONG_DRIVER_REST_MINUTES = 60
    first = request(province, at(3, 7), at(3, 11))
    services.trip_assign(actor=province.chief.user, trip=first, vehicle=pool["car"], driver=pool["minh"])
    close = request(province, at(3, 11, 30), at(3, 14))
    with pytest.raises(services.Conflict, match="nghỉ ít nhất 60 phút"):
        services.trip_assign(actor=province.chief.user, trip=close, vehicle=pool["van"], driver=pool["minh"])
    later = request(province, at(3, 12), at(3, 14))
    services.trip_assign(actor=province.chief.user, trip=later, vehicle=pool["van"], driver=pool["minh"])


@pytest.mark.django_db
def test_seats_licence_and_a_cancelled_trip_frees_the_car(province, pool):
    crowd = request(province, at(4, 7), at(4, 12), passengers=6)
    with pytest.raises(ValidationError, match="không đủ"):
        services.trip_assign(actor=province.chief.user, trip=crowd, vehicle=pool["car"], driver=pool["minh"])
    services.trip_assign(actor=province.chief.user, trip=crowd, vehicle=pool["van"], driver=pool["minh"])
    services.trip_cancel(actor=province.specialist.user, trip=crowd, reason="Hoãn đoàn kiểm tra")
    again = request(province, at(4, 8), at(4, 10), passengers=10)
    services.trip_assign(actor=province.chief.user, trip=again, vehicle=pool["van"], driver=pool["minh"])
    pool["hai"].licence_until = at(4, 0).date()
    pool["hai"].save()
    late = request(province, at(5, 7), at(5, 9))
    with pytest.raises(ValidationError, match="hết hạn"):
        services.trip_assign(actor=province.chief.user, trip=late, vehicle=pool["car"], driver=pool["hai"])


@pytest.mark.django_db
def test_refusal_needs_a_reason_and_bad_requests_are_refused(province, pool):
    trip = request(province, at(2, 7), at(2, 9))
    with pytest.raises(ValidationError):
        services.trip_decide(actor=province.chief.user, trip=trip, approve=False)
    services.trip_decide(actor=province.chief.user, trip=trip, approve=False, reason="Hết xe trong ngày")
    with pytest.raises(ValidationError) as refused:
        request(province, at(2, 9), at(2, 7), passengers=0)
    assert set(refused.value.message_dict) == {"end", "passengers"}
    with pytest.raises(ValidationError, match="đã qua"):
        request(province, at(-2, 7), at(-2, 9))
    with pytest.raises(PermissionDenied):
        request(province, at(2, 7), at(2, 9), organization=province.commune_x)


@pytest.mark.django_db
def test_the_log_is_checked_and_moves_the_odometer(province, pool):
    trip = request(province, at(1, 7), at(1, 17))
    with pytest.raises(ValidationError, match="chưa bắt đầu"):
        services.trip_assign(actor=province.chief.user, trip=trip, vehicle=pool["car"], driver=pool["minh"])
        services.trip_complete(actor=province.chief.user, trip=trip, odometer_start=1200, odometer_end=1285)
    Trip.objects.filter(pk=trip.pk).update(start=at(-1, 7), end=at(-1, 17))  # the day has come and gone
    trip.refresh_from_db()
    with pytest.raises(ValidationError):
        services.trip_complete(actor=province.chief.user, trip=trip, odometer_start=1200, odometer_end=1100)
    trip = services.trip_complete(
        actor=province.chief.user, trip=trip, odometer_start=1200, odometer_end=1285, fuel_litres="7.5"
    )
    assert trip.km == 85 and Vehicle.objects.get(pk=pool["car"].pk).odometer == 1285


@pytest.fixture
def audit_trail_cleared_after(transactional_db):
    yield
    clear_audit_trail()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the row locks being tested are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_assigning_the_same_car_at_once_exactly_one_wins(
    audit_trail_cleared_after, province, pool
):
    trips = [request(province, at(6, 7), at(6, 12)) for _ in range(4)]
    drivers = [pool["minh"], pool["hai"]]
    from vanphong.logistics.models import Driver

    drivers += [
        Driver.objects.create(organization=province.office, full_name=f"Lái xe {n}", licence_class="B")
        for n in range(2)
    ]
    barrier = threading.Barrier(len(trips))
    won: list[int] = []
    lost: list[int] = []
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            services.trip_assign(
                actor=province.chief.user, trip=trips[n], vehicle=pool["car"], driver=drivers[n]
            )
            won.append(n)
        except services.Conflict:
            lost.append(n)
        except BaseException as exc:  # re-raised in the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(len(trips))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert len(won) == 1 and len(lost) == len(trips) - 1
    assert Trip.objects.filter(vehicle=pool["car"], state=TripState.ASSIGNED).count() == 1
