"""Preservation packages (gói lưu trữ): a record, or a whole year of an organisation's records,
as a self-describing BagIt bag in a zip, and the same package read back into an archive.

Export (``record_package``, ``year_package``): the records are read through the access layer
(a record outside the reader's reach is a 404), every file of every item is copied as its exact
bytes to ``data/<file code>/<ordinal>/<name>`` — a document's files, a meeting's minutes, the
files of a petition the reader may open (a masked denunciation keeps its letters to itself),
an imported item's own files; a destroyed record's items have their description only — with
``data/metadata.xml`` (``vanphong.records.metadata``) describing them, then bagged with SHA-256
manifests (``_write_bag``, BagIt 1.0) and zipped. Where a PDF/A-2 copy can be made (Ghostscript for a
PDF, LibreOffice for .docx/.odt) it is added at ``data/<file code>/<ordinal>/pdfa/<name>.pdf``;
where it cannot, metadata.xml says so. ``VANPHONG_PACKAGE_RENDITIONS`` (default True) or the
``renditions`` argument turns that off.

Import (``package_import``): the upload is spooled to a temporary directory (at most
``VANPHONG_PACKAGE_MAX_BYTES``, default 2 GiB), unzipped safely (no absolute path, no ``..``,
no link, a bounded number of entries and of bytes unpacked), and the bag validated: every
checksum of every file. One changed byte refuses the whole package (``PackageRefused``, code
``invalid_package``) naming the file; so does a metadata.xml that is missing, malformed or
disagrees with the manifest. Then, in one transaction, each record becomes an archived,
imported ``Record`` of the receiving organisation with its items (kind ARCHIVED) and a
``RecordFile`` per original file with its exact bytes. A refused package leaves nothing: no
row, and no file in the storage (the files stored are removed when the transaction fails).

Renditions are derived copies: they are verified with the rest of the bag but not kept on
import (they are made again on the next export)."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import stat
import subprocess
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

import bagit
from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation, ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.text import get_valid_filename

from vanphong.audit.services import audit_record
from vanphong.core.files import DOCX, PDF, UnsupportedFile, sniff
from vanphong.core.limits import _zip_directory
from vanphong.core.textfold import fold
from vanphong.documents.access import documents_visible_to
from vanphong.documents.models.files import DocumentFile, ExtractionState, FileKind
from vanphong.orgs.access import scope_for
from vanphong.orgs.actors import Actor, acting_person
from vanphong.orgs.models import Classification, Organization
from vanphong.petitions.selectors import petitions_visible_to, shown_files
from vanphong.programs.selectors.meetings import meetings_visible_to
from vanphong.records import services
from vanphong.records.metadata import (
    MAX_XML_BYTES,
    FileEntry,
    ItemEntry,
    MetadataError,
    RecordEntry,
    read_metadata,
    write_metadata,
)
from vanphong.records.models import ItemKind, Record, RecordFile, RecordItem, RecordState
from vanphong.records.selectors import contents_readable_to, records_visible_to

logger = logging.getLogger(__name__)

METADATA_NAME = "metadata.xml"
METADATA_PATH = f"data/{METADATA_NAME}"
DEFAULT_MAX_BYTES = 2 * 1024 * 1024 * 1024
DEFAULT_MAX_ENTRIES = 20_000
CHUNK = 1024 * 1024
RENDITION_TIMEOUT = 120
ODT = "application/vnd.oasis.opendocument.text"
OCTET = "application/octet-stream"
BAGIT_VERSION = "1.0"


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_bag(bag: Path, info: dict[str, str]) -> None:
    """Turn ``bag`` (holding the payload at its top) into a BagIt 1.0 bag (RFC 8493): the payload
    moved under ``data/``, ``bagit.txt``, ``bag-info.txt`` (with Payload-Oxum and Bagging-Date),
    ``manifest-sha256.txt`` and ``tagmanifest-sha256.txt``. Written here rather than with
    ``bagit.make_bag``, which changes the whole process's working directory while it runs (a
    threaded server's other requests would resolve relative paths inside the bag); the
    ``bagit`` library validates every package on import."""
    payload = bag / "data"
    payload.mkdir()
    for child in list(bag.iterdir()):
        if child != payload:
            child.rename(payload / child.name)
    lines: list[str] = []
    octets = count = 0
    for path in sorted(p for p in payload.rglob("*") if p.is_file()):
        relative = path.relative_to(bag).as_posix()
        lines.append(f"{_sha256_of(path)}  {relative}\n")
        octets += path.stat().st_size
        count += 1
    (bag / "manifest-sha256.txt").write_text("".join(lines), encoding="utf-8")
    (bag / "bagit.txt").write_text(
        f"BagIt-Version: {BAGIT_VERSION}\nTag-File-Character-Encoding: UTF-8\n", encoding="utf-8"
    )
    fields = {
        **info,
        "Bagging-Date": timezone.localdate().isoformat(),
        "Payload-Oxum": f"{octets}.{count}",
    }
    (bag / "bag-info.txt").write_text(
        "".join(f"{key}: {' '.join(str(value).split())}\n" for key, value in fields.items()), encoding="utf-8"
    )
    tags = ("bagit.txt", "bag-info.txt", "manifest-sha256.txt")
    (bag / "tagmanifest-sha256.txt").write_text(
        "".join(f"{_sha256_of(bag / name)}  {name}\n" for name in tags), encoding="utf-8"
    )


class PackageRefused(ValidationError):
    """The package is not accepted; ``code`` is ``invalid_package`` and ``file`` the path
    inside the package that failed (or "")."""

    def __init__(self, message: str, *, file: str = "") -> None:
        super().__init__(message, code="invalid_package")
        self.file = file


@dataclass
class PackageFile:
    """A package made on disk: ``path`` is a temporary .zip the caller sends and deletes."""

    path: Path
    filename: str


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def max_bytes() -> int:
    return int(_setting("VANPHONG_PACKAGE_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_entries() -> int:
    return int(_setting("VANPHONG_PACKAGE_MAX_ENTRIES", DEFAULT_MAX_ENTRIES))


def _temp_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="vanphong-package-", dir=settings.FILE_UPLOAD_TEMP_DIR))


def _segment(value: str, fallback: str = "tep") -> str:
    """``value`` as one safe path segment: no separator, no control character, not "." or
    "..", at most 120 characters (a name's extension kept)."""
    cleaned = "".join(ch for ch in value if ch.isprintable() and ch not in '/\\:*?"<>|')
    cleaned = " ".join(cleaned.split()).strip(". ")
    if len(cleaned) > 120:
        stem, dot, suffix = cleaned.rpartition(".")
        cleaned = f"{stem[: 110 - len(suffix)]}.{suffix}" if dot and len(suffix) <= 10 else cleaned[:120]
    return cleaned or fallback


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 1
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{stem}-{n}.{suffix}" if suffix else f"{stem}-{n}"
    taken.add(candidate.casefold())
    return candidate


# ---------------------------------------------------------------------------- export


@dataclass
class _Source:
    """One file of an item to put in the package."""

    name: str
    open: Callable[[], IO[bytes]]
    content_type: str
    sha256: str = ""  # as recorded on upload, checked against the copy
    scan: bool = False


def _field_opener(field_file: Any) -> Callable[[], IO[bytes]]:
    def opener() -> IO[bytes]:
        return field_file.storage.open(field_file.name, "rb")

    return opener


def _item_sources(actor: Actor, record: Record, item: RecordItem) -> tuple[list[_Source], str]:
    """The files of ``item`` ``actor`` may have in the package, and why there are none when
    its content is left out."""
    if record.state == RecordState.DISPOSED:
        return [], "Hồ sơ đã hủy theo quyết định; chỉ còn thông tin mô tả."
    if item.kind == ItemKind.ARCHIVED:
        # The archive's own copies: for readers of the record's contents (readers, makers, and
        # holders of an approved request), not for those who see the catalogue only.
        if not contents_readable_to(actor).filter(pk=record.pk).exists():
            return (
                [],
                "Người xuất gói chưa được khai thác nội dung hồ sơ này "
                "(cần phiếu yêu cầu khai thác được duyệt).",
            )
        return [
            _Source(f.original_name, _field_opener(f.file), f.content_type, f.sha256)
            for f in item.files.all()
            if f.file
        ], ""
    if item.kind == ItemKind.DOCUMENT:
        if item.document_id is None:
            return [], "Văn bản không còn trong hệ thống; chỉ còn thông tin mô tả."
        if not documents_visible_to(actor).filter(pk=item.document_id).exists():
            return [], "Người xuất gói không được đọc nội dung văn bản này."
        # Drafts are not kept in a closed record (NĐ 30 Điều 29: loại bản trùng, bản nháp).
        files = DocumentFile.objects.filter(document_id=item.document_id).exclude(kind=FileKind.DRAFT)
        return [
            _Source(f.original_name, _field_opener(f.file), f.content_type, f.sha256, f.kind == FileKind.SCAN)
            for f in files.order_by("uploaded_at", "id")
            if f.file
        ], ""
    if item.kind == ItemKind.MEETING:
        meeting = meetings_visible_to(actor).filter(pk=item.meeting_id).first() if item.meeting_id else None
        if meeting is None:
            return [], "Người xuất gói không được đọc cuộc họp này hoặc cuộc họp không còn."
        if not meeting.minutes_file:
            return [], "Cuộc họp chưa có tệp biên bản."
        name = PurePosixPath(meeting.minutes_file.name).name
        return [_Source(name, _field_opener(meeting.minutes_file), "")], ""
    petition = petitions_visible_to(actor).filter(pk=item.petition_id).first() if item.petition_id else None
    if petition is None:
        return [], "Người xuất gói không được đọc đơn thư này hoặc đơn thư không còn."
    letters = shown_files(petition)
    sources = [
        _Source(f.original_name, _field_opener(f.file), f.content_type, f.sha256) for f in letters if f.file
    ]
    return sources, "" if sources else "Không có tệp đơn thư mà người xuất gói được mở."


def _copy(source: _Source, dest: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    try:
        with source.open() as src, dest.open("wb") as out:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
    except FileNotFoundError:
        raise ValidationError(
            {"file": [f"Tệp {source.name} không còn trong kho lưu trữ; không xuất được gói."]}
        ) from None
    sha = digest.hexdigest()
    if source.sha256 and source.sha256 != sha:
        raise ValidationError(
            {
                "file": [
                    f"Tệp {source.name} trong kho không khớp mã kiểm tra đã ghi khi tải lên; không xuất gói."
                ]
            }
        )
    return sha, size


def _content_type(source: _Source, path: Path) -> str:
    if source.content_type:
        return source.content_type
    try:
        return sniff(path)
    except UnsupportedFile:
        return OCTET


def renditions_enabled(renditions: bool | None) -> bool:
    if renditions is not None:
        return renditions
    return bool(_setting("VANPHONG_PACKAGE_RENDITIONS", True))


def _run(command: list[str], *, env: dict[str, str] | None = None) -> bool:
    try:
        done = subprocess.run(  # noqa: S603 - fixed programs, paths we made
            command, capture_output=True, timeout=RENDITION_TIMEOUT, check=False, env=env
        )
    except (OSError, subprocess.SubprocessError) as exc:
        logger.info("rendition failed: %s", exc)
        return False
    if done.returncode != 0:
        logger.info("rendition failed (%s): %s", done.returncode, done.stderr[-500:])
    return done.returncode == 0


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(5) == b"%PDF-" and path.stat().st_size > 0
    except OSError:
        return False


def make_rendition(src: Path, content_type: str, dest: Path, work: Path) -> str:
    """Write a PDF/A-2 copy of ``src`` to ``dest``; answer "" when made, or why not."""
    suffix = src.suffix.lower()
    if content_type == PDF:
        gs = shutil.which("gs")
        if gs is None:
            return "Không tạo được bản PDF/A: máy chủ chưa cài Ghostscript."
        ok = _run(
            [
                gs,
                "-dPDFA=2",
                "-dBATCH",
                "-dNOPAUSE",
                "-dNOOUTERSAVE",
                "-dSAFER",
                "-dQUIET",
                "-sColorConversionStrategy=RGB",
                "-sDEVICE=pdfwrite",
                "-dPDFACompatibilityPolicy=1",
                f"-sOutputFile={dest}",
                str(src),
            ]
        )
        if ok and _is_pdf(dest):
            return ""
        dest.unlink(missing_ok=True)
        return "Không tạo được bản PDF/A: Ghostscript không chuyển đổi được tệp này."
    if content_type in (DOCX, ODT) or suffix in (".docx", ".odt"):
        soffice = shutil.which("soffice")
        if soffice is None:
            return "Không tạo được bản PDF/A: máy chủ chưa cài LibreOffice."
        profile = work / "lo-profile"
        out_dir = work / "lo-out"
        out_dir.mkdir(parents=True, exist_ok=True)
        # LibreOffice names its output after the input: give it a plain name of our own.
        plain = work / f"input{suffix if suffix in ('.docx', '.odt') else '.docx'}"
        shutil.copyfile(src, plain)
        env = {**os.environ, "HOME": str(work)}
        ok = _run(
            [
                soffice,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}',
                "--outdir",
                str(out_dir),
                str(plain),
            ],
            env=env,
        )
        made = out_dir / "input.pdf"
        if ok and _is_pdf(made):
            shutil.move(str(made), dest)
            return ""
        return "Không tạo được bản PDF/A: LibreOffice không chuyển đổi được tệp này."
    return "Không tạo bản PDF/A cho loại tệp này."


def _rights(record: Record, items: list[RecordItem]) -> str:
    if record.classification > Classification.NONE:
        return "03"
    if any(item.kind == ItemKind.PETITION for item in items):
        return "02"  # citizens' letters: used on conditions (personal data)
    return "01"


def _creator(record: Record) -> str:
    if record.creator is not None:
        return record.creator.full_name
    if record.unit is not None:
        return record.unit.name
    return record.organization.short_name


def _record_entry(actor: Actor, record: Record, bag: Path, renditions: bool, work: Path) -> RecordEntry:
    folder = _segment(record.file_code, f"hoso-{record.pk}")
    items = list(record.items.order_by("ordinal"))
    entry = RecordEntry(
        organ_id=record.organization.electronic_id or record.organization.slug or str(record.organization_id),
        year=record.year,
        code=record.code,
        title=record.title,
        retention_years=record.retention_years,
        start_date=record.start_date,
        rights=_rights(record, items),
        creator=_creator(record),
        language=record.language,
        end_date=record.end_date,
        page_total=record.page_total,
        description=record.description,
        keywords=record.keywords,
        state=record.state,
        retention_until=record.retention_until,
        classification=record.classification,
        construction=record.construction,
    )
    scans = born = 0
    for item in items:
        sources, withheld = _item_sources(actor, record, item)
        described = ItemEntry(
            ordinal=item.ordinal,
            kind=item.kind,
            subject=item.subject,
            type_name=item.type_name,
            symbol=item.symbol,
            issued_date=item.issued_date,
            organ_name=item.issuer_name,
            language=record.language,
            page_amount=item.page_count,
            description=item.note,
            classification=item.classification,
            withheld=withheld,
        )
        relative = f"{folder}/{item.ordinal:03d}"
        item_dir = bag / relative
        taken: set[str] = {"pdfa"}
        made_names: set[str] = set()
        for source in sources:
            item_dir.mkdir(parents=True, exist_ok=True)
            name = _unique(_segment(source.name), taken)
            dest = item_dir / name
            sha, size = _copy(source, dest)
            scans, born = (scans + 1, born) if source.scan else (scans, born + 1)
            file_entry = FileEntry(
                path=f"data/{relative}/{name}",
                name=source.name,
                sha256=sha,
                size=size,
                content_type=_content_type(source, dest),
            )
            if renditions:
                pdfa_dir = item_dir / "pdfa"
                pdfa_dir.mkdir(exist_ok=True)
                pdfa_name = _unique(f"{Path(name).stem or 'tep'}.pdf", made_names)
                pdfa = pdfa_dir / pdfa_name
                scratch = Path(tempfile.mkdtemp(dir=work))
                note = make_rendition(dest, file_entry.content_type, pdfa, scratch)
                shutil.rmtree(scratch, ignore_errors=True)
                if note:
                    file_entry.rendition_note = note
                    made_names.discard(pdfa_name.casefold())
                else:
                    file_entry.rendition_path = f"data/{relative}/pdfa/{pdfa_name}"
                    file_entry.rendition_sha256 = _sha256(pdfa)
                    file_entry.rendition_size = pdfa.stat().st_size
                if not any(pdfa_dir.iterdir()):
                    pdfa_dir.rmdir()
            else:
                file_entry.rendition_note = "Không tạo bản PDF/A (tắt khi xuất gói)."
            described.files.append(file_entry)
        entry.items.append(described)
    entry.confidence = "03" if scans and born else ("02" if scans else "01")
    return entry


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _build(
    actor: Actor, records: list[Record], *, filename: str, identifier: str, renditions: bool | None
) -> PackageFile:
    organization = records[0].organization
    with_renditions = renditions_enabled(renditions)
    work = _temp_dir()
    handle, zip_name = tempfile.mkstemp(
        prefix="vanphong-package-", suffix=".zip", dir=settings.FILE_UPLOAD_TEMP_DIR
    )
    os.close(handle)
    zip_path = Path(zip_name)
    try:
        bag = work / "bag"
        bag.mkdir()
        entries = [_record_entry(actor, record, bag, with_renditions, work) for record in records]
        (bag / METADATA_NAME).write_bytes(
            write_metadata(
                entries,
                producer_id=entries[0].organ_id,
                producer_name=organization.name,
                created=timezone.localtime(),
            )
        )
        bag_info = {
            "Source-Organization": organization.name,
            "External-Identifier": identifier,
            "External-Description": (
                f"Gói lưu trữ {len(records)} hồ sơ của {organization.name} "
                "(metadata.xml theo Nghị định 30/2020/NĐ-CP, Phụ lục VI)."
            ),
            "Bag-Software-Agent": "vanphong",
        }
        _write_bag(bag, bag_info)
        with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            for path in sorted(bag.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(bag).as_posix())
    except BaseException:
        zip_path.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for record in records:
        audit_record(
            actor=actor,
            action="record.export",
            target=record,
            organization_id=record.organization_id,
            after={"package": filename, "file_code": record.file_code},
        )
    return PackageFile(path=zip_path, filename=filename)


def record_package(*, actor: Actor, record: Record, renditions: bool | None = None) -> PackageFile:
    """One record as a BagIt zip; ``Http404`` when ``actor`` may not read it."""
    found = (
        records_visible_to(actor)
        .select_related("organization", "creator", "unit")
        .filter(pk=record.pk)
        .first()
    )
    if found is None:
        raise Http404
    name = _segment(found.file_code, str(found.pk)).replace(" ", "_")
    return _build(
        actor, [found], filename=f"hoso-{name}.zip", identifier=found.file_code, renditions=renditions
    )


def year_package(
    *, actor: Actor, organization: Organization, year: int, renditions: bool | None = None
) -> PackageFile:
    """Every record of ``organization`` formed in ``year`` that ``actor`` may read and that is
    not destroyed, as one BagIt zip."""
    records = list(
        records_visible_to(actor)
        .filter(organization=organization, year=int(year))
        .exclude(state=RecordState.DISPOSED)
        .select_related("organization", "creator", "unit")
        .order_by("code", "pk")
    )
    if not records:
        raise ValidationError(
            {"year": [f"Không có hồ sơ nào năm {year} của {organization.short_name} mà bạn được đọc."]}
        )
    organ = organization.electronic_id or organization.slug or str(organization.pk)
    name = _segment(f"{organ}-{year}", str(year)).replace(" ", "_")
    return _build(
        actor, records, filename=f"hoso-{name}.zip", identifier=f"{organ}.{year}", renditions=renditions
    )


# ---------------------------------------------------------------------------- import


def _chunks(upload: Any) -> Iterator[bytes]:
    if isinstance(upload, UploadedFile):
        yield from upload.chunks(CHUNK)
        return
    if isinstance(upload, bytes | bytearray):
        yield bytes(upload)
        return
    while chunk := upload.read(CHUNK):
        yield chunk


def _spool(upload: Any, dest: Path) -> None:
    limit = max_bytes()
    size = 0
    with dest.open("wb") as out:
        for chunk in _chunks(upload):
            size += len(chunk)
            if size > limit:
                raise PackageRefused(f"Gói lớn hơn giới hạn {limit // (1024 * 1024)} MB; không nhận.")
            out.write(chunk)
    if size == 0:
        raise PackageRefused("Tệp gói rỗng (0 byte).")


def _unsafe_name(name: str) -> bool:
    if not name or "\x00" in name or "\\" in name or name.startswith("/"):
        return True
    if re.match(r"^[A-Za-z]:", name):
        return True
    return any(part in ("..",) for part in name.split("/"))


def _unzip(zip_path: Path, root: Path) -> None:
    """Unpack ``zip_path`` under ``root``, refusing anything that could write outside it or
    unpack without bound: checked from the central directory before a byte is written."""
    entries_most = max_entries()
    declared = _zip_directory(zip_path)
    if declared is not None and declared[0] > entries_most:
        raise PackageRefused(f"Gói có quá nhiều tệp (tối đa {entries_most}).")
    try:
        archive = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError):
        raise PackageRefused("Tệp tải lên không phải gói lưu trữ (tệp nén zip).") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > entries_most:
            raise PackageRefused(f"Gói có quá nhiều tệp (tối đa {entries_most}).")
        limit = max_bytes()
        total = 0
        seen: set[str] = set()
        for info in infos:
            name = info.filename
            if _unsafe_name(name):
                raise PackageRefused(f"Gói không hợp lệ: đường dẫn {name!r} trỏ ra ngoài gói.", file=name)
            if stat.S_ISLNK(info.external_attr >> 16):
                raise PackageRefused(f"Gói không hợp lệ: {name} là liên kết (symlink).", file=name)
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise PackageRefused(f"Gói không hợp lệ: {name} nén theo cách không hỗ trợ.", file=name)
            if name.casefold() in seen:
                raise PackageRefused(f"Gói không hợp lệ: {name} xuất hiện hai lần.", file=name)
            seen.add(name.casefold())
            total += info.file_size
            if total > limit:
                raise PackageRefused(
                    f"Gói giải nén lớn hơn giới hạn {limit // (1024 * 1024)} MB; "
                    "không nhận (nghi tệp nén độc hại)."
                )
        resolved_root = root.resolve()
        for info in infos:
            dest = (root / info.filename).resolve()
            if dest != resolved_root and resolved_root not in dest.parents:
                raise PackageRefused(
                    f"Gói không hợp lệ: đường dẫn {info.filename!r} trỏ ra ngoài gói.", file=info.filename
                )
            written = 0
            try:
                if info.is_dir():
                    dest.mkdir(parents=True, exist_ok=True)
                    continue
                dest.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(info) as src, dest.open("wb") as out:
                    while chunk := src.read(CHUNK):
                        written += len(chunk)
                        if written > info.file_size:
                            raise PackageRefused(
                                f"Gói không hợp lệ: {info.filename} hỏng.", file=info.filename
                            )
                        out.write(chunk)
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                # A damaged member (its CRC fails) is as good as a wrong checksum.
                raise PackageRefused(
                    f"Gói không hợp lệ: tệp {info.filename} bị hỏng ({exc}).", file=info.filename
                ) from None


