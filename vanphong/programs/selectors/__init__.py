"""Read queries of the programs app, with the access rules applied in SQL: meetings and
rooms (``meetings``), work programmes (``work_programs``), the weekly calendar (``calendar``)."""

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
]
