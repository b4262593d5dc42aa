"""Who sees the leaders' weekly calendar, as SQL predicates.

A week still being composed or approved (draft, approved) is seen by those who compose it
(WRITE on its organisation: the committee's office staff through the office model, its
leaders) and those who approve it (DIRECT, or DIRECT_ROUTINE for the head of its office).
A published week is seen, besides, by those who READ the organisation; and each of its
events by the leaders named on it and the people seated in the meeting it comes from.
Everyone else gets nothing (404 for one object)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from vanphong.orgs.access import AccessScope, Capability, can, scope_for
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import Organization, Person
from vanphong.programs.models import (
    CalendarEvent,
    CalendarFeed,
    CalendarState,
    CalendarWeek,
    MeetingParticipant,
)

# What a subscription feed carries: the last 60 days and the next 180.
FEED_PAST_DAYS = 60
FEED_FUTURE_DAYS = 180


def _composer_q(scope: AccessScope, prefix: str) -> Q:
    return (
        scope.org_q(Capability.WRITE, prefix=prefix)
        | scope.org_q(Capability.DIRECT, prefix=prefix)
        | scope.org_q(Capability.DIRECT_ROUTINE, prefix=prefix)
    )


def may_compose(user: Actor | None, organization: Organization) -> bool:
    """Whether ``user`` composes the calendar of ``organization`` (adds, changes, publishes)."""
    return user is not None and can(user, Capability.WRITE, organization)


def may_approve(user: Actor | None, organization: Organization) -> bool:
    """The organisation's leaders (DIRECT) and the head of its office (DIRECT_ROUTINE)."""
    return user is not None and (
        can(user, Capability.DIRECT, organization) or can(user, Capability.DIRECT_ROUTINE, organization)
    )


def may_read_calendar(user: Actor | None, organization: Organization) -> bool:
    """Whether ``user`` reads the published calendar of ``organization`` as a whole."""
    return user is not None and (
        can(user, Capability.READ, organization)
        or may_compose(user, organization)
        or may_approve(user, organization)
    )


def _seated_q(person_id: int, prefix: str = "") -> Q:
    """Events naming ``person_id``: among its leaders, chairing or seated in its meeting."""
    leader = Exists(
        CalendarEvent.leaders.through.objects.filter(
            calendarevent_id=OuterRef(f"{prefix}pk"), person_id=person_id
        )
    )
    seated = Exists(
        MeetingParticipant.objects.filter(meeting_id=OuterRef(f"{prefix}meeting_id"), person_id=person_id)
    )
    return Q(leader) | Q(**{f"{prefix}meeting__chair_id": person_id}) | Q(seated)


def event_visibility_q(user: Actor | None) -> Q:
    scope = scope_for(user)
    if scope.person_id is None:
        return Q(pk__in=[])
    published = Q(week__state=CalendarState.PUBLISHED)
    readers = scope.org_q(Capability.READ, prefix="week__organization__")
    return _composer_q(scope, "week__organization__") | (published & (readers | _seated_q(scope.person_id)))


def week_visibility_q(user: Actor | None) -> Q:
    scope = scope_for(user)
    if scope.person_id is None:
        return Q(pk__in=[])
    named = Exists(CalendarEvent.objects.filter(week_id=OuterRef("pk")).filter(_seated_q(scope.person_id)))
    published = Q(state=CalendarState.PUBLISHED)
    readers = scope.org_q(Capability.READ, prefix="organization__")
    return _composer_q(scope, "organization__") | (published & (readers | Q(named)))


def weeks_visible_to(user: Actor | None) -> QuerySet[CalendarWeek]:
    return (
        CalendarWeek.objects.filter(week_visibility_q(user))
        .select_related("organization", "approved_by", "created_by")
        .order_by("organization__path", "-week_start")
    )


def _events_qs() -> QuerySet[CalendarEvent]:
    return CalendarEvent.objects.select_related(
        "week__organization", "preparing_organization", "meeting", "program_item"
    ).prefetch_related(Prefetch("leaders", queryset=Person.objects.order_by("full_name")))


def events_visible_to(user: Actor | None) -> QuerySet[CalendarEvent]:
    """The queryset one event is read from (an API answer, an edit page): 404 outside."""
    return _events_qs().filter(event_visibility_q(user))


def week_events(user: Actor | None, week: CalendarWeek) -> list[CalendarEvent]:
    """The events of ``week`` that ``user`` sees, in time order (one query and a prefetch)."""
    return list(events_visible_to(user).filter(week=week).order_by("start", "id"))


def week_of(user: Actor | None, organization: Organization, monday: dt.date) -> CalendarWeek | None:
    """The week of ``organization`` starting ``monday`` if it exists and ``user`` sees it."""
    return weeks_visible_to(user).filter(organization=organization, week_start=monday).first()


