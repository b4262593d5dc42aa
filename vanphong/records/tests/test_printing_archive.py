"""The transfer's papers: the transfer list (mục lục hồ sơ nộp lưu) with its seven columns, and
the hand-over minutes (biên bản giao nhận) with the body of records, its time span, the boxes
and files, the condition and the two parties' signatures; as .docx and PDF."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from docx import Document as Docx

from vanphong.documents.tests.office import docx_to_pdf, pdf_text
from vanphong.records import printing_archive, services
from vanphong.records.models import FilePlan, Record, Transfer
from vanphong.records.tests.conftest import document, open_record

pytestmark = pytest.mark.django_db


def closed(province: Any, plan: FilePlan, code: str, end: dt.date, pages: int) -> Record:
    record = open_record(province, plan, code)
    services.record_file(
        actor=province.clerk.user, record=record, document=document(province, page_count=pages)
    )
    return services.record_close(actor=province.specialist.user, record=record, end_date=end)


@pytest.fixture
def received(province, plan) -> Transfer:
    """Two files handed over in two boxes, a third taken off the list at the hand-over."""
    records = [
        closed(province, plan, "01.TH", dt.date(2026, 1, 31), 12),
        closed(province, plan, "02.TH", dt.date(2026, 2, 5), 7),
        closed(province, plan, "03.HC", dt.date(2026, 3, 10), 3),
    ]
    transfer = services.transfer_create(
        actor=province.specialist.user, organization=province.committee, records=records
    )
    return services.transfer_hand_over(
        actor=province.clerk.user,
        transfer=transfer,
        boxes=2,
        condition="Tài liệu đầy đủ, còn nguyên vẹn",
        removed=[records[2]],
    )


def table_rows(data: bytes) -> list[list[str]]:
    docx = Docx(io.BytesIO(data))
    listing = next(t for t in docx.tables if len(t.columns) == 7)
    return [[cell.text for cell in row.cells] for row in listing.rows]


def paragraphs(data: bytes) -> str:
    docx = Docx(io.BytesIO(data))
    texts = [p.text for p in docx.paragraphs]
    for table in docx.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(texts)


def test_the_transfer_list_has_the_seven_columns_and_one_row_per_file_received(received):
    data = printing_archive.transfer_list_docx(received)
    text = paragraphs(data)
    assert "MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU" in text and "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    rows = table_rows(data)
    assert rows[0] == [
        "STT",
        "Số, ký hiệu hồ sơ",
        "Tiêu đề hồ sơ",
        "Thời gian tài liệu",
        "Thời hạn bảo quản",
        "Số tờ/ số trang",
        "Ghi chú",
    ]
    assert rows[1] == [f"({i})" for i in range(1, 8)]
    assert [row[:2] + row[3:6] for row in rows[2:]] == [
        ["1", "01.TH/2026", "02/01/2026 – 31/01/2026", "Vĩnh viễn", "12"],
        ["2", "02.TH/2026", "02/01/2026 – 05/02/2026", "5 năm", "7"],
    ]
    assert "Mục lục này gồm 2 hồ sơ" in text


def test_the_minutes_record_the_body_span_boxes_condition_and_both_parties(province, received):
    text = paragraphs(printing_archive.transfer_minutes_docx(received))
    assert "BIÊN BẢN" in text and "Về việc giao nhận tài liệu" in text
    assert "Thời gian của tài liệu: 2026." in text
    assert "2 hộp (cặp); 2 hồ sơ (đơn vị bảo quản)" in text
    assert "Tình trạng tài liệu giao nộp: Tài liệu đầy đủ, còn nguyên vẹn" in text
    assert "Tài liệu của Tỉnh ủy Thử nghiệm" in text
    assert "ĐẠI DIỆN BÊN GIAO" in text and "ĐẠI DIỆN BÊN NHẬN" in text
    assert province.clerk.full_name in text and province.specialist.full_name in text


def test_the_pdfs_are_made(received):
    from pypdf import PdfReader

    for maker, words in (
        (printing_archive.transfer_list_pdf, "MỤC LỤC HỒ SƠ"),
        (printing_archive.transfer_minutes_pdf, "ĐẠI DIỆN BÊN NHẬN"),
    ):
        data = maker(received)
        assert data.startswith(b"%PDF")
        text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
        assert words in text


def test_libreoffice_reads_the_minutes(received, tmp_path):
    text = pdf_text(docx_to_pdf(printing_archive.transfer_minutes_docx(received), tmp_path, "bien-ban"))
    assert "Về việc giao nhận tài liệu" in text
    assert "ĐẠI DIỆN BÊN GIAO" in text and "ĐẠI DIỆN BÊN NHẬN" in text
    assert "2 hộp (cặp); 2 hồ sơ (đơn vị bảo quản)" in text


def test_an_unknown_paper_is_refused(received):
    with pytest.raises(ValueError, match="other/docx"):
        printing_archive.render(received, "other", "docx")
