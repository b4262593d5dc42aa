"""The forms of the archive's pages: the transfer list and its hand-over, the request to read,
copy or borrow archived files and its decision, the disposal, the package import. They read
what is typed; the rules (what may be transferred, lent, destroyed) are the services'. The
records ticked on a list are read by the views from the posted ``records`` ids."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet

from vanphong.core.forms import DATE_FORMATS, DateInput, FileInput, label_choices, model_field
from vanphong.orgs.models import Organization, Unit
from vanphong.records.models import Record, RequestMode


def _org_label(organization: Organization) -> str:
    return organization.name


class TransferCreateForm(forms.Form):
    unit = forms.ModelChoiceField(
        label="Đơn vị nộp",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="— Cả cơ quan —",
    )
    note = forms.CharField(
        label="Ghi chú", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"org{organization.pk}")
        super().__init__(*args, **kwargs)
        model_field(self, "unit").queryset = Unit.objects.filter(
            organization=organization, active=True
        ).order_by("order", "name")


class HandOverForm(forms.Form):
    boxes = forms.IntegerField(label="Số hộp (cặp)", min_value=0, max_value=10_000, initial=0)
    condition = forms.CharField(
        label="Tình trạng tài liệu",
        required=False,
        max_length=500,
        help_text="Ví dụ: tài liệu đầy đủ theo mục lục, đã đánh số tờ, còn nguyên vẹn.",
    )


class RequestForm(forms.Form):
    records = forms.ModelMultipleChoiceField(
        label="Hồ sơ khai thác",
        queryset=Record.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    purpose = forms.CharField(label="Mục đích khai thác", max_length=500, required=False)
    mode = forms.ChoiceField(
        label="Hình thức", choices=RequestMode.choices, initial=RequestMode.READ, widget=forms.RadioSelect
    )
    return_due = forms.DateField(
        label="Ngày trả",
        required=False,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        help_text="Bắt buộc khi mượn hồ sơ; tối đa một năm kể từ hôm nay.",
    )

    def __init__(self, *args: Any, records: QuerySet[Record], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = model_field(self, "records")
        field.queryset = records
        label_choices(field, lambda r: f"{r.code}/{r.year} – {r.title} ({r.organization.short_name})")


class DecideForm(forms.Form):
    note = forms.CharField(label="Ý kiến", required=False, max_length=500, help_text="Bắt buộc khi từ chối.")


class DisposalForm(forms.Form):
    decision = forms.CharField(
        label="Quyết định hủy của người đứng đầu cơ quan",
        required=False,
        max_length=300,
        help_text="Số, ký hiệu, ngày và người ký quyết định, ví dụ: Quyết định số 12-QĐ/TU ngày 05/3/2026.",
    )
    decided_on = forms.DateField(
        label="Ngày quyết định", required=False, input_formats=DATE_FORMATS, widget=DateInput()
    )
    council_members = forms.CharField(
        label="Hội đồng xác định giá trị tài liệu: thành phần",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    council_text = forms.CharField(
        label="Ý kiến của hội đồng",
        required=False,
        max_length=2500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def council(self) -> str:
        data = self.cleaned_data
        parts = []
        if data.get("council_members"):
            parts.append(f"Thành phần: {data['council_members'].strip()}")
        if data.get("council_text"):
            parts.append(f"Ý kiến: {data['council_text'].strip()}")
        return "\n".join(parts)


class PackageImportForm(forms.Form):
    organization = forms.ModelChoiceField(label="Cơ quan lưu trữ", queryset=Organization.objects.none())
    file = forms.FileField(
        label="Gói lưu trữ (.zip, BagIt)",
        widget=FileInput(attrs={"accept": ".zip,application/zip"}),
        help_text=(
            "Gói tải từ hệ thống (bagit.txt, manifest-sha256.txt, data/). "
            "Gói có tệp sai mã băm bị từ chối cả gói."
        ),
    )

    def __init__(self, *args: Any, organizations: Iterable[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = model_field(self, "organization")
        field.queryset = Organization.objects.filter(pk__in=[o.pk for o in organizations]).order_by(
            "depth", "path"
        )
        label_choices(field, _org_label)
