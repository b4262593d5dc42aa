"""Dates as Vietnamese documents write them."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from vanphong.core.vndate import find_vn_dates, format_vn_date, parse_vn_date

D = dt.date

READ = [
    ("slashes", "18/7/2023", D(2023, 7, 18)),
    ("hyphens", "18-7-2023", D(2023, 7, 18)),
    ("dots", "18.7.2023", D(2023, 7, 18)),
    ("leading_zeros", "18/07/2023", D(2023, 7, 18)),
    ("spaces_around_slashes", "18 / 7 / 2023", D(2023, 7, 18)),
    ("written_out", "ngày 18 tháng 7 năm 2023", D(2023, 7, 18)),
    ("written_out_with_zeros", "ngày 02 tháng 01 năm 2026", D(2026, 1, 2)),
    ("place_and_date_line", "Lâm Đồng, ngày 21 tháng 11 năm 2026", D(2026, 11, 21)),
    ("upper_case", "NGÀY 05 THÁNG 3 NĂM 2020", D(2020, 3, 5)),
    ("without_diacritics", "ngay 5 thang 3 nam 2020", D(2020, 3, 5)),
    ("without_the_word_ngay", "18 tháng 7 năm 2023", D(2023, 7, 18)),
    ("decomposed_unicode", unicodedata.normalize("NFD", "ngày 18 tháng 7 năm 2023"), D(2023, 7, 18)),
    ("iso", "2023-07-18", D(2023, 7, 18)),
    ("date_in_a_sentence", "Hội nghị họp ngày 9/1/2026 tại Hội trường.", D(2026, 1, 9)),
    ("leap_day", "29/02/2024", D(2024, 2, 29)),
]


@pytest.mark.parametrize(("text", "date"), [row[1:] for row in READ], ids=[row[0] for row in READ])
def test_parse_vn_date_reads_the_ways_documents_write_dates(text, date):
    assert parse_vn_date(text) == date


NOT_DATES = [
    ("two_digit_year", "18/7/23"),
    ("two_digit_year_written_out", "ngày 18 tháng 7 năm 23"),
    ("no_such_day", "31/2/2023"),
    ("not_a_leap_year", "29/02/2023"),
    ("day_32", "32/1/2023"),
    ("month_13", "18/13/2023"),
    ("no_year", "ngày 18 tháng 7"),
    ("mixed_separators", "18/7-2023"),
    ("normative_symbol", "30/2020/NĐ-CP"),
    ("law_symbol", "117/2025/QH15"),
    ("money", "1.059/2020 đồng"),
    ("address", "số 5 đường 3/2"),
    ("year_out_of_range", "18/7/1850"),
    ("longer_number", "118/7/2023"),
    ("version_like", "1.18.7.2023"),
    ("empty", ""),
]


@pytest.mark.parametrize("text", [row[1] for row in NOT_DATES], ids=[row[0] for row in NOT_DATES])
def test_parse_vn_date_refuses_what_is_not_clearly_a_date(text):
    assert parse_vn_date(text) is None


def test_find_vn_dates_gives_every_date_with_its_span():
    text = "Hà Nội, ngày 05 tháng 01 năm 2020; sửa đổi 18/7/2023 và 2023-12-01."
    found = find_vn_dates(text)
    assert [(text[m.start : m.end], m.date) for m in found] == [
        ("ngày 05 tháng 01 năm 2020", D(2020, 1, 5)),
        ("18/7/2023", D(2023, 7, 18)),
        ("2023-12-01", D(2023, 12, 1)),
    ]


def test_find_vn_dates_skips_invalid_dates_and_keeps_the_valid_ones():
    found = find_vn_dates("từ 31/2/2023 đến 28/2/2023")
    assert [m.date for m in found] == [D(2023, 2, 28)]


def test_spans_of_dates_in_decomposed_text_cover_the_tone_marks():
    text = unicodedata.normalize("NFD", "Huế, ngày 21 tháng 11 năm 2026")
    [found] = find_vn_dates(text)
    assert text[found.start : found.end] == unicodedata.normalize("NFD", "ngày 21 tháng 11 năm 2026")


FORMATS = [
    ("day_below_ten_and_month_3", D(2020, 3, 5), "05/3/2020", "ngày 05 tháng 3 năm 2020"),
    ("january", D(2026, 1, 2), "02/01/2026", "ngày 02 tháng 01 năm 2026"),
    ("february", D(2017, 2, 6), "06/02/2017", "ngày 06 tháng 02 năm 2017"),
    ("two_digit_day_and_month", D(2026, 11, 21), "21/11/2026", "ngày 21 tháng 11 năm 2026"),
    ("october", D(2023, 10, 1), "01/10/2023", "ngày 01 tháng 10 năm 2023"),
    ("december", D(2023, 12, 10), "10/12/2023", "ngày 10 tháng 12 năm 2023"),
    ("july", D(2023, 7, 18), "18/7/2023", "ngày 18 tháng 7 năm 2023"),
]


@pytest.mark.parametrize(
    ("date", "short", "long"),
    [row[1:] for row in FORMATS],
    ids=[row[0] for row in FORMATS],
)
def test_format_vn_date_pads_days_below_ten_and_months_one_and_two(date, short, long):
    assert format_vn_date(date) == short
    assert format_vn_date(date, long=True) == long


@pytest.mark.parametrize("long", [False, True], ids=["short", "long"])
def test_every_day_of_a_year_round_trips_through_format_and_parse(long):
    day = D(2024, 1, 1)
    while day.year == 2024:
        assert parse_vn_date(format_vn_date(day, long=long)) == day
        day += dt.timedelta(days=1)
