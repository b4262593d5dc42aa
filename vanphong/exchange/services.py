"""The exchange's state changes: packages received (from a peer's delivery or a file) and what
they make or act on, packages built for our issued documents, status messages both ways, the
outbox that delivers them, and the peers.

A received package is parsed completely before anything is written; a refused one is kept
with its reason, nothing else (never half-imported). The same bytes received again for the
same organisation answer the package already made, and so does another package of the same
document from the same sender: a delivery repeated by a retrying peer registers nothing new.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Any, NoReturn

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone

from vanphong.audit.services import audit_record
from vanphong.core.jobs import enqueue
from vanphong.documents.models import (
    Arrival,
    ArrivalState,
    Document,
    DocumentFile,
    DocumentLink,
    DocumentState,
    ExtractionState,
    FileKind,
    LinkKind,
    RegisterEntry,
)
from vanphong.documents.services.files import file_attach
from vanphong.documents.services.incoming.register import incoming_register
from vanphong.documents.services.indexing import document_metadata_changed
from vanphong.exchange import edxml, mapping, transport
from vanphong.exchange.models import (
    Delivery,
    DeliveryState,
    Direction,
    Package,
    PackageKind,
    PackageState,
    Peer,
    RecipientStatus,
    SignedFile,
    StatusCode,
)
from vanphong.orgs.access import Capability, can
from vanphong.orgs.actors import Actor, person_of
from vanphong.orgs.models import Classification, Organization

logger = logging.getLogger(__name__)

CHANNEL = "liên thông"
KIND_OF_BUSINESS = {
    edxml.BusinessKind.NEW: PackageKind.NEW,
    edxml.BusinessKind.RECALL: PackageKind.RECALL,
    edxml.BusinessKind.UPDATE: PackageKind.UPDATE,
    edxml.BusinessKind.REPLACE: PackageKind.REPLACE,
}
STATUS_TEXT = {
    StatusCode.ARRIVED: "Văn bản đã đến hệ thống của cơ quan nhận, văn thư chưa xử lý.",
    StatusCode.ACCEPTED: "Văn thư đã vào sổ văn bản đến.",
    StatusCode.ASSIGNED: "Lãnh đạo đã cho ý kiến, phân công xử lý.",
    StatusCode.COMPLETED: "Văn bản đã được xử lý xong.",
    StatusCode.AGREED: "Cơ quan nhận đồng ý yêu cầu của bên gửi.",
}


# What is kept of a body refused before it was read (too large, not authenticated).
KEEP_REFUSED_BYTES = 64 * 1024


class PackageRefused(ValidationError):
    """A package refused with a reason; ``package`` is the row kept for inspection."""

    def __init__(self, package: Package) -> None:
        super().__init__(package.reason, code="refused")
        self.package = package


@dataclass
class Received:
    package: Package
    created: bool


# --- Keeping the bytes --------------------------------------------------------------------------


def _package_row(
    *,
    direction: str,
    kind: str,
    state: str,
    data: bytes,
    name: str,
    organization: Organization | None,
    peer: Peer | None = None,
    actor: Actor | None = None,
    reason: str = "",
    **fields: Any,
) -> Package:
    package = Package(
        direction=direction,
        kind=kind,
        state=state,
        reason=reason,
        organization=organization,
        peer=peer,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        created_by=person_of(actor),
        **fields,
    )
    suffix = "json" if kind == PackageKind.FIGURES else "edxml"
    package.file.save(f"{(name or 'goi-tin')[:80]}.{suffix}", ContentFile(data), save=False)
    return package


def _refuse(
    *,
    data: bytes,
    name: str,
    organization: Organization | None,
    peer: Peer | None,
    actor: Actor | None,
    reason: str,
    kind: str = PackageKind.NEW,
    keep: int | None = None,
) -> NoReturn:
    """Keep a refused package (once per organisation and bytes) with its reason, and raise.
    ``keep``: keep only the first bytes (an oversized or unauthenticated body), its digest and
    size recorded whole."""
    digest = hashlib.sha256(data).hexdigest()
    existing = Package.objects.filter(
        direction=Direction.IN, organization=organization, sha256=digest, state=PackageState.REFUSED
    ).first()
    if existing is None:
        with transaction.atomic():
            existing = _package_row(
                direction=Direction.IN,
                kind=kind,
                state=PackageState.REFUSED,
                data=data if keep is None else data[:keep],
                name=name,
                organization=organization,
                peer=peer,
                actor=actor,
                reason=reason[:2000],
            )
            existing.sha256, existing.size = digest, len(data)
            if keep is not None and len(data) > keep:
                existing.details = {"kept_bytes": keep}
            existing.save()
            audit_record(
                actor=actor,
                action="exchange.package_refuse",
                target=existing,
                organization_id=organization.pk if organization else None,
                after={"sha256": digest, "reason": reason[:500], "peer": peer.code if peer else ""},
                actor_username="" if person_of(actor) else "system",
            )
    raise PackageRefused(existing)


# --- Receiving ----------------------------------------------------------------------------------


def may_import(user: Actor, organization: Organization) -> bool:
    return can(user, Capability.REGISTER, organization)


def package_receive(
    *,
    actor: Actor | None,
    data: bytes,
    organization: Organization | None,
    peer: Peer | None = None,
    name: str = "",
) -> Received:
    """Receive one edXML package for ``organization`` (a document) or about one of ours (a
    status). Raises ``PackageRefused`` (kept, with the reason) for anything it cannot take."""
    if actor is not None and organization is not None and not may_import(actor, organization):
        raise PermissionDenied("Chỉ văn thư của cơ quan nhận mới nhập được gói tin.")
    if len(data) > settings.VANPHONG_EXCHANGE_MAX_BYTES:
        _refuse(
            data=data,
            keep=KEEP_REFUSED_BYTES,
            name=name,
            organization=organization,
            peer=peer,
            actor=actor,
            reason=f"Gói tin lớn hơn {settings.VANPHONG_EXCHANGE_MAX_BYTES // (1024 * 1024)} MB.",
        )
    digest = hashlib.sha256(data).hexdigest()
    if organization is not None:
        earlier = Package.objects.filter(
            direction=Direction.IN, sha256=digest, state=PackageState.ACCEPTED, organization=organization
        ).first()
        if earlier is not None:
            return Received(earlier, False)
    try:
        parsed = edxml.parse(data, max_bytes=settings.VANPHONG_EXCHANGE_MAX_BYTES)
    except edxml.PackageError as exc:
        _refuse(data=data, name=name, organization=organization, peer=peer, actor=actor, reason=str(exc))
    if isinstance(parsed, edxml.EdStatus):
        return _receive_status(actor=actor, data=data, status=parsed, peer=peer, name=name)
    if organization is None:
        _refuse(
            data=data,
            name=name,
            organization=None,
            peer=peer,
            actor=actor,
            reason="Không xác định được cơ quan nhận gói tin.",
        )
    assert organization is not None
    if not organization.hosted or not organization.active:
        _refuse(
            data=data,
            name=name,
            organization=organization,
            peer=peer,
            actor=actor,
            reason="Cơ quan nhận không dùng hệ thống này.",
        )
    if peer is not None and not _peer_hosts_sender(peer, parsed):
        _refuse(
            data=data,
            name=name,
            organization=organization,
            peer=peer,
            actor=actor,
            reason=(
                f"Nơi gửi ({parsed.sender.organ_id}) không phải cơ quan dùng hệ thống {peer.name}: "
                "một hệ thống chỉ gửi được văn bản của các cơ quan nó quản lý."
            ),
        )
    kind = KIND_OF_BUSINESS[parsed.business_kind]
    if not parsed.attachments and kind in (PackageKind.NEW, PackageKind.REPLACE):
        _refuse(
            data=data,
            name=name,
            organization=organization,
            peer=peer,
            actor=actor,
            reason="Gói tin không có tệp văn bản.",
        )
    if kind == PackageKind.NEW:
        return _receive_new(
            actor=actor, data=data, package=parsed, organization=organization, peer=peer, name=name
        )
    return _receive_change(
        actor=actor, data=data, package=parsed, organization=organization, peer=peer, name=name, kind=kind
    )


def _peer_hosts_sender(peer: Peer, parsed: edxml.EdDocument) -> bool:
    """Whether the package's sender is one of the organisations ``peer`` runs."""
    issuer = mapping.issuer_of(parsed)
    return issuer is not None and peer.organizations.filter(pk=issuer.pk).exists()


