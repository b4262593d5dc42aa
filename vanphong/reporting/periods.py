"""Reporting periods: the keys that name them (``2026-05``, ``2026-Q2``, ``2026-H1``, ``2026``,
``2026-W19``; ``2026-12-07`` for a day, ``2026-12-07T08`` for a slot of hours; none for a
one-off request), their first and last days, the period before, the same period a year
earlier, and the due date of a period's report.

The due date is day ``due_day`` of the period's last month, clipped to that month's end (31
in February is the 28th, the 29th in a leap year); for a weekly report it is day ``due_day``
(1 = Monday … 7 = Sunday) of the ISO week. A due date falling on a day off moves to the next
working day of the office calendar (``tasks.calendar.WorkCalendar``), as every deadline does.

Rapid situation reporting (a storm, an epidemic) is answered daily or every few hours, and an
emergency report is due when it is due, days off included: the report of a **day** (``Day``)
is due that same day, Saturday, Sunday or holiday; a **slot** (``Slot``) of ``hours`` hours
(1, 2, 3, 4, 6, 8 or 12: the slots of a day start at midnight, every ``hours`` hours) is due
at the slot's end, and the due date of its task is the slot's day. Slots are hours of the
wall clock of ``settings.TIME_ZONE`` (Asia/Ho_Chi_Minh: no daylight saving time, so every
slot lasts exactly its hours; in a zone with a clock change, a slot across it would be an
hour longer or shorter).
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import ClassVar

from django.utils import timezone

from vanphong.tasks.calendar import WorkCalendar

ONCE = "once"
WEEKLY = "weekly"
MONTHLY = "monthly"
QUARTERLY = "quarterly"
HALF_YEARLY = "half_yearly"
YEARLY = "yearly"
DAILY = "daily"
HOURLY = "hourly"
CALENDAR = (WEEKLY, MONTHLY, QUARTERLY, HALF_YEARLY, YEARLY)  # periods of the calendar (``Period``)
RAPID = (DAILY, HOURLY)  # rapid situation reporting (``Day``, ``Slot``)
PERIODIC = (*CALENDAR, *RAPID)
FREQUENCIES = (ONCE, *PERIODIC)
INTERVALS = (1, 2, 3, 4, 6, 8, 12)  # the hours of a slot: a divisor of 24

FIRST_YEAR, LAST_YEAR = 2000, 2100
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

_PATTERNS = {
    WEEKLY: re.compile(r"^(\d{4})-W(\d{2})$"),
    MONTHLY: re.compile(r"^(\d{4})-(\d{2})$"),
    QUARTERLY: re.compile(r"^(\d{4})-Q([1-4])$"),
    HALF_YEARLY: re.compile(r"^(\d{4})-H([12])$"),
    YEARLY: re.compile(r"^(\d{4})$"),
    DAILY: re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"),
    HOURLY: re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2})$"),
}
_EXAMPLES = {
    WEEKLY: "2026-W19 (tuần ISO)",
    MONTHLY: "2026-05",
    QUARTERLY: "2026-Q2",
    HALF_YEARLY: "2026-H1",
    YEARLY: "2026",
    DAILY: "2026-12-07 (năm-tháng-ngày)",
    HOURLY: "2026-12-07T08 (ngày và giờ bắt đầu của lần báo cáo)",
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
        if self.frequency not in CALENDAR:
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


def _in_years(day: dt.date) -> None:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise PeriodError(f"Năm của kỳ báo cáo phải trong khoảng {FIRST_YEAR}–{LAST_YEAR}.")


def _a_year_earlier(day: dt.date) -> dt.date:
    """The same day a year earlier; 29 February compares with the 28th."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def zone() -> dt.tzinfo:
    """The zone of the office's clock (``settings.TIME_ZONE``)."""
    return timezone.get_default_timezone()


def at(day: dt.date, hour: int = 0) -> dt.datetime:
    """``hour`` o'clock of ``day`` on the office's clock (24 is the next midnight)."""
    day, hour = day + dt.timedelta(days=hour // 24), hour % 24
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)), zone())


def end_of_day(day: dt.date) -> dt.datetime:
    """The moment ``day`` ends: a report due that day is late after it."""
    return at(day, 24)


@dataclass(frozen=True, order=True)
class Day:
    """One day of a daily request. Its report is due that same day, weekends and holidays
    included (an emergency does not wait for Monday): the due date is never moved to a
    working day."""

    date: dt.date
    frequency: ClassVar[str] = DAILY

    def __post_init__(self) -> None:
        _in_years(self.date)

    @property
    def key(self) -> str:
        return self.date.isoformat()

    def __str__(self) -> str:
        return self.key

    @property
    def start(self) -> dt.date:
        return self.date

    @property
    def end(self) -> dt.date:
        return self.date

    @property
    def starts_at(self) -> dt.datetime:
        return at(self.date)

    @property
    def ends_at(self) -> dt.datetime:
        """The deadline of the day's report: the next midnight."""
        return end_of_day(self.date)

    @property
    def label(self) -> str:
        return f"Ngày {self.date:%d/%m/%Y}"

    def next(self) -> Day:
        return Day(self.date + dt.timedelta(days=1))

    def previous(self) -> Day:
        return Day(self.date - dt.timedelta(days=1))

    def same_period_last_year(self) -> Day:
        return Day(_a_year_earlier(self.date))

    def due_date(self, *_: object) -> dt.date:
        """The day itself, a day off or not."""
        return self.date


