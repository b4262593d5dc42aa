"""Numbers as a Vietnamese report writes them: ``1.234,5`` (dot for thousands, comma for
decimals); an empty value as a dash. Deadlines on the office's clock."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone

register = template.Library()


def format_number(value: Any) -> str:
    if value is None or value == "":
        return "—"
    number = Decimal(str(value))
    sign = "-" if number < 0 else ""
    number = abs(number)
    whole = int(number)
    fraction = number - whole
    text = f"{whole:,}".replace(",", ".")
    if fraction:
        digits = f"{fraction:.4f}"[2:].rstrip("0")
        text += "," + digits
    return sign + text


@register.filter
def num(value: Any) -> str:
    return format_number(value)


@register.filter
def signed(value: Any) -> str:
    """A change with its sign (``+12``, ``-3``, ``0``)."""
    if value is None:
        return "—"
    text = format_number(value)
    return f"+{text}" if Decimal(str(value)) > 0 else text


@register.filter
def get(mapping: Any, key: Any) -> Any:
    """``mapping[key]`` in a template (None when absent)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def deadline(value: Any) -> str:
    """A deadline on the office's clock, ``10:00 07/12/2026``; a midnight deadline is the end
    of the day before, ``24:00 07/12/2026`` (as the slot 22:00–24:00 says)."""
    if value is None:
        return "—"
    local = timezone.localtime(value)
    if (local.hour, local.minute, local.second) == (0, 0, 0):
        return f"24:00 {local.date() - dt.timedelta(days=1):%d/%m/%Y}"
    return f"{local:%H:%M %d/%m/%Y}"
