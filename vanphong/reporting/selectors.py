"""Who sees which report request and which report, as SQL predicates, and the reads shared by
the pages, the API and the export: the tracking board and the aggregation.

* A request is seen by the requester side — those who read or write for the requesting
  organisation (its leaders, its office's leaders, specialists and văn thư) — and by each
  recipient (those who read or write for it).
* A report (one recipient, one period) is seen by the requester side and by its own
  organisation only: a commune never sees its neighbour's (404).
* The tracking board of a period is the requester side's; a recipient sees its own row.
* The aggregation (totals, comparisons, export, summary) is the requester side's.
* A report's contents (numbers, texts, files) are its own organisation's until they are
  sent: the requester side sees that a report is being drafted, and what it says once it
  was sent (state submitted, or returned for correction).
* The live board of a rapid request (daily or hourly) is the board of one day: every
  recipient × every slot of the day, with the key figures of each one's latest report."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from vanphong.orgs.access import Capability, scope_for
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import Organization
from vanphong.reporting import periods
from vanphong.reporting.models import (
    Frequency,
    Indicator,
    ReportRequest,
    ReportSubmission,
    ReportValue,
    SubmissionState,
)
from vanphong.tasks.access import may_direct_for

# The states whose contents the requester side reads: sent, or sent and returned.
SENT_STATES = (SubmissionState.SUBMITTED, SubmissionState.RETURNED)
KEY_FIGURES = 3  # the first indicators of a rapid request's template, shown on its live board


class BoardStatus:
    PENDING = "pending"
    OVERDUE = "overdue"
    SUBMITTED = "submitted"
    SUBMITTED_LATE = "submitted_late"
    RETURNED = "returned"
    DRAFT = "draft"
    WITHDRAWN = "withdrawn"

    LABELS = {
        "pending": "Chưa nộp",
        "overdue": "Quá hạn, chưa nộp",
        "submitted": "Đã nộp đúng hạn",
        "submitted_late": "Đã nộp muộn",
        "returned": "Bị trả lại",
        "draft": "Đang soạn",
        "withdrawn": "Đã rút lại (yêu cầu đã kết thúc)",
    }
    ALL = tuple(LABELS)


def _reach_q(user: Actor | None, prefix: str) -> Q:
    """Organisations (through ``prefix``) where ``user`` reads or writes."""
    scope = scope_for(user)
    return scope.org_q(Capability.READ, prefix=prefix) | scope.org_q(Capability.WRITE, prefix=prefix)


def requester_q(user: Actor | None) -> Q:
    return _reach_q(user, "organization__")


def requests_visible_to(user: Actor | None) -> QuerySet[ReportRequest]:
    if scope_for(user).person_id is None:
        return ReportRequest.objects.none()
    received = Exists(
        ReportRequest.recipients.through.objects.filter(reportrequest_id=OuterRef("pk")).filter(
            _reach_q(user, "organization__")
        )
    )
    return ReportRequest.objects.filter(requester_q(user) | Q(received))


def request_detail(user: Actor | None) -> QuerySet[ReportRequest]:
    return (
        requests_visible_to(user)
        .select_related("organization", "created_by")
        .prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("order", "id")),
            Prefetch("recipients", queryset=Organization.objects.order_by("path")),
        )
    )


def requests_made(user: Actor | None) -> QuerySet[ReportRequest]:
    """The requests of organisations ``user`` reads or writes for, newest first."""
    if scope_for(user).person_id is None:
        return ReportRequest.objects.none()
    return (
        ReportRequest.objects.filter(requester_q(user))
        .select_related("organization")
        .order_by("-created_at", "-id")
    )


def is_requester_side(user: Actor | None, request: ReportRequest) -> bool:
    scope = scope_for(user)
    return scope.reaches(Capability.READ, request.organization) or scope.reaches(
        Capability.WRITE, request.organization
    )


def _writes_in(user: Actor | None) -> set[int]:
    """The organisations where ``user`` holds a role that writes (or writes for them from
    their Văn phòng) — themselves, not reached from a committee above."""
    return {g.organization_id for g in scope_for(user).grants_for(Capability.WRITE)}


def may_submit_for(user: Actor | None, organization: Organization) -> bool:
    """Who writes a recipient's report: who writes for that organisation itself. A
    committee's leaders reach the organisations below it down the tree, but a report is the
    recipient's own answer, and its draft theirs until it is sent."""
    return organization.pk in _writes_in(user)


