"""The exchange's forms: a package imported from a file, and a peer (another instance) with
the secrets each direction is signed with."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.db.models import QuerySet

from vanphong.exchange.models import Peer
from vanphong.orgs.models import Organization

SECRET_MIN_LENGTH = 24


def random_secret() -> str:
    """A fresh secret for one direction of a connection (43 characters, 256 bits)."""
    return secrets.token_urlsafe(32)


def masked(secret: str) -> str:
    """A secret as shown once saved: its first four characters, the rest hidden."""
    if not secret:
        return ""
    return secret[:4] + "•" * 8 + f" ({len(secret)} ký tự)"


class ImportForm(forms.Form):
    organization = forms.ModelChoiceField(
        label="Cơ quan nhận",
        queryset=Organization.objects.none(),
        empty_label=None,
        help_text="Gói tin được nhập vào hàng chờ vào sổ của cơ quan này.",
    )
    file = forms.FileField(
        label="Tệp gói tin edXML",
        help_text="Tệp .edxml (hoặc .xml) theo QCVN 102:2016 nhận được từ cơ quan gửi.",
        widget=forms.ClearableFileInput(attrs={"accept": ".edxml,.xml,application/xml,text/xml"}),
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organizations


class PeerForm(forms.ModelForm):
    """A peer. Its secrets are never shown again once saved: left blank on a change they stay as
    they were; "tạo khóa ngẫu nhiên" makes the inbound one (the key this system issues)."""

    generate_inbound = forms.BooleanField(
        label="Tạo khóa nhận về ngẫu nhiên",
        required=False,
        help_text="Hệ thống tạo khóa mới và hiển thị một lần để chuyển cho quản trị bên kia.",
    )

    base_url = forms.URLField(
        label="Địa chỉ",
        max_length=300,
        assume_scheme="https",
        help_text="Địa chỉ HTTPS của hệ thống bên kia, ví dụ https://vp.tinhuy.vn/",
    )

    class Meta:
        model = Peer
        fields = [
            "name",
            "code",
            "base_url",
            "organizations",
            "outbound_secret",
            "inbound_secret",
            "sends_figures",
            "active",
        ]
        widgets = {
            "outbound_secret": forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
            "inbound_secret": forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
            "organizations": forms.SelectMultiple(attrs={"size": 10}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organizations = self.fields["organizations"]
        assert isinstance(organizations, forms.ModelMultipleChoiceField)
        organizations.queryset = Organization.objects.filter(hosted=False, active=True).order_by("name")
        organizations.help_text = (
            "Các cơ quan dùng hệ thống bên kia: văn bản gửi đến các cơ quan này đi qua kết nối này."
        )
        self.editing = self.instance.pk is not None
        for name in ("outbound_secret", "inbound_secret"):
            field = self.fields[name]
            field.required = False
            if self.editing:
                shown = masked(getattr(self.instance, name))
                field.help_text = f"{field.help_text} Đang dùng: {shown}. Để trống nếu giữ nguyên."

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().lower()

    def _secret(self, name: str, *, generated: bool = False) -> str:
        value = str(self.cleaned_data.get(name) or "").strip()
        if not value and self.editing:
            return str(getattr(self.instance, name))
        if not value and not generated:
            self.add_error(name, "Nhập khóa.")
        elif value and len(value) < SECRET_MIN_LENGTH:
            self.add_error(name, f"Khóa phải dài ít nhất {SECRET_MIN_LENGTH} ký tự.")
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        generate = bool(cleaned.get("generate_inbound"))
        cleaned["outbound_secret"] = self._secret("outbound_secret")
        cleaned["inbound_secret"] = self._secret("inbound_secret", generated=generate)
        self.generated = ""
        if generate and not self.errors:
            self.generated = random_secret()
            cleaned["inbound_secret"] = self.generated
        if (
            cleaned.get("outbound_secret")
            and cleaned.get("inbound_secret")
            and cleaned["outbound_secret"] == cleaned["inbound_secret"]
        ):
            self.add_error("inbound_secret", "Khóa nhận về phải khác khóa gửi đi.")
        return cleaned
