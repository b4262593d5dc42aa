"""The periodic report to the Standing Committee: "Báo cáo tình hình thực hiện các kết luận,
ý kiến chỉ đạo" of the Thường trực and Ban Thường vụ, for a period and a scope, as a .docx
laid out by the Party's presentation rules (HD 36-HD/VPTW; ``documents.docx_render``) and
as an Excel workbook.

*Scope*: the whole province (every task given by the provincial committee), one giving
organisation, or one lead organisation; optionally one kind of source. *Period*: a task
counts in the period when its original due date — which no extension moves — falls in it,
or the day it was given when it has none (``selectors.period_q``, the rule of the tallies).
The statuses are those of the day the report is made ("Số liệu tính đến ngày ...").

Every number comes from ``selectors`` (``counts``, ``counts_by_lead_organization``,
``overdue_list``, ``task_list``) with the reader's access applied — the same numbers as the
dashboards; the lists are streamed from SQL. The builders take explicit arguments and
return bytes; ``report_generate`` checks who may, validates, builds and audits.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils.text import slugify

from vanphong.audit.services import audit_record
from vanphong.core.docx import (
    BODY_SIZE,
    add_line,
    new_page,
    to_bytes,
    write_closing,
    write_header,
)
from vanphong.core.textfold import fold
from vanphong.core.vndate import format_vn_date
from vanphong.orgs.access import Capability, can, organizations_with
from vanphong.orgs.models import Organization, OrgKind
from vanphong.orgs.naming import CLASSIFICATION_MARKS, header_names, issued_place
from vanphong.tasks.access import may_assign_for
from vanphong.tasks.models import Outcome, SourceKind, Status, Task
from vanphong.tasks.selectors import (
    Counts,
    TaskFilters,
    Today,
    counts,
    counts_by_lead_organization,
    days_late,
    overdue_list,
    task_list,
)

DOC_TYPE = "BC"
DEFAULT_SIGNER_TITLE = "CHÁNH VĂN PHÒNG"
DOCX_MAX_ROWS = 2000  # per list in the .docx; the workbook always holds every row
MAX_PERIOD_DAYS = 366 * 5
CHUNK = 1000
TABLE_SIZE = 12
MAX_ORGANIZATIONS = 300

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ScopeKind(StrEnum):
    PROVINCE = "province"
    GIVER = "giver"
    LEAD = "lead"


SCOPE_LABELS = {
    ScopeKind.PROVINCE: "Toàn tỉnh (nhiệm vụ do cấp ủy tỉnh giao)",
    ScopeKind.GIVER: "Nhiệm vụ do một cơ quan giao",
    ScopeKind.LEAD: "Nhiệm vụ do một cơ quan chủ trì thực hiện",
}


class Format(StrEnum):
    DOCX = "docx"
    XLSX = "xlsx"


FORMAT_LABELS = {Format.DOCX: "Văn bản Word (.docx)", Format.XLSX: "Bảng tính Excel (.xlsx)"}


# --- Who reports on what ----------------------------------------------------------------------


def province_committee() -> Organization | None:
    """The provincial committee: the highest hosted Party committee."""
    return (
        Organization.objects.filter(hosted=True, active=True, kind=OrgKind.COMMITTEE)
        .order_by("depth", "order", "pk")
        .first()
    )


def root_committee(organization: Organization) -> Organization:
    """The highest hosted committee above (or at) ``organization``: whose Standing
    Committee the report serves."""
    above = organization.ancestors().filter(hosted=True, kind=OrgKind.COMMITTEE).order_by("depth").first()
    if above is not None:
        return above
    return organization


def office_of(organization: Organization) -> Organization | None:
    """The Văn phòng that serves ``organization`` (itself, when it is one)."""
    if organization.is_office:
        return organization
    return (
        Organization.objects.filter(parent=organization, is_office=True, active=True)
        .order_by("order", "pk")
        .first()
    )


def may_report(user: Any, organization: Organization) -> bool:
    """Whether ``user`` may make the report on ``organization``'s tasks: who may give tasks
    for its committee (the Văn phòng follows them up) or for it, or who reads its records."""
    return (
        may_assign_for(user, root_committee(organization))
        or may_assign_for(user, organization)
        or can(user, Capability.READ, organization)
    )


def reportable_organizations(user: Any) -> list[Organization]:
    """The organisations ``user`` may choose as giver or lead (tree order): every hosted one
    under the provincial committee for those who follow its tasks up, else those they read."""
    province = province_committee()
    base = Organization.objects.filter(hosted=True, active=True)
    if province is not None and may_assign_for(user, province):
        qs = base.filter(path__startswith=province.path)
    else:
        qs = base.filter(pk__in=organizations_with(user, Capability.READ).values("pk"))
    return list(qs.order_by("path")[:MAX_ORGANIZATIONS])


@dataclass(frozen=True)
class ReportScope:
    kind: ScopeKind
    organization: Organization  # the committee (province), the giver or the lead
    source_kind: str = ""

    def filters(self, date_from: dt.date, date_to: dt.date) -> TaskFilters:
        by_lead = self.kind == ScopeKind.LEAD
        return TaskFilters(
            giver=None if by_lead else self.organization.pk,
            lead_organization=self.organization.pk if by_lead else None,
            source_kind=self.source_kind,
            period_from=date_from,
            period_to=date_to,
        )

    def words(self) -> str:
        """What the report covers, as its subtitle says it."""
        if self.kind == ScopeKind.LEAD:
            text = f"nhiệm vụ do {self.organization.name} chủ trì thực hiện"
        else:
            text = f"nhiệm vụ do {self.organization.name} giao"
        if self.source_kind:
            text += f"; nguồn: {SourceKind(self.source_kind).label}"
        return text


# --- The data -----------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganizationRow:
    organization_id: int
    name: str
    counts: Counts


@dataclass(frozen=True)
class ReportData:
    """Everything a report shows, read with ``user``'s access; the two lists are querysets
    iterated afresh by each builder."""

    user: Any
    scope: ReportScope
    date_from: dt.date
    date_to: dt.date
    today: Today
    committee: Organization
    issuer: Organization
    counts: Counts
    by_organization: list[OrganizationRow] = field(default_factory=list)
    overdue_count: int = 0
    completed_count: int = 0
    classification: int = 0  # the highest classification of a task listed by name

    @property
    def filters(self) -> TaskFilters:
        return self.scope.filters(self.date_from, self.date_to)

    def overdue(self) -> QuerySet[Task]:
        return overdue_tasks(self.user, self.filters, self.today)

    def completed(self) -> QuerySet[Task]:
        return completed_tasks(self.user, self.filters, self.today)


def overdue_tasks(user: Any, filters: TaskFilters, today: Today) -> QuerySet[Task]:
    """Open tasks past due, the most days late first."""
    return _slim(overdue_list(user, filters, today=today))


def completed_tasks(user: Any, filters: TaskFilters, today: Today) -> QuerySet[Task]:
    """Completed tasks (on time or late), in the order they were completed."""
    qs = task_list(user, replace(filters, status="done"), today=today)
    return _slim(qs).order_by("completed_on", "id")


_LIST_FIELDS = (
    "id",
    "title",
    "source_kind",
    "source_label",
    "classification",
    "assigned_on",
    "original_due_date",
    "due_date",
    "effective_due",
    "completed_on",
    "outcome",
    "progress",
    "organization__name",
    "lead_organization__name",
)


def _slim(qs: QuerySet[Task]) -> QuerySet[Task]:
    """Only the columns a list prints (no content or result text)."""
    return qs.select_related(None).select_related("organization", "lead_organization").only(*_LIST_FIELDS)


def _issuer(user: Any, scope: ReportScope, committee: Organization) -> Organization:
    """Who the report is from: the committee's Văn phòng for those who follow its tasks up;
    otherwise the chosen organisation (or its own Văn phòng)."""
    if may_assign_for(user, committee):
        return office_of(committee) or committee
    return office_of(scope.organization) or scope.organization


def report_data(
    user: Any, scope: ReportScope, date_from: dt.date, date_to: dt.date, *, today: Today | None = None
) -> ReportData:
    today = today or Today.now()
    filters = scope.filters(date_from, date_to)
    committee = root_committee(scope.organization)
    total = counts(user, filters, today=today)
    by_org = counts_by_lead_organization(user, filters, today=today)
    organizations = (
        Organization.objects.filter(pk__in=list(by_org)).order_by("path").values_list("pk", "name")
    )
    rows = [OrganizationRow(organization_id=pk, name=name, counts=by_org[pk]) for pk, name in organizations]
    listed = [
        overdue_tasks(user, filters, today).aggregate(m=Max("classification"))["m"],
        completed_tasks(user, filters, today).aggregate(m=Max("classification"))["m"],
    ]
    return ReportData(
        user=user,
        scope=scope,
        date_from=date_from,
        date_to=date_to,
        today=today,
        committee=committee,
        issuer=_issuer(user, scope, committee),
        counts=total,
        by_organization=rows,
        overdue_count=total.overdue,
        completed_count=total.done,
        classification=max(m or 0 for m in listed),
    )


# --- Words and numbers ------------------------------------------------------------------------


def number(value: int) -> str:
    """1234567 → "1.234.567" (Vietnamese thousands separator)."""
    return f"{value:,}".replace(",", ".")


def percent(value: float | None) -> str:
    """66.7 → "66,7%"; None → "—"."""
    return "—" if value is None else f"{value:.1f}%".replace(".", ",")


def day(value: dt.date | None) -> str:
    return "" if value is None else f"{value:%d/%m/%Y}"


def period_words(date_from: dt.date, date_to: dt.date) -> str:
    return f"Từ ngày {day(date_from)} đến ngày {day(date_to)}"


def source_text(task: Task) -> str:
    return task.source_label or str(SourceKind(task.source_kind).label)


def due_text(task: Task) -> str:
    """The due date in force, with the original one when an extension moved it."""
    if task.due_date is None:
        return "Không có hạn"
    text = day(task.due_date)
    if task.original_due_date is not None and task.original_due_date != task.due_date:
        text += f" (gia hạn; hạn ban đầu {day(task.original_due_date)})"
    return text


RATE_LABEL = "Tỷ lệ hoàn thành đúng hạn"


def summary_lines(c: Counts) -> list[tuple[str, int]]:
    """The counts as the report lists them (label, value); the on-time rate follows them."""
    return [
        ("Tổng số nhiệm vụ trong kỳ", c.total),
        ("Đã hoàn thành đúng hạn", c.done_on_time),
        ("Đã hoàn thành nhưng quá hạn", c.done_late),
        ("Quá hạn, chưa hoàn thành", c.overdue),
        ("Đang thực hiện, còn trong hạn", c.in_progress),
        ("Trong đó sắp đến hạn", c.due_soon),
        ("Đã hủy (không tính vào tổng số)", c.cancelled),
    ]


def default_recipients(data: ReportData) -> str:
    short = data.committee.short_name or data.committee.name
    return "\n".join(
        [
            f"- Thường trực {short} (để báo cáo),",
            f"- Các đồng chí Ủy viên Ban Thường vụ {short},",
            f"- Lưu {data.issuer.name}.",
        ]
    )


def title_words(data: ReportData) -> str:
    short = data.committee.short_name or data.committee.name
    return f"Tình hình thực hiện các kết luận, ý kiến chỉ đạo của Thường trực, Ban Thường vụ {short}"


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


# --- Generating, for a person ---------------------------------------------------------------


@dataclass(frozen=True)
class ReportOutput:
    content: bytes
    filename: str
    content_type: str


def report_generate(
    *,
    actor: Any,
    scope: ReportScope,
    date_from: dt.date,
    date_to: dt.date,
    fmt: Format | str,
    proposals: str = "",
    signer_title: str = DEFAULT_SIGNER_TITLE,
    signer_name: str = "",
    recipients: str = "",
    today: Today | None = None,
) -> ReportOutput:
    """The report on ``scope`` for ``actor`` (their visible tasks only), audited as
    ``task.report``."""
    errors: dict[str, str] = {}
    if date_to < date_from:
        errors["date_to"] = "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."
    elif (date_to - date_from).days > MAX_PERIOD_DAYS:
        errors["date_from"] = "Kỳ báo cáo dài quá 5 năm; vui lòng chọn khoảng thời gian ngắn hơn."
    if scope.source_kind and scope.source_kind not in SourceKind.values:
        errors["source_kind"] = "Nguồn giao không hợp lệ."
    try:
        fmt = Format(fmt)
    except ValueError:
        errors["fmt"] = "Định dạng không hợp lệ."
    organization = scope.organization
    if not organization.hosted:
        errors["organization"] = "Cơ quan này không dùng hệ thống, không có nhiệm vụ để báo cáo."
    elif scope.kind == ScopeKind.PROVINCE and organization.kind != OrgKind.COMMITTEE:
        errors["organization"] = "Báo cáo toàn tỉnh là báo cáo về nhiệm vụ do cấp ủy giao."
    if errors:
        raise ValidationError(errors)
    if not may_report(actor, organization):
        raise PermissionDenied(f"Bạn không có quyền lập báo cáo về nhiệm vụ của {organization.name}.")

    data = report_data(actor, scope, date_from, date_to, today=today)
    if fmt == Format.DOCX:
        content = build_docx(
            data,
            proposals=proposals,
            signature_lines=(signer_title or DEFAULT_SIGNER_TITLE).splitlines(),
            signer_name=signer_name,
            recipients=recipients,
        )
        content_type = DOCX_TYPE
    else:
        content = build_xlsx(data)
        content_type = XLSX_TYPE
    # Built first, outside any write transaction (a long list takes a while), then recorded.
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="task.report",
            target=organization,
            organization_id=organization.pk,
            after={
                "scope": scope.kind.value,
                "organization": organization.pk,
                "source_kind": scope.source_kind,
                "from": date_from,
                "to": date_to,
                "format": fmt.value,
                "as_of": data.today.day,
                "counts": data.counts.as_dict(),
                "classification": data.classification,
            },
        )
    name = organization.short_name or organization.name
    stem = slugify(fold(f"bao cao nhiem vu {name} {date_from:%Y%m%d}-{date_to:%Y%m%d}"))
    return ReportOutput(content=content, filename=f"{stem}.{fmt.value}", content_type=content_type)
