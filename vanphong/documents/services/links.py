"""Reference links: the documents a document cites ("thực hiện Nghị quyết số 57-NQ/TW ngày
22/12/2024 của Bộ Chính trị"), found in its subject and extracted text, and linked to the
registered document with that symbol when there is one — now, or later when it arrives.

Links of kind ``references`` are derived from the text (recomputed by ``links_refresh``, no
audit entry of their own: the change of text that caused them is audited by its service).
Replies, replacements and amendments are stated by people and never touched here.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from vanphong.documents.access import documents_visible_to
from vanphong.documents.models import (
    Document,
    DocumentFile,
    DocumentLink,
    DocumentState,
    LinkKind,
    RegisterEntry,
)
from vanphong.documents.references import Reference, find_references
from vanphong.orgs.actors import Actor

# The text a reference is looked for in: the subject and the first part of the files' text.
MAX_TEXT_CHARS = 200_000
MAX_PARSE_CHARS = 100_000


def registered_documents() -> QuerySet[Document]:
    """Documents that exist as records: in a register, or issued (drafts are not citable)."""
    return Document.objects.filter(
        Q(Exists(RegisterEntry.objects.filter(document=OuterRef("pk"))))
        | Q(state__in=[DocumentState.ISSUED, DocumentState.RECEIVED])
    ).exclude(state=DocumentState.WITHDRAWN)


def _resolve(reference: Reference, *, among: QuerySet[Document], exclude: int | None = None) -> int | None:
    """The id of the one document ``reference`` names among ``among``, or None.

    Same normalised symbol; same date when the reference gives one; the issuer's
    abbreviation, when recorded, must agree with the symbol's. Two documents with the same
    symbol and different dates, and no date in the reference: ambiguous, left unlinked."""
    qs = among.filter(symbol=reference.symbol)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    if reference.date is not None:
        qs = qs.filter(issued_date=reference.date)
    if reference.issuer_abbreviation:
        qs = qs.filter(
            Q(issuer__isnull=True)
            | Q(issuer__abbreviation="")
            | Q(issuer__abbreviation__iexact=reference.issuer_abbreviation)
        )
    rows = list(qs.order_by("pk").values_list("pk", "issued_date")[:20])
    if not rows or len({date for _pk, date in rows}) > 1:
        return None
    return rows[0][0]


def _document_text(document: Document) -> str:
    texts = (
        DocumentFile.objects.filter(document=document)
        .exclude(text="")
        .order_by("uploaded_at", "pk")
        .values_list("text", flat=True)
    )
    return "\n\n".join([document.subject, *texts])[:MAX_TEXT_CHARS]


def links_refresh(*, document: Document) -> list[DocumentLink]:
    """Recompute the ``references`` links of ``document`` from its subject and text: one link
    per cited symbol (the document's own symbol excluded), resolved when the cited document
    is registered here; links no longer cited are removed."""
    text = _document_text(document)
    found: dict[str, Reference] = {}
    for reference in find_references(text):
        if reference.symbol == document.symbol:
            continue
        known = found.get(reference.symbol)
        if known is None or (known.date is None and reference.date is not None):
            found[reference.symbol] = reference
    among = registered_documents()
    with transaction.atomic():
        existing = {
            link.symbol: link
            for link in DocumentLink.objects.select_for_update().filter(
                source=document, kind=LinkKind.REFERENCES
            )
        }
        stale = [link.pk for symbol, link in existing.items() if symbol not in found]
        if stale:
            DocumentLink.objects.filter(pk__in=stale).delete()
        links = []
        for symbol, reference in found.items():
            values = {
                "doc_type": (reference.doc_type or "")[:12],
                "referenced_date": reference.date,
                "quote": " ".join(text[reference.start : reference.end].split())[:300],
                "target_id": _resolve(reference, among=among, exclude=document.pk),
            }
            link = existing.get(symbol)
            if link is None:
                link = DocumentLink.objects.create(
                    source=document, kind=LinkKind.REFERENCES, symbol=symbol, **values
                )
            elif any(getattr(link, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(link, k, v)
                link.save(update_fields=["doc_type", "referenced_date", "quote", "target"])
            links.append(link)
    return links


def links_resolve_to(*, document: Document) -> int:
    """Link earlier, unresolved references to ``document`` (just registered or issued) in
    one UPDATE: same symbol, and same date where the reference gave one."""
    if not document.symbol or not registered_documents().filter(pk=document.pk).exists():
        return 0
    date_matches = Q(referenced_date__isnull=True)
    if document.issued_date is not None:
        date_matches |= Q(referenced_date=document.issued_date)
    return (
        DocumentLink.objects.filter(target__isnull=True, kind=LinkKind.REFERENCES, symbol=document.symbol)
        .filter(date_matches)
        .exclude(source=document)
        .update(target=document)
    )


def references_parse(*, user: Actor, text: str) -> list[dict[str, Any]]:
    """Every reference in ``text`` (API.md, ``POST /api/v1/references/parse``), each with the
    id of the registered document it names when ``user`` may see it, else None."""
    if len(text) > MAX_PARSE_CHARS:
        limit = f"{MAX_PARSE_CHARS:,}".replace(",", ".")
        raise ValidationError(_("Văn bản quá dài: tối đa %(max)s ký tự mỗi lần.") % {"max": limit})
    among = documents_visible_to(user, registered_documents())
    return [{**r.as_dict(), "document": _resolve(r, among=among)} for r in find_references(text)]
