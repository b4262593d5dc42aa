"""Printing a register in the official columns of NĐ 30/2020/NĐ-CP, Phụ lục IV (FACTS §1.6):
Sổ đăng ký văn bản đến, Sổ đăng ký văn bản đi and Sổ theo dõi giải quyết văn bản đến, as a
PDF (WeasyPrint, A4 landscape) or an Excel workbook (openpyxl).

The rows come from ``register_rows``, which applies the need-to-know rule of
``vanphong.documents.access`` in SQL (a classified row is printed only for those who may see
it) and never loads file text. A period is chosen by registration date (the date the number
was given), a calendar year by default.

The Excel workbook is written in openpyxl's write-only mode from an iterator over the rows,
into a temporary file that is then streamed: memory stays flat on 100,000 rows. A PDF is
limited to ``PDF_MAX_ROWS`` rows; a larger period must be narrowed (or exported to Excel).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from vanphong.audit.services import audit_record
from vanphong.core.textfold import fold
from vanphong.documents.access import entries_visible_to
from vanphong.documents.doctypes import name_of
from vanphong.documents.models import (
    Assignment,
    AssignmentRole,
    DocumentLink,
    EntryStatus,
    LinkKind,
    Recipient,
    Register,
    RegisterEntry,
    RegisterKind,
)
from vanphong.documents.numbering import number_text
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import Classification

PDF_MAX_ROWS = 5000
HEADER_ROW = 3  # the Excel sheet's row of column headings, under the title and the subtitle
CHUNK = 1000


class Layout(StrEnum):
    INCOMING = "den"
    OUTGOING = "di"
    FOLLOW_UP = "theo_doi"


class Format(StrEnum):
    PDF = "pdf"
    EXCEL = "xlsx"


LAYOUT_LABELS = {
    Layout.INCOMING: "Sổ đăng ký văn bản đến",
    Layout.OUTGOING: "Sổ đăng ký văn bản đi",
    Layout.FOLLOW_UP: "Sổ theo dõi giải quyết văn bản đến",
}
FORMAT_LABELS = {Format.PDF: "PDF (để in)", Format.EXCEL: "Excel (.xlsx)"}

# (header, Excel column width, kind) — kind "date" cells get the dd/mm/yyyy format.
COLUMNS: dict[Layout, list[tuple[str, int, str]]] = {
    Layout.INCOMING: [
        ("Ngày đến", 12, "date"),
        ("Số đến", 8, "int"),
        ("Tác giả", 28, "text"),
        ("Số, ký hiệu", 16, "text"),
        ("Ngày tháng văn bản", 12, "date"),
        ("Tên loại và trích yếu nội dung", 50, "text"),
        ("Đơn vị hoặc người nhận", 28, "text"),
        ("Ngày chuyển", 12, "date"),
        ("Ký nhận", 12, "text"),
        ("Ghi chú", 20, "text"),
    ],
    Layout.OUTGOING: [
        ("Số, ký hiệu", 16, "text"),
        ("Ngày tháng văn bản", 12, "date"),
        ("Tên loại và trích yếu nội dung", 50, "text"),
        ("Người ký", 22, "text"),
        ("Nơi nhận", 30, "text"),
        ("Đơn vị, người nhận bản lưu", 22, "text"),
        ("Số lượng bản", 8, "int"),
        ("Ngày chuyển", 12, "date"),
        ("Ký nhận", 12, "text"),
        ("Ghi chú", 20, "text"),
    ],
    Layout.FOLLOW_UP: [
        ("Số đến", 8, "int"),
        ("Tên loại, số, ký hiệu, ngày, cơ quan ban hành văn bản", 50, "text"),
        ("Đơn vị/người nhận", 28, "text"),
        ("Thời hạn giải quyết", 12, "date"),
        ("Tiến độ giải quyết", 24, "text"),
        ("Số, ký hiệu văn bản trả lời", 20, "text"),
        ("Ghi chú", 20, "text"),
    ],
}

TITLES = {
    Layout.INCOMING: "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN",
    Layout.OUTGOING: "SỔ ĐĂNG KÝ VĂN BẢN ĐI",
    Layout.FOLLOW_UP: "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN",
}
ROLE_ORDER: dict[str, int] = {AssignmentRole.LEAD: 0, AssignmentRole.COOPERATE: 1, AssignmentRole.INFORM: 2}
ROLE_WORDS: dict[str, str] = {
    AssignmentRole.LEAD: "chủ trì",
    AssignmentRole.COOPERATE: "phối hợp",
    AssignmentRole.INFORM: "để biết",
}


def layouts_for(register: Register) -> list[Layout]:
    if register.kind == RegisterKind.INCOMING:
        return [Layout.INCOMING, Layout.FOLLOW_UP]
    return [Layout.OUTGOING]


def title_for(register: Register, layout: Layout) -> str:
    if layout == Layout.OUTGOING and register.kind == RegisterKind.COPY:
        return "SỔ ĐĂNG KÝ VĂN BẢN SAO"
    return TITLES[layout]


def classification_mark(register: Register) -> str:
    """The mark a printed classified book carries on its cover and on every page ("MẬT"),
    "" for an ordinary book."""
    return Classification.MAT.label.upper() if register.classified else ""


def year_period(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def period_words(date_from: dt.date, date_to: dt.date) -> str:
    if (date_from.month, date_from.day, date_to.month, date_to.day) == (1, 1, 12, 31) and (
        date_from.year == date_to.year
    ):
        return f"Năm {date_from.year}"
    return f"Từ ngày {date_from:%d/%m/%Y} đến ngày {date_to:%d/%m/%Y}"


# --- Rows ------------------------------------------------------------------------------------


def _bounds(date_from: dt.date, date_to: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


_ENTRY_FIELDS = (
    "id",
    "register_id",
    "organization_id",
    "document_id",
    "series",
    "number",
    "classification",
    "status",
    "received_at",
    "registered_at",
    "copies_count",
    "notes",
    "processed_at",
    "document__id",
    "document__style",
    "document__doc_type",
    "document__symbol",
    "document__issuer_name",
    "document__issued_date",
    "document__subject",
    "document__signer_name",
    "document__recipients_text",
    "document__issuer__name",
    "document__created_by__full_name",
    "document__created_by__unit__name",
)


# A book is printed in number order: series by series (one per year in a yearly book; the
# classified series after the ordinary one; one per type in a Party outgoing book), each from
# 01 up. The period is taken by registration date, and a number's series follows its
# registration date (``entry_register``), so the book of year Y holds year Y's numbers only.
PRINT_ORDER = ("series", "number", "id")


def register_rows(
    *, user: Actor, register: Register, layout: Layout, date_from: dt.date, date_to: dt.date
) -> QuerySet[RegisterEntry]:
    """The entries of ``register`` registered within the period that ``user`` may see, in
    register order, with what the layout's columns need (and nothing wide)."""
    start, end = _bounds(date_from, date_to)
    qs = entries_visible_to(
        user, RegisterEntry.objects.filter(register=register, registered_at__gte=start, registered_at__lt=end)
    )
    qs = qs.select_related("document", "document__issuer", "document__created_by__unit").only(*_ENTRY_FIELDS)
    if layout in (Layout.INCOMING, Layout.FOLLOW_UP):
        qs = qs.prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("organization", "unit", "person")
                .only(
                    "id",
                    "entry_id",
                    "role",
                    "due_date",
                    "created_at",
                    "organization__short_name",
                    "unit__name",
                    "person__full_name",
                )
                .order_by("id"),
            )
        )
    if layout == Layout.FOLLOW_UP:
        qs = qs.prefetch_related(
            Prefetch(
                "document__links_in",
                queryset=DocumentLink.objects.filter(kind=LinkKind.REPLIES_TO)
                .select_related("source")
                .only("id", "target_id", "kind", "source__id", "source__symbol")
                .order_by("id"),
                to_attr="replies",
            )
        )
    if layout == Layout.OUTGOING:
        qs = qs.prefetch_related(
            Prefetch(
                "document__recipients",
                queryset=Recipient.objects.select_related("organization")
                .only("id", "document_id", "delivered_at", "organization__short_name")
                .order_by("id"),
            )
        )
    return qs.order_by(*PRINT_ORDER)


