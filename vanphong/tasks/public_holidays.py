"""The public holidays that the law fixes, computed for any year (Bộ luật Lao động 2019,
Art. 112(1)): Tết Dương lịch 1/1; Tết Nguyên đán, 5 days (here the last day of the lunar year
and the first four of the new one); Giỗ Tổ Hùng Vương, 10/3 âm lịch; Ngày Chiến thắng 30/4;
Quốc tế Lao động 1/5; Quốc khánh 2/9 and one day next to it.

A holiday that falls on the weekly rest day (Saturday or Sunday for the Party's and the
State's offices) gives a day off in lieu on the next working day (Art. 111(3)); those are
computed too. The Prime Minister fixes the actual days of Tết and of the Quốc khánh's second
day every year (Art. 112(3)) and announces the bridges and the Saturdays worked in exchange:
the office enters those as ``CalendarDay`` rows, which win over what is computed here.

The lunar dates come from ``lunar_vn`` (Hồ Ngọc Đức's algorithm, for the UTC+7 meridian: the
Vietnamese calendar, which differs from the Chinese one in some years, e.g. Tết 1985 and 2007).
Each year is computed once per process."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from lunar_vn import convert_lunar_to_solar

VIETNAM_UTC_OFFSET = 7.0
ONE_DAY = dt.timedelta(days=1)
WEEKLY_REST = frozenset({5, 6})  # Saturday and Sunday: the offices' weekly rest days


@dataclass(frozen=True)
class PublicHoliday:
    date: dt.date
    name: str


def lunar_new_year(year: int) -> dt.date:
    """Mùng 1 Tết of the lunar year that begins in ``year`` (raises ValueError outside the
    library's range, 1900–2100)."""
    return convert_lunar_to_solar(1, 1, year, 0, VIETNAM_UTC_OFFSET)


def hung_kings_day(year: int) -> dt.date:
    """Giỗ Tổ Hùng Vương: 10/3 âm lịch (the ordinary third month, never the leap one)."""
    return convert_lunar_to_solar(10, 3, year, 0, VIETNAM_UTC_OFFSET)


def national_day_adjacent(year: int) -> dt.date:
    """The Quốc khánh's second day, as the yearly notices have placed it since 2021: the day
    that joins the holiday to the weekend — 3/9 when 2/9 is a Monday, a Thursday or a Sunday,
    else 1/9 (Wednesday: 1/9, as in 2026)."""
    national_day = dt.date(year, 9, 2)
    return national_day + ONE_DAY if national_day.weekday() in (0, 3, 6) else national_day - ONE_DAY


@lru_cache(maxsize=512)
def public_holidays(year: int) -> tuple[PublicHoliday, ...]:
    """The computed public holidays of ``year``, in date order (the lunar ones only inside
    1900–2100)."""
    days = [
        PublicHoliday(dt.date(year, 1, 1), "Tết Dương lịch"),
        PublicHoliday(dt.date(year, 4, 30), "Ngày Chiến thắng (30/4)"),
        PublicHoliday(dt.date(year, 5, 1), "Ngày Quốc tế Lao động (1/5)"),
        PublicHoliday(dt.date(year, 9, 2), "Quốc khánh"),
        PublicHoliday(national_day_adjacent(year), "Quốc khánh (ngày liền kề)"),
    ]
    try:
        new_year = lunar_new_year(year)
        hung_kings = hung_kings_day(year)
    except ValueError:
        pass
    else:
        days.append(PublicHoliday(new_year - ONE_DAY, "Tết Nguyên đán (ngày cuối năm âm lịch)"))
        days += [PublicHoliday(new_year + i * ONE_DAY, f"Tết Nguyên đán (mùng {i + 1})") for i in range(4)]
        days.append(PublicHoliday(hung_kings, "Giỗ Tổ Hùng Vương (10/3 âm lịch)"))
    return tuple(sorted(days + _days_in_lieu(days), key=lambda d: d.date))


def _days_in_lieu(holidays: list[PublicHoliday]) -> list[PublicHoliday]:
    """For each holiday on a weekly rest day, the next day that is neither a rest day nor a
    holiday nor already given in lieu (Art. 111(3))."""
    taken = {h.date for h in holidays}
    given: list[PublicHoliday] = []
    for holiday in sorted(holidays, key=lambda h: h.date):
        if holiday.date.weekday() not in WEEKLY_REST:
            continue
        day = holiday.date + ONE_DAY
        while day.weekday() in WEEKLY_REST or day in taken:
            day += ONE_DAY
        taken.add(day)
        given.append(PublicHoliday(day, f"Nghỉ bù cho {holiday.name}, ngày {holiday.date:%d/%m}"))
    return given


@lru_cache(maxsize=512)
def public_holiday_dates(year: int) -> frozenset[dt.date]:
    return frozenset(d.date for d in public_holidays(year))
