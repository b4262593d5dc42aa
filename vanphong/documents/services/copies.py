"""Copies (sao văn bản, NĐ 30 Điều 25–27; FACTS §1.7): sao y, sao lục and trích sao.

A copy is a document of its own (type SY, SL or TrS, ``original`` pointing at what it was
made from) entered in the copying organisation's copy register, whose one yearly series all
three forms share (FACTS §1.3). A copy of a classified document keeps its classification
and goes into the classified copy register: copying it is recorded in its own book.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from vanphong.audit.services import audit_record
from vanphong.documents import symbols
from vanphong.documents.access import get_document_for_user
from vanphong.documents.models import Document, DocumentState, RegisterEntry, RegisterKind, Style
from vanphong.documents.services.indexing import document_metadata_changed
from vanphong.documents.services.registering import (
    clearance_error,
    entry_register,
    keeping_error,
    register_for,
)
from vanphong.orgs.access import Capability, can
from vanphong.orgs.actors import Actor, acting_person
from vanphong.orgs.models import CLASSIFICATION_CODES, Classification, Organization

COPY_FORMS = {"SY": "Bản sao y", "SL": "Bản sao lục", "TrS": "Bản trích sao"}
# NĐ 30 Điều 25: sao lục is made from a sao y copy (or from another sao lục).
_SAO_LUC_SOURCES = frozenset({"SY", "SL"})
MAX_COPIES = 500


def document_copy(
    *,
    actor: Actor,
    original: Document,
    form: str,
    organization: Organization,
    excerpt: str | None = None,
    copies_count: int = 1,
) -> RegisterEntry:
    """Make a copy of ``original`` in ``organization``'s copy register and answer its entry.

    The actor must be able to read the original (404 otherwise, as for any read) and keep
    the organisation's books. ``excerpt`` names the part a trích sao reproduces."""
    person = acting_person(actor)
    original = get_document_for_user(actor, original.pk)
    if not can(actor, Capability.REGISTER, organization):
        raise PermissionDenied("Chỉ văn thư của cơ quan mới sao văn bản vào sổ của cơ quan.")
    errors: dict[str, list[str]] = {}
    if refusal := clearance_error(actor, original.classification, doing="sao") or keeping_error(
        actor, organization, original.classification, doing="sao"
    ):
        # The copy keeps the original's classification (and 404 above already hides what
        # one may not read): refused here too, before any number is taken.
        errors.setdefault("classification", []).append(refusal)
    if form not in COPY_FORMS:
        errors.setdefault("form", []).append("Hình thức sao phải là sao y, sao lục hoặc trích sao.")
    excerpt = (excerpt or "").strip()
    if form == "TrS" and not excerpt:
        errors.setdefault("excerpt", []).append("Bản trích sao cần ghi phần nội dung được trích.")
    if form == "SL" and original.doc_type not in _SAO_LUC_SOURCES:
        errors.setdefault("form", []).append(
            "Sao lục được thực hiện từ bản sao y; văn bản này không phải bản sao y."
        )
    if original.state not in (DocumentState.ISSUED, DocumentState.RECEIVED) or not original.entries.exists():
        errors.setdefault("original", []).append(
            "Chỉ sao được văn bản đã phát hành hoặc đã vào sổ văn bản đến."
        )
    if (
        isinstance(copies_count, bool)
        or not isinstance(copies_count, int)
        or not 1 <= copies_count <= MAX_COPIES
    ):
        errors.setdefault("copies_count", []).append(f"Số lượng bản sao phải từ 1 đến {MAX_COPIES}.")
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        register = register_for(
            organization=organization, kind=RegisterKind.COPY, classification=original.classification
        )
        today = timezone.localdate()
        copy = Document.objects.create(
            organization=organization,
            state=DocumentState.ISSUED,
            style=Style.STATE,  # copies are numbered and written the NĐ 30 way: "05/SY-VPTU"
            doc_type=form,
            issuer=organization,
            issuer_name=organization.name,
            issued_date=today,
            subject=original.subject,
            urgency=original.urgency,
            classification=original.classification,
            original=original,
            created_by=person,
        )
        entry = entry_register(
            actor=actor,
            register=register,
            document=copy,
            on=today,
            copies_count=copies_count,
            notes=f"Trích sao: {excerpt}" if excerpt else "",
        )
        try:
            copy.symbol = symbols.format_symbol(
                style=Style.STATE,
                number=entry.number,
                doc_type=form,
                issuer_abbreviation=organization.abbreviation or None,
            )
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        copy.number = entry.number
        copy.save(update_fields=["symbol", "number", "updated_at"])
        document_metadata_changed(copy)
        details = {
            "form": form,
            "original": original.pk,
            "original_symbol": original.symbol,
            "copy": copy.pk,
            "symbol": copy.symbol,
            "register": register.pk,
            "number": entry.number,
            "copies_count": copies_count,
            "excerpt": excerpt,
            "classification": CLASSIFICATION_CODES[Classification(original.classification)],
        }
        audit_record(actor=actor, action="document.copy", target=copy, after=details)
        if original.classification > Classification.NONE:
            audit_record(
                actor=actor,
                action="document.copy_classified",
                target=original,
                organization_id=organization.pk,
                after=details,
            )
    return entry