def _bag_root(root: Path) -> Path:
    if (root / "bagit.txt").is_file():
        return root
    children = [p for p in root.iterdir()]
    if len(children) == 1 and children[0].is_dir() and (children[0] / "bagit.txt").is_file():
        return children[0]
    raise PackageRefused("Gói không hợp lệ: thiếu tệp bagit.txt (không phải gói BagIt).", file="bagit.txt")


def _mismatch_message(path: str, kind: str) -> str:
    if kind == "missing":
        return f"Gói không hợp lệ: thiếu tệp {path} có trong danh sách kiểm tra."
    if kind == "unexpected":
        return f"Gói không hợp lệ: tệp {path} không có trong danh sách kiểm tra (manifest)."
    return f"Gói không hợp lệ: tệp {path} sai mã kiểm tra (SHA-256)."


def _first_failure(bag: bagit.Bag, root: Path, error: bagit.BagValidationError) -> tuple[str, str]:
    """(path, kind) of the first file that fails: from bagit's details when it gave them,
    else (a payload size mismatch stops it early) by checking each manifest entry here."""
    found: list[tuple[str, str]] = []
    for detail in getattr(error, "details", None) or []:
        if isinstance(detail, bagit.ChecksumMismatch):
            found.append((detail.path, "checksum"))
        elif isinstance(detail, bagit.FileMissing):
            found.append((detail.path, "missing"))
        elif isinstance(detail, bagit.UnexpectedFile):
            found.append((detail.path, "unexpected"))
    if found:
        return sorted(found)[0]
    listed = set()
    for path, hashes in sorted(bag.entries.items()):
        listed.add(path)
        on_disk = root / path
        if not on_disk.is_file():
            return path, "missing"
        expected = hashes.get("sha256")
        if expected and _sha256(on_disk) != expected.lower():
            return path, "checksum"
    for path in sorted(p.relative_to(root).as_posix() for p in (root / "data").rglob("*") if p.is_file()):
        if path not in listed:
            return path, "unexpected"
    return "", str(error)


