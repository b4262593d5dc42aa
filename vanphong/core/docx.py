"""Building blocks of the .docx files the system writes, laid out as the Party's presentation
rules ask (HD 36-HD/VPTW; FACTS §2.5) or NĐ 30's for a state-style document (FACTS §1.4):
A4, margins top and bottom 20 mm, left 30 mm, right 15 mm, Times New Roman 14; a header
table (body above and issuing body, number and marks on the left; the national header, place
and date on the right); "Nơi nhận:" and the signature block at the end.

Outgoing documents (``documents.docx_render``), the task reports and every later module's
letters are laid out with these pieces; the names they print come from ``orgs.naming``."""

from __future__ import annotations

import io
from collections.abc import Iterable

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

FONT = "Times New Roman"
BODY_SIZE = 14
PARTY_HEADER = "ĐẢNG CỘNG SẢN VIỆT NAM"
STATE_HEADER = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
DRAFT_MARK = "DỰ THẢO"


def set_font(
    run: Run, size: float, *, bold: bool = False, italic: bool = False, underline: bool = False
) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.underline = underline
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)


def add_line(
    target: _Cell | DocxDocument,
    text: str,
    size: float = BODY_SIZE,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
    first: bool = False,
) -> Paragraph:
    paragraph = target.paragraphs[0] if first else target.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.space_before = Pt(0)
    set_font(paragraph.add_run(text), size, bold=bold, italic=italic, underline=underline)
    return paragraph


def _no_borders(table: Table) -> None:
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)


def two_columns(docx: DocxDocument, left_mm: float, right_mm: float) -> tuple[_Cell, ...]:
    table = docx.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _no_borders(table)
    for cell, width in zip(table.rows[0].cells, (left_mm, right_mm), strict=True):
        cell.width = Mm(width)
    return table.rows[0].cells


def new_page() -> DocxDocument:
    """An empty A4 .docx with the margins and body font the presentation rules ask for."""
    docx = new_docx()
    section = docx.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = docx.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_SIZE)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    return docx


def write_header(
    docx: DocxDocument,
    *,
    above: str,
    body: str,
    number: str,
    place_date: str,
    party: bool = True,
    subject_line: str = "",
    marks: Iterable[str | None] = (),
    draft: bool = False,
) -> None:
    """The header table: body above, issuing body (``orgs.naming.header_names``), "*"
    (Party), number, a công văn's "V/v" line and the secrecy and urgency marks on the left;
    the national header and the place and date on the right."""
    left, right = two_columns(docx, 75, 90)
    if above:
        add_line(left, above, 14, first=True)
    add_line(left, body, 14, bold=True, first=not above)
    if party:
        add_line(left, "*", 14)
    add_line(left, number, 14)
    if subject_line:
        add_line(left, subject_line, 12, italic=not party)
    for mark in marks:
        if mark:
            add_line(left, mark, 13, bold=True)
    if party:
        add_line(
            right, PARTY_HEADER, 15, bold=True, underline=True, align=WD_ALIGN_PARAGRAPH.RIGHT, first=True
        )
    else:
        add_line(right, STATE_HEADER[0], 13, bold=True, first=True)
        add_line(right, STATE_HEADER[1], 14, bold=True, underline=True)
    add_line(right, place_date, 14, italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    if draft:
        add_line(right, DRAFT_MARK, 14, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)


def write_closing(
    docx: DocxDocument,
    *,
    recipients: Iterable[str],
    signature_lines: Iterable[str],
    signer_name: str,
    party: bool = True,
) -> None:
    """ "Nơi nhận:" and its lines on the left, the signature block on the right."""
    left, signature = two_columns(docx, 80, 85)
    add_line(
        left,
        "Nơi nhận:",
        12,
        bold=True,
        underline=party,
        italic=not party,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        first=True,
    )
    for text in recipients:
        add_line(left, text, 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    lines = list(signature_lines) or [""]
    for i, text in enumerate(lines):
        add_line(signature, text, 14, bold=True, first=i == 0)
    for _ in range(3):
        add_line(signature, "", 14)
    add_line(signature, signer_name, 14, bold=True)


def to_bytes(docx: DocxDocument) -> bytes:
    out = io.BytesIO()
    docx.save(out)
    return out.getvalue()
