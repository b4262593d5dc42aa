"""Who sees which report request and which report, as SQL predicates, and the reads shared by
the pages, the API and the export: the tracking board and the aggregation.

* A request is seen by the requester side — those who read or write for the requesting
  organisation (its leaders, its office's leaders, specialists and văn thư) — and by each
  recipient (those who read or write for it).
* A report (one recipient, one period) is seen by the requester side and by its own
  organisation only: a commune never sees its neighbour's (404).
* The tracking board of a period is the requester side's; a recipient sees its own row.
* The aggregation (totals, comparisons, export, summary) is the requester side's."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from vanphong.orgs.access import Capability, scope_for
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import Organization
from vanphong.reporting import periods
from vanphong.reporting.models import (
    Indicator,
    ReportRequest,
    ReportSubmission,
    ReportValue,
    SubmissionState,
)


class BoardStatus:
    PENDING = "pending"
    OVERDUE = "overdue"
    SUBMITTED = "submitted"
    SUBMITTED_LATE = "submitted_late"
    RETURNED = "returned"
    DRAFT = "draft"

    LABELS = {
        "pending": "Chưa nộp",
        "overdue": "Quá hạn, chưa nộp",
        "submitted": "Đã nộp đúng hạn",
        "submitted_late": "Đã nộp muộn",
        "returned": "Bị trả lại",
        "draft": "Đang soạn",
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


def may_submit_for(user: Actor | None, organization: Organization) -> bool:
    return scope_for(user).reaches(Capability.WRITE, organization)


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
    """The reports of organisations ``user`` writes for that are still to be sent (not
    submitted), soonest due first."""
    scope = scope_for(user)
    if scope.person_id is None:
        return ReportSubmission.objects.none()
    return (
        ReportSubmission.objects.filter(scope.org_q(Capability.WRITE, prefix="organization__"))
        .filter(request__active=True)
        .select_related("request", "request__organization", "organization")
        .order_by("state", "due_date", "id")
    )


def board_status(submission: ReportSubmission, today: dt.date) -> str:
    if submission.state == SubmissionState.SUBMITTED:
        return BoardStatus.SUBMITTED_LATE if submission.late else BoardStatus.SUBMITTED
    if submission.state == SubmissionState.RETURNED:
        return BoardStatus.RETURNED
    if today > submission.due_date:
        return BoardStatus.OVERDUE
    if submission.state == SubmissionState.DRAFT:
        return BoardStatus.DRAFT
    return BoardStatus.PENDING


def period_label(request: ReportRequest, key: str) -> str:
    if request.frequency == periods.ONCE or not key:
        return "Một lần"
    try:
        return periods.parse(request.frequency, key).label
    except periods.PeriodError:
        return key


def request_periods(request: ReportRequest) -> list[str]:
    """The periods of ``request`` that have reports, latest first."""
    keys = set(request.submissions.values_list("period", flat=True).distinct())
    return sorted(keys, reverse=True)


def default_period(request: ReportRequest, today: dt.date | None = None) -> str:
    """The period a page shows first: the earliest one not yet due, else the latest."""
    today = today or timezone.localdate()
    rows = list(request.submissions.values_list("period", "due_date").distinct())
    if not rows:
        return ""
    coming = sorted((due, key) for key, due in rows if due >= today)
    if coming:
        return coming[0][1]
    return max(rows, key=lambda r: (r[1], r[0]))[0]


@dataclass
class BoardRow:
    submission: ReportSubmission
    status: str

    @property
    def status_label(self) -> str:
        return BoardStatus.LABELS[self.status]


@dataclass
class Board:
    period: str
    label: str
    due_date: dt.date | None
    rows: list[BoardRow] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        return [(s, BoardStatus.LABELS[s], self.count(s)) for s in BoardStatus.ALL if self.count(s)]


def board(user: Actor | None, request: ReportRequest, period: str, *, today: dt.date | None = None) -> Board:
    """The tracking board of ``request`` for ``period``: every recipient's row for the
    requester side, the reader's own rows for a recipient."""
    today = today or timezone.localdate()
    qs = ReportSubmission.objects.filter(request=request, period=period).select_related("organization")
    if not is_requester_side(user, request):
        qs = qs.filter(_reach_q(user, "organization__"))
    rows = [BoardRow(s, board_status(s, today)) for s in qs.order_by("organization__path", "id")]
    due = min((r.submission.due_date for r in rows), default=None)
    return Board(period=period, label=period_label(request, period), due_date=due, rows=rows)


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
        current = periods.parse(request.frequency, period)
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