def _same_peer(peer: Peer | None) -> Q:
    return Q(peer=peer) if peer is not None else Q()


def _same_document(
    organization: Organization, parsed: edxml.EdDocument, kind: str, peer: Peer | None
) -> Package | None:
    """The package of the same document from the same sender (and peer) already received and
    not refused by the clerk: a resend after a refusal is a new arrival."""
    return (
        Package.objects.filter(
            _same_peer(peer),
            direction=Direction.IN,
            organization=organization,
            kind=kind,
            state=PackageState.ACCEPTED,
            document_key=parsed.document_id[:200],
            sender_id=parsed.sender.organ_id[:40],
        )
        .exclude(document_key="")
        .exclude(arrival__state=ArrivalState.DISCARDED)
        .first()
    )


def _describe(
    *,
    actor: Actor | None,
    organization: Organization,
    parsed: edxml.EdDocument,
    peer: Peer | None,
) -> tuple[Document, Arrival]:
    """The package's document, described and with its files, waiting in the queue."""
    fields = mapping.described_fields(parsed)
    if not fields["subject"]:
        raise ValidationError("Gói tin thiếu trích yếu nội dung.")
    document = Document.objects.create(
        organization=organization,
        state=DocumentState.RECEIVED,
        classification=Classification.NONE,
        created_by=person_of(actor),
        **{k: v for k, v in fields.items() if k not in ("issued_place",)},
        issued_place=fields["issued_place"],
    )
    files: list[DocumentFile] = []
    for index, attachment in enumerate(parsed.attachments):
        files.append(
            file_attach(
                actor=actor,  # type: ignore[arg-type]
                document=document,
                upload=(attachment.name or f"tep-{index + 1}", attachment.data),
                kind=FileKind.ORIGINAL if index == 0 else FileKind.ATTACHMENT,
                any_type=True,  # kept as it came: another office's attachment of any kind
            )
        )
    main = next((f for f in files if f.content_type == "application/pdf"), files[0])
    arrival = Arrival(
        organization=organization,
        channel="exchange",
        sender=(parsed.sender.name or parsed.sender.organ_id)[:255],
        original_name=main.original_name,
        content_type=main.content_type,
        size=main.size,
        sha256=main.sha256,
        extraction=ExtractionState.DONE,
        extraction_note="Thông tin lấy từ gói tin liên thông.",
        proposal=mapping.proposal_of(fields),
        created_by=person_of(actor),
        document=document,
    )
    arrival.file.name = main.file.name  # the same bytes, by name
    arrival.save(force_insert=True)
    return document, arrival


