"""Reading tasks: the derived status as SQL, list filters, and the counts behind the
dashboards and reports — all inside the database, with access applied."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from vanphong.orgs.actors import Actor
from vanphong.orgs.models import Organization, Person
from vanphong.orgs.selectors import party_choices
from vanphong.tasks.access import sees_every_task, visible_tasks
from vanphong.tasks.calendar import WorkCalendar, due_soon_until
from vanphong.tasks.models import Outcome, PartyRole, Status, Task, TaskParty, TaskTally


@dataclass(frozen=True)
class Today:
    """The two dates every status depends on: today, and the last due date that counts as
    "sắp đến hạn". Computed once per request or job from the working-day calendar."""

    day: dt.date
    soon_until: dt.date

    @classmethod
    def now(cls, calendar: WorkCalendar | None = None, day: dt.date | None = None) -> Today:
        calendar = calendar or WorkCalendar.load()
        day = day or timezone.localdate()
        return cls(day=day, soon_until=due_soon_until(calendar, day))


def status_q(status: str, today: Today) -> Q:
    """A Q on Task for one derived status; ``in_progress`` is every open task not overdue
    (chưa đến hạn and sắp đến hạn), ``done`` both kinds of completed."""
    open_ = Q(outcome=Outcome.OPEN)
    if status == Status.OVERDUE:
        return open_ & Q(effective_due__lt=today.day)
    if status == Status.DUE_SOON:
        return open_ & Q(effective_due__gte=today.day, effective_due__lte=today.soon_until)
    if status == Status.NOT_DUE:
        return open_ & (Q(effective_due__isnull=True) | Q(effective_due__gt=today.soon_until))
    if status == "in_progress":
        return open_ & (Q(effective_due__isnull=True) | Q(effective_due__gte=today.day))
    if status == "open":
        return open_
    if status == Status.DONE_ON_TIME:
        return Q(outcome=Outcome.ON_TIME)
    if status == Status.DONE_LATE:
        return Q(outcome=Outcome.LATE)
    if status == "done":
        return Q(outcome__in=[Outcome.ON_TIME, Outcome.LATE])
    if status == Status.CANCELLED:
        return Q(outcome=Outcome.CANCELLED)
    raise ValueError(f"unknown task status {status!r}")


# The values a list may be filtered by (API ?status=, page filter), with their labels.
STATUS_FILTERS: dict[str, str] = {
    "in_progress": "Đang thực hiện (trong hạn)",
    Status.NOT_DUE.value: str(Status.NOT_DUE.label),
    Status.DUE_SOON.value: str(Status.DUE_SOON.label),
    Status.OVERDUE.value: str(Status.OVERDUE.label),
    "done": "Đã hoàn thành",
    Status.DONE_ON_TIME.value: str(Status.DONE_ON_TIME.label),
    Status.DONE_LATE.value: str(Status.DONE_LATE.label),
    Status.CANCELLED.value: str(Status.CANCELLED.label),
}


def with_status(queryset: QuerySet[Task], today: Today) -> QuerySet[Task]:
    """Annotate ``status`` (a ``Status`` value) computed by the database."""
    return queryset.annotate(
        status=Case(
            When(outcome=Outcome.CANCELLED, then=Value(Status.CANCELLED.value)),
            When(outcome=Outcome.ON_TIME, then=Value(Status.DONE_ON_TIME.value)),
            When(outcome=Outcome.LATE, then=Value(Status.DONE_LATE.value)),
            When(effective_due__isnull=True, then=Value(Status.NOT_DUE.value)),
            When(effective_due__lt=today.day, then=Value(Status.OVERDUE.value)),
            When(effective_due__lte=today.soon_until, then=Value(Status.DUE_SOON.value)),
            default=Value(Status.NOT_DUE.value),
            output_field=CharField(),
        )
    )


def status_of(task: Task, today: Today) -> str:
    """The same rule for one task already in memory (pages, notifications)."""
    if task.outcome == Outcome.CANCELLED:
        return Status.CANCELLED
    if task.outcome == Outcome.ON_TIME:
        return Status.DONE_ON_TIME
    if task.outcome == Outcome.LATE:
        return Status.DONE_LATE
    if task.effective_due is None:
        return Status.NOT_DUE
    if task.effective_due < today.day:
        return Status.OVERDUE
    if task.effective_due <= today.soon_until:
        return Status.DUE_SOON
    return Status.NOT_DUE


@dataclass(frozen=True)
class TaskFilters:
    status: str = ""
    organization: int | None = None  # lead organisation, or the one that gave it
    lead_organization: int | None = None
    giver: int | None = None  # organisation that gave the task
    unit: int | None = None
    assignee: int | None = None  # person: lead or cooperating
    issued_by: int | None = None
    source_kind: str = ""
    source_document: int | None = None
    parent: int | None = None
    top_level: bool = False
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    # The period a task counts in (statistics, reports): see ``period_q``.
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    q: str = ""
    mine: int | None = None  # person: named on it, or led by / shared with their unit or organisation
    given_by: int | None = None  # person: gave it or entered it


def period_q(start: dt.date | None, end: dt.date | None) -> Q:
    """Tasks counted in the period [start, end]: by their original due date (which no
    extension moves), or the day they were given when they have none — the rule of
    ``tally.month_of``, to the day."""
    q = Q()
    if start is not None:
        q &= Q(original_due_date__gte=start) | Q(original_due_date__isnull=True, assigned_on__gte=start)
    if end is not None:
        q &= Q(original_due_date__lte=end) | Q(original_due_date__isnull=True, assigned_on__lte=end)
    return q


def mine_q(person_id: int) -> Q:
    """The tasks that are a person's to do ("Việc của tôi"): those naming them (lead or
    cooperating), and those led by or shared with their own unit — or their own
    organisation, when no unit or person of it is named."""
    person = Person.objects.filter(pk=person_id).values("organization_id", "unit_id").first()
    named = Q(lead_person_id=person_id) | Q(
        Exists(TaskParty.objects.filter(task=OuterRef("pk"), person_id=person_id))
    )
    if person is None:
        return named
    org, unit = person["organization_id"], person["unit_id"]
    q = named | Q(lead_person__isnull=True, lead_unit__isnull=True, lead_organization_id=org)
    shared = Q(organization_id=org)
    if unit is not None:
        q |= Q(lead_person__isnull=True, lead_unit_id=unit)
        shared |= Q(unit_id=unit)
    return q | Q(Exists(TaskParty.objects.filter(shared, task=OuterRef("pk"), role=PartyRole.COOPERATE)))


def task_list(
    user: Actor, filters: TaskFilters | None = None, *, today: Today | None = None
) -> QuerySet[Task]:
    """The tasks ``user`` may see that pass ``filters``, with ``status`` annotated, newest
    given first (overdue lists: order by ``effective_due``)."""
    filters = filters or TaskFilters()
    today = today or Today.now()
    qs = visible_tasks(user)
    if filters.status:
        qs = qs.filter(status_q(filters.status, today))
    # Party conditions are EXISTS, not joins: a join needs DISTINCT, which on millions of
    # rows sorts every matching row with all its columns (see docs/tasks.md, benchmarks).
    if filters.organization is not None:
        qs = qs.filter(
            Q(lead_organization_id=filters.organization)
            | Q(organization_id=filters.organization)
            | Exists(TaskParty.objects.filter(task=OuterRef("pk"), organization_id=filters.organization))
        )
    if filters.lead_organization is not None:
        qs = qs.filter(lead_organization_id=filters.lead_organization)
    if filters.giver is not None:
        qs = qs.filter(organization_id=filters.giver)
    if filters.unit is not None:
        qs = qs.filter(
            Q(lead_unit_id=filters.unit)
            | Exists(TaskParty.objects.filter(task=OuterRef("pk"), unit_id=filters.unit))
        )
    if filters.assignee is not None:
        qs = qs.filter(
            Q(lead_person_id=filters.assignee)
            | Exists(TaskParty.objects.filter(task=OuterRef("pk"), person_id=filters.assignee))
        )
    if filters.issued_by is not None:
        qs = qs.filter(issued_by_id=filters.issued_by)
    if filters.source_kind:
        qs = qs.filter(source_kind=filters.source_kind)
    if filters.source_document is not None:
        qs = qs.filter(source_document_id=filters.source_document)
    if filters.parent is not None:
        qs = qs.filter(parent_id=filters.parent)
    elif filters.top_level:
        qs = qs.filter(parent__isnull=True)
    if filters.due_from is not None:
        qs = qs.filter(effective_due__gte=filters.due_from)
    if filters.due_to is not None:
        qs = qs.filter(effective_due__lte=filters.due_to)
    if filters.period_from is not None or filters.period_to is not None:
        qs = qs.filter(period_q(filters.period_from, filters.period_to))
    if filters.q:
        qs = qs.filter(Q(title__icontains=filters.q) | Q(source_label__icontains=filters.q))
    if filters.mine is not None:
        qs = qs.filter(mine_q(filters.mine))
    if filters.given_by is not None:
        qs = qs.filter(Q(issued_by_id=filters.given_by) | Q(created_by_id=filters.given_by))
    return with_status(qs, today).select_related(
        "lead_organization", "lead_unit", "lead_person", "organization"
    )


def overdue_list(
    user: Actor, filters: TaskFilters | None = None, *, today: Today | None = None
) -> QuerySet[Task]:
    """Open tasks past their due date, the most days late first."""
    today = today or Today.now()
    base = filters or TaskFilters()
    qs = task_list(user, TaskFilters(**{**base.__dict__, "status": Status.OVERDUE.value}), today=today)
    return qs.order_by("effective_due", "id")


def days_late(task: Task, today: Today) -> int:
    """Calendar days past the (working-day) due date; 0 when not late."""
    if task.effective_due is None:
        return 0
    end = task.completed_on or today.day
    return max(0, (end - task.effective_due).days)


# --- Counts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    total: int = 0
    done_on_time: int = 0
    done_late: int = 0
    overdue: int = 0
    in_progress: int = 0  # open and not overdue (due_soon included)
    due_soon: int = 0
    cancelled: int = 0

    @property
    def done(self) -> int:
        return self.done_on_time + self.done_late

    @property
    def on_time_rate(self) -> float | None:
        """Share of the completed tasks completed on time, in percent (None with none)."""
        return None if self.done == 0 else round(100 * self.done_on_time / self.done, 1)

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "done_on_time": self.done_on_time,
            "done_late": self.done_late,
            "overdue": self.overdue,
            "in_progress": self.in_progress,
            "due_soon": self.due_soon,
            "cancelled": self.cancelled,
            "on_time_rate": self.on_time_rate,
        }


def _count_fields(today: Today) -> dict[str, Any]:
    """The aggregates behind ``Counts``, one per field."""

    def n(q: Q) -> Sum:
        return Sum(Case(When(q, then=1), default=0, output_field=IntegerField()))

    return {
        "total": Count("id", filter=~Q(outcome=Outcome.CANCELLED)),
        "done_on_time": n(Q(outcome=Outcome.ON_TIME)),
        "done_late": n(Q(outcome=Outcome.LATE)),
        "overdue": n(status_q(Status.OVERDUE, today)),
        "in_progress": n(status_q("in_progress", today)),
        "due_soon": n(status_q(Status.DUE_SOON, today)),
        "cancelled": n(Q(outcome=Outcome.CANCELLED)),
    }


def _conditional_counts(qs: QuerySet[Task], today: Today) -> Counts:
    """One pass of conditional counts over an (already restricted, indexed) queryset."""
    row = qs.order_by().aggregate(**_count_fields(today))
    return Counts(**{k: v or 0 for k, v in row.items()})


def whole_months(start: dt.date | None, end: dt.date | None) -> bool:
    """Whether [start, end] is a run of whole months (either end may be open): what the
    tally, kept by month, can answer."""
    if start is not None and start.day != 1:
        return False
    return end is None or (end + dt.timedelta(days=1)).day == 1


def counts(user: Actor, filters: TaskFilters | None = None, *, today: Today | None = None) -> Counts:
    """Status counts of the tasks ``user`` may see that pass ``filters`` (SQL only). For a
    reader who sees every task (``sees_every_task``), with no filter but a period of whole
    months, they are the maintained tally's: the same numbers, without counting every task."""
    today = today or Today.now()
    base = filters or TaskFilters()
    period_only = TaskFilters(status=base.status, period_from=base.period_from, period_to=base.period_to)
    if base == period_only and whole_months(base.period_from, base.period_to) and sees_every_task(user):
        return tally_counts(None, today=today, month_from=base.period_from, month_to=base.period_to)
    qs = task_list(user, TaskFilters(**{**base.__dict__, "status": ""}), today=today)
    return _conditional_counts(qs, today)


