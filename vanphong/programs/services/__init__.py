"""Every change in the programs app, as plain functions taking explicit arguments: meetings
and rooms (``meetings``), work programmes (``work_programs``), the weekly calendar
(``calendar``)."""

from vanphong.programs.services.calendar import (
    event_add,
    event_cancel,
    event_update,
    feed_by_token,
    feed_for,
    feed_revoke,
    feed_token,
    week_approve,
    week_compose,
    week_get_or_create,
    week_publish,
)
from vanphong.programs.services.meetings import (
    Booked,
    RoomConflict,
    agenda_item_add,
    attendance_set,
    conclusion_add,
    meeting_cancel,
    meeting_create,
    meeting_update,
    minutes_record,
    notice_draft,
    participant_warnings,
    room_create,
    room_set_active,
)

__all__ = [
    "Booked",
    "RoomConflict",
    "agenda_item_add",
    "attendance_set",
    "conclusion_add",
    "meeting_cancel",
    "meeting_create",
    "meeting_update",
    "minutes_record",
    "notice_draft",
    "participant_warnings",
    "room_create",
    "room_set_active",
    "event_add",
    "event_cancel",
    "event_update",
    "feed_by_token",
    "feed_for",
    "feed_revoke",
    "feed_token",
    "week_approve",
    "week_compose",
    "week_get_or_create",
    "week_publish",
]