def _receive_new(
    *,
    actor: Actor | None,
    data: bytes,
    package: edxml.EdDocument,
    organization: Organization,
    peer: Peer | None,
    name: str,
) -> Received:
    try:
        with transaction.atomic():
            # One import at a time per organisation: two deliveries of one package never both
            # pass the "already here?" check.
            Organization.objects.select_for_update().get(pk=organization.pk)
            earlier = _same_document(organization, package, PackageKind.NEW, peer) or (
                Package.objects.filter(
                    direction=Direction.IN,
                    organization=organization,
                    sha256=hashlib.sha256(data).hexdigest(),
                    state=PackageState.ACCEPTED,
                ).first()
            )
            if earlier is not None:
                return Received(earlier, False)
            document, arrival = _describe(actor=actor, organization=organization, parsed=package, peer=peer)
            row = _package_row(
                direction=Direction.IN,
                kind=PackageKind.NEW,
                state=PackageState.ACCEPTED,
                data=data,
                name=name or package.code_number,
                organization=organization,
                peer=peer,
                actor=actor,
                sender_id=package.sender.organ_id[:40],
                sender_name=package.sender.name[:255],
                document_key=package.document_id[:200],
                document=document,
                arrival=arrival,
                details=_details(package),
            )
            row.save()
            audit_record(
                actor=actor,
                action="exchange.package_receive",
                target=row,
                organization_id=organization.pk,
                after={
                    "kind": row.kind,
                    "document": document.pk,
                    "arrival": arrival.pk,
                    "sender": row.sender_id,
                    "document_key": row.document_key,
                    "sha256": row.sha256,
                    "peer": peer.code if peer else "",
                },
                actor_username="" if person_of(actor) else "system",
            )
            if peer is not None:
                status_queue(inbound=row, code=StatusCode.ARRIVED, actor=actor)
    except ValidationError as exc:
        if isinstance(exc, PackageRefused):
            raise
        _refuse(
            data=data,
            name=name,
            organization=organization,
            peer=peer,
            actor=actor,
            reason="; ".join(exc.messages),
        )
    except DatabaseError:
        logger.exception("package for %s not taken", organization.pk)
        _refuse(
            data=data,
            name=name,
            organization=organization,
            peer=peer,
            actor=actor,
            reason="Gói tin có giá trị không hợp lệ, không lưu được.",
        )
    return Received(row, True)


def _details(package: edxml.EdDocument) -> dict[str, Any]:
    return {
        "subject": package.subject[:500],
        "code": mapping.join_symbol(package.code_number, package.code_notation, package.document_id)[:120],
        "date": package.promulgation_date.isoformat() if package.promulgation_date else None,
        "sender": package.sender.name[:255],
        "recipients": [r.organ_id for r in package.recipients][:50],
        "files": [{"name": a.name[:255], "size": len(a.data)} for a in package.attachments][:50],
        "reason": package.business_reason[:500],
        "replaces": package.replaces[:20],
        "signed_xml": package.has_xml_signature,
    }


def _named_package(organization: Organization, parsed: edxml.EdDocument, peer: Peer | None) -> Package | None:
    """The document a change package names: one its own sender sent here (through the same
    peer): no one recalls or replaces another's document."""
    keys = [k[:200] for k in (parsed.replaces or [parsed.document_id]) if k]
    return (
        Package.objects.filter(
            _same_peer(peer),
            sender_id=parsed.sender.organ_id[:40],
            direction=Direction.IN,
            organization=organization,
            kind__in=[PackageKind.NEW, PackageKind.REPLACE],
            state=PackageState.ACCEPTED,
            document_key__in=keys,
        )
        .select_related("document", "arrival")
        .order_by("-created_at")
        .first()
    )


def _receive_change(
    *,
    actor: Actor | None,
    data: bytes,
    package: edxml.EdDocument,
    organization: Organization,
    peer: Peer | None,
    name: str,
    kind: str,
) -> Received:
    """Recall, update or replace the document the package names."""
    try:
        with transaction.atomic():
            Organization.objects.select_for_update().get(pk=organization.pk)
            earlier = Package.objects.filter(
                direction=Direction.IN,
                organization=organization,
                sha256=hashlib.sha256(data).hexdigest(),
                state=PackageState.ACCEPTED,
            ).first()
            if earlier is not None:
                return Received(earlier, False)
            named = _named_package(organization, package, peer)
            if named is None or named.document is None:
                named_keys = ", ".join(package.replaces or [package.document_id])
                kind_label = PackageKind(kind).label.lower()
                raise ValidationError(
                    f"Không tìm thấy văn bản mà gói tin {kind_label} nhắc đến ({named_keys})."
                )
            target = named.document
            made: Document | None = None
            arrival: Arrival | None = None
            entry = RegisterEntry.objects.filter(document=target, organization=organization).first()
            note = ""
            if kind == PackageKind.RECALL:
                note = _recall(actor=actor, named=named, entry=entry, reason=package.business_reason)
            elif kind == PackageKind.UPDATE:
                note = _update(actor=actor, target=target, named=named, entry=entry, package=package)
            else:  # replace: the new document, linked to the one it replaces
                made, arrival = _describe(actor=actor, organization=organization, parsed=package, peer=peer)
                DocumentLink.objects.get_or_create(
                    source=made,
                    kind=LinkKind.REPLACES,
                    symbol=target.symbol[:100],
                    defaults={"target": target, "referenced_date": target.issued_date},
                )
                note = f"Thay thế bởi văn bản {made.symbol} nhận qua liên thông."
                if entry is not None:
                    _note(entry, note)
                elif named.arrival is not None and named.arrival.state == ArrivalState.WAITING:
                    _discard_arrival(named.arrival, "Bên gửi đã thay thế văn bản này.")
            row = _package_row(
                direction=Direction.IN,
                kind=kind,
                state=PackageState.ACCEPTED,
                data=data,
                name=name or package.code_number,
                organization=organization,
                peer=peer,
                actor=actor,
                sender_id=package.sender.organ_id[:40],
                sender_name=package.sender.name[:255],
                document_key=package.document_id[:200],
                document=made or target,
                arrival=arrival,
                details={**_details(package), "acted_on": target.pk, "note": note},
            )
            row.save()
            audit_record(
                actor=actor,
                action="exchange.package_receive",
                target=row,
                organization_id=organization.pk,
                after={"kind": kind, "acted_on": target.pk, "document": (made or target).pk, "note": note},
                actor_username="" if person_of(actor) else "system",
            )
            if peer is not None:
                status_queue(
                    inbound=row,
                    code=StatusCode.AGREED if kind != PackageKind.REPLACE else StatusCode.ARRIVED,
                    actor=actor,
                    description=note,
                )
    except ValidationError as exc:
        if isinstance(exc, PackageRefused):
            raise
        _refuse(
            data=data,
            name=name,
            organization=organization,
            peer=peer,
            actor=actor,
            reason="; ".join(exc.messages),
            kind=kind,
        )
    except DatabaseError:
        logger.exception("change package for %s not taken", organization.pk)
        _refuse(
            data=data,
            name=name,
            organization=organization,
            peer=peer,
            actor=actor,
            reason="Gói tin có giá trị không hợp lệ, không lưu được.",
            kind=kind,
        )
    return Received(row, True)


