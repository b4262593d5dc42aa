"""Reading the text of a document's file: what kind of file it really is, its text, and
OCR of scans. Pure functions on a path; the jobs and services store what comes out.

* Text PDFs: pypdf, page by page. A page with (almost) no text layer is a scan.
* DOCX: python-docx, paragraphs and tables in the order of the body; pages split where the
  document has a hard page break.
* Scans (images, PDFs without a text layer): OCRmyPDF with Tesseract's Vietnamese model, run
  as a child process so that a time limit really stops it (OCRmyPDF's own worker pool cannot
  be interrupted from a Celery soft time limit, and a crash of Ghostscript or Tesseract
  stays outside the worker). Where Tesseract or its Vietnamese data is missing the file is
  marked UNAVAILABLE with a note, and everything else keeps working.
* Text in the legacy TCVN3 or VNI encodings is converted to Unicode (``legacy_encodings``).
* Every step is bounded before it reads (``vanphong.core.limits``): a .docx by its zip's
  central directory, an image by the pixels its header declares, a PDF by its page count
  (text and OCR). A file over a limit comes back FAILED and ``refused`` with the Vietnamese
  reason, as does a job stopped by its soft time limit or out of memory.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils.translation import gettext as _

from vanphong.core import limits
from vanphong.core.files import DOCX, IMAGE_TYPES, PDF
from vanphong.documents import legacy_encodings
from vanphong.documents.models import ExtractionState

logger = logging.getLogger(__name__)


# A page whose text layer has fewer letters than this is treated as a scan.
MIN_LETTERS_PER_PAGE = 25
# The extraction jobs' soft and hard time limits, in seconds (settings).
JOB_SOFT_TIME_LIMIT = int(getattr(settings, "VANPHONG_EXTRACT_SOFT_TIME_LIMIT", 600))
JOB_TIME_LIMIT = int(getattr(settings, "VANPHONG_EXTRACT_TIME_LIMIT", 660))
# Time limits of one OCR run, in seconds: a whole file in the background job (stopped
# before the job's soft limit, so the job still records why); the first page for the
# capture endpoint, where a person is waiting.
OCR_TIME_LIMIT = max(JOB_SOFT_TIME_LIMIT - 30, 30)
CAPTURE_OCR_TIME_LIMIT = 90

NO_OCR_NOTE = "Máy chủ chưa cài Tesseract (gói tesseract-ocr-vie): chưa nhận dạng được bản quét."


@dataclass
class Extracted:
    state: str
    text: str = ""
    pages: list[str] = field(default_factory=list)
    ocr: bool = False
    note: str = ""
    derived: Path | None = None  # the OCR'd PDF, in the caller's work folder
    refused: bool = False  # over a limit (``note`` says which): never read again by itself

    @property
    def first_page(self) -> str:
        return self.pages[0] if self.pages else self.text


def ocr_available() -> bool:
    """Tesseract is installed with its Vietnamese data."""
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        return False
    try:
        listed = subprocess.run(  # noqa: S603 - fixed arguments, the binary found on PATH
            [tesseract, "--list-langs"], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return "vie" in (listed.stdout + listed.stderr).split()


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


def pdf_pages(path: Path, *, first_and_last: bool = False) -> list[str]:
    """The text of each page; only the first and the last with ``first_and_last`` (what
    capture reads). ``UnsafeFile`` past VANPHONG_PDF_TEXT_MAX_PAGES, before any is read."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    count = len(reader.pages)
    if first_and_last:
        wanted = sorted({0, count - 1}) if count else []
    else:
        limits.check_pdf_pages(count, ocr=False)
        wanted = list(range(count))
    return [(reader.pages[index].extract_text() or "").strip() for index in wanted]


def docx_pages(path: Path) -> list[str]:
    """Paragraphs and table cells in body order; a hard page break starts a new page."""
    from docx import Document as DocxDocument
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    limits.check_zip(path)  # python-docx unpacks and parses every part: bounded first
    document = DocxDocument(str(path))
    pages: list[list[str]] = [[]]

    def paragraph(p: Paragraph) -> None:
        breaks = p._p.findall(".//" + qn("w:br"))
        if any(b.get(qn("w:type")) == "page" for b in breaks) and pages[-1]:
            pages.append([])
        if p.text.strip():
            pages[-1].append(p.text.strip())

    def table(t: Table) -> None:
        for row in t.rows:
            seen: set[int] = set()
            for cell in row.cells:
                if id(cell._tc) in seen:  # a merged cell appears once per grid column
                    continue
                seen.add(id(cell._tc))
                for block in cell.iter_inner_content():
                    if isinstance(block, Paragraph):
                        paragraph(block)
                    else:
                        table(block)

    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            paragraph(block)
        else:
            table(block)
    return ["\n".join(lines) for lines in pages]


