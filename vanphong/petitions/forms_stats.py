"""The span (and book) of the petitions statistics and of the book export: typed dates
(dd/mm/yyyy) or a quick pick of the Party's reporting periods (QĐ 11-QĐi/TW and the reporting
regime of the committees: the month, the quarter, six months, nine months, the year — the
last three counted from 1 January), and the organisation when the reader reads several books."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet

from vanphong.core.forms import DATE_FORMATS, DateInput
from vanphong.orgs.models import Organization

DATE_ERROR = "Ngày viết theo dạng ngày/tháng/năm, ví dụ 31/12/2026."
# A span longer than this is refused: ten years of books is already more than a report needs.
MAX_SPAN_DAYS = 3660

QUICK_PICKS: list[tuple[str, str]] = [
    ("thang", "Tháng này"),
    ("quy", "Quý này"),
    ("6thang", "6 tháng"),
    ("9thang", "9 tháng"),
    ("nam", "Năm nay"),
]


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def quick_span(key: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The span of a quick pick in ``today``'s year: the month, the quarter, the first six or
    nine months, or the whole year (the end may be after today: the period's figures so far)."""
    year = today.year
    if key == "thang":
        return today.replace(day=1), _month_end(year, today.month)
    if key == "quy":
        first = 3 * ((today.month - 1) // 3) + 1
        return dt.date(year, first, 1), _month_end(year, first + 2)
    if key == "6thang":
        return dt.date(year, 1, 1), dt.date(year, 6, 30)
    if key == "9thang":
        return dt.date(year, 1, 1), dt.date(year, 9, 30)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


class StatsForm(forms.Form):
    """Read from the query string; an empty form means this year, all the reader's books."""

    tu_ngay = forms.DateField(
        label="Từ ngày",
        required=False,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        error_messages={"invalid": DATE_ERROR},
    )
    den_ngay = forms.DateField(
        label="Đến ngày",
        required=False,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        error_messages={"invalid": DATE_ERROR},
    )
    ky = forms.ChoiceField(label="Kỳ báo cáo", required=False, choices=[("", "Tự chọn"), *QUICK_PICKS])
    co_quan = forms.ModelChoiceField(
        label="Sổ đơn thư của",
        required=False,
        queryset=Organization.objects.none(),
        empty_label="Tất cả các sổ được xem",
        error_messages={"invalid_choice": "Đồng chí không được xem sổ đơn thư của cơ quan này."},
    )

    def __init__(
        self, *args: Any, organizations: QuerySet[Organization], today: dt.date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        field = self.fields["co_quan"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organizations

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end, key = data.get("tu_ngay"), data.get("den_ngay"), data.get("ky")
        if key and not self.data.get("tu_ngay") and not self.data.get("den_ngay"):
            start, end = quick_span(key, self.today)
        elif start is None and end is None and not self.errors:
            start, end = quick_span("nam", self.today)
            data["ky"] = "nam"
        # One end given: the other is the start of that year, or today — a span is always
        # bounded (an open end would draw every month from the first letter to the year 9999).
        if start is None and end is not None:
            start = dt.date(end.year, 1, 1)
        elif end is None and start is not None:
            end = max(start, self.today)
        if start is not None and end is not None:
            if end < start:
                self.add_error("den_ngay", "Ngày kết thúc không được trước ngày bắt đầu.")
            elif (end - start).days > MAX_SPAN_DAYS:
                self.add_error("tu_ngay", "Khoảng thời gian dài quá 10 năm: hãy chọn khoảng ngắn hơn.")
        data["tu_ngay"], data["den_ngay"] = start, end
        return data
