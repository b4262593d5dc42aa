"""Dates as Vietnamese documents write them.

Reads "18/7/2023", "18-7-2023", "18.7.2023", "18/07/2023", "ngày 18 tháng 7 năm 2023",
"Lâm Đồng, ngày 02 tháng 01 năm 2026" and ISO "2023-07-18"; writes them back in the form
NĐ 30/2020/NĐ-CP prescribes.

Matching runs on the folded text (``textfold.FoldedText``), so "NGÀY", "ngay" and text in
decomposed Unicode are read alike, and every match maps back to exact offsets of the
original. A year is always four digits: "18/7/23" is not read as a date, because a
two-digit year is too easily a page, an article or a number series.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from vanphong.core.textfold import FoldedText

# Years a document of a Party committee or a state body can plausibly carry.
MIN_YEAR = 1900
MAX_YEAR = 2099

_DATE_RE = re.compile(
    r"""
    # Optional lead word: "ngày 18/7/2023", "ngày 18 tháng 7 năm 2023" (folded: "ngay").
    (?:(?<![\w])ngay[ ]+)?
    (?:
        # 1. Day, month, year in digits with the same separator twice: 18/7/2023,
        #    18-7-2023, 18.7.2023 (one optional space around a separator is tolerated).
        (?<![\w/.\-])                     # not the tail of a number, word or symbol (117/2025/QH15)
        (?P<nd>\d{1,2})[ ]?(?P<sep>[/.\-])[ ]?
        (?P<nm>\d{1,2})[ ]?(?P=sep)[ ]?
        (?P<ny>\d{4})
        (?![\w/]|[.\-]\d)                 # not followed by more of a number or a symbol
    |
        # 2. Written out: "18 tháng 7 năm 2023" (folded: "18 thang 7 nam 2023").
        (?<![\w/.\-])
        (?P<ld>\d{1,2})[ ]+thang[ ]+(?P<lm>\d{1,2})[ ]*,?[ ]+nam[ ]+(?P<ly>\d{4})
        (?!\w)
    |
        # 3. ISO 8601, as APIs and exports write it: 2023-07-18.
        (?<![\w/.\-])
        (?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})
        (?![\w/]|[.\-]\d)
    )
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class DateMatch:
    date: dt.date
    start: int  # offsets into the original text; the span includes a leading "ngày"
    end: int


def _date_of(match: re.Match[str]) -> dt.date | None:
    for day, month, year in (("nd", "nm", "ny"), ("ld", "lm", "ly"), ("id", "im", "iy")):
        if match.group(year):
            y, m, d = int(match.group(year)), int(match.group(month)), int(match.group(day))
            if not MIN_YEAR <= y <= MAX_YEAR:
                return None
            try:
                return dt.date(y, m, d)
            except ValueError:  # 31/2/2023, month 13 ...
                return None
    return None  # pragma: no cover - the pattern always fills one of the three forms


def _to_match(text: FoldedText, match: re.Match[str]) -> DateMatch | None:
    value = _date_of(match)
    if value is None:
        return None
    start, end = text.span(match.start(), match.end())
    return DateMatch(date=value, start=start, end=end)


def find_vn_dates(text: str | FoldedText) -> list[DateMatch]:
    """Every valid date in ``text``, in order, with offsets into the original text."""
    folded = text if isinstance(text, FoldedText) else FoldedText.of(text)
    found = []
    for match in _DATE_RE.finditer(folded.folded):
        date_match = _to_match(folded, match)
        if date_match is not None:
            found.append(date_match)
    return found


def match_vn_date(text: FoldedText, folded_pos: int) -> DateMatch | None:
    """The date that starts exactly at ``folded_pos`` of the folded text, if there is one."""
    match = _DATE_RE.match(text.folded, folded_pos)
    return _to_match(text, match) if match else None


def parse_vn_date(text: str) -> dt.date | None:
    """The first valid date written in ``text`` ("Lâm Đồng, ngày 21 tháng 11 năm 2026"), or None."""
    found = find_vn_dates(text)
    return found[0].date if found else None


def format_vn_date(value: dt.date, long: bool = False) -> str:
    """Write a date as a document does: "05/3/2020", or "ngày 05 tháng 3 năm 2020" with ``long``.

    NĐ 30/2020/NĐ-CP, Phụ lục I, Phần I, mục II.4.b: days below 10 and the months 1 and 2
    take a leading zero ("ngày 05 tháng 01 năm 2020"), so that nobody can turn "tháng 1"
    into "tháng 10" by adding a digit; months 3 to 12 are written as they are. The dates in
    /work/shared/domain/FACTS.md are written the same way in the short form (05/3/2020,
    06/02/2017, 23/11/2025), so both forms follow the one rule.
    """
    day = f"{value.day:02d}"
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    if long:
        return f"ngày {day} tháng {month} năm {value.year}"
    return f"{day}/{month}/{value.year}"
