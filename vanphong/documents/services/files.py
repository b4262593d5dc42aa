"""Files of documents: kept as their exact original bytes, with the SHA-256 recorded on
upload; text extraction, OCR output and previews are derived copies beside them.

Storing a file and writing its row cannot be one transaction: the bytes go to storage
first (the row needs their hash and name), then the row and its audit entry are written
atomically. When that block fails, the stored bytes are deleted before the error goes on.
Django has no "on rollback" hook, so when a *caller's* surrounding transaction rolls back
later, the stored file stays behind without a row. That is the safe side (nothing a
committed row points to is ever missing, nothing is lost); ``files_remove_orphans`` clears
such leftovers once they are old enough that no transaction can still be running.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import shutil
from functools import partial
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.audit.services import audit_record
from vanphong.core.files import CHUNK_SIZE, PDF, Upload, spool_upload, store_spooled
from vanphong.core.jobs import enqueue
from vanphong.core.signatures import SignatureCheck, trust_roots_from_settings, verify_pdf
from vanphong.documents import extraction
from vanphong.documents.access import get_document_for_user
from vanphong.documents.models import (
    Arrival,
    Document,
    DocumentFile,
    DocumentState,
    ExtractionState,
    FileKind,
    RegisterEntry,
)
from vanphong.documents.services import indexing
from vanphong.orgs.access import Capability, can
from vanphong.orgs.actors import Actor, person_of
from vanphong.orgs.models import Organization

logger = logging.getLogger(__name__)


def file_may_attach(user: Actor, document: Document) -> bool:
    """Who may add files to a document they can see: the register keepers of its
    organisation or of an organisation holding it in its books; on a draft, also those who
    write in the drafting organisation. (Writing for a committee through its office, or being
    named on a registered document, gives no right to change its files.)"""
    organizations = [document.organization] + [
        org
        for org in Organization.objects.filter(
            pk__in=RegisterEntry.objects.filter(document=document).values("organization")
        )
    ]
    if any(can(user, Capability.REGISTER, o) for o in organizations):
        return True
    return document.state == DocumentState.DRAFT and can(user, Capability.WRITE, document.organization)


def file_add(
    *, actor: Actor, document: Document, upload: Upload, kind: str = FileKind.ORIGINAL
) -> DocumentFile:
    """A person adds a file to a document from its page: ``file_may_attach`` decides
    (``PermissionDenied`` otherwise), ``file_attach`` keeps it."""
    if not file_may_attach(actor, document):
        raise PermissionDenied(_("Bạn không có quyền thêm tệp vào văn bản này."))
    return file_attach(actor=actor, document=document, upload=upload, kind=kind)


def file_attach(
    *, actor: Actor, document: Document, upload: Upload, kind: str = FileKind.ORIGINAL, any_type: bool = False
) -> DocumentFile:
    """Keep ``upload`` as a file of ``document``: exact bytes, SHA-256 and size recorded,
    text extraction queued once the transaction commits. Audited as ``document.file_attach``."""
    if kind not in FileKind.values:
        raise ValidationError(_("Loại tệp không hợp lệ."), code="invalid_kind")
    spooled = spool_upload(upload, any_type=any_type)
    try:
        record = DocumentFile(
            document=document,
            kind=kind,
            original_name=spooled.original_name,
            content_type=spooled.content_type,
            size=spooled.size,
            sha256=spooled.sha256,
            uploaded_by=person_of(actor),
        )
        stored = store_spooled(spooled, record.file)
    finally:
        spooled.discard()
    try:
        with transaction.atomic():
            record.save(force_insert=True)
            audit_record(
                actor=actor,
                action="document.file_attach",
                target=document,
                after={
                    "file": record.pk,
                    "name": record.original_name,
                    "size": record.size,
                    "sha256": record.sha256,
                    "kind": record.kind,
                },
                actor_username="" if person_of(actor) else "system",
            )
            enqueue("vanphong.documents.jobs.extract_text", record.pk)
    except BaseException:
        record.file.storage.delete(stored)
        raise
    return record


def file_open_for_user(*, user: Actor, file_id: Any, derived: bool = False) -> tuple[DocumentFile, IO[bytes]]:
    """The file and an open binary stream of its original bytes (or of its derived copy),
    when ``user`` may see its document; 404 otherwise. Every download is audited
    (``document.file_download``), which the rules require for classified documents."""
    try:
        record = DocumentFile.objects.select_related("document").get(pk=int(file_id))
    except (DocumentFile.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    document = get_document_for_user(user, record.document_id)
    field_file = record.derived if derived else record.file
    if not field_file:
        raise Http404
    try:
        stream = field_file.open("rb")
    except FileNotFoundError:
        logger.error("file %s of document %s is missing from storage", record.pk, document.pk)
        raise Http404 from None
    audit_record(
        actor=user,
        action="document.file_download",
        target=document,
        after={
            "file": record.pk,
            "name": record.original_name,
            "derived": derived,
            "classification": document.classification,
        },
    )
    return record, stream


def file_verify(file: DocumentFile | Arrival) -> bool:
    """Whether the stored bytes still hash to the SHA-256 recorded on upload."""
    digest = hashlib.sha256()
    try:
        with file.file.open("rb") as fh:
            for chunk in iter(partial(fh.read, CHUNK_SIZE), b""):
                digest.update(chunk)
    except FileNotFoundError:
        return False
    return digest.hexdigest() == file.sha256


def file_verify_signatures(file: DocumentFile) -> list[dict[str, Any]]:
    """Verify the digital signatures of a PDF file against the configured trust roots
    (VANPHONG_SIGNATURE_TRUST_ROOTS) and store them on the row: one dict per signature
    (``vanphong.core.signatures.SignatureCheck.as_dict``; empty for a file without any, or
    not a PDF) and when they were checked. A file missing from storage stays unchecked.
    Called after a file is read (documents/jobs.py), for a registered arrival, for a file
    signed here, and on demand when a file was never checked."""
    checks: list[dict[str, Any]] = []
    if file.content_type == PDF:
        try:
            with file.file.open("rb") as fh:
                data = fh.read()
        except FileNotFoundError:
            logger.error("file %s is missing from storage: signatures not checked", file.pk)
            return list(file.signatures or [])
        checks = [check.as_dict() for check in verify_pdf(data, trust_roots=trust_roots_from_settings())]
    now = timezone.now()
    DocumentFile.objects.filter(pk=file.pk).update(signatures=checks, signatures_checked_at=now)
    file.signatures, file.signatures_checked_at = checks, now
    return checks


def file_signatures_for_user(*, user: Actor, file_id: Any) -> tuple[DocumentFile, list[dict[str, Any]]]:
    """The file and its signature checks, when ``user`` may see its document (404 otherwise,
    as for a download, but not audited as one: nothing of the content is handed out). A file
    never checked is verified now."""
    try:
        record = DocumentFile.objects.select_related("document").get(pk=int(file_id))
    except (DocumentFile.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    get_document_for_user(user, record.document_id)
    if record.signatures_checked_at is None:
        file_verify_signatures(record)
    return record, [SignatureCheck.from_dict(check).as_dict() for check in record.signatures or []]


def extraction_completed(document: Document) -> None:
    """A document's text changed: let search and reference linking see it."""
    indexing.document_text_changed(document)


