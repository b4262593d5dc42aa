"""The records' printed forms: the index (mục lục văn bản), the cover (bìa hồ sơ) and the file
plan, as .docx (read back with python-docx, and once by LibreOffice) and as PDF (read back
with poppler's pdftotext); a classified record carries its mark."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from docx import Document as read_docx

from vanphong.documents.tests.office import docx_to_pdf, pdf_text
from vanphong.orgs.models import Classification
from vanphong.records import printing, services
from vanphong.records.tests.conftest import document, open_record

pytestmark = pytest.mark.django_db


def pdftotext(data: bytes) -> str:
    binary = shutil.which("pdftotext")
    if binary is None:
        pytest.skip("pdftotext không có trên máy này (apt-get install poppler-utils)")
    result = subprocess.run(  # noqa: S603 - a fixed binary, no shell
        [binary, "-layout", "-", "-"], input=data, capture_output=True, check=True, timeout=60
    )
    return " ".join(result.stdout.decode().split())


def docx_text(data: bytes) -> tuple[str, list[list[str]]]:
    """All the text of a .docx, and the rows of its grid (the table with the most rows)."""
    docx = read_docx(io.BytesIO(data))
    paragraphs = "\n".join(p.text for p in docx.paragraphs)
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in docx.tables]
    cells = "\n".join(" ".join(row) for table in tables for row in table)
    return paragraphs + "\n" + cells, max(tables, key=len, default=[])


@pytest.fixture
def closed(province, plan):
    record = open_record(province, plan, "02.TH")
    services.record_file(
        actor=province.clerk.user,
        record=record,
        document=document(
            province,
            symbol="27-BC/VPTU",
            subject="Báo cáo công tác tháng 1",
            page_count=3,
            issuer_name="Văn phòng",
            issued_date=dt.date(2026, 1, 30),
        ),
    )
    services.record_file(
        actor=province.clerk.user,
        record=record,
        document=document(province, symbol="31-BC/VPTU", subject="Báo cáo công tác quý I", page_count=5),
    )
    return services.record_close(
        actor=province.specialist.user,
        record=record,
        end_date=dt.date(2026, 4, 10),
        closing_note="Đủ văn bản.",
    )


def test_the_index_docx_holds_the_rows_and_the_closing_note(closed):
    text, rows = docx_text(printing.index_docx(closed))
    assert "MỤC LỤC VĂN BẢN" in text and closed.title in text and closed.file_code in text
    header = rows[0]
    assert header[0] == "STT" and "Trích yếu nội dung văn bản" in header
    assert rows[1][:4] == ["1", "27-BC/VPTU", "30/01/2026", "Văn phòng"]
    assert "Báo cáo công tác tháng 1" in rows[1][4] and rows[1][5] == "1-3"
    assert rows[2][5] == "4-8"  # the sheets run on from the first document's
    assert "Mục lục này gồm 2 văn bản, 8 trang." in text
    assert "CHỨNG TỪ KẾT THÚC" in text and "Đủ văn bản." in text


def test_the_index_pdf_shows_the_title_and_a_row(closed):
    data = printing.index_pdf(closed)
    assert data.startswith(b"%PDF")
    text = pdftotext(data)
    assert "MỤC LỤC VĂN BẢN" in text and "27-BC/VPTU" in text and "CHỨNG TỪ KẾT THÚC" in text


def test_the_cover_names_the_record_and_leaves_the_archives_blanks(closed):
    text, _rows = docx_text(printing.cover_docx(closed))
    assert f"HỒ SƠ SỐ: {closed.code}" in text and closed.title in text
    assert "Từ ngày 02/01/2026 đến ngày 10/04/2026" in text
    assert "Thời hạn bảo quản: 5 năm" in text and "Gồm: 8 tờ/trang" in text
    for label in ("Phông số", "Mục lục số", "Hộp số"):
        assert label in text
    data = printing.cover_pdf(closed)
    assert data.startswith(b"%PDF")
    shown = pdftotext(data)
    assert f"HỒ SƠ SỐ: {closed.code}" in shown and "Phông số" in shown and "Hộp số" in shown


def test_a_classified_record_carries_its_mark(province, plan):
    record = open_record(province, plan)
    services.record_file(
        actor=province.chief.user,
        record=record,
        document=document(province, classification=Classification.TOI_MAT, subject="Kế hoạch"),
    )
    record.refresh_from_db()
    text, _rows = docx_text(printing.index_docx(record))
    assert "TỐI MẬT" in text
    assert "TỐI MẬT" in docx_text(printing.cover_docx(record))[0]
    assert "TỐI MẬT" in pdftotext(printing.cover_pdf(record))


def test_the_plan_prints_with_roman_headings(province, plan):
    text, rows = docx_text(printing.plan_docx(plan))
    assert "DANH MỤC HỒ SƠ NĂM 2026" in text
    assert any(row[0].startswith("I. Tổng hợp") for row in rows)
    assert any(row[0].startswith("II. Hành chính, quản trị") for row in rows)
    assert rows[3][:3] == ["02.TH", "Báo cáo tháng, quý của Văn phòng Tỉnh ủy", "5 năm"]
    data = printing.plan_pdf(plan)
    assert data.startswith(b"%PDF")
    shown = pdftotext(data)
    assert "DANH MỤC HỒ SƠ NĂM 2026" in shown and "II. Hành chính, quản trị" in shown and "04.HC" in shown


def test_libreoffice_reads_the_index(closed, tmp_path):
    text = pdf_text(docx_to_pdf(printing.index_docx(closed), tmp_path / "lo", stem="muc-luc"))
    assert "MỤC LỤC VĂN BẢN" in text and "27-BC/VPTU" in text and "Báo cáo công tác quý I" in text, text


def test_the_print_links_download_for_readers(client, settings, province, closed):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    client.force_login(province.clerk.user)
    for name in ("records:record_index", "records:record_cover"):
        response = client.get(reverse(name, args=[closed.pk]), {"format": "docx"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "attachment" in response["Content-Disposition"]
        pdf = client.get(reverse(name, args=[closed.pk]), {"format": "pdf"})
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    plan_pdf = client.get(reverse("records:plan_print", args=[closed.plan_item.plan_id]), {"format": "pdf"})
    assert plan_pdf.status_code == 200 and plan_pdf.content.startswith(b"%PDF")
    assert client.get(reverse("records:record_index", args=[closed.pk]), {"format": "odt"}).status_code == 404