def _local_date(value: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(value) if value is not None else None


def _type_and_subject(document: Any) -> str:
    type_name = name_of(document.doc_type, document.style) if document.doc_type else None
    subject = document.subject.strip()
    if not type_name or subject.lower().startswith(type_name.lower()):
        return subject
    return f"{type_name} {subject}"


def _target_name(assignment: Assignment) -> str:
    if assignment.organization is not None:
        return assignment.organization.short_name
    if assignment.unit is not None:
        return assignment.unit.name
    return assignment.person.full_name if assignment.person is not None else ""


def _receivers(entry: RegisterEntry, *, with_inform: bool) -> str:
    ranked = sorted(entry.assignments.all(), key=lambda a: (ROLE_ORDER.get(a.role, 9), a.pk))
    parts = [
        f"{_target_name(a)} ({ROLE_WORDS[a.role]})"
        for a in ranked
        if with_inform or a.role != AssignmentRole.INFORM
    ]
    return "; ".join(parts)


def _notes(entry: RegisterEntry) -> str:
    parts = []
    if entry.classification > Classification.NONE:
        parts.append(str(Classification(entry.classification).label))
    if entry.notes:
        parts.append(entry.notes)
    return "; ".join(parts)


def _incoming_row(entry: RegisterEntry) -> list[Any]:
    doc = entry.document
    assignments = list(entry.assignments.all())
    sent = min((a.created_at for a in assignments), default=None)
    return [
        _local_date(entry.received_at or entry.registered_at),
        entry.number,
        doc.issuer.name if doc.issuer is not None else doc.issuer_name,
        doc.symbol,
        doc.issued_date,
        _type_and_subject(doc),
        _receivers(entry, with_inform=True),
        _local_date(sent),
        "",
        _notes(entry),
    ]


def _outgoing_row(entry: RegisterEntry) -> list[Any]:
    doc = entry.document
    recipients = list(doc.recipients.all())
    delivered = min((r.delivered_at for r in recipients if r.delivered_at), default=None)
    creator = doc.created_by
    kept_by = ""
    if creator is not None:
        kept_by = creator.unit.name if creator.unit is not None else creator.full_name
    return [
        doc.symbol or number_text(entry.number),
        doc.issued_date or _local_date(entry.registered_at),
        _type_and_subject(doc),
        doc.signer_name,
        doc.recipients_text.strip() or ", ".join(r.organization.short_name for r in recipients),
        kept_by,
        entry.copies_count,
        _local_date(delivered),
        "",
        _notes(entry),
    ]


def _follow_up_row(entry: RegisterEntry, today: dt.date) -> list[Any]:
    doc = entry.document
    type_name = name_of(doc.doc_type, doc.style) if doc.doc_type else None
    described = " ".join(
        part
        for part in (
            type_name or "Văn bản",
            f"số {doc.symbol}" if doc.symbol else "",
            f"ngày {doc.issued_date:%d/%m/%Y}" if doc.issued_date else "",
            f"của {doc.issuer.name if doc.issuer is not None else doc.issuer_name}"
            if (doc.issuer is not None or doc.issuer_name)
            else "",
        )
        if part
    )
    acting = [a for a in entry.assignments.all() if a.role != AssignmentRole.INFORM]
    due = min((a.due_date for a in acting if a.due_date), default=None)
    if entry.status == EntryStatus.DONE:
        done_on = _local_date(entry.processed_at)
        progress = f"Đã xử lý xong ngày {done_on:%d/%m/%Y}" if done_on else str(EntryStatus.DONE.label)
        if done_on and due and done_on > due:
            progress += " (quá hạn)"
    else:
        progress = str(EntryStatus(entry.status).label)
        if due and due < today:
            progress += "; quá hạn"
    replies = "; ".join(link.source.symbol for link in doc.replies if link.source.symbol)  # type: ignore[attr-defined]  # to_attr of register_rows
    return [
        entry.number,
        described,
        _receivers(entry, with_inform=False),
        due,
        progress,
        replies,
        _notes(entry),
    ]


def row_values(layout: Layout, entries: Iterable[RegisterEntry]) -> Iterator[list[Any]]:
    today = timezone.localdate()
    for entry in entries:
        if layout == Layout.INCOMING:
            yield _incoming_row(entry)
        elif layout == Layout.OUTGOING:
            yield _outgoing_row(entry)
        else:
            yield _follow_up_row(entry, today)


# --- Output ----------------------------------------------------------------------------------


@dataclass
class PrintOutput:
    file: IO[bytes]
    filename: str
    content_type: str
    rows: int


def _excel(
    *, register: Register, layout: Layout, title: str, subtitle: str, period: str, rows: Iterable[list[Any]]
) -> tuple[IO[bytes], int]:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    columns = COLUMNS[layout]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title="Sổ")
    for index, (_header, width, _kind) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A4"
    # Printed like the PDF: A4 landscape, every column on the page's width, the column headings
    # repeated at the top of each page.
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    single_line = Alignment(wrap_text=False, vertical="top", horizontal="center")
    heading = Alignment(wrap_text=True, vertical="center", horizontal="center")

    def cell(value: Any, *, font: Font | None = None, alignment: Alignment | None = None) -> WriteOnlyCell:
        c = WriteOnlyCell(ws, value=value)
        if font is not None:
            c.font = font
        if alignment is not None:
            c.alignment = alignment
        return c

    ws.append([cell(title, font=Font(bold=True, size=14))])
    ws.append([cell(subtitle)])
    ws.append([cell(header, font=bold, alignment=heading) for header, _w, _k in columns])
    count = 0
    for values in rows:
        out = []
        for value, (_header, _width, kind) in zip(values, columns, strict=True):
            c = cell(value, alignment=single_line if kind in ("date", "int") else wrap)
            if kind == "date":
                c.number_format = "DD/MM/YYYY"
            out.append(c)
        ws.append(out)
        count += 1
    target = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    wb.save(target)
    target.seek(0)
    return target, count