def may_close(user: Actor | None, request: ReportRequest) -> bool:
    """Who may end a request: whoever may decide on its reports' tasks in the engine — the
    one who made it, or DIRECT in the requesting organisation or its Văn phòng."""
    scope = scope_for(user)
    if user is None or scope.person_id is None:
        return False
    return scope.person_id == request.created_by_id or may_direct_for(user, request.organization)


def works_in(user: Actor | None, organization: Organization) -> bool:
    """Whether ``user`` holds a role in ``organization`` itself or below it (or in its Văn
    phòng for it) — not merely reaching it from a committee above."""
    scope = scope_for(user)
    return any(
        g.path.startswith(organization.path)
        for g in (*scope.grants_for(Capability.READ), *scope.grants_for(Capability.WRITE))
    )


def contents_visible(user: Actor | None, submission: ReportSubmission) -> bool:
    """Whether ``user`` may read what the report says: its own organisation always; the
    others once it was sent — and, once returned, until the recipient saves its corrections
    (``updated_at`` after ``returned_at``): the corrections being drafted are the
    recipient's, like a draft (the requester side then sees only that it is being corrected)."""
    if submission.state == SubmissionState.SUBMITTED:
        return True
    if submission.state == SubmissionState.RETURNED and (
        submission.returned_at is None or submission.updated_at <= submission.returned_at
    ):
        return True
    return works_in(user, submission.organization)


def is_withdrawn(submission: ReportSubmission, request: ReportRequest | None = None) -> bool:
    """A report not yet due when its request was ended, kept for the draft begun: its task
    cancelled and detached from it; no longer taken (``WITHDRAWN_Q`` in a query)."""
    request = request or submission.request
    return (
        request.closed_at is not None
        and submission.task_id is None
        and submission.state in (SubmissionState.PENDING, SubmissionState.DRAFT)
    )


WITHDRAWN_Q = Q(
    request__closed_at__isnull=False,
    task__isnull=True,
    state__in=[SubmissionState.PENDING, SubmissionState.DRAFT],
)


def submissions_visible_to(user: Actor | None) -> QuerySet[ReportSubmission]:
    if scope_for(user).person_id is None:
        return ReportSubmission.objects.none()
    return ReportSubmission.objects.filter(
        _reach_q(user, "request__organization__") | _reach_q(user, "organization__")
    )


def submission_detail(user: Actor | None) -> QuerySet[ReportSubmission]:
    return (
        submissions_visible_to(user)
        .select_related("request", "request__organization", "organization", "submitted_by", "task")
        .prefetch_related("values__indicator", "files", "request__indicators")
    )


def submissions_to_answer(user: Actor | None) -> QuerySet[ReportSubmission]:
    """The reports of the organisations ``user`` writes in (``may_submit_for``), soonest due
    first (the caller leaves out those sent)."""
    scope = scope_for(user)
    if scope.person_id is None:
        return ReportSubmission.objects.none()
    # A request ended keeps the reports owed before its end (those already due then).
    return (
        ReportSubmission.objects.filter(organization_id__in=sorted(_writes_in(user)))
        .filter(Q(request__active=True) | Q(request__closed_at__isnull=False))
        .exclude(WITHDRAWN_Q)
        .select_related("request", "request__organization", "organization", "task")
        .order_by("state", "due_date", "id")
    )


def urgent_to_answer(user: Actor | None, today: dt.date | None = None) -> QuerySet[ReportSubmission]:
    """The reports of urgent requests the organisations ``user`` writes for must send today
    or should have sent (not sent yet, or returned), the earliest first."""
    today = today or timezone.localdate()
    return (
        submissions_to_answer(user)
        .filter(
            request__urgent=True,
            due_date__lte=today,
            state__in=[SubmissionState.PENDING, SubmissionState.DRAFT, SubmissionState.RETURNED],
        )
        .select_related(None)
        .select_related("request")
        .order_by("due_date", "period", "id")
    )


