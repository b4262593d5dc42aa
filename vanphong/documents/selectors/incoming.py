"""Reads shared by the pages and the API: lists of register entries and their counts, with
access applied inside the query (``access.entries_visible_to``), and never a document's
extracted full text in a list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from vanphong.audit.models import AuditEvent
from vanphong.documents.access import entries_visible_to, narrowed_entries
from vanphong.documents.models import (
    Assignment,
    AssignmentRole,
    Direction,
    Document,
    DocumentFile,
    EntryStatus,
    RegisterEntry,
    RegisterKind,
)
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import Organization

# The columns an incoming list shows: no file, no extracted text, no recipients.
INCOMING_LIST_FIELDS = (
    "id",
    "organization_id",
    "register_id",
    "register__name",
    "register__classified",
    "document_id",
    "series",
    "number",
    "classification",
    "status",
    "received_at",
    "registered_at",
    "channel",
    "duplicate_of_id",
    "presented_to_id",
    "processed_at",
    "document__id",
    "document__organization_id",
    "document__style",
    "document__doc_type",
    "document__number",
    "document__symbol",
    "document__issuer_id",
    "document__issuer_name",
    "document__issued_date",
    "document__subject",
    "document__urgency",
    "document__classification",
    "document__issuer__id",
    "document__issuer__name",
    "document__issuer__short_name",
    "document__issuer__abbreviation",
)


# Newest first, in register order: by the date of registration (which fixes the year, so
# the series), then the ordinary book before the classified one, each by its number. A
# book's numbers follow its registration dates, so within a year the ordinary book reads
# 330, 329, 328 … and a classified entry ("Sổ văn bản mật đến" số 22) sits after the ordinary
# entries of its own day, never between two numbers of the ordinary series. The entry keeps
# the day and the book's kind (``registered_on``, ``in_classified_book``) and one index
# (``documents_entry_order``) reads in this order: a page stops after its rows.
INCOMING_ORDER = ("-registered_on", "in_classified_book", "-number", "-pk")


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def incoming_list(
    *,
    user: Actor,
    organization: Organization | int | None = None,
    q: str | None = None,
    status: str | None = None,
    received_from: dt.date | None = None,
    received_to: dt.date | None = None,
    doc_type: str | None = None,
    urgency: str | None = None,
    presented_to: int | None = None,
    assigned_to: int | None = None,
) -> QuerySet[RegisterEntry]:
    """Incoming register entries the user may see, newest first in register order
    (``INCOMING_ORDER``), filtered in SQL.

    ``q`` is a plain filter on symbol, subject and issuer name (full-text search lives in the
    search app). ``presented_to`` / ``assigned_to`` are person ids: presented to them and
    waiting for their direction; assigned to them to lead or cooperate, not yet closed.
    """
    qs = narrowed_entries(user, entries_visible_to(user)).filter(register__kind=RegisterKind.INCOMING)
    if organization is not None:
        qs = qs.filter(organization=organization)
    if status:
        qs = qs.filter(status=status)
    if received_from is not None:
        qs = qs.filter(received_at__gte=_day_start(received_from))
    if received_to is not None:
        qs = qs.filter(received_at__lt=_day_start(received_to + dt.timedelta(days=1)))
    if doc_type:
        qs = qs.filter(document__doc_type=doc_type)
    if urgency:
        qs = qs.filter(document__urgency=urgency)
    if presented_to is not None:
        qs = qs.filter(presented_to_id=presented_to, status=EntryStatus.PRESENTED)
    if assigned_to is not None:
        qs = qs.filter(
            Exists(
                Assignment.objects.filter(entry=OuterRef("pk"), person_id=assigned_to).exclude(
                    role=AssignmentRole.INFORM
                )
            ),
            status__in=(EntryStatus.DIRECTED, EntryStatus.PROCESSING),
        )
    if q:
        text = q.strip()
        qs = qs.filter(
            Q(document__symbol__icontains=text)
            | Q(document__subject__icontains=text)
            | Q(document__issuer_name__icontains=text)
        )
    return (
        qs.select_related("document", "register", "document__issuer")
        .only(*INCOMING_LIST_FIELDS)
        .order_by(*INCOMING_ORDER)
    )


def incoming_counts(*, user: Actor, organization: Organization | int | None = None) -> dict[str, int]:
    """How many visible incoming entries there are in all and in each status: one query."""
    qs = narrowed_entries(user, entries_visible_to(user)).filter(register__kind=RegisterKind.INCOMING)
    if organization is not None:
        qs = qs.filter(organization=organization)
    aggregates: dict[str, Any] = {"all": Count("pk")}
    for status in EntryStatus.values:
        aggregates[status] = Count("pk", filter=Q(status=status))
    return {key: value or 0 for key, value in qs.aggregate(**aggregates).items()}


def incoming_detail(
    *, user: Actor, queryset: QuerySet[RegisterEntry] | None = None
) -> QuerySet[RegisterEntry]:
    """Entries with everything their detail page or API record shows, prefetched."""
    qs = entries_visible_to(user, queryset).select_related(
        "document", "document__issuer", "register", "organization", "presented_to", "registered_by"
    )
    return qs.prefetch_related(
        Prefetch(
            "document__files", queryset=DocumentFile.objects.defer("text").order_by("uploaded_at", "pk")
        ),
        Prefetch(
            "directions",
            queryset=Direction.objects.select_related("author").prefetch_related(
                Prefetch(
                    "assignments",
                    queryset=Assignment.objects.select_related("organization", "unit", "person"),
                )
            ),
        ),
    )


def frequent_issuers(*, organization: Organization, recent: int = 500, limit: int = 30) -> list[str]:
    """The names of the bodies that most often wrote to ``organization`` in its last
    ``recent`` incoming entries, most frequent first (one aggregate query)."""
    last = (
        RegisterEntry.objects.filter(organization=organization, register__kind=RegisterKind.INCOMING)
        .order_by("-registered_at", "-pk")
        .values("pk")[:recent]
    )
    rows = (
        Document.objects.filter(entries__pk__in=last)
        .exclude(issuer_name="")
        .values("issuer_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "issuer_name")[:limit]
    )
    return [row["issuer_name"] for row in rows]


def pending_to_present(*, user: Actor, organizations: QuerySet[Organization]) -> QuerySet[RegisterEntry]:
    return incoming_list(user=user).filter(organization__in=organizations, status=EntryStatus.REGISTERED)


HISTORY_TYPES = ("documents.document", "documents.registerentry", "documents.documentfile")


def document_history(
    *, document: Document, entry_ids: list[int], file_ids: list[int] | None = None
) -> QuerySet[AuditEvent]:
    """The audit entries of a document, of the register entries the reader may see and of
    its files, oldest first."""
    q = Q(target_type="documents.document", target_id=str(document.pk))
    if entry_ids:
        q |= Q(target_type="documents.registerentry", target_id__in=[str(i) for i in entry_ids])
    if file_ids:
        q |= Q(target_type="documents.documentfile", target_id__in=[str(i) for i in file_ids])
    return AuditEvent.objects.filter(q).select_related("actor").order_by("at", "seq")