def calendar_events(
    user: Actor | None,
    start: dt.datetime,
    end: dt.datetime,
    person: Person | None = None,
    organization: Organization | None = None,
    *,
    published_only: bool = False,
) -> QuerySet[CalendarEvent]:
    """The events ``user`` sees that touch [start, end), of ``person`` (a leader named on it,
    or seated in its meeting) and of ``organization`` when given, in time order."""
    touches = Q(start__lt=end) & (Q(end__gt=start) | Q(end__isnull=True, start__gte=start))
    qs = events_visible_to(user).filter(touches)
    if person is not None:
        qs = qs.filter(_seated_q(person.pk))
    if organization is not None:
        qs = qs.filter(week__organization=organization)
    if published_only:
        qs = qs.filter(week__state=CalendarState.PUBLISHED)
    return qs.order_by("start", "id")


def calendar_organizations(user: Actor | None) -> QuerySet[Organization]:
    """The organisations whose calendar ``user`` composes, approves or reads, the nearest to
    the top first (the committee before its office)."""
    scope = scope_for(user)
    if scope.person_id is None:
        return Organization.objects.none()
    reach = _composer_q(scope, "") | scope.org_q(Capability.READ)
    return Organization.objects.filter(reach, hosted=True, active=True).order_by("depth", "path")


def home_organization(user: Actor | None) -> Organization | None:
    """The organisation whose calendar ``user`` reads first: their committee."""
    return calendar_organizations(user).first()


def feed_window(now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    now = now or timezone.now()
    return now - dt.timedelta(days=FEED_PAST_DAYS), now + dt.timedelta(days=FEED_FUTURE_DAYS)


def feed_events(feed: CalendarFeed) -> list[CalendarEvent]:
    """What a subscription feed carries: only published events (cancelled ones too, which
    the feed marks cancelled), of the feed's person or organisation, within what its owner
    may still see, over ``feed_window``."""
    owner: Any = feed.owner.user
    start, end = feed_window()
    if feed.person_id is not None:
        qs = calendar_events(owner, start, end, person=feed.person, published_only=True)
    else:
        qs = calendar_events(owner, start, end, organization=feed.organization, published_only=True)
    return list(qs.select_related("meeting__room"))


def _description(event: CalendarEvent) -> str:
    lines = []
    leaders = ", ".join(p.full_name for p in event.leaders.all())
    if leaders:
        lines.append(f"Lãnh đạo dự: {leaders}")
    if event.participants:
        lines.append(f"Thành phần: {event.participants}")
    if event.preparing_organization is not None:
        lines.append(f"Cơ quan chuẩn bị: {event.preparing_organization.name}")
    if event.change_note:
        lines.append(f"Thay đổi: {event.change_note}")
    return "\n".join(lines)


def feed_ical(feed: CalendarFeed, host: str = "") -> bytes:
    """The feed as an iCalendar file (RFC 5545): one VEVENT per published event, with a
    stable UID, its SEQUENCE, and STATUS:CANCELLED for a cancelled one."""
    from icalendar import Calendar, Event

    host = (host or "vanphong").split(":")[0] or "vanphong"
    if feed.person is not None:
        name = f"Lịch công tác của {feed.person.full_name}"
    else:
        name = f"Lịch công tác tuần của {feed.organization.name if feed.organization else ''}"
    calendar = Calendar()
    calendar.add("prodid", "-//Văn phòng số//Lịch công tác tuần//VI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    for event in feed_events(feed):
        item = Event()
        item.add("uid", f"event-{event.pk}@{host}")
        item.add("dtstamp", event.updated_at.astimezone(dt.UTC))
        item.add("dtstart", event.start.astimezone(dt.UTC))
        end = event.end or event.start + dt.timedelta(hours=1)
        item.add("dtend", end.astimezone(dt.UTC))
        item.add("summary", event.title)
        if event.place:
            item.add("location", event.place)
        description = _description(event)
        if description:
            item.add("description", description)
        item.add("sequence", event.sequence)
        item.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
        item.add("last-modified", event.updated_at.astimezone(dt.UTC))
        calendar.add_component(item)
    return calendar.to_ical()


def live_feeds(user: Actor | None) -> QuerySet[CalendarFeed]:
    scope = scope_for(user)
    if scope.person_id is None:
        return CalendarFeed.objects.none()
    return CalendarFeed.objects.filter(owner_id=scope.person_id, revoked_at__isnull=True).select_related(
        "person", "organization"
    )


__all__ = [
    "FEED_FUTURE_DAYS",
    "FEED_PAST_DAYS",
    "calendar_events",
    "calendar_organizations",
    "event_visibility_q",
    "events_visible_to",
    "feed_events",
    "feed_ical",
    "feed_window",
    "home_organization",
    "live_feeds",
    "may_approve",
    "may_compose",
    "may_read_calendar",
    "week_events",
    "week_of",
    "week_visibility_q",
    "weeks_visible_to",
]
