"""The office calendar page (/nhiem-vu/lich-nghi/): the days off and worked days of a year —
the public holidays computed for every year, and the Government's yearly decisions the office
enters (bridges, days off in lieu, Saturdays worked). Who may and what a change does are the
rules of ``services.calendar_days``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from vanphong.core.forms import apply_errors
from vanphong.orgs.forms import BaseForm
from vanphong.tasks.forms import date_field
from vanphong.tasks.models import CalendarDay, DayKind
from vanphong.tasks.public_holidays import public_holidays
from vanphong.tasks.services.calendar_days import (
    NAME_MAX_LENGTH,
    calendar_day_delete,
    calendar_day_save,
    may_keep_calendar,
)
from vanphong.tasks.views.common import parse_int

NAV = "tasks"
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
KIND_CHOICES = [
    (DayKind.HOLIDAY.value, "Ngày nghỉ (nghỉ lễ, Tết, nghỉ bù, nghỉ hoán đổi)"),
    (DayKind.WORKING.value, "Ngày làm việc (làm bù ngày thứ Bảy, hoặc làm việc vào ngày lễ tính sẵn)"),
]


class CalendarDayForm(BaseForm):
    date = date_field("Ngày", required=True)
    kind = forms.ChoiceField(label="Loại", choices=KIND_CHOICES, widget=forms.RadioSelect)
    name = forms.CharField(
        label="Lý do",
        max_length=NAME_MAX_LENGTH,
        help_text="Ví dụ: “Nghỉ hoán đổi (làm bù thứ Bảy 26/4), Thông báo số …/TB-BNV”.",
    )


@dataclass(frozen=True)
class Line:
    date: dt.date
    weekday: str
    name: str
    kind: str  # "holiday", "working" or "computed"
    row: CalendarDay | None = None
    overridden: bool = False  # a computed holiday that a row of the office replaces
    on_weekend: bool = False


def _check(request: HttpRequest) -> None:
    if not may_keep_calendar(request.user):
        raise PermissionDenied("Bạn không có quyền cập nhật lịch ngày nghỉ, ngày làm bù.")


def _year_lines(year: int) -> list[Line]:
    rows = {r.date: r for r in CalendarDay.objects.filter(date__year=year)}
    lines = [Line(r.date, WEEKDAYS[r.date.weekday()], r.name, r.kind, row=r) for r in rows.values()]
    lines += [
        Line(
            h.date,
            WEEKDAYS[h.date.weekday()],
            h.name,
            "computed",
            overridden=h.date in rows,
            on_weekend=h.date.weekday() >= 5,
        )
        for h in public_holidays(year)
    ]
    return sorted(lines, key=lambda line: (line.date, line.kind != "computed"))


def _list_url(year: int) -> str:
    return f"{reverse('tasks:calendar')}?nam={year}"


@require_http_methods(["GET"])
def calendar_year(request: HttpRequest) -> HttpResponse:
    _check(request)
    today = timezone.localdate()
    year = parse_int(request.GET.get("nam")) or today.year
    year = min(max(year, 1900), 2100)
    context = {
        "nav_active": NAV,
        "year": year,
        "years": range(today.year - 1, today.year + 3),
        "lines": _year_lines(year),
    }
    return render(request, "tasks/calendar.html", context)


def _form_page(
    request: HttpRequest, form: CalendarDayForm, day: CalendarDay | None, *, status: int = 200
) -> HttpResponse:
    context = {"nav_active": NAV, "form": form, "day": day}
    return render(request, "tasks/calendar_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def calendar_day_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _check(request)
    day = get_object_or_404(CalendarDay, pk=pk) if pk is not None else None
    if request.method != "POST":
        initial: dict[str, Any] = {"kind": DayKind.HOLIDAY.value}
        if day is not None:
            initial = {"date": day.date, "kind": day.kind, "name": day.name}
        elif (raw := parse_int(request.GET.get("nam"))) is not None and 1900 <= raw <= 2100:
            initial["date"] = dt.date(raw, 1, 1)
        return _form_page(request, CalendarDayForm(initial=initial), day)
    form = CalendarDayForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            row, moved = calendar_day_save(
                actor=request.user, day=day, date=data["date"], kind=data["kind"], name=data["name"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            done = "Đã sửa" if day is not None else "Đã thêm"
            messages.success(
                request, f"{done} ngày {row.date:%d/%m/%Y} ({row.name}); {moved} nhiệm vụ đã cập nhật hạn."
            )
            return HttpResponseRedirect(_list_url(row.date.year))
    return _form_page(request, form, day, status=400)


@require_POST
def calendar_day_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _check(request)
    day = get_object_or_404(CalendarDay, pk=pk)
    year, label = day.date.year, str(day)
    moved = calendar_day_delete(actor=request.user, day=day)
    messages.success(request, f"Đã xóa ngày {label}; {moved} nhiệm vụ đã cập nhật hạn.")
    return HttpResponseRedirect(_list_url(year))
