"""Arrivals: what was received and is not registered yet (an upload, a scan, a file from
the e-mail drop folder). Its text is read in the background and the registration form
prefilled from it (``proposal``); the clerk then registers it, which turns its stored
bytes — untouched — into the registered document's file.

The queue's reads live here too (``arrivals_for``, ``get_arrival_for_user``): arrivals are
only ever seen by the register keepers of the receiving organisation.
"""

from __future__ import annotations

import email
import logging
import shutil
from dataclasses import dataclass, field
from email import policy
from functools import partial
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.audit.services import audit_record
from vanphong.core.files import IMAGE_TYPES, Upload, spool_upload, store_spooled
from vanphong.core.jobs import enqueue
from vanphong.documents import capture, extraction
from vanphong.documents.models import (
    Arrival,
    ArrivalState,
    DocumentFile,
    ExtractionState,
    FileKind,
    RegisterEntry,
)
from vanphong.documents.services.files import extraction_completed
from vanphong.documents.signals import arrival_settled
from vanphong.orgs.access import Capability, can, organizations_with, scope_for
from vanphong.orgs.actors import Actor, person_of
from vanphong.orgs.models import CLASSIFICATION_BY_CODE, Organization

logger = logging.getLogger(__name__)

CHANNELS = {
    "upload": "Tải lên",
    "scan": "Bản quét",
    "email": "Thư điện tử",
    "folder": "Thư mục nhận",
}
# A file in the drop folder younger than this may still be being written: left for next time.
DROP_SETTLE_SECONDS = 10


# --- Reads --------------------------------------------------------------------------------------


def proposed_classification(arrival: Arrival) -> int:
    code = (arrival.proposal or {}).get("classification") or "none"
    return int(CLASSIFICATION_BY_CODE.get(code, 0))


def arrivals_for(user: Actor, *, state: str = ArrivalState.WAITING) -> QuerySet[Arrival]:
    """Arrivals of the organisations where ``user`` keeps the books (in SQL)."""
    return Arrival.objects.filter(
        organization__in=organizations_with(user, Capability.REGISTER), state=state
    ).select_related("organization", "created_by")


