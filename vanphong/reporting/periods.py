"""Reporting periods: the keys that name them (``2026-05``, ``2026-Q2``, ``2026-H1``, ``2026``,
``2026-W19``; none for a one-off request), their first and last days, the period before, the
same period a year earlier, and the due date of a period's report.

The due date is day ``due_day`` of the period's last month, clipped to that month's end (31
in February is the 28th, the 29th in a leap year); for a weekly report it is day ``due_day``
(1 = Monday … 7 = Sunday) of the ISO week. A due date falling on a day off moves to the next
working day of the office calendar (``tasks.calendar.WorkCalendar``), as every deadline does.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import re
from dataclasses import dataclass

from vanphong.tasks.calendar import WorkCalendar

ONCE = "once"
WEEKLY = "weekly"
MONTHLY = "monthly"
QUARTERLY = "quarterly"
HALF_YEARLY = "half_yearly"
YEARLY = "yearly"
FREQUENCIES = (ONCE, WEEKLY, MONTHLY, QUARTERLY, HALF_YEARLY, YEARLY)
PERIODIC = FREQUENCIES[1:]

FIRST_YEAR, LAST_YEAR = 2000, 2100
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

_PATTERNS = {
    WEEKLY: re.compile(r"^(\d{4})-W(\d{2})$"),
    MONTHLY: re.compile(r"^(\d{4})-(\d{2})$"),
    QUARTERLY: re.compile(r"^(\d{4})-Q([1-4])$"),
    HALF_YEARLY: re.compile(r"^(\d{4})-H([12])$"),
    YEARLY: re.compile(r"^(\d{4})$"),
}
_EXAMPLES = {
    WEEKLY: "2026-W19 (tuần ISO)",
    MONTHLY: "2026-05",
    QUARTERLY: "2026-Q2",
    HALF_YEARLY: "2026-H1",
    YEARLY: "2026",
}


class PeriodError(ValueError):
    """A period key that does not name a period of the frequency; the message is for the user."""


def weeks_in(year: int) -> int:
    """52 or 53: the ISO week of 28 December is the year's last."""
    return dt.date(year, 12, 28).isocalendar().week


def _count(frequency: str, year: int) -> int:
    return {WEEKLY: weeks_in(year), MONTHLY: 12, QUARTERLY: 4, HALF_YEARLY: 2, YEARLY: 1}[frequency]


