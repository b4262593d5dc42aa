"""``search``: full-text search over documents, with access applied inside the query.

One query answers the count and one the page: the backend's hits (every entry matching the
folded terms, with its rank) are kept only where the entry passes the filters AND its
document passes ``document_visibility_q(user)`` — a correlated EXISTS built by the ORM from
the same access rules as every other list. Nothing is fetched and then filtered in Python,
so neither the results nor the count reveal a document the reader may not see.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString

from vanphong.documents.access import document_visibility_q, entry_visibility_q
from vanphong.documents.models import Document, RegisterEntry
from vanphong.documents.textfold import fold_query
from vanphong.orgs.access import Capability, scope_for
from vanphong.orgs.models import Organization

from .backends import backend_for
from .models import SearchEntry
from .services import texts_by_document
from .snippets import snippet

MAX_PAGE_SIZE = 200
# Queries longer than this are cut: nobody types more, and every term costs a lookup.
MAX_TERMS = 12


@dataclass(frozen=True)
class Filters:
    doc_type: str | None = None
    issuer: int | None = None
    year: int | None = None
    state: str | None = None
    status: str | None = None  # the processing status of a register entry the reader sees
    classification: int | None = None
    organization: int | None = None
    kind: str | None = None

    def any(self) -> bool:
        return any(v is not None for v in self.__dict__.values())


@dataclass(frozen=True)
class SearchResult:
    id: int
    kind: str
    symbol: str
    subject: str
    issued_date: dt.date | None
    issuer_name: str
    doc_type: str
    classification: int
    urgency: str
    state: str
    snippet: SafeString
    url: str | None
    rank: float | None = None


@dataclass(frozen=True)
class SearchPage:
    count: int
    results: list[SearchResult]
    page: int
    page_size: int
    terms: list[str] = field(default_factory=list)

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def parse_terms(q: str) -> tuple[list[str], bool]:
    """The folded terms of a query, and whether the last one is matched as a prefix: it is
    unless the query ends with a space or punctuation (the word is finished)."""
    terms = fold_query(q or "").split()[:MAX_TERMS]
    prefix_last = bool(terms) and bool(q) and q[-1].isalnum()
    return terms, prefix_last


def candidates(user: Any, filters: Filters) -> QuerySet[SearchEntry]:
    """The entries ``user`` may see that pass ``filters`` (a lazy queryset)."""
    scope = scope_for(user)
    qs = SearchEntry.objects.filter(classification__lte=scope.clearance)
    if filters.doc_type:
        qs = qs.filter(doc_type=filters.doc_type)
    if filters.issuer is not None:
        qs = qs.filter(issuer_id=filters.issuer)
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.classification is not None:
        qs = qs.filter(classification=filters.classification)
    if filters.organization is not None:
        qs = qs.filter(organization_id=filters.organization)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(
            Exists(
                RegisterEntry.objects.filter(document=OuterRef("document_id"), status=filters.status).filter(
                    entry_visibility_q(user)
                )
            )
        )
    return qs.filter(_visible_q(user))


def _visible_q(user: Any) -> Q:
    """``document_visibility_q`` for a SearchEntry, with its commonest branch first as plain
    columns of the joined document: a document owned by an organisation where the reader
    holds READ (unclassified) or keeps the books or directs (classified) — the ``owned``
    branch of the access rule, read from the document row itself. Only the entries it does
    not settle pay for the full rule's subqueries (entries, assignments, grants)."""
    scope = scope_for(user)
    read_ids = list(Organization.objects.filter(scope.org_q(Capability.READ)).values_list("pk", flat=True))
    keeper_ids = list(
        Organization.objects.filter(
            scope.org_q(Capability.REGISTER) | scope.org_q(Capability.DIRECT)
        ).values_list("pk", flat=True)
    )
    owned = Q(document__classification=0, document__organization_id__in=read_ids) | Q(
        document__classification__gt=0, document__organization_id__in=keeper_ids
    )
    full = Exists(Document.objects.filter(pk=OuterRef("document_id")).filter(document_visibility_q(user)))
    return (owned & Q(document__classification__lte=scope.clearance)) | full


