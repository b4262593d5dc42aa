"""What every module's forms share: the date formats a clerk types, a field for several files,
and the one way a service's ``ValidationError`` is put next to a form's fields."""

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
