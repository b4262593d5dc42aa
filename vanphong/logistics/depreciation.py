"""Depreciation (hao mòn) of the fixed assets of a state or Party agency, straight-line, by year.

Pure Python (no Django, no database). Values are whole đồng (``int`` or a ``Decimal`` with no
fraction, see ``vanphong.logistics.money.to_dong``); rates are percentages per year (``Decimal``).

Rates in force
    ``CATEGORIES`` holds the usual categories with their useful life and yearly rate, taken as
    "TT 23/2023/TT-BTC, Phụ lục I" (Thông tư of the Ministry of Finance on the management and the
    depreciation of fixed assets of agencies). The figures were given to this module, not checked
    against the published text: the table is *data* an office can change (and will, when the
    rates change or a ministry/province approves its own). Every function also takes a ``rate``
    override, for an asset whose rate was approved differently.

How hao mòn is computed here (decided; documented so that an office can check it)
    * Hao mòn is recorded once a year, in December (one row per calendar year), never by month.
    * The year the asset is put in use counts as a full year: an asset in use from any day of
      2020 has its first yearly amount in 2020.
    * Yearly amount = original value (nguyên giá) × rate / 100, rounded to whole đồng (half up).
    * The useful life in years is ``ceil(100 / rate)`` (80, 50, 25, 15, 10, 8, 5 for the table's
      rates). In the last year of the life the amount is what remains, so the accumulated hao mòn
      equals the original value exactly (1.000.001 đ at 12,5 %: seven years of 125.000 đ, then
      125.001 đ). When the yearly amount would take more than what remains (6,67 % × 15 years is
      100,05 %), the year takes only what remains.
    * After that the asset is fully depreciated: the amount is 0, the remaining value (giá trị
      còn lại) is 0 and never negative. An asset still in use keeps being registered.
    * An asset put in use after the year asked about has no hao mòn yet: its remaining value is
      its original value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from vanphong.logistics.money import to_dong

__all__ = [
    "CATEGORIES",
    "Category",
    "YearRow",
    "annual_amount",
    "life_years",
    "remaining_value",
    "schedule",
]


@dataclass(frozen=True)
class Category:
    """A category of fixed asset: its code, Vietnamese name, useful life (years) and yearly rate (%)."""

    code: str
    name: str
    years: int
    rate: Decimal


@dataclass(frozen=True)
class YearRow:
    """One year of the hao mòn register of one asset (amounts in đồng)."""

    year: int
    amount: int
    accumulated: int
    remaining: int


def _table(*rows: tuple[str, str, int, str]) -> dict[str, Category]:
    return {code: Category(code, name, years, Decimal(rate)) for code, name, years, rate in rows}


# TT 23/2023/TT-BTC, Phụ lục I (as given; data an office can change).
CATEGORIES: dict[str, Category] = _table(
    ("nha-cap-1", "Nhà, công trình xây dựng cấp I", 80, "1.25"),
    ("nha-cap-2", "Nhà, công trình xây dựng cấp II", 50, "2"),
    ("nha-cap-3", "Nhà, công trình xây dựng cấp III", 25, "4"),
    ("nha-cap-4", "Nhà, công trình xây dựng cấp IV", 15, "6.67"),
    ("xe-o-to", "Xe ô tô", 10, "10"),
    ("may-vi-tinh", "Máy vi tính, thiết bị công nghệ thông tin", 5, "20"),
    ("may-photocopy", "Máy photocopy, máy in, máy fax", 8, "12.5"),
    ("dieu-hoa", "Điều hòa không khí", 8, "12.5"),
    ("ban-ghe-tu", "Bàn ghế, tủ, giá kệ", 8, "12.5"),
    ("am-thanh-hinh-anh", "Thiết bị âm thanh, hình ảnh", 8, "12.5"),
    ("phan-mem", "Phần mềm ứng dụng (tài sản cố định vô hình)", 5, "20"),
)


def _category(category: Category | str) -> Category:
    if isinstance(category, Category):
        return category
    try:
        return CATEGORIES[category]
    except KeyError:
        raise ValueError(f"Không có loại tài sản mã {category!r}") from None


def _rate(category: Category | str, rate: Decimal | int | None) -> Decimal:
    chosen = _category(category).rate if rate is None else Decimal(rate)
    if not chosen.is_finite() or not 0 < chosen <= 100:
        raise ValueError(f"Tỷ lệ hao mòn phải lớn hơn 0 và không quá 100 (%): {chosen}")
    return chosen


def _value(value: int | Decimal) -> int:
    number = to_dong(value)
    if number < 0:
        raise ValueError(f"Nguyên giá không được âm: {number}")
    return number


def life_years(category: Category | str, rate: Decimal | int | None = None) -> int:
    """Years over which the asset is depreciated: ``ceil(100 / rate)``."""
    return math.ceil(Decimal(100) / _rate(category, rate))


def annual_amount(value: int | Decimal, category: Category | str, rate: Decimal | int | None = None) -> int:
    """Yearly hao mòn: original value × rate / 100, rounded half up to whole đồng."""
    exact = Decimal(_value(value)) * _rate(category, rate) / 100
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def schedule(
    value: int | Decimal,
    category: Category | str,
    in_use: date,
    until_year: int,
    rate: Decimal | int | None = None,
) -> list[YearRow]:
    """Hao mòn of every calendar year from the year put in use to ``until_year`` (both included).

    Empty when the asset is put in use after ``until_year``. Years after full depreciation are
    rows with amount 0 and remaining value 0.
    """
    original = _value(value)
    yearly = annual_amount(original, category, rate)
    life = life_years(category, rate)
    rows: list[YearRow] = []
    accumulated = 0
    for index, year in enumerate(range(in_use.year, until_year + 1), start=1):
        left = original - accumulated
        amount = left if index >= life else min(yearly, left)
        accumulated += amount
        rows.append(YearRow(year, amount, accumulated, original - accumulated))
    return rows


def remaining_value(
    value: int | Decimal,
    category: Category | str,
    in_use: date,
    on_year: int,
    rate: Decimal | int | None = None,
) -> int:
    """Giá trị còn lại at the end of ``on_year`` (after that year's hao mòn is recorded)."""
    rows = schedule(value, category, in_use, on_year, rate)
    return rows[-1].remaining if rows else _value(value)
