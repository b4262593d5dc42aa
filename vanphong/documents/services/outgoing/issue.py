"""Issue: the number and date taken atomically from the register, the copies in the
recipients' incoming books (hosted ones), and the audit entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from vanphong.audit.services import audit_record
from vanphong.documents import symbols
from vanphong.documents.models import (
    Document,
    DocumentState,
    RegisterCounter,
    RegisterEntry,
    RegisterKind,
)
from vanphong.documents.numbering import series_for
from vanphong.documents.services.indexing import document_metadata_changed
from vanphong.documents.services.outgoing.common import (
    _locked,
    _require_outgoing,
    _style_for,
    recipients_text,
)
from vanphong.documents.services.registering import (
    entry_register,
    keeping_error,
    register_for,
    registers_provision_defaults,
)
from vanphong.documents.signals import document_issued
from vanphong.orgs.access import Capability, can
from vanphong.orgs.actors import Actor, acting_person
from vanphong.orgs.models import (
    Organization,
)
from vanphong.orgs.naming import issued_place

# --- Issue and delivery --------------------------------------------------------------------------


DELIVERY_CHANNEL = "nội bộ"


def outgoing_entry(document: Document) -> RegisterEntry | None:
    return (
        RegisterEntry.objects.filter(
            document=document, organization_id=document.organization_id, register__kind=RegisterKind.OUTGOING
        )
        .select_related("register")
        .first()
    )


def _incoming_register(recipient: Organization, classification: int) -> Any:
    try:
        return register_for(organization=recipient, kind=RegisterKind.INCOMING, classification=classification)
    except ValidationError:
        registers_provision_defaults(organization=recipient, style=_style_for(recipient))
        return register_for(organization=recipient, kind=RegisterKind.INCOMING, classification=classification)


def _lock_counters(document: Document, targets: Iterable[Any], on: dt.date) -> None:
    """Lock every counter this issue will advance, in one fixed order, before anything is
    numbered or audited. The audit chain's head row is locked by every audited transaction
    until it commits, so a counter first locked *after* an audit entry could deadlock with a
    registration in a recipient's book that holds that counter and waits for the head."""
    keys = sorted(
        {
            (
                register.pk,
                series_for(
                    register, doc_type=document.doc_type, classification=document.classification, on=on
                ),
            )
            for register in targets
        }
    )
    for register_id, series in keys:
        RegisterCounter.objects.get_or_create(register_id=register_id, series=series)
        RegisterCounter.objects.select_for_update().get(register_id=register_id, series=series)


def outgoing_issue(*, actor: Actor, document: Document, issued_date: dt.date | None = None) -> RegisterEntry:
    """Issue an approved document: the next number of the organisation's outgoing register
    and the date, taken in one transaction under a lock on the document (two clerks pressing
    the button get one number), the symbol written, and the document registered at once in
    the incoming book of every hosted recipient. Issuing again answers the same entry."""
    acting_person(actor)
    organization = document.organization
    if not can(actor, Capability.REGISTER, organization):
        raise PermissionDenied("Chỉ văn thư của cơ quan mới phát hành được văn bản.")
    if refusal := keeping_error(actor, organization, document.classification, doing="phát hành"):
        raise ValidationError({"classification": [refusal]})
    today = timezone.localdate()
    if issued_date is not None and issued_date > today:
        raise ValidationError({"issued_date": ["Ngày ban hành không được sau ngày hôm nay."]})
    with transaction.atomic():
        document = _locked(document)
        _require_outgoing(document)
        if document.state == DocumentState.ISSUED:
            entry = outgoing_entry(document)
            if entry is None:  # pragma: no cover - an issued document always has its entry
                raise ValidationError("Văn bản đã phát hành nhưng không tìm thấy mục sổ văn bản đi.")
            return entry
        if document.state != DocumentState.APPROVED:
            raise ValidationError("Chỉ phát hành được văn bản đã được người ký duyệt.")
        on = issued_date or today
        register = register_for(
            organization=organization, kind=RegisterKind.OUTGOING, classification=document.classification
        )
        recipients = list(document.recipients.select_related("organization"))
        hosted = [r for r in recipients if r.organization.hosted and r.organization.active]
        incoming = {r.pk: _incoming_register(r.organization, document.classification) for r in hosted}
        _lock_counters(document, [register], on)
        delivered_on = timezone.localdate()
        _lock_counters(document, incoming.values(), delivered_on)

        entry = entry_register(actor=actor, register=register, document=document, on=on)
        try:
            symbol = symbols.format_symbol(
                style=document.style,
                number=entry.number,
                doc_type=document.doc_type,
                issuer_abbreviation=organization.abbreviation,
            )
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        before = {"state": document.state}
        document.number, document.symbol = entry.number, symbol
        document.issued_date, document.issued_place = on, issued_place(organization)
        document.state = DocumentState.ISSUED
        document.recipients_text = document.recipients_text or recipients_text(document)
        document.save(
            update_fields=[
                "number",
                "symbol",
                "issued_date",
                "issued_place",
                "state",
                "recipients_text",
                "updated_at",
            ]
        )
        document_metadata_changed(document)
        now = timezone.now()
        delivered = []
        for recipient in hosted:
            delivery = entry_register(
                actor=actor,
                register=incoming[recipient.pk],
                document=document,
                on=delivered_on,
                received_at=now,
                channel=DELIVERY_CHANNEL,
                source_entry=entry,
            )
            recipient.delivered_entry, recipient.delivered_at = delivery, now
            recipient.save(update_fields=["delivered_entry", "delivered_at"])
            delivered.append(recipient.organization_id)
        audit_record(
            actor=actor,
            action="outgoing.issue",
            target=document,
            before=before,
            after={
                "state": DocumentState.ISSUED,
                "number": entry.number,
                "symbol": symbol,
                "issued_date": on,
                "entry": entry.pk,
                "delivered_to": delivered,
                "awaiting_exchange": [r.organization_id for r in recipients if r not in hosted],
            },
        )
        document_issued.send(
            sender=Document,
            document=document,
            entry=entry,
            external=[r for r in recipients if r not in hosted],
        )
    return entry
