"""Forms of the asset pages: they parse what is typed; the rules are the services'
(``services_assets``), whose errors are put back next to these fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from vanphong.core.forms import DATE_FORMATS, DateInput
from vanphong.logistics.depreciation import CATEGORIES
from vanphong.logistics.models import AssetState
from vanphong.orgs.models import Organization, Person

CATEGORY_CHOICES = [("", "— Chọn loại tài sản —")] + [
    (code, f"{category.name} ({category.rate:g} %/năm)") for code, category in CATEGORIES.items()
]


def _people(organizations: QuerySet[Organization]) -> QuerySet[Person]:
    return Person.objects.filter(active=True, organization__in=organizations).order_by("full_name")


class AssetFilterForm(forms.Form):
    q = forms.CharField(label="Mã, tên tài sản", required=False, max_length=100)
    co_quan = forms.ModelChoiceField(
        label="Cơ quan", queryset=Organization.objects.none(), required=False, empty_label="Tất cả"
    )
    loai = forms.ChoiceField(label="Loại", choices=[("", "Tất cả"), *CATEGORY_CHOICES[1:]], required=False)
    tinh_trang = forms.ChoiceField(
        label="Tình trạng", choices=[("", "Tất cả"), *AssetState.choices], required=False
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["co_quan"].queryset = organizations  # type: ignore[attr-defined]


class AssetForm(forms.Form):
    organization = forms.ModelChoiceField(label="Cơ quan sử dụng", queryset=Organization.objects.none())
    code = forms.CharField(label="Mã tài sản", max_length=40)
    name = forms.CharField(label="Tên tài sản", max_length=300)
    category = forms.ChoiceField(label="Loại tài sản", choices=CATEGORY_CHOICES)
    value = forms.IntegerField(label="Nguyên giá (đồng)", min_value=1)
    in_use_on = forms.DateField(label="Ngày đưa vào sử dụng", input_formats=DATE_FORMATS, widget=DateInput())
    rate = forms.DecimalField(
        label="Tỷ lệ hao mòn riêng (%/năm)",
        required=False,
        max_digits=5,
        decimal_places=2,
        help_text="Để trống để dùng tỷ lệ của loại tài sản.",
    )
    holder = forms.ModelChoiceField(label="Người sử dụng", queryset=Person.objects.none(), required=False)
    location = forms.CharField(label="Nơi đặt", max_length=200, required=False)
    note = forms.CharField(label="Ghi chú", max_length=500, required=False)

    def __init__(
        self, *args: Any, organizations: QuerySet[Organization], editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["holder"].queryset = _people(organizations)  # type: ignore[attr-defined]
        if editing:
            del self.fields["organization"]
            del self.fields["code"]


class TransferForm(forms.Form):
    to_organization = forms.ModelChoiceField(label="Cơ quan nhận", queryset=Organization.objects.none())
    to_holder = forms.ModelChoiceField(
        label="Người nhận sử dụng", queryset=Person.objects.none(), required=False
    )
    on = forms.DateField(label="Ngày bàn giao", input_formats=DATE_FORMATS, widget=DateInput())
    decision = forms.CharField(label="Theo quyết định", max_length=300, required=False)
    condition = forms.CharField(label="Tình trạng khi bàn giao", max_length=500, required=False)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_organization"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["to_holder"].queryset = _people(organizations)  # type: ignore[attr-defined]


class RepairForm(forms.Form):
    description = forms.CharField(
        label="Hư hỏng, đề nghị sửa chữa", max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RepairDoneForm(forms.Form):
    cost = forms.IntegerField(label="Chi phí (đồng)", min_value=0, required=False)
    result = forms.CharField(label="Kết quả sửa chữa", max_length=1000)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Lý do", max_length=1000)


class StockTakeOpenForm(forms.Form):
    organization = forms.ModelChoiceField(label="Cơ quan kiểm kê", queryset=Organization.objects.none())
    on = forms.DateField(label="Ngày kiểm kê", input_formats=DATE_FORMATS, widget=DateInput())
    members = forms.CharField(label="Tổ kiểm kê", max_length=1000, required=False)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


class StockLineForm(forms.Form):
    found = forms.TypedChoiceField(
        label="Kết quả",
        choices=[("1", "Có"), ("0", "Không có")],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    condition = forms.CharField(label="Tình trạng thực tế", max_length=300, required=False)
    note = forms.CharField(label="Chênh lệch, ghi chú", max_length=500, required=False)
