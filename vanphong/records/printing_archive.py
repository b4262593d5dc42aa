"""The two papers of a transfer to the agency archive (NĐ 30/2020/NĐ-CP, Điều 31; FACTS §1.10),
each as a .docx laid out with ``core.docx``'s blocks and as a PDF made by WeasyPrint:

* the transfer list, "MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU" — STT; số, ký hiệu hồ sơ; tiêu đề;
  thời gian tài liệu; thời hạn bảo quản; số tờ/số trang; ghi chú;
* the hand-over minutes, "BIÊN BẢN Về việc giao nhận tài liệu" — the body of records, its
  time span, the number of boxes and of files, their condition, and the signatures of the
  two parties (Đại diện bên giao, Đại diện bên nhận).

Both are printed in two copies, one kept by each party. Only the records still on the list are
printed: one not received at the hand-over was taken off it and stays with its unit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from vanphong.core.docx import BODY_SIZE, add_line, new_page, to_bytes, two_columns, write_header
from vanphong.core.vndate import format_vn_date
from vanphong.documents.printing import load_weasyprint
from vanphong.orgs.naming import CLASSIFICATION_MARKS, header_names, issued_place
from vanphong.records.models import Record, Transfer, TransferState

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
LIST_TITLE = "MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU"
MINUTES_TITLE = "BIÊN BẢN"
MINUTES_SUBJECT = "Về việc giao nhận tài liệu"
LIST_COLUMNS = (
    ("STT", 10),
    ("Số, ký hiệu hồ sơ", 22),
    ("Tiêu đề hồ sơ", 55),
    ("Thời gian tài liệu", 25),
    ("Thời hạn bảo quản", 18),
    ("Số tờ/ số trang", 15),
    ("Ghi chú", 20),
)
TABLE_SIZE = 12


@dataclass(frozen=True)
class ListRow:
    number: int
    code: str
    title: str
    period: str
    retention: str
    pages: str
    note: str


def _date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def period_of(record: Record) -> str:
    """Thời gian tài liệu: from the record's start to its end ("02/01/2026 – 10/3/2026")."""
    start, end = _date(record.start_date), _date(record.end_date)
    return f"{start} – {end}" if end and end != start else start


def records_of(transfer: Transfer) -> list[Record]:
    return list(transfer.records.select_related("organization").order_by("year", "code", "pk"))


def list_rows(transfer: Transfer, records: list[Record] | None = None) -> list[ListRow]:
    rows = []
    for number, record in enumerate(records if records is not None else records_of(transfer), start=1):
        notes = [CLASSIFICATION_MARKS.get(record.classification, ""), record.description]
        rows.append(
            ListRow(
                number=number,
                code=f"{record.code}/{record.year}",
                title=record.title,
                period=period_of(record),
                retention=record.retention_text,
                pages=str(record.page_total) if record.page_total else "",
                note="; ".join(n for n in notes if n),
            )
        )
    return rows


def handing_party(transfer: Transfer) -> str:
    """Bên giao: the unit handing over, else the organisation itself."""
    if transfer.unit_id and transfer.unit is not None:
        return f"{transfer.unit.name} – {transfer.organization.name}"
    return transfer.organization.name


def time_span(records: list[Record]) -> str:
    """The years the documents cover: "2025" or "2024 – 2026"."""
    years = sorted(
        {r.start_date.year for r in records} | {r.end_date.year for r in records if r.end_date is not None}
    )
    if not years:
        return ""
    return str(years[0]) if years[0] == years[-1] else f"{years[0]} – {years[-1]}"


def _place_date(transfer: Transfer, day: dt.date) -> str:
    place = issued_place(transfer.organization)
    date = format_vn_date(day, long=True)
    return f"{place}, {date}" if place else date[0].upper() + date[1:]


def _day(transfer: Transfer) -> dt.date:
    if transfer.handed_over_at is not None:
        return timezone.localdate(transfer.handed_over_at)
    return timezone.localdate()


def file_name(transfer: Transfer, doc: str, extension: str) -> str:
    """ "Muc-luc-nop-luu-12.docx", "Bien-ban-giao-nhan-12.pdf": ASCII names."""
    stem = "Muc-luc-nop-luu" if doc == "list" else "Bien-ban-giao-nhan"
    return f"{stem}-{transfer.pk}.{extension}"


# ---------------------------------------------------------------------------- .docx


