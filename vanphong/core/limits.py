"""Bounds on unpacking and parsing the files people upload, checked BEFORE anything is read.

A 0.9 MB .docx can unpack to hundreds of megabytes (a "decompression bomb"), a tiny PNG can
declare 50 000 x 50 000 pixels, a PDF can hold thousands of pages to OCR. Every reader of
an uploaded file asks here first, from what the file declares (a zip's central directory,
an image's header, a PDF's page count), and gets ``UnsafeFile`` with a Vietnamese reason
instead of doing unbounded work. The limits come from settings (docs/configuration.md).

``zipfile`` stops a member at the size its central directory declares (then fails on the
CRC), so checking the declared sizes bounds what deflate can produce; other compression
methods (bzip2, LZMA) decompress a whole read at once and are refused.
"""

from __future__ import annotations

import struct
import warnings
import zipfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

MB = 1024 * 1024

# Defaults when a setting is absent (the settings module sets them from the environment).
DEFAULTS = {
    "VANPHONG_UNPACK_MAX_MB": 50,  # everything in one zip (.docx), uncompressed
    "VANPHONG_UNPACK_MEMBER_MAX_MB": 20,  # one member of a zip, uncompressed
    "VANPHONG_UNPACK_MAX_RATIO": 100,  # uncompressed / compressed, for members over 1 MB
    "VANPHONG_UNPACK_MAX_MEMBERS": 5000,  # members of one zip
    "VANPHONG_XML_MAX_MB": 10,  # one XML part, before parsing
    "VANPHONG_IMAGE_MAX_MPIXELS": 50,  # one image (or TIFF page), before decoding
    "VANPHONG_OCR_MAX_PAGES": 50,  # pages of a scan sent to OCR
    "VANPHONG_PDF_TEXT_MAX_PAGES": 2000,  # pages of a PDF whose text layer is read
}
# Members smaller than this are not held to the ratio (a small, very regular XML part
# compresses far better than 100:1 and is harmless).
RATIO_FLOOR = 1 * MB
# The central directory is read into memory by ``zipfile``: bounded before it is.
MAX_DIRECTORY_BYTES = 8 * MB

_XML_SUFFIXES = (".xml", ".rels", ".vml")
_SAFE_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


class UnsafeFile(Exception):
    """Reading this file would take unbounded memory or time; the message (Vietnamese)
    says why and is shown to the user or kept as the file's extraction note."""


def limit(name: str) -> int:
    """The setting ``name`` (one of ``DEFAULTS``), as an integer."""
    return int(getattr(settings, name, DEFAULTS[name]))


def _refuse_zip() -> str:
    return _("Không đọc nội dung tệp này")


def _zip_directory(path: Path) -> tuple[int, int] | None:
    """(members, directory bytes) declared by the end-of-central-directory record (zip64
    included), read from the file's tail; None when there is no such record."""
    size = path.stat().st_size
    tail = min(size, 22 + 0xFFFF)
    with path.open("rb") as fh:
        fh.seek(size - tail)
        data = fh.read(tail)
        at = data.rfind(b"PK\x05\x06")
        if at < 0 or len(data) - at < 22:
            return None
        members, directory = struct.unpack("<HI", data[at + 10 : at + 16])
        if members != 0xFFFF and directory != 0xFFFFFFFF:
            return members, directory
        # Zip64: the locator sits right before the record and points at the zip64 record.
        locator = data[at - 20 : at] if at >= 20 else b""
        if not locator.startswith(b"PK\x06\x07"):
            return None
        (offset,) = struct.unpack("<Q", locator[8:16])
        if offset > size - 56:
            return None
        fh.seek(offset)
        record = fh.read(56)
        if not record.startswith(b"PK\x06\x06"):
            return None
        members64, directory64 = struct.unpack("<QQ", record[32:48])
        return members64, directory64


def check_zip_directory(path: Path) -> None:
    """Refuse a zip whose central directory is too large to list (what ``zipfile`` reads
    into memory on opening). Cheap: reads the file's last 64 KB."""
    declared = _zip_directory(path)
    if declared is None:
        return
    members, directory = declared
    most = limit("VANPHONG_UNPACK_MAX_MEMBERS")
    if members > most or directory > MAX_DIRECTORY_BYTES:
        raise UnsafeFile(
            _("Tệp nén có quá nhiều thành phần (tối đa %(count)s): %(refuse)s.")
            % {"count": most, "refuse": _refuse_zip()}
        )


