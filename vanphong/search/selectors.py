"""``search``: full-text search over documents, with access applied inside the query.

The backend's hits (entries matching the folded terms, with their rank) are kept only where
the entry passes the filters AND its document passes ``document_visibility_q(user)`` — a
correlated EXISTS built by the ORM from the same access rules as every other list, in every
statement. Nothing is fetched and then filtered in Python, so neither the results nor the
count reveal a document the reader may not see. The count stops at a cap ("hơn 1.000"), and
the page is taken from the best-ranked matches first; see ``_ranked_ids`` and docs/search.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypedDict

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Substr
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString

from vanphong.core.textfold import fold_query
from vanphong.documents.access import document_visibility_q, entry_visibility_q
from vanphong.documents.models import (
    Assignment,
    Document,
    DocumentFile,
    ReaderGrant,
    RegisterEntry,
    ReviewStep,
)
from vanphong.orgs.access import Capability, scope_for
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import Organization
from vanphong.search.backends import backend_for
from vanphong.search.models import MAX_BODY_CHARS, SearchEntry
from vanphong.search.snippets import snippet

MAX_PAGE_SIZE = 200
DEFAULT_COUNT_CAP = 1000
DEFAULT_RANK_WINDOW = 1000
DEFAULT_NARROW_LIMIT = 50_000
# Queries longer than this are cut: nobody types more, and every term costs a lookup.
MAX_TERMS = 12


def document_text(texts: Iterable[str]) -> str:
    """The text of a document's files as indexed: joined in upload order, capped.

    Snippets are cut from this same string, so positions found in the index text stay
    meaningful for it."""
    return "\n\n".join(t for t in texts if t)[:MAX_BODY_CHARS]


def texts_by_document(document_ids: list[int]) -> dict[int, str]:
    """The indexed text (``document_text``) of each of these documents that has any."""
    texts: dict[int, list[str]] = {}
    rows = (
        DocumentFile.objects.filter(document_id__in=document_ids)
        .exclude(text="")
        .order_by("document_id", "uploaded_at", "pk")
        .values_list("document_id", Substr("text", 1, MAX_BODY_CHARS))
    )
    for document_id, text in rows:
        texts.setdefault(document_id, []).append(text)
    return {pk: document_text(parts) for pk, parts in texts.items()}


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
    """One page of results. ``count`` is exact unless ``count_capped``: then there are more
    than ``count`` results (the count stopped at the cap), ``num_pages`` is a lower bound,
    and ``more`` says whether a next page exists (a page past the cap is still answered)."""

    count: int
    results: list[SearchResult]
    page: int
    page_size: int
    terms: list[str] = field(default_factory=list)
    count_capped: bool = False
    more: bool = False

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.more if self.count_capped else self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def parse_terms(q: str) -> tuple[list[str], bool]:
    """The folded terms of a query, and whether the last one is matched as a prefix: it is
    unless the query ends with a space or punctuation (the word is finished)."""
    terms = fold_query(q or "").split()[:MAX_TERMS]
    prefix_last = bool(terms) and bool(q) and q[-1].isalnum()
    return terms, prefix_last


def candidates(user: Actor, filters: Filters) -> QuerySet[SearchEntry]:
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


def _visible_q(user: Actor) -> Q:
    """``document_visibility_q`` for a SearchEntry, with its commonest branch first as plain
    columns of the joined document: a document owned by an organisation where the reader
    holds READ (unclassified) or keeps the classified books or directs (classified) — the ``owned``
    branch of the access rule, read from the document row itself. Only the entries it does
    not settle pay for the full rule's subqueries (entries, assignments, grants)."""
    scope = scope_for(user)
    read_ids = list(Organization.objects.filter(scope.org_q(Capability.READ)).values_list("pk", flat=True))
    keeper_ids = scope.classified_keeper_ids()
    owned = Q(document__classification=0, document__organization_id__in=read_ids) | Q(
        document__classification__gt=0, document__organization_id__in=keeper_ids
    )
    full = Q(Exists(Document.objects.filter(pk=OuterRef("document_id")).filter(document_visibility_q(user))))
    return (owned & Q(document__classification__lte=scope.clearance)) | full


def _setting(name: str, default: int) -> int:
    return max(0, int(getattr(settings, name, default)))


def count_cap() -> int:
    """Counting stops after this many visible matches ("hơn 1.000 kết quả"): an exact count
    of every match of a very common word costs more than the page itself and tells the
    reader nothing more. ``VANPHONG_SEARCH_COUNT_CAP`` (default 1000)."""
    return max(1, _setting("VANPHONG_SEARCH_COUNT_CAP", DEFAULT_COUNT_CAP))


