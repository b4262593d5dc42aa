"""The pages of the lower levels' figures ("Số liệu cấp dưới"), under /lien-thong/so-lieu/:
the overview (each lower organisation, the day of its latest figures, its tasks) and one
organisation's figures (the task counts, the last months as a bar chart, the indicators,
the days received).

Reads go through ``selectors_figures`` (figures outside the reader's reach are a 404). The
chart is inline SVG laid out here: the site's Content-Security-Policy allows no script and
no ``style`` attribute, so the colours are classes of ``exchange/figures.css`` and the chart has its
table beside it (the accessible reading)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from vanphong.core.paging import CappedPaginator
from vanphong.exchange.models import LowerFigures
from vanphong.exchange.selectors_figures import (
    figures_detail as get_figures,
)
from vanphong.exchange.selectors_figures import (
    figures_history,
    indicator_figures,
    lower_figures_for,
    month_figures,
    task_figures,
)

PER_PAGE = 100
STALE_DAYS = 7  # figures older than this are flagged: the lower instance has stopped sending

# The series of the chart: (field of a month, label, CSS class of its colour in figures.css).
SERIES: tuple[tuple[str, str, str], ...] = (
    ("given", "Giao trong tháng", "fig-s0"),
    ("done", "Hoàn thành", "fig-s1"),
    ("done_late", "Hoàn thành quá hạn", "fig-s2"),
    ("overdue", "Quá hạn", "fig-s3"),
)


@dataclass(frozen=True)
class Row:
    figures: LowerFigures
    tasks: Any
    stale: bool


def _stale(figures: LowerFigures, today: dt.date) -> bool:
    return (today - figures.as_of).days > STALE_DAYS


@require_GET
def figures_overview(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    page = CappedPaginator(lower_figures_for(request.user), PER_PAGE).get_page(request.GET.get("trang"))
    rows = [Row(f, task_figures(f), _stale(f, today)) for f in page.object_list]
    return render(
        request,
        "exchange/figures/overview.html",
        {"page": page, "rows": rows, "stale_days": STALE_DAYS, "nav_active": "lower_figures"},
    )


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    colour: str
    label: str
    value: int


@dataclass(frozen=True)
class Column:
    label: str
    label_x: int
    bars: list[Bar]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    baseline: int
    label_y: int
    top: int
    columns: list[Column]
    legend: list[tuple[str, str]]  # (colour class, label)
    title: str


def month_chart(months: list[dict[str, Any]]) -> Chart | None:
    """A grouped column chart of the months: per month one bar per series (``SERIES``),
    scaled to the largest value; None when there is nothing to draw."""
    values = [
        [
            v if isinstance(v := m.get(field), int) and not isinstance(v, bool) and v > 0 else 0
            for field, _l, _c in SERIES
        ]
        for m in months
    ]
    top = max((v for row in values for v in row), default=0)
    if not months or top == 0:
        return None
    bar, gap, group_gap, top_h, plot_h, label_h = 9, 1, 12, 6, 180, 26
    group = len(SERIES) * (bar + gap) - gap
    width = max(320, len(months) * (group + group_gap) + group_gap)
    baseline = top_h + plot_h
    columns = []
    for i, (month, row) in enumerate(zip(months, values, strict=True)):
        left = group_gap + i * (group + group_gap)
        bars = []
        for j, ((_field, label, colour), value) in enumerate(zip(SERIES, row, strict=True)):
            height = round(plot_h * value / top)
            bars.append(Bar(left + j * (bar + gap), baseline - height, bar, height, colour, label, value))
        raw = str(month.get("month", ""))
        short = f"{raw[5:7]}/{raw[2:4]}" if len(raw) == 7 else raw
        columns.append(Column(short, left + group // 2, bars))
    legend = [(colour, label) for _field, label, colour in SERIES]
    busiest = max(columns, key=lambda c: c.bars[0].value)
    title = (
        f"Biểu đồ cột nhiệm vụ {len(columns)} tháng gần nhất: giao, hoàn thành, hoàn thành quá hạn, quá hạn; "
        f"tháng giao nhiều nhất {busiest.label} ({busiest.bars[0].value}). Số liệu có trong bảng ngay dưới."
    )
    return Chart(
        width=width,
        height=baseline + label_h,
        baseline=baseline,
        label_y=baseline + 20,
        top=top,
        columns=columns,
        legend=legend,
        title=title,
    )


@require_GET
def figures_detail(request: HttpRequest, pk: int) -> HttpResponse:
    figures = get_figures(request.user, pk)
    history = figures_history(figures)
    months = month_figures(figures)
    for m in months:
        raw = str(m.get("month", ""))
        m["label"] = f"{raw[5:7]}/{raw[:4]}" if len(raw) == 7 else raw
    return render(
        request,
        "exchange/figures/detail.html",
        {
            "figures": figures,
            "tasks": task_figures(figures),
            "months": months,
            "chart": month_chart(months),
            "indicators": indicator_figures(figures),
            "history": [(f, task_figures(f)) for f in history],
            "latest": history[0] if history else figures,
            "stale": _stale(figures, timezone.localdate()),
            "stale_days": STALE_DAYS,
            "nav_active": "lower_figures",
        },
    )
