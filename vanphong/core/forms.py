"""What every module's forms share: the date formats a clerk types, a field for several files,
the one way a service's ``ValidationError`` is put next to a form's fields, and the checks
every typed text and date passes, on pages and in the API (``install_input_checks``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
# Codes of ``core.files.spool_upload``'s refusals: shown next to the files field.
FILE_ERROR_CODES = frozenset({"too_large", "empty", "unsupported"})
# No date typed in is earlier: in a Party office an older one is a typing slip (01/01/0001,
# or 05/11/25 read as the year 25).
EARLIEST_DATE = dt.date(1900, 1, 1)
# Bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069):
# invisible, they make a text display in another order than it reads ("Trojan Source"),
# e.g. a symbol or subject shown as something else in lists, exports and printed registers.
BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))


def refuse_before_1900(value: dt.date | None) -> None:
    """A date (or date and time) before 1900 is refused."""
    if value is not None and value.year < EARLIEST_DATE.year:
        raise ValidationError(
            "Ngày không hợp lệ: phải từ ngày 01/01/1900 trở về sau (năm có bốn chữ số).",
            code="date_too_early",
        )


def refuse_bidi_controls(value: Any) -> None:
    """A text holding a bidirectional override character is refused, naming it (a value that
    is not a text, such as the parsed value of a JSON field, is left alone)."""
    if not isinstance(value, str) or BIDI_CONTROLS.isdisjoint(value):
        return
    found = next(c for c in value if c in BIDI_CONTROLS)
    raise ValidationError(
        "Văn bản chứa ký tự ẩn điều khiển chiều chữ (U+%(code)04X), có thể làm nội dung hiển thị "
        "sai thứ tự. Hãy xóa ký tự này (thường do sao chép từ nơi khác) rồi gửi lại.",
        code="bidi_control",
        params={"code": ord(found)},
    )


# The ``autocomplete`` tokens by which an HTML form declares a credential's field.
CREDENTIAL_AUTOCOMPLETE = frozenset({"current-password", "new-password", "one-time-code"})


def is_secret_field(field: Any) -> bool:
    """Whether ``field`` takes a secret (a password, a one-time code), by its kind: a form
    field drawn as a password input or whose ``autocomplete`` names a credential; a
    serializer field styled as a password input (``style={"input_type": "password"}``).

    A secret may hold any character, and is checked only by what it is for (Django's
    password validators, the authenticator device), never by its characters: a check on
    them would refuse a password that works, and tell what it holds."""
    widget = getattr(field, "widget", None)
    if isinstance(widget, forms.Widget):
        return (
            isinstance(widget, forms.PasswordInput)
            or widget.attrs.get("autocomplete") in CREDENTIAL_AUTOCOMPLETE
        )
    style = getattr(field, "style", None)
    return isinstance(style, dict) and style.get("input_type") == "password"


class ExceptOnSecrets:
    """Default validators ``checks`` of a field class, read from each field as it is built
    (its widget or style is set by then: Django reads them at the end of ``Field.__init__``,
    DRF on first use), and none on a secret's field (``is_secret_field``)."""

    def __init__(self, *checks: Callable[[Any], None]) -> None:
        self.checks = checks

    def __get__(self, field: Any, owner: type | None = None) -> list[Callable[[Any], None]]:
        if field is not None and is_secret_field(field):
            return []
        return list(self.checks)


def install_input_checks() -> None:
    """Every text and date field of every form (Django) and serializer (DRF) refuses
    bidirectional override characters and dates before 1900, with the messages above; a
    field for a password or a one-time code (``is_secret_field``) takes any text.

    Set once at start-up as the fields' ``default_validators``, so that no form or
    serializer can forget them: by ``vanphong.core.apps``, whose ready() runs before the
    other apps' (a form class built earlier would keep Django's defaults). A DRF field declared with its own
    ``validators=[...]`` replaces its defaults: add these two to such a list. A secret is
    known by its field's kind, not its name: a form field with ``forms.PasswordInput`` (or
    an ``autocomplete`` of current-password, new-password or one-time-code), a serializer
    field with ``style={"input_type": "password"}`` (and ``write_only=True``, never sent back)."""
    from rest_framework import serializers

    checks: list[tuple[Any, Any]] = [
        (forms.CharField, ExceptOnSecrets(refuse_bidi_controls)),
        (forms.DateField, [refuse_before_1900]),
        (forms.DateTimeField, [refuse_before_1900]),
        (serializers.CharField, ExceptOnSecrets(refuse_bidi_controls)),
        (serializers.DateField, [refuse_before_1900]),
        (serializers.DateTimeField, [refuse_before_1900]),
    ]
    for field_class, defaults in checks:
        field_class.default_validators = defaults


def parse_date(value: str | None) -> dt.date | None:
    """A calendar date typed in any of ``DATE_FORMATS``, or None."""
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime((value or "").strip(), fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    return None


class DateInput(forms.TextInput):
    def __init__(self) -> None:
        super().__init__(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"})


class FileInput(forms.ClearableFileInput):
    """A file field whose words are Vietnamese ("Chọn tệp", "Chưa chọn tệp", then the chosen
    names) instead of the browser's own, which follow the browser's language."""

    template_name = "core/widgets/file_input.html"


class MultipleFileInput(FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def label_choices(field: forms.Field, label: Callable[[Any], str]) -> None:
    """Label the choices of a model choice field with ``label`` instead of ``str(obj)``."""
    # An instance attribute in place of the method, which Django calls as ``label(obj)``.
    cast(forms.ModelChoiceField, field).label_from_instance = label  # type: ignore[method-assign,assignment]


def apply_errors(
    form: forms.BaseForm, error: ValidationError, *, aliases: dict[str, str] | None = None
) -> None:
    """Put a service's errors next to the form's fields: by the service's key (or its alias
    in ``aliases``) when the form has that field, else on top. A refused upload goes next to
    the form's ``files`` field."""
    aliases = aliases or {}
    if hasattr(error, "error_dict"):
        for key, problems in error.message_dict.items():
            field = aliases.get(key, key)
            form.add_error(field if field in form.fields else None, problems)
        return
    codes = {e.code for e in error.error_list}
    target = "files" if codes & FILE_ERROR_CODES and "files" in form.fields else None
    form.add_error(target, error.messages)


def model_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """The form's model-choice field ``name``, typed as such (a form sets its queryset and
    labels for the reader when it is built)."""
    return cast(forms.ModelChoiceField, form.fields[name])


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's choice field ``name``, typed as such."""
    return cast(forms.ChoiceField, form.fields[name])
