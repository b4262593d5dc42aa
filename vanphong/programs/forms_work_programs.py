"""HTML input of the work programme pages. Fields only parse and check types; every rule lives
in ``services.work_programs`` (their errors are put next to the fields with
``core.forms.apply_errors``)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms

from vanphong.core.forms import DATE_FORMATS
from vanphong.orgs.models import Organization, Person
from vanphong.programs.models import ItemState, MeetingKind, Program, ProgramBody, ProgramPeriod

DATE_ERROR = "Ngày phải viết theo dạng ngày/tháng/năm, ví dụ 05/11/2025."
MONTH = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")


def _date_field(label: str, *, required: bool = False, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        help_text=help_text,
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off"}, format="%d/%m/%Y"),
        error_messages={"invalid": DATE_ERROR, "required": f"Hãy nhập {label.lower()}."},
    )


class ProgramForm(forms.Form):
    organization = forms.ModelChoiceField(
        label="Cơ quan", queryset=Organization.objects.none(), empty_label=None
    )
    body = forms.ChoiceField(label="Cơ quan thực hiện", choices=ProgramBody.choices)
    steering_name = forms.CharField(
        label="Tên Ban Chỉ đạo",
        max_length=300,
        required=False,
        help_text="Chỉ ghi khi là chương trình của Ban Chỉ đạo.",
    )
    period = forms.ChoiceField(label="Thời kỳ", choices=ProgramPeriod.choices, initial=ProgramPeriod.MONTH)
    start = _date_field(
        "Từ ngày", required=True, help_text="Tuần: ngày thứ Hai; tháng, quý, năm: ngày đầu kỳ."
    )
    end = _date_field("Đến ngày", help_text="Để trống: tự tính theo thời kỳ (trừ chương trình toàn khóa).")
    title = forms.CharField(
        label="Tên chương trình",
        max_length=500,
        error_messages={"required": "Hãy nhập tên chương trình."},
        help_text="Ví dụ: Chương trình công tác tháng 3 năm 2026 của Ban Thường vụ Tỉnh ủy.",
    )

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


def _month(raw: str) -> dt.date | None:
    match = MONTH.match(raw or "")
    if match is None:
        return None
    month, year = int(match.group(1)), int(match.group(2))
    if not (1 <= month <= 12 and 1900 <= year <= 9998):
        return None
    return dt.date(year, month, 1)


def organization_choices(program: Program) -> list[tuple[int, str]]:
    """The organisation itself, its agencies and the organisations directly under it."""
    org = program.organization
    rows = Organization.objects.filter(
        path__startswith=org.path, depth__lte=org.depth + 1, active=True
    ).order_by("depth", "path")
    return [(o.pk, o.name) for o in rows[:300]]


def leader_choices(program: Program) -> list[tuple[int, str]]:
    org = program.organization
    people = (
        Person.objects.filter(
            active=True, organization__path__startswith=org.path, organization__depth__lte=org.depth + 1
        )
        .select_related("organization")
        .order_by("organization__depth", "organization__path", "full_name")
    )
    return [
        (p.pk, f"{p.full_name} — {p.organization.short_name or p.organization.name}") for p in people[:300]
    ]


class ItemForm(forms.Form):
    content = forms.CharField(
        label="Nội dung",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Hãy nhập nội dung."},
    )
    preparing_organization = forms.TypedChoiceField(
        label="Cơ quan chuẩn bị", coerce=int, required=False, empty_value=None
    )
    leader = forms.TypedChoiceField(label="Lãnh đạo phụ trách", coerce=int, required=False, empty_value=None)
    planned_date = _date_field("Ngày dự kiến")
    planned_week = _date_field("Tuần dự kiến", help_text="Một ngày bất kỳ trong tuần.")
    planned_month = forms.CharField(
        label="Tháng dự kiến",
        required=False,
        max_length=7,
        help_text="Tháng/năm, ví dụ 03/2026.",
        widget=forms.TextInput(attrs={"placeholder": "mm/yyyy", "autocomplete": "off"}),
    )
    meeting_kind = forms.ChoiceField(label="Hình thức xem xét", required=False)

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["preparing_organization"].choices = [  # type: ignore[attr-defined]
            ("", "— Chưa giao —"),
            *organization_choices(program),
        ]
        self.fields["leader"].choices = [("", "— Chưa phân công —"), *leader_choices(program)]  # type: ignore[attr-defined]
        self.fields["meeting_kind"].choices = [("", "— Không qua cuộc họp —"), *MeetingKind.choices]  # type: ignore[attr-defined]

    def clean_planned_week(self) -> dt.date | None:
        day = self.cleaned_data.get("planned_week")
        return None if day is None else day - dt.timedelta(days=day.weekday())

    def clean_planned_month(self) -> dt.date | None:
        raw = (self.cleaned_data.get("planned_month") or "").strip()
        if not raw:
            return None
        month = _month(raw)
        if month is None:
            raise forms.ValidationError("Tháng viết theo dạng tháng/năm, ví dụ 03/2026.")
        return month

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        prep = data.get("preparing_organization")
        leader = data.get("leader")
        return {
            "content": data["content"],
            "preparing_organization": Organization.objects.filter(pk=prep).first() if prep else None,
            "leader": Person.objects.filter(pk=leader).first() if leader else None,
            "planned_date": data.get("planned_date"),
            "planned_week": data.get("planned_week"),
            "planned_month": data.get("planned_month"),
            "meeting_kind": data.get("meeting_kind") or "",
        }


class MoveForm(forms.Form):
    program = forms.TypedChoiceField(
        label="Chuyển sang chương trình",
        coerce=int,
        error_messages={"required": "Hãy chọn chương trình kỳ sau."},
    )
    reason = forms.CharField(
        label="Lý do chuyển",
        max_length=1000,
        error_messages={"required": "Hãy nêu lý do chuyển sang kỳ sau."},
    )

    def __init__(self, *args: Any, targets: list[Program], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = [(p.pk, p.title) for p in targets]  # type: ignore[attr-defined]


STATE_CHOICES = [
    (ItemState.DONE, "Đã thực hiện"),
    (ItemState.DROPPED, "Không thực hiện"),
    (ItemState.PLANNED, "Trở lại dự kiến"),
]


class StateForm(forms.Form):
    state = forms.ChoiceField(label="Kết quả", choices=STATE_CHOICES)
    reason = forms.CharField(label="Lý do (khi không thực hiện)", max_length=1000, required=False)
    done_on = _date_field("Ngày thực hiện", help_text="Để trống: hôm nay.")


class CarryForm(forms.Form):
    items = forms.TypedMultipleChoiceField(
        label="Nội dung của chương trình dài hơn",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Hãy chọn ít nhất một nội dung."},
    )

    def __init__(self, *args: Any, candidates: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(i.pk, i.content[:200]) for i in candidates]  # type: ignore[attr-defined]