def rank_window() -> int:
    """How many of the best-ranked matches are looked at first, before the access check,
    when more than ``count_cap()`` are visible: ``VANPHONG_SEARCH_RANK_WINDOW`` (1000)."""
    return max(1, _setting("VANPHONG_SEARCH_RANK_WINDOW", DEFAULT_RANK_WINDOW))


def narrow_limit() -> int:
    """A reader whose ``_reach`` holds at most this many entries is searched from that side
    (see ``_narrow_reach``): ``VANPHONG_SEARCH_NARROW_LIMIT`` (default 50000; 0: never)."""
    return _setting("VANPHONG_SEARCH_NARROW_LIMIT", DEFAULT_NARROW_LIMIT)


class _EntryId(TypedDict):
    id: int


def _reach(user: Actor) -> QuerySet[SearchEntry, _EntryId] | None:
    """The ids of the entries of every document ``user`` could possibly see: a SUPERSET of
    ``document_visibility_q``, made of plain index lookups. Every branch of that rule asks
    for an organisation where the reader holds READ, REGISTER or DIRECT, or names the
    reader; so a visible document is owned by, registered in, or assigned to such an
    organisation or to one of its units, or was created by, assigned to (or to the reader's
    unit), granted to or reviewed by the reader.
    It is only ever used together with the full rule (a necessary condition, never a
    sufficient one): it cannot widen what anyone sees. None when the user reaches nothing."""
    scope = scope_for(user)
    if scope.person_id is None:
        return None
    me = scope.person_id
    org_ids = list(
        Organization.objects.filter(
            scope.org_q(Capability.READ) | scope.org_q(Capability.REGISTER) | scope.org_q(Capability.DIRECT)
        ).values_list("pk", flat=True)
    )
    documents = [
        Document.objects.filter(organization_id__in=org_ids).values("pk"),
        Document.objects.filter(created_by_id=me).values("pk"),
        RegisterEntry.objects.filter(organization_id__in=org_ids).values("document_id"),
        Assignment.objects.filter(organization_id__in=org_ids).values("entry__document_id"),
        Assignment.objects.filter(unit__organization_id__in=org_ids).values("entry__document_id"),
        Assignment.objects.filter(unit__people__pk=me).values("entry__document_id"),
        Assignment.objects.filter(person_id=me).values("entry__document_id"),
        ReaderGrant.objects.filter(person_id=me).values("document_id"),
        ReviewStep.objects.filter(reviewer_id=me).values("document_id"),
    ]
    branches = [SearchEntry.objects.filter(document_id__in=ids.order_by()) for ids in documents]
    ids = [b.order_by().values("id") for b in branches]
    return ids[0].union(*ids[1:], all=True)


def _narrow_reach(user: Actor) -> QuerySet[SearchEntry, _EntryId] | None:
    """``_reach(user)`` when the user reaches few documents (at most ``narrow_limit()``
    entries), else None. For such a reader most documents a common word (or a year, a type)
    matches are out of reach: checking the access rule on each of them costs a correlated
    subquery per document, so they are first intersected with the reach (a hash or index
    lookup each). For a reader who sees most documents the intersection would cost more
    than it saves. Whether a user is narrow is remembered for ten minutes; it changes the
    plan, never the results (the reach itself is always read afresh)."""
    limit = narrow_limit()
    if limit == 0:
        return None
    reach = _reach(user)
    if reach is None:
        return None
    key = f"vanphong:search:narrow:{getattr(user, 'pk', None)}:{limit}"
    narrow = cache.get(key)
    if narrow is None:
        narrow = reach[: limit + 1].count() <= limit
        cache.set(key, narrow, 600)
    return reach if narrow else None


@dataclass(frozen=True)
class _Ranked:
    count: int
    capped: bool
    rows: list[tuple[int, float]]  # (entry id, rank), at most limit + 1: the extra one says "more"