def is_rapid(request: ReportRequest) -> bool:
    return request.frequency in periods.RAPID


def request_period(request: ReportRequest, key: str) -> periods.AnyPeriod:
    """The period ``key`` of ``request`` (``PeriodError`` when it names none)."""
    return periods.parse(request.frequency, key, hours=request.interval_hours)


def due_in_force(submission: ReportSubmission, request: ReportRequest | None = None) -> dt.date:
    """The report's due date as its task has it now, extensions granted included: the
    working-day due date for a periodic or one-off report, the day itself (days off included)
    for a rapid one. Without a task, the report's own due date."""
    request = request or submission.request
    task = submission.task if submission.task_id else None
    if task is None or task.due_date is None:
        return submission.due_date
    if request.frequency in periods.RAPID:
        return task.due_date
    return task.effective_due or task.due_date


def deadline(submission: ReportSubmission, request: ReportRequest | None = None) -> dt.datetime:
    """The moment after which the report is late: the end of the slot for an hourly report
    (the end of its due day once its task was given more time), else the end of the due
    date in force."""
    request = request or submission.request
    due = due_in_force(submission, request)
    if request.frequency == Frequency.HOURLY and submission.period and due == submission.due_date:
        with contextlib.suppress(periods.PeriodError):
            return request_period(request, submission.period).ends_at  # type: ignore[union-attr]  # a slot
    return periods.end_of_day(due)


def _moment(today: dt.date | None, now: dt.datetime | None) -> dt.datetime:
    """The moment a status is told for: ``now``; else now when ``today`` is today (or not
    given); else the end of ``today`` (as the day closes)."""
    if now is not None:
        return now
    if today is None or today == timezone.localdate():
        return timezone.now()
    return periods.end_of_day(today)


def board_status(
    submission: ReportSubmission,
    today: dt.date | None = None,
    *,
    now: dt.datetime | None = None,
    request: ReportRequest | None = None,
) -> str:
    """The report's state on the board, as of ``now`` (or the end of ``today``): overdue once
    its deadline passed (extensions included, the slot's end for an hourly report)."""
    if submission.state == SubmissionState.SUBMITTED:
        return BoardStatus.SUBMITTED_LATE if submission.late else BoardStatus.SUBMITTED
    if submission.state == SubmissionState.RETURNED:
        return BoardStatus.RETURNED
    if is_withdrawn(submission, request):
        return BoardStatus.WITHDRAWN
    if _moment(today, now) > deadline(submission, request):
        return BoardStatus.OVERDUE
    if submission.state == SubmissionState.DRAFT:
        return BoardStatus.DRAFT
    return BoardStatus.PENDING


def period_label(request: ReportRequest, key: str) -> str:
    if request.frequency == periods.ONCE or not key:
        return "Một lần"
    try:
        return request_period(request, key).label
    except periods.PeriodError:
        return key


def request_periods(request: ReportRequest) -> list[str]:
    """The periods of ``request`` that have reports, latest first."""
    keys = set(request.submissions.values_list("period", flat=True).distinct())
    return sorted(keys, reverse=True)


def default_period(
    request: ReportRequest, today: dt.date | None = None, *, now: dt.datetime | None = None
) -> str:
    """The period a page shows first: for a rapid request the day or slot under way (else
    the latest one begun); else the earliest one not yet due, else the latest."""
    today = today or timezone.localdate()
    rows = list(request.submissions.values_list("period", "due_date").distinct())
    if not rows:
        return ""
    if is_rapid(request):
        keys = sorted({key for key, _ in rows})
        try:
            current = periods.rapid_at(request.frequency, now or timezone.now(), request.interval_hours).key
        except periods.PeriodError:
            return keys[-1]
        begun = [k for k in keys if k <= current]
        return begun[-1] if begun else keys[0]
    coming = sorted((due, key) for key, due in rows if due >= today)
    if coming:
        return coming[0][1]
    return max(rows, key=lambda r: (r[1], r[0]))[0]


