"""Read queries of the programs app, with the access rules applied in SQL: meetings and
rooms (``meetings``), work programmes (``work_programs``), the weekly calendar (``calendar``)."""

from vanphong.programs.selectors.calendar import (
    calendar_events,
    calendar_organizations,
    events_visible_to,
    feed_events,
    feed_ical,
    home_organization,
    live_feeds,
    may_approve,
    may_compose,
    may_read_calendar,
    week_events,
    week_of,
    weeks_visible_to,
)
from vanphong.programs.selectors.meetings import (
    agenda_with_pack,
    may_manage,
    may_organize,
    meeting_detail,
    meeting_list,
    meeting_visibility_q,
    meetings_visible_to,
    pack_document,
    rooms_visible_to,
)

__all__ = [
    "agenda_with_pack",
    "may_manage",
    "may_organize",
    "meeting_detail",
    "meeting_list",
    "meeting_visibility_q",
    "meetings_visible_to",
    "pack_document",
    "rooms_visible_to",
    "calendar_events",
    "calendar_organizations",
    "events_visible_to",
    "feed_events",
    "feed_ical",
    "home_organization",
    "live_feeds",
    "may_approve",
    "may_compose",
    "may_read_calendar",
    "week_events",
    "week_of",
    "weeks_visible_to",
]
