"""Forms of the incoming pages: HTML input only; the rules live in ``services.incoming``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils import timezone

from vanphong.core.forms import DATE_FORMATS, DATETIME_FORMATS, DateInput, MultipleFileField
from vanphong.documents import doctypes
from vanphong.documents.models import AssignmentRole, Urgency
from vanphong.orgs.models import Classification, Organization

CHANNELS = [
    ("giấy", "Bản giấy"),
    ("điện tử", "Văn bản điện tử"),
    ("thư điện tử", "Thư điện tử"),
    ("liên thông", "Trục liên thông"),
]


def doc_type_choices() -> list[tuple[str, str]]:
    return [("", "— Theo ký hiệu —"), *doctypes.type_choices(lambda entry: entry.in_symbol)]


class IncomingRegisterForm(forms.Form):
    """Fields in the order a clerk reads a document, top to bottom."""

    symbol = forms.CharField(
        label="Số, ký hiệu",
        max_length=100,
        help_text="Gõ như in trên văn bản, ví dụ 15-NQ/TU hoặc 1059/QĐ-TTg.",
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "spellcheck": "false"}),
    )
    issuer_name = forms.CharField(
        label="Cơ quan ban hành",
        max_length=255,
        required=False,
        help_text="Để trống nếu ký hiệu đã cho biết (TU, TW ...).",
        widget=forms.TextInput(attrs={"list": "frequent-issuers", "autocomplete": "off"}),
    )
    issued_date = forms.DateField(
        label="Ngày văn bản", required=False, input_formats=DATE_FORMATS, widget=DateInput()
    )
    doc_type = forms.ChoiceField(label="Loại văn bản", required=False, choices=doc_type_choices)
    subject = forms.CharField(
        label="Trích yếu nội dung",
        max_length=5000,
        widget=forms.TextInput(attrs={"class": "input-wide", "autocomplete": "off"}),
    )
    urgency = forms.ChoiceField(label="Độ khẩn", choices=Urgency.choices, initial=Urgency.NORMAL)
    classification = forms.TypedChoiceField(
        label="Độ mật", choices=Classification.choices, coerce=int, initial=Classification.NONE
    )
    signer_name = forms.CharField(label="Người ký", max_length=120, required=False)
    files = MultipleFileField(label="Tệp văn bản", required=False)  # type: ignore[assignment]  # a field, not BaseForm.files
    received_at = forms.DateTimeField(
        label="Ngày đến",
        input_formats=DATETIME_FORMATS,
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy hh:mm", "autocomplete": "off"}),
    )
    channel = forms.ChoiceField(label="Hình thức nhận", choices=CHANNELS, initial="giấy")
    signer_position = forms.CharField(label="Chức vụ người ký", max_length=120, required=False)
    page_count = forms.IntegerField(label="Số trang", required=False, min_value=1, max_value=32000)
    notes = forms.CharField(label="Ghi chú", required=False, max_length=2000)

    def __init__(self, *args: Any, organizations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and "received_at" not in self.initial:
            self.initial["received_at"] = timezone.localtime().strftime("%d/%m/%Y %H:%M")
        orgs = list(organizations or [])
        if len(orgs) > 1:
            self.fields["organization"] = forms.TypedChoiceField(
                label="Vào sổ của", choices=[(o.pk, o.name) for o in orgs], coerce=int
            )
            self.order_fields(["organization"])

    def issuer(self) -> Organization | None:
        """The organisation whose name the clerk typed (or picked from the list), if exactly one."""
        name = self.cleaned_data.get("issuer_name", "")
        if not name:
            return None
        matches = list(Organization.objects.filter(name__iexact=name, active=True)[:2])
        if len(matches) != 1:
            matches = list(Organization.objects.filter(short_name__iexact=name, active=True)[:2])
        return matches[0] if len(matches) == 1 else None


class PresentForm(forms.Form):
    to_person = forms.TypedChoiceField(label="Trình đồng chí", coerce=int)
    note = forms.CharField(label="Ghi chú khi trình", required=False, max_length=500)

    def __init__(self, *args: Any, people: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["to_person"]).choices = [("", "— Chọn lãnh đạo —")] + [
            (p.pk, f"{p.full_name}{' — ' + p.position.name if p.position_id else ''}") for p in people
        ]


class DirectionForm(forms.Form):
    text = forms.CharField(
        label="Ý kiến chỉ đạo",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ví dụ: Giao Văn phòng chủ trì, phối hợp Ban Tổ chức tham mưu.",
    )


class AssignmentRowForm(forms.Form):
    target = forms.ChoiceField(label="Nơi nhận việc", required=False)
    role = forms.ChoiceField(label="Vai trò", choices=AssignmentRole.choices, required=False)
    due_date = forms.DateField(
        label="Hạn xử lý", required=False, input_formats=DATE_FORMATS, widget=DateInput()
    )

    def __init__(self, *args: Any, targets: Sequence[tuple[str, Any]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["target"]).choices = [("", "—"), *targets]
        # The first row is usually the lead, the next ones cooperate.
        assert self.prefix is not None  # a row of AssignmentFormSet
        self.fields["role"].initial = (
            AssignmentRole.LEAD if self.prefix.endswith("-0") else AssignmentRole.COOPERATE
        )

    def assignment(self) -> dict[str, Any] | None:
        """``{"organization"|"unit"|"person": id, "role", "due_date"}``, or None for an empty row."""
        target = self.cleaned_data.get("target")
        if not target:
            return None
        kind, _sep, pk = target.partition(":")
        return {
            kind: int(pk),
            "role": self.cleaned_data.get("role") or "",
            "due_date": self.cleaned_data.get("due_date"),
        }


AssignmentFormSet = forms.formset_factory(AssignmentRowForm, extra=3, max_num=10, validate_max=True)


class ProcessedForm(forms.Form):
    reply = forms.TypedChoiceField(label="Văn bản trả lời", required=False, coerce=int, empty_value=None)
    note = forms.CharField(label="Ghi chú", required=False, max_length=500)

    def __init__(self, *args: Any, replies: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["reply"]).choices = [("", "— Không có —")] + [
            (d.pk, f"{d.symbol or 'Chưa có số'} — {d.subject[:80]}") for d in replies
        ]