@dataclass
class BoardRow:
    submission: ReportSubmission
    status: str
    due: dt.date | None = None  # in force (extensions included)
    deadline: dt.datetime | None = None

    @property
    def status_label(self) -> str:
        return BoardStatus.LABELS[self.status]

    @property
    def due_date(self) -> dt.date:
        return self.due or self.submission.due_date


@dataclass
class Board:
    period: str
    label: str
    due_date: dt.date | None
    rows: list[BoardRow] = field(default_factory=list)
    due_at: dt.datetime | None = None  # the period's deadline (a slot's end), before extensions

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        return [(s, BoardStatus.LABELS[s], self.count(s)) for s in BoardStatus.ALL if self.count(s)]


def board(
    user: Actor | None,
    request: ReportRequest,
    period: str,
    *,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Board:
    """The tracking board of ``request`` for ``period``: every recipient's row for the
    requester side, the reader's own rows for a recipient."""
    moment = _moment(today, now)
    qs = ReportSubmission.objects.filter(request=request, period=period).select_related(
        "organization", "task"
    )
    if not is_requester_side(user, request):
        qs = qs.filter(_reach_q(user, "organization__"))
    rows = []
    for s in qs.order_by("organization__path", "id"):
        rows.append(
            BoardRow(
                s,
                board_status(s, now=moment, request=request),
                due_in_force(s, request),
                deadline(s, request),
            )
        )
    due = min((r.submission.due_date for r in rows), default=None)
    due_at = None
    if is_rapid(request) and period:
        with contextlib.suppress(periods.PeriodError):
            due_at = request_period(request, period).ends_at  # type: ignore[union-attr]  # a day or a slot
    elif due is not None:
        due_at = periods.end_of_day(due)
    return Board(period=period, label=period_label(request, period), due_date=due, rows=rows, due_at=due_at)


# --- The live board of a rapid request -------------------------------------------------------


@dataclass
class LiveCell:
    """One recipient's report for one period of the day (none: not given — not yet, or
    withdrawn when the request ended)."""

    period: periods.Day | periods.Slot
    submission: ReportSubmission | None
    status: str | None
    current: bool = False

    @property
    def label(self) -> str:
        period = self.period
        return period.hours_label if isinstance(period, periods.Slot) else period.label

    @property
    def status_label(self) -> str:
        return BoardStatus.LABELS[self.status] if self.status else "Chưa đến lần báo cáo"


@dataclass
class LiveRow:
    organization: Organization
    cells: list[LiveCell]
    latest: ReportSubmission | None  # the latest report sent (or returned) up to that day
    figures: list[tuple[Indicator, Decimal | None]]  # the key figures of ``latest``

    day: dt.date | None = None  # the board's

    @property
    def latest_label(self) -> str:
        if self.latest is None:
            return ""
        return period_label(self.latest.request, self.latest.period)

    @property
    def latest_short(self) -> str:
        """The latest report's period, its hours alone when it is of the board's day."""
        if self.latest is None:
            return ""
        with contextlib.suppress(periods.PeriodError):
            period = request_period(self.latest.request, self.latest.period)
            if isinstance(period, periods.Slot) and period.date == self.day:
                return period.hours_label
            if isinstance(period, periods.Day) and period.date == self.day:
                return "Hôm đó" if self.day != timezone.localdate() else "Hôm nay"
        return self.latest_label


@dataclass
class LiveTotal:
    indicator: Indicator
    total: Decimal | None
    count: int  # how many recipients' latest reports give it


@dataclass
class LiveBoard:
    request: ReportRequest
    day: dt.date
    columns: list[periods.Day | periods.Slot]  # the day, or its slots
    focus: periods.Day | periods.Slot  # the period under way (a past day: its last)
    rows: list[LiveRow]
    indicators: list[Indicator]  # the key figures' indicators
    totals: list[LiveTotal]
    generated_at: dt.datetime
    first_day: dt.date
    last_day: dt.date

    @property
    def hourly(self) -> bool:
        return self.request.frequency == Frequency.HOURLY

    @property
    def focus_cells(self) -> list[LiveCell]:
        return [c for r in self.rows for c in r.cells if c.period == self.focus]

    @property
    def focus_counts(self) -> list[tuple[str, str, int]]:
        cells = self.focus_cells
        found = []
        for status in BoardStatus.ALL:
            n = sum(1 for c in cells if c.status == status)
            if n:
                found.append((status, BoardStatus.LABELS[status], n))
        return found

    @property
    def focus_sent(self) -> int:
        sent = (BoardStatus.SUBMITTED, BoardStatus.SUBMITTED_LATE)
        return sum(1 for c in self.focus_cells if c.status in sent)

    @property
    def focus_label(self) -> str:
        focus = self.focus
        return focus.hours_label if isinstance(focus, periods.Slot) else focus.label

    @property
    def previous_day(self) -> dt.date | None:
        day = self.day - dt.timedelta(days=1)
        return day if day >= self.first_day else None

    @property
    def next_day(self) -> dt.date | None:
        day = self.day + dt.timedelta(days=1)
        return day if day <= self.last_day else None

    @property
    def summary(self) -> str:
        """One line that changes when the board does (read out when it changes)."""
        counts = "; ".join(f"{label}: {n}" for _, label, n in self.focus_counts)
        return f"{self.focus_label}: {counts}" if counts else self.focus_label


def live_days(request: ReportRequest, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The first and last day a rapid request's live board may show: from its start to
    today (or its end, or the day it was ended, if earlier)."""
    today = today or timezone.localdate()
    first = request.starts_on or timezone.localtime(request.created_at).date()
    last = today
    if request.ends_on is not None:
        last = min(last, request.ends_on)
    if request.closed_at is not None:
        last = min(last, timezone.localtime(request.closed_at).date())
    return first, max(first, last)


def live_board(
    user: Actor | None, request: ReportRequest, day: dt.date, *, now: dt.datetime | None = None
) -> LiveBoard:
    """``day`` of a rapid request: each recipient the reader sees (all for the requester
    side, its own for a recipient) × each period of the day (the day itself, or every slot),
    with its status as of ``now``, and the key figures (the first indicators) of each one's
    latest report sent up to that day, summed over the recipients."""
    now = now or timezone.now()
    first_day, last_day = live_days(request, timezone.localtime(now).date())
    if request.frequency == Frequency.HOURLY:
        day_periods: list[periods.Day | periods.Slot] = list(
            periods.slots_of(day, periods.check_interval(request.interval_hours))
        )
    else:
        day_periods = [periods.Day(day)]
    current = periods.rapid_at(request.frequency, now, request.interval_hours)
    if current in day_periods:
        focus = current
    else:
        focus = day_periods[-1] if day < timezone.localtime(now).date() else day_periods[0]
    recipients = list(request.recipients.all())
    if not is_requester_side(user, request):
        scope = scope_for(user)
        recipients = [
            o for o in recipients if scope.reaches(Capability.READ, o) or scope.reaches(Capability.WRITE, o)
        ]
    recipients.sort(key=lambda o: o.path)
    org_ids = [o.pk for o in recipients]
    keys = [p.key for p in day_periods]
    found = {
        (s.organization_id, s.period): s
        for s in ReportSubmission.objects.filter(
            request=request, period__in=keys, organization_id__in=org_ids
        ).select_related("task")
    }
    indicators = list(request.indicators.all())[:KEY_FIGURES]
    latest_of = Subquery(
        ReportSubmission.objects.filter(
            # Sent reports only: a returned one's corrections are being drafted.
            request=request,
            organization_id=OuterRef("pk"),
            state=SubmissionState.SUBMITTED,
            period__lte=keys[-1],
        )
        .order_by("-period")
        .values("pk")[:1]
    )
    latest_ids = dict(
        Organization.objects.filter(pk__in=org_ids).annotate(latest=latest_of).values_list("pk", "latest")
    )
    wanted = [i for i in latest_ids.values() if i]
    latest = {
        s.organization_id: s
        for s in ReportSubmission.objects.filter(pk__in=wanted).prefetch_related("values")
    }
    rows = []
    for org in recipients:
        cells = []
        for p in day_periods:
            s = found.get((org.pk, p.key))
            if s is not None:
                s.request = request
                s.organization = org
            status = board_status(s, now=now, request=request) if s is not None else None
            cells.append(LiveCell(p, s, status, current=p == current))
        last = latest.get(org.pk)
        values: dict[int, Decimal] = {}
        if last is not None:
            last.request = request
            values = {v.indicator_id: v.value for v in last.values.all()}
        rows.append(LiveRow(org, cells, last, [(i, values.get(i.pk)) for i in indicators], day))
    totals = []
    for n, indicator in enumerate(indicators):
        given = [value for r in rows if (value := r.figures[n][1]) is not None]
        totals.append(LiveTotal(indicator, sum(given, Decimal(0)) if given else None, len(given)))
    return LiveBoard(
        request=request,
        day=day,
        columns=day_periods,
        focus=focus,
        rows=rows,
        indicators=indicators,
        totals=totals,
        generated_at=now,
        first_day=first_day,
        last_day=last_day,
    )


def number(value: Decimal | None) -> int | float | None:
    """A stored value as JSON shows it: a whole number as an integer."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass
class IndicatorTotals:
    indicator: Indicator
    total: Decimal | None
    previous: Decimal | None
    same_period_last_year: Decimal | None
    by_organization: dict[int, Decimal]

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.indicator.code,
            "name": self.indicator.name,
            "unit": self.indicator.unit,
            "total": number(self.total),
            "previous": number(self.previous),
            "same_period_last_year": number(self.same_period_last_year),
            "by_organization": {str(k): number(v) for k, v in self.by_organization.items()},
        }

    @property
    def change(self) -> Decimal | None:
        if self.total is None or self.previous is None:
            return None
        return self.total - self.previous


@dataclass
class Aggregate:
    request: ReportRequest
    period: str
    label: str
    previous: str | None
    previous_label: str
    last_year: str | None
    last_year_label: str
    organizations: list[Organization]
    indicators: list[IndicatorTotals]
    submitted: int
    expected: int


def aggregate(request: ReportRequest, period: str) -> Aggregate:
    """The submitted numbers of ``period`` summed per indicator, per organisation, with the
    totals of the period before and of the same period a year earlier (only reports that
    are submitted count: a draft or a returned report is not yet a figure)."""
    previous = last_year = None
    if request.frequency != periods.ONCE and period:
        current = request_period(request, period)
        # The first year the system knows has no year before it to compare with.
        with contextlib.suppress(periods.PeriodError):
            previous = current.previous().key
        with contextlib.suppress(periods.PeriodError):
            last_year = current.same_period_last_year().key
    keys = [k for k in (period, previous, last_year) if k is not None]
    rows = ReportValue.objects.filter(
        submission__request=request,
        submission__state=SubmissionState.SUBMITTED,
        submission__period__in=keys,
    ).values_list("submission__period", "indicator_id", "submission__organization_id", "value")
    sums: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    by_org: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for key, indicator_id, org_id, value in rows:
        sums[(key, indicator_id)] += value
        if key == period:
            by_org[indicator_id][org_id] = value
    indicators = list(request.indicators.order_by("order", "id"))
    totals = [
        IndicatorTotals(
            indicator=i,
            total=sums.get((period, i.pk)),
            previous=sums.get((previous, i.pk)) if previous else None,
            same_period_last_year=sums.get((last_year, i.pk)) if last_year else None,
            by_organization=dict(sorted(by_org.get(i.pk, {}).items())),
        )
        for i in indicators
    ]
    current_rows = ReportSubmission.objects.filter(request=request, period=period)
    organizations = list(
        Organization.objects.filter(pk__in=current_rows.values("organization_id")).order_by("path")
    )
    return Aggregate(
        request=request,
        period=period,
        label=period_label(request, period),
        previous=previous,
        previous_label=period_label(request, previous) if previous else "",
        last_year=last_year,
        last_year_label=period_label(request, last_year) if last_year else "",
        organizations=organizations,
        indicators=totals,
        submitted=current_rows.filter(state=SubmissionState.SUBMITTED).count(),
        expected=current_rows.count(),
    )