def _note(entry: RegisterEntry, note: str) -> None:
    stamp = timezone.localtime().strftime("%d/%m/%Y %H:%M")
    entry.notes = f"{entry.notes}\n[{stamp}] {note}".strip()
    entry.save(update_fields=["notes"])


def _discard_arrival(arrival: Arrival, reason: str) -> None:
    arrival = Arrival.objects.select_for_update().get(pk=arrival.pk)
    if arrival.state == ArrivalState.WAITING:
        arrival.state = ArrivalState.DISCARDED
        arrival.save(update_fields=["state"])


def _recall(*, actor: Actor | None, named: Package, entry: RegisterEntry | None, reason: str) -> str:
    text = "Bên gửi thu hồi văn bản" + (f": {reason.strip()}" if reason.strip() else ".")
    if entry is None:
        if named.arrival is not None:
            _discard_arrival(named.arrival, text)
        return text + " Văn bản chưa vào sổ đã được đưa khỏi hàng chờ."
    _note(entry, text)
    return text + " Văn bản đã vào sổ: ghi chú thu hồi được thêm vào sổ."


_UPDATABLE = ("subject", "signer_name", "signer_position", "urgency", "page_count", "issued_place")


def _update(
    *,
    actor: Actor | None,
    target: Document,
    named: Package,
    entry: RegisterEntry | None,
    package: edxml.EdDocument,
) -> str:
    fields = mapping.described_fields(package)
    target = Document.objects.select_for_update().get(pk=target.pk)
    changed = {
        name: fields[name]
        for name in _UPDATABLE
        if fields.get(name) and getattr(target, name) != fields[name]
    }
    for name, value in changed.items():
        setattr(target, name, value)
    if changed:
        target.save(update_fields=[*changed, "updated_at"])
        document_metadata_changed(target)
    known = set(target.files.values_list("sha256", flat=True))
    added = 0
    for index, attachment in enumerate(package.attachments):
        if hashlib.sha256(attachment.data).hexdigest() in known:
            continue
        file_attach(
            actor=actor,  # type: ignore[arg-type]
            document=target,
            upload=(attachment.name or f"tep-cap-nhat-{index + 1}", attachment.data),
            kind=FileKind.ATTACHMENT,
            any_type=True,
        )
        added += 1
    if named.arrival is not None and named.arrival.state == ArrivalState.WAITING:
        arrival = Arrival.objects.select_for_update().get(pk=named.arrival.pk)
        arrival.proposal = {**arrival.proposal, **mapping.proposal_of({**mapping.described_fields(package)})}
        arrival.save(update_fields=["proposal"])
    note = (
        "Bên gửi cập nhật văn bản"
        + (f" ({', '.join(changed)})" if changed else "")
        + (f", thêm {added} tệp" if added else "")
    )
    note += f": {package.business_reason.strip()}" if package.business_reason.strip() else "."
    if entry is not None:
        _note(entry, note)
    return note


def _receive_status(
    *, actor: Actor | None, data: bytes, status: edxml.EdStatus, peer: Peer | None, name: str
) -> Received:
    """A status about one of our documents, from one of its recipients."""
    earlier = Package.objects.filter(
        direction=Direction.IN,
        kind=PackageKind.STATUS,
        sha256=hashlib.sha256(data).hexdigest(),
        state=PackageState.ACCEPTED,
    ).first()
    if earlier is not None:
        return Received(earlier, False)
    sent = (
        Package.objects.filter(
            direction=Direction.OUT,
            kind__in=[PackageKind.NEW, PackageKind.REPLACE],
            document_key=status.response_for_document_id[:200],
        )
        .exclude(document_key="")
        .select_related("document", "organization")
        .first()
    )
    document = sent.document if sent is not None else None
    if document is None:
        document = _document_by_code(status)
    if document is None:
        _refuse(
            data=data,
            name=name,
            organization=None,
            peer=peer,
            actor=actor,
            kind=PackageKind.STATUS,
            reason=(
                "Không tìm thấy văn bản đi mà thông báo trạng thái nhắc đến "
                f"({status.response_for_document_id})."
            ),
        )
    assert document is not None
    if actor is not None and not can(actor, Capability.REGISTER, document.organization):
        raise PermissionDenied(
            "Chỉ văn thư của cơ quan gửi văn bản mới nhập được thông báo trạng thái của nó."
        )
    if peer is not None and (sent is None or not Delivery.objects.filter(package=sent, peer=peer).exists()):
        _refuse(
            data=data,
            name=name,
            organization=document.organization,
            peer=peer,
            actor=actor,
            kind=PackageKind.STATUS,
            reason="Văn bản mà thông báo trạng thái nhắc đến chưa được gửi đến hệ thống này.",
        )
    if status.status_code not in StatusCode.values:
        _refuse(
            data=data,
            name=name,
            organization=document.organization,
            peer=peer,
            actor=actor,
            kind=PackageKind.STATUS,
            reason=f"Mã trạng thái {status.status_code} không hợp lệ.",
        )
    recipient = (
        Organization.objects.filter(electronic_id=status.sender.organ_id).order_by("-active", "pk").first()
        if status.sender.organ_id
        else None
    )
    if peer is not None and (recipient is None or not peer.organizations.filter(pk=recipient.pk).exists()):
        _refuse(
            data=data,
            name=name,
            organization=document.organization,
            peer=peer,
            actor=actor,
            kind=PackageKind.STATUS,
            reason="Hệ thống gửi không quản lý cơ quan báo trạng thái.",
        )
    with transaction.atomic():
        # One status message recorded once, however many deliveries of it arrive together.
        Document.objects.select_for_update().get(pk=document.pk)
        again = Package.objects.filter(
            direction=Direction.IN,
            kind=PackageKind.STATUS,
            sha256=hashlib.sha256(data).hexdigest(),
            state=PackageState.ACCEPTED,
        ).first()
        if again is not None:
            return Received(again, False)
        row = _package_row(
            direction=Direction.IN,
            kind=PackageKind.STATUS,
            state=PackageState.ACCEPTED,
            data=data,
            name=name or f"trang-thai-{status.status_code}",
            organization=document.organization,
            peer=peer,
            actor=actor,
            sender_id=status.sender.organ_id[:40],
            sender_name=status.sender.name[:255],
            document_key=status.response_for_document_id[:200],
            status_code=status.status_code,
            document=document,
            details={"description": status.description[:1000], "staff": status.staff},
        )
        row.save()
        RecipientStatus.objects.create(
            document=document,
            recipient=recipient,
            recipient_id_text=status.sender.organ_id[:40],
            code=status.status_code,
            description=status.description[:2000],
            staff=", ".join(v for v in status.staff.values() if v)[:200],
            reported_at=_aware(status.timestamp),
            package=row,
        )
        audit_record(
            actor=actor,
            action="exchange.status_receive",
            target=row,
            organization_id=document.organization_id,
            after={"document": document.pk, "code": status.status_code, "from": status.sender.organ_id},
            actor_username="" if person_of(actor) else "system",
        )
    return Received(row, True)


