"""Period keys, bounds, comparisons and due dates (``vanphong.reporting.periods``)."""

from __future__ import annotations

import datetime as dt

import pytest

from vanphong.reporting import periods
from vanphong.reporting.periods import Period, PeriodError, parse, period_of
from vanphong.tasks.calendar import WorkCalendar

D = dt.date
PLAIN = WorkCalendar.of()  # Saturday and Sunday off, no holidays


@pytest.mark.parametrize(
    ("frequency", "key", "start", "end"),
    [
        ("monthly", "2024-02", D(2024, 2, 1), D(2024, 2, 29)),
        ("monthly", "2025-02", D(2025, 2, 1), D(2025, 2, 28)),
        ("monthly", "2026-04", D(2026, 4, 1), D(2026, 4, 30)),
        ("quarterly", "2026-Q1", D(2026, 1, 1), D(2026, 3, 31)),
        ("quarterly", "2026-Q4", D(2026, 10, 1), D(2026, 12, 31)),
        ("half_yearly", "2026-H1", D(2026, 1, 1), D(2026, 6, 30)),
        ("half_yearly", "2026-H2", D(2026, 7, 1), D(2026, 12, 31)),
        ("yearly", "2026", D(2026, 1, 1), D(2026, 12, 31)),
        ("weekly", "2026-W01", D(2025, 12, 29), D(2026, 1, 4)),
        ("weekly", "2020-W53", D(2020, 12, 28), D(2021, 1, 3)),
    ],
)
def test_a_key_names_its_first_and_last_day_and_formats_back(frequency, key, start, end):
    period = parse(frequency, key)
    assert (period.start, period.end) == (start, end)
    assert period.key == key
    assert period_of(frequency, start) == period == period_of(frequency, end)


@pytest.mark.parametrize(
    ("frequency", "key"),
    [
        ("monthly", "2026-13"),
        ("monthly", "2026-00"),
        ("monthly", "2026-5"),
        ("quarterly", "2026-Q5"),
        ("half_yearly", "2026-H3"),
        ("weekly", "2025-W53"),
        ("yearly", "26"),
        ("monthly", "1999-12"),
        ("monthly", ""),
        ("once", "2026-01"),
    ],
)
def test_a_key_that_names_no_period_is_refused_in_vietnamese(frequency, key):
    with pytest.raises(PeriodError) as caught:
        parse(frequency, key)
    assert any(word in str(caught.value) for word in ("Kỳ", "kỳ", "Năm", "năm"))


def test_a_long_iso_year_has_a_week_53():
    assert periods.weeks_in(2026) == 53 and periods.weeks_in(2025) == 52
    assert parse("weekly", "2026-W53").start == D(2026, 12, 28)


def test_previous_period_crosses_the_year_end():
    assert parse("monthly", "2026-01").previous().key == "2025-12"
    assert parse("quarterly", "2026-Q1").previous().key == "2025-Q4"
    assert parse("half_yearly", "2026-H1").previous().key == "2025-H2"
    assert parse("yearly", "2026").previous().key == "2025"
    assert parse("weekly", "2026-W01").previous().key == "2025-W52"
    assert parse("weekly", "2021-W01").previous().key == "2020-W53"
    assert parse("monthly", "2025-12").next().key == "2026-01"
    assert parse("weekly", "2020-W53").next().key == "2021-W01"


def test_same_period_last_year():
    assert parse("monthly", "2026-03").same_period_last_year().key == "2025-03"
    assert parse("quarterly", "2026-Q2").same_period_last_year().key == "2025-Q2"
    assert parse("weekly", "2021-W10").same_period_last_year().key == "2020-W10"
    # week 53 of a long year compares with the last week of the year before
    assert parse("weekly", "2026-W53").same_period_last_year().key == "2025-W52"


@pytest.mark.parametrize(
    ("frequency", "key", "due_day", "nominal"),
    [
        ("monthly", "2024-02", 31, D(2024, 2, 29)),  # clipped, leap year
        ("monthly", "2025-02", 30, D(2025, 2, 28)),
        ("monthly", "2026-04", 31, D(2026, 4, 30)),
        ("monthly", "2026-05", 20, D(2026, 5, 20)),
        ("quarterly", "2026-Q1", 15, D(2026, 3, 15)),  # the quarter's last month
        ("half_yearly", "2026-H2", 10, D(2026, 12, 10)),
        ("yearly", "2026", 25, D(2026, 12, 25)),
        ("weekly", "2026-W01", 5, D(2026, 1, 2)),  # Friday of the week starting 29/12/2025
        ("weekly", "2026-W01", 1, D(2025, 12, 29)),
    ],
)
def test_nominal_due_date(frequency, key, due_day, nominal):
    assert parse(frequency, key).nominal_due(due_day) == nominal


def test_a_due_date_on_a_weekend_moves_to_monday():
    # 15/03/2026 is a Sunday
    period = parse("quarterly", "2026-Q1")
    assert period.nominal_due(15).weekday() == 6
    assert period.due_date(15, PLAIN) == D(2026, 3, 16)
    # weekly: day 6 (Saturday) moves to the next Monday, in the next ISO week
    assert parse("weekly", "2026-W10").due_date(6, PLAIN) == D(2026, 3, 9)


def test_a_due_date_on_a_holiday_moves_past_it():
    holidays = [D(2026, 4, 30), D(2026, 5, 1)]  # Thursday and Friday
    calendar = WorkCalendar.of(holidays=holidays)
    assert parse("monthly", "2026-04").due_date(30, calendar) == D(2026, 5, 4)


@pytest.mark.django_db
def test_the_office_calendar_is_read_when_none_is_given():
    from vanphong.tasks.models import CalendarDay, DayKind

    CalendarDay.objects.create(date=D(2026, 6, 10), kind=DayKind.HOLIDAY, name="Nghỉ thử")
    assert parse("monthly", "2026-06").due_date(10) == D(2026, 6, 11)


def test_due_day_out_of_range_is_refused():
    with pytest.raises(PeriodError):
        parse("weekly", "2026-W02").nominal_due(8)
    with pytest.raises(PeriodError):
        parse("monthly", "2026-02").nominal_due(0)


def test_open_periods_skip_a_period_already_due():
    # monthly, due on the 10th: on 7/12 December is open; on 11/12 January comes first
    assert [p.key for p in periods.open_periods("monthly", 10, D(2026, 12, 7), PLAIN)] == [
        "2026-12",
        "2027-01",
    ]
    assert [p.key for p in periods.open_periods("monthly", 10, D(2026, 12, 11), PLAIN)] == [
        "2027-01",
        "2027-02",
    ]


def test_labels_are_vietnamese():
    assert parse("monthly", "2026-05").label == "Tháng 05/2026"
    assert parse("quarterly", "2026-Q4").label == "Quý IV/2026"
    assert parse("half_yearly", "2026-H1").label == "6 tháng đầu năm 2026"
    assert parse("yearly", "2026").label == "Năm 2026"
    assert parse("weekly", "2026-W01").label.startswith("Tuần 1/2026 (29/12–04/01/2026)")


def test_a_period_outside_the_years_is_refused():
    with pytest.raises(PeriodError):
        Period("monthly", 2101, 1)
