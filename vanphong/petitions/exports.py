"""The petitions statistics and the book itself as Excel workbooks (openpyxl), for the page
and whatever else reads ``selectors.stats``.

* ``stats_workbook``: one sheet of summary tables (by kind, month, field, locality, result,
  channel, state, handling) with native Excel charts referencing their cells, so the office can
  restyle them or paste them into its report.
* ``book_workbook``: the book (sổ theo dõi xử lý đơn thư) for a span, one row per petition the
  reader may read. The identity of a denouncer is written only for the people handling the case
  (``selectors.shown_petitioners``), each such row audited (``selectors.disclose``) before it
  is written; everyone else reads "Danh tính được bảo vệ". Written like the printed registers of
  ``documents.printing``: openpyxl's write-only mode from an iterator in chunks (the petitioners
  prefetched per chunk, so the queries do not grow with the rows), into a temporary file the
  response streams; at most ``BOOK_MAX_ROWS`` rows."""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import Iterator
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, PieChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from vanphong.audit.services import audit_record
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import Organization
from vanphong.petitions import selectors
from vanphong.petitions.models import Action, Channel, Kind, Petition, Petitioner, Result, State

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOOK_MAX_ROWS = 100_000
CHUNK = 1000
PROTECTED = "Danh tính được bảo vệ"
ANONYMOUS = "Nặc danh"
NO_RESULT = "Chưa có kết quả"
NOT_DECIDED = "Chưa xử lý"
NOT_SET = "(Chưa ghi)"

# Characters a formula would start with: a typed text never becomes a formula in the sheet.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    value = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", value or "")
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def span_words(start: dt.date | None, end: dt.date | None) -> str:
    if start and end:
        return f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"
    if start:
        return f"Từ ngày {start:%d/%m/%Y}"
    if end:
        return f"Đến ngày {end:%d/%m/%Y}"
    return "Toàn bộ thời gian"


def book_words(organization: Organization | None) -> str:
    return organization.name if organization is not None else "Các sổ đơn thư đồng chí được xem"


def filename(stem: str, start: dt.date | None, end: dt.date | None) -> str:
    """An ASCII file name: ``thong-ke-don-thu-2026-01-01-2026-12-31.xlsx``."""
    parts = [stem]
    parts += [f"{start:%Y-%m-%d}"] if start else []
    parts += [f"{end:%Y-%m-%d}"] if end else []
    return "-".join(parts) + ".xlsx"


# --- The statistics -----------------------------------------------------------------------------


def month_label(key: str) -> str:
    """The month key "2026-03" as "03/2026"."""
    year, month = key.split("-")
    return f"{month}/{year}"


def stats_tables(stats: dict[str, Any]) -> list[tuple[str, str, list[tuple[str, int]], str]]:
    """The tables of the statistics as (title, heading of the first column, rows, chart): the
    same tables on the page and in the workbook. ``chart``: "column", "bar", "pie" or ""."""

    def labelled(counts: dict[str, int], labels: dict[str, str], empty: str) -> list[tuple[str, int]]:
        return [(labels.get(key, key) if key else empty, n) for key, n in counts.items()]

    def ranked(counts: dict[str, int]) -> list[tuple[str, int]]:
        """The largest first, the unrecorded ones last (a free text: many values)."""
        rows = sorted(((k, n) for k, n in counts.items() if k), key=lambda row: (-row[1], row[0]))
        return rows + ([(NOT_SET, counts[""])] if counts.get("") else [])

    kinds = {k.value: str(k.label) for k in Kind}
    return [
        ("Theo loại đơn", "Loại đơn", labelled(stats["by_kind"], kinds, NOT_SET), "column"),
        (
            "Theo tháng nhận đơn",
            "Tháng",
            [(month_label(k), n) for k, n in stats["by_month"].items()],
            "column",
        ),
        ("Theo lĩnh vực", "Lĩnh vực", ranked(stats["by_field"]), "bar"),
        ("Theo địa bàn", "Địa bàn", ranked(stats["by_locality"]), "bar"),
        (
            "Theo kết quả giải quyết",
            "Kết quả",
            labelled(stats["by_result"], {r.value: str(r.label) for r in Result}, NO_RESULT),
            "pie",
        ),
        (
            "Theo nguồn đơn",
            "Nguồn đơn",
            labelled(stats["by_channel"], {c.value: str(c.label) for c in Channel}, NOT_SET),
            "pie",
        ),
        (
            "Theo hướng xử lý",
            "Hướng xử lý",
            labelled(stats["by_action"], {a.value: str(a.label) for a in Action}, NOT_DECIDED),
            "",
        ),
        (
            "Theo tình trạng",
            "Tình trạng",
            labelled(stats["by_state"], {s.value: str(s.label) for s in State}, NOT_SET),
            "",
        ),
    ]


