"""Working days: the ordinary week (weekend days are a setting, Saturday and Sunday by
default), less the public holidays computed for every year (``public_holidays``: 1/1, Tết,
Giỗ Tổ, 30/4, 1/5, Quốc khánh), corrected by the ``CalendarDay`` rows the office keeps — the
Government's yearly decisions: bridges, days off in lieu, the weekend days worked in exchange.
A row wins over a computed holiday (a ``working`` row on a computed holiday makes it worked).

A deadline that falls on a day off moves to the next working day (Bộ luật Dân sự 2015,
Art. 148(5)): that is the task's ``effective_due``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings

from vanphong.tasks.models import CalendarDay, DayKind
from vanphong.tasks.public_holidays import public_holiday_dates

ONE_DAY = dt.timedelta(days=1)
# A run of days off longer than this means a misconfigured calendar (every day a holiday).
MAX_DAYS_OFF_IN_A_ROW = 60


def weekend_days() -> frozenset[int]:
    """Weekday numbers (Monday 0 … Sunday 6) that are not worked, from the settings."""
    return frozenset(settings.VANPHONG_WEEKEND_DAYS)


@dataclass(frozen=True)
class WorkCalendar:
    weekend: frozenset[int] = frozenset({5, 6})
    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    working: frozenset[dt.date] = field(default_factory=frozenset)  # weekend days worked
    computed: bool = False  # also the public holidays computed for every year

    @classmethod
    def load(cls) -> WorkCalendar:
        """The calendar as the database holds it now (a few rows a year), with the computed
        public holidays."""
        holidays: set[dt.date] = set()
        working: set[dt.date] = set()
        for day, kind in CalendarDay.objects.values_list("date", "kind"):
            (holidays if kind == DayKind.HOLIDAY else working).add(day)
        return cls(
            weekend=weekend_days(), holidays=frozenset(holidays), working=frozenset(working), computed=True
        )

    @classmethod
    def of(
        cls,
        *,
        weekend: Iterable[int] = (5, 6),
        holidays: Iterable[dt.date] = (),
        working: Iterable[dt.date] = (),
        computed: bool = False,
    ) -> WorkCalendar:
        return cls(
            weekend=frozenset(weekend),
            holidays=frozenset(holidays),
            working=frozenset(working),
            computed=computed,
        )

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.holidays:
            return False
        if day in self.working:
            return True
        if self.computed and day in public_holiday_dates(day.year):
            return False
        return day.weekday() not in self.weekend

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself when it is worked, else the first working day after it."""
        for _ in range(MAX_DAYS_OFF_IN_A_ROW):
            if self.is_working_day(day):
                return day
            day += ONE_DAY
        raise ValueError(f"no working day within {MAX_DAYS_OFF_IN_A_ROW} days of {day}: check the calendar")

    def effective_due(self, due: dt.date | None) -> dt.date | None:
        return None if due is None else self.next_working_day(due)

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``day`` (``day`` itself, moved to a working day,
        when ``count`` is 0). Negative counts go back."""
        if count == 0:
            return self.next_working_day(day)
        step = ONE_DAY if count > 0 else -ONE_DAY
        remaining = abs(count)
        guard = remaining * 7 + MAX_DAYS_OFF_IN_A_ROW * 2
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
            guard -= 1
            if guard < 0:
                raise ValueError("too many days off in a row: check the calendar")
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative when ``end``
        comes first): how many working days late a task due on ``start`` is on ``end``."""
        if end == start:
            return 0
        sign = 1 if end > start else -1
        low, high = (start, end) if sign > 0 else (end, start)
        count, day = 0, low + ONE_DAY
        while day <= high:
            count += self.is_working_day(day)
            day += ONE_DAY
        return sign * count


def due_soon_until(calendar: WorkCalendar, today: dt.date) -> dt.date:
    """The last due date counted as "sắp đến hạn" on ``today``: the end of the window of
    ``VANPHONG_TASK_DUE_SOON_DAYS`` working days starting today."""
    return calendar.add_working_days(today, settings.VANPHONG_TASK_DUE_SOON_DAYS)
