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


# --- Rapid situation reporting: days and slots of hours --------------------------------------


def test_a_day_is_due_that_very_day_even_on_a_weekend_or_holiday():
    saturday = periods.parse("daily", "2026-12-05")
    assert saturday.key == "2026-12-05" and saturday.label == "Ngày 05/12/2026"
    assert saturday.due_date(None, WorkCalendar.of(holidays=[D(2026, 12, 5)])) == D(2026, 12, 5)
    assert (saturday.start, saturday.end) == (D(2026, 12, 5), D(2026, 12, 5))


@pytest.mark.parametrize(
    ("key", "previous", "following"),
    [
        ("2026-01-01", "2025-12-31", "2026-01-02"),  # the year's end
        ("2024-02-29", "2024-02-28", "2024-03-01"),  # a leap day
        ("2025-03-01", "2025-02-28", "2025-03-02"),
    ],
)
def test_days_follow_each_other_across_months_and_years(key, previous, following):
    day = parse("daily", key)
    assert day.previous().key == previous and day.next().key == following


def test_a_leap_day_compares_with_the_28th_a_year_earlier():
    assert parse("daily", "2024-02-29").same_period_last_year().key == "2023-02-28"
    assert parse("daily", "2026-12-07").same_period_last_year().key == "2025-12-07"
    assert parse("hourly", "2024-02-29T08", hours=4).same_period_last_year().key == "2023-02-28T08"


@pytest.mark.parametrize(
    ("key", "hours", "label", "start", "end"),
    [
        ("2026-12-07T08", 2, "07/12/2026 08:00–10:00", (2026, 12, 7, 8), (2026, 12, 7, 10)),
        ("2026-12-07T00", 1, "07/12/2026 00:00–01:00", (2026, 12, 7, 0), (2026, 12, 7, 1)),
        # the last slot of a day ends at the next midnight
        ("2026-12-31T20", 4, "31/12/2026 20:00–24:00", (2026, 12, 31, 20), (2027, 1, 1, 0)),
        ("2026-06-30T12", 12, "30/06/2026 12:00–24:00", (2026, 6, 30, 12), (2026, 7, 1, 0)),
    ],
)
def test_a_slot_names_its_hours_on_the_office_clock(settings, key, hours, label, start, end):
    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"
    slot = parse("hourly", key, hours=hours)
    assert slot.key == key and slot.label == label and slot.due_date() == D(*start[:3])
    zone = periods.zone()
    assert slot.starts_at == dt.datetime(*start, tzinfo=zone)
    assert slot.ends_at == dt.datetime(*end, tzinfo=zone)
    # Vietnam keeps UTC+7 all year (no daylight saving time): every slot lasts its hours
    assert slot.ends_at - slot.starts_at == dt.timedelta(hours=hours)
    assert slot.starts_at.utcoffset() == dt.timedelta(hours=7)


def test_slots_cross_midnight_and_the_year_end():
    last = parse("hourly", "2026-12-31T18", hours=6)
    assert last.next().key == "2027-01-01T00"
    assert last.next().previous() == last
    assert parse("hourly", "2024-03-01T00", hours=8).previous().key == "2024-02-29T16"
    assert [s.key[-2:] for s in periods.slots_of(D(2026, 12, 7), 3)] == [
        "00",
        "03",
        "06",
        "09",
        "12",
        "15",
        "18",
        "21",
    ]
    assert len(periods.slots_of(D(2026, 12, 7), 1)) == 24


def test_the_slot_holding_a_moment(settings):
    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"
    zone = periods.zone()
    assert periods.slot_at(dt.datetime(2026, 12, 7, 9, 59, tzinfo=zone), 4).key == "2026-12-07T08"
    assert periods.slot_at(dt.datetime(2026, 12, 7, 10, 0, tzinfo=zone), 2).key == "2026-12-07T10"
    # 17:30 UTC on the 7th is 00:30 on the 8th in Vietnam
    assert periods.slot_at(dt.datetime(2026, 12, 7, 17, 30, tzinfo=dt.UTC), 6).key == "2026-12-08T00"
    assert periods.rapid_at("daily", dt.datetime(2026, 12, 7, 17, 30, tzinfo=dt.UTC)).key == "2026-12-08"


@pytest.mark.parametrize(
    ("frequency", "key", "hours", "words"),
    [
        ("hourly", "2026-12-07T09", 2, "bội số của 2"),  # not aligned to midnight
        ("hourly", "2026-12-07T24", 1, "00 đến 23"),
        ("hourly", "2026-12-07T08", 5, "1, 2, 3, 4, 6, 8 hoặc 12"),
        ("hourly", "2026-12-07T08", None, "số giờ"),
        ("hourly", "2026-12-07", 2, "2026-12-07T08"),
        ("daily", "2026-02-30", None, "không có trong lịch"),
        ("daily", "2026-12", None, "2026-12-07"),
        ("daily", "2101-01-01", None, "2000–2100"),
        ("daily", "07/12/2026", None, "năm-tháng-ngày"),
    ],
)
def test_a_day_or_slot_that_names_none_is_refused_in_vietnamese(frequency, key, hours, words):
    with pytest.raises(PeriodError) as caught:
        parse(frequency, key, hours=hours)
    assert words in str(caught.value)


def test_the_first_day_the_system_knows_has_no_day_before():
    with pytest.raises(PeriodError):
        parse("daily", "2000-01-01").previous()
    with pytest.raises(PeriodError):
        parse("hourly", "2000-01-01T00", hours=4).previous()