def file_extraction_store(*, file_id: int, result: extraction.Extracted, claim: str) -> DocumentFile | None:
    """Record the outcome of reading a file (from the extraction job holding ``claim``):
    text, state, note, page count, and the OCR'd PDF as its derived copy. Search is told
    after commit. None, with nothing changed, unless the file is still pending and claimed
    by that job (documents/jobs.py): the outcome of a reading is stored once."""
    derived_name = ""
    with transaction.atomic():
        record = (
            DocumentFile.objects.select_for_update()
            .filter(pk=file_id, extraction=ExtractionState.PENDING, extraction_claim=claim)
            .first()
        )
        if record is None:
            return None
        if result.derived is not None and result.derived.exists():
            with result.derived.open("rb") as fh:
                record.derived.save(f"{record.sha256}.ocr.pdf", File(fh), save=False)
            derived_name = record.derived.name
        try:
            record.text = result.text
            record.extraction = result.state
            record.extraction_note = result.note[:255]
            record.ocr = result.ocr
            record.page_count = min(len(result.pages), 32767) if result.pages else None
            record.save(
                update_fields=["text", "extraction", "extraction_note", "ocr", "page_count", "derived"]
            )
            document = record.document
            if document.page_count is None and record.page_count and record.kind != FileKind.ATTACHMENT:
                Document.objects.filter(pk=document.pk, page_count__isnull=True).update(
                    page_count=record.page_count
                )
            audit_record(
                actor=None,
                actor_username="system",
                action="document.file_extract",
                target=document,
                after={
                    "file": record.pk,
                    "state": record.extraction,
                    "ocr": record.ocr,
                    "characters": len(record.text),
                    "note": record.extraction_note,
                },
            )
            if record.text:
                transaction.on_commit(partial(extraction_completed, document))
        except BaseException:
            if derived_name:
                record.derived.storage.delete(derived_name)
            raise
    return record


def files_remove_orphans(*, older_than: dt.timedelta = dt.timedelta(days=2)) -> list[str]:
    """Delete stored files under documents/, derived/ and arrivals/ that no row refers to
    and that are older than ``older_than`` (left by a rolled-back transaction). Answers the
    names removed."""
    root = Path(settings.MEDIA_ROOT)
    referenced: set[str] = set()
    for name in DocumentFile.objects.values_list("file", flat=True).iterator():
        referenced.add(name)
    for name in DocumentFile.objects.exclude(derived="").values_list("derived", flat=True).iterator():
        referenced.add(name)
    for name in Arrival.objects.values_list("file", flat=True).iterator():
        referenced.add(name)
    cutoff = (timezone.now() - older_than).timestamp()
    removed = []
    for top in ("documents", "derived", "arrivals"):
        folder = root / top
        if not folder.is_dir():
            continue
        for path in folder.rglob("*"):
            if not path.is_file():
                continue
            name = path.relative_to(root).as_posix()
            if name not in referenced and path.stat().st_mtime < cutoff:
                default_storage.delete(name)
                removed.append(name)
    return removed


def workdir_remove(path: Path | None) -> None:
    if path is not None:
        shutil.rmtree(path, ignore_errors=True)
