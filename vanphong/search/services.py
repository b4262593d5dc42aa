"""Keeping the search index in step with the documents.

The index is derived data — every value in it is recomputed from the document and its
files — so writing it is not a change of record: it takes no actor and writes no audit
entry. ``vanphong.documents.services.indexing`` is the hook the document services call.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import transaction
from django.utils import timezone

from vanphong.core.textfold import fold_query
from vanphong.documents.doctypes import name_of
from vanphong.documents.models import Document, DocumentState
from vanphong.search.models import ResultKind, SearchEntry
from vanphong.search.selectors import texts_by_document

# Fields of Document that the index reads (everything else, the text above all, stays out).
DOCUMENT_FIELDS = (
    "id",
    "organization_id",
    "state",
    "style",
    "doc_type",
    "symbol",
    "issuer_id",
    "issuer_name",
    "issued_date",
    "subject",
    "signer_name",
    "classification",
    "original_id",
    "created_at",
)
_UPDATED_FIELDS = [
    "organization",
    "kind",
    "classification",
    "doc_type",
    "issuer",
    "year",
    "state",
    "issued_date",
    "head",
    "body",
    "indexed_at",
]


def kind_for(*, state: str, original_id: int | None) -> str:
    if original_id:
        return ResultKind.COPY
    if state == DocumentState.RECEIVED:
        return ResultKind.INCOMING
    return ResultKind.OUTGOING


def kind_of(document: Document) -> str:
    return kind_for(state=document.state, original_id=document.original_id)


def fold_parts(parts: Iterable[str], *, fold: Callable[[str], str] = fold_query) -> str:
    """``fold_query(" ".join(parts))``, computed part by part: folding works character by
    character and collapses the spaces between words, so the two are equal. A bulk load
    passes a memoised ``fold``: subjects, issuers' names, signers and sentences repeat, and
    each is then folded once."""
    return " ".join(folded for folded in map(fold, parts) if folded)


def head_parts(
    *, symbol: str, doc_type: str, style: str, subject: str, issuer_name: str, signer_name: str
) -> list[str]:
    """What ``head`` is made of: symbol, type name, subject, issuer, signer."""
    type_name = name_of(doc_type, style) if doc_type else None
    return [p for p in (symbol, type_name or "", subject, issuer_name, signer_name) if p]


def head_text(document: Document, issuer_name: str = "") -> str:
    return " ".join(
        head_parts(
            symbol=document.symbol,
            doc_type=document.doc_type,
            style=document.style,
            subject=document.subject,
            issuer_name=document.issuer_name or issuer_name,
            signer_name=document.signer_name,
        )
    )


def entry_fields(
    *,
    organization_id: int,
    kind: str,
    classification: int,
    doc_type: str,
    issuer_id: int | None,
    state: str,
    issued_date: dt.date | None,
    created_at: dt.datetime,
    head: str,
    body: str,
    indexed_at: dt.datetime | None = None,
) -> dict[str, Any]:
    """The SearchEntry fields of a document, from its values and its folded texts
    (``head`` = ``fold_parts(head_parts(...))``, ``body`` = ``fold_query(text)``)."""
    when = issued_date or timezone.localtime(created_at).date()
    return {
        "organization_id": organization_id,
        "kind": kind,
        "classification": classification,
        "doc_type": doc_type,
        "issuer_id": issuer_id,
        "year": when.year,
        "state": state,
        "issued_date": issued_date,
        "head": head,
        "body": body,
        "indexed_at": indexed_at or timezone.now(),
    }


def entry_values(document: Document, text: str, *, issuer_name: str = "") -> dict[str, Any]:
    """The SearchEntry fields for ``document`` whose files' text is ``text``."""
    parts = head_parts(
        symbol=document.symbol,
        doc_type=document.doc_type,
        style=document.style,
        subject=document.subject,
        issuer_name=document.issuer_name or issuer_name,
        signer_name=document.signer_name,
    )
    return entry_fields(
        organization_id=document.organization_id,
        kind=kind_of(document),
        classification=document.classification,
        doc_type=document.doc_type,
        issuer_id=document.issuer_id,
        state=document.state,
        issued_date=document.issued_date,
        created_at=document.created_at,
        head=fold_parts(parts),
        body=fold_query(text),
    )


def search_index_documents(*, document_ids: list[int]) -> int:
    """(Re)index these documents in one upsert; answers how many were written."""
    if not document_ids:
        return 0
    documents = list(
        Document.objects.filter(pk__in=document_ids)
        .select_related("issuer")
        .only(*DOCUMENT_FIELDS, "issuer__name")
    )
    texts = texts_by_document([d.pk for d in documents])
    entries = [
        SearchEntry(
            document_id=d.pk,
            **entry_values(d, texts.get(d.pk, ""), issuer_name=d.issuer.name if d.issuer else ""),
        )
        for d in documents
    ]
    with transaction.atomic():
        SearchEntry.objects.bulk_create(
            entries, update_conflicts=True, unique_fields=["document"], update_fields=_UPDATED_FIELDS
        )
    return len(entries)


def search_index_document(*, document: Document) -> None:
    """(Re)index one document: its metadata and the current text of its files."""
    search_index_documents(document_ids=[document.pk])


def reindex_batches(*, batch: int = 2000, after: int = 0) -> Iterator[tuple[int, int]]:
    """Reindex every document in primary-key order, ``batch`` at a time, each batch in its
    own transaction; yields ``(last id, count)`` after each, so that an interrupted run can
    go on with ``after=<last id>``. Memory stays constant: one batch is loaded at a time."""
    last = after
    while True:
        ids = list(Document.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return
        count = search_index_documents(document_ids=ids)
        last = ids[-1]
        yield last, count