def run_ocr(
    source: Path, workdir: Path, *, image: bool, first_page_only: bool, time_limit: int
) -> tuple[Path, list[str]]:
    """OCR ``source`` into ``workdir``: (the searchable PDF, the text of each page)."""
    output = workdir / "ocr.pdf"
    sidecar = workdir / "ocr.txt"
    command = [
        sys.executable,
        "-m",
        "ocrmypdf",
        "--language",
        "vie",
        "--skip-text",
        "--output-type",
        "pdf",
        "--sidecar",
        str(sidecar),
        "--quiet",
        "--max-image-mpixels",
        str(limits.limit("VANPHONG_IMAGE_MAX_MPIXELS")),
    ]
    if image:
        command += ["--image-dpi", "300"]
    if first_page_only:
        command += ["--pages", "1"]
    command += [str(source), str(output)]
    subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        command, check=True, capture_output=True, timeout=time_limit, cwd=workdir
    )
    text = sidecar.read_text(encoding="utf-8") if sidecar.exists() else ""
    pages = [page.strip() for page in text.split("\f")]
    while pages and not pages[-1]:
        pages.pop()
    return output, pages


def extract(
    path: Path,
    content_type: str,
    *,
    workdir: Path,
    first_page_only: bool = False,
    time_limit: int = OCR_TIME_LIMIT,
) -> Extracted:
    """The text of the file at ``path``. Never raises for a bad file: a file that cannot be
    read comes back FAILED with a note."""
    try:
        if content_type == DOCX:
            result = Extracted(state=ExtractionState.DONE, pages=docx_pages(path))
        elif content_type == PDF:
            pages = pdf_pages(path, first_and_last=first_page_only)
            scanned = not pages or _letters("".join(pages)) < MIN_LETTERS_PER_PAGE * len(pages)
            if first_page_only and pages:
                scanned = _letters(pages[0]) < MIN_LETTERS_PER_PAGE
            if scanned and not first_page_only:
                limits.check_pdf_pages(len(pages), ocr=True)
            result = (
                _ocr(path, workdir, image=False, first_page_only=first_page_only, time_limit=time_limit)
                if scanned
                else Extracted(state=ExtractionState.DONE, pages=pages)
            )
        elif content_type in IMAGE_TYPES:
            limits.check_image(path)
            result = _ocr(path, workdir, image=True, first_page_only=False, time_limit=time_limit)
        else:
            return Extracted(state=ExtractionState.FAILED, note=_("Không đọc được loại tệp này."))
    except limits.UnsafeFile as exc:
        logger.warning("refused to read %s: %s", path, exc)
        return Extracted(state=ExtractionState.FAILED, note=str(exc), refused=True)
    except SoftTimeLimitExceeded:
        logger.warning("reading %s stopped by the job's soft time limit", path)
        return Extracted(state=ExtractionState.FAILED, note=time_limit_note(), refused=True)
    except MemoryError:
        logger.warning("reading %s ran out of memory", path)
        return Extracted(state=ExtractionState.FAILED, note=memory_note(), refused=True)
    except subprocess.TimeoutExpired:
        logger.warning("OCR of %s stopped after %s s", path, time_limit)
        return Extracted(
            state=ExtractionState.FAILED,
            note=_("Nhận dạng ký tự quá %(seconds)s giây nên đã dừng.") % {"seconds": time_limit},
        )
    except subprocess.CalledProcessError as exc:
        logger.warning("OCR of %s failed: %s", path, exc.stderr[-2000:] if exc.stderr else exc)
        return Extracted(state=ExtractionState.FAILED, note=_("Nhận dạng ký tự (OCR) bị lỗi."))
    except Exception:  # a damaged PDF or DOCX: recorded on the file, never a crash of the job
        logger.exception("could not read the text of %s", path)
        return Extracted(state=ExtractionState.FAILED, note=_("Tệp bị hỏng hoặc không đọc được nội dung."))
    return _unicode(result)


def time_limit_note() -> str:
    return _("Đọc nội dung tệp quá %(seconds)s giây nên đã dừng; không đọc lại tệp này.") % {
        "seconds": JOB_SOFT_TIME_LIMIT
    }


def memory_note() -> str:
    return _("Đọc nội dung tệp cần quá nhiều bộ nhớ nên đã dừng; không đọc lại tệp này.")


def _ocr(path: Path, workdir: Path, *, image: bool, first_page_only: bool, time_limit: int) -> Extracted:
    if not ocr_available():
        return Extracted(state=ExtractionState.UNAVAILABLE, note=NO_OCR_NOTE)
    derived, pages = run_ocr(
        path, workdir, image=image, first_page_only=first_page_only, time_limit=time_limit
    )
    return Extracted(state=ExtractionState.DONE, pages=pages, ocr=True, derived=derived)


def _unicode(result: Extracted) -> Extracted:
    """Text typed in TCVN3 or VNI, converted to Unicode, with a note saying so."""
    result.text = "\n\n".join(p for p in result.pages if p)
    encoding = legacy_encodings.detect(result.text)
    if encoding != legacy_encodings.UNICODE:
        result.pages = [legacy_encodings.to_unicode(p, encoding) for p in result.pages]
        result.text = legacy_encodings.to_unicode(result.text, encoding)
        result.note = legacy_encodings.NOTES[encoding]
    return result


def extract_to_temp(path: Path, content_type: str, **kwargs: object) -> tuple[Extracted, Path]:
    """``extract`` with a fresh work folder, which the caller removes (``shutil.rmtree``)."""
    workdir = Path(tempfile.mkdtemp(prefix="vanphong-extract-"))
    return extract(path, content_type, workdir=workdir, **kwargs), workdir  # type: ignore[arg-type]
