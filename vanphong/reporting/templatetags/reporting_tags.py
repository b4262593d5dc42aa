"""Numbers as a Vietnamese report writes them: ``1.234,5`` (dot for thousands, comma for
decimals); an empty value as a dash."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

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