def figures(stats: dict[str, Any]) -> list[tuple[str, int, str]]:
    """The single numbers of the statistics: (name, number, what it counts)."""
    overdue = stats["overdue"]
    return [
        ("Tổng số đơn", stats["total"], "nhận trong kỳ"),
        ("Đơn nặc danh", stats["anonymous"], "không rõ người gửi"),
        ("Đơn trùng", stats["duplicates"], "có đơn trước của cùng người, cùng nội dung"),
        ("Quá hạn xử lý đơn", overdue["processing"], "chưa thụ lý, chuyển, hướng dẫn hoặc lưu"),
        ("Quá hạn giải quyết", overdue["resolution"], "đã thụ lý, chưa có kết quả"),
    ]


CHART_ROWS = 16  # the rows a chart of 7.5 cm covers at the default row height


def stats_workbook(stats: dict[str, Any], *, organization: Organization | None) -> bytes:
    """The statistics on one sheet: a title, the single figures, then each table (label,
    number) with its chart to the right, referencing the table's cells."""
    import io

    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    sheet.title = "Thống kê đơn thư"
    sheet.append([_text(f"THỐNG KÊ ĐƠN THƯ — {book_words(organization).upper()}")])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([f"{span_words(stats['from'], stats['to'])} (theo ngày nhận đơn)."])
    sheet.append([f"Số liệu lúc {timezone.localtime():%H:%M ngày %d/%m/%Y}."])
    sheet.append([])
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    sheet.append(["Chỉ tiêu", "Số đơn"])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for label, n, note in figures(stats):
        sheet.append([f"{label} ({note})", n])
        sheet.cell(row=sheet.max_row, column=1).alignment = wrap
    row = sheet.max_row + 2
    for title, heading, rows, kind in stats_tables(stats):
        sheet.cell(row=row, column=1, value=title).font = Font(bold=True, size=12)
        sheet.cell(row=row + 1, column=1, value=heading).font = bold
        sheet.cell(row=row + 1, column=2, value="Số đơn").font = bold
        first = row + 2
        for i, (label, n) in enumerate(rows):
            sheet.cell(row=first + i, column=1, value=_text(label)).alignment = wrap
            sheet.cell(row=first + i, column=2, value=n)
        last = first + len(rows) - 1
        sheet.cell(row=last + 1, column=1, value="Cộng").font = bold
        sheet.cell(row=last + 1, column=2, value=sum(n for _l, n in rows)).font = bold
        if kind and rows:
            _add_chart(sheet, kind, title, anchor=f"D{row}", first=first, last=last)
        row = last + 3 if not kind or not rows else max(last + 3, row + CHART_ROWS + 1)
    sheet.column_dimensions["A"].width = 46
    sheet.column_dimensions["B"].width = 12
    sheet.column_dimensions["C"].width = 3
    sheet.freeze_panes = "A5"
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.paperSize = 9  # A4
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _add_chart(sheet: Worksheet, kind: str, title: str, *, anchor: str, first: int, last: int) -> None:
    labels = Reference(sheet, min_col=1, min_row=first, max_row=last)
    values = Reference(sheet, min_col=2, min_row=first - 1, max_row=last)  # the heading names the series
    chart: BarChart | PieChart
    if kind == "pie":
        chart = PieChart()
    else:
        chart = BarChart()
        chart.type = "bar" if kind == "bar" else "col"
        chart.legend = None
        chart.y_axis.title = "Số đơn"
        chart.y_axis.majorGridlines = None
        chart.y_axis.delete = False
        chart.x_axis.delete = False
        if kind == "bar":
            chart.x_axis.scaling.orientation = "maxMin"  # the first row on top, as in the table
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(labels)
    chart.title = title
    chart.height = 7.5
    chart.width = 15
    sheet.add_chart(chart, anchor)


# --- The book -----------------------------------------------------------------------------------

# (heading, column width)
BOOK_COLUMNS: list[tuple[str, int]] = [
    ("Số đơn", 10),
    ("Ngày nhận", 12),
    ("Nguồn đơn", 16),
    ("Loại đơn", 11),
    ("Người gửi đơn, địa chỉ", 34),
    ("Người, cơ quan bị khiếu nại, tố cáo", 26),
    ("Nội dung tóm tắt", 50),
    ("Lĩnh vực", 16),
    ("Địa bàn", 16),
    ("Hướng xử lý", 18),
    ("Cơ quan chuyển đến", 24),
    ("Hạn xử lý đơn", 12),
    ("Hạn giải quyết", 12),
    ("Kết quả giải quyết", 30),
    ("Ngày có kết quả", 12),
    ("Sổ của cơ quan", 22),
]
DATE_COLUMNS = {1, 11, 12, 14}
CONTENT_LIMIT = 2000  # a cell holds 32,767 characters; a book line is a summary


