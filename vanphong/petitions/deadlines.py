"""The deadlines of a petition, as data: one ``Rule`` per step and category (FACTS.md §4).

Two ways of counting, decided per rule from the wording of its source:

* ``WORKING`` — the text says "ngày làm việc": counted on the office calendar
  (``WorkCalendar.add_working_days``: weekends, the computed public holidays — Tết, 30/4, 1/5,
  Quốc khánh… — and the office's ``CalendarDay`` rows are skipped). The day of receipt or
  acceptance itself is not counted.
* ``CALENDAR`` — the law says "ngày" only (Luật Khiếu nại 2011, Luật Tố cáo 2018): calendar
  days from the day after the start; a deadline that falls on a day off moves to the next
  working day (Bộ luật Dân sự 2015, Art. 148(5); ``WorkCalendar.next_working_day``).

Steps:

* processing (xử lý đơn: accept, forward, guide or file), counted from receipt;
* resolution (giải quyết), counted from acceptance — or, for a denunciation against a Party
  member or organisation, from receipt (QĐ 30-QĐ/TW, Art. 32).

Kiến nghị and phản ánh have no statutory resolution time in the rules read (FACTS.md §4): no
resolution deadline is set for them (``resolution_rule`` answers None)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from vanphong.petitions.models import Kind
from vanphong.tasks.calendar import WorkCalendar


class Count(StrEnum):
    WORKING = "working"
    CALENDAR = "calendar"


@dataclass(frozen=True)
class Rule:
    days: int
    count: Count
    source: str
    extension_days: int = 0  # each extension, counted the same way
    max_extensions: int = 0  # how many extensions the rule allows (for a complex case)

    def due(self, start: dt.date, calendar: WorkCalendar, *, extensions: int = 0) -> dt.date:
        """The deadline counted from ``start`` with ``extensions`` extensions (at most the
        rule's ``max_extensions``; ValueError beyond)."""
        if not 0 <= extensions <= self.max_extensions:
            raise ValueError(f"at most {self.max_extensions} extensions for this rule")
        total = self.days + extensions * self.extension_days
        if self.count == Count.WORKING:
            return calendar.add_working_days(start, total)
        return calendar.next_working_day(start + dt.timedelta(days=total))


# Processing (xử lý đơn), from receipt.
PROCESSING: dict[str, Rule] = {
    # Luật Khiếu nại 2011, Art. 27 with NĐ 124/2020/NĐ-CP: the decision to accept (thụ lý) or
    # refuse a first complaint within 10 working days of receipt; also QĐ 11-QĐi/TW as amended
    # by KL 215-KL/TW (2025): the secretary answers in writing within 10 working days.
    Kind.KHIEU_NAI: Rule(
        10, Count.WORKING, "Luật Khiếu nại 2011 Đ.27; NĐ 124/2020; QĐ 11-QĐi/TW, KL 215-KL/TW"
    ),
    # Luật Tố cáo 2018, Art. 24: initial handling (register, classify, check) within 7 working
    # days of receipt — stricter than the Party's 10 working days, so it is the one kept.
    Kind.TO_CAO: Rule(7, Count.WORKING, "Luật Tố cáo 2018 Đ.24"),
    # QĐ 11-QĐi/TW as amended by KL 215-KL/TW: within 10 working days of receipt the secretary
    # tells the sender in writing that the matter is accepted, forwarded or directed.
    Kind.KIEN_NGHI: Rule(10, Count.WORKING, "QĐ 11-QĐi/TW, KL 215-KL/TW"),
    Kind.PHAN_ANH: Rule(10, Count.WORKING, "QĐ 11-QĐi/TW, KL 215-KL/TW"),
}

# Resolution (giải quyết) of a first complaint, from acceptance: Luật Khiếu nại 2011, Art. 28
# ("ngày": calendar days). Keyed by (complex, remote_area).
COMPLAINT: dict[tuple[bool, bool], Rule] = {
    (False, False): Rule(30, Count.CALENDAR, "Luật Khiếu nại 2011 Đ.28"),
    (True, False): Rule(45, Count.CALENDAR, "Luật Khiếu nại 2011 Đ.28 (vụ việc phức tạp)"),
    (False, True): Rule(45, Count.CALENDAR, "Luật Khiếu nại 2011 Đ.28 (vùng sâu, vùng xa)"),
    (True, True): Rule(60, Count.CALENDAR, "Luật Khiếu nại 2011 Đ.28 (vùng sâu, vùng xa, phức tạp)"),
}

# Resolution of a denunciation, from acceptance: Luật Tố cáo 2018, Art. 30 — 30 days; a complex
# case may be extended once by up to 30 days, an especially complex one twice (the office
# records the extensions; the second one is its judgement of "especially complex").
DENUNCIATION = Rule(30, Count.CALENDAR, "Luật Tố cáo 2018 Đ.30")
DENUNCIATION_COMPLEX = Rule(
    30, Count.CALENDAR, "Luật Tố cáo 2018 Đ.30 (phức tạp)", extension_days=30, max_extensions=2
)

# A denunciation against a Party member or organisation, from receipt: QĐ 30-QĐ/TW (2016),
# Art. 32 — at most 90 working days at provincial level and below; one extension of at most
# 30 working days.
PARTY_DENUNCIATION = Rule(
    90,
    Count.WORKING,
    "QĐ 30-QĐ/TW Đ.32 (tố cáo đảng viên, tổ chức đảng)",
    extension_days=30,
    max_extensions=1,
)


def processing_rule(kind: str) -> Rule:
    return PROCESSING[kind]


def resolution_rule(
    kind: str, *, complex_case: bool = False, remote_area: bool = False, against_party_member: bool = False
) -> Rule | None:
    if kind == Kind.KHIEU_NAI:
        return COMPLAINT[(bool(complex_case), bool(remote_area))]
    if kind == Kind.TO_CAO:
        if against_party_member:
            return PARTY_DENUNCIATION
        return DENUNCIATION_COMPLEX if complex_case else DENUNCIATION
    return None


def resolution_counts_from_receipt(kind: str, *, against_party_member: bool) -> bool:
    """Whether the resolution time runs from receipt rather than from acceptance."""
    return kind == Kind.TO_CAO and against_party_member


def process_by(kind: str, received: dt.date, calendar: WorkCalendar) -> dt.date:
    return processing_rule(kind).due(received, calendar)


def resolve_by(
    kind: str,
    *,
    received: dt.date,
    accepted: dt.date,
    calendar: WorkCalendar,
    complex_case: bool = False,
    remote_area: bool = False,
    against_party_member: bool = False,
    extensions: int = 0,
) -> dt.date | None:
    rule = resolution_rule(
        kind, complex_case=complex_case, remote_area=remote_area, against_party_member=against_party_member
    )
    if rule is None:
        return None
    start = (
        received
        if resolution_counts_from_receipt(kind, against_party_member=against_party_member)
        else accepted
    )
    return rule.due(start, calendar, extensions=extensions)