def _cell_text(cell: Any, text: str, *, bold: bool = False, align: Any = WD_ALIGN_PARAGRAPH.LEFT) -> None:
    add_line(cell, text, TABLE_SIZE, bold=bold, align=align, first=True)


def _grid_borders(table: Any) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _repeat_header(row: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)


def _header(docx: Any, transfer: Transfer, day: dt.date) -> None:
    above, body = header_names(transfer.organization)
    write_header(
        docx,
        above=above,
        body=body,
        number="",
        place_date=_place_date(transfer, day),
        party=True,
        number_beside_date=True,
    )


def transfer_list_docx(transfer: Transfer) -> bytes:
    records = records_of(transfer)
    docx = new_page()
    _header(docx, transfer, _day(transfer))
    docx.add_paragraph()
    add_line(docx, LIST_TITLE, 15, bold=True)
    add_line(docx, f"Đơn vị nộp lưu: {handing_party(transfer)}", BODY_SIZE)
    add_line(docx, f"Đợt nộp lưu số {transfer.pk}", 13, italic=True)
    docx.add_paragraph()
    table = docx.add_table(rows=1, cols=len(LIST_COLUMNS))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _grid_borders(table)
    for column, (_label, width) in zip(table.columns, LIST_COLUMNS, strict=True):
        column.width = Mm(width)
    head = table.rows[0]
    _repeat_header(head)
    for cell, (label, width) in zip(head.cells, LIST_COLUMNS, strict=True):
        cell.width = Mm(width)
        _cell_text(cell, label, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    numbers = table.add_row()
    for i, (cell, (_label, width)) in enumerate(zip(numbers.cells, LIST_COLUMNS, strict=True), start=1):
        cell.width = Mm(width)
        _cell_text(cell, f"({i})", align=WD_ALIGN_PARAGRAPH.CENTER)
    center = WD_ALIGN_PARAGRAPH.CENTER
    for row in list_rows(transfer, records):
        cells = table.add_row().cells
        values = (
            (str(row.number), center),
            (row.code, center),
            (row.title, WD_ALIGN_PARAGRAPH.LEFT),
            (row.period, center),
            (row.retention, center),
            (row.pages, center),
            (row.note, WD_ALIGN_PARAGRAPH.LEFT),
        )
        for cell, (text, align), (_label, width) in zip(cells, values, LIST_COLUMNS, strict=True):
            cell.width = Mm(width)
            _cell_text(cell, text, align=align)
    docx.add_paragraph()
    total = add_line(
        docx,
        f"Mục lục này gồm {len(records)} hồ sơ (đơn vị bảo quản).",
        BODY_SIZE,
        align=WD_ALIGN_PARAGRAPH.LEFT,
    )
    total.paragraph_format.space_after = Pt(12)
    _signatures(docx, transfer, left_title="NGƯỜI LẬP", right_title="")
    return to_bytes(docx)


def _minutes_paragraphs(transfer: Transfer, records: list[Record], day: dt.date) -> list[str]:
    giver = transfer.handed_by.full_name if transfer.handed_by_id and transfer.handed_by else ""
    taker = transfer.received_by.full_name if transfer.received_by_id and transfer.received_by else ""
    place = issued_place(transfer.organization)
    condition = transfer.condition or "Tài liệu đầy đủ, đúng mục lục."
    blank = ".............................."
    return [
        "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;",
        f"Căn cứ Mục lục hồ sơ, tài liệu nộp lưu đợt số {transfer.pk},",
        f"Hôm nay, {format_vn_date(day, long=True)}{f', tại {place}' if place else ''}, chúng tôi gồm:",
        f"BÊN GIAO: {handing_party(transfer)}, đại diện là ông (bà): {giver or blank}",
        f"BÊN NHẬN: Lưu trữ cơ quan, {transfer.organization.name}, đại diện là ông (bà): {taker or blank}",
        "Thống nhất lập biên bản giao nhận tài liệu với những nội dung cụ thể như sau:",
        f"1. Tên khối tài liệu giao nộp: Tài liệu của {handing_party(transfer)}.",
        f"2. Thời gian của tài liệu: {time_span(records) or '.....'}.",
        f"3. Số lượng tài liệu: {transfer.boxes or '.....'} hộp (cặp); "
        f"{len(records)} hồ sơ (đơn vị bảo quản).",
        f"4. Tình trạng tài liệu giao nộp: {condition}",
        "5. Mục lục hồ sơ, tài liệu nộp lưu kèm theo.",
        "Biên bản này được lập thành hai bản; bên giao giữ một bản, bên nhận (Lưu trữ cơ quan) giữ một bản.",
    ]


def _signatures(docx: Any, transfer: Transfer, *, left_title: str, right_title: str) -> None:
    left, right = two_columns(docx, 82, 83)
    giver = transfer.handed_by.full_name if transfer.handed_by_id and transfer.handed_by else ""
    taker = transfer.received_by.full_name if transfer.received_by_id and transfer.received_by else ""
    for cell, title, name in ((left, left_title, giver), (right, right_title, taker)):
        if not title:
            continue
        add_line(cell, title, BODY_SIZE, bold=True, first=True)
        add_line(cell, "(Ký, ghi rõ họ tên)", 13, italic=True)
        for _ in range(3):
            add_line(cell, "", BODY_SIZE)
        add_line(cell, name, BODY_SIZE, bold=True)


def transfer_minutes_docx(transfer: Transfer) -> bytes:
    records = records_of(transfer)
    day = _day(transfer)
    docx = new_page()
    _header(docx, transfer, day)
    docx.add_paragraph()
    add_line(docx, MINUTES_TITLE, 15, bold=True)
    add_line(docx, MINUTES_SUBJECT, BODY_SIZE, bold=True)
    add_line(docx, "-----", BODY_SIZE)
    docx.add_paragraph()
    for text in _minutes_paragraphs(transfer, records, day):
        paragraph = add_line(docx, text, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        paragraph.paragraph_format.first_line_indent = Mm(10)
        paragraph.paragraph_format.space_after = Pt(6)
    docx.add_paragraph()
    _signatures(docx, transfer, left_title="ĐẠI DIỆN BÊN GIAO", right_title="ĐẠI DIỆN BÊN NHẬN")
    return to_bytes(docx)


# ---------------------------------------------------------------------------- PDF


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"Không tải tài nguyên bên ngoài khi in: {url}")


def _pdf(template: str, context: dict[str, Any]) -> bytes:
    html_class = load_weasyprint()
    html = render_to_string(template, context)
    return bytes(html_class(string=html, url_fetcher=_refuse_fetch).write_pdf())


def _print_context(transfer: Transfer) -> dict[str, Any]:
    records = records_of(transfer)
    day = _day(transfer)
    above, body = header_names(transfer.organization)
    return {
        "transfer": transfer,
        "records": records,
        "rows": list_rows(transfer, records),
        "above": above,
        "body": body,
        "place_date": _place_date(transfer, day),
        "party": handing_party(transfer),
        "handed_over": transfer.state == TransferState.HANDED_OVER,
        "list_title": LIST_TITLE,
        "minutes_title": MINUTES_TITLE,
        "minutes_subject": MINUTES_SUBJECT,
        "paragraphs": _minutes_paragraphs(transfer, records, day),
        "giver": transfer.handed_by.full_name if transfer.handed_by_id and transfer.handed_by else "",
        "taker": transfer.received_by.full_name if transfer.received_by_id and transfer.received_by else "",
    }


def transfer_list_pdf(transfer: Transfer) -> bytes:
    return _pdf("records/transfer_print_list.html", _print_context(transfer))


def transfer_minutes_pdf(transfer: Transfer) -> bytes:
    return _pdf("records/transfer_print_minutes.html", _print_context(transfer))


def render(transfer: Transfer, doc: str, format: str) -> tuple[bytes, str, str]:  # noqa: A002 - the query's name
    """(bytes, content type, file name) of ``doc`` ("list" or "minutes") as ``format``
    ("docx" or "pdf"); ValueError for another."""
    makers = {
        ("list", "docx"): transfer_list_docx,
        ("list", "pdf"): transfer_list_pdf,
        ("minutes", "docx"): transfer_minutes_docx,
        ("minutes", "pdf"): transfer_minutes_pdf,
    }
    maker = makers.get((doc, format))
    if maker is None:
        raise ValueError(f"{doc}/{format}")
    return maker(transfer), DOCX if format == "docx" else PDF, file_name(transfer, doc, format)


__all__ = [
    "list_rows",
    "render",
    "transfer_list_docx",
    "transfer_list_pdf",
    "transfer_minutes_docx",
    "transfer_minutes_pdf",
]
