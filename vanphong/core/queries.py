"""Query helpers that are not domain code."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet, Window


def first_with_total(queryset: QuerySet[Any], size: int = 5) -> tuple[list[Any], int]:
    """The first ``size`` rows and the number of all rows, in one query (a window count)."""
    rows = list(queryset.annotate(total_rows=Window(Count("pk")))[:size])
    return rows, (rows[0].total_rows if rows else 0)
