"""The records' printed forms, as .docx (python-docx, with ``core.docx``'s building blocks) and
as PDF (WeasyPrint, from an HTML template with A4 CSS, fetching nothing):

* the index of a record (mục lục văn bản, NĐ 30 PL V): its organisation, file code and title,
  a table of its items (STT, số ký hiệu, ngày tháng, tác giả, trích yếu, tờ số, ghi chú), the
  closing line ("Mục lục này gồm … văn bản, … trang") and, once closed, the closing note
  (chứng từ kết thúc);
* its cover (bìa hồ sơ): organisation, "HỒ SƠ SỐ", title, the dates, the pages, the
  retention, and the blanks the archive writes by hand (phông số, mục lục số, hộp số);
* a year's file plan (danh mục hồ sơ), its large headings numbered in Roman numerals.

A classified record carries its mark (MẬT, TỐI MẬT, TUYỆT MẬT) framed at the top of each form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table

from vanphong.core.docx import (
    BODY_SIZE,
    PARTY_HEADER,
    PARTY_HEADER_SIZE,
    add_framed,
    add_line,
    new_page,
    to_bytes,
    two_columns,
)
from vanphong.core.textfold import fold
from vanphong.documents.printing import load_weasyprint
from vanphong.orgs.models import Classification, Organization
from vanphong.orgs.naming import header_names
from vanphong.records.models import FilePlan, Record, RecordItem

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
TABLE_SIZE = 11
BLANK = "…………"

INDEX_COLUMNS = (
    ("STT", 11),
    ("Số, ký hiệu văn bản", 28),
    ("Ngày tháng văn bản", 22),
    ("Tác giả văn bản", 24),
    ("Trích yếu nội dung văn bản", 47),
    ("Tờ số/ Số trang", 15),
    ("Ghi chú", 18),
)
CELL_MARGIN_TWIPS = 57  # 1 mm each side (Word's default is 1.9 mm): a symbol keeps to one line
PLAN_COLUMNS = (
    ("Số và ký hiệu hồ sơ", 24),
    ("Tên đề mục và tiêu đề hồ sơ", 100),
    ("Thời hạn bảo quản", 24),
    ("Đơn vị/Người lập hồ sơ", 60),
    ("Ghi chú", 44),
)  # a landscape A4 less the margins (30 mm left, 15 mm right): 252 mm


# ---------------------------------------------------------------------------- shared


def classification_mark(level: int) -> str:
    """ "MẬT", "TỐI MẬT", "TUYỆT MẬT" for a classified record, "" otherwise."""
    return Classification(level).label.upper() if level > Classification.NONE else ""


def file_stem(text: str) -> str:
    return slugify(fold(text)) or "ho-so"


def download(data: bytes, name: str) -> HttpResponse:
    """A printed form as an attachment, never kept by a shared cache."""
    content_type = PDF if name.endswith(".pdf") else DOCX
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"Không tải tài nguyên bên ngoài khi in: {url}")


def _pdf(template: str, context: dict[str, Any]) -> bytes:
    html_class = load_weasyprint()
    html = render_to_string(template, context)
    return bytes(html_class(string=html, url_fetcher=_refuse_fetch).write_pdf())


def _date(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def roman(number: int) -> str:
    """1 → "I", 4 → "IV", 14 → "XIV": the large headings' numbers of NĐ 30 PL V."""
    values = (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    )
    out = []
    for value, letters in values:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def plan_sections(plan: FilePlan) -> list[dict[str, Any]]:
    """The plan's lines grouped under their large headings, in order: each section has its
    Roman number ("" for lines before any heading), its heading and its items (each with
    ``record_count``, the records opened from it)."""
    sections: list[dict[str, Any]] = []
    items = plan.items.select_related("unit", "person").annotate(record_count=Count("records"))
    for item in items.order_by("order", "pk"):
        if not sections or sections[-1]["heading"] != item.heading:
            sections.append({"heading": item.heading, "items": []})
        sections[-1]["items"].append(item)
    number = 0
    for section in sections:
        if section["heading"]:
            number += 1
            section["number"] = roman(number)
        else:
            section["number"] = ""
    return sections


def _maker(item: Any) -> str:
    parts = [item.unit.name if item.unit else "", item.person.full_name if item.person else ""]
    return " / ".join(p for p in parts if p)


@dataclass(frozen=True)
class IndexRow:
    ordinal: int
    symbol: str
    date: str
    author: str
    subject: str
    pages: str
    note: str

    def cells(self) -> list[str]:
        return [str(self.ordinal), self.symbol, self.date, self.author, self.subject, self.pages, self.note]


def index_rows(record: Record) -> list[IndexRow]:
    """The index's rows; "Tờ số" is the item's first and last page in the record when every
    page count before it is known, else its own page count."""
    rows: list[IndexRow] = []
    sheet: int | None = 1
    items: list[RecordItem] = list(record.items.order_by("ordinal"))
    for item in items:
        pages = ""
        if item.page_count and sheet is not None:
            last = sheet + item.page_count - 1
            pages = f"{sheet}-{last}" if last > sheet else str(sheet)
            sheet = last + 1
        elif item.page_count:
            pages = str(item.page_count)
        else:
            sheet = None
        subject = item.subject
        if item.type_name and not subject.lower().startswith(item.type_name.lower()):
            subject = f"{item.type_name}: {subject}"
        rows.append(
            IndexRow(
                ordinal=item.ordinal,
                symbol=item.symbol,
                date=_date(item.issued_date),
                author=item.issuer_name,
                subject=subject,
                pages=pages,
                note=item.note,
            )
        )
    return rows


