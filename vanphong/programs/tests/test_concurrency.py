"""Simultaneous bookings of one room: exactly one wins, the others are refused (409 through
the API). Each thread has its own database connection, as concurrent requests would."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from vanphong.api.tests.helpers import bearer
from vanphong.programs.models import Meeting
from vanphong.programs.tests.conftest import at

POSTGRES_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=(
        "Kiểm tra đặt phòng đồng thời cần PostgreSQL (SQLite trong bộ nhớ không chờ khóa giữa các luồng)."
    ),
)

THREADS = 8


def _in_threads(count: int, work: Any) -> list[Any]:
    barrier = threading.Barrier(count)

    def run(i: int) -> Any:
        try:
            barrier.wait(timeout=30)
            return work(i)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_of_simultaneous_bookings_of_one_room_exactly_one_wins(province, rooms):
    room = rooms[0]
    headers = [bearer(p.user) for p in (province.leader, province.chief) for _ in range(THREADS // 2)]

    def work(i: int) -> tuple[int, str]:
        response = Client().post(
            "/api/v1/meetings/",
            {
                "organization": province.committee.pk,
                "title": f"Cuộc họp {i}",
                "kind": "giao_ban",
                # Each overlaps every other one: they all want the room around 9:00.
                "start": at(1, 8, i).isoformat(),
                "end": at(1, 10, i).isoformat(),
                "room": room.pk,
                "chair": province.leader.pk,
                "participants": [province.specialist.pk],
            },
            content_type="application/json",
            **headers[i],
        )
        code = response.json().get("error", {}).get("code", "") if response.status_code != 201 else ""
        return response.status_code, code

    results = _in_threads(THREADS, work)
    assert sorted(status for status, _code in results) == [201] + [409] * (THREADS - 1)
    assert {code for status, code in results if status == 409} == {"conflict"}
    assert Meeting.objects.filter(room=room).count() == 1
