"""Meetings of the test province (root conftest.py): the Văn phòng keeps two rooms."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from vanphong.programs import services
from vanphong.programs.models import MeetingKind, Room


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def rooms(province) -> tuple[Room, Room]:
    return (
        services.room_create(actor=None, organization=province.office, name="Phòng họp số 1", capacity=40),
        services.room_create(actor=None, organization=province.office, name="Hội trường lớn", capacity=300),
    )


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """``hour``:``minute`` local time, ``day`` days from today."""
    base = timezone.localdate() + dt.timedelta(days=day)
    return timezone.make_aware(dt.datetime.combine(base, dt.time(hour, minute)))


def book(province: Any, **kwargs: Any) -> services.Booked:
    """A meeting of the Tỉnh ủy tomorrow 8:00–10:00, entered by the leader, who chairs it."""
    values: dict[str, Any] = {
        "actor": province.leader.user,
        "organization": province.committee,
        "title": "Họp Ban Thường vụ thường kỳ",
        "kind": MeetingKind.HOP_BAN_THUONG_VU,
        "start": at(1, 8),
        "end": at(1, 10),
        "chair": province.leader,
        "participants": [province.chief, province.specialist],
        "place": "Trụ sở Tỉnh ủy",
    }
    values.update(kwargs)
    return services.meeting_create(**values)
