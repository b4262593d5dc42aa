"""The report as a .docx laid out by the Party's presentation rules."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from vanphong.core.docx import (
    BODY_SIZE,
    add_line,
    new_page,
    to_bytes,
    write_closing,
    write_header,
)
from vanphong.core.vndate import format_vn_date
from vanphong.orgs.naming import CLASSIFICATION_MARKS, header_names, issued_place
from vanphong.tasks.models import Outcome
from vanphong.tasks.reports.data import (
    CHUNK,
    DEFAULT_SIGNER_TITLE,
    DOC_TYPE,
    DOCX_MAX_ROWS,
    TABLE_SIZE,
    ReportData,
    day,
    default_recipients,
    due_text,
    number,
    percent,
    period_words,
    source_text,
    title_words,
)
from vanphong.tasks.selectors import (
    days_late,
)

# --- .docx --------------------------------------------------------------------------------


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)


def _table(
    docx: Any, headers: list[str], widths_mm: list[float], rows: Iterable[list[str]], limit: int
) -> int:
    """A bordered table with a header row repeated on every page; at most ``limit`` rows.
    Returns how many rows it holds."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    table = docx.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)  # the grid, which LibreOffice and Word lay out by
    for cell, text, width in zip(table.rows[0].cells, headers, widths_mm, strict=True):
        cell.width = Mm(width)
        add_line(cell, text, TABLE_SIZE, bold=True, first=True)
    _repeat_header(table.rows[0])
    written = 0
    for values in rows:
        if written >= limit:
            break
        cells = table.add_row().cells
        for i, (cell, text, width) in enumerate(zip(cells, values, widths_mm, strict=True)):
            cell.width = Mm(width)
            align = WD_ALIGN_PARAGRAPH.LEFT if i == 1 else WD_ALIGN_PARAGRAPH.CENTER
            add_line(cell, text, TABLE_SIZE, align=align, first=True)
        written += 1
    return written