def _verify(root: Path) -> bagit.Bag:
    try:
        bag = bagit.Bag(str(root))
    except bagit.BagError as exc:
        raise PackageRefused(
            f"Gói không hợp lệ: không đọc được cấu trúc BagIt ({exc}).", file="bagit.txt"
        ) from None
    except (UnicodeError, ValueError, OSError):
        raise PackageRefused(
            "Gói không hợp lệ: tệp mô tả của gói (bagit.txt, bag-info.txt) không đọc được dưới dạng UTF-8.",
            file="bag-info.txt",
        ) from None
    if not (root / "manifest-sha256.txt").is_file():
        raise PackageRefused(
            "Gói không hợp lệ: thiếu danh sách kiểm tra manifest-sha256.txt.", file="manifest-sha256.txt"
        )
    try:
        bag.validate(processes=1, fast=False)
    except bagit.BagValidationError as exc:
        path, kind = _first_failure(bag, root, exc)
        if not path:
            raise PackageRefused(f"Gói không hợp lệ: {kind}") from None
        raise PackageRefused(_mismatch_message(path, kind), file=path) from None
    except bagit.BagError as exc:
        raise PackageRefused(f"Gói không hợp lệ: {exc}") from None
    except (UnicodeError, ValueError, OSError):
        raise PackageRefused(
            "Gói không hợp lệ: danh sách kiểm tra (manifest) không đọc được dưới dạng UTF-8.",
            file="manifest-sha256.txt",
        ) from None
    return bag


