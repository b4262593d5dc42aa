"""``TaskTally``: task counts per giving and lead organisation, month and outcome, kept in step with
the tasks in the same transaction, so that dashboards over millions of tasks sum a few
hundred rows. ``recount`` rebuilds it from the tasks (``vanphong tasks-recount``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, DateField, F
from django.db.models.functions import Coalesce, TruncMonth

from vanphong.tasks.models import Task, TaskTally

Bucket = tuple[int, int, dt.date, int]  # (giving organisation id, lead organisation id, month, outcome)


def month_of(task: Task) -> dt.date:
    """The month a task counts in: that of its original due date, or of the day it was
    given when it has none. Neither changes with an extension."""
    day = task.original_due_date or task.assigned_on
    return day.replace(day=1)


def bucket(task: Task) -> Bucket:
    return (task.organization_id, task.lead_organization_id, month_of(task), int(task.outcome))


def _add(rows: Iterable[tuple[Bucket, int]]) -> None:
    table = TaskTally._meta.db_table
    sql = (  # the same upsert on SQLite and PostgreSQL
        f'INSERT INTO "{table}" ("giver_id", "organization_id", "month", "outcome", "count") '  # noqa: S608
        "VALUES (%s, %s, %s, %s, %s) "
        'ON CONFLICT ("organization_id", "giver_id", "month", "outcome") '
        f'DO UPDATE SET "count" = "{table}"."count" + excluded."count"'
    )
    # Sorted by key: two transactions moving tasks between the same buckets in opposite
    # directions take the row locks in the same order and never deadlock.
    params = sorted(
        (giver, org, month, outcome, delta) for (giver, org, month, outcome), delta in rows if delta
    )
    if params:
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)


def move(before: Bucket | None, after: Bucket | None) -> None:
    """Count a task out of ``before`` and into ``after`` (either may be None: created,
    deleted). Call inside the transaction that changes the task."""
    if before == after:
        return
    rows = []
    if before is not None:
        rows.append((before, -1))
    if after is not None:
        rows.append((after, 1))
    _add(rows)


def add_many(buckets: Iterable[Bucket]) -> None:
    """Count many new tasks in (bulk loads)."""
    counts: dict[Bucket, int] = {}
    for b in buckets:
        counts[b] = counts.get(b, 0) + 1
    _add(counts.items())


def recount() -> int:
    """Rebuild the whole tally from the tasks; returns the number of tally rows."""
    with transaction.atomic():
        TaskTally.objects.all().delete()
        rows = (
            Task.objects.annotate(
                month=TruncMonth(Coalesce("original_due_date", "assigned_on"), output_field=DateField())
            )
            .values("organization_id", "lead_organization_id", "month", "outcome")
            .annotate(n=Count("id"))
            .order_by()
        )
        objects = [
            TaskTally(
                giver_id=r["organization_id"],
                organization_id=r["lead_organization_id"],
                month=r["month"],
                outcome=r["outcome"],
                count=r["n"],
            )
            for r in rows
        ]
        TaskTally.objects.bulk_create(objects, batch_size=2000)
    return len(objects)


def _date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def drift() -> list[tuple[Bucket, int, int]]:
    """Buckets where the tally and the tasks disagree: (bucket, tally, tasks). Empty when
    they agree."""
    actual: dict[Bucket, int] = {}
    rows = (
        Task.objects.annotate(
            month=TruncMonth(Coalesce("original_due_date", "assigned_on"), output_field=DateField())
        )
        .values_list("organization_id", "lead_organization_id", "month", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    for giver, org, month, outcome, n in rows:
        actual[(giver, org, _date(month), outcome)] = n
    kept = {
        (giver, org, month, outcome): n
        for giver, org, month, outcome, n in TaskTally.objects.values_list(
            "giver_id", "organization_id", "month", "outcome", F("count")
        )
    }
    keys = set(actual) | set(kept)
    return sorted(
        ((k, kept.get(k, 0), actual.get(k, 0)) for k in keys if kept.get(k, 0) != actual.get(k, 0)),
        key=lambda r: r[0],
    )
