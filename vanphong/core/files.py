"""Files as people upload them: copied to a temporary file in chunks with their SHA-256 and
size computed on the way, their real type sniffed from the first bytes (never the name), then
stored under a name with their hash. Documents' files, tasks' evidence and every later
module's attachments go through here, so the limits and the Vietnamese refusals are the same
everywhere."""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from vanphong.core.limits import UnsafeFile, check_zip_directory

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
JPEG = "image/jpeg"
PNG = "image/png"
TIFF = "image/tiff"
IMAGE_TYPES = frozenset({JPEG, PNG, TIFF})
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", JPEG: ".jpg", PNG: ".png", TIFF: ".tif"}

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class UnsupportedFile(Exception):
    """The bytes are not a kind of file we accept; the message is for the user."""


def sniff(path: Path) -> str:
    """The real type of the file at ``path`` from its first bytes (never its name), or
    ``UnsupportedFile`` with a Vietnamese message."""
    with path.open("rb") as fh:
        head = fh.read(16)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return TIFF
    if head.startswith(b"PK\x03\x04"):
        try:
            check_zip_directory(path)  # listing the members is bounded too
        except UnsafeFile as exc:
            raise UnsupportedFile(str(exc)) from exc
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            names = set()
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return DOCX
        raise UnsupportedFile(_("Tệp nén (zip) không phải văn bản Word (.docx): không nhận tệp này."))
    if head.startswith(OLE_SIGNATURE):
        raise UnsupportedFile(
            _("Tệp Word 97-2003 (.doc) chưa được hỗ trợ: hãy lưu lại thành .docx hoặc PDF rồi tải lên lại.")
        )
    raise UnsupportedFile(
        _("Không nhận loại tệp này. Chỉ nhận PDF, Word (.docx) và ảnh quét JPEG, PNG, TIFF.")
    )


CHUNK_SIZE = 1024 * 1024
# An upload is (name, bytes) or (name, a binary file object), or Django's UploadedFile.
Upload = UploadedFile | tuple[str, bytes | IO[bytes]]


@dataclass
class Spooled:
    """An upload copied to a temporary file, with what was learnt on the way."""

    path: Path
    original_name: str
    size: int
    sha256: str
    content_type: str

    def storage_name(self) -> str:
        stem = Path(self.original_name).stem[:80] or "tep"
        name = get_valid_filename(stem) if stem else "tep"
        # A file kept as it came (``OPAQUE``) is stored under a neutral extension: never served
        # as what its name claims.
        return f"{name}{EXTENSIONS.get(self.content_type, '.bin')}"

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


def max_upload_bytes() -> int:
    return settings.VANPHONG_MAX_UPLOAD_MB * 1024 * 1024


def _chunks(upload: Upload) -> Iterator[bytes]:
    if isinstance(upload, UploadedFile):
        yield from upload.chunks(CHUNK_SIZE)
        return
    _name, content = upload
    if isinstance(content, bytes | bytearray):
        for start in range(0, len(content), CHUNK_SIZE):
            yield bytes(content[start : start + CHUNK_SIZE])
        return
    while chunk := content.read(CHUNK_SIZE):
        yield chunk


def _upload_name(upload: Upload) -> str:
    name = upload.name if isinstance(upload, UploadedFile) else upload[0]
    # Browsers on Windows may send the whole path ("C:\\Thu muc\\a.pdf").
    return (PureWindowsPath(name or "").name or "tep")[:255]


# The type of a file kept only to be downloaded as it came (``spool_upload(any_type=True)``).
OPAQUE = "application/octet-stream"


def spool_upload(upload: Upload, *, any_type: bool = False) -> Spooled:
    """Copy ``upload`` to a temporary file in chunks, computing its SHA-256 and size in the
    same pass (a 100 MB scan is never held in memory), then sniff its real type. Raises a
    Vietnamese ``ValidationError`` for an empty, too large or unaccepted file. ``any_type``:
    a file of a type not accepted is kept as ``application/octet-stream`` (never read or shown,
    only downloaded) — for the files another office's package brings, kept as they came."""
    limit = max_upload_bytes()
    digest = hashlib.sha256()
    size = 0
    handle, temp_name = tempfile.mkstemp(prefix="vanphong-upload-", dir=settings.FILE_UPLOAD_TEMP_DIR)
    path = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in _chunks(upload):
                size += len(chunk)
                if size > limit:
                    raise ValidationError(
                        _("Tệp lớn hơn %(mb)s MB, không nhận được.")
                        % {"mb": settings.VANPHONG_MAX_UPLOAD_MB},
                        code="too_large",
                    )
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise ValidationError(_("Tệp rỗng (0 byte)."), code="empty")
        try:
            content_type = sniff(path)
        except UnsupportedFile as exc:
            if not any_type:
                raise ValidationError(str(exc), code="unsupported") from exc
            content_type = OPAQUE
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Spooled(
        path=path,
        original_name=_upload_name(upload),
        size=size,
        sha256=digest.hexdigest(),
        content_type=content_type,
    )


def store_spooled(spooled: Spooled, field_file: Any) -> str:
    """Put the spooled bytes into ``field_file``'s storage under a name with their hash
    (the model's ``upload_to``), never over an existing file. Answers the stored name."""
    with spooled.path.open("rb") as fh:
        field_file.save(spooled.storage_name(), File(fh), save=False)
    return field_file.name