def _aware(value: dt.datetime | None) -> dt.datetime:
    if value is None:
        return timezone.now()
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _document_by_code(status: edxml.EdStatus) -> Document | None:
    if not status.response_for_code:
        return None
    query = Document.objects.filter(
        state=DocumentState.ISSUED,
        symbol=status.response_for_code[:100],
        organization__electronic_id=status.response_for_organ_id[:40],
    )
    if status.response_for_date:
        query = query.filter(issued_date=status.response_for_date)
    return query.first() if query.count() == 1 else None


def refuse_altered(*, peer: Peer, data: bytes, name: str = "") -> Package:
    """A delivery whose signature does not match its bytes: kept for inspection, refused
    (the kept package is answered)."""
    try:
        _refuse_altered(peer=peer, data=data, name=name)
    except PackageRefused as exc:
        return exc.package


def _refuse_altered(*, peer: Peer, data: bytes, name: str) -> NoReturn:
    _refuse(
        data=data,
        keep=KEEP_REFUSED_BYTES,
        name=name,
        organization=None,
        peer=peer,
        actor=None,
        reason=(
            "Chữ ký xác thực không khớp nội dung gói tin: gói tin đã bị thay đổi trên đường truyền "
            "(hoặc khóa liên thông hai bên không khớp)."
        ),
    )


def organization_for_key(peer: Peer, key: str) -> Organization | None:
    """Our organisation a peer names by its electronic identifier (or ``slug:<slug>``)."""
    key = key.strip()[:60]
    if not key:
        return None
    if key.startswith("slug:"):
        return Organization.objects.filter(slug=key[5:], hosted=True).first()
    return Organization.objects.filter(electronic_id=key, hosted=True).order_by("-active", "pk").first()


# --- Registering a received package --------------------------------------------------------------


def package_register(
    *, actor: Actor, package: Package, overrides: dict[str, Any] | None = None
) -> RegisterEntry:
    """Register a received package's document in one step, with the fields it carried (or the
    clerk's corrections in ``overrides``)."""
    arrival = package.arrival
    if package.direction != Direction.IN or arrival is None or arrival.document_id is None:
        raise ValidationError("Gói tin này không có văn bản chờ vào sổ.")
    if arrival.state != ArrivalState.WAITING:
        raise ValidationError("Văn bản của gói tin đã được vào sổ hoặc đã loại bỏ.")
    document = arrival.document
    assert document is not None
    values: dict[str, Any] = {
        "symbol": document.symbol,
        "subject": document.subject,
        "issuer": document.issuer,
        "issuer_name": "" if document.issuer_id else document.issuer_name,
        "issued_date": document.issued_date,
        "doc_type": document.doc_type,
        "urgency": document.urgency,
        "signer_name": document.signer_name,
        "signer_position": document.signer_position,
        "page_count": document.page_count,
        "received_at": arrival.received_at,
    }
    values.update(overrides or {})
    return incoming_register(
        actor=actor, organization=arrival.organization, arrival=arrival, channel=CHANNEL, **values
    )


# --- Status messages we send back -----------------------------------------------------------------


def status_queue(
    *, inbound: Package, code: str, actor: Actor | None = None, description: str = ""
) -> Package | None:
    """Tell the sender of ``inbound`` where its document stands here (through the peer it came
    from; a package imported from a file has no way back and gets none)."""
    if inbound.peer is None or not inbound.peer.active or inbound.document is None:
        return None
    organization = inbound.organization
    assert organization is not None
    details = inbound.details or {}
    person = person_of(actor)
    status = edxml.EdStatus(
        sender=mapping.organ_of(organization),
        response_for_organ_id=inbound.sender_id,
        response_for_code=inbound.document.symbol or str(details.get("code", "")),
        response_for_date=dt.date.fromisoformat(details["date"]) if details.get("date") else None,
        response_for_document_id=inbound.document_key,
        status_code=str(code),
        description=(description or STATUS_TEXT.get(StatusCode(code), str(StatusCode(code).label)))[:1000],
        timestamp=timezone.localtime().replace(tzinfo=None, microsecond=0),
        staff={"Staff": person.full_name} if person is not None else {},
    )
    try:
        data = edxml.build_status(status)
    except edxml.PackageError:
        logger.exception("status %s for package %s not built", code, inbound.pk)
        return None
    row = _package_row(
        direction=Direction.OUT,
        kind=PackageKind.STATUS,
        state=PackageState.BUILT,
        data=data,
        name=f"trang-thai-{code}",
        organization=organization,
        peer=inbound.peer,
        actor=actor,
        sender_id=status.sender.organ_id[:40],
        sender_name=organization.name[:255],
        document_key=inbound.document_key,
        status_code=str(code),
        document=inbound.document,
        details={"answers": inbound.pk, "description": status.description},
    )
    row.save()
    delivery = Delivery.objects.create(package=row, peer=inbound.peer, recipient=inbound.document.issuer)
    enqueue("vanphong.exchange.jobs.deliver", delivery.pk, robust=True)
    return row


