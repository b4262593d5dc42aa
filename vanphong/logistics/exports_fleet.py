"""The car pool's utilisation as bar charts drawn by the template as inline SVG, and as an Excel
workbook (openpyxl).

The site's Content-Security-Policy allows no script and no ``style`` attribute, so a chart is
SVG elements with presentation attributes (x, y, width, height) and CSS classes (the
``logistics: fleet`` block of app.css); each chart stands beside its table (the accessible
reading). The workbook holds the three tables (per car, per driver, per agency) and the gaps."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from vanphong.logistics.selectors import Usage, Utilisation

ROW_WIDTH, ROW_STEP, ROW_BAR = 360, 38, 14
ROW_LIMIT = 12  # the busiest ones; the rest as one "Khác" bar (the table lists them all)

# Characters a formula would start with: a typed name (a driver's, an agency's) never becomes a
# formula in the sheet.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    value = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", value or "")
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def _at(value: float) -> str:
    """A coordinate as SVG reads it: a point for the decimals, whatever the page's locale."""
    return f"{value:.1f}"


def _number(value: float) -> str:
    """8.5 → "8,5", 12.0 → "12": a figure as a Vietnamese reader writes it."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    label_y: str
    bar_y: str
    value_y: str
    width: str
    value_x: str


@dataclass(frozen=True)
class BarChart:
    title: str
    unit: str
    bars: list[Bar]
    width: int
    height: int
    bar_height: int

    @property
    def summary(self) -> str:
        return "; ".join(f"{b.label} {b.text} {self.unit}" for b in self.bars)


def bar_chart(title: str, unit: str, items: list[tuple[str, float]]) -> BarChart:
    """Horizontal bars scaled to the largest value, each label above its bar, its value after it."""
    ranked = [(label, value) for label, value in items if value]
    ranked.sort(key=lambda item: -item[1])
    if len(ranked) > ROW_LIMIT:
        rest = sum(value for _label, value in ranked[ROW_LIMIT - 1 :])
        ranked = [*ranked[: ROW_LIMIT - 1], ("Khác", rest)]
    top = max((value for _label, value in ranked), default=0)
    space = ROW_WIDTH - 56  # room for the value after the longest bar
    bars = []
    for i, (label, value) in enumerate(ranked):
        width = max(space * value / top if top else 0.0, 1.0)
        y = 4 + i * ROW_STEP
        bars.append(
            Bar(
                label=label,
                value=value,
                text=_number(value),
                label_y=_at(y + 12),
                bar_y=_at(y + 17),
                value_y=_at(y + 29),
                width=_at(width),
                value_x=_at(width + 6),
            )
        )
    return BarChart(
        title=title,
        unit=unit,
        bars=bars,
        width=ROW_WIDTH,
        height=8 + len(bars) * ROW_STEP,
        bar_height=ROW_BAR,
    )


@dataclass(frozen=True)
class Table:
    slug: str
    title: str
    heading: str
    rows: list[Usage]
    chart: BarChart


def tables(figures: Utilisation) -> list[Table]:
    """Per car (hours out), per driver (hours at the wheel), per agency (trips asked)."""
    return [
        Table(
            "xe",
            "Theo xe",
            "Xe",
            figures.vehicles,
            bar_chart("Số giờ sử dụng theo xe", "giờ", [(u.name, u.hours) for u in figures.vehicles]),
        ),
        Table(
            "lai-xe",
            "Theo lái xe",
            "Lái xe",
            figures.drivers,
            bar_chart("Số giờ lái theo lái xe", "giờ", [(u.name, u.hours) for u in figures.drivers]),
        ),
        Table(
            "co-quan",
            "Theo cơ quan",
            "Cơ quan",
            figures.agencies,
            bar_chart("Số chuyến theo cơ quan", "chuyến", [(u.name, u.trips) for u in figures.agencies]),
        ),
    ]


def period_words(start: dt.date, end: dt.date) -> str:
    return f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"


def filename(start: dt.date, end: dt.date) -> str:
    return f"hieu-suat-xe-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"


BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)


def _sheet(sheet: Worksheet, title: str, heading: str, rows: list[Usage], period: str) -> None:
    sheet.append([title])
    sheet["A1"].font = TITLE
    sheet.append([period])
    sheet.append([])
    sheet.append(["STT", heading, "Số chuyến", "Số giờ", "Số km"])
    for cell in sheet[4]:
        cell.font = BOLD
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for n, usage in enumerate(rows, start=1):
        sheet.append([n, _text(usage.name), usage.trips, usage.hours, usage.km])
        sheet.cell(row=sheet.max_row, column=4).number_format = "0.0"
    if rows:
        sheet.append(
            [
                None,
                "Cộng",
                sum(u.trips for u in rows),
                round(sum(u.hours for u in rows), 1),
                sum(u.km for u in rows),
            ]
        )
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD
        sheet.cell(row=sheet.max_row, column=4).number_format = "0.0"
    for column, width in zip(range(1, 6), (6, 34, 12, 12, 12), strict=True):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A5"


def utilisation_workbook(figures: Utilisation, *, pool_name: str, start: dt.date, end: dt.date) -> bytes:
    """The three tables on their sheets, and the gaps on the fourth."""
    period = f"{pool_name} — {period_words(start, end)}"
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    for sheet, table in zip(
        (first, workbook.create_sheet(), workbook.create_sheet()), tables(figures), strict=True
    ):
        sheet.title = table.title
        _sheet(sheet, f"Hiệu suất sử dụng xe {table.title.lower()}", table.heading, table.rows, period)
    gaps = workbook.create_sheet("Khoảng trống")
    gaps.append(["Khoảng trống trong điều xe"])
    gaps["A1"].font = TITLE
    gaps.append([period])
    gaps.append([])
    gaps.append(["Số đề nghị không bố trí được xe", figures.refused])
    gaps.append(["Trong đó: khi vẫn có xe đủ chỗ để không", figures.refused_while_idle])
    gaps.append(["Số xe không đi chuyến nào", len(figures.idle_vehicles)])
    gaps.append([])
    gaps.append(["Xe không đi chuyến nào"])
    gaps.cell(row=gaps.max_row, column=1).font = BOLD
    for plate in figures.idle_vehicles:
        gaps.append([_text(plate)])
    gaps.column_dimensions["A"].width = 44
    gaps.column_dimensions["B"].width = 12
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
