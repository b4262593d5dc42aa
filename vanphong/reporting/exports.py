"""The aggregation of a period as an Excel workbook (the same for the page and the API): one
row per indicator with each organisation's number, the total, the period before and the same
period a year earlier; a second sheet with each organisation's report status."""

from __future__ import annotations

import io
import re

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from vanphong.reporting.selectors import Aggregate, Board, number

# Characters a formula would start with: a typed name never becomes a formula in the sheet.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    value = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", value or "")
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def aggregate_workbook(result: Aggregate, board: Board) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Tổng hợp"
    request = result.request
    sheet.append([_text(f"{request.organization.name}: {request.title}")])
    sheet.append([_text(f"Kỳ báo cáo: {result.label}. Đã gửi {result.submitted}/{result.expected} báo cáo.")])
    sheet.append([f"Xuất lúc {timezone.localtime():%H:%M ngày %d/%m/%Y}"])
    sheet.append([])
    header = ["Mã", "Chỉ tiêu", "Đơn vị tính"]
    header += [_text(o.short_name or o.name) for o in result.organizations]
    header += ["Tổng", f"Kỳ trước ({result.previous_label})" if result.previous else "Kỳ trước"]
    header += [f"Cùng kỳ năm trước ({result.last_year_label})" if result.last_year else "Cùng kỳ năm trước"]
    sheet.append(header)
    for cell in sheet[5]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet["A1"].font = Font(bold=True, size=13)
    for row in result.indicators:
        line: list[object] = [_text(row.indicator.code), _text(row.indicator.name), _text(row.indicator.unit)]
        line += [number(row.by_organization.get(o.pk)) for o in result.organizations]
        line += [number(row.total), number(row.previous), number(row.same_period_last_year)]
        sheet.append(line)
    widths = [14, 44, 12] + [16] * len(result.organizations) + [12, 16, 18]
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "D6"

    status = workbook.create_sheet("Tình hình gửi báo cáo")
    status.append(["STT", "Cơ quan, tổ chức", "Hạn nộp", "Tình trạng", "Gửi lúc"])
    for cell in status[1]:
        cell.font = Font(bold=True)
    hourly = result.request.frequency == "hourly"  # due at the slot's end
    for n, r in enumerate(board.rows, start=1):
        sent = r.submission.submitted_at
        status.append(
            [
                n,
                _text(r.submission.organization.name),
                timezone.localtime(r.deadline).strftime("%H:%M %d/%m/%Y")
                if hourly and r.deadline is not None
                else r.due_date.strftime("%d/%m/%Y"),
                r.status_label,
                timezone.localtime(sent).strftime("%H:%M %d/%m/%Y") if sent else "",
            ]
        )
    for letter, width in zip("ABCDE", (6, 44, 12, 20, 18), strict=True):
        status.column_dimensions[letter].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def workbook_name(result: Aggregate) -> str:
    period = result.period or "mot-lan"
    return f"tong-hop-bao-cao-{result.request.pk}-{period}.xlsx"


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