def inbound_for_arrival(arrival: Arrival) -> Package | None:
    return (
        Package.objects.filter(direction=Direction.IN, arrival=arrival, state=PackageState.ACCEPTED)
        .select_related("peer", "organization", "document")
        .first()
    )


def inbound_for_document(document_id: int) -> Package | None:
    return (
        Package.objects.filter(
            direction=Direction.IN,
            document_id=document_id,
            state=PackageState.ACCEPTED,
            kind__in=[PackageKind.NEW, PackageKind.REPLACE],
        )
        .select_related("peer", "organization", "document")
        .first()
    )


def status_already_sent(inbound: Package, code: str) -> bool:
    return Package.objects.filter(
        direction=Direction.OUT, kind=PackageKind.STATUS, status_code=code, details__answers=inbound.pk
    ).exists()


# --- Sending our documents ------------------------------------------------------------------------


def sendable_files(document: Document) -> list[DocumentFile]:
    """The files a package carries: the originals and attachments, the signed version of a file
    instead of the file it was signed from, never drafts."""
    files = list(document.files.filter(kind__in=[FileKind.ORIGINAL, FileKind.ATTACHMENT]).order_by("pk"))
    replaced = set(SignedFile.objects.filter(result__in=files).values_list("source_id", flat=True))
    return [f for f in files if f.pk not in replaced]


def _require_sendable(document: Document) -> None:
    if document.state != DocumentState.ISSUED:
        raise ValidationError("Chỉ gửi liên thông được văn bản đã phát hành.")
    if document.classification > Classification.NONE:
        raise ValidationError(
            "Văn bản mật không được gửi qua liên thông văn bản điện tử; chuyển theo quy định về bảo vệ bí "
            "mật nhà nước."
        )


def _read(file: DocumentFile) -> bytes:
    with file.file.open("rb") as handle:
        return handle.read()


def _current_package(
    document: Document, files: list[DocumentFile], kind: str = PackageKind.NEW
) -> Package | None:
    """The package already built of ``document`` with exactly these files."""
    wanted = [f.pk for f in files]
    for package in Package.objects.filter(
        direction=Direction.OUT, kind=kind, document=document, state=PackageState.BUILT
    ).order_by("-created_at", "-id"):
        if (package.details or {}).get("files") == wanted:
            return package
    return None


def outbound_package(
    *,
    document: Document,
    actor: Actor | None = None,
    kind: str = PackageKind.NEW,
    reason: str = "",
) -> Package:
    """The package of an issued document with its current files (built once for those files:
    every delivery and every export sends the same bytes, so that a receiver recognises a
    repeat; a file signed later — the seal after issue — makes a new one)."""
    _require_sendable(document)
    files = sendable_files(document)
    if not files:
        raise ValidationError("Văn bản chưa có tệp để gửi liên thông.")
    existing = _current_package(document, files, kind)
    if existing is not None:
        return existing
    recipients = [r.organization for r in document.recipients.select_related("organization")]
    business = edxml.BusinessKind.UPDATE if kind == PackageKind.UPDATE else edxml.BusinessKind.NEW
    package = mapping.package_of(
        document,
        recipients=recipients,
        files=[mapping.FileBytes(f.original_name, f.content_type, _read(f)) for f in files],
        kind=business,
        reason=reason,
        replaces=[mapping.document_key(document.organization, document.issued_date, document.symbol)]
        if kind == PackageKind.UPDATE
        else None,
    )
    try:
        data = edxml.build_document(package)
    except edxml.PackageError as exc:  # an identifier too long, a field the format cannot carry
        raise ValidationError(f"Không lập được gói tin: {exc}") from None
    with transaction.atomic():
        Document.objects.select_for_update().get(pk=document.pk)
        existing = _current_package(document, files, kind)
        if existing is not None:
            return existing
        row = _package_row(
            direction=Direction.OUT,
            kind=kind,
            state=PackageState.BUILT,
            data=data,
            name=document.symbol.replace("/", "-") or f"van-ban-{document.pk}",
            organization=document.organization,
            actor=actor,
            sender_id=package.sender.organ_id[:40],
            sender_name=document.organization.name[:255],
            document_key=package.document_id[:200],
            document=document,
            details={
                "recipients": [r.organ_id for r in package.recipients],
                "files": [f.pk for f in files],
                "reason": reason,
            },
        )
        row.save()
        audit_record(
            actor=actor,
            action="exchange.package_build",
            target=row,
            organization_id=document.organization_id,
            after={
                "document": document.pk,
                "kind": kind,
                "sha256": row.sha256,
                "files": [f.sha256 for f in files],
            },
            actor_username="" if person_of(actor) else "system",
        )
    return row


