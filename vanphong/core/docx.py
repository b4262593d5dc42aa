"""Building blocks of the .docx files the system writes, laid out as the Party's presentation
rules ask (HD 36-HD/VPTW; FACTS §2.5) or NĐ 30's for a state-style document (FACTS §1.4):
A4, margins top and bottom 20 mm, left 30 mm, right 15 mm (a text area 165 mm wide), Times
New Roman 14; a header table of two rows — body above and issuing body on the left, the
national header on the right; then the number (with a công văn's "V/v" and the framed secrecy
and urgency marks) on the left and the place and date on the right, on the same line —; a
công văn's "Kính gửi:"; "Nơi nhận:" and the signature block at the end.

Widths are set on the table grid as well as on the cells (LibreOffice lays a table out by its
grid). Lengths of printed text are estimated from Times New Roman's metrics (Liberation Serif
has the same), only to size the rules and frames NĐ 30 asks for and to keep the place and
date on one line.

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


TEXT_WIDTH_MM = 165  # A4 210 mm less the left (30) and right (15) margins
CELL_PADDING_MM = 3.81  # the default table's cell margins, 108 twips each side
PARTY_HEADER_SIZE = 15
STATE_HEADER_SIZES = (12, 13)  # Quốc hiệu 12-13 and Tiêu ngữ 13-14 (NĐ 30): the pair that fits
STATE_SIZE = 13  # the issuing body and the number of a state document (NĐ 30: 12-13)
MARK_SIZE = 13
# The printed width (mm) of the motto at size 13 and of an average character, per point of
# size: upper case bold, lower case italic (Times New Roman; Liberation Serif is metric-equal).
MOTTO_MM = 56.1
_CAPS_BOLD_MM_PER_PT = 0.22
_ITALIC_MM_PER_PT = 0.165


def caps_width_mm(text: str, size: float) -> float:
    """About how wide ``text`` prints in bold capitals at ``size`` points."""
    return len(text) * _CAPS_BOLD_MM_PER_PT * size


def italic_width_mm(text: str, size: float) -> float:
    """About how wide ``text`` prints in lower-case italics at ``size`` points (generous)."""
    return len(text) * _ITALIC_MM_PER_PT * size


def _no_borders(table: Table) -> None:
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)


def _borderless_table(docx: DocxDocument, widths_mm: tuple[float, ...], rows: int = 1) -> Table:
    table = docx.add_table(rows=rows, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _no_borders(table)
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)  # the grid, which LibreOffice lays the table out by
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
    return table


def two_columns(docx: DocxDocument, left_mm: float, right_mm: float) -> tuple[_Cell, ...]:
    return tuple(_borderless_table(docx, (left_mm, right_mm)).rows[0].cells)


# What follows w:pBdr in a paragraph's properties (CT_PPr's sequence).
_AFTER_PBDR = (
    *("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct"),
    *("w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd"),
    *("w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents"),
    *("w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap"),
    *("w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange"),
)


def set_border(paragraph: Paragraph, *edges: str, size_pt: float = 0.75, space_pt: int = 1) -> None:
    """A single solid border on the given ``edges`` ("top", "left", "bottom", "right") of the
    paragraph, as wide as the paragraph between its indents."""
    properties = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for edge in edges:
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), str(round(size_pt * 8)))  # eighths of a point
        element.set(qn("w:space"), str(space_pt))
        element.set(qn("w:color"), "000000")
        borders.append(element)
    properties.insert_element_before(borders, *_AFTER_PBDR)


def _centre_within(paragraph: Paragraph, cell_mm: float, length_mm: float) -> None:
    """Indent the paragraph equally on both sides so that it is ``length_mm`` wide, centred in
    a table cell ``cell_mm`` wide."""
    side = max((cell_mm - CELL_PADDING_MM - length_mm) / 2, 0)
    paragraph.paragraph_format.left_indent = Mm(side)
    paragraph.paragraph_format.right_indent = Mm(side)


def add_rule(target: _Cell | DocxDocument, width_mm: float, length_mm: float) -> Paragraph:
    """A short solid horizontal line, centred: an empty, low paragraph with a bottom border."""
    paragraph = target.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph_format = paragraph.paragraph_format
    paragraph_format.space_before, paragraph_format.space_after = Pt(0), Pt(6)
    paragraph_format.line_spacing = Pt(3)
    _centre_within(paragraph, width_mm, length_mm)
    set_border(paragraph, "bottom", space_pt=0)
    mark = OxmlElement("w:rPr")  # the paragraph mark at 1 pt, so that the line stays low
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "2")
    mark.append(size)
    paragraph._p.get_or_add_pPr().insert_element_before(mark, "w:sectPr", "w:pPrChange")
    return paragraph


def add_framed(target: _Cell, text: str, width_mm: float, size: float = MARK_SIZE) -> Paragraph:
    """``text`` in bold capitals in a rectangle a little wider than it, centred in the cell:
    a secrecy or urgency mark (NĐ 30 PL I: a frame in bold capitals; HD 36 boxes 10a, 10b)."""
    paragraph = add_line(target, text, size, bold=True)
    paragraph.paragraph_format.space_before = Pt(4)
    _centre_within(paragraph, width_mm, min(caps_width_mm(text, size) + 8, width_mm - CELL_PADDING_MM))
    set_border(paragraph, "top", "left", "bottom", "right", space_pt=1)
    return paragraph


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


def _header_widths(party: bool, place_date: str, date_size: float) -> tuple[float, float]:
    """(left, right) column widths: the right one as wide as the place and date need (and for
    a state document at least as wide as the Quốc hiệu), within 165 mm."""
    base = 95.0 if party else 100.0
    right = min(max(base, italic_width_mm(place_date, date_size) + CELL_PADDING_MM + 2), 110.0)
    return TEXT_WIDTH_MM - right, right


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
    number_beside_date: bool = False,
) -> None:
    """The header table. First row: body above and issuing body (``orgs.naming.header_names``),
    then "*" (Party) or a short rule (state) on the left; "ĐẢNG CỘNG SẢN VIỆT NAM" (Party) or
    the Quốc hiệu and the Tiêu ngữ with a rule as long as it (state) on the right. Second row,
    on one line (``number_beside_date``; else all in the one row, as the task reports print
    it): the number on the left, with a công văn's "V/v" and the framed secrecy and urgency
    marks under it; the place and date (one line: size 14, or 13 when 14 would not fit) and
    "DỰ THẢO" on the right."""
    date_size: float = BODY_SIZE
    left_mm, right_mm = _header_widths(party, place_date, date_size)
    if italic_width_mm(place_date, date_size) + CELL_PADDING_MM > right_mm:
        date_size = 13
    table = _borderless_table(docx, (left_mm, right_mm), rows=2 if number_beside_date else 1)
    names, national = table.rows[0].cells
    numbers, dating = table.rows[-1].cells
    size = BODY_SIZE if party else STATE_SIZE
    if above:
        add_line(names, above, size, first=True)
    add_line(names, body, size, bold=True, first=not above)
    if party:
        add_line(names, "*", size)
    else:
        # NĐ 30: a solid line 1/3 to 1/2 as long as the name above it, centred under it.
        printed = min(caps_width_mm(body, size), left_mm - CELL_PADDING_MM)
        add_rule(names, left_mm, max(printed * 0.4, 8))
    add_line(numbers, number, size, first=number_beside_date)
    if subject_line:  # HD 36: size 12, italics; NĐ 30: 12-13, upright
        add_line(numbers, subject_line, 12, italic=party)
    for mark in marks:
        if mark:
            add_framed(numbers, mark, left_mm)
    date_align = WD_ALIGN_PARAGRAPH.RIGHT if party else WD_ALIGN_PARAGRAPH.CENTER
    if party:
        add_line(
            national, PARTY_HEADER, PARTY_HEADER_SIZE, bold=True, underline=True, align=date_align, first=True
        )
    else:
        add_line(national, STATE_HEADER[0], STATE_HEADER_SIZES[0], bold=True, first=True)
        motto = add_line(national, STATE_HEADER[1], STATE_HEADER_SIZES[1], bold=True)
        _centre_within(motto, right_mm, MOTTO_MM + 2)
        set_border(motto, "bottom", space_pt=1)
    add_line(dating, place_date, date_size, italic=True, align=date_align, first=number_beside_date)
    if draft:
        add_line(dating, DRAFT_MARK, 14, bold=True, align=date_align)


def write_addressees(docx: DocxDocument, names: Iterable[str], *, party: bool = True) -> None:
    """A công văn's "Kính gửi:": "Kính gửi: Ban Tổ chức Trung ương" centred when there is one
    addressee; else "Kính gửi: - A," with each further one on its own line under the first,
    the last ending in a full stop."""
    names = [name.strip() for name in names if name.strip()]
    if not names:
        return
    if len(names) == 1:
        add_line(docx, f"Kính gửi: {names[0]}", BODY_SIZE)
        return
    separator = "," if party else ";"
    label_mm, indent_mm = 22, 25
    for i, name in enumerate(names):
        end = "." if i == len(names) - 1 else separator
        text = f"Kính gửi:\t- {name}{end}" if i == 0 else f"- {name}{end}"
        paragraph = add_line(docx, text, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.LEFT)
        paragraph.paragraph_format.left_indent = Mm(indent_mm + label_mm)
        if i == 0:
            paragraph.paragraph_format.first_line_indent = Mm(-label_mm)
            paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(indent_mm + label_mm))


def write_closing(
    docx: DocxDocument,
    *,
    recipients: Iterable[str],
    signature_lines: Iterable[str],
    signer_name: str,
    party: bool = True,
    notes: Iterable[str] = (),
) -> None:
    """ "Nơi nhận:" and its lines on the left (then ``notes``, such as the number of copies,
    size 11), the signature block on the right."""
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
    for text in notes:
        add_line(left, text, 11, align=WD_ALIGN_PARAGRAPH.LEFT).paragraph_format.space_before = Pt(6)
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