def _read(root: Path, bag: bagit.Bag) -> dict[str, Any]:
    if METADATA_PATH not in bag.entries or not (root / METADATA_PATH).is_file():
        raise PackageRefused(f"Gói không hợp lệ: thiếu {METADATA_PATH}.", file=METADATA_PATH)
    if (root / METADATA_PATH).stat().st_size > MAX_XML_BYTES:
        raise PackageRefused(f"Gói không hợp lệ: {METADATA_PATH} quá lớn.", file=METADATA_PATH)
    try:
        meta = read_metadata((root / METADATA_PATH).read_bytes())
    except MetadataError as exc:
        raise PackageRefused(f"Gói không hợp lệ: {exc}", file=METADATA_PATH) from None
    for record in meta["records"]:
        for item in record["items"]:
            for file in item["files"]:
                paths = [(file["path"], file["sha256"])]
                if file["rendition"]:
                    paths.append((file["rendition"]["path"], file["rendition"]["sha256"]))
                for path, sha in paths:
                    listed = bag.entries.get(path)
                    if not path.startswith("data/") or _unsafe_name(path) or listed is None:
                        raise PackageRefused(
                            f"Gói không hợp lệ: metadata.xml ghi tệp {path} không có trong gói.", file=path
                        )
                    if (listed.get("sha256") or "").lower() != sha:
                        raise PackageRefused(
                            f"Gói không hợp lệ: mã SHA-256 của tệp {path} trong metadata.xml "
                            "khác danh sách kiểm tra.",
                            file=path,
                        )
    return meta


