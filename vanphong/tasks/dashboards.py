"""The numbers behind the task dashboards (bảng điều hành): province, organisation, unit and
leader. Everything is counted by the database — whole lead organisations from the
maintained ``TaskTally`` and the partial index on open tasks, the rest by grouped
conditional counts on indexed columns — so a page costs the same number of queries with ten
tasks or two million.

Two rules hold on every dashboard:

* The period (from month, to month) is that of the *original* due date, or of the day the
  task was given when it has none (``selectors.period_q``, ``tally.month_of``): an extension
  never moves a task to another month.
* Province and organisation numbers come from the tally, which counts every task, classified
  ones included, as a number; the lists behind them (the overdue list here, the task list a
  number links to) show only what the reader may see. Unit and leader numbers are counted
  over the tasks the reader may see: those of ``selectors.counts`` with the same filters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth

from vanphong.orgs.access import Capability, organizations_with, scope_for
from vanphong.orgs.actors import Actor, person_of
from vanphong.orgs.models import Organization, Person, Role, RoleAssignment, Unit
from vanphong.tasks.access import visible_tasks
from vanphong.tasks.models import Outcome, Status, Task, TaskParty
from vanphong.tasks.selectors import (
    Counts,
    TaskFilters,
    Today,
    days_late,
    month_start,
    overdue_list,
    period_q,
    status_q,
    tally_by_month,
    tally_by_organization,
    tally_counts,
)

OVERDUE_TOP = 20  # tasks shown in a dashboard's overdue list; the rest behind "Xem tất cả"
TREND_MONTHS = 12  # months in the trend chart when no period is chosen
MAX_TREND_MONTHS = 36  # the longest trend drawn; a longer period shows its last 36 months


# --- Period ------------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after (or before) ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(day: dt.date) -> dt.date:
    return add_months(day, 1) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """The months a dashboard counts: tasks whose original due date (or, with none, the day
    given) falls between ``month_from`` and ``month_to``, both first days of months; either
    may be open."""

    month_from: dt.date | None = None
    month_to: dt.date | None = None

    @property
    def start(self) -> dt.date | None:
        return self.month_from

    @property
    def end(self) -> dt.date | None:
        return month_end(self.month_to) if self.month_to is not None else None

    @property
    def bounded(self) -> bool:
        return self.month_from is not None or self.month_to is not None

    def trend(self, today: dt.date) -> tuple[dt.date, dt.date]:
        """First and last month of the trend chart: the period, or the last twelve months
        up to this one, never more than ``MAX_TREND_MONTHS``."""
        last = self.month_to or max(month_start(today), self.month_from or month_start(today))
        first = self.month_from or add_months(last, -(TREND_MONTHS - 1))
        if first > last:
            first = last
        if (last.year - first.year) * 12 + last.month - first.month >= MAX_TREND_MONTHS:
            first = add_months(last, -(MAX_TREND_MONTHS - 1))
        return first, last


# --- Blocks ------------------------------------------------------------------------------------


@dataclass
class Block:
    """One set of widgets: the counts by status, the overdue list, the trend by month and a
    breakdown (by lead organisation, or by unit for an organisation's own tasks).

    ``params`` are the task-list filters that select the block's tasks (drill-down links
    add a status and the period to them); ``breakdown_param`` is the filter each breakdown
    row adds (``lead_organization`` or ``unit``)."""

    key: str
    title: str
    counts: Counts
    overdue: list[Task]
    months: list[dict[str, Any]]
    breakdown: list[dict[str, Any]]
    params: dict[str, Any] = field(default_factory=dict)
    breakdown_param: str = "lead_organization"
    breakdown_label: str = "Cơ quan chủ trì"
    from_tally: bool = True

    @property
    def empty(self) -> bool:
        return self.counts.total == 0 and self.counts.cancelled == 0


def _n(q: Q) -> Sum:
    return Sum(Case(When(q, then=1), default=0, output_field=IntegerField()))


def counts_of(qs: QuerySet[Task], today: Today) -> Counts:
    """Status counts of an (unrestricted, indexed) set of tasks in one query, reading only
    ``outcome`` and ``effective_due`` so that an index holding both answers it alone."""
    row = qs.order_by().aggregate(
        total=_n(~Q(outcome=Outcome.CANCELLED)),
        done_on_time=_n(Q(outcome=Outcome.ON_TIME)),
        done_late=_n(Q(outcome=Outcome.LATE)),
        overdue=_n(status_q(Status.OVERDUE, today)),
        in_progress=_n(status_q("in_progress", today)),
        due_soon=_n(status_q(Status.DUE_SOON, today)),
        cancelled=_n(Q(outcome=Outcome.CANCELLED)),
    )
    return Counts(**{k: v or 0 for k, v in row.items()})


def rows_by_month(qs: QuerySet[Task], first: dt.date, last: dt.date, today: Today) -> list[dict[str, Any]]:
    """Per month of the original due date, like ``selectors.tally_by_month`` but for any set
    of tasks (a unit's, a leader's, those an organisation gave): one grouped query."""
    rows: dict[dt.date, dict[str, Any]] = {}
    month = month_start(first)
    while month <= month_start(last):
        rows[month] = {"month": month, "done_on_time": 0, "done_late": 0, "open": 0, "overdue": 0}
        month = add_months(month, 1)
    grouped = (
        qs.filter(period_q(month_start(first), month_end(last)))
        .annotate(due_month=_due_month())
        .values("due_month")
        .annotate(
            done_on_time=_n(Q(outcome=Outcome.ON_TIME)),
            done_late=_n(Q(outcome=Outcome.LATE)),
            open=_n(Q(outcome=Outcome.OPEN)),
            overdue=_n(status_q(Status.OVERDUE, today)),
        )
        .order_by()
    )
    for g in grouped:
        row = rows.get(_as_date(g["due_month"]))
        if row is None:
            continue
        for key in ("done_on_time", "done_late", "open", "overdue"):
            row[key] = g[key] or 0
    for row in rows.values():
        row["total"] = row["done_on_time"] + row["done_late"] + row["open"]
        row["in_progress"] = row["open"] - row["overdue"]
    return list(rows.values())


def _as_date(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _due_month() -> TruncMonth:
    return TruncMonth(Coalesce("original_due_date", "assigned_on"), output_field=DateField())


def tally_months(
    organization_ids: list[int] | None,
    first: dt.date,
    last: dt.date,
    today: Today,
    *,
    givers: list[int] | None = None,
) -> list[dict[str, Any]]:
    """``selectors.tally_by_month`` with the open tasks split into overdue and in progress:
    the overdue ones grouped by due month from the indexes on open tasks."""
    rows = tally_by_month(organization_ids, first, last, givers=givers)
    scope = Task.objects.filter(status_q(Status.OVERDUE, today))
    if organization_ids is not None:
        scope = scope.filter(lead_organization_id__in=organization_ids)
    if givers is not None:
        scope = scope.filter(organization_id__in=givers)
    overdue = (
        scope.filter(period_q(month_start(first), month_end(last)))
        .annotate(due_month=_due_month())
        .values("due_month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    late = {_as_date(g["due_month"]): g["n"] for g in overdue}
    for row in rows:
        row["overdue"] = min(late.get(row["month"], 0), row["open"])
        row["in_progress"] = row["open"] - row["overdue"]
    return rows


def rows_by_unit(qs: QuerySet[Task], today: Today, unit_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """Per unit, the tasks of ``qs`` it leads or cooperates on — the rule of
    ``TaskFilters(unit=...)`` — in two grouped queries: by lead unit, then by the units
    named as parties on tasks they do not lead (so that no task counts twice for a unit).
    With ``unit_ids`` (an organisation's units) both start from those units' indexes
    instead of every task of ``qs`` (at 2,000,000 tasks a commune leads ~180,000)."""
    led = qs.filter(lead_unit_id__in=unit_ids) if unit_ids is not None else qs.filter(lead_unit__isnull=False)
    by_lead = rows_by(led, "lead_unit_id", today)
    named = Q(parties__unit_id__in=unit_ids) if unit_ids is not None else Q(parties__unit__isnull=False)
    as_party = rows_by(
        qs.filter(
            named
            & (
                Q(lead_unit__isnull=True)
                | Q(parties__unit_id__lt=F("lead_unit_id"))
                | Q(parties__unit_id__gt=F("lead_unit_id"))
            )
        ),
        "parties__unit_id",
        today,
    )
    merged: dict[int, dict[str, Any]] = {}
    for row in [*by_lead, *as_party]:
        into = merged.setdefault(
            row["id"],
            {"id": row["id"], "total": 0, "done_on_time": 0, "done_late": 0, "open": 0, "overdue": 0},
        )
        for key in ("total", "done_on_time", "done_late", "open", "overdue"):
            into[key] += row[key]
    for row in merged.values():
        _rate(row)
    return sorted(merged.values(), key=lambda r: (-r["overdue"], -r["total"], r["id"]))


def _rate(row: dict[str, Any]) -> None:
    done = row["done_on_time"] + row["done_late"]
    row["on_time_rate"] = None if done == 0 else round(100 * row["done_on_time"] / done, 1)


def rows_by(qs: QuerySet[Task], column: str, today: Today) -> list[dict[str, Any]]:
    """Per value of ``column`` (``lead_organization_id``, ``lead_unit_id``): totals by
    outcome and the overdue count, most overdue first — the shape of
    ``selectors.tally_by_organization`` (the id under ``"id"``)."""
    grouped = (
        qs.values(column)
        .annotate(
            total=_n(~Q(outcome=Outcome.CANCELLED)),
            done_on_time=_n(Q(outcome=Outcome.ON_TIME)),
            done_late=_n(Q(outcome=Outcome.LATE)),
            open=_n(Q(outcome=Outcome.OPEN)),
            overdue=_n(status_q(Status.OVERDUE, today)),
        )
        .order_by()
    )
    rows = []
    for g in grouped:
        row = {k: g[k] or 0 for k in ("total", "done_on_time", "done_late", "open", "overdue")}
        row["id"] = g[column]
        if row["total"] == 0:
            continue
        _rate(row)
        rows.append(row)
    return sorted(rows, key=lambda r: (-r["overdue"], -r["total"], r["id"] or 0))


def _named(rows: list[dict[str, Any]], model: type[Organization] | type[Unit]) -> list[dict[str, Any]]:
    """Attach the organisation (or unit) of each row, in one query."""
    ids = [r["id"] for r in rows if r["id"] is not None]
    queryset = model.objects.select_related("organization") if model is Unit else model.objects.all()
    objects = queryset.in_bulk(ids) if ids else {}
    for row in rows:
        row["object"] = objects.get(row["id"])
    return rows


def _overdue(user: Actor, filters: TaskFilters, today: Today) -> list[Task]:
    tasks = list(overdue_list(user, filters, today=today)[:OVERDUE_TOP])
    for task in tasks:
        task.days_late = days_late(task, today)
    return tasks


def _filters(period: Period, **kwargs: Any) -> TaskFilters:
    return TaskFilters(period_from=period.start, period_to=period.end, **kwargs)


def _tally_block(
    user: Actor,
    *,
    key: str,
    title: str,
    organization_ids: list[int] | None,
    list_filters: dict[str, Any],
    period: Period,
    today: Today,
    givers: list[int] | None = None,
) -> Block:
    first, last = period.trend(today.day)
    breakdown = tally_by_organization(
        organization_ids, givers=givers, today=today, month_from=period.month_from, month_to=period.month_to
    )
    rows = []
    for row in breakdown:
        if row["total"] == 0 and row["overdue"] == 0:
            continue
        row = {**row, "id": row["organization_id"]}
        rows.append(row)
    return Block(
        key=key,
        title=title,
        counts=tally_counts(
            organization_ids,
            givers=givers,
            today=today,
            month_from=period.month_from,
            month_to=period.month_to,
        ),
        overdue=_overdue(user, _filters(period, **list_filters), today),
        months=tally_months(organization_ids, first, last, today, givers=givers),
        breakdown=rows,
        params=list_filters,
    )


# --- Who sees which dashboard ---------------------------------------------------------------


def province_paths(user: Actor) -> list[str]:
    """Tree paths of the committees where ``user`` holds a leader's role (lãnh đạo cấp ủy,
    their own or delegated to them), which reaches the whole subtree."""
    scope = scope_for(user)
    return sorted({g.path for g in scope.grants if g.role == Role.LANH_DAO_CAP_UY and g.subtree})


def province_organizations(user: Actor) -> list[Organization]:
    """The organisations whose tasks make up ``user``'s province-wide dashboard: every
    organisation in the subtree of a committee where they hold a leader's role
    (lãnh đạo cấp ủy, their own or delegated to them). Empty for everyone else."""
    paths = province_paths(user)
    if not paths:
        return []
    q = Q()
    for path in paths:
        q |= Q(path__startswith=path)
    return list(Organization.objects.filter(q).only("pk", "name", "short_name", "path", "hosted"))


def province_roots(user: Actor, organizations: list[Organization]) -> list[Organization]:
    """The committees the province dashboard is about (for its heading)."""
    scope = scope_for(user)
    ids = {g.organization_id for g in scope.grants if g.role == Role.LANH_DAO_CAP_UY and g.subtree}
    return [o for o in organizations if o.pk in ids]


def may_see_organization(user: Actor, organization: Organization) -> bool:
    return scope_for(user).reaches(Capability.READ, organization)


def may_see_leader(user: Actor, person: Person) -> bool:
    """A leader's dashboard: one's own, or that of someone who works or holds a role in an
    organisation one may read. (Its numbers count only the tasks the reader may see.)"""
    scope = scope_for(user)
    if scope.person_id is None:
        return False
    if person.pk == scope.person_id or scope.reaches(Capability.READ, person.organization):
        return True
    roles = RoleAssignment.objects.current().filter(person=person).select_related("organization")
    return any(scope.reaches(Capability.READ, ra.organization) for ra in roles)


def home_organization(user: Actor) -> Organization | None:
    """The organisation whose dashboard a user who is not a province leader sees first:
    the one they work in when they may read it, else the first where they hold a role."""
    scope = scope_for(user)
    person = person_of(user)
    if person is not None and scope.reaches(Capability.READ, person.organization):
        return person.organization
    ids = [g.organization_id for g in scope.grants_for(Capability.READ)]
    return Organization.objects.filter(pk__in=ids, active=True).order_by("path").first()


# --- The dashboards ----------------------------------------------------------------------------


def province_dashboard(
    user: Actor, organizations: list[Organization], period: Period, today: Today
) -> list[Block]:
    """Every task led by an organisation in the province leader's reach, from the tally."""
    ids = [o.pk for o in organizations]
    block = _tally_block(
        user,
        key="province",
        title="Nhiệm vụ các tổ chức trong đảng bộ chủ trì",
        organization_ids=ids,
        list_filters={},
        period=period,
        today=today,
    )
    by_id = {o.pk: o for o in organizations}
    for row in block.breakdown:
        row["object"] = by_id.get(row["id"])
    return [block]


