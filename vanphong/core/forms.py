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


def install_input_checks() -> None:
    """Every text and date field of every form (Django) and serializer (DRF) refuses
    bidirectional override characters and dates before 1900, with the messages above.

    Set once at start-up (``vanphong.api.apps``) as the fields' ``default_validators``, so
    that no form or serializer can forget them. A DRF field declared with its own
    ``validators=[...]`` replaces its defaults: add these two to such a list."""
    from rest_framework import serializers

    checks: list[tuple[Any, Callable[[Any], None]]] = [
        (forms.CharField, refuse_bidi_controls),
        (forms.DateField, refuse_before_1900),
        (forms.DateTimeField, refuse_before_1900),
        (serializers.CharField, refuse_bidi_controls),
        (serializers.DateField, refuse_before_1900),
        (serializers.DateTimeField, refuse_before_1900),
    ]
    for field_class, check in checks:
        field_class.default_validators = [check]


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


class MultipleFileInput(forms.ClearableFileInput):
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
