"""HTML input of the registers pages: registers, terms, default books, printing and the
readers of a classified document. Forms check the shape of input only; the rules are in
``services.registers``, ``printing`` and ``readers``, whose ``ValidationError``s come back
next to the fields (``BaseForm.add_service_errors``)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone

from vanphong.core.forms import label_choices
from vanphong.documents.models import NumberReset, Register, RegisterKind, Style
from vanphong.documents.printing import FORMAT_LABELS, LAYOUT_LABELS, Format, Layout, layouts_for, year_period
from vanphong.orgs.forms import DATE_ATTRS, DATE_HELP, BaseForm
from vanphong.orgs.models import Classification, Person


class RegisterForm(BaseForm):
    name = forms.CharField(
        label="Tên sổ", max_length=150, help_text="Ví dụ: Sổ văn bản đến, Sổ văn bản mật đi."
    )
    kind = forms.ChoiceField(label="Loại sổ", choices=RegisterKind.choices)
    reset = forms.ChoiceField(label="Đánh số lại", choices=NumberReset.choices)
    per_type = forms.BooleanField(
        label="Mỗi loại văn bản một dãy số",
        required=False,
        help_text="Văn bản của cấp ủy: mỗi loại (nghị quyết, quyết định, công văn ...) đánh số riêng.",
    )
    classified = forms.BooleanField(
        label="Sổ riêng cho văn bản mật", required=False, help_text="Văn bản mật được vào sổ này."
    )
    secret_series = forms.BooleanField(
        label="Văn bản mật có dãy số riêng",
        required=False,
        help_text="Văn bản hành chính nhà nước (NĐ 30): văn bản mật được cấp hệ thống số riêng. "
        "Văn bản của Đảng: văn bản mật đánh số chung với văn bản thường.",
    )
    style = forms.ChoiceField(label="Thể thức ký hiệu", choices=Style.choices)
    order = forms.IntegerField(
        label="Thứ tự hiển thị", min_value=0, max_value=1000, initial=0, required=False
    )

    def __init__(self, *args: Any, locked: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if locked:
            for name in ("kind", "reset", "per_type", "classified", "secret_series"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "Sổ đã có văn bản vào sổ: không thay đổi được cách đánh số."

    FIELDS = ("name", "kind", "reset", "per_type", "classified", "secret_series", "style", "order")

    @classmethod
    def initial_for(cls, register: Register) -> dict[str, Any]:
        return {name: getattr(register, name) for name in cls.FIELDS}

    def register_fields(self) -> dict[str, Any]:
        """The cleaned values as the register services take them."""
        data = {name: self.cleaned_data[name] for name in self.FIELDS}
        data["order"] = data["order"] or 0
        return data


class DefaultsForm(BaseForm):
    style = forms.ChoiceField(label="Thể thức văn bản của cơ quan", choices=Style.choices)
    term_name = forms.CharField(
        label="Nhiệm kỳ",
        max_length=40,
        required=False,
        help_text="Với cấp ủy chưa khai báo nhiệm kỳ: ví dụ 2025 - 2030.",
    )
    term_start = forms.DateField(
        label="Nhiệm kỳ bắt đầu từ ngày",
        required=False,
        widget=forms.DateInput(attrs=DATE_ATTRS),
        help_text=DATE_HELP,
    )


class TermForm(BaseForm):
    name = forms.CharField(label="Tên nhiệm kỳ", max_length=40, help_text="Ví dụ: 2025 - 2030.")
    starts_on = forms.DateField(
        label="Bắt đầu từ ngày",
        widget=forms.DateInput(attrs=DATE_ATTRS),
        help_text="Ngày sau ngày bế mạc đại hội (hoặc ngày khai mạc hội nghị cấp ủy lần thứ nhất). "
        "Nhiệm kỳ trước kết thúc vào ngày liền trước.",
    )


class PrintForm(BaseForm):
    layout = forms.ChoiceField(label="Mẫu sổ")
    date_from = forms.DateField(
        label="Từ ngày", widget=forms.DateInput(attrs=DATE_ATTRS), help_text=DATE_HELP
    )
    date_to = forms.DateField(label="Đến ngày", widget=forms.DateInput(attrs=DATE_ATTRS))
    fmt = forms.ChoiceField(
        label="Định dạng",
        choices=[(f.value, FORMAT_LABELS[f]) for f in Format],
        widget=forms.RadioSelect,
        initial=Format.PDF.value,
    )

    def __init__(self, *args: Any, register: Register, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["layout"]).choices = [
            (layout.value, LAYOUT_LABELS[layout]) for layout in layouts_for(register)
        ]
        start, end = year_period(timezone.localdate().year)
        self.fields["date_from"].initial = start
        self.fields["date_to"].initial = end

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.")
        if data.get("layout"):
            data["layout"] = Layout(data["layout"])
        return data


class ReaderGrantForm(BaseForm):
    person = forms.ModelChoiceField(label="Cho phép thêm người đọc", queryset=Person.objects.none())

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["person"])
        field.queryset = people
        label_choices(
            field,
            lambda p: (
                f"{p.full_name} — {p.organization.short_name} (tiếp cận: {Classification(p.clearance).label})"
            ),
        )
        field.empty_label = "— Chọn cán bộ —"
