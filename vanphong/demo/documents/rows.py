"""Writing planned documents in batches: documents, register entries, search rows."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache, partial
from operator import itemgetter
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from django.utils import timezone

from vanphong.core.textfold import fold_query
from vanphong.demo.documents.pages import Page, demo_page, file_name, stored_file_row
from vanphong.demo.documents.plans import CENTRAL, Numbers, Plan, Year, body_lines
from vanphong.demo.documents_files import render_pdfs
from vanphong.documents.models import (
    Assignment,
    AssignmentRole,
    Direction,
    Document,
    DocumentFile,
    DocumentLink,
    DocumentState,
    EntryStatus,
    ExtractionState,
    FileKind,
    LinkKind,
    Register,
    RegisterEntry,
    RegisterKind,
    Style,
)
from vanphong.documents.services.registering import register_for
from vanphong.orgs.models import Classification, Organization, OrgKind, Person


@lru_cache(maxsize=4096)
def _aware(day: dt.date, hour: int = 8) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


_REQUIRED = object()
# Fields whose Python value both drivers take as it is.
_PLAIN_FIELDS = (
    models.AutoField, models.BigAutoField, models.IntegerField, models.CharField, models.TextField,
    models.BooleanField, models.ForeignKey, models.FileField,
)  # fmt: skip


class Rows:
    """Rows written straight into the tables — PostgreSQL ``COPY``, SQLite ``executemany`` —
    without model instances or the ORM's INSERT compiler, which is what costs the time in
    ``bulk_create`` at a million rows. A row is a dict of column attnames; a column not given
    takes the field's default (``auto_now`` fields: the time of the load).

    Rows that others point at get their primary keys up front (``ids``): on PostgreSQL from
    the table's own sequence (unique whatever else runs), on SQLite after the highest id
    ever given, inside the write transaction (SQLite has one writer at a time)."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self._layouts: dict[tuple[type[Model], bool], tuple[str, Callable[[dict], tuple], list[Any]]] = {}
        self._last_id: dict[str, int] = {}

    def ids(self, model: type[Model], count: int) -> list[int]:
        table, pk = model._meta.db_table, model._meta.pk.column
        if count == 0:
            return []
        with self.connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [table, pk, count],
                )
                return [row[0] for row in cursor.fetchall()]
            if table not in self._last_id:
                cursor.execute(
                    f'SELECT MAX(COALESCE(MAX("{pk}"), 0), '  # noqa: S608 (names from our models)
                    f'COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0)) FROM "{table}"',
                    [table],
                )
                self._last_id[table] = cursor.fetchone()[0]
        first = self._last_id[table] + 1
        self._last_id[table] += count
        return list(range(first, first + count))

    def _layout(self, model: type[Model], with_pk: bool) -> tuple[str, Callable[[dict], tuple], list[Any]]:
        key = (model, with_pk)
        if key not in self._layouts:
            ops, now = self.connection.ops, timezone.now()
            fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
            defaults: dict[str, Any] = {}
            adapters: list[Any] = []
            for index, f in enumerate(fields):
                if f.primary_key:
                    defaults[f.attname] = _REQUIRED
                elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                    defaults[f.attname] = now
                elif f.has_default() or f.null or f.empty_strings_allowed:
                    defaults[f.attname] = f.get_default()
                else:
                    defaults[f.attname] = _REQUIRED
                if isinstance(f, models.DateField):  # DateTimeField too
                    if not self.postgres:  # sqlite3 stores dates and times as Django's text
                        adapt = (
                            ops.adapt_datetimefield_value
                            if isinstance(f, models.DateTimeField)
                            else ops.adapt_datefield_value
                        )
                        adapters.append((index, lru_cache(maxsize=65536)(adapt)))
                elif not isinstance(f, _PLAIN_FIELDS):  # anything else: as the ORM would save it
                    adapters.append((index, partial(f.get_db_prep_save, connection=self.connection)))
            qn = self.connection.ops.quote_name
            columns = ", ".join(qn(f.column) for f in fields)
            if self.postgres:
                sql = f"COPY {qn(model._meta.db_table)} ({columns}) FROM STDIN"
            else:
                marks = ", ".join("?" * len(fields))
                sql = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
            pick = itemgetter(*[f.attname for f in fields])

            def values(row: dict[str, Any]) -> tuple:
                return pick({**defaults, **row})

            self._layouts[key] = (sql, values, adapters)
        return self._layouts[key]

    def write(self, model: type[Model], rows: list[dict[str, Any]]) -> int:
        if not rows:
            return 0
        sql, values, adapters = self._layout(model, with_pk="id" in rows[0])
        tuples: list[Any] = [values(row) for row in rows]  # tuples, or lists once adapted
        if _REQUIRED in tuples[0]:
            raise ValueError(f"{model.__name__}: a required column has no value")
        if adapters:
            tuples = [list(t) for t in tuples]
            for index, adapt in adapters:
                for t in tuples:
                    if t[index] is not None:
                        t[index] = adapt(t[index])
        with self.connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(sql) as copy:
                    for t in tuples:
                        copy.write_row(t)
            else:
                cursor.cursor.executemany(sql, tuples)
        return len(rows)

    def check(self) -> None:
        """Run the foreign key checks PostgreSQL deferred to the commit (Django's foreign keys
        are DEFERRABLE INITIALLY DEFERRED): a million rows would otherwise queue millions of
        pending checks in the server's memory. SQLite counts violations instead of queuing."""
        if self.postgres:
            self.connection.check_constraints()


