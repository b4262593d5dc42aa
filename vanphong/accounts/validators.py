from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """A password must mix letters and digits (and is already long: see settings)."""

    def validate(self, password: str, user: Any = None) -> None:
        if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
            raise ValidationError(_("Mật khẩu phải có cả chữ và số."), code="password_character_classes")

    def get_help_text(self) -> str:
        return _("Mật khẩu phải có cả chữ và số.")


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule, with its message in Vietnamese: Django's own catalogue for
    ``vi`` leaves this one sentence in English."""

    def get_error_message(self) -> str:
        return _("Mật khẩu quá ngắn. Mật khẩu phải có ít nhất %(min_length)d ký tự.") % {
            "min_length": self.min_length
        }

    def get_help_text(self) -> str:
        return _("Mật khẩu phải có ít nhất %(min_length)d ký tự.") % {"min_length": self.min_length}