def organization_counts(
    organization_ids: list[int],
    *,
    today: Today | None = None,
    period_from: dt.date | None = None,
    period_to: dt.date | None = None,
) -> Counts:
    """Counts of every task the organisations lead, counted over the tasks themselves (no
    reader's restriction: for callers who may read those organisations, classified tasks as
    numbers only) in any period of days (``period_q``) — what ``tally_counts`` answers for
    whole months."""
    today = today or Today.now()
    qs = Task.objects.filter(lead_organization_id__in=organization_ids)
    if period_from is not None or period_to is not None:
        qs = qs.filter(period_q(period_from, period_to))
    return _conditional_counts(qs, today)


def counts_by_lead_organization(
    user: Actor, filters: TaskFilters | None = None, *, today: Today | None = None
) -> dict[int, Counts]:
    """The same counts per lead organisation (id → Counts), in one grouped query."""
    today = today or Today.now()
    base = filters or TaskFilters()
    qs = task_list(user, TaskFilters(**{**base.__dict__, "status": ""}), today=today)
    if qs.query.distinct:  # a filter joined the parties: group the distinct tasks, not the join
        qs = Task.objects.filter(pk__in=qs.values("pk"))
    rows = qs.order_by().values("lead_organization_id").annotate(**_count_fields(today))
    return {row.pop("lead_organization_id"): Counts(**{k: v or 0 for k, v in row.items()}) for row in rows}


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _tally_scope(
    organization_ids: list[int] | None, givers: list[int] | None
) -> tuple[QuerySet[TaskTally], QuerySet[Task]]:
    """The tally rows and the open tasks of whole lead organisations (``organization_ids``)
    and/or of whole giving ones (``givers``); None leaves that side unbounded."""
    tallies = TaskTally.objects.all()
    open_tasks = Task.objects.filter(outcome=Outcome.OPEN)
    if organization_ids is not None:
        tallies = tallies.filter(organization_id__in=organization_ids)
        open_tasks = open_tasks.filter(lead_organization_id__in=organization_ids)
    if givers is not None:
        tallies = tallies.filter(giver_id__in=givers)
        open_tasks = open_tasks.filter(organization_id__in=givers)
    return tallies, open_tasks