@dataclass
class Context:
    registers: dict[tuple[int, str, bool], Register]
    clerks: dict[int, Person | None]
    leaders: dict[int, Person | None]
    agencies: list[Organization]
    central_ids: dict[str, int]
    numbers: Numbers
    rows: Rows
    year: Year
    with_text: bool = False
    pages: bool = False  # the last PAGE_DAYS days' documents get their first page as a PDF
    # The committee's office leader who directs its routine documents (OfficeDirectionRule).
    routine: dict[int, tuple[Person, frozenset[str]]] = field(default_factory=dict)
    # The classified-documents clerk who keeps an organisation's classified books, if any.
    secret_clerks: dict[int, Person | None] = field(default_factory=dict)

    def clerk_for(self, organization_id: int, classification: int) -> Person | None:
        """Who registers a document of ``classification`` there: the classified clerk for a
        classified one where one is appointed, the văn thư otherwise."""
        if classification > 0 and self.secret_clerks.get(organization_id) is not None:
            return self.secret_clerks[organization_id]
        return self.clerks.get(organization_id)


def _register(ctx: Context, org: Organization, kind: str, classification: int) -> Register:
    key = (org.pk, kind, classification > 0)
    if key not in ctx.registers:
        ctx.registers[key] = register_for(organization=org, kind=kind, classification=classification)
    return ctx.registers[key]


def _pk(person: Person | None) -> int | None:
    return person.pk if person is not None else None


# Folding the demo's texts for the index: subjects, names and sentences repeat, so each is
# folded once (``search.services.fold_parts`` gives the same result as folding the whole).
_fold = lru_cache(maxsize=200_000)(fold_query)


def _search_row(document: dict[str, Any], *, sentences: list[str], now: dt.datetime) -> dict[str, Any]:
    from vanphong.search.services import entry_fields, fold_parts, head_parts, kind_for

    parts = head_parts(
        symbol=document["symbol"],
        doc_type=document["doc_type"],
        style=document["style"],
        subject=document["subject"],
        issuer_name=document["issuer_name"],
        signer_name=document.get("signer_name", ""),
    )
    return {
        "document_id": document["id"],
        **entry_fields(
            organization_id=document["organization_id"],
            kind=kind_for(state=document["state"], original_id=None),
            classification=document["classification"],
            doc_type=document["doc_type"],
            issuer_id=document["issuer_id"],
            state=document["state"],
            issued_date=document["issued_date"],
            created_at=document["created_at"],
            head=fold_parts(parts, fold=_fold),
            body=fold_parts(sentences, fold=_fold),
            indexed_at=now,
        ),
    }


