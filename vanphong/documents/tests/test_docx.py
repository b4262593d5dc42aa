"""The .docx of an outgoing document: the pieces of the Party layout, in their order."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from docx.shared import Pt

from vanphong.documents.docx_render import render_outgoing_docx
from vanphong.documents.services.outgoing import outgoing_issue
from vanphong.documents.tests.office import docx_to_pdf, pdf_text
from vanphong.documents.tests.test_outgoing_support import approve, make_draft, people_fixture  # noqa: F401
from vanphong.orgs.models import Classification
from vanphong.orgs.naming import header_names


@pytest.fixture
def lam_dong(people):
    committee = people.committee
    committee.name, committee.place_name = "Tỉnh ủy Lâm Đồng", "Lâm Đồng"
    committee.save()
    committee.level.name = "Cấp tỉnh"
    committee.level.save()
    return people


def _blocks(document: docx.document.Document) -> list[str]:
    """Every paragraph's text in reading order, table cells included (row by row)."""
    texts: list[str] = []
    for child in document.element.body.iterchildren():
        if child.tag.endswith("}p"):
            texts.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif child.tag.endswith("}tbl"):
            for cell in child.iter():
                if cell.tag.endswith("}p"):
                    texts.append("".join(t.text or "" for t in cell.iter() if t.tag.endswith("}t")))
    return [t for t in texts if t.strip()]


def _runs(document, text):
    for paragraph in _all_paragraphs(document):
        if paragraph.text == text:
            return paragraph.runs
    raise AssertionError(f"{text!r} not found")


def _all_paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def test_issued_resolution_has_the_party_layout_in_order(lam_dong):
    people = lam_dong
    document = approve(people, make_draft(people, urgency="hoa_toc", classification=Classification.MAT))
    outgoing_issue(actor=people.clerk.user, document=document, issued_date=dt.date(2026, 11, 21))
    document.refresh_from_db()
    result = docx.Document(io.BytesIO(render_outgoing_docx(document)))

    section = result.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.top_margin.mm), round(section.left_margin.mm), round(section.right_margin.mm)) == (
        20,
        30,
        15,
    )
    blocks = _blocks(result)
    expected = [
        "ĐẢNG BỘ TỈNH LÂM ĐỒNG",
        "TỈNH ỦY",
        "*",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        # The header's second row: the number (and the marks under it), level with the date.
        "Số 01-NQ/TU",
        "MẬT",
        "HỎA TỐC",
        "Lâm Đồng, ngày 21 tháng 11 năm 2026",
        "NGHỊ QUYẾT",
        "Nghị quyết về phát triển kinh tế số tỉnh",
        "Ban Thường vụ Tỉnh ủy quyết nghị.",
        "Giao các cấp ủy tổ chức thực hiện.",
        "Nơi nhận:",
        "- Đảng ủy xã An Phú (để thực hiện),",
        "- Ban Chấp hành Trung ương,",
        "- Lưu Văn phòng Tỉnh ủy.",
        "T/M BAN THƯỜNG VỤ",
        "BÍ THƯ",
        "leader",
    ]
    positions = [blocks.index(piece) for piece in expected]
    assert positions == sorted(positions), blocks
    assert "DỰ THẢO" not in blocks

    body_run = _runs(result, "TỈNH ỦY")[0]
    assert body_run.bold and body_run.font.name == "Times New Roman"
    header = _runs(result, "ĐẢNG CỘNG SẢN VIỆT NAM")[0]
    assert header.bold and header.underline
    assert _runs(result, "Lâm Đồng, ngày 21 tháng 11 năm 2026")[0].italic
    assert _runs(result, "NGHỊ QUYẾT")[0].bold
    assert _runs(result, "Nơi nhận:")[0].font.size == Pt(12)
    assert _runs(result, "- Lưu Văn phòng Tỉnh ủy.")[0].font.size == Pt(11)
    assert _runs(result, "Ban Thường vụ Tỉnh ủy quyết nghị.")[0].font.size == Pt(14)
    assert round(section.bottom_margin.mm) == 20


def test_a_draft_shows_blanks_and_the_draft_mark(lam_dong):
    document = make_draft(lam_dong, doc_type="CV", subject="triển khai chuyển đổi số")
    blocks = _blocks(docx.Document(io.BytesIO(render_outgoing_docx(document))))
    assert "Số      -CV/TU" in blocks
    assert "V/v triển khai chuyển đổi số" in blocks  # a công văn carries its subject under the number
    assert "DỰ THẢO" in blocks
    assert "CÔNG VĂN" not in blocks
    assert any(b.startswith("Lâm Đồng, ngày") for b in blocks)


def test_header_names_for_a_commune_and_an_agency(lam_dong):
    people = lam_dong
    people.commune_x.refresh_from_db()
    assert header_names(people.commune_x) == ("ĐẢNG BỘ TỈNH LÂM ĐỒNG", "ĐẢNG ỦY XÃ AN PHÚ")
    people.office.refresh_from_db()
    assert header_names(people.office) == ("TỈNH ỦY LÂM ĐỒNG", "VĂN PHÒNG")


def test_libreoffice_converts_the_docx_to_pdf(lam_dong, tmp_path):
    document = make_draft(lam_dong)
    pdf = docx_to_pdf(render_outgoing_docx(document), tmp_path, "van-ban")
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    for piece in ("ĐẢNG CỘNG SẢN VIỆT NAM", "TỈNH ỦY", "NGHỊ QUYẾT", "Nơi nhận:"):
        assert piece in text, text


def test_a_reports_part_headings_are_bold_and_nothing_else(people):  # noqa: F811
    body = "\n".join(
        [
            "I. TÌNH HÌNH CHUNG",
            "- Tình hình ổn định.",
            "XIV. KIẾN NGHỊ",
            "II. Kết quả thực hiện",  # not in capitals: an ordinary line
            "CV. GỬI CÁC BAN",  # not a Roman numeral
            "IIII. SAI SỐ",
        ]
    )
    document = make_draft(people, doc_type="BC", body=body)
    paragraphs = {p.text: p for p in docx.Document(io.BytesIO(render_outgoing_docx(document))).paragraphs}
    bold = {text for text, p in paragraphs.items() if p.runs and all(r.bold for r in p.runs)}
    assert {"I. TÌNH HÌNH CHUNG", "XIV. KIẾN NGHỊ"} <= bold
    assert not {"- Tình hình ổn định.", "II. Kết quả thực hiện", "CV. GỬI CÁC BAN", "IIII. SAI SỐ"} & bold