def tally_counts(
    organization_ids: list[int] | None,
    *,
    givers: list[int] | None = None,
    today: Today | None = None,
    month_from: dt.date | None = None,
    month_to: dt.date | None = None,
) -> Counts:
    """Counts for whole lead organisations (the province, an organisation) — or, with
    ``givers``, for the tasks whole organisations gave — from the maintained tally, plus the
    open tasks split by due date from the indexes on open tasks. None means all; months
    bound the original due month."""
    today = today or Today.now()
    tallies, open_tasks = _tally_scope(organization_ids, givers)
    if month_from is not None:
        tallies = tallies.filter(month__gte=month_start(month_from))
    if month_to is not None:
        tallies = tallies.filter(month__lte=month_start(month_to))
    by_outcome = dict(tallies.values_list("outcome").annotate(n=Sum("count")).order_by())
    if month_from is not None or month_to is not None:
        # The open tasks in the months asked for (same rule as ``tally.month_of``).
        month_q = Q()
        if month_from is not None:
            month_q &= Q(original_due_date__gte=month_start(month_from)) | Q(
                original_due_date__isnull=True, assigned_on__gte=month_start(month_from)
            )
        if month_to is not None:
            end = _month_end(month_to)
            month_q &= Q(original_due_date__lte=end) | Q(original_due_date__isnull=True, assigned_on__lte=end)
        open_tasks = open_tasks.filter(month_q)
    overdue = open_tasks.filter(effective_due__lt=today.day).count()
    due_soon = open_tasks.filter(effective_due__gte=today.day, effective_due__lte=today.soon_until).count()
    open_total = by_outcome.get(Outcome.OPEN, 0) or 0
    return Counts(
        total=sum(v or 0 for k, v in by_outcome.items() if k != Outcome.CANCELLED),
        done_on_time=by_outcome.get(Outcome.ON_TIME, 0) or 0,
        done_late=by_outcome.get(Outcome.LATE, 0) or 0,
        overdue=overdue,
        in_progress=open_total - overdue,
        due_soon=due_soon,
        cancelled=by_outcome.get(Outcome.CANCELLED, 0) or 0,
    )