def _ranked_ids(user: Any, terms: list[str], prefix_last: bool, filters: Filters, limit: int, offset: int):
    backend = backend_for(connection)
    expression = backend.match_expression(terms, prefix_last=prefix_last)
    # The ORM writes the filter and access part, correlated to the hit row "h".
    inner = candidates(user, filters).filter(pk=RawSQL('"h"."id"', ())).values("pk")
    inner_sql, inner_params = inner.query.sql_with_params()
    base = f"FROM ({backend.hits_sql()}) h WHERE EXISTS ({inner_sql})"
    params = [expression, *inner_params]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) {base}", params)  # noqa: S608 (only our own SQL and the ORM's)
        count = cursor.fetchone()[0]
        if count == 0 or offset >= count:
            return count, []
        cursor.execute(
            f"SELECT h.id, h.rank {base} ORDER BY h.rank, h.id LIMIT %s OFFSET %s",  # noqa: S608
            [*params, limit, offset],
        )
        return count, [(row[0], row[1]) for row in cursor.fetchall()]


def document_url(document_id: int) -> str | None:
    try:
        return reverse("documents:document_detail", args=[document_id])
    except NoReverseMatch:  # the document page is mounted by the documents app
        return None


def search(
    user: Any,
    q: str,
    *,
    filters: Filters | None = None,
    page: int = 1,
    page_size: int = 20,
    snippets: bool = True,
) -> SearchPage:
    """One page of the documents matching ``q`` (with or without diacritics) that ``user``
    may see, best first, with snippets. Without a query, the documents passing the filters,
    newest first; with neither, nothing."""
    filters = filters or Filters()
    page = max(1, page)
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    offset = (page - 1) * page_size
    terms, prefix_last = parse_terms(q)

    ranks: dict[int, float | None] = {}
    if terms:
        count, rows = _ranked_ids(user, terms, prefix_last, filters, page_size, offset)
        ranks = dict(rows)
        ids = [pk for pk, _rank in rows]
    elif filters.any():
        qs = candidates(user, filters)
        count = qs.count()
        ordered = qs.order_by("-issued_date", "-pk").values_list("pk", flat=True)
        ids = list(ordered[offset : offset + page_size])
    else:
        return SearchPage(count=0, results=[], page=page, page_size=page_size, terms=[])

    entries = SearchEntry.objects.filter(pk__in=ids).select_related("document")
    entries = entries.only(
        "kind",
        "body",
        "document__symbol",
        "document__subject",
        "document__issued_date",
        "document__issuer_name",
        "document__issuer_id",
        "document__doc_type",
        "document__classification",
        "document__urgency",
        "document__state",
    ).select_related("document__issuer")
    by_id = {e.pk: e for e in entries}
    shown = [by_id[pk].document_id for pk in ids if pk in by_id]
    texts = texts_by_document(shown) if terms and snippets else {}

    results = []
    for pk in ids:
        entry = by_id.get(pk)
        if entry is None:  # removed between the two queries
            continue
        d = entry.document
        results.append(
            SearchResult(
                id=d.pk,
                kind=entry.kind,
                symbol=d.symbol,
                subject=d.subject,
                issued_date=d.issued_date,
                issuer_name=d.issuer_name or (d.issuer.name if d.issuer_id and d.issuer else ""),
                doc_type=d.doc_type,
                classification=d.classification,
                urgency=d.urgency,
                state=d.state,
                snippet=snippet(
                    subject=d.subject,
                    text=texts.get(d.pk, ""),
                    folded_body=entry.body if terms else "",
                    terms=terms if snippets else [],
                    prefix_last=prefix_last,
                ),
                url=document_url(d.pk),
                rank=ranks.get(pk),
            )
        )
    return SearchPage(count=count, results=results, page=page, page_size=page_size, terms=terms)
