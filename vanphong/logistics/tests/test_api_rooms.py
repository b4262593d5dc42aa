"""/api/v1/room-bookings/: booking (201), clashes with bookings and meetings (409
``conflict``), the fields' checks (400), who may (403) and who sees (404), the list and its
filters, cancelling; simultaneous bookings through the API on PostgreSQL."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from vanphong.api.tests.helpers import assert_error, bearer
from vanphong.logistics.models import BookingState, RoomBooking
from vanphong.logistics.tests.conftest import at
from vanphong.programs import services as programs
from vanphong.programs.models import MeetingKind, Room

URL = "/api/v1/room-bookings/"


@pytest.fixture
def room(province) -> Room:
    return programs.room_create(actor=None, organization=province.office, name="Phòng họp số 3", capacity=12)


def post(client: Any, person: Any, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data, content_type="application/json", **bearer(person.user))


def get(client: Any, person: Any, url: str, params: dict[str, Any] | None = None) -> Any:
    return client.get(url, params or {}, **bearer(person.user))


def body(room: Room, **kwargs: Any) -> dict[str, Any]:
    values = {
        "room": room.pk,
        "start": at(1, 8).isoformat(),
        "end": at(1, 10).isoformat(),
        "title": "Tiếp khách",
    }
    values.update(kwargs)
    return values


def test_book_then_clash_409_and_back_to_back(client, province, room):
    response = post(client, province.specialist, URL, body(room, attendees=10))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["room"] == room.pk and data["organization"] == province.office.pk  # the caller's own
    assert data["state"] == "booked" and data["attendees"] == 10 and data["title"] == "Tiếp khách"
    assert data["booked_by"] == province.specialist.pk

    clash = post(
        client, province.chief, URL, body(room, start=at(1, 9).isoformat(), end=at(1, 11).isoformat())
    )
    error = assert_error(clash, 409, "conflict")
    assert "Tiếp khách" in error["message"] and "room" in error["fields"]

    after = post(
        client, province.chief, URL, body(room, start=at(1, 10).isoformat(), end=at(1, 11).isoformat())
    )
    assert after.status_code == 201
    assert RoomBooking.objects.count() == 2


def test_a_meeting_in_the_room_is_a_409(client, province, room):
    programs.meeting_create(
        actor=province.leader.user,
        organization=province.committee,
        title="Hội nghị Ban Chấp hành",
        kind=MeetingKind.HOI_NGHI_BCH,
        start=at(1, 9),
        end=at(1, 12),
        chair=province.leader,
        room=room,
    )
    error = assert_error(post(client, province.specialist, URL, body(room)), 409, "conflict")
    assert "cuộc họp" in error["message"]
    assert not RoomBooking.objects.exists()


def test_the_meetings_api_refuses_a_booked_room_with_409(client, province, room):
    assert post(client, province.specialist, URL, body(room)).status_code == 201
    response = post(
        client,
        province.leader,
        "/api/v1/meetings/",
        {
            "organization": province.committee.pk,
            "title": "Giao ban",
            "kind": "giao_ban",
            "start": at(1, 9).isoformat(),
            "end": at(1, 11).isoformat(),
            "room": room.pk,
            "chair": province.leader.pk,
        },
    )
    error = assert_error(response, 409, "conflict")
    assert "Tiếp khách" in error["message"]


def test_field_checks_are_400(client, province, room):
    assert_error(post(client, province.specialist, URL, body(room, attendees=13)), 400, "invalid")
    past = body(room, start=at(-1, 8).isoformat(), end=at(-1, 9).isoformat())
    assert "start" in assert_error(post(client, province.specialist, URL, past), 400, "invalid")["fields"]
    backwards = body(room, start=at(1, 10).isoformat(), end=at(1, 8).isoformat())
    assert "end" in assert_error(post(client, province.specialist, URL, backwards), 400, "invalid")["fields"]
    assert (
        "title"
        in assert_error(post(client, province.specialist, URL, body(room, title="")), 400, "invalid")[
            "fields"
        ]
    )


def test_another_committee_gets_404_and_a_foreign_organization_403(client, province, room):
    assert_error(post(client, province.clerk_x, URL, body(room)), 404, "not_found")
    booking = post(client, province.specialist, URL, body(room)).json()
    assert_error(get(client, province.clerk_x, f"{URL}{booking['id']}/"), 404, "not_found")
    assert_error(
        post(client, province.clerk_x, f"{URL}{booking['id']}/cancel/", {"reason": "x"}), 404, "not_found"
    )
    assert get(client, province.clerk_x, URL).json()["results"] == []
    # In the name of an organisation where one does not write (the commune's):
    foreign = body(
        room, organization=province.commune_x.pk, start=at(2, 8).isoformat(), end=at(2, 9).isoformat()
    )
    assert_error(post(client, province.specialist, URL, foreign), 403, "permission_denied")


def test_list_filters(client, province, room):
    other = programs.room_create(actor=None, organization=province.committee, name="Phòng khách Tỉnh ủy")
    post(client, province.specialist, URL, body(room))
    post(client, province.specialist, URL, body(room, start=at(3, 8).isoformat(), end=at(3, 9).isoformat()))
    post(client, province.clerk, URL, body(other, organization=province.committee.pk))
    rows = get(client, province.chief, URL).json()["results"]
    assert len(rows) == 3
    assert len(get(client, province.chief, URL, {"room": room.pk}).json()["results"]) == 2
    window = {"from": at(1, 0).isoformat(), "to": at(2, 0).isoformat()}
    assert len(get(client, province.chief, URL, window).json()["results"]) == 2
    assert len(get(client, province.chief, URL, {**window, "room": other.pk}).json()["results"]) == 1
    assert_error(get(client, province.chief, URL, {"from": "hôm qua"}), 400, "invalid")
    assert_error(get(client, province.chief, URL, {"room": "abc"}), 400, "invalid")


def test_cancel_frees_the_room_and_only_booker_or_keepers_leaders(client, province, room):
    booking = post(client, province.specialist, URL, body(room)).json()
    cancel = f"{URL}{booking['id']}/cancel/"
    assert_error(post(client, province.clerk, cancel, {"reason": "Không dùng"}), 403, "permission_denied")
    assert_error(post(client, province.specialist, cancel, {}), 400, "invalid")
    response = post(client, province.chief, cancel, {"reason": "Phòng sửa chữa"})
    assert response.status_code == 200 and response.json()["state"] == "cancelled"
    assert RoomBooking.objects.get().state == BookingState.CANCELLED
    assert post(client, province.specialist, URL, body(room)).status_code == 201


POSTGRES_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Đặt phòng đồng thời cần PostgreSQL (SQLite trong bộ nhớ không chờ khóa giữa các luồng).",
)
THREADS = 8


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_simultaneous_bookings_through_the_api_exactly_one_wins(province, room):
    people = [province.specialist, province.chief, province.clerk, province.leader]
    headers = [bearer(people[i % len(people)].user) for i in range(THREADS)]
    barrier = threading.Barrier(THREADS)

    def work(i: int) -> tuple[int, str]:
        try:
            barrier.wait(timeout=30)
            response = Client().post(
                URL,
                body(room, start=at(1, 8, i).isoformat(), end=at(1, 10, i).isoformat(), title=f"Lịch {i}"),
                content_type="application/json",
                **headers[i],
            )
            code = response.json().get("error", {}).get("code", "") if response.status_code != 201 else ""
            return response.status_code, code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(work, range(THREADS)))
    assert sorted(s for s, _ in results) == [201] + [409] * (THREADS - 1), results
    assert {c for s, c in results if s == 409} == {"conflict"}
    assert RoomBooking.objects.filter(room=room).count() == 1
