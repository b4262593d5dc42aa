"""What the task pages share: reading the query string."""

from __future__ import annotations


def parse_int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 12 else None