def get_arrival_for_user(user: Actor, pk: Any) -> Arrival:
    """One arrival of the user's queue; 404 outside it, and for a scan stamped with a
    classification above the user's clearance."""
    try:
        arrival = (
            Arrival.objects.filter(organization__in=organizations_with(user, Capability.REGISTER))
            .select_related("organization")
            .get(pk=int(pk))
        )
    except (Arrival.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if proposed_classification(arrival) > scope_for(user).clearance:
        raise Http404
    return arrival


# --- Writes -------------------------------------------------------------------------------------


def arrival_receive(
    *, actor: Actor | None, organization: Organization, upload: Upload, channel: str, sender: str = ""
) -> Arrival:
    """Keep a received file as an arrival of ``organization`` (exact bytes, SHA-256),
    and queue the reading of its text and the proposal of its fields after commit."""
    if channel not in CHANNELS:
        raise ValidationError(_("Nguồn nhận không hợp lệ."), code="invalid_channel")
    if actor is not None and not can(actor, Capability.REGISTER, organization):
        raise ValidationError(_("Bạn không giữ sổ văn bản của cơ quan này."), code="forbidden")
    spooled = spool_upload(upload)
    try:
        arrival = Arrival(
            organization=organization,
            channel=channel,
            sender=sender[:255],
            original_name=spooled.original_name,
            content_type=spooled.content_type,
            size=spooled.size,
            sha256=spooled.sha256,
            created_by=person_of(actor),
        )
        stored = store_spooled(spooled, arrival.file)
    finally:
        spooled.discard()
    try:
        with transaction.atomic():
            arrival.save(force_insert=True)
            audit_record(
                actor=actor,
                action="document.arrival_receive",
                target=arrival,
                after={
                    "name": arrival.original_name,
                    "size": arrival.size,
                    "sha256": arrival.sha256,
                    "channel": channel,
                    "sender": arrival.sender,
                },
                actor_username="" if person_of(actor) else "system",
            )
            enqueue("vanphong.documents.jobs.extract_arrival", arrival.pk)
    except BaseException:
        arrival.file.storage.delete(stored)
        raise
    return arrival


def arrival_extraction_store(*, arrival_id: int, result: extraction.Extracted, claim: str) -> Arrival | None:
    """Record an arrival's text and the fields proposed from it (from the extraction job
    holding ``claim``). None, with nothing changed, unless the arrival is still pending and
    claimed by that job (documents/jobs.py)."""
    last = result.pages[-1] if len(result.pages) > 1 else None
    proposal = capture.capture_issuer_match(
        capture.capture_propose(result.first_page, ocr=result.ocr, last_page=last)
    )
    proposal.pop("text", None)  # the text is kept once, in ``text``
    with transaction.atomic():
        arrival = (
            Arrival.objects.select_for_update()
            .filter(pk=arrival_id, extraction=ExtractionState.PENDING, extraction_claim=claim)
            .first()
        )
        if arrival is None:
            return None
        arrival.text = result.text
        arrival.extraction = result.state
        arrival.extraction_note = result.note[:255]
        arrival.ocr = result.ocr
        arrival.proposal = proposal if result.state == ExtractionState.DONE else {}
        arrival.save(update_fields=["text", "extraction", "extraction_note", "ocr", "proposal"])
    return arrival


def arrival_discard(*, actor: Actor, arrival: Arrival, reason: str = "") -> Arrival:
    """Take an arrival out of the queue (a duplicate, spam, not ours). Its bytes are kept."""
    with transaction.atomic():
        arrival = Arrival.objects.select_for_update().get(pk=arrival.pk)
        if arrival.state != ArrivalState.WAITING:
            raise ValidationError(_("Văn bản này không còn ở hàng chờ vào sổ."), code="not_waiting")
        arrival.state = ArrivalState.DISCARDED
        arrival.save(update_fields=["state"])
        arrival_settled.send(sender=Arrival, arrival=arrival, entry=None, reason=reason)
        audit_record(
            actor=actor,
            action="document.arrival_discard",
            target=arrival,
            after={"state": arrival.state, "reason": reason[:500]},
        )
    return arrival


def arrival_mark_registered(*, actor: Actor, arrival: Arrival, entry: RegisterEntry) -> DocumentFile:
    """The arrival became ``entry``: its stored bytes become a file of the entry's document
    (same storage name, never copied or rewritten), with the text already read."""
    with transaction.atomic():
        arrival = Arrival.objects.select_for_update().get(pk=arrival.pk)
        if arrival.state != ArrivalState.WAITING:
            raise ValidationError(_("Văn bản này đã được vào sổ hoặc đã loại bỏ."), code="not_waiting")
        if entry.organization_id != arrival.organization_id:
            raise ValidationError(_("Văn bản được vào sổ của một cơ quan khác."), code="wrong_organization")
        if arrival.document_id is not None:
            # A package's document: its files were attached when it arrived.
            if entry.document_id != arrival.document_id:
                raise ValidationError(
                    _("Văn bản được vào sổ không phải văn bản của gói tin."), code="wrong_document"
                )
            record = arrival.document.files.order_by("pk").first()  # type: ignore[union-attr]
            if record is None:  # pragma: no cover - a package always brings a file
                raise ValidationError(_("Gói tin không có tệp."), code="no_file")
            arrival.state = ArrivalState.REGISTERED
            arrival.entry = entry
            arrival.save(update_fields=["state", "entry"])
            audit_record(
                actor=actor,
                action="document.arrival_register",
                target=arrival,
                after={
                    "entry": entry.pk,
                    "document": entry.document_id,
                    "file": record.pk,
                    "sha256": record.sha256,
                },
            )
            arrival_settled.send(sender=Arrival, arrival=arrival, entry=entry, reason="")
            if record.text:
                transaction.on_commit(partial(extraction_completed, entry.document))
            return record
        record = DocumentFile(
            document=entry.document,
            kind=FileKind.SCAN if arrival.ocr or arrival.content_type in IMAGE_TYPES else FileKind.ORIGINAL,
            original_name=arrival.original_name,
            content_type=arrival.content_type,
            size=arrival.size,
            sha256=arrival.sha256,
            extraction=arrival.extraction,
            extraction_note=arrival.extraction_note,
            ocr=arrival.ocr,
            text=arrival.text,
            uploaded_by=arrival.created_by,
            uploaded_at=arrival.received_at,
        )
        record.file.name = arrival.file.name  # the same bytes, by name
        record.save(force_insert=True)
        arrival.state = ArrivalState.REGISTERED
        arrival.entry = entry
        arrival.save(update_fields=["state", "entry"])
        audit_record(
            actor=actor,
            action="document.arrival_register",
            target=arrival,
            after={
                "entry": entry.pk,
                "document": entry.document_id,
                "file": record.pk,
                "sha256": record.sha256,
            },
        )
        arrival_settled.send(sender=Arrival, arrival=arrival, entry=entry, reason="")
        document = entry.document
        if arrival.extraction == ExtractionState.PENDING:
            # Not read yet (the job is still queued): read it again as the document's file.
            enqueue("vanphong.documents.jobs.extract_text", record.pk)
        elif record.text:
            transaction.on_commit(partial(extraction_completed, document))
        if arrival.extraction != ExtractionState.PENDING:  # read already: its signatures now
            enqueue("vanphong.documents.jobs.verify_signatures", record.pk)
    return record


# --- E-mail drop folder -------------------------------------------------------------------------


@dataclass
class DropReport:
    arrivals: list[Arrival] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def organization_by_slug_or_id(value: str | int) -> Organization:
    text = str(value).strip()
    queryset = Organization.objects.filter(hosted=True, active=True)
    found = queryset.filter(pk=int(text)).first() if text.isdigit() else queryset.filter(slug=text).first()
    if found is None:
        raise ValidationError(
            _("Không tìm thấy cơ quan “%(value)s”.") % {"value": text}, code="no_organization"
        )
    return found


def _unique_target(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    counter = 1
    while target.exists():
        target = folder / f"{Path(name).stem}.{counter}{Path(name).suffix}"
        counter += 1
    return target


def _move(path: Path, folder: Path) -> Path:
    target = _unique_target(folder, path.name)
    shutil.move(str(path), str(target))
    return target


def _fail(path: Path, folder: Path, message: str) -> None:
    target = _move(path, folder / "failed")
    target.with_name(target.name + ".error.txt").write_text(message + "\n", encoding="utf-8")


def _mail_attachments(path: Path) -> tuple[str, list[tuple[str, bytes]]]:
    with path.open("rb") as fh:
        message = email.message_from_binary_file(fh, policy=policy.default)
    sender = str(message.get("From", "") or "")
    attachments: list[tuple[str, bytes]] = []
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True)  # bytes, or None for a multipart part
        if not isinstance(payload, bytes) or not payload:
            continue
        attachments.append((part.get_filename() or "tep-dinh-kem", payload))
    return sender, attachments


def drop_folder_receive(*, folder: Path, organization: Organization) -> DropReport:
    """Turn every file in ``folder`` into arrivals of ``organization``: each PDF, DOCX or
    image attached to an ``.eml`` message (sender from its From header), and plain PDF,
    DOCX or image files. A file done with moves to ``processed/``; one that cannot be used
    moves to ``failed/`` with a ``.error.txt`` beside it. Nothing is deleted."""
    report = DropReport()
    if not folder.is_dir():
        raise ValidationError(_("Không có thư mục nhận %(folder)s.") % {"folder": folder}, code="no_folder")
    settle = timezone.now().timestamp() - DROP_SETTLE_SECONDS
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.name.startswith(".") or path.stat().st_mtime > settle:
            if path.is_file() and not path.name.startswith("."):
                report.skipped.append(path.name)
            continue
        try:
            if path.suffix.lower() == ".eml":
                sender, attachments = _mail_attachments(path)
                received, refused = [], []
                for name, payload in attachments:
                    try:
                        received.append(
                            arrival_receive(
                                actor=None,
                                organization=organization,
                                upload=(name, payload),
                                channel="email",
                                sender=sender,
                            )
                        )
                    except ValidationError as exc:
                        refused.append(f"{name}: {' '.join(exc.messages)}")
                if not received:
                    reason = "; ".join(refused) or _("Thư không có tệp đính kèm.")
                    _fail(path, folder, _("Không nhận được tệp nào từ thư: %(reason)s") % {"reason": reason})
                    report.failed.append(path.name)
                    continue
                report.arrivals += received
                target = _move(path, folder / "processed")
                if refused:
                    target.with_name(target.name + ".error.txt").write_text(
                        "\n".join(refused) + "\n", encoding="utf-8"
                    )
            else:
                with path.open("rb") as fh:
                    report.arrivals.append(
                        arrival_receive(
                            actor=None, organization=organization, upload=(path.name, fh), channel="folder"
                        )
                    )
                _move(path, folder / "processed")
        except ValidationError as exc:
            _fail(path, folder, " ".join(exc.messages))
            report.failed.append(path.name)
        except Exception as exc:  # a broken message must not stop the others; it is kept in failed/
            logger.exception("drop folder: could not receive %s", path)
            _fail(path, folder, _("Lỗi khi đọc tệp: %(error)s") % {"error": exc})
            report.failed.append(path.name)
    return report