def document_files_changed(*, actor: Actor | None, document: Document) -> list[Delivery]:
    """A file of an issued document was signed after issue (the seal): deliveries not sent yet
    take the package with the signed file; recipients that already have the document get an
    update package carrying it (their system adds the new file to the document)."""
    if document.state != DocumentState.ISSUED or document.classification > Classification.NONE:
        return []
    sent = list(
        Delivery.objects.filter(
            package__document=document, package__direction=Direction.OUT, package__kind=PackageKind.NEW
        ).select_related("package", "peer", "recipient")
    )
    if not sent:
        return []
    try:
        package = outbound_package(document=document, actor=actor)
    except ValidationError:
        return []
    made: list[Delivery] = []
    with transaction.atomic():
        for delivery in sent:
            if delivery.package_id == package.pk:
                continue
            waiting = delivery.state == DeliveryState.PENDING and delivery.claimed_at is None
            taken = Delivery.objects.filter(package=package, peer=delivery.peer, recipient=delivery.recipient)
            if waiting and not taken.exists():
                Delivery.objects.filter(pk=delivery.pk).update(package=package)
                enqueue("vanphong.exchange.jobs.deliver", delivery.pk, robust=True)
        delivered = [d for d in sent if d.state == DeliveryState.DELIVERED and d.package_id != package.pk]
        if delivered:
            update = outbound_package(
                document=document,
                actor=actor,
                kind=PackageKind.UPDATE,
                reason="Bổ sung chữ ký số của cơ quan.",
            )
            for delivery in delivered:
                row, created = Delivery.objects.get_or_create(
                    package=update, peer=delivery.peer, recipient=delivery.recipient
                )
                if created:
                    made.append(row)
                    enqueue("vanphong.exchange.jobs.deliver", row.pk, robust=True)
    return made


def peer_of(organization: Organization) -> Peer | None:
    return Peer.objects.filter(active=True, organizations=organization).order_by("pk").first()


def document_send(
    *, actor: Actor | None, document: Document, recipients: list[Organization] | None = None
) -> list[Delivery]:
    """Queue the issued ``document`` for its external recipients that a connected peer hosts
    (or the ``recipients`` given). Queuing again adds nothing for a recipient already queued."""
    if actor is not None and not can(actor, Capability.REGISTER, document.organization):
        raise PermissionDenied("Chỉ văn thư của cơ quan phát hành mới gửi liên thông được văn bản.")
    targets = recipients
    if targets is None:
        targets = [
            r.organization
            for r in document.recipients.select_related("organization")
            if not r.organization.hosted
        ]
    connected = [(org, peer) for org in targets if (peer := peer_of(org)) is not None]
    if not connected:
        return []
    package = outbound_package(document=document, actor=actor)
    made = []
    with transaction.atomic():
        for organization, peer in connected:
            delivery, created = Delivery.objects.get_or_create(
                package=package, peer=peer, recipient=organization
            )
            if created:
                made.append(delivery)
                enqueue("vanphong.exchange.jobs.deliver", delivery.pk, robust=True)
        if made:
            audit_record(
                actor=actor,
                action="exchange.send",
                target=document,
                after={"package": package.pk, "recipients": [d.recipient_id for d in made]},
                actor_username="" if person_of(actor) else "system",
            )
    return made


def document_export(*, actor: Actor, document: Document) -> Package:
    """The package of an issued document for a network that is not connected (as a file)."""
    if not can(actor, Capability.REGISTER, document.organization):
        raise PermissionDenied("Chỉ văn thư của cơ quan phát hành mới xuất được gói tin của văn bản.")
    package = outbound_package(document=document, actor=actor)
    audit_record(
        actor=actor,
        action="exchange.export",
        target=package,
        organization_id=document.organization_id,
        after={"document": document.pk, "sha256": package.sha256},
    )
    return package


