"""The reception schedule as the office keeps it, under /don-thu/lich-tiep/: the sessions of
one organisation the reader plans for, with the forms to add a session, plan the year's
regular days and cancel one. Rules are the services' (``sessions``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from vanphong.core.forms import DATE_FORMATS, DateInput, apply_errors, label_choices, model_field
from vanphong.orgs.models import Organization, Person
from vanphong.petitions import sessions
from vanphong.petitions.models import ReceptionSession, SessionKind

NAV = "petitions"
# A text box in 24-hour time, as the date boxes are text (a browser's time picker follows its
# own language: "07:30 AM").
TIME_INPUT = forms.TimeInput(
    format="%H:%M", attrs={"placeholder": "hh:mm", "inputmode": "numeric", "autocomplete": "off"}
)


class _LeaderForm(forms.Form):
    leader = forms.ModelChoiceField(
        label="Lãnh đạo tiếp",
        queryset=Person.objects.none(),
        error_messages={"required": "Hãy chọn lãnh đạo tiếp."},
    )
    start = forms.TimeField(label="Từ giờ", widget=TIME_INPUT, initial=dt.time(7, 30))
    end = forms.TimeField(label="Đến giờ", widget=TIME_INPUT, initial=dt.time(11, 30))
    place = forms.CharField(label="Địa điểm", max_length=sessions.MAX_PLACE)
    published = forms.BooleanField(label="Công bố trên trang công khai", required=False, initial=True)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        leaders = sessions.leaders_of(organization)
        model_field(self, "leader").queryset = leaders
        label_choices(self.fields["leader"], lambda p: p.full_name)
        only = list(leaders[:2])
        if len(only) == 1:  # the secretary alone: chosen already
            self.fields["leader"].initial = only[0].pk


class SessionForm(_LeaderForm):
    date = forms.DateField(label="Ngày tiếp", input_formats=DATE_FORMATS, widget=DateInput())
    kind = forms.ChoiceField(label="Hình thức", choices=SessionKind.choices, initial=SessionKind.ADHOC)
    note = forms.CharField(label="Ghi chú", max_length=sessions.MAX_NOTE, required=False)

    field_order = ["leader", "date", "start", "end", "place", "kind", "note", "published"]


class PlanForm(_LeaderForm):
    year = forms.IntegerField(label="Năm")
    days_of_month = forms.CharField(
        label="Ngày tiếp trong tháng",
        help_text=(
            "Ví dụ: 15 (một ngày mỗi tháng) hoặc 5, 20 (hai ngày). Ngày nghỉ dời sang ngày làm việc kế tiếp."
        ),
        max_length=40,
    )

    field_order = ["leader", "year", "days_of_month", "start", "end", "place", "published"]

    def clean_days_of_month(self) -> list[int]:
        raw = self.cleaned_data.get("days_of_month") or ""
        try:
            return [int(part) for part in raw.replace(";", ",").replace(" ", ",").split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(
                "Nhập các ngày bằng số, cách nhau bởi dấu phẩy (ví dụ: 5, 20)."
            ) from None


class CancelForm(forms.Form):
    reason = forms.CharField(label="Lý do hủy", max_length=300)


def _organization(request: HttpRequest) -> tuple[Organization, list[Organization]]:
    organizations = list(sessions.planning_organizations(request.user))
    if not organizations:
        raise PermissionDenied("Bạn không lập lịch tiếp công dân của cơ quan nào.")
    wanted = request.GET.get("to-chuc") or request.POST.get("organization")
    chosen = next((o for o in organizations if str(o.pk) == wanted), organizations[0])
    return chosen, organizations


def _render(
    request: HttpRequest,
    organization: Organization,
    organizations: list[Organization],
    status: int = 200,
    **forms_: Any,
) -> HttpResponse:
    today = timezone.localdate()
    rows = list(
        ReceptionSession.objects.filter(organization=organization, date__gte=today - dt.timedelta(days=30))
        .select_related("leader")
        .order_by("date", "start", "id")[:400]
    )
    context = {
        "nav_active": NAV,
        "organization": organization,
        "organizations": organizations,
        "rows": rows,
        "today": today,
        "min_days": sessions.min_days_a_month(organization),
        "session_form": forms_.get("session_form") or SessionForm(organization=organization),
        "plan_form": forms_.get("plan_form")
        or PlanForm(organization=organization, initial={"year": today.year}),
        "cancel_form": forms_.get("cancel_form") or CancelForm(),
        "cancel_id": forms_.get("cancel_id"),
    }
    return render(request, "petitions/session_list.html", context, status=status)


def _back(organization: Organization) -> HttpResponse:
    return redirect(f"{reverse('petitions:session_list')}?to-chuc={organization.pk}")


@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    organization, organizations = _organization(request)
    return _render(request, organization, organizations)


@require_POST
def session_create(request: HttpRequest) -> HttpResponse:
    organization, organizations = _organization(request)
    form = SessionForm(request.POST, organization=organization)
    if form.is_valid():
        data = form.cleaned_data
        try:
            session = sessions.session_create(
                actor=request.user,
                organization=organization,
                leader=data["leader"],
                date=data["date"],
                start=data["start"],
                end=data["end"],
                place=data["place"],
                kind=data["kind"],
                note=data["note"],
                published=data["published"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Đã thêm buổi tiếp công dân ngày {session.date:%d/%m/%Y}.")
            return _back(organization)
    return _render(request, organization, organizations, status=400, session_form=form)


@require_POST
def session_plan(request: HttpRequest) -> HttpResponse:
    organization, organizations = _organization(request)
    form = PlanForm(request.POST, organization=organization)
    if form.is_valid():
        data = form.cleaned_data
        try:
            created = sessions.plan_regular(
                actor=request.user,
                organization=organization,
                leader=data["leader"],
                year=data["year"],
                days_of_month=data["days_of_month"],
                start=data["start"],
                end=data["end"],
                place=data["place"],
                published=data["published"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                f"Đã lập {len(created)} buổi tiếp định kỳ năm {data['year']} (bỏ qua các ngày đã có lịch).",
            )
            return _back(organization)
    return _render(request, organization, organizations, status=400, plan_form=form)


@require_POST
def session_cancel(request: HttpRequest, session_id: int) -> HttpResponse:
    organizations = list(sessions.planning_organizations(request.user))
    session = ReceptionSession.objects.filter(pk=session_id, organization__in=organizations).first()
    if session is None:
        raise Http404
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            sessions.session_cancel(actor=request.user, session=session, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Đã hủy buổi tiếp ngày {session.date:%d/%m/%Y}.")
            return _back(session.organization)
    return _render(
        request, session.organization, organizations, status=400, cancel_form=form, cancel_id=session.pk
    )
