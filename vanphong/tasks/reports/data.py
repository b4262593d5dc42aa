"""Who reports on what, and the report's numbers and lists, with the reader's access applied;
the words and numbers as the report prints them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from enum import StrEnum

from django.db.models import Max, QuerySet

from vanphong.orgs.access import Capability, can, organizations_with
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import Organization, OrgKind
from vanphong.tasks.access import may_assign_for
from vanphong.tasks.models import SourceKind, Task
from vanphong.tasks.selectors import (
    Counts,
    TaskFilters,
    Today,
    counts,
    counts_by_lead_organization,
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


def may_report(user: Actor, organization: Organization) -> bool:
    """Whether ``user`` may make the report on ``organization``'s tasks: who may give tasks
    for its committee (the Văn phòng follows them up) or for it, or who reads its records."""
    return (
        may_assign_for(user, root_committee(organization))
        or may_assign_for(user, organization)
        or can(user, Capability.READ, organization)
    )


def reportable_organizations(user: Actor) -> list[Organization]:
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

    user: Actor
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


def overdue_tasks(user: Actor, filters: TaskFilters, today: Today) -> QuerySet[Task]:
    """Open tasks past due, the most days late first."""
    return _slim(overdue_list(user, filters, today=today))


def completed_tasks(user: Actor, filters: TaskFilters, today: Today) -> QuerySet[Task]:
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


def _issuer(user: Actor, scope: ReportScope, committee: Organization) -> Organization:
    """Who the report is from: the committee's Văn phòng for those who follow its tasks up;
    otherwise the chosen organisation (or its own Văn phòng)."""
    if may_assign_for(user, committee):
        return office_of(committee) or committee
    return office_of(scope.organization) or scope.organization


def report_data(
    user: Actor, scope: ReportScope, date_from: dt.date, date_to: dt.date, *, today: Today | None = None
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
