"""Demo tasks (through the services), the bulk loader behind ``--scale``, and the benchmark."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, F
from django.utils import timezone

from vanphong.audit.models import AuditEvent
from vanphong.demo import orgs as orgs_demo
from vanphong.demo import tasks as demo
from vanphong.demo.documents import seed_documents
from vanphong.documents.models import Assignment
from vanphong.tasks import selectors, tally
from vanphong.tasks.calendar import WorkCalendar
from vanphong.tasks.models import (
    DONE_STATES,
    EventKind,
    ExtensionRequest,
    ExtensionState,
    Outcome,
    PartyRole,
    SourceKind,
    Status,
    Task,
    TaskEvent,
    TaskParty,
    TaskState,
)

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


def statuses(today: selectors.Today) -> Counter[str]:
    return Counter(selectors.with_status(Task.objects.all(), today).values_list("status", flat=True))


def test_demo_tasks_cover_every_status_through_the_services(db):
    orgs_demo.seed_demo(scale=1)
    seed_documents(scale=1)
    today = timezone.localdate()
    result = demo.seed_tasks(today=today)["demo"]

    tasks = Task.objects.all()
    assert result["tasks"] == tasks.count() >= 200
    seen = statuses(selectors.Today.now(day=today))
    assert set(seen) == set(Status.values), seen
    assert tally.drift() == []

    # Every source the issue names, with links back where the source is a row.
    # (A work programme's tasks are given by the programmes' own demo, on approval.)
    kinds = Counter(tasks.values_list("source_kind", flat=True))
    # The programmes', the records' and the shared services' tasks come from their own demos
    # (test_demo_records, test_demo_logistics).
    assert set(kinds) == set(SourceKind.values) - {
        SourceKind.PROGRAM,
        SourceKind.RECORD,
        SourceKind.LOGISTICS,
    }
    from_directions = tasks.filter(source_kind=SourceKind.DIRECTION, source_id__isnull=False)
    assert from_directions.count() == Assignment.objects.filter(task_id__isnull=False).count() > 50
    assert not from_directions.filter(source_document__isnull=True).exists()
    assert tasks.filter(source_kind=SourceKind.CONCLUSION, parties__role=PartyRole.COOPERATE).exists()

    # Breakdown: parents show their subtasks' progress; recurring series have their periods.
    parents = tasks.filter(children__isnull=False).distinct()
    assert parents.count() >= 4
    for parent in parents.filter(outcome=Outcome.OPEN):
        children = list(parent.children.exclude(outcome=Outcome.CANCELLED))
        expected = round(
            sum(100 if c.outcome != Outcome.OPEN else c.progress for c in children) / len(children)
        )
        assert parent.progress == min(expected, 99)
    per_series = tasks.filter(series__isnull=False).values("series").annotate(n=Count("id"))
    assert len(per_series) == len(demo.SERIES) and min(r["n"] for r in per_series) >= 3

    # Every step of the lifecycle, with its history in the order it happened.
    extended = [t for t in tasks.filter(outcome=Outcome.OPEN) if t.extended]
    assert extended and all(t.due_date > t.original_due_date for t in extended)
    assert tasks.filter(outcome=Outcome.ON_TIME, events__kind=EventKind.EXTENSION_APPROVED).exists()
    assert tasks.filter(outcome=Outcome.OPEN, events__kind=EventKind.RETURNED).exists()
    assert ExtensionRequest.objects.filter(state=ExtensionState.PENDING).exists()
    assert ExtensionRequest.objects.filter(state=ExtensionState.REFUSED).exists()
    assert (
        tasks.filter(state=TaskState.CONFIRMED).exists() and tasks.filter(state=TaskState.COMPLETED).exists()
    )
    assert TaskEvent.objects.filter(kind=EventKind.PROGRESS, percent__isnull=False).exists()
    for task in tasks:
        moments = list(task.events.order_by("id").values_list("at", flat=True))
        assert moments == sorted(moments), task
        assert timezone.localdate(moments[0]) == task.assigned_on
        assert max(timezone.localdate(m) for m in moments) <= today
        if task.state in DONE_STATES:
            assert task.assigned_on <= task.completed_on <= today
    assert AuditEvent.objects.filter(action="task.create").count() == result["tasks"]
    assert AuditEvent.objects.filter(action="demo.seed_tasks").exists()

    with pytest.raises(demo.TasksExist):
        demo.seed_tasks(today=today)

    # The Tỉnh ủy's classified tasks are seen by its leaders and its classified clerk, not by
    # the ordinary văn thư (the Văn phòng has appointed vanthumat).
    from django.contrib.auth import get_user_model

    from vanphong.tasks.access import visible_tasks

    users = get_user_model().objects
    assert Task.objects.filter(classification__gt=0).exists()
    assert not visible_tasks(users.get(username="vanthu")).filter(classification__gt=0).exists()
    assert visible_tasks(users.get(username="vanthumat")).filter(classification__gt=0).exists()


def test_demo_tasks_without_documents(db):
    orgs_demo.seed_demo(scale=1)
    today = timezone.localdate()
    demo.seed_tasks(today=today)
    assert set(statuses(selectors.Today.now(day=today))) == set(Status.values)
    directions = Task.objects.filter(source_kind=SourceKind.DIRECTION)
    assert directions.count() == 60 and not directions.filter(source_document__isnull=False).exists()
    assert tally.drift() == []


def check_bulk(count: int) -> None:
    assert Task.objects.count() == count
    calendar = WorkCalendar.load()
    for due, effective in Task.objects.values_list("due_date", "effective_due"):
        assert effective == calendar.effective_due(due)
    assert tally.drift() == []
    assert TaskParty.objects.filter(role=PartyRole.LEAD).count() == count
    assert TaskParty.objects.filter(role=PartyRole.COOPERATE).count() > count // 10
    outcomes = Counter(Task.objects.values_list("outcome", flat=True))
    assert 0.02 <= outcomes[Outcome.OPEN] / count <= 0.10
    assert outcomes[Outcome.ON_TIME] > outcomes[Outcome.LATE] > outcomes[Outcome.CANCELLED] > 0
    assert not Task.objects.filter(state__in=DONE_STATES, completed_on__isnull=True).exists()
    assert not Task.objects.filter(outcome=Outcome.OPEN, completed_on__isnull=False).exists()
    assert Task.objects.filter(due_date__gt=F("original_due_date")).exists()  # extended
    assert not TaskEvent.objects.exists()  # no per-row services in bulk


def test_scale_bulk_loads_n_times_two_thousand_tasks(db):
    orgs_demo.seed_demo(scale=1)
    result = demo.seed_tasks(today=timezone.localdate(), scale=1, demo=False)["bulk"]
    assert result["tasks"] == demo.TASKS_PER_SCALE
    check_bulk(demo.TASKS_PER_SCALE)
    with pytest.raises(demo.TasksExist):
        demo.seed_tasks(today=timezone.localdate(), scale=1, demo=False)
    assert (
        demo.seed_tasks(today=timezone.localdate(), count=100, demo=False, force=True)["bulk"]["tasks"] == 100
    )
    assert tally.drift() == []


@on_postgres
@pytest.mark.postgres
def test_copy_with_rebuilt_indexes_keeps_every_index_and_key(db, monkeypatch):
    orgs_demo.seed_demo(scale=1)

    def shape() -> tuple[set[str], set[str]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename IN ('tasks_task', 'tasks_taskparty')"
            )
            indexes = {r[0] for r in cursor.fetchall()}
            cursor.execute(
                "SELECT conname FROM pg_constraint WHERE conrelid IN "
                "('tasks_task'::regclass, 'tasks_taskparty'::regclass)"
            )
            return indexes, {r[0] for r in cursor.fetchall()}

    before = shape()
    from vanphong.demo.tasks import bulk

    monkeypatch.setattr(bulk, "REBUILD_AT", 100)  # the module that reads it
    result = demo.bulk_load(1500, today=timezone.localdate(), method="copy", batch=400)
    assert result["rebuilt_indexes"] and result["tasks"] == 1500
    assert shape() == before
    check_bulk(1500)


@pytest.fixture
def bench_file(django_db_setup, django_db_blocker, tmp_path) -> Path:
    """Where the command builds its database. On SQLite the test database (migrated, nothing
    in it yet) is copied there first, before the test's transaction opens: the command's
    ``migrate`` then has nothing to do instead of building a fresh file (half a minute; every
    test run builds a fresh database from the migrations anyway)."""
    path = tmp_path / "bench.sqlite3"
    if connection.vendor == "sqlite":
        with django_db_blocker.unblock():
            connection.ensure_connection()
            target = sqlite3.connect(path)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
    return path


def test_bench_tasks_runs_on_a_tiny_sqlite_database(bench_file, db, tmp_path):
    out = tmp_path / "out"
    call_command(
        "bench_tasks",
        "--tasks",
        "500",
        "--repeat",
        "1",
        "--no-postgres",
        "--database-url",
        f"sqlite:///{bench_file}",
        "--out",
        str(out),
    )
    report = json.loads((out / "tasks.json").read_text(encoding="utf-8"))
    (backend,) = report["backends"]
    assert backend["vendor"] == "sqlite" and backend["tasks"] == 500
    assert backend["tally_matches_naive"] is True
    measures = {m["key"]: m for m in backend["measures"]}
    assert {"province_dashboard", "overdue_first_page", "overdue_deep_page", "commune_counts"} <= set(
        measures
    )
    assert all(m["median_ms"] > 0 and m["queries"] > 0 for m in measures.values())
    plan = backend["plans"][0]["plan"]
    assert "SCAN" in plan or "SEARCH" in plan
    text = (out / "tasks.md").read_text(encoding="utf-8")
    assert "| Phép đo | Trung vị (ms) | p95 (ms) |" in text and "kế hoạch truy vấn" in text
    assert not (tmp_path / "bench.sqlite3").exists()  # dropped after
