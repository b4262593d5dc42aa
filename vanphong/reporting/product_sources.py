"""The candidate items of an information product: what the office could put in a daily report,
a weekly bulletin or a thematic report of its committee for a span of days, drawn from the
records the composer may read (every source goes through its own app's access selector, in
SQL) and never from a classified record: a product is sent to a distribution list, so a
secret document, task or report has no line in it (docs/bulletins.md).

Each source gives ``Candidate`` rows with the text a line of the product starts from; the
editor chooses among them and edits the text (``products.product_save``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from vanphong.core.vndate import format_vn_date
from vanphong.documents.models import RegisterEntry, Urgency
from vanphong.documents.selectors.incoming import incoming_list
from vanphong.orgs.access import Capability, organizations_with, scope_for
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import Classification, Organization
from vanphong.programs.models import CalendarState, MeetingState
from vanphong.programs.selectors.calendar import events_visible_to
from vanphong.programs.selectors.meetings import meetings_visible_to
from vanphong.reporting import selectors
from vanphong.reporting.models import (
    InfoProduct,
    ItemSource,
    ProductTemplate,
    ReportSubmission,
    SubmissionState,
)
from vanphong.tasks.models import Task
from vanphong.tasks.selectors import TaskFilters, Today, days_late, overdue_list

LIMIT = 200  # candidates per section: a bulletin has a page or two, not a register
SNIPPET = 400
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


@dataclass(frozen=True)
class Candidate:
    source: str
    object_id: int
    text: str
    notable: bool = False  # urgent, or from a body above: listed first


@dataclass(frozen=True)
class Window:
    start: dt.date
    end: dt.date

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        zone = timezone.get_current_timezone()
        first = dt.datetime.combine(self.start, dt.time.min, tzinfo=zone)
        after = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        return first, after

    def following(self) -> Window:
        """The span of the same length right after this one (the coming week's calendar)."""
        days = (self.end - self.start).days + 1
        return Window(self.end + dt.timedelta(days=1), self.end + dt.timedelta(days=days))


def window_for(product: InfoProduct, section: dict) -> Window:
    window = Window(product.period_start, product.period_end)
    return window.following() if section.get("next") else window


def _short(text: str, limit: int = SNIPPET) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _day(value: dt.datetime) -> str:
    local = timezone.localtime(value)
    return f"{WEEKDAYS[local.weekday()]} {local:%d/%m}"


def _incoming(actor: Actor, organization: Organization, window: Window) -> list[Candidate]:
    ids = list(
        incoming_list(
            user=actor, organization=organization, received_from=window.start, received_to=window.end
        )
        .filter(classification=Classification.NONE, document__classification=Classification.NONE)
        .values_list("pk", flat=True)[:LIMIT]
    )
    entries = (
        RegisterEntry.objects.filter(pk__in=ids).select_related("document").order_by("received_at", "id")
    )
    above = set(organization.ancestors().values_list("pk", flat=True))
    found = []
    for entry in entries:
        doc = entry.document
        urgent = doc.urgency != Urgency.NORMAL
        head = doc.symbol or "Văn bản"
        if doc.issued_date:
            head += f" ngày {format_vn_date(doc.issued_date)}"
        if doc.issuer_name:
            head += f" của {doc.issuer_name}"
        mark = f" ({doc.get_urgency_display()})" if urgent else ""
        text = f"{head}{mark}: {_short(doc.subject)}"
        found.append(Candidate(ItemSource.INCOMING, entry.pk, text, urgent or doc.issuer_id in above))
    return sorted(found, key=lambda c: not c.notable)


def _meetings(actor: Actor, organization: Organization, window: Window) -> list[Candidate]:
    first, after = window.bounds()
    meetings = (
        meetings_visible_to(actor)
        .filter(organization=organization, start__gte=first, start__lt=after)
        .select_related("chair")
        .order_by("start", "id")[:LIMIT]
    )
    found = []
    for meeting in meetings:
        text = f"{_day(meeting.start)}, {timezone.localtime(meeting.start):%H:%M}: {meeting.title}"
        if meeting.chair_id:
            text += f"; chủ trì: {meeting.chair.full_name}"
        if meeting.state == MeetingState.CANCELLED:
            text += " (đã hoãn, hủy)"
        found.append(Candidate(ItemSource.MEETING, meeting.pk, _short(text)))
    return found


def _events(actor: Actor, organization: Organization, window: Window) -> list[Candidate]:
    first, after = window.bounds()
    events = (
        events_visible_to(actor)
        .filter(
            week__organization=organization,
            week__state__in=(CalendarState.APPROVED, CalendarState.PUBLISHED),
            start__gte=first,
            start__lt=after,
        )
        .order_by("start", "id")[:LIMIT]
    )
    found = []
    for event in events:
        text = f"{_day(event.start)}, {timezone.localtime(event.start):%H:%M}: {event.title}"
        leaders = ", ".join(p.full_name for p in event.leaders.all())
        if leaders:
            text += f" ({leaders})"
        if event.place:
            text += f"; tại {event.place}"
        found.append(Candidate(ItemSource.EVENT, event.pk, _short(text)))
    return found


def _submissions(actor: Actor, organization: Organization, window: Window) -> list[Candidate]:
    first, after = window.bounds()
    submissions = (
        selectors.submissions_visible_to(actor)
        .filter(
            request__organization=organization,
            state=SubmissionState.SUBMITTED,
            submitted_at__gte=first,
            submitted_at__lt=after,
        )
        .select_related("request", "organization")
        .prefetch_related("values__indicator")
        .order_by("request_id", "organization__path")[:LIMIT]
    )
    return [Candidate(ItemSource.SUBMISSION, s.pk, submission_text(s)) for s in submissions]


def submission_text(submission: ReportSubmission) -> str:
    """One line of a submitted report: who, which report and period, its figures and the
    start of its first narrative part."""
    request = submission.request
    label = selectors.period_label(request, submission.period)
    head = f"{submission.organization.name} – {request.title}"
    if submission.period:
        head += f" ({label.lower()})"
    figures = "; ".join(
        f"{v.indicator.name}: {selectors.number(v.value)}{' ' + v.indicator.unit if v.indicator.unit else ''}"
        for v in sorted(submission.values.all(), key=lambda v: (v.indicator.order, v.indicator_id))
    )
    first_text = next((t for t in (submission.text or {}).values() if str(t).strip()), "")
    parts = [p for p in (figures, _short(str(first_text), 300)) if p]
    return _short(f"{head}: {'. '.join(parts)}" if parts else head, 700)


def _overdue(actor: Actor, organization: Organization, window: Window) -> list[Candidate]:
    today = Today.now()
    tasks = (
        overdue_list(actor, TaskFilters(giver=organization.pk), today=today)
        .filter(classification=Classification.NONE)
        .filter(Q(parent__isnull=True))[:LIMIT]
    )
    found = []
    for task in tasks:
        lead = next(
            (x for x in (task.lead_unit, task.lead_organization, task.lead_person) if x is not None), None
        )
        text = _short(task.title, 300)
        if lead is not None:
            text += f" – chủ trì: {lead}"
        if task.effective_due:
            text += f"; hạn {format_vn_date(task.effective_due)}, quá {days_late(task, today)} ngày"
        found.append(Candidate(ItemSource.OVERDUE, task.pk, text))
    return found


SOURCES: dict[str, Callable[[Actor, Organization, Window], list[Candidate]]] = {
    ItemSource.INCOMING: _incoming,
    ItemSource.MEETING: _meetings,
    ItemSource.EVENT: _events,
    ItemSource.SUBMISSION: _submissions,
    ItemSource.OVERDUE: _overdue,
}


def candidates(actor: Actor, product: InfoProduct, section: dict) -> list[Candidate]:
    """What ``actor`` could put in ``section`` of ``product`` (none for a section of notes)."""
    source = SOURCES.get(section.get("source", ""))
    if source is None:
        return []
    return source(actor, product.organization, window_for(product, section))


def section_candidates(actor: Actor, product: InfoProduct, index: int, ids: set[int]) -> dict[int, str]:
    """Which of ``ids`` ``actor`` may put in section ``index`` of ``product``, with the text
    each starts from: the same rules as the lists, so that an item cannot be smuggled in by
    its id, nor into another section of the same source (this week's event into next week's
    calendar)."""
    section = product.sections[index]
    return {c.object_id: c.text for c in candidates(actor, product, section) if c.object_id in ids}


def classified_ids(source: str, ids: set[int]) -> set[int]:
    """Which of ``ids`` of ``source`` are classified now (an item chosen earlier, since
    marked secret, must not go out with the product)."""
    if not ids:
        return set()
    if source == ItemSource.INCOMING:
        return set(
            RegisterEntry.objects.filter(pk__in=ids)
            .filter(
                Q(classification__gt=Classification.NONE)
                | Q(document__classification__gt=Classification.NONE)
            )
            .values_list("pk", flat=True)
        )
    if source == ItemSource.OVERDUE:
        return set(
            Task.objects.filter(pk__in=ids, classification__gt=Classification.NONE).values_list(
                "pk", flat=True
            )
        )
    return set()  # meetings, calendar events and reports carry no secrecy mark


# --- Products and templates a reader sees ----------------------------------------------------


def products_visible_to(user: Actor | None) -> QuerySet[InfoProduct]:
    """The products of the organisations ``user`` reads or writes for (a Văn phòng's staff
    write for its committee); 404 for the others."""
    scope = scope_for(user)
    if scope.person_id is None:
        return InfoProduct.objects.none()
    return InfoProduct.objects.filter(
        scope.org_q(Capability.READ, prefix="organization__")
        | scope.org_q(Capability.WRITE, prefix="organization__")
    ).select_related("organization", "template", "document")


def templates_visible_to(user: Actor | None) -> QuerySet[ProductTemplate]:
    """The templates ``user`` may edit and compose from (writes for their organisation)."""
    scope = scope_for(user)
    if scope.person_id is None:
        return ProductTemplate.objects.none()
    return ProductTemplate.objects.filter(
        scope.org_q(Capability.WRITE, prefix="organization__")
    ).select_related("organization")


def composing_organizations(user: Actor | None) -> QuerySet[Organization]:
    """Where ``user`` may compose products: the organisations they write for (not offices)."""
    if user is None:
        return Organization.objects.none()
    return (
        organizations_with(user, Capability.WRITE)
        .filter(active=True, hosted=True, is_office=False)
        .order_by("depth", "path")
    )


def distribution_choices(organization: Organization) -> QuerySet[Organization]:
    """Where a product of ``organization`` may be sent: the bodies above it (the committee it
    reports to, the centre) and the active organisations below it (its committees and
    agencies), offices and itself excepted."""
    above = [o.pk for o in organization.ancestors()]
    return (
        Organization.objects.filter(Q(path__startswith=organization.path) | Q(pk__in=above))
        .filter(active=True, is_office=False)
        .exclude(pk=organization.pk)
        .order_by("path")
    )