def organization_dashboard(
    user: Actor, organization: Organization, period: Period, today: Today
) -> list[Block]:
    """The tasks an organisation leads (from the tally; broken down by its units) and those
    it gave (from the tally's giver side; broken down by lead organisation)."""
    lead = _tally_block(
        user,
        key="lead",
        title="Nhiệm vụ chủ trì thực hiện",
        organization_ids=[organization.pk],
        list_filters={"lead_organization": organization.pk},
        period=period,
        today=today,
    )
    led = Task.objects.filter(lead_organization_id=organization.pk)
    if period.bounded:
        led = led.filter(period_q(period.start, period.end))
    units = list(Unit.objects.filter(organization=organization).values_list("pk", flat=True))
    lead.breakdown = _named(rows_by_unit(led, today, unit_ids=units), Unit)
    lead.breakdown_param = "unit"
    lead.breakdown_label = "Phòng chủ trì, phối hợp"

    given = _tally_block(
        user,
        key="given",
        title="Nhiệm vụ đã giao",
        organization_ids=None,
        givers=[organization.pk],
        list_filters={"giver": organization.pk},
        period=period,
        today=today,
    )
    given.breakdown = _named(given.breakdown, Organization)
    return [lead, given]


def _visible_block(
    user: Actor,
    *,
    key: str,
    title: str,
    tasks: QuerySet[Task],
    list_filters: dict[str, Any],
    period: Period,
    today: Today,
) -> Block:
    """A block over ``tasks``, the tasks ``user`` may see that pass ``list_filters`` (a
    unit's, a leader's): the numbers are those of ``selectors.counts(user, TaskFilters(...))``
    (the tests hold them equal), counted by grouped queries straight on the set — not on
    ``task_list``, whose joins and ``distinct`` would have to be wrapped in a subquery."""
    in_period = tasks.filter(period_q(period.start, period.end)) if period.bounded else tasks
    first, last = period.trend(today.day)
    return Block(
        key=key,
        title=title,
        counts=counts_of(in_period, today),
        overdue=_overdue(user, _filters(period, **list_filters), today),
        months=rows_by_month(tasks, first, last, today),
        breakdown=_named(rows_by(in_period, "lead_organization_id", today), Organization),
        params=list_filters,
        from_tally=False,
    )


