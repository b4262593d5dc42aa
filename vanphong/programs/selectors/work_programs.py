"""Who sees which work programme and which of its items, as SQL predicates, and the reads of
the programme pages and API: the list, one programme with its items, the items a shorter
programme may take from the longer ones, and the carried-out report.

A programme is seen whole by those who READ its organisation (its leaders, its office's
leaders and văn thư, through ``orgs.access``), by those who WRITE in its name (the office's
specialists compose it) and by whoever created it. The readers of an item's preparing
organisation and the leader in charge of an item see the programme with the items that
concern them only. Everyone else gets 404.

The state shown is derived: a programme whose issuing document (``Program.document``) has
been issued by the outgoing flow shows as issued (``program_state``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, QuerySet, Value, When

from vanphong.documents.models import DocumentState
from vanphong.orgs.access import AccessScope, Capability, can, scope_for
from vanphong.orgs.actors import Actor
from vanphong.programs.models import (
    PERIOD_RANK,
    ItemState,
    Program,
    ProgramItem,
    ProgramPeriod,
    ProgramState,
)

ROUTINE_PERIODS = frozenset({ProgramPeriod.MONTH, ProgramPeriod.WEEK})


def _whole_q(scope: AccessScope, prefix: str = "") -> Q:
    """Programmes (or ``prefix`` + programme) seen whole."""
    org = f"{prefix}organization__"
    q = scope.org_q(Capability.READ, prefix=org) | scope.org_q(Capability.WRITE, prefix=org)
    if scope.person_id is not None:
        q |= Q(**{f"{prefix}created_by_id": scope.person_id})
    return q


def _concern_q(scope: AccessScope, prefix: str = "") -> Q:
    """Items (or ``prefix`` + item) that concern the person: prepared by an organisation they
    read, or in their charge."""
    q = scope.org_q(Capability.READ, prefix=f"{prefix}preparing_organization__")
    if scope.person_id is not None:
        q |= Q(**{f"{prefix}leader_id": scope.person_id})
    return q


def program_visibility_q(user: Actor | None) -> Q:
    scope = scope_for(user)
    if scope.person_id is None:
        return Q(pk__in=[])
    concerned = Exists(ProgramItem.objects.filter(_concern_q(scope), program=OuterRef("pk")))
    return _whole_q(scope) | Q(concerned)


def programs_visible_to(user: Actor | None) -> QuerySet[Program]:
    return Program.objects.filter(program_visibility_q(user))


def items_visible_to(user: Actor | None) -> QuerySet[ProgramItem]:
    """The items ``user`` sees: every item of a programme seen whole, and those that concern them."""
    scope = scope_for(user)
    if scope.person_id is None:
        return ProgramItem.objects.none()
    return ProgramItem.objects.filter(_whole_q(scope, "program__") | _concern_q(scope))


def sees_whole(user: Actor | None, program: Program) -> bool:
    scope = scope_for(user)
    if scope.person_id is None:
        return False
    if scope.person_id == program.created_by_id:
        return True
    assert user is not None  # a scope with a person has a user
    return can(user, Capability.READ, program.organization) or can(
        user, Capability.WRITE, program.organization
    )


def may_edit_program(user: Actor | None, program: Program) -> bool:
    """Who composes and follows a programme: WRITE in its organisation's name."""
    return user is not None and can(user, Capability.WRITE, program.organization)


def may_approve_program(user: Actor | None, program: Program) -> bool:
    """The committee's leaders (DIRECT); the leaders of its Văn phòng (DIRECT_ROUTINE) for the
    routine programmes, monthly and weekly."""
    if user is None:
        return False
    if can(user, Capability.DIRECT, program.organization):
        return True
    return program.period in ROUTINE_PERIODS and can(user, Capability.DIRECT_ROUTINE, program.organization)


def may_create_programs(user: Actor | None) -> bool:
    return user is not None and can(user, Capability.WRITE)


def program_state(program: Program) -> str:
    """The state shown: issued once the issuing document is issued, else the stored one."""
    shown = getattr(program, "shown_state", None)
    if shown:
        return str(shown)
    document = program.document if program.document_id else None
    if document is not None and document.state == DocumentState.ISSUED:
        return ProgramState.ISSUED
    return program.state


def program_state_label(program: Program) -> str:
    return str(ProgramState(program_state(program)).label)


def _with_state(qs: QuerySet[Program]) -> QuerySet[Program]:
    return qs.annotate(
        shown_state=Case(
            When(document__state=DocumentState.ISSUED, then=Value(ProgramState.ISSUED)),
            default=F("state"),
            output_field=CharField(),
        )
    )


def program_list(
    user: Actor | None,
    *,
    organization: Any = None,
    period: str | None = None,
    year: int | None = None,
    body: str | None = None,
) -> QuerySet[Program]:
    """The programmes ``user`` sees, longest period first, newest first; ``year`` keeps those
    running in that year."""
    qs = programs_visible_to(user)
    if organization is not None:
        qs = qs.filter(organization=organization)
    if period:
        qs = qs.filter(period=period)
    if body:
        qs = qs.filter(body=body)
    if year is not None:
        qs = qs.filter(start__lte=dt.date(year, 12, 31), end__gte=dt.date(year, 1, 1))
    # The items counted are those the reader sees: all of a programme seen whole, only their
    # own of one they see in part (a count of the rest would say what they may not see).
    scope = scope_for(user)
    visible_items = Q(items__isnull=False) & (_whole_q(scope) | _concern_q(scope, "items__"))
    qs = (
        _with_state(qs)
        .select_related("organization", "document")
        .annotate(item_count=Count("items", filter=visible_items, distinct=True))
    )
    ordering = Case(
        *[When(period=value, then=Value(rank)) for value, rank in PERIOD_RANK.items()],
        default=Value(99),
    )
    return qs.order_by("-start", ordering, "organization__path", "body", "id")