# --- The outbox -------------------------------------------------------------------------------------


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4 … minutes, at most six hours, between attempts."""
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def _organization_field(delivery: Delivery) -> str:
    package = delivery.package
    if package.kind == PackageKind.STATUS:
        return package.details.get("to", "") or _status_target(package)
    if package.kind == PackageKind.FIGURES:
        return ""
    return mapping.organ_of(delivery.recipient).organ_id if delivery.recipient else ""


def _status_target(package: Package) -> str:
    answers = (
        Package.objects.filter(pk=package.details.get("answers")).values_list("sender_id", flat=True).first()
    )
    return answers or ""


def delivery_claim(delivery_id: int) -> Delivery | None:
    """Take a due delivery for sending (one sender at a time: a claim older than the timeout is
    taken again, after a worker died in the middle)."""
    now = timezone.now()
    stale = now - dt.timedelta(seconds=settings.VANPHONG_EXCHANGE_TIMEOUT * 3)
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .filter(pk=delivery_id, state=DeliveryState.PENDING, next_attempt_at__lte=now)
            .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale))
            .first()
        )
        if delivery is None:
            return None
        delivery.claimed_at = now
        delivery.save(update_fields=["claimed_at"])
    return delivery


def delivery_send(delivery_id: int) -> Delivery | None:
    """Send one due delivery now: delivered, refused by the peer (failed, with its reason), or
    put back with a later attempt. None when it is not due or another sender has it."""
    delivery = delivery_claim(delivery_id)
    if delivery is None:
        return None
    package = delivery.package
    outcome: dict[str, Any] = {}
    error = ""
    refused = False
    data = b""
    try:
        if not delivery.peer.active:
            raise transport.DeliveryRefused(0, "Kết nối liên thông với hệ thống này đang ngừng.")
        with package.file.open("rb") as handle:
            data = handle.read()
    except OSError as exc:
        refused, error = True, f"Không đọc được tệp gói tin: {exc}"
    except transport.DeliveryRefused as exc:
        refused, error = True, exc.reason
    if error:
        return _delivery_outcome(delivery, outcome={}, error=error, refused=refused)
    kind = "figures" if package.kind == PackageKind.FIGURES else "edxml"
    request = transport.signed_request(
        delivery.peer,
        data,
        kind=kind,
        organization=_organization_field(delivery),
        name=package.file.name.rsplit("/", 1)[-1],
    )
    try:
        outcome = transport.post(request)
    except transport.DeliveryRefused as exc:
        refused, error = True, exc.reason
    except transport.TransportError as exc:
        error = str(exc)
    return _delivery_outcome(delivery, outcome=outcome, error=error, refused=refused)


def _delivery_outcome(delivery: Delivery, *, outcome: dict[str, Any], error: str, refused: bool) -> Delivery:
    """Record an attempt: delivered, failed for good, or put back after the back-off."""
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
        delivery.attempts += 1
        delivery.claimed_at = None
        if not error:
            delivery.state = DeliveryState.DELIVERED
            delivery.delivered_at = timezone.now()
            delivery.remote_id = str(outcome.get("id", ""))[:60]
            delivery.last_error = ""
        elif refused or delivery.attempts >= settings.VANPHONG_EXCHANGE_MAX_ATTEMPTS:
            delivery.state = DeliveryState.FAILED
            delivery.last_error = error[:2000]
        else:
            delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts)
            delivery.last_error = error[:2000]
        delivery.save()
        audit_record(
            actor=None,
            action="exchange.deliver",
            target=delivery.package,
            organization_id=delivery.package.organization_id,
            after={
                "delivery": delivery.pk,
                "peer": delivery.peer.code,
                "state": delivery.state,
                "attempts": delivery.attempts,
                "error": error[:300],
            },
            actor_username="system",
        )
    return delivery


def deliveries_due(*, limit: int = 200) -> list[int]:
    return list(
        Delivery.objects.filter(state=DeliveryState.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def delivery_retry(*, actor: Actor, delivery: Delivery) -> Delivery:
    """Send a failed delivery again (after the peer's problem was fixed)."""
    organization = delivery.package.organization
    if organization is None or not can(actor, Capability.REGISTER, organization):
        raise PermissionDenied("Chỉ văn thư của cơ quan gửi mới gửi lại được.")
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if delivery.state != DeliveryState.FAILED:
            raise ValidationError("Chỉ gửi lại được lượt gửi không thành công.")
        delivery.state = DeliveryState.PENDING
        delivery.attempts = 0
        delivery.next_attempt_at = timezone.now()
        delivery.save(update_fields=["state", "attempts", "next_attempt_at"])
        audit_record(
            actor=actor, action="exchange.retry", target=delivery.package, after={"delivery": delivery.pk}
        )
        enqueue("vanphong.exchange.jobs.deliver", delivery.pk, robust=True)
    return delivery


# --- Figures for the level above ----------------------------------------------------------------------


def figures_queue(*, peer: Peer, as_of: dt.date | None = None) -> Delivery | None:
    """Send this instance's summary figures up to ``peer`` (the scheduled job, or by hand)."""
    from vanphong.exchange.figures import figures_payload, organizations_for_peer

    if not peer.active or not peer.sends_figures:
        return None
    day = as_of or timezone.localdate()
    payload = figures_payload(organizations=organizations_for_peer(peer), as_of=day)
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    with transaction.atomic():
        row = _package_row(
            direction=Direction.OUT,
            kind=PackageKind.FIGURES,
            state=PackageState.BUILT,
            data=data,
            name=f"so-lieu-{day:%Y%m%d}",
            organization=None,
            peer=peer,
            details={"as_of": day.isoformat(), "organizations": len(payload.get("organizations", []))},
        )
        row.save()
        delivery = Delivery.objects.create(package=row, peer=peer, recipient=None)
        audit_record(
            actor=None,
            action="exchange.figures_send",
            target=row,
            after={"peer": peer.code, "as_of": day.isoformat()},
            actor_username="system",
        )
        enqueue("vanphong.exchange.jobs.deliver", delivery.pk, robust=True)
    return delivery


def figures_inbound(*, peer: Peer, data: bytes) -> Received:
    from vanphong.exchange.figures import figures_receive

    digest = hashlib.sha256(data).hexdigest()
    earlier = Package.objects.filter(
        direction=Direction.IN,
        kind=PackageKind.FIGURES,
        peer=peer,
        sha256=digest,
        state=PackageState.ACCEPTED,
    ).first()
    if earlier is not None:
        return Received(earlier, False)
    try:
        payload = json.loads(data)
    except ValueError:
        payload = None
    try:
        with transaction.atomic():
            rows = figures_receive(peer=peer, payload=payload)
            package = _package_row(
                direction=Direction.IN,
                kind=PackageKind.FIGURES,
                state=PackageState.ACCEPTED,
                data=data,
                name="so-lieu",
                organization=None,
                peer=peer,
                details={"rows": len(rows)},
            )
            package.save()
    except ValidationError as exc:
        _refuse(
            data=data,
            name="so-lieu",
            organization=None,
            peer=peer,
            actor=None,
            kind=PackageKind.FIGURES,
            reason="; ".join(exc.messages),
        )
    return Received(package, True)


# --- Peers ----------------------------------------------------------------------------------------


def may_manage_peers(user: Actor) -> bool:
    return bool(getattr(user, "is_superuser", False))


def peer_save(*, actor: Actor, peer: Peer, organizations: list[Organization]) -> Peer:
    if not may_manage_peers(actor):
        raise PermissionDenied("Chỉ quản trị hệ thống mới khai báo được kết nối liên thông.")
    if organizations and any(o.hosted for o in organizations):
        raise ValidationError({"organizations": ["Cơ quan dùng hệ thống này không thuộc hệ thống bên kia."]})
    too_long = [o.name for o in organizations if len(mapping.organ_of(o).organ_id) > 35]
    if too_long:
        raise ValidationError(
            {
                "organizations": [
                    "Mã định danh điện tử dài quá 35 ký tự (QCVN 102:2016 sửa đổi 1:2022): "
                    + ", ".join(too_long)
                ]
            }
        )
    creating = peer.pk is None
    peer.full_clean()
    with transaction.atomic():
        peer.save()
        peer.organizations.set(organizations)
        audit_record(
            actor=actor,
            action="exchange.peer_create" if creating else "exchange.peer_update",
            target=peer,
            after={
                "code": peer.code,
                "base_url": peer.base_url,
                "active": peer.active,
                "sends_figures": peer.sends_figures,
                "organizations": [o.pk for o in organizations],
            },
        )
    return peer
