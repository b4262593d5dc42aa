"""The .docx of an outgoing document, laid out as the Party's presentation rules ask
(HD 36-HD/VPTW; FACTS §2.5), or NĐ 30's for a state-style document (FACTS §1.4).

A4, margins top and bottom 20 mm, left 30 mm, right 15 mm, Times New Roman 14. From the
top: a header table — on the left the body above (the Đảng bộ, or the committee an agency
serves), the issuing body in bold, "*" and "Số 15-NQ/TU", with the secrecy and urgency marks
under it; on the right "ĐẢNG CỘNG SẢN VIỆT NAM" bold and underlined, then the place and date
in italics — the type name in bold capitals and the subject under it, the body, then a
table with "Nơi nhận:" on the left (size 12, the recipients in size 11) and the signature
block on the right. A draft carries "DỰ THẢO" and blanks where number and date go.

The pieces (``new_page``, ``write_header``, ``add_line``, ``two_columns``, ``write_closing``)
also lay out the other documents the system writes, such as the task reports.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from docx import Document as new_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from vanphong.orgs.models import Classification, Organization, OrgKind

from . import doctypes
from .models import Document, DocumentState, Style, Urgency
from .services.outgoing import issued_place, recipients_text, signature_block
from .vndate import format_vn_date

FONT = "Times New Roman"
BODY_SIZE = 14
PARTY_HEADER = "ĐẢNG CỘNG SẢN VIỆT NAM"
STATE_HEADER = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
CLASSIFICATION_MARKS = {
    Classification.MAT: "MẬT",
    Classification.TOI_MAT: "TỐI MẬT",
    Classification.TUYET_MAT: "TUYỆT MẬT",
}
URGENCY_MARKS = {Urgency.URGENT: "KHẨN", Urgency.VERY_URGENT: "THƯỢNG KHẨN", Urgency.FLASH: "HỎA TỐC"}
DRAFT_MARK = "DỰ THẢO"


def _upper(text: str) -> str:
    return text.strip().upper()


def _strip_suffix(text: str, suffix: str) -> str:
    if suffix and text.lower().endswith(suffix.lower()) and len(text) > len(suffix):
        return text[: -len(suffix)].strip()
    return text


def _level_word(organization: Organization) -> str:
    name = organization.level.name if organization.level_id else ""
    return name.removeprefix("Cấp ").removeprefix("cấp ").strip().lower()


def _party_body(organization: Organization) -> str:
    """The Đảng bộ a top committee leads: "Đảng bộ tỉnh Lâm Đồng"."""
    level, place = _level_word(organization), organization.place_name
    return " ".join(part for part in ("Đảng bộ", level, place) if part)


def header_names(organization: Organization) -> tuple[str, str]:
    """(body above, issuing body) as the header prints them, upper case:
    Tỉnh ủy → ("ĐẢNG BỘ TỈNH LÂM ĐỒNG", "TỈNH ỦY"); Đảng ủy xã → (its province's Đảng bộ,
    "ĐẢNG ỦY XÃ AN PHÚ"); Văn phòng Tỉnh ủy → ("TỈNH ỦY LÂM ĐỒNG", "VĂN PHÒNG")."""
    parent = organization.parent if organization.parent_id else None
    hosted_parent = parent if parent is not None and parent.hosted else None
    if organization.kind == OrgKind.COMMITTEE:
        top = organization
        while top.parent_id and top.parent.hosted and top.parent.kind == OrgKind.COMMITTEE:
            top = top.parent
        body = organization.name
        if top.pk == organization.pk:
            body = _strip_suffix(organization.name, organization.place_name)
        return _upper(_party_body(top)), _upper(body)
    if hosted_parent is not None:
        body = _strip_suffix(organization.name, hosted_parent.short_name)
        return _upper(hosted_parent.name), _upper(body)
    return "", _upper(organization.name)


def set_font(run, size: float, *, bold: bool = False, italic: bool = False, underline: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.underline = underline
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)


def add_line(
    target: _Cell | object,
    text: str,
    size: float = BODY_SIZE,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
    first: bool = False,
) -> Paragraph:
    paragraph = target.paragraphs[0] if first else target.add_paragraph()  # type: ignore[attr-defined]
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.space_before = Pt(0)
    set_font(paragraph.add_run(text), size, bold=bold, italic=italic, underline=underline)
    return paragraph


def _no_borders(table) -> None:
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)


def two_columns(docx, left_mm: float, right_mm: float):
    table = docx.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _no_borders(table)
    for cell, width in zip(table.rows[0].cells, (left_mm, right_mm), strict=True):
        cell.width = Mm(width)
    return table.rows[0].cells


def number_line(document: Document) -> str:
    """ "Số 15-NQ/TU" (Party, no colon) or "Số: 15/QĐ-UBND" (state); blanks on a draft."""
    label = "Số" if document.style == Style.PARTY else "Số:"
    if document.symbol:
        return f"{label} {document.symbol}"
    abbreviation = document.organization.abbreviation
    if document.style == Style.PARTY:
        return f"{label}      -{document.doc_type}/{abbreviation}"
    entry = doctypes.doc_type(document.doc_type, Style.STATE)
    code = f"{document.doc_type}-" if entry is not None and entry.in_symbol else ""
    return f"{label}      /{code}{abbreviation}"


def place_and_date(document: Document) -> str:
    """ "Lâm Đồng, ngày 21 tháng 11 năm 2026" (NĐ 30 leading zeros), or blanks on a draft."""
    place = document.issued_place or issued_place(document.organization)
    if document.issued_date:
        date = format_vn_date(document.issued_date, long=True)
    else:
        date = "ngày      tháng      năm 20"
    return f"{place}, {date}" if place else date[0].upper() + date[1:]


def _body_text(document: Document) -> str:
    version = document.versions.order_by("-number").first()
    return version.body if version is not None else ""


def new_page():
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
    docx,
    *,
    organization: Organization,
    number: str,
    place_date: str,
    party: bool = True,
    subject_line: str = "",
    marks: Iterable[str | None] = (),
    draft: bool = False,
) -> None:
    """The header table: body above, issuing body, "*" (Party), number, a công văn's
    "V/v" line and the secrecy and urgency marks on the left; the national header and the
    place and date on the right."""
    above, body = header_names(organization)
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
    docx, *, recipients: Iterable[str], signature_lines: Iterable[str], signer_name: str, party: bool = True
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


def to_bytes(docx) -> bytes:
    out = io.BytesIO()
    docx.save(out)
    return out.getvalue()


def render_outgoing_docx(document: Document) -> bytes:
    docx = new_page()
    party = document.style == Style.PARTY
    is_letter = document.doc_type == "CV"
    write_header(
        docx,
        organization=document.organization,
        number=number_line(document),
        place_date=place_and_date(document),
        party=party,
        subject_line=f"V/v {document.subject}" if is_letter else "",
        marks=(CLASSIFICATION_MARKS.get(document.classification), URGENCY_MARKS.get(document.urgency)),
        draft=document.state != DocumentState.ISSUED,
    )

    docx.add_paragraph()
    if not is_letter:
        name = doctypes.name_of(document.doc_type, document.style) or document.doc_type
        add_line(docx, _upper(name), 16, bold=True)
        add_line(docx, document.subject, 14, bold=True)
        add_line(docx, "-----", 14)
    for text in _body_text(document).splitlines():
        if not text.strip():
            continue
        paragraph = add_line(docx, text.strip(), BODY_SIZE, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        paragraph.paragraph_format.first_line_indent = Mm(10)
        paragraph.paragraph_format.space_after = Pt(6)

    docx.add_paragraph()
    block = signature_block(document)
    write_closing(
        docx,
        recipients=(document.recipients_text or recipients_text(document)).splitlines(),
        signature_lines=block.lines,
        signer_name=block.name,
        party=party,
    )
    return to_bytes(docx)