def _ranked_ids(
    user: Actor, terms: list[str], prefix_last: bool, filters: Filters, limit: int, offset: int, cap: int
) -> _Ranked:
    """The count (up to ``cap``) and one page (plus one row) of the entries matching
    ``terms`` that ``user`` may see and that pass ``filters``, best first.

    Access is decided inside the SQL every time: an EXISTS correlated to the hit row "h",
    written by the ORM from ``candidates`` (the filters and ``document_visibility_q``).

    1. The visible matches, at most ``cap`` + 1 of them (a ``LIMIT``): for a word found
       in most documents this stops after ``cap`` + 1 access checks instead of one per
       match. For a reader who reaches few documents the matches are first intersected
       with ``_reach`` (``_narrow_reach``).
    2. If there are at most ``cap``, they are all known: only they are ranked.
    3. Otherwise the page comes from the best ``rank_window()`` matches (ranked straight
       from the full-text index, no access check), keeping those the reader may see.
       Ordered by (rank, id), the visible ones among the best matches are exactly the
       first visible ones overall, so when they fill the page the page is exact; when they
       do not (a reader who sees few of them, a page far down), the page is taken over
       every visible match — directly for a narrow reader, whose visible matches are few
       enough to rank and whose share of the best matches would be small.
    Whichever way, the answer is the same; only the time differs.
    """
    backend = backend_for(connection)
    expression = backend.match_expression(terms, prefix_last=prefix_last)
    inner = candidates(user, filters).filter(pk=RawSQL('"h"."id"', ())).values("pk")
    inner_sql, inner_params = inner.query.sql_with_params()
    # The rule is checked hit by hit (the fence), as far as the LIMIT needs, never for every
    # document first.
    conditions, params = [f"EXISTS ({inner_sql}{backend.fence()})"], list(inner_params)
    reach = _narrow_reach(user)
    if reach is not None:
        reach_sql, reach_params = reach.query.sql_with_params()
        conditions.insert(0, backend.among(reach_sql))
        params = [*reach_params, *params]
    narrow = reach is not None
    where = "WHERE " + " AND ".join(conditions)
    page = "ORDER BY h.rank, h.id LIMIT %s OFFSET %s"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT h.id FROM ({backend.matches_sql()}) h {where} LIMIT %s",  # noqa: S608 (only our own SQL and the ORM's)
            [expression, *params, cap + 1],
        )
        visible = [row[0] for row in cursor.fetchall()]
        capped = len(visible) > cap
        count = min(len(visible), cap)
        if count == 0 or (not capped and offset >= count):
            return _Ranked(count, capped, [])
        if not capped:
            among = backend.among_ids(len(visible))
            cursor.execute(
                f"SELECT h.id, h.rank FROM ({backend.hits_sql()}) h WHERE {among} {page}",  # noqa: S608
                [expression, *visible, limit + 1, offset],
            )
            return _Ranked(count, capped, [(row[0], row[1]) for row in cursor.fetchall()])
        rows: list[tuple[int, float]] = []
        if not narrow:
            window = max(rank_window(), 2 * (offset + limit + 1))
            cursor.execute(
                f"SELECT h.id, h.rank FROM ({backend.best_sql()}) h {where} {page}",  # noqa: S608
                [expression, window, *params, limit + 1, offset],
            )
            rows = [(row[0], row[1]) for row in cursor.fetchall()]
        if len(rows) <= limit:  # a narrow reader, or too few visible matches among the best
            cursor.execute(
                f"SELECT h.id, h.rank FROM ({backend.hits_sql()}) h {where} {page}",  # noqa: S608
                [expression, *params, limit + 1, offset],
            )
            rows = [(row[0], row[1]) for row in cursor.fetchall()]
    return _Ranked(count, capped, rows)


def document_url(document_id: int) -> str | None:
    try:
        return reverse("documents:document_detail", args=[document_id])
    except NoReverseMatch:  # the document page is mounted by the documents app
        return None


def search(
    user: Actor,
    q: str,
    *,
    filters: Filters | None = None,
    page: int = 1,
    page_size: int = 20,
    snippets: bool = True,
    cap: int | None = None,
) -> SearchPage:
    """One page of the documents matching ``q`` (with or without diacritics) that ``user``
    may see, best first, with snippets. Without a query, the documents passing the filters,
    newest first; with neither, nothing. The count stops at ``cap`` (default
    ``count_cap()``): ``count_capped`` then says there are more."""
    filters = filters or Filters()
    page = max(1, page)
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    offset = (page - 1) * page_size
    cap = count_cap() if cap is None else max(1, cap)
    terms, prefix_last = parse_terms(q)

    ranks: dict[int, float | None] = {}
    if terms:
        ranked = _ranked_ids(user, terms, prefix_last, filters, page_size, offset, cap)
        count, capped, rows = ranked.count, ranked.capped, ranked.rows
        ranks = dict(rows)
        ids = [pk for pk, _rank in rows]
    elif filters.any():
        qs = candidates(user, filters)
        reach = _narrow_reach(user)
        if reach is not None:
            qs = qs.filter(pk__in=reach)
        count = qs[: cap + 1].count()
        capped = count > cap
        count = min(count, cap)
        ordered = qs.order_by("-issued_date", "-pk").values_list("pk", flat=True)
        ids = list(ordered[offset : offset + page_size + 1])
    else:
        return SearchPage(count=0, results=[], page=page, page_size=page_size, terms=[])
    more = len(ids) > page_size
    ids = ids[:page_size]

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
    return SearchPage(
        count=count,
        results=results,
        page=page,
        page_size=page_size,
        terms=terms,
        count_capped=capped,
        more=more,
    )