def _paragraph(docx: Any, text: str, *, bold: bool = False, italic: bool = False, indent: bool = True) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    paragraph = add_line(docx, text, BODY_SIZE, bold=bold, italic=italic, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    if indent:
        paragraph.paragraph_format.first_line_indent = Mm(10)
    paragraph.paragraph_format.space_after = Pt(6)
    return paragraph


def _heading(docx: Any, text: str) -> None:
    """A section heading ("I. TÌNH HÌNH CHUNG"), kept on the page of what follows it."""
    from docx.shared import Pt

    paragraph = _paragraph(docx, text, bold=True, indent=False)
    paragraph.paragraph_format.space_before = Pt(12)
    paragraph.paragraph_format.keep_with_next = True


def _overdue_rows(data: ReportData) -> Iterator[list[str]]:
    for i, task in enumerate(data.overdue().iterator(chunk_size=CHUNK), start=1):
        yield [
            str(i),
            task.title,
            source_text(task),
            task.lead_organization.name,
            due_text(task),
            number(days_late(task, data.today)),
        ]


def _completed_rows(data: ReportData) -> Iterator[list[str]]:
    for i, task in enumerate(data.completed().iterator(chunk_size=CHUNK), start=1):
        if task.outcome == Outcome.ON_TIME:
            verdict = "Đúng hạn"
        else:
            verdict = f"Quá hạn {number(days_late(task, data.today))} ngày"
        yield [
            str(i),
            task.title,
            source_text(task),
            task.lead_organization.name,
            due_text(task),
            day(task.completed_on),
            verdict,
        ]


def _organization_rows(data: ReportData) -> Iterator[list[str]]:
    for i, row in enumerate(data.by_organization, start=1):
        c = row.counts
        yield [
            str(i),
            row.name,
            number(c.total),
            number(c.done_on_time),
            number(c.done_late),
            number(c.overdue),
            number(c.in_progress),
            percent(c.on_time_rate),
        ]
    if len(data.by_organization) > 1:
        c = data.counts
        yield [
            "",
            "Tổng cộng",
            number(c.total),
            number(c.done_on_time),
            number(c.done_late),
            number(c.overdue),
            number(c.in_progress),
            percent(c.on_time_rate),
        ]


def _more_note(docx: Any, shown: int, total: int) -> None:
    if total > shown:
        _paragraph(
            docx,
            f"(Danh sách trên gồm {number(shown)} trong tổng số {number(total)} nhiệm vụ; "
            "danh sách đầy đủ xem trong tệp Excel của báo cáo.)",
            italic=True,
        )


def build_docx(
    data: ReportData,
    *,
    proposals: str = "",
    signature_lines: Iterable[str] = (DEFAULT_SIGNER_TITLE,),
    signer_name: str = "",
    recipients: str = "",
    max_rows: int = DOCX_MAX_ROWS,
) -> bytes:
    """The report as a .docx laid out by the Party's presentation rules."""
    docx = new_page()
    issuer = data.issuer
    place = issued_place(issuer)
    date = format_vn_date(data.today.day, long=True)
    above, body = header_names(issuer)
    write_header(
        docx,
        above=above,
        body=body,
        number=f"Số      -{DOC_TYPE}/{issuer.abbreviation}",
        place_date=f"{place}, {date}" if place else date[0].upper() + date[1:],
        marks=(CLASSIFICATION_MARKS.get(data.classification),),
    )
    docx.add_paragraph()
    add_line(docx, "BÁO CÁO", 16, bold=True)
    add_line(docx, title_words(data), 14, bold=True)
    add_line(
        docx, f"({data.scope.words()}; {period_words(data.date_from, data.date_to).lower()})", 14, italic=True
    )
    add_line(docx, "-----", 14)
    docx.add_paragraph()

    c = data.counts
    _paragraph(
        docx,
        f"{issuer.name} báo cáo tình hình thực hiện các kết luận, ý kiến chỉ đạo của Thường trực, "
        f"Ban Thường vụ {data.committee.short_name or data.committee.name} ({data.scope.words()}) "
        f"{period_words(data.date_from, data.date_to).lower()}, như sau:",
    )
    _paragraph(
        docx,
        "Nhiệm vụ tính trong kỳ là nhiệm vụ có hạn hoàn thành ban đầu (chưa tính gia hạn) trong "
        "khoảng thời gian trên, hoặc được giao trong khoảng thời gian đó nếu không có hạn. "
        f"Số liệu tính đến ngày {day(data.today.day)}.",
        italic=True,
    )

    _heading(docx, "I. TÌNH HÌNH CHUNG")
    cancelled = f" (không tính {number(c.cancelled)} nhiệm vụ đã hủy)" if c.cancelled else ""
    _paragraph(docx, f"1. Tổng số nhiệm vụ trong kỳ: {number(c.total)}{cancelled}, trong đó:")
    _paragraph(docx, f"- Đã hoàn thành đúng hạn: {number(c.done_on_time)};")
    _paragraph(docx, f"- Đã hoàn thành nhưng quá hạn: {number(c.done_late)};")
    _paragraph(docx, f"- Quá hạn, chưa hoàn thành: {number(c.overdue)};")
    soon = f" (trong đó sắp đến hạn: {number(c.due_soon)})" if c.due_soon else ""
    _paragraph(docx, f"- Đang thực hiện, còn trong hạn: {number(c.in_progress)}{soon}.")
    if c.on_time_rate is None:
        _paragraph(docx, "2. Tỷ lệ hoàn thành đúng hạn: chưa có nhiệm vụ hoàn thành trong kỳ.")
    else:
        _paragraph(
            docx,
            f"2. Tỷ lệ hoàn thành đúng hạn (trên số nhiệm vụ đã hoàn thành): {percent(c.on_time_rate)}.",
        )
    _paragraph(docx, "3. Kết quả theo cơ quan chủ trì:").paragraph_format.keep_with_next = True
    if data.by_organization:
        _table(
            docx,
            [
                "STT",
                "Cơ quan chủ trì",
                "Tổng số",
                "Đúng hạn",
                "Hoàn thành quá hạn",
                "Quá hạn",
                "Đang thực hiện",
                "Tỷ lệ đúng hạn",
            ],
            [12, 46, 15, 15, 18, 15, 20, 24],
            _organization_rows(data),
            limit=len(data.by_organization) + 1,
        )
    else:
        _paragraph(docx, "Không có nhiệm vụ nào trong kỳ.", italic=True)

    _heading(docx, "II. DANH SÁCH NHIỆM VỤ QUÁ HẠN")
    if data.overdue_count:
        shown = _table(
            docx,
            ["STT", "Nhiệm vụ", "Nguồn", "Cơ quan chủ trì", "Hạn", "Số ngày quá hạn"],
            [12, 48, 32, 27, 26, 20],
            _overdue_rows(data),
            limit=max_rows,
        )
        _more_note(docx, shown, data.overdue_count)
    else:
        _paragraph(docx, "Không có nhiệm vụ quá hạn.", italic=True)

    _heading(docx, "III. NHIỆM VỤ ĐÃ HOÀN THÀNH TRONG KỲ")
    if data.completed_count:
        shown = _table(
            docx,
            ["STT", "Nhiệm vụ", "Nguồn", "Cơ quan chủ trì", "Hạn", "Ngày hoàn thành", "Kết quả"],
            [12, 38, 24, 25, 24, 24, 18],
            _completed_rows(data),
            limit=max_rows,
        )
        _more_note(docx, shown, data.completed_count)
    else:
        _paragraph(docx, "Không có nhiệm vụ hoàn thành trong kỳ.", italic=True)

    proposals_lines = [line.strip() for line in (proposals or "").splitlines() if line.strip()]
    if proposals_lines:
        _heading(docx, "IV. ĐỀ XUẤT, KIẾN NGHỊ")
        for line in proposals_lines:
            _paragraph(docx, line)

    docx.add_paragraph()
    recipient_lines = [line.strip() for line in (recipients or default_recipients(data)).splitlines()]
    write_closing(
        docx,
        recipients=[line for line in recipient_lines if line],
        signature_lines=[line.strip().upper() for line in signature_lines if line.strip()],
        signer_name=signer_name.strip(),
    )
    return to_bytes(docx)