def check_zip(path: Path) -> None:
    """Refuse a zip (a .docx) from its central directory alone, before any member is
    unpacked: too many members, an unsupported compression method, a member or an XML part
    too large, a compression ratio typical of a bomb, or too much in all. A damaged zip
    passes: its reader reports it."""
    check_zip_directory(path)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        return
    total_most = limit("VANPHONG_UNPACK_MAX_MB")
    member_most = limit("VANPHONG_UNPACK_MEMBER_MAX_MB")
    xml_most = limit("VANPHONG_XML_MAX_MB")
    ratio_most = limit("VANPHONG_UNPACK_MAX_RATIO")
    total = 0
    for info in infos:
        size = info.file_size
        if info.compress_type not in _SAFE_METHODS:
            raise UnsafeFile(
                _("Tệp nén dùng kiểu nén không được hỗ trợ: %(refuse)s.") % {"refuse": _refuse_zip()}
            )
        if size > member_most * MB:
            raise UnsafeFile(
                _("Một thành phần của tệp bung ra lớn hơn %(mb)s MB: %(refuse)s.")
                % {"mb": member_most, "refuse": _refuse_zip()}
            )
        if info.filename.lower().endswith(_XML_SUFFIXES) and size > xml_most * MB:
            raise UnsafeFile(
                _("Phần nội dung XML của tệp lớn hơn %(mb)s MB: %(refuse)s.")
                % {"mb": xml_most, "refuse": _refuse_zip()}
            )
        if size > RATIO_FLOOR and size > ratio_most * max(info.compress_size, 1):
            raise UnsafeFile(
                _("Tệp có tỉ lệ nén bất thường (hơn %(ratio)s lần), có thể là tệp độc hại: %(refuse)s.")
                % {"ratio": ratio_most, "refuse": _refuse_zip()}
            )
        total += size
        if total > total_most * MB:
            raise UnsafeFile(
                _("Tệp bung ra lớn hơn %(mb)s MB: %(refuse)s.") % {"mb": total_most, "refuse": _refuse_zip()}
            )


def check_image(path: Path) -> None:
    """Refuse an image whose header declares more pixels than the limit (each page of a
    TIFF), or more pages than OCR takes, before any pixel is decoded."""
    from PIL import Image

    most = limit("VANPHONG_IMAGE_MAX_MPIXELS")
    pages_most = limit("VANPHONG_OCR_MAX_PAGES")
    too_large = _("Ảnh quá lớn (hơn %(mpx)s triệu điểm ảnh): không nhận dạng ký tự ảnh này.") % {"mpx": most}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                pages = getattr(image, "n_frames", 1)
                if pages > pages_most:
                    raise UnsafeFile(
                        _("Ảnh có %(count)s trang, quá số trang tối đa %(max)s để nhận dạng ký tự.")
                        % {"count": pages, "max": pages_most}
                    )
                for index in range(pages):
                    if index:
                        image.seek(index)
                    width, height = image.size
                    if width * height > most * 1_000_000:
                        raise UnsafeFile(too_large)
    except Image.DecompressionBombError as exc:
        raise UnsafeFile(too_large) from exc
    except (OSError, ValueError, SyntaxError):
        return  # not an image Pillow reads: OCR reports it


def check_pdf_pages(count: int, *, ocr: bool) -> None:
    """Refuse a PDF with more pages than OCR (``ocr``) or text reading takes."""
    if ocr:
        most = limit("VANPHONG_OCR_MAX_PAGES")
        if count > most:
            raise UnsafeFile(
                _("Bản quét có %(count)s trang, quá số trang tối đa %(max)s để nhận dạng ký tự (OCR).")
                % {"count": count, "max": most}
            )
        return
    most = limit("VANPHONG_PDF_TEXT_MAX_PAGES")
    if count > most:
        raise UnsafeFile(
            _("Tệp PDF có %(count)s trang, quá số trang tối đa %(max)s để đọc nội dung.")
            % {"count": count, "max": most}
        )
