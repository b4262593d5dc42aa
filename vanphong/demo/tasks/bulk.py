"""The bulk load for benchmarks: rows written directly (COPY on PostgreSQL), indexes rebuilt."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Field, Max, Min
from django.utils import timezone

from vanphong.audit.services import audit_record
from vanphong.demo.tasks.cast import BULK_BATCH, BULK_SPAN_DAYS, PROVINCE_LEADERS, SEED_ACTOR, Cast
from vanphong.demo.tasks.words import RESULT_TEXTS, TOPICS, aware
from vanphong.orgs.models import Classification
from vanphong.tasks import tally
from vanphong.tasks.calendar import WorkCalendar
from vanphong.tasks.models import (
    Outcome,
    PartyRole,
    SourceKind,
    Task,
    TaskAccess,
    TaskParty,
    TaskState,
    TaskTally,
)
from vanphong.tasks.services.access_rows import task_access_rebuild

# --- Bulk ----------------------------------------------------------------------------------------

_BULK_SOURCES = (
    (SourceKind.DIRECTION, 45),
    (SourceKind.CONCLUSION, 20),
    (SourceKind.RESOLUTION, 10),
    (SourceKind.REPORT_REQUEST, 15),
    (SourceKind.PETITION, 5),
    (SourceKind.MANUAL, 5),
)
_SOURCE_LABELS = {
    SourceKind.DIRECTION: "Ý kiến chỉ đạo của Thường trực Tỉnh ủy trên văn bản đến",
    SourceKind.CONCLUSION: "Thông báo kết luận của Ban Thường vụ Tỉnh ủy",
    SourceKind.RESOLUTION: "Chương trình hành động thực hiện nghị quyết",
    SourceKind.REPORT_REQUEST: "Yêu cầu báo cáo định kỳ",
    SourceKind.PETITION: "Đơn thư gửi Thường trực Tỉnh ủy",
    SourceKind.MANUAL: "",
}
_DUE_OFFSETS = (7, 10, 15, 15, 20, 30, 30, 30, 45, 60, 90)
_BULK_VERBS = (
    "Tham mưu triển khai",
    "Xây dựng kế hoạch thực hiện",
    "Báo cáo kết quả",
    "Kiểm tra, đôn đốc",
    "Rà soát, đánh giá",
    "Tổ chức sơ kết",
    "Đề xuất giải pháp về",
)
_PERIODS = ("tháng", "quý I", "quý II", "quý III", "quý IV", "6 tháng đầu năm", "năm")
# The Task columns a bulk row fills, in this order; any other column takes its default.
BULK_FIELDS = (
    "title",
    "content",
    "source_kind",
    "source_label",
    "source_document_id",
    "organization_id",
    "issued_by_id",
    "created_by_id",
    "lead_organization_id",
    "lead_unit_id",
    "lead_person_id",
    "priority",
    "classification",
    "assigned_on",
    "original_due_date",
    "due_date",
    "effective_due",
    "state",
    "outcome",
    "progress",
    "accepted_at",
    "completed_on",
    "completed_at",
    "confirmed_at",
    "confirmed_by_id",
    "result",
    "created_at",
    "updated_at",
)
_F = {name: i for i, name in enumerate(BULK_FIELDS)}
# A bulk load at least this large into PostgreSQL drops the tables' secondary indexes and
# foreign keys, and builds them again at the end (one sort per index, one join per key)
# instead of maintaining them row by row.
REBUILD_AT = 50_000


@dataclass
class _Pools:
    """Ids the bulk rows draw from, loaded once."""

    leads: list[int]  # lead organisation ids, weighted
    committee: int
    units: dict[int, list[int]]  # organisation id → unit ids
    people: dict[int, list[tuple[int, int | None]]]  # organisation id → (person id, unit id)
    heads: dict[int, int]  # organisation id → person id of its head
    staff: dict[int, int]  # organisation id → person id of its clerk / specialist
    leaders: list[int]  # the province's leaders
    agencies: set[int]
    documents: list[tuple[int, int]]  # incoming documents (id, classification), for directions


def _pools(cast: Cast) -> _Pools:
    from vanphong.documents.models import Document

    committee = cast.committee.pk
    agencies = [cast.orgs[k].pk for k in cast.agencies]
    communes = [cast.orgs[k].pk for k in cast.communes]
    leads = agencies * 2 + communes * 3 + [cast.orgs["vptu"].pk]
    units: dict[int, list[int]] = {}
    for unit in cast.units.values():
        units.setdefault(unit.organization_id, []).append(unit.pk)
    people: dict[int, list[tuple[int, int | None]]] = {}
    for person in cast.people.values():
        people.setdefault(person.organization_id, []).append((person.pk, person.unit_id))
    for unit_ids in units.values():
        unit_ids.sort()
    for person_ids in people.values():
        person_ids.sort()
    heads = {cast.orgs[k].pk: cast.head_of(k).pk for k in cast.orgs}
    staff = {cast.orgs[k].pk: cast.staff_of(k).pk for k in cast.orgs}
    staff[committee] = (cast.person("vanthu") or cast.people["chanhvp"]).pk
    leaders = [cast.people[u].pk for u in PROVINCE_LEADERS if u in cast.people]
    documents = list(
        Document.objects.filter(organization=cast.committee)
        .exclude(issuer=cast.committee)
        .order_by("pk")
        .values_list("pk", "classification")[:100_000]
    )
    return _Pools(leads, committee, units, people, heads, staff, leaders, set(agencies), documents)


class _Dues:
    """``effective_due`` per due date, computed once per date."""

    def __init__(self, calendar: WorkCalendar) -> None:
        self.calendar = calendar
        self.cache: dict[dt.date, dt.date] = {}

    def __call__(self, due: dt.date) -> dt.date:
        found = self.cache.get(due)
        if found is None:
            found = self.cache[due] = self.calendar.next_working_day(due)
        return found


class _Times:
    """Aware datetimes at an hour of a day, made once per (day, hour)."""

    def __init__(self) -> None:
        self.cache: dict[tuple[dt.date, int], dt.datetime] = {}

    def __call__(self, day: dt.date, hour: int) -> dt.datetime:
        key = (day, hour)
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = aware(day, hour)
        return found


def _bulk_rows(
    count: int, *, rng: random.Random, pools: _Pools, today: dt.date, dues: _Dues
) -> Iterator[tuple[tuple[Any, ...], list[int]]]:
    """(values of ``BULK_FIELDS``, cooperating organisation ids) for ``count`` tasks: given
    over the last three years, most done (on time or late), about 5% open, a few cancelled."""
    kinds = [str(k.value) for k, w in _BULK_SOURCES for _ in range(w)]
    labels = {str(k.value): v for k, v in _SOURCE_LABELS.items()}
    on_time, late, open_, cancelled = (
        int(o) for o in (Outcome.ON_TIME, Outcome.LATE, Outcome.OPEN, Outcome.CANCELLED)
    )
    st_assigned, st_accepted, st_progress, st_completed, st_confirmed, st_cancelled = (
        str(s.value)
        for s in (
            TaskState.ASSIGNED,
            TaskState.ACCEPTED,
            TaskState.IN_PROGRESS,
            TaskState.COMPLETED,
            TaskState.CONFIRMED,
            TaskState.CANCELLED,
        )
    )
    direction = str(SourceKind.DIRECTION.value)
    report_request, petition = str(SourceKind.REPORT_REQUEST.value), str(SourceKind.PETITION.value)
    secret, top_secret = int(Classification.MAT), int(Classification.TOI_MAT)
    times = _Times()
    now = timezone.now()
    day = dt.timedelta(days=1)
    rand, randint, choice = rng.random, rng.randint, rng.choice
    for _ in range(count):
        lead = choice(pools.leads)
        kind = choice(kinds)
        r = rand()
        if lead in pools.agencies:
            giver = pools.committee if r < 0.7 else lead
        else:
            giver = pools.committee if r < 0.6 else (lead if r < 0.9 else choice(pools.leads))
        issuer = choice(pools.leaders) if giver == pools.committee else pools.heads.get(giver)
        lead_unit = lead_person = None
        r = rand()
        if r < 0.15 and pools.people.get(lead):
            lead_person, lead_unit = choice(pools.people[lead])
        elif r < 0.5 and pools.units.get(lead):
            lead_unit = choice(pools.units[lead])
        assigned = today - day * randint(0, BULK_SPAN_DAYS)
        due = original = effective = None
        if rand() >= 0.01:
            original = due = assigned + day * choice(_DUE_OFFSETS)
            if rand() < 0.04:  # extended
                due = original + day * choice((15, 30))
            effective = dues(due)
        classification = 0
        document = None
        if kind == direction and pools.documents:
            document, classification = choice(pools.documents)
        r = rand()
        if r < 0.005:
            classification = max(classification, top_secret)
        elif r < 0.03:
            classification = max(classification, secret)
        # What became of it.
        completed_on = None
        r = rand()
        if effective is None:
            outcome = on_time if r < 0.7 else open_
            if outcome == on_time:
                completed_on = min(today, assigned + day * randint(1, 60))
        elif effective < today:
            if r < 0.03:
                outcome = cancelled
            elif r < 0.045:
                outcome = open_  # overdue
            elif r < 0.18:
                outcome = late
                completed_on = min(today, effective + day * randint(1, 30))
            else:
                outcome = on_time
                completed_on = assigned + day * randint(0, (effective - assigned).days)
        elif r < 0.1 and assigned < today:
            outcome = on_time
            completed_on = assigned + day * randint(0, (today - assigned).days)
        elif r < 0.11:
            outcome = cancelled
        else:
            outcome = open_
        created = times(assigned, 8)
        accepted_at = completed_at = confirmed_at = confirmed_by = None
        progress = 0
        if outcome == cancelled:
            state = st_cancelled
        elif outcome == open_:
            r = rand()
            state = st_assigned if r < 0.25 else st_accepted if r < 0.45 else st_progress
            if state != st_assigned:
                accepted_at = min(now, created + dt.timedelta(hours=randint(2, 48)))
            if state == st_progress:
                progress = randint(1, 9) * 10
        else:
            progress = 100
            completed_at = times(completed_on, 16)  # type: ignore[arg-type]
            accepted_at = min(completed_at, created + dt.timedelta(hours=randint(2, 48)))
            if rand() < 0.9:
                state = st_confirmed
                confirmed_at = max(completed_at, min(now, completed_at + day * randint(0, 5)))
                confirmed_by = issuer
            else:
                state = st_completed
        topic = choice(TOPICS)
        if kind == report_request:
            title = f"Báo cáo {topic} {choice(_PERIODS)} năm {(due or assigned).year}"
        elif kind == petition:
            title = f"Giải quyết đơn thư phản ánh liên quan đến {topic}"
        else:
            title = f"{choice(_BULK_VERBS)} {topic}"
        yield (
            (
                title,
                f"Chủ trì, phối hợp thực hiện nội dung về {topic}; báo cáo kết quả đúng thời hạn.",
                kind,
                labels[kind],
                document,
                giver,
                issuer,
                pools.staff.get(giver),
                lead,
                lead_unit,
                lead_person,
                1 if rand() < 0.15 else 2 if rand() < 0.05 else 0,  # Priority
                classification,
                assigned,
                original,
                due,
                effective,
                state,
                outcome,
                progress,
                accepted_at,
                completed_on,
                completed_at,
                confirmed_at,
                confirmed_by,
                RESULT_TEXTS[0] if completed_on else "",
                created,
                confirmed_at or completed_at or accepted_at or min(created, now),
            ),
            _cooperating(rng, lead, pools) if rand() < 0.25 else [],
        )


def _cooperating(rng: random.Random, lead: int, pools: _Pools) -> list[int]:
    seen: list[int] = []
    for org in rng.sample(pools.leads, 4):
        if org != lead and org not in seen:
            seen.append(org)
    return seen[: rng.randint(1, 3)]


def _lead_party(row: tuple[Any, ...]) -> tuple[int | None, int | None, int | None]:
    """(organisation, unit, person) of the lead party: the most specific lead, as the services."""
    if row[_F["lead_person_id"]]:
        return (None, None, row[_F["lead_person_id"]])
    if row[_F["lead_unit_id"]]:
        return (None, row[_F["lead_unit_id"]], None)
    return (row[_F["lead_organization_id"]], None, None)


def _defaults() -> list[tuple[str, str, Any]]:
    """(attname, column, value) of the Task columns a bulk row leaves to their default."""
    return [
        (f.attname, f.column, f.get_default())
        for f in Task._meta.concrete_fields
        if not f.primary_key and f.attname not in _F
    ]


def _reserve_ids(model: type, n: int) -> int:
    """Take ``n`` ids from the PostgreSQL sequence of ``model``; returns the first."""
    table = model._meta.db_table  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            "nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
            [table, table, n],
        )
        last = cursor.fetchone()[0]
    return last - n + 1


def _column(name: str) -> str:
    field = Task._meta.get_field(name)
    assert isinstance(field, Field) and field.column is not None  # BULK_FIELDS are columns
    return field.column


def _write_copy(rows: list[tuple[tuple[Any, ...], list[int]]]) -> int:
    """One batch with PostgreSQL COPY; returns the number of party rows."""
    quote = connection.ops.quote_name
    defaults = _defaults()
    columns = [
        "id",
        *(quote(_column(n)) for n in BULK_FIELDS),
        *(quote(c) for _a, c, _v in defaults),
    ]
    extra = tuple(v for _a, _c, v in defaults)
    first = _reserve_ids(Task, len(rows))
    parties = []
    lead, cooperate = str(PartyRole.LEAD.value), str(PartyRole.COOPERATE.value)
    task_sql = f"COPY {quote(Task._meta.db_table)} ({', '.join(columns)}) FROM STDIN"
    party_sql = (
        f"COPY {quote(TaskParty._meta.db_table)} (id, task_id, role, organization_id, unit_id, person_id) "
        "FROM STDIN"
    )
    with connection.connection.cursor() as cursor:  # psycopg's own cursor, under Django's connection
        with cursor.copy(task_sql) as copy:
            for task_id, (row, coop) in enumerate(rows, start=first):
                copy.write_row((task_id, *row, *extra))
                parties.append((task_id, lead, *_lead_party(row)))
                parties += [(task_id, cooperate, org, None, None) for org in coop]
        party_first = _reserve_ids(TaskParty, len(parties))
        with cursor.copy(party_sql) as copy:
            for party_id, party in enumerate(parties, start=party_first):
                copy.write_row((party_id, *party))
    return len(parties)


def _write_bulk(rows: list[tuple[tuple[Any, ...], list[int]]], batch_size: int) -> int:
    """One batch with ``bulk_create``; returns the number of party rows."""
    tasks = Task.objects.bulk_create(
        [Task(**dict(zip(BULK_FIELDS, row, strict=True))) for row, _coop in rows], batch_size=batch_size
    )
    parties = []
    for task, (row, coop) in zip(tasks, rows, strict=True):
        org, unit, person = _lead_party(row)
        parties.append(
            TaskParty(
                task_id=task.pk, role=PartyRole.LEAD, organization_id=org, unit_id=unit, person_id=person
            )
        )
        parties += [TaskParty(task_id=task.pk, role=PartyRole.COOPERATE, organization_id=o) for o in coop]
    TaskParty.objects.bulk_create(parties, batch_size=batch_size)
    return len(parties)


class _Rebuilt:
    """On PostgreSQL, inside the loading transaction: drop the secondary indexes and the
    foreign keys of the task and party tables, and make them again on exit (which also
    validates every key). The primary keys and the CHECK constraints stay. Deferred key
    checks already pending in the transaction are run first (PostgreSQL refuses to alter a
    table with pending trigger events); Django's keys are deferred again at the end."""

    TABLES = (Task, TaskParty)

    def __init__(self) -> None:
        self.indexes: list[str] = []
        self.keys: list[tuple[str, str, str]] = []

    def __enter__(self) -> _Rebuilt:
        quote = connection.ops.quote_name
        tables = [m._meta.db_table for m in self.TABLES]
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) "
                "FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s) "
                "ORDER BY 1, 2",
                [tables],
            )
            self.keys = list(cursor.fetchall())
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
                [tables],
            )
            found = cursor.fetchall()
            for table, name, _definition in self.keys:
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
            for name, _definition in found:
                cursor.execute(f"DROP INDEX {name}")  # regclass text: already quoted when needed
            self.indexes = [definition for _name, definition in found]
        return self

    def __exit__(self, kind: Any, *rest: Any) -> None:
        if kind is not None:
            return  # the transaction rolls back: the dropped indexes and keys come back
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for definition in self.indexes:
                cursor.execute(definition)
            for table, name, definition in self.keys:
                cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def bulk_load(
    count: int,
    *,
    today: dt.date,
    seed: int = 2026,
    method: str | None = None,
    batch: int = BULK_BATCH,
    progress: Callable[[int], None] | None = None,
    calendar: WorkCalendar | None = None,
) -> dict[str, Any]:
    """Write ``count`` tasks directly (see the module docstring), then rebuild the tally.
    ``method``: "copy" (PostgreSQL only) or "bulk" (``bulk_create``); default: COPY on
    PostgreSQL, ``bulk_create`` elsewhere. With COPY and at least ``REBUILD_AT`` tasks the
    whole load is one transaction that rebuilds the indexes and keys at the end."""
    if method is None:
        method = "copy" if connection.vendor == "postgresql" else "bulk"
    if method not in ("copy", "bulk"):
        raise ValueError(f"unknown method {method!r}")
    if method == "copy" and connection.vendor != "postgresql":
        raise ValueError("COPY needs PostgreSQL")
    cast = Cast.load()
    pools = _pools(cast)
    rng = random.Random(seed)  # noqa: S311 (demo data)
    rows = _bulk_rows(count, rng=rng, pools=pools, today=today, dues=_Dues(calendar or WorkCalendar.load()))
    timings: dict[str, float] = {}
    started = time.monotonic()
    written = parties = 0
    rebuild = method == "copy" and count >= REBUILD_AT
    before = Task.objects.aggregate(last=Max("pk"))["last"] or 0

    def write(chunk: list[tuple[tuple[Any, ...], list[int]]]) -> None:
        nonlocal written, parties
        if method == "copy":
            parties += _write_copy(chunk)
        else:
            size = 2000 if connection.vendor == "sqlite" else 5000
            parties += _write_bulk(chunk, batch_size=size)
        written += len(chunk)
        if progress:
            progress(written)

    if rebuild:
        with transaction.atomic(), _Rebuilt():
            while written < count:
                write([next(rows) for _ in range(min(batch, count - written))])
            timings["rows_s"] = time.monotonic() - started
    else:
        while written < count:
            with transaction.atomic():
                write([next(rows) for _ in range(min(batch, count - written))])
    timings["load_s"] = time.monotonic() - started
    started = time.monotonic()
    # Rows written without the service: their reach (``TaskAccess``) in one statement.
    loaded = Task.objects.filter(pk__gt=before).aggregate(first=Min("pk"), last=Max("pk"))
    if loaded["first"] is not None:
        task_access_rebuild(id_range=(loaded["first"], loaded["last"]))
    timings["access_s"] = time.monotonic() - started
    started = time.monotonic()
    tally_rows = tally.recount()
    timings["tally_s"] = time.monotonic() - started
    if connection.vendor == "postgresql":
        started = time.monotonic()
        with connection.cursor() as cursor:
            for model in (Task, TaskParty, TaskAccess, TaskTally):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        timings["analyze_s"] = time.monotonic() - started
    result = {
        "tasks": written,
        "parties": parties,
        "tally_rows": tally_rows,
        "method": method,
        "rebuilt_indexes": rebuild,
        **{k: round(v, 1) for k, v in timings.items()},
    }
    audit_record(actor=None, actor_username=SEED_ACTOR, action="demo.seed_tasks", after=result)
    return result