@dataclass(frozen=True, order=True)
class Slot:
    """``hours`` hours of ``date`` from ``hour`` o'clock, one of the slots of a request
    answered every ``hours`` hours (they start at midnight). Its report is due at the slot's
    end; its task is due on the slot's day."""

    date: dt.date
    hour: int
    hours: int
    frequency: ClassVar[str] = HOURLY

    def __post_init__(self) -> None:
        check_interval(self.hours)
        if not 0 <= self.hour < 24:
            raise PeriodError("Giờ bắt đầu của lần báo cáo là từ 00 đến 23.")
        if self.hour % self.hours:
            raise PeriodError(
                f"Báo cáo {self.hours} giờ một lần: giờ bắt đầu là bội số của {self.hours} "
                f"({', '.join(f'{h:02d}' for h in range(0, 24, self.hours))})."
            )
        _in_years(self.date)

    @property
    def key(self) -> str:
        return f"{self.date.isoformat()}T{self.hour:02d}"

    def __str__(self) -> str:
        return self.key

    @property
    def start(self) -> dt.date:
        return self.date

    @property
    def end(self) -> dt.date:
        return self.date

    @property
    def end_hour(self) -> int:
        return self.hour + self.hours

    @property
    def starts_at(self) -> dt.datetime:
        return at(self.date, self.hour)

    @property
    def ends_at(self) -> dt.datetime:
        """The deadline of the slot's report."""
        return at(self.date, self.end_hour)

    @property
    def hours_label(self) -> str:
        """``08:00–10:00`` (the last slot of a day ends at ``24:00``)."""
        return f"{self.hour:02d}:00–{self.end_hour:02d}:00"

    @property
    def label(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.hours_label}"

    def next(self) -> Slot:
        if self.end_hour < 24:
            return Slot(self.date, self.end_hour, self.hours)
        return Slot(self.date + dt.timedelta(days=1), 0, self.hours)

    def previous(self) -> Slot:
        if self.hour:
            return Slot(self.date, self.hour - self.hours, self.hours)
        return Slot(self.date - dt.timedelta(days=1), 24 - self.hours, self.hours)

    def same_period_last_year(self) -> Slot:
        return Slot(_a_year_earlier(self.date), self.hour, self.hours)

    def due_date(self, *_: object) -> dt.date:
        """The slot's day (the task's due date; the report itself is due at ``ends_at``)."""
        return self.date


AnyPeriod = Period | Day | Slot


def check_interval(hours: int | None) -> int:
    """``hours`` when a day divides into slots of it, else ``PeriodError``."""
    if hours not in INTERVALS:
        raise PeriodError(
            "Số giờ mỗi lần báo cáo là "
            + ", ".join(str(h) for h in INTERVALS[:-1])
            + f" hoặc {INTERVALS[-1]} (các lần báo cáo trong ngày bắt đầu từ 0 giờ)."
        )
    assert hours is not None
    return hours


def parse(frequency: str, key: str | None, *, hours: int | None = None) -> AnyPeriod:
    """The period ``key`` names for ``frequency`` (a slot of ``hours`` hours for an hourly
    request); ``PeriodError`` (a Vietnamese message) when it names none."""
    if frequency == ONCE:
        raise PeriodError("Yêu cầu báo cáo một lần không chia kỳ.")
    if frequency not in PERIODIC:
        raise PeriodError("Tần suất báo cáo không hợp lệ: không có kỳ báo cáo.")
    match = _PATTERNS[frequency].match((key or "").strip().upper())
    if match is None:
        raise PeriodError(f"Kỳ báo cáo viết theo dạng {_EXAMPLES[frequency]}.")
    year = int(match.group(1))
    if frequency in RAPID:
        try:
            day = dt.date(year, int(match.group(2)), int(match.group(3)))
        except ValueError:
            raise PeriodError(f"Ngày {(key or '').strip()[:10]} không có trong lịch.") from None
        if frequency == DAILY:
            return Day(day)
        if hours is None:
            raise PeriodError("Báo cáo theo giờ: chưa biết số giờ mỗi lần báo cáo.")
        return Slot(day, int(match.group(4)), hours)
    number = int(match.group(2)) if frequency != YEARLY else 1
    return Period(frequency, year, number)


def slots_of(day: dt.date, hours: int) -> list[Slot]:
    """Every slot of ``day``, from midnight."""
    return [Slot(day, hour, hours) for hour in range(0, 24, check_interval(hours))]


def slot_at(moment: dt.datetime, hours: int) -> Slot:
    """The slot holding ``moment`` (on the office's clock)."""
    local = timezone.localtime(moment, zone())
    return Slot(local.date(), local.hour - local.hour % check_interval(hours), hours)


def period_of(frequency: str, day: dt.date) -> Period:
    """The calendar period of ``frequency`` holding ``day``."""
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


def rapid_at(frequency: str, moment: dt.datetime, hours: int | None = None) -> Day | Slot:
    """The day or the slot holding ``moment``."""
    if frequency == DAILY:
        return Day(timezone.localtime(moment, zone()).date())
    return slot_at(moment, check_interval(hours))


def rapid_first(frequency: str, day: dt.date, hours: int | None = None) -> Day | Slot:
    """The first period of ``day``: the day itself, or its slot from midnight."""
    if frequency == DAILY:
        return Day(day)
    return Slot(day, 0, check_interval(hours))


def example(frequency: str) -> str:
    return _EXAMPLES.get(frequency, "")
