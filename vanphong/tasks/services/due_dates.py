"""Keeping the working-day due dates right when the office calendar changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from vanphong.tasks.calendar import WorkCalendar
from vanphong.tasks.models import (
    Outcome,
    Task,
)


def effective_due_refresh(*, around: Iterable[dt.date] = (), calendar: WorkCalendar | None = None) -> int:
    """After the calendar changed: move the working-day due date of the open tasks due near
    the changed days (a run of days off is never longer than two months). Returns how many
    tasks changed."""
    days = sorted(set(around))
    if not days:
        return 0
    calendar = calendar or WorkCalendar.load()
    low, high = days[0] - dt.timedelta(days=62), days[-1]
    changed = 0
    dues = (
        Task.objects.filter(outcome=Outcome.OPEN, due_date__gte=low, due_date__lte=high)
        .values_list("due_date", flat=True)
        .distinct()
    )
    for due in list(dues):
        changed += (
            Task.objects.filter(outcome=Outcome.OPEN, due_date=due)
            .exclude(effective_due=calendar.effective_due(due))
            .update(effective_due=calendar.effective_due(due))
        )
    return changed