def _fate(plan: Plan, ctx: Context, rng: random.Random) -> tuple[str, Person | None]:
    """Where an entry stands on the seed's day, and the leader who directed it (if one did).

    The last working days' arrivals still wait to be presented (chờ trình); every earlier
    one was dealt with: about a third were directed by a leader (the committee's own, or
    for routine documents its office's, as its ``OfficeDirectionRule`` lets it) and most of
    those older than six weeks are done; the others were filed for information or closed
    by the office. An outgoing entry is filed."""
    if plan.kind != RegisterKind.INCOMING:
        return EntryStatus.FILED, None
    if plan.day >= ctx.year.recent[0]:
        return EntryStatus.REGISTERED, None
    leader = ctx.leaders.get(plan.organization.pk)
    if leader is not None and rng.random() < 0.35:
        office = ctx.routine.get(plan.organization.pk)
        if office is not None and plan.doc_type in office[1] and plan.classification <= office[0].clearance:
            leader = office[0]
        old = plan.day < ctx.year.today - dt.timedelta(days=45)
        return (EntryStatus.DONE if old and rng.random() < 0.8 else EntryStatus.DIRECTED), leader
    return (EntryStatus.FILED if rng.random() < 0.7 else EntryStatus.DONE), None


def _issuer_code(symbol: str, style: str, doc_type: str) -> str:
    """The issuer's code in a symbol: "05-KL/TW" → TW, "12/UBND-VP" → UBND, "03/BC-CAT" → CAT."""
    tail = symbol.rsplit("/", 1)[-1]
    if style == Style.PARTY:
        return tail
    return tail.split("-")[0] if doc_type == "CV" else tail.rsplit("-", 1)[-1]


def _page(plan: Plan, document: dict[str, Any]) -> Page:
    symbol = document["symbol"]
    return Page(
        document_id=document["id"],
        symbol=symbol,
        doc_type=plan.doc_type,
        style=plan.style,
        subject=plan.subject,
        issuer_abbreviation=_issuer_code(symbol, plan.style, plan.doc_type),
        issuer_name=plan.issuer_name,
        issued_date=plan.day,
        urgency=plan.urgency,
        classification=plan.classification,
        signer_name=plan.signer,
        committee=plan.issuer is not None and plan.issuer.kind == OrgKind.COMMITTEE,
        to_province=plan.kind == RegisterKind.INCOMING and plan.organization.slug == "tinhuy",
    )