def _storage_name(name: str) -> str:
    path = PurePosixPath(name.replace("\\", "/"))
    suffix = "".join(ch for ch in path.suffix.lower() if ch.isalnum() or ch == ".")[:10]
    try:
        stem = get_valid_filename(path.stem[:80] or "tep")
    except SuspiciousFileOperation:
        stem = "tep"
    return f"{stem}{suffix}"


def _sniffed(path: Path, declared: str) -> str:
    try:
        return sniff(path)
    except UnsupportedFile:
        return (declared or OCTET)[:100]


@contextmanager
def _storing() -> Iterator[list[str]]:
    """Around the transaction that stores files: the names stored are deleted from the
    storage when it fails."""
    stored: list[str] = []
    try:
        yield stored
    except BaseException:
        for name in stored:
            RecordFile.file.field.storage.delete(name)
        raise


def _check_records(actor: Actor, organization: Organization, records: list[dict[str, Any]]) -> None:
    clearance = scope_for(actor).clearance
    seen: set[tuple[int, str]] = set()
    this_year = timezone.localdate().year
    for row in records:
        key = (row["year"], row["code"])
        name = f"Hồ sơ {row['code']} năm {row['year']}"
        if key in seen:
            raise PackageRefused(
                f"Gói không hợp lệ: {name} có hai lần trong metadata.xml.", file=METADATA_PATH
            )
        seen.add(key)
        if not services.FIRST_YEAR <= row["year"] <= this_year + 1:
            raise PackageRefused(
                f"Gói không hợp lệ: năm của {name.lower()} không hợp lệ.", file=METADATA_PATH
            )
        top = max([row["classification"], *(item["classification"] for item in row["items"])])
        if top > clearance:
            raise ValidationError(
                {
                    "file": [
                        f"{name} có độ mật {Classification(top).label} cao hơn mức bạn được tiếp cận; "
                        "không nhập được gói."
                    ]
                }
            )
        if Record.objects.filter(organization=organization, year=row["year"], code=row["code"]).exists():
            raise ValidationError(
                {"file": [f"{name} đã có trong lưu trữ của {organization.short_name}; không nhập lại."]}
            )


