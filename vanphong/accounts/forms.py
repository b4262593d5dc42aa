"""HTML input only: the rules themselves live in services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts
from django.utils.translation import gettext_lazy as _


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "username",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
        error_messages={"required": _("Vui lòng nhập tên đăng nhập.")},
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Vui lòng nhập mật khẩu.")},
    )


class OtpForm(forms.Form):
    otp = forms.CharField(
        label=_("Mã xác thực"),
        max_length=12,
        help_text=_("Mã gồm 6 chữ số đang hiện trong ứng dụng xác thực trên điện thoại."),
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "size": 8,
            }
        ),
        error_messages={"required": _("Vui lòng nhập mã xác thực.")},
    )

    def clean_otp(self) -> str:
        value = "".join(self.cleaned_data["otp"].split())
        if not value.isdigit() or len(value) not in (6, 8):
            raise forms.ValidationError(_("Mã xác thực gồm 6 chữ số."))
        return value


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label=_("Mật khẩu hiện tại"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
        error_messages={"required": _("Vui lòng nhập mật khẩu hiện tại.")},
    )
    new_password = forms.CharField(
        label=_("Mật khẩu mới"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Vui lòng nhập mật khẩu mới.")},
    )
    new_password_repeat = forms.CharField(
        label=_("Nhập lại mật khẩu mới"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Vui lòng nhập lại mật khẩu mới.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password"].help_text = " ".join(password_validators_help_texts())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        new, repeat = data.get("new_password"), data.get("new_password_repeat")
        if new and repeat and new != repeat:
            self.add_error("new_password_repeat", _("Hai lần nhập mật khẩu mới không khớp nhau."))
        return data


class AccountSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm theo họ tên hoặc tên đăng nhập"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"placeholder": _("Họ tên hoặc tên đăng nhập")}),
    )