def _month_end(day: dt.date) -> dt.date:
    first = day.replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def tally_by_month(
    organization_ids: list[int] | None,
    month_from: dt.date,
    month_to: dt.date,
    *,
    givers: list[int] | None = None,
) -> list[dict[str, Any]]:
    """Per month of the original due date: tasks due, done on time, done late, still open."""
    tallies, _open = _tally_scope(organization_ids, givers)
    tallies = tallies.filter(month__gte=month_start(month_from), month__lte=month_start(month_to))
    rows: dict[dt.date, dict[str, Any]] = {}
    month = month_start(month_from)
    while month <= month_start(month_to):
        rows[month] = {"month": month, "total": 0, "done_on_time": 0, "done_late": 0, "open": 0}
        month = (month + dt.timedelta(days=32)).replace(day=1)
    names = {Outcome.ON_TIME: "done_on_time", Outcome.LATE: "done_late", Outcome.OPEN: "open"}
    for month, outcome, n in tallies.values_list("month", "outcome").annotate(n=Sum("count")).order_by():
        if outcome == Outcome.CANCELLED or month not in rows:
            continue
        rows[month][names[outcome]] += n
        rows[month]["total"] += n
    return list(rows.values())


def tally_by_organization(
    organization_ids: list[int] | None,
    *,
    givers: list[int] | None = None,
    today: Today | None = None,
    month_from: dt.date | None = None,
    month_to: dt.date | None = None,
) -> list[dict[str, Any]]:
    """Per lead organisation: totals by outcome and the overdue count, most overdue first.
    Months bound the original due month, as in ``tally_counts``."""
    today = today or Today.now()
    tallies, open_tasks = _tally_scope(organization_ids, givers)
    open_tasks = open_tasks.filter(effective_due__lt=today.day)
    if month_from is not None:
        tallies = tallies.filter(month__gte=month_start(month_from))
    if month_to is not None:
        tallies = tallies.filter(month__lte=month_start(month_to))
    if month_from is not None or month_to is not None:
        open_tasks = open_tasks.filter(
            period_q(
                month_start(month_from) if month_from is not None else None,
                _month_end(month_to) if month_to is not None else None,
            )
        )
    rows: dict[int, dict[str, Any]] = {}
    for org_id, outcome, n in (
        tallies.values_list("organization_id", "outcome").annotate(n=Sum("count")).order_by()
    ):
        row = rows.setdefault(
            org_id,
            {
                "organization_id": org_id,
                "total": 0,
                "done_on_time": 0,
                "done_late": 0,
                "open": 0,
                "overdue": 0,
            },
        )
        if outcome == Outcome.CANCELLED:
            continue
        row["total"] += n
        row[{Outcome.ON_TIME: "done_on_time", Outcome.LATE: "done_late", Outcome.OPEN: "open"}[outcome]] += n
    # COUNT(*), not COUNT(id): the partial index on open tasks then answers alone.
    for org_id, n in open_tasks.values_list("lead_organization_id").annotate(n=Count("*")).order_by():
        if org_id in rows:
            rows[org_id]["overdue"] = n
    for row in rows.values():
        done = row["done_on_time"] + row["done_late"]
        row["on_time_rate"] = None if done == 0 else round(100 * row["done_on_time"] / done, 1)
    return sorted(rows.values(), key=lambda r: (-r["overdue"], -r["total"], r["organization_id"]))


def party_targets(giver: Organization | None) -> list[tuple[str, Any]]:
    """Who may be named lead or cooperating on a task given in the name of ``giver``, grouped
    for the picker: the rule the service applies (``orgs.selectors.party_scope``, bodies not
    using the system included, as ``task_validate`` accepts them)."""
    return party_choices(giver, outside_bodies=True)
