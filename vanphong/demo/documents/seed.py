"""The entry point ``seed_documents`` and its summary."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from vanphong.audit.services import audit_record
from vanphong.demo.documents.plans import BATCH, SEED_ACTOR, TERM_STARTS, Numbers, Plan, Year, make_plans
from vanphong.demo.documents.rows import Context, Rows, central_documents, sqlite_cache, write_batch
from vanphong.demo.orgs.province import ORGANIZATIONS
from vanphong.documents.models import (
    Assignment,
    Direction,
    Document,
    DocumentFile,
    DocumentLink,
    OfficeDirectionRule,
    RegisterCounter,
    RegisterEntry,
)
from vanphong.documents.services.registering import registers_provision_defaults
from vanphong.orgs.models import Organization, OrgKind, Person


def seed_documents(
    *,
    scale: int = 1,
    progress: Callable[[int], None] | None = None,
    seed: int = 2026,
    with_text: bool = False,
    files: bool = False,
    today: dt.date | None = None,
) -> dict[str, int]:
    """Write the demo year (× ``scale``) for the demo province built by ``orgs.demo``, in
    one transaction: all of it or nothing. The year ends the day before ``today`` (the
    seed's day by default). ``with_text`` adds a file record with a few paragraphs of
    extracted text to every document (the benchmark's data: the record has no bytes behind
    it); ``files`` gives the documents of the last ``PAGE_DAYS`` days their first page as a
    real PDF instead. ``progress`` is called with the number of documents written after
    every batch."""
    from vanphong.search.backends import backend_for

    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    hosted = Organization.objects.filter(hosted=True, active=True).order_by("path")
    orgs = {o.slug or o.abbreviation.lower(): o for o in Organization.objects.all()}
    committee = Organization.objects.get(slug="tinhuy")
    demo_names = {spec.abbreviation: spec.name for spec in ORGANIZATIONS if not spec.hosted}
    external = {  # by name too: the national bodies installed by the migrations share codes
        key: Organization.objects.get(hosted=False, abbreviation=abbreviation, name=demo_names[abbreviation])
        for key, abbreviation in (
            ("tw", "TW"), ("vptw", "VPTW"), ("ubnd", "UBND"), ("mttq", "MTTQ"), ("cat", "CAT"),
        )
    }  # fmt: skip
    orgs.update(external)
    orgs["tinhuy"] = committee
    subordinates = [o for o in hosted if o.parent_id == committee.pk and o.kind == OrgKind.COMMITTEE]
    agencies = [o for o in hosted if o.parent_id == committee.pk and o.kind == OrgKind.AGENCY]

    people = (
        Person.objects.filter(user__username__in=["vanthu", "vanthumat", "bithu", "chanhvp"])
        | Person.objects.filter(user__username__startswith="vanthu.")
        | Person.objects.filter(user__username__startswith="bithu.")
    )
    by_username = {p.user.username: p for p in people.select_related("user") if p.user is not None}
    clerks = {committee.pk: by_username.get("vanthu")}
    leaders = {committee.pk: by_username.get("bithu")}
    for sub in subordinates:
        clerks[sub.pk] = by_username.get(f"vanthu.{sub.slug}")
        leaders[sub.pk] = by_username.get(f"bithu.{sub.slug}")
    counts = {"documents": 0, "entries": 0, "directions": 0, "links": 0, "files": 0}
    year = Year(today or timezone.localdate())

    with transaction.atomic(), sqlite_cache(connection, 256 * 1024):
        registers_provision_defaults(organization=committee, term_start=TERM_STARTS["committee"])
        # The Tỉnh ủy lets the leaders of its Văn phòng (chanhvp) direct its routine documents.
        rule, _created = OfficeDirectionRule.objects.update_or_create(
            committee=committee,
            defaults={"doc_types": ["CV", "GM", "TB", "BC"], "note": "Quy chế làm việc của Tỉnh ủy"},
        )
        office_leader = by_username.get("chanhvp")
        for org in [*agencies, *subordinates]:
            start = TERM_STARTS["subordinate"] if org.kind == OrgKind.COMMITTEE else None
            registers_provision_defaults(organization=org, term_start=start)
        numbers = Numbers()
        # Go on from any number already taken, so that none is ever given twice.
        numbers.last.update({(c.register_id, c.series): c.last_number for c in RegisterCounter.objects.all()})
        ctx = Context(
            registers={},
            clerks=clerks,
            secret_clerks={committee.pk: by_username.get("vanthumat")},
            leaders=leaders,
            agencies=agencies,
            central_ids={},
            numbers=numbers,
            rows=Rows(connection),
            year=year,
            with_text=with_text,
            pages=files and not with_text,
            routine={committee.pk: (office_leader, frozenset(rule.doc_types))} if office_leader else {},
        )
        with backend_for(connection).bulk_loading(connection):
            central = central_documents(ctx, committee, external["tw"])
            counts["documents"] += central
            counts["entries"] += central
            batch: list[Plan] = []
            for plan in make_plans(orgs, subordinates, scale, rng, year):
                batch.append(plan)
                if len(batch) >= BATCH:
                    for key, value in write_batch(batch, ctx, rng).items():
                        counts[key] += value
                    batch = []
                    if progress:
                        progress(counts["documents"])
            for key, value in write_batch(batch, ctx, rng).items():
                counts[key] += value
        RegisterCounter.objects.bulk_create(
            [
                RegisterCounter(register_id=register_id, series=series, last_number=last)
                for (register_id, series), last in numbers.last.items()
            ],
            update_conflicts=True,
            unique_fields=["register", "series"],
            update_fields=["last_number"],
        )
        if connection.vendor == "postgresql":
            # Fresh statistics for the planner: a million rows it has never sampled would
            # otherwise be planned as an empty table until autovacuum comes round.
            with connection.cursor() as cursor:
                tables = [m._meta.db_table for m in (Document, RegisterEntry, Direction, Assignment)]
                tables += [DocumentLink._meta.db_table, DocumentFile._meta.db_table, "search_searchentry"]
                cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
        audit_record(
            actor=None,
            actor_username=SEED_ACTOR,
            action="demo.seed_documents",
            after={**counts, "scale": scale},
        )
    if progress:
        progress(counts["documents"])
    return counts


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def summary(counts: dict[str, Any]) -> str:
    text = (
        f"{_n(counts['documents'])} văn bản, {_n(counts['entries'])} mục sổ, "
        f"{_n(counts['directions'])} ý kiến chỉ đạo, {_n(counts['links'])} dẫn chiếu"
    )
    if counts.get("files"):
        text += f", {_n(counts['files'])} tệp"
    return text