def _period(record: Record) -> tuple[str, str]:
    return _date(record.start_date) or BLANK, _date(record.end_date) or BLANK


def _pages(record: Record) -> int | None:
    if record.page_total:
        return record.page_total
    total = sum(item.page_count or 0 for item in record.items.all())
    return total or None


def _organization_names(organization: Organization) -> tuple[str, str]:
    return header_names(organization)


def _record_context(record: Record) -> dict[str, Any]:
    above, body = _organization_names(record.organization)
    start, end = _period(record)
    return {
        "record": record,
        "above": above,
        "body": body,
        "party_header": PARTY_HEADER,
        "mark": classification_mark(record.classification),
        "start": start,
        "end": end,
        "pages": _pages(record),
        "blank": BLANK,
    }


# ---------------------------------------------------------------------------- .docx pieces


def _party_header(docx: DocxDocument, organization: Organization, mark: str = "") -> None:
    """The organisation on the left (body above, issuing body, "*"), the Party's name on the
    right; the classification mark framed under the organisation."""
    above, body = _organization_names(organization)
    left, right = two_columns(docx, 70, 95)
    if above:
        add_line(left, above, BODY_SIZE, first=True)
    add_line(left, body, BODY_SIZE, bold=True, first=not above)
    add_line(left, "*", BODY_SIZE)
    if mark:
        add_framed(left, mark, 70)
    add_line(right, PARTY_HEADER, PARTY_HEADER_SIZE, bold=True, underline=True, first=True)


def _grid(docx: DocxDocument, columns: tuple[tuple[str, int], ...]) -> Table:
    table = docx.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(CELL_MARGIN_TWIPS))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.insert_element_before(
        margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange"
    )
    for column, (_label, width) in zip(table.columns, columns, strict=True):
        column.width = Mm(width)
    for cell, (label, width) in zip(table.rows[0].cells, columns, strict=True):
        cell.width = Mm(width)
        add_line(cell, label, TABLE_SIZE, bold=True, first=True)
    return table


def _row(
    table: Table, values: list[str], columns: tuple[tuple[str, int], ...], *, left: tuple[int, ...]
) -> None:
    cells = table.add_row().cells
    for i, (cell, value, (_label, width)) in enumerate(zip(cells, values, columns, strict=True)):
        cell.width = Mm(width)
        align = WD_ALIGN_PARAGRAPH.LEFT if i in left else WD_ALIGN_PARAGRAPH.CENTER
        add_line(cell, value, TABLE_SIZE, align=align, first=True)


def _paragraph(docx: DocxDocument, text: str, *, bold: bool = False, italic: bool = False) -> None:
    paragraph = add_line(docx, text, 13, bold=bold, italic=italic, align=WD_ALIGN_PARAGRAPH.LEFT)
    paragraph.paragraph_format.space_after = Pt(3)


# ---------------------------------------------------------------------------- the index


def closing_line(record: Record, rows: list[IndexRow]) -> str:
    pages = _pages(record)
    return f"Mục lục này gồm {len(rows)} văn bản, {pages if pages else BLANK} trang."


def index_docx(record: Record) -> bytes:
    rows = index_rows(record)
    docx = new_page()
    _party_header(docx, record.organization, classification_mark(record.classification))
    docx.add_paragraph()
    add_line(docx, "MỤC LỤC VĂN BẢN", 15, bold=True)
    add_line(docx, f"Hồ sơ số: {record.code} — Năm {record.year}", 13)
    add_line(docx, record.title, 13, bold=True)
    add_line(docx, f"Mã hồ sơ: {record.file_code}", 12, italic=True)
    docx.add_paragraph()
    table = _grid(docx, INDEX_COLUMNS)
    for row in rows:
        _row(table, row.cells(), INDEX_COLUMNS, left=(1, 3, 4, 6))
    docx.add_paragraph()
    _paragraph(docx, closing_line(record, rows), italic=True)
    if record.end_date is not None:
        docx.add_paragraph()
        add_line(docx, "CHỨNG TỪ KẾT THÚC", 14, bold=True)
        start, end = _period(record)
        pages = _pages(record)
        _paragraph(docx, f"Hồ sơ này gồm có: {pages if pages else BLANK} tờ/trang, {len(rows)} văn bản.")
        _paragraph(
            docx, f"Thời gian: từ ngày {start} đến ngày {end}. Thời hạn bảo quản: {record.retention_text}."
        )
        if record.closing_note:
            _paragraph(docx, f"Đặc điểm, tình trạng của hồ sơ: {record.closing_note}")
        left, signature = two_columns(docx, 70, 95)
        add_line(left, "", 13, first=True)
        add_line(
            signature,
            f"Ngày {record.end_date:%d} tháng {record.end_date:%m} năm {record.end_date:%Y}",
            13,
            italic=True,
            first=True,
        )
        add_line(signature, "NGƯỜI LẬP HỒ SƠ", 13, bold=True)
        add_line(signature, "(Ký, ghi rõ họ tên)", 12, italic=True)
        for _ in range(3):
            add_line(signature, "", 13)
        add_line(signature, record.closed_by.full_name if record.closed_by else "", 13, bold=True)
    return to_bytes(docx)