def book_rows(
    user: Actor | None,
    *,
    start: dt.date | None,
    end: dt.date | None,
    organization: Organization | None = None,
) -> QuerySet[Petition]:
    """The petitions of the book, oldest first, with what a row shows (no file, no link)."""
    qs = selectors.petitions_visible_to(user)
    if organization is not None:
        qs = qs.filter(organization=organization)
    if start is not None:
        qs = qs.filter(received_date__gte=start)
    if end is not None:
        qs = qs.filter(received_date__lte=end)
    return (
        qs.select_related("organization", "to_organization")
        .prefetch_related(Prefetch("petitioners", queryset=Petitioner.objects.order_by("order", "id")))
        .order_by("received_date", "organization_id", "year", "number")
    )


def petitioners_text(petition: Petition) -> str:
    """The senders as the reader may see them: masked, anonymous, or names and addresses."""
    if selectors.identity_protected(petition):
        return PROTECTED
    shown = selectors.shown_petitioners(petition)
    if not shown:
        return ANONYMOUS
    return "; ".join(", ".join(x for x in (p.full_name, p.address) if x) for p in shown)


def book_values(petition: Petition) -> list[Any]:
    result = ""
    if petition.result:
        result = petition.get_result_display()
        if petition.result_summary:
            result += f": {petition.result_summary}"
    return [
        f"{petition.number}/{petition.year}",
        petition.received_date,
        petition.get_channel_display(),
        petition.get_kind_display(),
        _text(petitioners_text(petition)),
        _text(petition.respondent),
        _text(petition.content[:CONTENT_LIMIT]),
        _text(petition.field),
        _text(petition.locality),
        petition.get_action_display() if petition.action else NOT_DECIDED,
        _text(petition.to_organization.name) if petition.to_organization else "",
        petition.process_by,
        petition.resolve_by,
        _text(result[:CONTENT_LIMIT]),
        petition.resolved_on,
        _text(petition.organization.name),
    ]


def _chunks(qs: QuerySet[Petition]) -> Iterator[list[Petition]]:
    chunk: list[Petition] = []
    for petition in qs.iterator(chunk_size=CHUNK):
        chunk.append(petition)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def book_workbook(
    user: Actor | None,
    *,
    start: dt.date | None,
    end: dt.date | None,
    organization: Organization | None = None,
) -> tuple[IO[bytes], int]:
    """The book for ``user`` as a temporary file (the caller streams and closes it) and the
    number of rows. More than ``BOOK_MAX_ROWS`` petitions: a ``ValidationError`` asking for a
    shorter span."""
    qs = book_rows(user, start=start, end=end, organization=organization)
    count = qs.count()
    if count > BOOK_MAX_ROWS:
        raise ValidationError(
            {
                "tu_ngay": (
                    f"Khoảng thời gian đã chọn có {count:,} đơn, quá nhiều cho một tệp "
                    f"(tối đa {BOOK_MAX_ROWS:,}): hãy chọn khoảng ngắn hơn."
                ).replace(",", ".")
            }
        )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Sổ theo dõi đơn thư")
    for index, (_heading, width) in enumerate(BOOK_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C5"
    sheet.print_title_rows = "4:4"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = 9  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    wrap = Alignment(wrap_text=True, vertical="top")
    centred = Alignment(vertical="top", horizontal="center")
    heading = Alignment(wrap_text=True, vertical="center", horizontal="center")

    def cell(value: Any, *, font: Font | None = None, alignment: Alignment | None = None) -> WriteOnlyCell:
        c = WriteOnlyCell(sheet, value=value)
        if font is not None:
            c.font = font
        if alignment is not None:
            c.alignment = alignment
        return c

    sheet.append(
        [
            cell(
                _text(f"SỔ THEO DÕI XỬ LÝ ĐƠN THƯ — {book_words(organization).upper()}"),
                font=Font(bold=True, size=14),
            )
        ]
    )
    sheet.append([cell(f"{span_words(start, end)} (theo ngày nhận đơn). Số đơn: {count}.")])
    sheet.append([cell(f"Xuất lúc {timezone.localtime():%H:%M ngày %d/%m/%Y}.")])
    sheet.append([cell(h, font=Font(bold=True), alignment=heading) for h, _w in BOOK_COLUMNS])
    written = 0
    for chunk in _chunks(qs):
        # Audited before the identity is written: a handler's export of a denouncer's name
        # leaves its trace even if the download is then interrupted.
        selectors.disclose(user, chunk)
        for petition in chunk:
            out = []
            for n, value in enumerate(book_values(petition)):
                c = cell(value, alignment=centred if n in DATE_COLUMNS or n == 0 else wrap)
                if n in DATE_COLUMNS:
                    c.number_format = "DD/MM/YYYY"
                out.append(c)
            sheet.append(out)
            written += 1
    target = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    workbook.save(target)
    target.seek(0)
    # Who took the book out, which span, how many rows (never the names: see ``disclose``).
    audit_record(
        actor=user,
        action="petition.book_export",
        organization_id=organization.pk if organization is not None else None,
        after={
            "from": start,
            "to": end,
            "organization": organization.pk if organization else None,
            "rows": written,
        },
    )
    return target, written
