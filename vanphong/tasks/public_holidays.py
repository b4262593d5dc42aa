"""The public holidays that the law fixes, computed for any year (Bộ luật Lao động 2019,
Art. 112(1)): Tết Dương lịch 1/1; Tết Nguyên đán, 5 days (here the last day of the lunar year
and the first four of the new one); Giỗ Tổ Hùng Vương, 10/3 âm lịch; Ngày Chiến thắng 30/4;
Quốc tế Lao động 1/5; Quốc khánh 2/9 and one day next to it.

The Prime Minister fixes the actual days of Tết and of the Quốc khánh's second day every year
(Art. 112(3)), and announces the bridges, the days off in lieu and the Saturdays worked: the
office enters those as ``CalendarDay`` rows, which win over what is computed here.

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
    return tuple(sorted(days, key=lambda d: d.date))


@lru_cache(maxsize=512)
def public_holiday_dates(year: int) -> frozenset[dt.date]:
    return frozenset(d.date for d in public_holidays(year))
