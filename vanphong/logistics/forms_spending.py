"""Forms of the spending pages: they parse what is typed; the rules are the services'
(``services_spending``), whose errors are put back next to these fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from vanphong.core.forms import DATE_FORMATS, DateInput, label_choices
from vanphong.logistics.models import BudgetLine, SpendingKind
from vanphong.orgs.models import Organization


class ExpenseForm(forms.Form):
    organization = forms.ModelChoiceField(label="Cơ quan", queryset=Organization.objects.none())
    budget_line = forms.ModelChoiceField(label="Dòng dự toán", queryset=BudgetLine.objects.none())
    kind = forms.ModelChoiceField(label="Nội dung chi theo quy chế", queryset=SpendingKind.objects.none())
    description = forms.CharField(label="Diễn giải", max_length=500)
    quantity = forms.IntegerField(
        label="Số lượng", min_value=1, initial=1, help_text="Số người/ngày, số chuyến…"
    )
    amount = forms.IntegerField(label="Số tiền (đồng)", min_value=1)
    spent_on = forms.DateField(label="Ngày chi", input_formats=DATE_FORMATS, widget=DateInput())

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Organization],
        lines: QuerySet[BudgetLine],
        kinds: QuerySet[SpendingKind],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["budget_line"].queryset = lines  # type: ignore[attr-defined]
        self.fields["kind"].queryset = kinds  # type: ignore[attr-defined]
        label_choices(
            self.fields["budget_line"],
            lambda line: f"{line.organization.short_name or line.organization.name}: {line}",
        )
        label_choices(
            self.fields["kind"],
            lambda kind: (
                f"{kind.code} {kind.name}"
                + (f" (tối đa {kind.limit:,} đ/{kind.per or 'lần'})".replace(",", ".") if kind.limit else "")
            ),
        )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label="Quyết định",
        choices=[("approve", "Duyệt chi"), ("refuse", "Không duyệt")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label="Lý do không duyệt", max_length=500, required=False)


class KindForm(forms.Form):
    code = forms.CharField(label="Mã", max_length=20)
    name = forms.CharField(label="Nội dung chi", max_length=200)
    limit = forms.IntegerField(
        label="Mức chi tối đa (đồng)", min_value=1, required=False, help_text="Để trống: không giới hạn."
    )
    per = forms.CharField(
        label="Tính theo", max_length=60, required=False, help_text="Ví dụ: người/ngày, chuyến."
    )
    active = forms.BooleanField(label="Đang áp dụng", required=False, initial=True)


class BudgetLineForm(forms.Form):
    organization = forms.ModelChoiceField(label="Cơ quan", queryset=Organization.objects.none())
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    code = forms.CharField(label="Mã", max_length=20)
    name = forms.CharField(label="Nội dung dự toán", max_length=200)
    amount = forms.IntegerField(label="Dự toán (đồng)", min_value=1)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
