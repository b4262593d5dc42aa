"""Reading files: the real type from the bytes, text of PDFs and DOCX, OCR of scans (or a
clear note when the server has no Tesseract), legacy encodings converted."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from vanphong.core import files
from vanphong.demo import documents_files as demo_files
from vanphong.documents import extraction, legacy_encodings
from vanphong.documents.models import ExtractionState

OCR_READY = extraction.ocr_available() and shutil.which("pdftoppm") is not None
needs_ocr = pytest.mark.skipif(
    not OCR_READY and os.environ.get("CI") != "true",
    reason="Tesseract with Vietnamese data (tesseract-ocr-vie) or pdftoppm is not installed",
)


def docx_bytes(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    from docx import Document as DocxDocument

    document = DocxDocument()
    document.add_paragraph(paragraphs[0])
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    for text in paragraphs[1:]:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def demo():
    return demo_files.demo_documents()[0]


def test_the_type_comes_from_the_bytes_not_the_name(tmp_path, demo):
    assert files.sniff(write(tmp_path, "a.docx", demo_files.render_pdf(demo))) == files.PDF
    assert files.sniff(write(tmp_path, "a.pdf", demo_files.render_docx(demo))) == files.DOCX
    assert files.sniff(write(tmp_path, "scan", b"\x89PNG\r\n\x1a\n" + b"0" * 20)) == files.PNG
    assert files.sniff(write(tmp_path, "scan", b"\xff\xd8\xff\xe0" + b"0" * 20)) == files.JPEG
    assert files.sniff(write(tmp_path, "scan", b"II*\x00" + b"0" * 20)) == files.TIFF


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (files.OLE_SIGNATURE + b"0" * 100, "Word 97-2003"),
        (b"MZ\x90\x00 this is a program", "Không nhận loại tệp này"),
        (b"<html><script>alert(1)</script></html>", "Không nhận loại tệp này"),
    ],
)
def test_old_word_files_programs_and_web_pages_are_refused_in_vietnamese(tmp_path, data, message):
    with pytest.raises(files.UnsupportedFile, match=message):
        files.sniff(write(tmp_path, "van-ban.pdf", data))


def test_a_zip_that_is_not_a_word_document_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("virus.exe", b"MZ")
    with pytest.raises(files.UnsupportedFile, match="không phải văn bản Word"):
        files.sniff(write(tmp_path, "van-ban.docx", buffer.getvalue()))


def test_a_text_pdf_is_read_page_by_page_without_ocr(tmp_path, demo):
    path = write(tmp_path, "a.pdf", demo_files.render_pdf(demo))
    result = extraction.extract(path, files.PDF, workdir=tmp_path)
    assert result.state == ExtractionState.DONE
    assert not result.ocr and result.derived is None
    assert len(result.pages) == 1
    assert demo.symbol in result.first_page
    assert "Nguyễn Văn Hùng" in result.text


def test_a_docx_is_read_with_its_tables_in_body_order(tmp_path):
    data = docx_bytes(["Mở đầu", "Kết thúc"], table=[["TỈNH ỦY LÂM ĐỒNG", "ĐẢNG CỘNG SẢN VIỆT NAM"]])
    result = extraction.extract(write(tmp_path, "a.docx", data), files.DOCX, workdir=tmp_path)
    assert result.state == ExtractionState.DONE
    assert result.text.splitlines() == ["Mở đầu", "TỈNH ỦY LÂM ĐỒNG", "ĐẢNG CỘNG SẢN VIỆT NAM", "Kết thúc"]


def test_a_docx_typed_in_tcvn3_is_stored_in_unicode_with_a_note(tmp_path):
    legacy = legacy_encodings.from_unicode("Nghị quyết về phát triển kinh tế - xã hội của Tỉnh ủy", "tcvn3")
    result = extraction.extract(write(tmp_path, "a.docx", docx_bytes([legacy])), files.DOCX, workdir=tmp_path)
    assert result.text == "Nghị quyết về phát triển kinh tế - xã hội của Tỉnh ủy"
    assert result.note == "Đã chuyển mã TCVN3 sang Unicode."


def test_a_damaged_file_fails_with_a_note_instead_of_crashing(tmp_path):
    path = write(tmp_path, "a.pdf", b"%PDF-1.7\nthis is not really a pdf")
    result = extraction.extract(path, files.PDF, workdir=tmp_path)
    assert result.state in {ExtractionState.FAILED, ExtractionState.UNAVAILABLE}
    assert result.note


def test_without_tesseract_a_scan_is_marked_unavailable_and_nothing_breaks(tmp_path, monkeypatch):
    monkeypatch.setattr(extraction, "ocr_available", lambda: False)
    path = write(tmp_path, "scan.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    result = extraction.extract(path, files.PNG, workdir=tmp_path)
    assert result.state == ExtractionState.UNAVAILABLE
    assert result.note == "Máy chủ chưa cài Tesseract (gói tesseract-ocr-vie): chưa nhận dạng được bản quét."
    assert result.text == ""


@needs_ocr
def test_a_scanned_page_is_read_by_ocr_in_vietnamese_with_a_searchable_pdf_beside_it(tmp_path, demo):
    pdf = write(tmp_path, "a.pdf", demo_files.render_pdf(demo))
    subprocess.run(
        ["pdftoppm", "-r", "300", "-png", "-f", "1", "-l", "1", pdf, tmp_path / "scan"], check=True
    )
    image = next(tmp_path.glob("scan*.png"))
    result = extraction.extract(image, files.PNG, workdir=tmp_path, time_limit=600)
    assert result.state == ExtractionState.DONE, result.note
    assert result.ocr
    assert result.derived is not None and result.derived.read_bytes().startswith(b"%PDF-")
    assert demo.symbol in result.text
    assert "Nghị quyết" in result.text or "NGHỊ QUYẾT" in result.text
