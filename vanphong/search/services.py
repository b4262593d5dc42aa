"""Keeping the search index in step with the documents.

The index is derived data — every value in it is recomputed from the document and its
files — so writing it is not a change of record: it takes no actor and writes no audit
entry. ``vanphong.documents.indexing`` is the hook the document services call.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db import transaction
from django.db.models.functions import Substr
from django.utils import timezone

from vanphong.documents.doctypes import name_of
from vanphong.documents.models import Document, DocumentFile, DocumentState
from vanphong.documents.textfold import fold_query

from .models import MAX_BODY_CHARS, ResultKind, SearchEntry

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


def kind_of(document: Document) -> str:
    if document.original_id:
        return ResultKind.COPY
    if document.state == DocumentState.RECEIVED:
        return ResultKind.INCOMING
    return ResultKind.OUTGOING


def document_text(texts: Iterable[str]) -> str:
    """The text of a document's files as indexed: joined in upload order, capped.

    Snippets are cut from this same string, so positions found in the index text stay
    meaningful for it."""
    return "\n\n".join(t for t in texts if t)[:MAX_BODY_CHARS]


def head_text(document: Document, issuer_name: str = "") -> str:
    type_name = name_of(document.doc_type, document.style) if document.doc_type else None
    parts = [
        document.symbol,
        type_name or "",
        document.subject,
        document.issuer_name or issuer_name,
        document.signer_name,
    ]
    return " ".join(p for p in parts if p)


def entry_values(document: Document, text: str, *, issuer_name: str = "") -> dict[str, Any]:
    """The SearchEntry fields for ``document`` whose files' text is ``text``."""
    when = document.issued_date or timezone.localtime(document.created_at).date()
    return {
        "organization_id": document.organization_id,
        "kind": kind_of(document),
        "classification": document.classification,
        "doc_type": document.doc_type,
        "issuer_id": document.issuer_id,
        "year": when.year,
        "state": document.state,
        "issued_date": document.issued_date,
        "head": fold_query(head_text(document, issuer_name)),
        "body": fold_query(text),
        "indexed_at": timezone.now(),
    }


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
