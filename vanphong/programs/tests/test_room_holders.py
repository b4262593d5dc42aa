"""The meetings' room lock asks the other holders registered by apps programs may not import
(``register_room_holder``): a meeting in a room they hold is refused with ``RoomConflict``."""

from __future__ import annotations

import pytest

from vanphong.programs.models import Meeting
from vanphong.programs.services import meetings
from vanphong.programs.tests.conftest import at, book


@pytest.fixture
def holders(monkeypatch):
    """An empty registry for the test, put back afterwards."""
    registry: list = []
    monkeypatch.setattr(meetings, "_room_holders", registry)
    return registry


def test_a_registered_holder_refuses_the_meeting_with_its_description(province, rooms, holders):
    calls = []

    def holder(room, start, end, exclude_booking_id=None):
        calls.append((room.pk, start, end))
        return "“Tập huấn nghiệp vụ” của Văn phòng, 08:00–09:00" if start < at(1, 9) else None

    assert meetings.register_room_holder(holder) is holder
    meetings.register_room_holder(holder)  # twice: asked once
    assert holders == [holder]

    with pytest.raises(meetings.RoomConflict) as refused:
        book(province, room=rooms[0], place="")
    assert "Tập huấn nghiệp vụ" in refused.value.message_dict["room"][0]
    assert Meeting.objects.count() == 0
    assert calls == [(rooms[0].pk, at(1, 8), at(1, 10))]

    booked = book(province, room=rooms[0], place="", start=at(1, 9), end=at(1, 11))
    assert booked.meeting.room == rooms[0]


def test_the_holder_is_asked_when_a_meeting_moves_into_the_room(province, rooms, holders):
    meetings.register_room_holder(
        lambda room, start, end, exclude_booking_id=None: "giữ" if room == rooms[1] else None
    )
    meeting = book(province, room=rooms[0], place="").meeting
    with pytest.raises(meetings.RoomConflict):
        meetings.meeting_update(actor=province.leader.user, meeting=meeting, room=rooms[1])
    meeting.refresh_from_db()
    assert meeting.room == rooms[0]


def test_meetings_own_clash_is_found_first_and_holders_not_needed(province, rooms, holders):
    meetings.register_room_holder(lambda room, start, end, exclude_booking_id=None: None)
    book(province, room=rooms[0], place="")
    with pytest.raises(meetings.RoomConflict) as refused:
        book(province, room=rooms[0], place="", title="Giao ban")
    assert "cuộc họp" in refused.value.message_dict["room"][0]