def _fold(*parts: str) -> str:
    return fold(" ".join(part for part in parts if part))


def _create(
    actor: Actor, organization: Organization, meta: dict[str, Any], root: Path, stored: list[str]
) -> list[Record]:
    person = acting_person(actor)
    made: list[Record] = []
    for row in meta["records"]:
        items = row["items"]
        end = row["end_date"]
        # Retention counts from the year the record closed: computed here from its end date and
        # its years, never taken from the package (a claimed date could make it expire at once).
        if end is None:
            raise PackageRefused(
                f"Gói không hợp lệ: hồ sơ {row['code']} năm {row['year']} thiếu ngày kết thúc (EndDate): "
                "chỉ hồ sơ đã kết thúc mới được nộp lưu.",
                file=METADATA_PATH,
            )
        until = services.retention_until(end.year, row["retention_years"])
        if row["retention_until"] is not None and row["retention_until"] != until:
            raise PackageRefused(
                f"Gói không hợp lệ: hồ sơ {row['code']} năm {row['year']} ghi hạn bảo quản "
                f"{row['retention_until']:%d/%m/%Y}, không khớp với thời hạn bảo quản tính từ năm kết thúc "
                f"({until:%d/%m/%Y})."
                if until
                else f"Gói không hợp lệ: hồ sơ {row['code']} năm {row['year']} bảo quản vĩnh viễn "
                "nhưng ghi hạn bảo quản.",
                file=METADATA_PATH,
            )
        record = Record(
            organization=organization,
            year=row["year"],
            code=row["code"],
            title=row["title"],
            retention_years=row["retention_years"],
            construction=row["construction"],
            classification=max([row["classification"], *(item["classification"] for item in items)]),
            state=RecordState.ARCHIVED,
            language=(row["language"] or "Tiếng Việt")[:50],
            keywords=row["keywords"],
            description=row["description"],
            start_date=row["start_date"],
            end_date=end,
            retention_until=until,
            page_total=row["page_total"],
            imported=True,
            created_by=person,
        )
        record.folded_text = _fold(record.code, record.title, record.keywords, record.description)
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:
            raise ValidationError(
                {"file": [f"Hồ sơ {record.code} năm {record.year} đã có trong lưu trữ; không nhập lại."]}
            ) from None
        files = 0
        for described in items:
            symbol = described["symbol"]
            if not symbol and (described["code_number"] or described["code_notation"]):
                symbol = "-".join(p for p in (described["code_number"], described["code_notation"]) if p)
            item = RecordItem(
                record=record,
                ordinal=described["ordinal"],
                kind=ItemKind.ARCHIVED,
                type_name=described["type_name"],
                symbol=symbol[:100],
                issued_date=described["issued_date"],
                issuer_name=described["organ_name"],
                subject=described["subject"],
                page_count=described["page_amount"],
                classification=described["classification"],
                note=described["description"],
                added_by=person,
            )
            item.folded_text = _fold(item.symbol, item.type_name, item.issuer_name, item.subject)
            item.save()
            for file in described["files"]:
                path = root / file["path"]
                row_file = RecordFile(
                    item=item,
                    original_name=(file["name"] or PurePosixPath(file["path"]).name)[:255],
                    content_type=_sniffed(path, file["content_type"]),
                    size=path.stat().st_size,
                    sha256=file["sha256"],
                    extraction=ExtractionState.UNAVAILABLE,
                    path=file["path"][:500],
                )
                with path.open("rb") as fh:
                    row_file.file.save(_storage_name(row_file.original_name), File(fh), save=False)
                stored.append(row_file.file.name)
                row_file.save()
                files += 1
        audit_record(
            actor=actor,
            action="record.import",
            target=record,
            organization_id=organization.pk,
            after={
                "file_code": f"{row['organ_id']}.{row['year']}.{row['code']}",
                "items": len(items),
                "files": files,
            },
        )
        made.append(record)
    return made


def package_import(*, actor: Actor, organization: Organization, upload: Any) -> list[Record]:
    """Receive a package into ``organization``'s archive (its keepers only): every checksum
    checked, then its records created, archived and marked imported, with their files.
    ``PackageRefused`` (nothing kept) when a byte or an element is wrong."""
    acting_person(actor)
    if not services.may_keep_archive(actor, organization):
        raise PermissionDenied("Chỉ người làm lưu trữ của cơ quan mới nhập gói lưu trữ.")
    work = _temp_dir()
    try:
        zip_path = work / "upload.zip"
        _spool(upload, zip_path)
        unpacked = work / "bag"
        unpacked.mkdir()
        _unzip(zip_path, unpacked)
        zip_path.unlink()
        root = _bag_root(unpacked)
        bag = _verify(root)
        meta = _read(root, bag)
        _check_records(actor, organization, meta["records"])
        with _storing() as stored, transaction.atomic():
            return _create(actor, organization, meta, root, stored)
    finally:
        shutil.rmtree(work, ignore_errors=True)


__all__ = [
    "PackageFile",
    "PackageRefused",
    "make_rendition",
    "package_import",
    "record_package",
    "year_package",
]
