"""The report as an Excel workbook, every row (written in constant memory)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import Any

from vanphong.orgs.naming import CLASSIFICATION_MARKS
from vanphong.tasks.models import Outcome, Status
from vanphong.tasks.reports.data import (
    CHUNK,
    RATE_LABEL,
    ReportData,
    day,
    period_words,
    source_text,
    summary_lines,
    title_words,
)
from vanphong.tasks.selectors import (
    Counts,
    days_late,
)

# --- .xlsx --------------------------------------------------------------------------------

OVERDUE_COLUMNS = [
    ("STT", 6, "int"),
    ("Nhiệm vụ", 60, "text"),
    ("Nguồn", 40, "text"),
    ("Cơ quan giao", 28, "text"),
    ("Cơ quan chủ trì", 30, "text"),
    ("Ngày giao", 12, "date"),
    ("Hạn ban đầu", 12, "date"),
    ("Hạn hoàn thành", 14, "date"),
    ("Số ngày quá hạn", 10, "int"),
    ("Tiến độ (%)", 10, "int"),
]
COMPLETED_COLUMNS = [
    ("STT", 6, "int"),
    ("Nhiệm vụ", 60, "text"),
    ("Nguồn", 40, "text"),
    ("Cơ quan giao", 28, "text"),
    ("Cơ quan chủ trì", 30, "text"),
    ("Ngày giao", 12, "date"),
    ("Hạn ban đầu", 12, "date"),
    ("Hạn hoàn thành", 14, "date"),
    ("Ngày hoàn thành", 14, "date"),
    ("Kết quả", 20, "text"),
    ("Số ngày quá hạn", 10, "int"),
]
ORGANIZATION_COLUMNS = [
    ("STT", 6),
    ("Cơ quan chủ trì", 40),
    ("Tổng số", 10),
    ("Hoàn thành đúng hạn", 14),
    ("Hoàn thành quá hạn", 14),
    ("Quá hạn chưa hoàn thành", 14),
    ("Đang thực hiện trong hạn", 14),
    ("Sắp đến hạn", 10),
    ("Đã hủy", 10),
    ("Tỷ lệ đúng hạn", 12),
]
SHEET_SUMMARY, SHEET_OVERDUE, SHEET_COMPLETED = "Tổng hợp", "Quá hạn", "Hoàn thành"


def build_xlsx(data: ReportData) -> bytes:
    """The report as a workbook: "Tổng hợp" (the counts and the breakdown by lead
    organisation), "Quá hạn" and "Hoàn thành" (every row, streamed, dates as dates)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    heading = Alignment(wrap_text=True, vertical="center", horizontal="center")
    wrap = Alignment(wrap_text=True, vertical="top")

    def cell(ws: Any, value: Any, *, font: Any = None, alignment: Any = None, fmt: str = "") -> Any:
        c = WriteOnlyCell(ws, value=value)
        if font is not None:
            c.font = font
        if alignment is not None:
            c.alignment = alignment
        if fmt:
            c.number_format = fmt
        return c

    def widths(ws: Any, values: Iterable[int]) -> None:
        for index, width in enumerate(values, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width

    # Tổng hợp
    ws = wb.create_sheet(SHEET_SUMMARY)
    widths(ws, [w for _h, w in ORGANIZATION_COLUMNS])
    mark = CLASSIFICATION_MARKS.get(data.classification)
    if mark:
        ws.append([cell(ws, mark, font=bold)])
    ws.append([cell(ws, "BÁO CÁO " + title_words(data).upper(), font=Font(bold=True, size=14))])
    ws.append([cell(ws, f"Phạm vi: {data.scope.words()}")])
    ws.append([cell(ws, f"Kỳ báo cáo: {period_words(data.date_from, data.date_to).lower()}")])
    ws.append([cell(ws, f"Số liệu tính đến ngày {day(data.today.day)}")])
    ws.append([])
    ws.append(
        [
            cell(ws, "Chỉ tiêu", font=bold, alignment=heading),
            cell(ws, "Số lượng", font=bold, alignment=heading),
        ]
    )
    for label, value in summary_lines(data.counts):
        ws.append([cell(ws, label), cell(ws, value, fmt="#,##0")])
    rate = data.counts.on_time_rate
    ws.append([cell(ws, RATE_LABEL), cell(ws, None if rate is None else rate / 100, fmt="0.0%")])
    ws.append([])
    ws.append([cell(ws, "Kết quả theo cơ quan chủ trì", font=bold)])
    ws.append([cell(ws, header, font=bold, alignment=heading) for header, _w in ORGANIZATION_COLUMNS])

    def org_values(index: Any, name: str, c: Counts) -> list[Any]:
        rate = None if c.on_time_rate is None else c.on_time_rate / 100
        return [
            cell(ws, index),
            cell(ws, name, alignment=wrap),
            *(
                cell(ws, v)
                for v in (
                    c.total,
                    c.done_on_time,
                    c.done_late,
                    c.overdue,
                    c.in_progress,
                    c.due_soon,
                    c.cancelled,
                )
            ),
            cell(ws, rate, fmt="0.0%"),
        ]

    for i, row in enumerate(data.by_organization, start=1):
        ws.append(org_values(i, row.name, row.counts))
    ws.append([cell(ws, v, font=bold) for v in ["", "Tổng cộng"]] + org_values("", "", data.counts)[2:])

    # Quá hạn, Hoàn thành
    def list_sheet(title: str, columns: list[tuple[str, int, str]], rows: Iterable[list[Any]]) -> int:
        sheet = wb.create_sheet(title)
        widths(sheet, [w for _h, w, _k in columns])
        sheet.freeze_panes = "A2"
        sheet.append([cell(sheet, header, font=bold, alignment=heading) for header, _w, _k in columns])
        count = 0
        for values in rows:
            out = []
            for value, (_h, _w, kind) in zip(values, columns, strict=True):
                out.append(cell(sheet, value, alignment=wrap, fmt="DD/MM/YYYY" if kind == "date" else ""))
            sheet.append(out)
            count += 1
        return count

    def overdue_values() -> Iterator[list[Any]]:
        for i, task in enumerate(data.overdue().iterator(chunk_size=CHUNK), start=1):
            yield [
                i,
                task.title,
                source_text(task),
                task.organization.name,
                task.lead_organization.name,
                task.assigned_on,
                task.original_due_date,
                task.due_date,
                days_late(task, data.today),
                task.progress,
            ]

    def completed_values() -> Iterator[list[Any]]:
        for i, task in enumerate(data.completed().iterator(chunk_size=CHUNK), start=1):
            yield [
                i,
                task.title,
                source_text(task),
                task.organization.name,
                task.lead_organization.name,
                task.assigned_on,
                task.original_due_date,
                task.due_date,
                task.completed_on,
                str(Status.DONE_ON_TIME.label if task.outcome == Outcome.ON_TIME else Status.DONE_LATE.label),
                days_late(task, data.today),
            ]

    list_sheet(SHEET_OVERDUE, OVERDUE_COLUMNS, overdue_values())
    list_sheet(SHEET_COMPLETED, COMPLETED_COLUMNS, completed_values())
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