# The PDF page: A4 landscape less the margins of print.html. A date (dd/mm/yyyy at 10.5pt
# in a serif face, with the cell's padding) needs 21 mm to stay on one line; a number 12 mm.
PDF_PAGE_WIDTH_MM = 297 - 15 - 12
PDF_FIXED_MM = {"date": 22.0, "int": 13.0}


def pdf_column_widths(columns: list[tuple[str, int, str]]) -> list[float]:
    """Column widths in per cent of the PDF table: dates and numbers a fixed width that holds
    them on one line, the text columns sharing the rest in proportion to their Excel widths."""
    fixed = sum(PDF_FIXED_MM.get(kind, 0.0) for _h, _w, kind in columns)
    text_total = sum(w for _h, w, kind in columns if kind not in PDF_FIXED_MM)
    left = PDF_PAGE_WIDTH_MM - fixed
    widths_mm = [PDF_FIXED_MM.get(kind) or left * w / text_total for _h, w, kind in columns]
    return [round(100 * mm / PDF_PAGE_WIDTH_MM, 1) for mm in widths_mm]


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    # The print template links nothing; never let a rendered value make WeasyPrint fetch.
    raise ValueError(f"Không tải tài nguyên bên ngoài khi in: {url}")


def load_weasyprint() -> Any:
    """WeasyPrint's HTML class, or a Vietnamese error when its system libraries (pango)
    cannot be loaded on this server."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        raise ValidationError(
            "Máy chủ chưa có thư viện cần cho việc in PDF (WeasyPrint, Pango). Vui lòng xuất Excel "
            "hoặc báo quản trị viên cài đặt."
        ) from exc
    return HTML


def _pdf(
    *, register: Register, layout: Layout, title: str, subtitle: str, period: str, rows: Iterable[list[Any]]
) -> tuple[IO[bytes], int]:
    html_class = load_weasyprint()
    columns = COLUMNS[layout]
    body = []
    for values in rows:
        body.append(
            [
                (
                    value.strftime("%d/%m/%Y")
                    if isinstance(value, dt.date)
                    else ("" if value is None else value)
                )
                for value in values
            ]
        )
    html = render_to_string(
        "documents/registers/print.html",
        {
            "register": register,
            "organization": register.organization,
            "mark": classification_mark(register),
            "title": title,
            "subtitle": subtitle,
            "period": period,
            "columns": columns,
            "col_widths": pdf_column_widths(columns),
            "numeric_columns": [i for i, (_h, _w, kind) in enumerate(columns) if kind in ("int", "date")],
            "date_columns": [i for i, (_h, _w, kind) in enumerate(columns) if kind == "date"],
            "rows": body,
            "printed_at": timezone.localtime(),
        },
    )
    target = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    html_class(string=html, url_fetcher=_refuse_fetch).write_pdf(target=target)
    target.seek(0)
    return target, len(body)


def register_print(
    *,
    actor: Actor,
    register: Register,
    layout: Layout | str,
    fmt: Format | str,
    date_from: dt.date,
    date_to: dt.date,
) -> PrintOutput:
    """The register printed for ``actor`` (their visible rows only), audited as
    ``register.print``. The caller has fetched ``register`` through the access layer."""
    layout = Layout(layout)
    fmt = Format(fmt)
    if layout not in layouts_for(register):
        raise ValidationError({"layout": "Mẫu sổ này không dùng cho loại sổ đã chọn."})
    if date_to < date_from:
        raise ValidationError({"date_to": "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."})
    rows = register_rows(user=actor, register=register, layout=layout, date_from=date_from, date_to=date_to)
    count = rows.count()
    if fmt == Format.PDF and count > PDF_MAX_ROWS:
        raise ValidationError(
            {
                "date_from": (
                    f"Khoảng thời gian đã chọn có {count:,} văn bản, quá nhiều để in thành một tệp PDF "
                    f"(tối đa {PDF_MAX_ROWS:,}). Vui lòng thu hẹp khoảng thời gian, hoặc xuất Excel."
                ).replace(",", ".")
            }
        )
    title = title_for(register, layout)
    period = period_words(date_from, date_to)
    subtitle = f"{register.name} — {register.organization.name} — {period}"
    writer = _pdf if fmt == Format.PDF else _excel
    # The file is written first, outside any write transaction (100,000 rows take a while and
    # SQLite would hold its write lock meanwhile), then the print is recorded.
    file, written = writer(
        register=register,
        layout=layout,
        title=title,
        subtitle=subtitle,
        period=period,
        rows=row_values(layout, rows.iterator(chunk_size=CHUNK)),
    )
    try:
        with transaction.atomic():
            audit_record(
                actor=actor,
                action="register.print",
                target=register,
                after={
                    "layout": layout.value,
                    "format": fmt.value,
                    "from": date_from,
                    "to": date_to,
                    "rows": written,
                },
            )
    except BaseException:
        file.close()
        raise
    stem = slugify(fold(f"{title} {register.organization.short_name} {date_from:%Y%m%d}-{date_to:%Y%m%d}"))
    content_type = (
        "application/pdf"
        if fmt == Format.PDF
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return PrintOutput(file=file, filename=f"{stem}.{fmt.value}", content_type=content_type, rows=written)