def unit_dashboard(user: Actor, unit: Unit, period: Period, today: Today) -> list[Block]:
    """The tasks a unit leads or cooperates on (the rule of ``TaskFilters(unit=...)``)."""
    # Led by the unit, or naming it as a party: the two id sets united first, so that the
    # database starts from the unit's few tasks (an OR with EXISTS would scan them all).
    ids = (
        Task.objects.filter(lead_unit_id=unit.pk)
        .order_by()
        .values("pk")
        .union(TaskParty.objects.filter(unit_id=unit.pk).order_by().values("task_id"))
    )
    tasks = visible_tasks(user).filter(pk__in=ids)
    return [
        _visible_block(
            user,
            key="unit",
            title="Nhiệm vụ phòng chủ trì, phối hợp",
            tasks=tasks,
            list_filters={"unit": unit.pk},
            period=period,
            today=today,
        )
    ]


def leader_dashboard(user: Actor, person: Person, period: Period, today: Today) -> list[Block]:
    """The tasks a leader gave (issued_by). On one's own, the access rule reduces to the
    clearance: whoever a task names as its issuer sees it up to their clearance
    (``access.task_visibility_q``), which spares the database the whole visibility test."""
    scope = scope_for(user)
    if person.pk == scope.person_id:
        tasks = Task.objects.filter(issued_by_id=person.pk, classification__lte=scope.clearance)
    else:
        tasks = visible_tasks(user).filter(issued_by_id=person.pk)
    return [
        _visible_block(
            user,
            key="leader",
            title="Nhiệm vụ do lãnh đạo giao",
            tasks=tasks,
            list_filters={"issued_by": person.pk},
            period=period,
            today=today,
        )
    ]


