"""Keeping a petition's files: uploads are spooled (hashed, sized and their real type sniffed,
``core.files``) before the transaction, stored with their row inside it, and removed from the
storage again if the transaction fails — no file without its row, no row without its file."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError

from vanphong.core.files import Spooled, Upload, spool_upload, store_spooled
from vanphong.documents.models.files import ExtractionState
from vanphong.petitions.models import PetitionFile, PetitionFileKind

MAX_FILES = 10


def spool_all(uploads: Iterable[Upload], *, field: str = "files", limit: int = MAX_FILES) -> list[Spooled]:
    """Spool every upload, or none: a refused one discards those already spooled and raises
    a Vietnamese error under ``field``."""
    uploads = list(uploads)
    if len(uploads) > limit:
        raise ValidationError({field: [f"Mỗi lần gửi kèm nhiều nhất {limit} tệp."]})
    spooled: list[Spooled] = []
    try:
        for upload in uploads:
            spooled.append(spool_upload(upload))
    except ValidationError as error:
        discard(spooled)
        raise ValidationError({field: error.messages}) from None
    except BaseException:
        discard(spooled)
        raise
    return spooled


def discard(spooled: Iterable[Spooled]) -> None:
    for s in spooled:
        s.discard()


@contextmanager
def storing() -> Iterator[list[str]]:
    """Wrap the transaction that stores files: the names stored are deleted from the storage
    when it fails."""
    stored: list[str] = []
    try:
        yield stored
    except BaseException:
        for name in stored:
            PetitionFile.file.field.storage.delete(name)
        raise


def store(
    spooled: Sequence[Spooled], stored: list[str], *, uploaded_by: Any, **owner: Any
) -> list[PetitionFile]:
    """Write one attachment row per spooled upload for ``owner`` (``petition=`` or
    ``submission=``), inside the caller's transaction and ``storing`` block."""
    rows = []
    for s in spooled:
        row = PetitionFile(
            original_name=s.original_name,
            content_type=s.content_type,
            size=s.size,
            sha256=s.sha256,
            kind=PetitionFileKind.ATTACHMENT,
            extraction=ExtractionState.UNAVAILABLE,
            uploaded_by=uploaded_by,
            **owner,
        )
        stored.append(store_spooled(s, row.file))
        row.save()
        rows.append(row)
    return rows
