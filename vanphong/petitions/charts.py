"""The charts of the petitions statistics, laid out here and drawn by the template as inline
SVG: the site's Content-Security-Policy allows no script and no ``style`` attribute, so a chart
is SVG elements with presentation attributes (x, y, width, height) and CSS classes from
``stats.css``. Each chart carries its own table on the page (the accessible reading)."""

from __future__ import annotations

from dataclasses import dataclass

# Vertical bars (columns): a viewBox of COLUMN_WIDTH × COLUMN_HEIGHT units.
COLUMN_WIDTH, COLUMN_HEIGHT = 480, 240
COLUMN_TOP, COLUMN_BOTTOM, COLUMN_LEFT = 22, 46, 8
# Horizontal bars: the label above its bar, so a long field or commune name never overlaps.
ROW_WIDTH, ROW_STEP, ROW_BAR = 360, 38, 14
ROW_LIMIT = 10  # the largest ones; the rest as one "Khác" bar (the table lists them all)


def _at(value: float) -> str:
    """A coordinate as SVG reads it: a point for the decimals, whatever the page's locale (the
    template would write 27,1 in Vietnamese)."""
    return f"{value:.1f}"


@dataclass(frozen=True)
class Column:
    label: str
    value: int
    x: str
    y: str
    width: str
    height: str
    label_x: str
    value_y: str
    tone: int


@dataclass(frozen=True)
class ColumnChart:
    title: str
    columns: list[Column]
    width: int
    height: int
    baseline: str
    label_y: str
    small_labels: bool


@dataclass(frozen=True)
class Row:
    label: str
    value: int
    label_y: str
    bar_y: str
    value_y: str
    width: str
    value_x: str


@dataclass(frozen=True)
class RowChart:
    title: str
    rows: list[Row]
    width: int
    height: int
    bar_height: int


def column_chart(title: str, items: list[tuple[str, int]]) -> ColumnChart:
    """Columns scaled to the largest value, its value above each and its label below."""
    top = max((v for _l, v in items), default=0)
    space = COLUMN_WIDTH - 2 * COLUMN_LEFT
    slot = space / max(len(items), 1)
    width = min(slot * 0.7, 64)
    usable = COLUMN_HEIGHT - COLUMN_TOP - COLUMN_BOTTOM
    baseline = COLUMN_HEIGHT - COLUMN_BOTTOM
    columns = []
    for n, (label, value) in enumerate(items):
        height = usable * value / top if top else 0.0
        x = COLUMN_LEFT + n * slot + (slot - width) / 2
        columns.append(
            Column(
                label=label,
                value=value,
                x=_at(x),
                y=_at(baseline - height),
                width=_at(width),
                height=_at(height),
                label_x=_at(x + width / 2),
                value_y=_at(baseline - height - 6),
                tone=n % 4,
            )
        )
    return ColumnChart(
        title=title,
        columns=columns,
        width=COLUMN_WIDTH,
        height=COLUMN_HEIGHT,
        baseline=_at(baseline),
        label_y=_at(baseline + 18),
        small_labels=len(items) > 8,
    )


def row_chart(title: str, counts: dict[str, int], *, empty_label: str = "(Chưa ghi)") -> RowChart:
    """Horizontal bars of the largest ``ROW_LIMIT`` values (the rest summed as "Khác"), each
    label written above its bar."""
    ranked = sorted(((label or empty_label, n) for label, n in counts.items() if n), key=lambda x: -x[1])
    if len(ranked) > ROW_LIMIT:
        rest = sum(n for _l, n in ranked[ROW_LIMIT - 1 :])
        ranked = [*ranked[: ROW_LIMIT - 1], ("Khác", rest)]
    top = max((n for _l, n in ranked), default=0)
    space = ROW_WIDTH - 48  # room for the value after the longest bar
    rows = []
    for i, (label, value) in enumerate(ranked):
        width = space * value / top if top else 0.0
        y = 4 + i * ROW_STEP
        rows.append(
            Row(
                label=label,
                value=value,
                label_y=_at(y + 12),
                bar_y=_at(y + 17),
                value_y=_at(y + 29),
                width=_at(max(width, 1.0)),
                value_x=_at(max(width, 1.0) + 6),
            )
        )
    return RowChart(
        title=title, rows=rows, width=ROW_WIDTH, height=8 + len(rows) * ROW_STEP, bar_height=ROW_BAR
    )