# --- Links to the other dashboards ------------------------------------------------------------


LEADER_ROLES = (Role.LANH_DAO_CAP_UY, Role.LANH_DAO_VAN_PHONG, Role.LANH_DAO_PHONG)
MAX_LEADER_LINKS = 30


@dataclass(frozen=True)
class Choices:
    """The dashboards offered to a user besides the one shown."""

    person_id: int | None
    province: bool
    organizations: list[Organization]  # where they hold a role, and where they work
    units: list[Unit]  # of those organisations
    leaders: list[Person]  # leaders of those organisations, the user first
    pickable: list[Organization]  # every organisation whose dashboard they may open

    @property
    def pickable_count(self) -> int:
        return len(self.pickable)


def choices_for(user: Actor) -> Choices:
    scope = scope_for(user)
    own_ids = {g.organization_id for g in scope.grants_for(Capability.READ)}
    person = person_of(user)
    if person is not None and scope.reaches(Capability.READ, person.organization):
        own_ids.add(person.organization_id)
    organizations = list(Organization.objects.filter(pk__in=own_ids, active=True).order_by("path"))
    units = list(
        Unit.objects.filter(organization_id__in=own_ids, active=True)
        .select_related("organization")
        .order_by("organization__path", "order", "name")
    )
    leader_ids = (
        RoleAssignment.objects.current()
        .filter(organization_id__in=own_ids, role__in=LEADER_ROLES, person__active=True)
        .values("person_id")
    )
    leaders = list(
        Person.objects.filter(Q(pk__in=leader_ids) | Q(pk=scope.person_id or 0))
        .select_related("organization")
        .order_by("organization__path", "full_name")[:MAX_LEADER_LINKS]
    )
    leaders.sort(key=lambda p: p.pk != scope.person_id)
    return Choices(
        person_id=scope.person_id,
        province=bool(province_paths(user)),
        organizations=organizations,
        units=units,
        leaders=leaders,
        pickable=list(
            organizations_with(user, Capability.READ)
            .filter(active=True)
            .only("pk", "name", "path")
            .order_by("path")
        ),
    )