def index_pdf(record: Record) -> bytes:
    rows = index_rows(record)
    return _pdf(
        "records/print_index.html",
        {**_record_context(record), "rows": rows, "closing": closing_line(record, rows)},
    )


# ---------------------------------------------------------------------------- the cover


def cover_lines(record: Record) -> list[tuple[str, str]]:
    """The cover's filled-in lines (label, value)."""
    start, end = _period(record)
    pages = _pages(record)
    return [
        ("Từ ngày … đến ngày …", f"Từ ngày {start} đến ngày {end}"),
        ("Số tờ, trang", f"Gồm: {pages if pages else BLANK} tờ/trang"),
        ("Thời hạn bảo quản", f"Thời hạn bảo quản: {record.retention_text}"),
    ]


ARCHIVE_BLANKS = ("Phông số", "Mục lục số", "Hộp số", "Hồ sơ số (theo mục lục nộp lưu)")


def cover_docx(record: Record) -> bytes:
    docx = new_page()
    mark = classification_mark(record.classification)
    above, body = _organization_names(record.organization)
    if mark:
        cell = docx.add_table(rows=1, cols=1).rows[0].cells[0]
        add_framed(cell, mark, 60)
    docx.add_paragraph()
    if above:
        add_line(docx, above, 14)
    add_line(docx, body, 15, bold=True)
    if record.unit is not None:
        add_line(docx, f"Đơn vị: {record.unit.name}", 13)
    for _ in range(4):
        docx.add_paragraph()
    add_line(docx, f"HỒ SƠ SỐ: {record.code}", 18, bold=True)
    docx.add_paragraph()
    add_line(docx, record.title, 16, bold=True)
    docx.add_paragraph()
    for _label, text in cover_lines(record):
        add_line(docx, text, 14)
    for _ in range(4):
        docx.add_paragraph()
    add_line(docx, "Phần Lưu trữ cơ quan ghi", 12, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    for label in ARCHIVE_BLANKS:
        add_line(
            docx, f"{label}: {'.' * 30}", 14, align=WD_ALIGN_PARAGRAPH.LEFT
        ).paragraph_format.space_after = Pt(6)
    return to_bytes(docx)


def cover_pdf(record: Record) -> bytes:
    return _pdf(
        "records/print_cover.html",
        {**_record_context(record), "lines": cover_lines(record), "archive_blanks": ARCHIVE_BLANKS},
    )


# ---------------------------------------------------------------------------- the plan


def plan_title(plan: FilePlan) -> str:
    return f"DANH MỤC HỒ SƠ NĂM {plan.year}"


def plan_docx(plan: FilePlan) -> bytes:
    docx = new_page()
    section = docx.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    columns = PLAN_COLUMNS
    _party_header(docx, plan.organization)
    docx.add_paragraph()
    add_line(docx, plan_title(plan), 15, bold=True)
    add_line(docx, f"của {plan.organization.name}", 14)
    if plan.state != "approved":
        add_line(docx, "(Dự thảo)", 13, italic=True)
    docx.add_paragraph()
    table = _grid(docx, columns)
    for section_ in plan_sections(plan):
        if section_["heading"]:
            cells = table.add_row().cells
            merged = cells[0].merge(cells[-1])
            add_line(
                merged,
                f"{section_['number']}. {section_['heading']}",
                TABLE_SIZE,
                bold=True,
                align=WD_ALIGN_PARAGRAPH.LEFT,
                first=True,
            )
        for item in section_["items"]:
            _row(
                table,
                [item.code, item.title, item.retention_text, _maker(item), item.note],
                columns,
                left=(1, 3, 4),
            )
    docx.add_paragraph()
    count = sum(len(s["items"]) for s in plan_sections(plan))
    _paragraph(docx, f"Danh mục này gồm {count} hồ sơ.", italic=True)
    if plan.approved_by is not None and plan.approved_at is not None:
        _paragraph(
            docx,
            f"Ban hành ngày {timezone.localtime(plan.approved_at):%d/%m/%Y}; "
            f"người duyệt: {plan.approved_by.full_name}.",
            italic=True,
        )
    return to_bytes(docx)


def plan_pdf(plan: FilePlan) -> bytes:
    above, body = _organization_names(plan.organization)
    sections = plan_sections(plan)
    return _pdf(
        "records/print_plan.html",
        {
            "plan": plan,
            "title": plan_title(plan),
            "above": above,
            "body": body,
            "party_header": PARTY_HEADER,
            "sections": [{**s, "rows": [(i, _maker(i)) for i in s["items"]]} for s in sections],
            "count": sum(len(s["items"]) for s in sections),
        },
    )