@dataclass(frozen=True, order=True)
class Period:
    """One period of a periodic request: ``number`` is the week, month, quarter or half of
    ``year`` (1 for a year)."""

    frequency: str
    year: int
    number: int

    def __post_init__(self) -> None:
        if self.frequency not in PERIODIC:
            raise PeriodError("Tần suất báo cáo không hợp lệ.")
        if not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise PeriodError(f"Năm của kỳ báo cáo phải trong khoảng {FIRST_YEAR}–{LAST_YEAR}.")
        if not 1 <= self.number <= _count(self.frequency, self.year):
            raise PeriodError("Kỳ báo cáo không có trong năm.")

    @property
    def key(self) -> str:
        if self.frequency == WEEKLY:
            return f"{self.year}-W{self.number:02d}"
        if self.frequency == MONTHLY:
            return f"{self.year}-{self.number:02d}"
        if self.frequency == QUARTERLY:
            return f"{self.year}-Q{self.number}"
        if self.frequency == HALF_YEARLY:
            return f"{self.year}-H{self.number}"
        return f"{self.year}"

    def __str__(self) -> str:
        return self.key

    @property
    def start(self) -> dt.date:
        if self.frequency == WEEKLY:
            return dt.date.fromisocalendar(self.year, self.number, 1)
        return dt.date(self.year, self._first_month, 1)

    @property
    def end(self) -> dt.date:
        if self.frequency == WEEKLY:
            return dt.date.fromisocalendar(self.year, self.number, 7)
        month = self.last_month
        return dt.date(self.year, month, _calendar.monthrange(self.year, month)[1])

    @property
    def _months(self) -> int:
        return {MONTHLY: 1, QUARTERLY: 3, HALF_YEARLY: 6, YEARLY: 12}[self.frequency]

    @property
    def _first_month(self) -> int:
        return (self.number - 1) * self._months + 1

    @property
    def last_month(self) -> int:
        """The month holding the due day (for a week: the month of its Sunday)."""
        if self.frequency == WEEKLY:
            return self.end.month
        return self.number * self._months

    @property
    def label(self) -> str:
        """The period as a Vietnamese report names it."""
        if self.frequency == WEEKLY:
            return f"Tuần {self.number}/{self.year} ({self.start:%d/%m}–{self.end:%d/%m/%Y})"
        if self.frequency == MONTHLY:
            return f"Tháng {self.number:02d}/{self.year}"
        if self.frequency == QUARTERLY:
            return f"Quý {ROMAN[self.number]}/{self.year}"
        if self.frequency == HALF_YEARLY:
            return f"6 tháng {'đầu' if self.number == 1 else 'cuối'} năm {self.year}"
        return f"Năm {self.year}"

    def next(self) -> Period:
        if self.number < _count(self.frequency, self.year):
            return Period(self.frequency, self.year, self.number + 1)
        return Period(self.frequency, self.year + 1, 1)

    def previous(self) -> Period:
        if self.number > 1:
            return Period(self.frequency, self.year, self.number - 1)
        return Period(self.frequency, self.year - 1, _count(self.frequency, self.year - 1))

    def same_period_last_year(self) -> Period:
        """The same week (week 53 of a long year compares with week 52), month, quarter or
        half a year earlier."""
        year = self.year - 1
        return Period(self.frequency, year, min(self.number, _count(self.frequency, year)))

    def nominal_due(self, due_day: int) -> dt.date:
        """Day ``due_day`` of the last month (clipped to its end), or of the ISO week."""
        if self.frequency == WEEKLY:
            if not 1 <= due_day <= 7:
                raise PeriodError(
                    "Hạn nộp báo cáo tuần là một ngày trong tuần, từ 1 (thứ Hai) đến 7 (Chủ nhật)."
                )
            return dt.date.fromisocalendar(self.year, self.number, due_day)
        if not 1 <= due_day <= 31:
            raise PeriodError("Ngày hạn nộp phải từ 1 đến 31.")
        month = self.last_month
        return dt.date(self.year, month, min(due_day, _calendar.monthrange(self.year, month)[1]))

    def due_date(self, due_day: int, calendar: WorkCalendar | None = None) -> dt.date:
        """The nominal due date moved to the next working day when it falls on a day off."""
        return (calendar or WorkCalendar.load()).next_working_day(self.nominal_due(due_day))


def parse(frequency: str, key: str | None) -> Period:
    """The period ``key`` names for ``frequency``; ``PeriodError`` (a Vietnamese message) when
    it names none."""
    if frequency not in PERIODIC:
        raise PeriodError("Yêu cầu báo cáo một lần không chia kỳ.")
    match = _PATTERNS[frequency].match((key or "").strip().upper())
    if match is None:
        raise PeriodError(f"Kỳ báo cáo viết theo dạng {_EXAMPLES[frequency]}.")
    year = int(match.group(1))
    number = int(match.group(2)) if frequency != YEARLY else 1
    return Period(frequency, year, number)


def period_of(frequency: str, day: dt.date) -> Period:
    """The period of ``frequency`` holding ``day``."""
    if frequency == WEEKLY:
        iso = day.isocalendar()
        return Period(WEEKLY, iso.year, iso.week)
    months = {MONTHLY: 1, QUARTERLY: 3, HALF_YEARLY: 6, YEARLY: 12}[frequency]
    return Period(frequency, day.year, (day.month - 1) // months + 1)


def open_periods(
    frequency: str, due_day: int, today: dt.date, calendar: WorkCalendar, *, count: int = 2
) -> list[Period]:
    """The first ``count`` periods whose report is not yet due by ``today``: the current one
    (unless its due date has passed) and the ones after it."""
    period = period_of(frequency, today)
    while period.due_date(due_day, calendar) < today:
        period = period.next()
    found = [period]
    while len(found) < count:
        found.append(found[-1].next())
    return found


def example(frequency: str) -> str:
    return _EXAMPLES.get(frequency, "")
