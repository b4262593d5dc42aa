"""Hao mòn of fixed assets (vanphong.logistics.depreciation); the figures are worked out by hand."""

from datetime import date
from decimal import Decimal

import pytest

from vanphong.logistics.depreciation import (
    CATEGORIES,
    Category,
    YearRow,
    annual_amount,
    life_years,
    remaining_value,
    schedule,
)

CAR = CATEGORIES["xe-o-to"]
COMPUTER = CATEGORIES["may-vi-tinh"]
COPIER = CATEGORIES["may-photocopy"]


# The table -------------------------------------------------------------------------------------


def test_table_holds_the_categories_with_their_rates():
    expected = {
        "nha-cap-1": (80, Decimal("1.25")),
        "nha-cap-2": (50, Decimal("2")),
        "nha-cap-3": (25, Decimal("4")),
        "nha-cap-4": (15, Decimal("6.67")),
        "xe-o-to": (10, Decimal("10")),
        "may-vi-tinh": (5, Decimal("20")),
        "may-photocopy": (8, Decimal("12.5")),
        "dieu-hoa": (8, Decimal("12.5")),
        "ban-ghe-tu": (8, Decimal("12.5")),
        "am-thanh-hinh-anh": (8, Decimal("12.5")),
        "phan-mem": (5, Decimal("20")),
    }
    assert {code: (c.years, c.rate) for code, c in CATEGORIES.items()} == expected


@pytest.mark.parametrize("category", list(CATEGORIES.values()), ids=list(CATEGORIES))
def test_each_category_is_consistent(category):
    assert CATEGORIES[category.code] is category
    assert category.name and category.name[0].isupper()
    assert life_years(category) == category.years


# A car: 800.000.000 đ in use 2020, 10 % a year -------------------------------------------------


def test_car_yearly_amount():
    assert annual_amount(800_000_000, CAR) == 80_000_000
    assert annual_amount(800_000_000, "xe-o-to") == 80_000_000


def test_car_remaining_after_2026():
    assert remaining_value(800_000_000, CAR, date(2020, 7, 1), 2026) == 240_000_000


def test_car_schedule():
    rows = schedule(800_000_000, CAR, date(2020, 7, 1), 2031)
    assert [row.year for row in rows] == list(range(2020, 2032))
    assert rows[0] == YearRow(2020, 80_000_000, 80_000_000, 720_000_000)
    assert rows[6] == YearRow(2026, 80_000_000, 560_000_000, 240_000_000)
    assert rows[9] == YearRow(2029, 80_000_000, 800_000_000, 0)
    assert rows[10] == YearRow(2030, 0, 800_000_000, 0)
    assert rows[11] == YearRow(2031, 0, 800_000_000, 0)


def test_car_is_fully_depreciated_in_2029_and_never_negative():
    in_use = date(2020, 1, 15)
    assert remaining_value(800_000_000, CAR, in_use, 2028) == 80_000_000
    assert remaining_value(800_000_000, CAR, in_use, 2029) == 0
    for year in range(2029, 2060):
        assert remaining_value(800_000_000, CAR, in_use, year) == 0


def test_the_first_year_counts_in_full_whatever_the_day():
    early = schedule(800_000_000, CAR, date(2020, 1, 1), 2020)
    late = schedule(800_000_000, CAR, date(2020, 12, 31), 2020)
    assert early == late == [YearRow(2020, 80_000_000, 80_000_000, 720_000_000)]


# A computer: 15.000.000 đ at 20 % over 5 years -------------------------------------------------


def test_computer():
    rows = schedule(15_000_000, COMPUTER, date(2024, 3, 15), 2029)
    assert [(row.year, row.amount, row.remaining) for row in rows] == [
        (2024, 3_000_000, 12_000_000),
        (2025, 3_000_000, 9_000_000),
        (2026, 3_000_000, 6_000_000),
        (2027, 3_000_000, 3_000_000),
        (2028, 3_000_000, 0),
        (2029, 0, 0),
    ]
    assert remaining_value(15_000_000, COMPUTER, date(2024, 3, 15), 2026) == 6_000_000


# Amounts that do not divide evenly: the last year takes the remainder --------------------------


def test_even_division_at_twelve_and_a_half_percent():
    rows = schedule(1_000_000, COPIER, date(2021, 5, 1), 2028)
    assert [row.amount for row in rows] == [125_000] * 8
    assert rows[-1].accumulated == 1_000_000
    assert rows[-1].remaining == 0


def test_remainder_goes_to_the_last_year():
    # 1.000.001 × 12,5 % = 125.000,125 → 125.000; 7 × 125.000 = 875.000; last year 125.001.
    assert annual_amount(1_000_001, COPIER) == 125_000
    rows = schedule(1_000_001, COPIER, date(2021, 5, 1), 2030)
    assert [row.amount for row in rows] == [125_000] * 7 + [125_001, 0, 0]
    assert rows[7] == YearRow(2028, 125_001, 1_000_001, 0)


def test_yearly_amount_rounds_half_up():
    # 1.000.004 × 12,5 % = 125.000,5 → 125.001; 7 × 125.001 = 875.007; last year 124.997.
    assert annual_amount(1_000_004, COPIER) == 125_001
    rows = schedule(1_000_004, COPIER, date(2021, 1, 1), 2028)
    assert [row.amount for row in rows] == [125_001] * 7 + [124_997]
    assert rows[-1].remaining == 0


