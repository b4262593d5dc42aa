"""HTML input of the weekly calendar pages. Fields only parse and check types; every rule
lives in ``services.calendar`` (its errors are put next to the fields with
``core.forms.apply_errors``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone

from vanphong.core.forms import DATE_FORMATS
from vanphong.orgs.models import Organization, Person, Role, RoleAssignment
from vanphong.programs.models import CalendarEvent, MeetingKind

TIME_FORMATS = ["%H:%M", "%H.%M", "%Hh%M", "%H:%M:%S"]
DATE_ERROR = "Ngày phải viết theo dạng ngày/tháng/năm, ví dụ 07/12/2026."
TIME_ERROR = "Giờ phải viết theo dạng giờ:phút, ví dụ 08:00 hoặc 14:30."


def leader_choices(organization: Organization) -> list[tuple[int, str]]:
    """Who may be named among the leaders attending: the organisation's leaders, then the
    leaders of its office (the Chánh, Phó Chánh Văn phòng)."""
    roles = (
        RoleAssignment.objects.current()
        .filter(
            Q(organization=organization, role=Role.LANH_DAO_CAP_UY)
            | Q(
                organization__parent=organization,
                organization__is_office=True,
                role=Role.LANH_DAO_VAN_PHONG,
            ),
            person__active=True,
        )
        .select_related("person", "organization")
        .order_by("organization__depth", "person__full_name")
    )
    seen: dict[int, str] = {}
    for ra in roles:
        if ra.person_id not in seen:
            org = ra.organization
            seen[ra.person_id] = f"{ra.person.full_name} — {org.short_name or org.name}"
    return list(seen.items())


def preparing_choices(organization: Organization) -> Any:
    """The organisation, its agencies and the organisations directly under it."""
    return Organization.objects.filter(
        Q(pk=organization.pk) | Q(parent=organization), hosted=True, active=True
    ).order_by("depth", "path")


class EventForm(forms.Form):
    day = forms.DateField(
        label="Ngày",
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off"}, format="%d/%m/%Y"),
        error_messages={"invalid": DATE_ERROR, "required": "Hãy nhập ngày."},
    )
    start_time = forms.TimeField(
        label="Bắt đầu",
        input_formats=TIME_FORMATS,
        widget=forms.TimeInput(attrs={"placeholder": "hh:mm", "autocomplete": "off"}, format="%H:%M"),
        error_messages={"invalid": TIME_ERROR, "required": "Hãy nhập giờ bắt đầu."},
    )
    end_time = forms.TimeField(
        label="Kết thúc",
        required=False,
        input_formats=TIME_FORMATS,
        widget=forms.TimeInput(attrs={"placeholder": "hh:mm", "autocomplete": "off"}, format="%H:%M"),
        error_messages={"invalid": TIME_ERROR},
        help_text="Có thể để trống.",
    )
    title = forms.CharField(
        label="Nội dung",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Hãy nhập nội dung sự kiện."},
    )
    kind = forms.ChoiceField(label="Loại", choices=MeetingKind.choices, initial=MeetingKind.LAM_VIEC)
    leaders = forms.TypedMultipleChoiceField(
        label="Lãnh đạo dự", coerce=int, required=False, widget=forms.SelectMultiple(attrs={"size": 5})
    )
    participants = forms.CharField(label="Thành phần", max_length=1000, required=False)
    place = forms.CharField(label="Địa điểm", max_length=300, required=False)
    preparing_organization = forms.ModelChoiceField(
        label="Cơ quan chuẩn bị",
        queryset=Organization.objects.none(),
        required=False,
        empty_label="— Không ghi —",
    )
    note = forms.CharField(
        label="Ghi chú thay đổi (hiện trên lịch đã công bố)",
        max_length=500,
        required=False,
        help_text="Để trống: hệ thống tự ghi điều đã thay đổi, ví dụ “Đổi giờ từ 08:00 sang 14:00”.",
    )

    def __init__(
        self, *args: Any, organization: Organization, published: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leaders"].choices = leader_choices(organization)  # type: ignore[attr-defined]
        self.fields["preparing_organization"].queryset = preparing_choices(organization)  # type: ignore[attr-defined]
        if not published:
            del self.fields["note"]

    @classmethod
    def initial_for(cls, event: CalendarEvent) -> dict[str, Any]:
        start = timezone.localtime(event.start)
        return {
            "day": start.date(),
            "start_time": start.time(),
            "end_time": timezone.localtime(event.end).time() if event.end else None,
            "title": event.title,
            "kind": event.kind,
            "leaders": [p.pk for p in event.leaders.all()],
            "participants": event.participants,
            "place": event.place,
            "preparing_organization": event.preparing_organization_id,
        }

    def values(self) -> dict[str, Any]:
        """The service's arguments: both times on the chosen day, the people by their ids."""
        data = self.cleaned_data
        tz = timezone.get_current_timezone()
        start = dt.datetime.combine(data["day"], data["start_time"], tzinfo=tz)
        end = None
        if data.get("end_time") is not None:
            end = dt.datetime.combine(data["day"], data["end_time"], tzinfo=tz)
        found = {p.pk: p for p in Person.objects.filter(pk__in=data["leaders"])}
        return {
            "start": start,
            "end": end,
            "title": data["title"],
            "kind": data["kind"],
            "leaders": [found[i] for i in data["leaders"] if i in found],
            "participants": data["participants"],
            "place": data["place"],
            "preparing_organization": data["preparing_organization"],
        }


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Lý do hủy",
        max_length=490,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Hãy ghi lý do hủy."},
    )