def write_batch(plans: list[Plan], ctx: Context, rng: random.Random) -> dict[str, int]:
    from vanphong.search.models import SearchEntry

    rows, now = ctx.rows, timezone.now()
    documents: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    directed: list[tuple[Plan, dict[str, Any], Person]] = []
    links: list[dict[str, Any]] = []
    files: list[dict[str, Any]] = []
    search_rows: list[dict[str, Any]] = []
    printed: list[tuple[dict[str, Any], Any, list[str]]] = []  # (document, its page, its lines)
    document_ids = rows.ids(Document, len(plans))
    entry_ids = rows.ids(RegisterEntry, len(plans))
    for plan, document_id, entry_id in zip(plans, document_ids, entry_ids, strict=True):
        org = plan.organization
        register = _register(ctx, org, plan.kind, plan.classification)
        # Registered on the plan's day, and numbered by that day, as ``entry_register`` does:
        # the number belongs to the series of the year the entry is registered in (and printed).
        series, number = ctx.numbers.take(
            register, doc_type=plan.doc_type, classification=plan.classification, on=plan.day
        )
        incoming = plan.kind == RegisterKind.INCOMING
        document: dict[str, Any] = {
            "id": document_id,
            "organization_id": org.pk,
            "state": DocumentState.RECEIVED if incoming else DocumentState.ISSUED,
            "style": plan.style,
            "doc_type": plan.doc_type,
            "number": None if incoming else number,
            "symbol": plan.symbol if incoming else f"{number:02d}-{plan.doc_type}/{org.abbreviation}",
            "issuer_id": plan.issuer.pk if plan.issuer else None,
            "issuer_name": plan.issuer_name,
            "issued_date": plan.day,
            "issued_place": "Lâm Đồng",
            "subject": plan.subject,
            "signer_name": plan.signer,
            "urgency": plan.urgency,
            "classification": plan.classification,
            "created_by_id": _pk(ctx.clerk_for(org.pk, plan.classification)),
            "created_at": _aware(plan.day),
        }
        documents.append(document)
        status, leader = _fate(plan, ctx, rng)
        done = status == EntryStatus.DONE
        entry = {
            "id": entry_id,
            "register_id": register.pk,
            "organization_id": org.pk,
            "document_id": document_id,
            "series": series,
            "number": number,
            "classification": plan.classification,
            "status": status,
            "processed_at": _aware(plan.day + dt.timedelta(days=20), 16) if done else None,
            "received_at": _aware(plan.day, 9) if incoming else None,
            "registered_at": _aware(plan.day, 10),
            "registered_on": plan.day,
            "in_classified_book": register.classified,
            "registered_by_id": _pk(ctx.clerk_for(org.pk, plan.classification)),
            "channel": rng.choice(("điện tử", "điện tử", "giấy", "liên thông")) if incoming else "nội bộ",
            # Presented (trình) to the leader who then directed it.
            "presented_to_id": _pk(leader),
            "presented_at": _aware(plan.day, 11) if leader else None,
        }
        entries.append(entry)
        if leader is not None:
            directed.append((plan, entry, leader))
        if plan.cites is not None:
            cites = plan.cites
            links.append(
                {
                    "source_id": document_id,
                    "target_id": ctx.central_ids.get(cites.symbol),
                    "kind": LinkKind.REFERENCES,
                    "symbol": cites.symbol,
                    "doc_type": cites.doc_type,
                    "referenced_date": cites.date,
                    "quote": f"{'Chỉ thị' if cites.doc_type == 'CT' else 'Nghị quyết'} số {cites.symbol}, "
                    f"ngày {cites.date:%d/%m/%Y}",
                    "created_at": now,
                }
            )
        sentences = body_lines(rng, plan) if ctx.with_text else []
        if ctx.pages and not sentences and plan.day >= ctx.year.pages_from:
            page = demo_page(_page(plan, document))
            sentences = page.text_lines()
            document["page_count"] = 1
            printed.append((document, page, sentences))
        elif sentences:
            text = "\n".join(sentences)
            files.append(
                {
                    "document_id": document_id,
                    "kind": FileKind.ORIGINAL,
                    "file": f"demo/{document_id}.txt",  # no bytes behind it: benchmark data only
                    "original_name": f"{document_id}.txt",
                    "content_type": "text/plain",
                    "size": len(text.encode()),
                    "sha256": hashlib.sha256(text.encode()).hexdigest(),
                    "extraction": ExtractionState.DONE,
                    "text": text,
                    "uploaded_at": document["created_at"],
                }
            )
        search_rows.append(_search_row(document, sentences=sentences, now=now))

    # The pages of the batch, rendered together (``render_pdfs``), kept as uploads are.
    for (document, _page_doc, lines), data in zip(
        printed, render_pdfs([page for _d, page, _l in printed]), strict=True
    ):
        files.append(
            stored_file_row(
                document_id=document["id"],
                data=data,
                name=file_name(document["symbol"]),
                text="\n".join(lines),
                uploaded_at=document["created_at"],
                uploaded_by_id=document["created_by_id"],
            )
        )

    direction_ids = rows.ids(Direction, len(directed))
    directions: list[dict[str, Any]] = []
    assignments: list[dict[str, Any]] = []
    for (plan, entry, author), direction_id in zip(directed, direction_ids, strict=True):
        org = plan.organization
        unit = rng.choice(ctx.agencies) if org.pk == ctx.agencies[0].parent_id else None
        text = (
            f"Giao {unit.name} chủ trì, tham mưu triển khai; báo cáo kết quả trước ngày "
            f"{plan.day + dt.timedelta(days=30):%d/%m/%Y}."
            if unit
            else "Giao Văn phòng Đảng ủy tham mưu triển khai, báo cáo Thường trực."
        )
        directions.append(
            {
                "id": direction_id,
                "entry_id": entry["id"],
                "author_id": author.pk,
                "text": text,
                "given_at": _aware(plan.day, 15),
            }
        )
        assignments.append(
            {
                "direction_id": direction_id,
                "entry_id": entry["id"],
                "role": AssignmentRole.LEAD,
                "organization_id": (unit or org).pk,
                "due_date": plan.day + dt.timedelta(days=30),
                "created_at": _aware(plan.day, 15),
            }
        )

    rows.write(Document, documents)
    rows.write(RegisterEntry, entries)
    rows.write(Direction, directions)
    rows.write(Assignment, assignments)
    rows.write(DocumentLink, links)
    rows.write(DocumentFile, files)
    rows.write(SearchEntry, search_rows)
    rows.check()
    return {
        "documents": len(documents),
        "entries": len(entries),
        "directions": len(directions),
        "links": len(links),
        "files": len(files),
    }