def test_rate_times_life_above_one_hundred_percent():
    # Nhà cấp IV: 6,67 % × 15 = 100,05 %; 14 × 66.700.000 = 933.800.000; last year 66.200.000.
    building = CATEGORIES["nha-cap-4"]
    rows = schedule(1_000_000_000, building, date(2010, 9, 2), 2026)
    assert [row.amount for row in rows[:14]] == [66_700_000] * 14
    assert rows[14] == YearRow(2024, 66_200_000, 1_000_000_000, 0)
    assert rows[15].amount == rows[16].amount == 0


def test_long_life_building():
    building = CATEGORIES["nha-cap-1"]
    rows = schedule(2_000_000_000, building, date(2000, 1, 1), 2090)
    assert annual_amount(2_000_000_000, building) == 25_000_000
    assert rows[78] == YearRow(2078, 25_000_000, 1_975_000_000, 25_000_000)
    assert rows[79] == YearRow(2079, 25_000_000, 2_000_000_000, 0)
    assert rows[-1] == YearRow(2090, 0, 2_000_000_000, 0)


def test_tiny_value_never_overshoots():
    # 3 đ × 20 % = 0,6 → 1 đ a year; after three years nothing is left.
    rows = schedule(3, COMPUTER, date(2024, 1, 1), 2029)
    assert [(row.amount, row.remaining) for row in rows] == [(1, 2), (1, 1), (1, 0), (0, 0), (0, 0), (0, 0)]


def test_zero_value():
    rows = schedule(0, CAR, date(2024, 1, 1), 2026)
    assert [(row.amount, row.accumulated, row.remaining) for row in rows] == [(0, 0, 0)] * 3


# Rate override ---------------------------------------------------------------------------------


def test_rate_override():
    assert annual_amount(800_000_000, CAR, rate=Decimal("12.5")) == 100_000_000
    assert life_years(CAR, rate=Decimal("12.5")) == 8
    assert remaining_value(800_000_000, CAR, date(2020, 1, 1), 2026, rate=Decimal("12.5")) == 100_000_000
    assert remaining_value(800_000_000, CAR, date(2020, 1, 1), 2027, rate=Decimal("12.5")) == 0


def test_rate_override_with_a_short_last_year():
    # 15 %: life ceil(100 / 15) = 7 years; six years of 150.000 then 100.000.
    rows = schedule(1_000_000, CAR, date(2020, 1, 1), 2027, rate=15)
    assert [row.amount for row in rows] == [150_000] * 6 + [100_000, 0]


def test_custom_category():
    special = Category("dac-thu", "Tài sản đặc thù", 4, Decimal("25"))
    assert [row.amount for row in schedule(400, special, date(2022, 6, 1), 2026)] == [100, 100, 100, 100, 0]


# Not in use yet --------------------------------------------------------------------------------


def test_future_in_use_year_has_nothing_yet():
    assert schedule(800_000_000, CAR, date(2030, 1, 1), 2026) == []
    assert remaining_value(800_000_000, CAR, date(2030, 1, 1), 2026) == 800_000_000
    assert remaining_value(800_000_000, CAR, date(2030, 1, 1), 2029) == 800_000_000
    assert remaining_value(800_000_000, CAR, date(2030, 1, 1), 2030) == 720_000_000


# Values and errors -----------------------------------------------------------------------------


def test_decimal_value_without_fraction():
    assert annual_amount(Decimal("800000000.00"), CAR) == 80_000_000
    assert remaining_value(Decimal("800000000"), CAR, date(2020, 1, 1), 2026) == 240_000_000


@pytest.mark.parametrize("value", [-1, Decimal("100.5")])
def test_bad_values_are_refused(value):
    with pytest.raises(ValueError):
        annual_amount(value, CAR)
    with pytest.raises(ValueError):
        schedule(value, CAR, date(2020, 1, 1), 2026)


def test_float_value_is_refused():
    with pytest.raises(TypeError):
        annual_amount(1000.0, CAR)


@pytest.mark.parametrize("rate", [0, -5, Decimal("100.01"), Decimal("NaN")])
def test_bad_rates_are_refused(rate):
    with pytest.raises(ValueError):
        annual_amount(1_000_000, CAR, rate=rate)


def test_unknown_category_is_refused():
    with pytest.raises(ValueError):
        annual_amount(1_000_000, "tau-bay")


def test_hundred_percent_is_one_year():
    assert [row.amount for row in schedule(5_000, CAR, date(2025, 1, 1), 2026, rate=100)] == [5_000, 0]


# Invariants over every category ----------------------------------------------------------------


@pytest.mark.parametrize("category", list(CATEGORIES.values()), ids=list(CATEGORIES))
@pytest.mark.parametrize("value", [1, 7, 999, 1_000_001, 123_456_789, 3_333_333_333])
def test_invariants(category, value):
    rows = schedule(value, category, date(2000, 6, 30), 2000 + category.years + 5)
    assert all(row.amount >= 0 and row.remaining >= 0 for row in rows)
    assert all(row.accumulated + row.remaining == value for row in rows)
    assert all(a.remaining >= b.remaining for a, b in zip(rows, rows[1:], strict=False))
    last_year_of_life = rows[category.years - 1]
    assert last_year_of_life.accumulated == value
    assert last_year_of_life.remaining == 0
    assert rows[category.years - 2].remaining > 0 or value < category.years
    assert all(row.amount == 0 for row in rows[category.years :])
