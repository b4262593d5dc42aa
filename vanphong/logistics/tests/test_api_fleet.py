"""The car pool's API: the contract's paths and fields, 404 outside reach, 403 for an action
refused to someone who sees the object, 400 with field errors, 409 ``conflict`` for a car
already out or a driver without their rest (also when two dispatchers assign the same car at
once, on PostgreSQL), and the utilisation figures on known data."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from vanphong.api.tests.helpers import assert_error, bearer
from vanphong.audit.models import AuditEvent
from vanphong.audit.tests.support import clear_audit_trail
from vanphong.logistics.models import Driver, Trip, TripState, Vehicle
from vanphong.logistics.tests.conftest import at

VEHICLES = "/api/v1/vehicles/"
DRIVERS = "/api/v1/drivers/"
TRIPS = "/api/v1/trips/"
UTILISATION = "/api/v1/vehicles/utilisation/"


def get(client, person, url, **params):
    return client.get(url, params, **bearer(person.user))


def post(client, person, url, data):
    return client.post(url, data, content_type="application/json", **bearer(person.user))


def ask(client, province, start, end, passengers=3, person=None, organization=None):
    """A trip requested through the API; its id."""
    data = {
        "organization": (organization or province.committee).pk,
        "purpose": "Kiểm tra công tác xây dựng Đảng",
        "passengers": passengers,
        "from_place": "Trụ sở Tỉnh ủy",
        "to_place": "Xã An Phú",
        "start": start.isoformat(),
        "end": end.isoformat(),
    }
    response = post(client, person or province.specialist, TRIPS, data)
    assert response.status_code == 201, response.content
    return response.json()["id"]


def assign(client, province, trip_id, car, driver, person=None):
    return post(
        client,
        person or province.chief,
        f"{TRIPS}{trip_id}/assign/",
        {"vehicle": car.pk, "driver": driver.pk},
    )


# --- vehicles and drivers -----------------------------------------------------------------


def test_vehicles_are_listed_to_the_pool_and_added_by_leaders(client, province, pool, agency):
    lent = Vehicle.objects.create(organization=agency["organization"], plate="49A-333.33", seats=7)
    Vehicle.objects.create(organization=agency["organization"], plate="49A-444.44", seats=5, shared=False)
    shared = Vehicle.objects.create(organization=province.commune_x, plate="49B-111.11", seats=7)
    own = Vehicle.objects.create(organization=province.commune_x, plate="49B-222.22", seats=5, shared=False)
    body = get(client, province.chief, VEHICLES).json()
    plates = {v["plate"] for v in body["results"]}
    # The pool: the office's cars and an agency's shared one; never an agency's own car, nor a
    # commune's (a committee of its own, with its own cars).
    assert plates == {"49A-000.01", "49A-000.16", lent.plate}
    car = next(v for v in body["results"] if v["plate"] == "49A-000.16")
    assert car["kind"] == "van" and car["seats"] == 16 and car["organization"] == province.office.pk
    assert car["kind_label"] == "Xe 16 chỗ" and car["shared"] is True
    # The commune's văn thư sees the commune's cars only.
    assert {v["plate"] for v in get(client, province.clerk_x, VEHICLES).json()["results"]} == {
        shared.plate,
        own.plate,
    }
    assert_error(get(client, province.clerk_x, f"{VEHICLES}{pool['car'].pk}/"), 404, "not_found")
    assert get(client, province.chief, f"{VEHICLES}{pool['car'].pk}/").json()["plate"] == "49A-000.01"

    data = {"organization": province.office.pk, "plate": "49a-123.45", "seats": 7, "kind": "seven"}
    made = post(client, province.chief, VEHICLES, data)
    assert made.status_code == 201, made.content
    assert made.json()["plate"] == "49A-123.45" and made.json()["kind"] == "seven"
    assert AuditEvent.objects.filter(action="vehicle.save").count() == 1
    # Twice the same plate, a bad plate, a bad kind: 400 with the field.
    error = assert_error(post(client, province.chief, VEHICLES, data), 400, "invalid")
    assert "49A-123.45" in error["fields"]["plate"][0]
    error = assert_error(post(client, province.chief, VEHICLES, {**data, "plate": "ABC"}), 400, "invalid")
    assert "Biển số" in error["fields"]["plate"][0]
    assert (
        "kind"
        in assert_error(post(client, province.chief, VEHICLES, {**data, "kind": "x"}), 400, "invalid")[
            "fields"
        ]
    )
    # A specialist is no leader of the office: 403 with the service's message.
    error = assert_error(
        post(client, province.specialist, VEHICLES, {**data, "plate": "49A-555.55"}), 403, "permission_denied"
    )
    assert "lãnh đạo" in error["message"]
    assert not Vehicle.objects.filter(plate="49A-555.55").exists()


def test_drivers_are_listed_and_added(client, province, pool):
    names = [d["full_name"] for d in get(client, province.chief, DRIVERS).json()["results"]]
    assert names == ["Lê Văn Minh", "Phạm Văn Hải"]
    assert get(client, province.clerk_x, DRIVERS).json()["results"] == []
    assert_error(get(client, province.clerk_x, f"{DRIVERS}{pool['minh'].pk}/"), 404, "not_found")
    data = {
        "organization": province.office.pk,
        "full_name": "Trần  Văn   Nam",
        "licence_class": "C",
        "licence_number": "790123456789",
        "licence_until": "2030-01-31",
        "phone": "0905 111 222",
    }
    made = post(client, province.chief, DRIVERS, data)
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["full_name"] == "Trần Văn Nam" and body["licence_class"] == "C"
    assert body["licence_until"] == "2030-01-31" and body["person"] is None
    # A person of another organisation cannot be the office's driver; bad class.
    error = assert_error(
        post(client, province.chief, DRIVERS, {**data, "person": province.clerk_x.pk}), 400, "invalid"
    )
    assert "person" in error["fields"]
    assert (
        "licence_class"
        in assert_error(
            post(client, province.chief, DRIVERS, {**data, "licence_class": "Z"}), 400, "invalid"
        )["fields"]
    )
    assert_error(post(client, province.specialist, DRIVERS, data), 403, "permission_denied")


# --- trips --------------------------------------------------------------------------------


def test_a_trip_is_requested_decided_assigned_logged(client, province, pool):
    trip_id = ask(client, province, at(1, 7), at(1, 11))
    body = get(client, province.specialist, f"{TRIPS}{trip_id}/").json()
    assert body["state"] == "requested" and body["pool"] == province.office.pk
    assert body["organization"] == province.committee.pk and body["vehicle"] is None
    # The pool sees it; a commune's văn thư does not.
    assert [t["id"] for t in get(client, province.chief, TRIPS).json()["results"]] == [trip_id]
    assert get(client, province.clerk_x, TRIPS).json()["results"] == []
    assert_error(get(client, province.clerk_x, f"{TRIPS}{trip_id}/"), 404, "not_found")
    assert_error(
        post(client, province.clerk_x, f"{TRIPS}{trip_id}/decide/", {"approve": True}), 404, "not_found"
    )

    # Only the office's leaders decide; a refusal needs a reason.
    error = assert_error(
        post(client, province.specialist, f"{TRIPS}{trip_id}/decide/", {"approve": True}),
        403,
        "permission_denied",
    )
    assert "lãnh đạo Văn phòng" in error["message"]
    error = assert_error(
        post(client, province.chief, f"{TRIPS}{trip_id}/decide/", {"approve": False}), 400, "invalid"
    )
    assert "reason" in error["fields"]
    decided = post(client, province.chief, f"{TRIPS}{trip_id}/decide/", {"approve": True})
    assert decided.status_code == 200 and decided.json()["state"] == "approved"

    assert_error(
        assign(client, province, trip_id, pool["car"], pool["minh"], province.specialist),
        403,
        "permission_denied",
    )
    assigned = assign(client, province, trip_id, pool["car"], pool["minh"])
    assert assigned.status_code == 200, assigned.content
    body = assigned.json()
    assert (body["state"], body["vehicle_plate"], body["driver_name"]) == (
        "assigned",
        "49A-000.01",
        "Lê Văn Minh",
    )

    # The log: not before the trip has begun; then it moves the car's odometer.
    error = assert_error(
        post(
            client,
            province.chief,
            f"{TRIPS}{trip_id}/complete/",
            {"odometer_start": 1000, "odometer_end": 1040},
        ),
        400,
        "invalid",
    )
    assert "state" in error["fields"]
    Trip.objects.filter(pk=trip_id).update(start=at(-1, 7), end=at(-1, 11))
    error = assert_error(
        post(
            client,
            province.chief,
            f"{TRIPS}{trip_id}/complete/",
            {"odometer_start": 1000, "odometer_end": 900},
        ),
        400,
        "invalid",
    )
    assert "odometer_end" in error["fields"]
    done = post(
        client,
        province.chief,
        f"{TRIPS}{trip_id}/complete/",
        {"odometer_start": 1000, "odometer_end": 1042, "fuel_litres": "4.5"},
    )
    assert done.status_code == 200, done.content
    assert (done.json()["state"], done.json()["km"], done.json()["fuel_litres"]) == ("completed", 42, 4.5)
    assert Vehicle.objects.get(pk=pool["car"].pk).odometer == 1042
    # Filters: state and day of departure.
    assert [t["id"] for t in get(client, province.chief, TRIPS, state="completed").json()["results"]] == [
        trip_id
    ]
    assert get(client, province.chief, TRIPS, state="requested").json()["results"] == []
    day = at(-1, 0).date().isoformat()
    assert len(get(client, province.chief, TRIPS, **{"from": day, "to": day}).json()["results"]) == 1
    assert get(client, province.chief, TRIPS, **{"from": at(0, 0).date().isoformat()}).json()["results"] == []
    assert "state" in assert_error(get(client, province.chief, TRIPS, state="x"), 400, "invalid")["fields"]
    assert (
        "from"
        in assert_error(get(client, province.chief, TRIPS, **{"from": "13/12"}), 400, "invalid")["fields"]
    )


def test_bad_requests_answer_400_with_their_fields(client, province, pool):
    data = {
        "organization": province.committee.pk,
        "purpose": "  ",
        "passengers": 0,
        "from_place": "A",
        "to_place": "B",
        "start": at(1, 11).isoformat(),
        "end": at(1, 7).isoformat(),
    }
    error = assert_error(post(client, province.specialist, TRIPS, data), 400, "invalid")
    assert {"purpose", "passengers"} <= set(error["fields"])
    error = assert_error(
        post(client, province.specialist, TRIPS, {**data, "purpose": "Họp", "passengers": 2}), 400, "invalid"
    )
    assert error["fields"] == {"end": ["Giờ về phải sau giờ đi."]}
    # The commune's văn thư cannot ask for a car on behalf of the Tỉnh ủy.
    ok = {
        **data,
        "purpose": "Họp",
        "passengers": 2,
        "start": at(1, 7).isoformat(),
        "end": at(1, 9).isoformat(),
    }
    assert_error(post(client, province.clerk_x, TRIPS, ok), 403, "permission_denied")
    assert not Trip.objects.exists()


def test_a_car_already_out_and_a_driver_without_rest_answer_409(client, province, pool, settings):
    settings.VANPHONG_DRIVER_REST_MINUTES = 60
    first = ask(client, province, at(2, 7), at(2, 11))
    assert assign(client, province, first, pool["car"], pool["minh"]).status_code == 200
    clash = ask(client, province, at(2, 10), at(2, 12))
    error = assert_error(assign(client, province, clash, pool["car"], pool["hai"]), 409, "conflict")
    assert "49A-000.01" in error["message"] and "vehicle" in error["fields"]
    assert Trip.objects.get(pk=clash).state == TripState.REQUESTED
    # Minh returns at 11:00; a trip of his at 11:30 leaves him no hour of rest.
    tired = ask(client, province, at(2, 11, 30), at(2, 14))
    error = assert_error(assign(client, province, tired, pool["van"], pool["minh"]), 409, "conflict")
    assert "Lê Văn Minh" in error["message"] and "60 phút" in error["message"]
    assert "driver" in error["fields"]
    # With another driver the van goes; Minh drives again after his rest.
    assert assign(client, province, tired, pool["van"], pool["hai"]).status_code == 200
    later = ask(client, province, at(2, 12), at(2, 13))
    assert assign(client, province, later, pool["car"], pool["minh"]).status_code == 200
    # Cancelling the first trip frees the car for the clashing one.
    assert_error(post(client, province.chief, f"{TRIPS}{first}/cancel/", {"reason": ""}), 400, "invalid")
    cancelled = post(
        client, province.specialist, f"{TRIPS}{first}/cancel/", {"reason": "Hoãn chuyến công tác"}
    )
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    assert cancelled.json()["reason"] == "Hoãn chuyến công tác"
    assert (
        assign(client, province, clash, pool["car"], pool["hai"]).status_code == 409
    )  # Hải drives the van till 14:00
    assert (
        assign(
            client,
            province,
            clash,
            pool["car"],
            Driver.objects.create(organization=province.office, full_name="Võ Văn Tâm", licence_class="B"),
        ).status_code
        == 200
    )
    # An unknown car: 400 on the field, not 500.
    error = assert_error(
        post(
            client, province.chief, f"{TRIPS}{later}/assign/", {"vehicle": 999999, "driver": pool["hai"].pk}
        ),
        400,
        "invalid",
    )
    assert "vehicle" in error["fields"]


# --- utilisation --------------------------------------------------------------------------


def test_utilisation_on_known_data(client, province, pool):
    idle = Vehicle.objects.create(organization=province.office, plate="49A-999.99", seats=7)
    one = ask(client, province, at(1, 7), at(1, 11))  # 4 h, car, Minh
    two = ask(client, province, at(1, 13), at(1, 17, 30))  # 4.5 h, car, Hải
    three = ask(client, province, at(2, 7), at(2, 9), passengers=10)  # 2 h, van, Minh
    for trip_id, car, driver in ((one, "car", "minh"), (two, "car", "hai"), (three, "van", "minh")):
        assert assign(client, province, trip_id, pool[car], pool[driver]).status_code == 200
    refused_idle = ask(client, province, at(1, 8), at(1, 10))  # the van and the 7-seater were free
    refused_full = ask(client, province, at(2, 7, 30), at(2, 8, 30), passengers=12)  # the van was out
    for trip_id in (refused_idle, refused_full):
        refused = post(
            client, province.chief, f"{TRIPS}{trip_id}/decide/", {"approve": False, "reason": "Hết xe"}
        )
        assert refused.json()["state"] == "refused"
    Trip.objects.filter(pk=one).update(start=at(-2, 7), end=at(-2, 11))
    logged = post(
        client, province.chief, f"{TRIPS}{one}/complete/", {"odometer_start": 1000, "odometer_end": 1080}
    )
    assert logged.status_code == 200

    span = {"from": at(-5, 0).date().isoformat(), "to": at(5, 0).date().isoformat()}
    response = get(client, province.chief, UTILISATION, **span)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["from"], body["to"], body["pool"]) == (span["from"], span["to"], province.office.pk)
    assert body["vehicles"] == [
        {"id": pool["car"].pk, "plate": "49A-000.01", "trips": 2, "hours": 8.5, "km": 80},
        {"id": pool["van"].pk, "plate": "49A-000.16", "trips": 1, "hours": 2.0, "km": 0},
    ]
    assert {d["full_name"]: (d["trips"], d["hours"]) for d in body["drivers"]} == {
        "Lê Văn Minh": (2, 6.0),
        "Phạm Văn Hải": (1, 4.5),
    }
    assert body["agencies"] == [
        {"id": province.committee.pk, "name": "Tỉnh ủy", "trips": 3, "hours": 10.5, "km": 80}
    ]
    assert (body["refused"], body["refused_while_idle"]) == (2, 1)
    assert body["idle_vehicles"] == [idle.plate]
    # The pool named explicitly answers the same; a day with nothing answers zeros.
    assert get(client, province.chief, UTILISATION, pool=province.office.pk, **span).json() == body
    empty = get(
        client,
        province.chief,
        UTILISATION,
        **{"from": at(10, 0).date().isoformat(), "to": at(12, 0).date().isoformat()},
    ).json()
    assert empty["vehicles"] == [] and empty["refused"] == 0 and len(empty["idle_vehicles"]) == 3
    # The specialist of the office reads the office's figures too (its organisation's pool).
    assert get(client, province.specialist, UTILISATION, **span).json()["vehicles"] == body["vehicles"]


def test_utilisation_defaults_refusals_and_bad_input(client, province, pool):
    body = get(client, province.chief, UTILISATION).json()
    assert body["from"].endswith("-01") and body["from"][:7] == body["to"][:7]  # this month
    # A commune's văn thư does not read the office (404); by default they get their own
    # commune's figures (a committee of its own: its own pool).
    own_pool = get(client, province.clerk_x, UTILISATION)
    assert own_pool.status_code == 200 and own_pool.json()["pool"] == province.commune_x.pk
    assert_error(get(client, province.clerk_x, UTILISATION, pool=province.office.pk), 404, "not_found")
    assert_error(get(client, province.chief, UTILISATION, pool=999999), 404, "not_found")
    assert (
        "pool" in assert_error(get(client, province.chief, UTILISATION, pool="x"), 400, "invalid")["fields"]
    )
    assert (
        "from"
        in assert_error(get(client, province.chief, UTILISATION, **{"from": "2026-13-01"}), 400, "invalid")[
            "fields"
        ]
    )
    error = assert_error(
        get(client, province.chief, UTILISATION, **{"from": "2026-03-02", "to": "2026-03-01"}), 400, "invalid"
    )
    assert "to" in error["fields"]
    error = assert_error(
        get(client, province.chief, UTILISATION, **{"from": "2024-01-01", "to": "2026-01-01"}), 400, "invalid"
    )
    assert "366" in error["fields"]["to"][0]


# --- two dispatchers at once (PostgreSQL) -------------------------------------------------


@pytest.fixture
def audit_trail_cleared_after(transactional_db):
    yield
    clear_audit_trail()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the row locks being tested are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_assigning_the_same_car_at_once_through_the_api(
    audit_trail_cleared_after, province, pool
):
    setup = Client()
    trips = [ask(setup, province, at(6, 7), at(6, 12)) for _ in range(2)]
    drivers = [pool["minh"], pool["hai"]]
    headers = [bearer(province.chief.user) for _ in trips]
    barrier = threading.Barrier(len(trips))
    statuses: dict[int, int] = {}
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            client = Client()
            barrier.wait(timeout=30)
            response = client.post(
                f"{TRIPS}{trips[n]}/assign/",
                {"vehicle": pool["car"].pk, "driver": drivers[n].pk},
                content_type="application/json",
                **headers[n],
            )
            statuses[n] = response.status_code
            if response.status_code == 409:
                assert response.json()["error"]["code"] == "conflict"
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
    assert sorted(statuses.values()) == [200, 409]
    assert Trip.objects.filter(vehicle=pool["car"], state=TripState.ASSIGNED).count() == 1