def central_documents(ctx: Context, committee: Organization, centre: Organization) -> int:
    """The central documents the demo year cites, registered at the Tỉnh ủy first, so that
    every citation links to its document."""
    from vanphong.search.models import SearchEntry

    rows, now = ctx.rows, timezone.now()
    register = _register(ctx, committee, RegisterKind.INCOMING, 0)
    centrals = sorted(CENTRAL, key=lambda c: c.date)
    document_ids = rows.ids(Document, len(centrals))
    documents, entries, search_rows = [], [], []
    for central, document_id in zip(centrals, document_ids, strict=True):
        document: dict[str, Any] = {
            "id": document_id,
            "organization_id": committee.pk,
            "state": DocumentState.RECEIVED,
            "style": Style.PARTY,
            "doc_type": central.doc_type,
            "number": central.number,
            "symbol": central.symbol,
            "issuer_id": centre.pk,
            "issuer_name": central.issuer_name,
            "issued_date": central.date,
            "issued_place": "Hà Nội",
            "subject": central.subject,
            "classification": Classification.NONE,
            "created_at": _aware(ctx.year.first_day),
            "created_by_id": _pk(ctx.clerks.get(committee.pk)),
        }
        documents.append(document)
        series, number = ctx.numbers.take(
            register, doc_type=central.doc_type, classification=0, on=ctx.year.first_day
        )
        entries.append(
            {
                "register_id": register.pk,
                "organization_id": committee.pk,
                "document_id": document_id,
                "series": series,
                "number": number,
                "status": EntryStatus.FILED,
                "received_at": _aware(ctx.year.first_day),
                "registered_at": _aware(ctx.year.first_day),
                "registered_on": ctx.year.first_day,
                "in_classified_book": register.classified,
                "registered_by_id": _pk(ctx.clerks.get(committee.pk)),
                "channel": "điện tử",
            }
        )
        search_rows.append(_search_row(document, sentences=[], now=now))
        ctx.central_ids[central.symbol] = document_id
    rows.write(Document, documents)
    rows.write(RegisterEntry, entries)
    rows.write(SearchEntry, search_rows)
    return len(documents)


@contextmanager
def sqlite_cache(connection: BaseDatabaseWrapper, kib: int) -> Iterator[None]:
    """A larger page cache for SQLite while loading (the default 2 MB makes a large
    transaction spill to the WAL page by page); put back afterwards."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")
