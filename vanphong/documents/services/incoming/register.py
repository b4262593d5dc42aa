"""Registering an incoming document: ``incoming_validate`` checks everything and writes
nothing; ``_incoming_persist`` writes the document, its entry (the number taken under the
register's row lock) and its files in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.audit.services import audit_record, snapshot
from vanphong.core.textfold import fold
from vanphong.documents import doctypes
from vanphong.documents.models import (
    Arrival,
    ArrivalState,
    Document,
    DocumentState,
    FileKind,
    RegisterEntry,
    RegisterKind,
    Style,
    Urgency,
)
from vanphong.documents.services.incoming.reading import (
    SymbolReading,
    incoming_find_duplicate,
    issuer_choice_record,
    issuer_named,
    issuer_resolve,
    symbol_read,
)
from vanphong.documents.services.indexing import document_metadata_changed
from vanphong.documents.services.registering import (
    clearance_error,
    entry_register,
    keeping_error,
    register_for,
)
from vanphong.orgs.access import Capability, can
from vanphong.orgs.actors import Actor, person_of
from vanphong.orgs.models import Classification, Organization

# --- Registering ----------------------------------------------------------------------------------


def _check_choices(*, doc_type: str, urgency: str, classification: int) -> dict[str, str]:
    errors: dict[str, str] = {}
    if doc_type and doctypes.lookup(doc_type) is None:
        errors["doc_type"] = _("Loại văn bản “%(code)s” không có trong danh mục.") % {"code": doc_type}
    if urgency not in Urgency.values:
        errors["urgency"] = _("Độ khẩn không hợp lệ.")
    if classification not in Classification.values:
        errors["classification"] = _("Độ mật không hợp lệ.")
    return errors


@dataclass(frozen=True)
class _ValidIncoming:
    """What ``incoming_validate`` found right, ready to be written."""

    symbol: str
    reading: SymbolReading
    subject: str
    issuer: Organization | None
    issuer_name: str
    doc_type: str
    now: dt.datetime


def incoming_validate(
    *,
    actor: Actor,
    organization: Organization,
    symbol: str,
    subject: str,
    issuer: Organization | None = None,
    issuer_name: str = "",
    issued_date: dt.date | None = None,
    doc_type: str = "",
    urgency: str = Urgency.NORMAL,
    classification: int = Classification.NONE,
    received_at: dt.datetime | None = None,
    page_count: int | None = None,
    arrival: Arrival | None = None,
) -> _ValidIncoming:
    """Every check ``incoming_register`` makes before it writes: ``PermissionDenied`` when
    ``actor`` does not keep ``organization``'s books, else ``ValidationError`` with a
    Vietnamese message per field; reads the symbol and resolves the issuer. Writes nothing."""
    if not can(actor, Capability.REGISTER, organization):
        raise PermissionDenied(_("Bạn không giữ sổ văn bản của %(org)s.") % {"org": organization.name})
    symbol, subject = (symbol or "").strip(), " ".join((subject or "").split())
    issuer_name = " ".join((issuer_name or "").split())
    errors = _check_choices(doc_type=doc_type, urgency=urgency, classification=classification)
    if "classification" not in errors and (
        refusal := clearance_error(actor, classification)
        or keeping_error(actor, organization, classification)
    ):
        errors["classification"] = refusal
    if not symbol:
        errors["symbol"] = _("Hãy nhập số, ký hiệu của văn bản.")
    if not subject:
        errors["subject"] = _("Hãy nhập trích yếu nội dung.")
    now = timezone.now()
    if received_at is not None and received_at > now + dt.timedelta(minutes=5):
        errors["received_at"] = _("Ngày đến không được ở tương lai.")
    if issued_date is not None and issued_date > timezone.localdate(now):
        errors["issued_date"] = _("Ngày văn bản không được sau ngày hôm nay.")
    if page_count is not None and page_count < 1:
        errors["page_count"] = _("Số trang phải là số dương.")
    if arrival is not None and (
        arrival.organization_id != organization.pk or arrival.state != ArrivalState.WAITING
    ):
        errors["arrival"] = _("Văn bản chờ vào sổ này không thuộc cơ quan hoặc đã được xử lý.")
    if errors:
        raise ValidationError(errors)

    reading = symbol_read(symbol)
    parsed = reading.parsed
    if issuer is None:
        abbreviation = parsed.issuer_abbreviation if parsed else None
        issuer = issuer_resolve(
            abbreviation=abbreviation,
            organization=organization,
            doc_type=parsed.effective_doc_type if parsed else None,
        )
        if (
            issuer is not None
            and issuer_name
            and fold(issuer_name)
            not in {
                fold(issuer.name),
                fold(issuer.short_name),
                fold(issuer.abbreviation),
            }
        ):
            # The clerk named someone else: another body the code names ("Ban Bí thư" for
            # "/TW" where "Bộ Chính trị" was proposed), else trust the name typed.
            issuer = issuer_named(abbreviation=abbreviation, name=issuer_name)
    if issuer is not None and not issuer_name:
        issuer_name = issuer.name
    if issuer is None and not issuer_name:
        raise ValidationError({"issuer_name": _("Hãy cho biết cơ quan ban hành văn bản.")})
    return _ValidIncoming(
        symbol=symbol,
        reading=reading,
        subject=subject,
        issuer=issuer,
        issuer_name=issuer_name,
        doc_type=doc_type or (parsed.effective_doc_type if parsed else None) or "",
        now=now,
    )


def incoming_register(
    *,
    actor: Actor,
    organization: Organization,
    symbol: str,
    subject: str,
    issuer: Organization | None = None,
    issuer_name: str = "",
    issued_date: dt.date | None = None,
    doc_type: str = "",
    urgency: str = Urgency.NORMAL,
    classification: int = Classification.NONE,
    received_at: dt.datetime | None = None,
    channel: str = "",
    signer_name: str = "",
    signer_position: str = "",
    page_count: int | None = None,
    files: Iterable[Any] = (),
    arrival: Arrival | None = None,
    notes: str = "",
) -> RegisterEntry:
    """Register a received document in ``organization``'s incoming book with the next number.

    The symbol is parsed to fill the type, number and style (a symbol that does not parse
    is kept as typed); the issuer is resolved from the symbol's body code when not given;
    a classified document goes to the classified book; an earlier registration of the same
    document is recorded in ``duplicate_of`` (the document is still registered: the clerk
    has been warned by the form, and a second paper copy is a fact worth recording).
    Checks first (``incoming_validate``), then writes (``_incoming_persist``).
    """
    valid = incoming_validate(
        actor=actor,
        organization=organization,
        symbol=symbol,
        subject=subject,
        issuer=issuer,
        issuer_name=issuer_name,
        issued_date=issued_date,
        doc_type=doc_type,
        urgency=urgency,
        classification=classification,
        received_at=received_at,
        page_count=page_count,
        arrival=arrival,
    )
    return _incoming_persist(
        valid,
        actor=actor,
        organization=organization,
        issued_date=issued_date,
        urgency=urgency,
        classification=classification,
        received_at=received_at,
        channel=channel,
        signer_name=signer_name,
        signer_position=signer_position,
        page_count=page_count,
        files=files,
        arrival=arrival,
        notes=notes,
    )


def _incoming_persist(
    valid: _ValidIncoming,
    *,
    actor: Actor,
    organization: Organization,
    issued_date: dt.date | None,
    urgency: str,
    classification: int,
    received_at: dt.datetime | None,
    channel: str,
    signer_name: str,
    signer_position: str,
    page_count: int | None,
    files: Iterable[Any],
    arrival: Arrival | None,
    notes: str,
) -> RegisterEntry:
    """Write a validated registration in one transaction: the duplicate looked up, the
    document, its audit entry, the register entry with the next number (taken under the
    register's row lock, ``entry_register``), the search index, the arrival marked and the
    files attached. A failure leaves nothing behind, no number consumed."""
    parsed = valid.reading.parsed
    with transaction.atomic():
        duplicate = incoming_find_duplicate(
            organization=organization,
            symbol=valid.symbol,
            issued_date=issued_date,
            issuer=valid.issuer,
            issuer_name=valid.issuer_name,
        )
        described = dict(
            organization=organization,
            state=DocumentState.RECEIVED,
            style=parsed.style if parsed else Style.PARTY,
            doc_type=valid.doc_type,
            number=parsed.number if parsed else None,
            symbol=valid.reading.symbol,
            issuer=valid.issuer,
            issuer_name=valid.issuer_name,
            issued_date=issued_date,
            subject=valid.subject,
            signer_name=signer_name.strip(),
            signer_position=signer_position.strip(),
            page_count=page_count,
            urgency=urgency,
            classification=classification,
        )
        if arrival is not None and arrival.document_id is not None:
            # An exchange package's document, described when it arrived: entered in the book
            # as the clerk confirmed (or corrected) its fields, with the files it brought.
            document = Document.objects.select_for_update().get(pk=arrival.document_id)
            for name, value in described.items():
                setattr(document, name, value)
            document.save()
        else:
            document = Document.objects.create(**described, created_by=person_of(actor))
        audit_record(
            actor=actor,
            action="document.receive",
            target=document,
            after=snapshot(document, fields=_DOCUMENT_AUDIT_FIELDS),
        )
        register = register_for(
            organization=organization, kind=RegisterKind.INCOMING, classification=classification
        )
        entry = entry_register(
            actor=actor,
            register=register,
            document=document,
            received_at=received_at or valid.now,
            channel=channel or (arrival.channel if arrival is not None else ""),
            duplicate_of=duplicate,
            notes=notes.strip(),
        )
        # Search and reference links follow the new document, in this same transaction.
        document_metadata_changed(document)
        issuer_choice_record(organization=organization, parsed=parsed, issuer=valid.issuer)
        if arrival is not None:
            from vanphong.documents.services.arrivals import arrival_mark_registered

            arrival_mark_registered(actor=actor, arrival=arrival, entry=entry)
        if files:
            from vanphong.documents.services.files import file_attach

            for upload in files:
                file_attach(actor=actor, document=document, upload=upload, kind=FileKind.ORIGINAL)
    return entry


_DOCUMENT_AUDIT_FIELDS = [
    "organization",
    "style",
    "doc_type",
    "number",
    "symbol",
    "issuer",
    "issuer_name",
    "issued_date",
    "subject",
    "signer_name",
    "signer_position",
    "urgency",
    "classification",
]