def program_detail(user: Actor | None) -> QuerySet[Program]:
    """The queryset a programme page or answer reads one programme from (restricted to ``user``)."""
    return _with_state(programs_visible_to(user)).select_related(
        "organization", "document", "approved_by", "created_by"
    )


def _item_rows(qs: QuerySet[ProgramItem]) -> QuerySet[ProgramItem]:
    return qs.select_related(
        "program", "preparing_organization", "leader", "task", "parent__program", "moved_from__program"
    ).annotate(moved_to_id=F("moved_to__id"), moved_to_program_id=F("moved_to__program_id"))


def program_items(user: Actor | None, program: Program) -> QuerySet[ProgramItem]:
    """The items of ``program`` that ``user`` sees, in order."""
    qs = ProgramItem.objects.filter(program=program)
    if not sees_whole(user, program):
        qs = qs.filter(_concern_q(scope_for(user)))
    return _item_rows(qs).order_by("order")


def item_detail(user: Actor | None) -> QuerySet[ProgramItem]:
    return _item_rows(items_visible_to(user))


def carry_candidates(user: Actor | None, program: Program) -> QuerySet[ProgramItem]:
    """The planned items of the organisation's longer programmes running at the same time whose
    time falls in ``program`` (or that have none), not yet taken into it."""
    longer = [p for p, rank in PERIOD_RANK.items() if rank < PERIOD_RANK[program.period]]
    taken = ProgramItem.objects.filter(program=program, parent_id__isnull=False).values("parent_id")
    start, end = program.start, program.end
    month_start = start.replace(day=1)
    week_from = start - dt.timedelta(days=6)
    in_period = (
        Q(planned_date__isnull=True, planned_week__isnull=True, planned_month__isnull=True)
        | Q(planned_date__gte=start, planned_date__lte=end)
        | Q(planned_week__gte=week_from, planned_week__lte=end)
        | Q(planned_month__gte=month_start, planned_month__lte=end)
    )
    qs = items_visible_to(user).filter(
        in_period,
        program__organization_id=program.organization_id,
        program__period__in=longer,
        program__start__lte=end,
        program__end__gte=start,
        state=ItemState.PLANNED,
    )
    return (
        qs.exclude(pk__in=taken)
        .select_related("program", "preparing_organization", "leader")
        .order_by("program__start", "program__period", "order")
    )


def later_programs(user: Actor | None, program: Program) -> QuerySet[Program]:
    """The programmes an item of ``program`` may move to: the same organisation, body and
    steering committee, starting later."""
    return (
        programs_visible_to(user)
        .filter(
            organization_id=program.organization_id,
            body=program.body,
            steering_name=program.steering_name,
            start__gt=program.start,
        )
        .order_by("start", "period", "id")[:24]
    )


# --- The carried-out report ---------------------------------------------------------------------------


@dataclass
class ReportRow:
    organization_id: int | None
    name: str
    total: int = 0
    planned: int = 0
    done: int = 0
    moved: int = 0
    dropped: int = 0
    closed: list[ProgramItem] = field(default_factory=list)

    @property
    def percent_done(self) -> float:
        return round(100 * self.done / self.total, 1) if self.total else 0.0


@dataclass
class Report:
    program: Program
    rows: list[ReportRow]
    totals: ReportRow


NO_AGENCY = "Chưa giao cơ quan chuẩn bị"


def program_report(user: Actor | None, program: Program) -> Report:
    """What became of ``program``'s items (those ``user`` sees), by preparing agency: counts by
    state and the share done (done ÷ all items of the programme, moved and dropped included),
    with the moved and dropped items and their reasons. One aggregate query and one for the
    closed items."""
    items = ProgramItem.objects.filter(program=program)
    if not sees_whole(user, program):
        items = items.filter(_concern_q(scope_for(user)))
    counted = (
        items.values("preparing_organization_id", "preparing_organization__name")
        .annotate(
            total=Count("pk"),
            planned=Count("pk", filter=Q(state=ItemState.PLANNED)),
            done=Count("pk", filter=Q(state=ItemState.DONE)),
            moved=Count("pk", filter=Q(state=ItemState.MOVED)),
            dropped=Count("pk", filter=Q(state=ItemState.DROPPED)),
        )
        .order_by("preparing_organization__name")
    )
    rows: dict[int | None, ReportRow] = {}
    for r in counted:
        key = r["preparing_organization_id"]
        rows[key] = ReportRow(
            organization_id=key,
            name=r["preparing_organization__name"] or NO_AGENCY,
            total=r["total"],
            planned=r["planned"],
            done=r["done"],
            moved=r["moved"],
            dropped=r["dropped"],
        )
    closed = _item_rows(items.filter(state__in=[ItemState.MOVED, ItemState.DROPPED])).order_by("order")
    for item in closed:
        rows[item.preparing_organization_id].closed.append(item)
    ordered = sorted(rows.values(), key=lambda r: (r.organization_id is None, r.name))
    totals = ReportRow(organization_id=None, name="Tổng cộng")
    for row in ordered:
        totals.total += row.total
        totals.planned += row.planned
        totals.done += row.done
        totals.moved += row.moved
        totals.dropped += row.dropped
    return Report(program=program, rows=ordered, totals=totals)
