"""HTML input of the meeting pages. Fields only parse and check types; every rule lives in
``services`` (their errors are put next to the fields with ``core.forms.apply_errors``)."""

from __future__ import annotations

from typing import Any

from django import forms

from vanphong.core.forms import DATE_FORMATS, DATETIME_FORMATS, FileInput
from vanphong.orgs.models import Organization, Person
from vanphong.orgs.selectors import party_choices, resolve_target
from vanphong.programs.models import Attendance, MeetingKind, Room

DATETIME_ERROR = "Thời gian viết theo dạng ngày/tháng/năm giờ:phút, ví dụ 05/11/2025 08:00."


class DateTimeInput(forms.DateTimeInput):
    def __init__(self) -> None:
        super().__init__(
            attrs={"placeholder": "dd/mm/yyyy hh:mm", "autocomplete": "off"}, format="%d/%m/%Y %H:%M"
        )


def _people_choices(organization: Organization | None) -> list[tuple[int, str]]:
    """Active people of the organisation, of its agencies and of those directly under it."""
    people = Person.objects.filter(active=True).select_related("organization")
    if organization is not None:
        people = people.filter(
            organization__path__startswith=organization.path, organization__depth__lte=organization.depth + 1
        )
    return [
        (p.pk, f"{p.full_name} — {p.organization.short_name or p.organization.name}") for p in people[:500]
    ]


class MeetingForm(forms.Form):
    organization = forms.ModelChoiceField(
        label="Cơ quan", queryset=Organization.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(label="Loại cuộc họp", choices=MeetingKind.choices)
    title = forms.CharField(label="Tên cuộc họp", max_length=500)
    start = forms.DateTimeField(
        label="Bắt đầu",
        input_formats=DATETIME_FORMATS,
        widget=DateTimeInput(),
        error_messages={"invalid": DATETIME_ERROR, "required": "Hãy nhập thời gian bắt đầu."},
    )
    end = forms.DateTimeField(
        label="Kết thúc",
        input_formats=DATETIME_FORMATS,
        widget=DateTimeInput(),
        error_messages={"invalid": DATETIME_ERROR, "required": "Hãy nhập thời gian kết thúc."},
    )
    room = forms.ModelChoiceField(
        label="Phòng họp", queryset=Room.objects.none(), required=False, empty_label="— Họp ngoài trụ sở —"
    )
    place = forms.CharField(label="Địa điểm (khi họp ngoài trụ sở)", max_length=300, required=False)
    chair = forms.TypedChoiceField(label="Chủ trì", coerce=int)
    participants = forms.TypedMultipleChoiceField(
        label="Thành phần dự họp", coerce=int, required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    guests = forms.TypedMultipleChoiceField(
        label="Khách mời", coerce=int, required=False, widget=forms.SelectMultiple(attrs={"size": 5})
    )

    def __init__(self, *args: Any, organizations: Any, rooms: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["room"].queryset = rooms  # type: ignore[attr-defined]
        organization = self._organization(organizations)
        people = _people_choices(organization)
        self.fields["chair"].choices = [("", "— Chọn người chủ trì —"), *people]  # type: ignore[attr-defined]
        self.fields["participants"].choices = people  # type: ignore[attr-defined]
        self.fields["guests"].choices = _people_choices(None)  # type: ignore[attr-defined]
        self.fields["chair"].error_messages["required"] = "Hãy chọn người chủ trì."
        self.fields["title"].error_messages["required"] = "Hãy nhập tên cuộc họp."

    def _organization(self, organizations: Any) -> Organization | None:
        raw = self.data.get("organization") if self.is_bound else self.initial.get("organization")
        if raw:
            found = organizations.filter(pk=raw if str(raw).isdigit() else None).first()
            if found is not None:
                return found
        return organizations.first()

    def people(self, ids: list[int]) -> list[Person]:
        found = {p.pk: p for p in Person.objects.filter(pk__in=ids)}
        return [found[i] for i in ids if i in found]


class AgendaForm(forms.Form):
    title = forms.CharField(
        label="Nội dung", max_length=500, error_messages={"required": "Hãy nhập nội dung."}
    )
    documents = forms.CharField(
        label="Tài liệu (số, ký hiệu hoặc mã văn bản, cách nhau bằng dấu phẩy)",
        required=False,
        max_length=1000,
        help_text="Ví dụ: 15-BC/TU, 1234. Chỉ văn bản bạn được xem.",
    )


class ConclusionForm(forms.Form):
    text = forms.CharField(
        label="Nội dung kết luận",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Hãy nhập nội dung kết luận."},
    )
    lead = forms.ChoiceField(label="Chủ trì thực hiện", required=False)
    cooperating = forms.MultipleChoiceField(
        label="Phối hợp", required=False, widget=forms.SelectMultiple(attrs={"size": 5})
    )
    due_date = forms.DateField(
        label="Thời hạn",
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off"}, format="%d/%m/%Y"),
        error_messages={"invalid": "Ngày phải viết theo dạng ngày/tháng/năm, ví dụ 05/11/2025."},
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = party_choices(organization, outside_bodies=True)
        self.fields["lead"].choices = [("", "— Không giao việc —"), *choices]  # type: ignore[attr-defined]
        self.fields["cooperating"].choices = choices  # type: ignore[attr-defined]

    def clean_lead(self) -> Any:
        value = self.cleaned_data.get("lead")
        return resolve_target(value) if value else None

    def clean_cooperating(self) -> list[Any]:
        targets = [resolve_target(v) for v in self.cleaned_data.get("cooperating") or []]
        return [t for t in targets if t is not None]


class AttendanceForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    attendance = forms.ChoiceField(label="Tham dự", choices=Attendance.choices)
    reason = forms.CharField(label="Lý do vắng", max_length=300, required=False)


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label="Biên bản",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=100_000,
        required=False,
    )
    minutes_file = forms.FileField(
        label="Tệp biên bản (bản ký, bản quét hoặc .docx)",
        required=False,
        widget=FileInput,
        help_text="PDF, DOCX, JPEG, PNG hoặc TIFF.",
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Lý do hủy, hoãn",
        max_length=500,
        error_messages={"required": "Hãy ghi lý do hủy, hoãn cuộc họp."},
    )


class RoomForm(forms.Form):
    organization = forms.ModelChoiceField(
        label="Cơ quan quản lý", queryset=Organization.objects.none(), empty_label=None
    )
    name = forms.CharField(
        label="Tên phòng", max_length=200, error_messages={"required": "Hãy nhập tên phòng họp."}
    )
    capacity = forms.IntegerField(
        label="Sức chứa (người)",
        min_value=0,
        max_value=5000,
        initial=0,
        error_messages={
            "invalid": "Sức chứa phải là một số nguyên.",
            "min_value": "Sức chứa phải từ 0 đến 5000.",
            "max_value": "Sức chứa phải từ 0 đến 5000.",
            "required": "Hãy nhập sức chứa.",
        },
    )
    equipment = forms.CharField(label="Trang thiết bị", max_length=500, required=False)

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
