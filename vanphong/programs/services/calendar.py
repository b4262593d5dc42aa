"""Every change to the leaders' weekly calendar (lịch công tác tuần của Thường trực), as plain
functions taking explicit arguments. Each checks who may do it, validates with Vietnamese
messages (``ValidationError`` keyed by field) and writes its rows and its audit entry in one
transaction.

The Văn phòng composes a week (``week_compose``: the organisation's meetings of the week and
the programme items planned for it, never twice) and adds what is asked for by hand
(``event_add``); a leader or the head of the office approves it, the office publishes it.
Once published, a change or a cancellation is marked on the event (``changed_after_publication``,
``change_note``), raises its iCalendar ``SEQUENCE`` and is told, after commit, to the people
it concerns. A change to an approved week not yet published sends it back to be approved.

Subscription feeds (iCalendar) are reached by a secret link with no sign-in. Only the
SHA-256 of the link's token is stored; the token itself is an HMAC of the feed's row under
the site's secret key (``feed_token``), so the same link can be shown again to its owner
without being kept anywhere, and a revoked feed's link never works again (a new feed is a
new row, hence a new token)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from vanphong.audit.services import audit_record
from vanphong.notifications.services import notify
from vanphong.orgs.actors import Actor, acting_person, person_of
from vanphong.orgs.models import Organization, Person, Role, RoleAssignment
from vanphong.programs.models import (
    CalendarEvent,
    CalendarFeed,
    CalendarState,
    CalendarWeek,
    ItemState,
    Meeting,
    MeetingKind,
    MeetingState,
    ProgramItem,
)
from vanphong.programs.selectors.calendar import may_approve, may_compose, may_read_calendar

WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]
MAX_TITLE = 500
MAX_PARTICIPANTS = 1000
MAX_PLACE = 300
MAX_NOTE = 500
FIRST_YEAR, LAST_YEAR = 2000, 2100
DEFAULT_HOUR = dt.time(8, 0)  # a programme item without a time: 08:00
EDITABLE = ("start", "end", "title", "kind", "leaders", "participants", "place", "preparing_organization")
FEED_SALT = "vanphong.programs.calendar-feed"


# --- Helpers -------------------------------------------------------------------------------------


def _tz() -> Any:
    return timezone.get_current_timezone()


def week_bounds(monday: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[Monday 00:00, next Monday 00:00) in local time."""
    start = dt.datetime.combine(monday, dt.time.min, tzinfo=_tz())
    return start, dt.datetime.combine(monday + dt.timedelta(days=7), dt.time.min, tzinfo=_tz())


def day_name(day: dt.date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {day:%d/%m}"


def _clean(text: Any, limit: int | None = None) -> str:
    value = " ".join(str(text or "").split())
    return value if limit is None or len(value) <= limit else value[: limit - 1].rstrip() + "…"


def _require_composer(actor: Actor | None, organization: Organization) -> None:
    if actor is not None and not may_compose(actor, organization):
        raise PermissionDenied("Bạn không có quyền soạn lịch công tác tuần của cơ quan này.")


def _leader_ids(organization: Organization) -> set[int]:
    """The people who lead ``organization`` today (its Thường trực and members)."""
    return set(
        RoleAssignment.objects.current()
        .filter(organization=organization, role=Role.LANH_DAO_CAP_UY, person__active=True)
        .values_list("person_id", flat=True)
    )


def _reopen(week: CalendarWeek) -> list[str]:
    """A change to an approved week not yet published sends it back to be approved."""
    if week.state != CalendarState.APPROVED:
        return []
    week.state = CalendarState.DRAFT
    week.approved_by = None
    week.approved_at = None
    return ["state", "approved_by", "approved_at"]


def _locked_week(week: CalendarWeek) -> CalendarWeek:
    locked = CalendarWeek.objects.select_for_update().get(pk=week.pk)
    week.state, week.approved_by_id, week.approved_at, week.published_at = (
        locked.state,
        locked.approved_by_id,
        locked.approved_at,
        locked.published_at,
    )
    return week


def _week_url(week: CalendarWeek) -> str:
    query = f"week={week.week_start:%Y-%m-%d}&organization={week.organization_id}"
    return f"{reverse('programs:calendar_week')}?{query}"


def _when(start: dt.datetime, end: dt.datetime | None = None) -> str:
    start = timezone.localtime(start)
    text = f"{start:%H:%M}"
    if end is not None:
        end = timezone.localtime(end)
        text += f"–{end:%H:%M}" if end.date() == start.date() else f" đến {end:%H:%M} {day_name(end.date())}"
    return f"{text}, {day_name(start.date())}/{start:%Y}"


def _concerned(event: CalendarEvent, extra: Iterable[int] = ()) -> set[int]:
    """The people an event concerns: its leaders, its meeting's chair and participants."""
    ids = set(event.leaders.values_list("pk", flat=True)) | set(extra)
    if event.meeting_id is not None:
        meeting = Meeting.objects.filter(pk=event.meeting_id).only("chair_id").first()
        if meeting is not None:
            ids.add(meeting.chair_id)
            ids |= set(meeting.participants.values_list("person_id", flat=True))
    return ids


def _notify_after_commit(
    person_ids: Iterable[int], actor: Actor | None, kind: str, title: str, body: str, url: str, subject: str
) -> None:
    """Tell each of ``person_ids`` (not the person acting) once the change is committed."""
    me = person_of(actor)
    ids = sorted(set(person_ids) - ({me.pk} if me else set()))
    if not ids:
        return

    def send() -> None:
        for person in Person.objects.filter(pk__in=ids, active=True).order_by("pk"):
            notify(person, kind, title, body, url, subject=subject)

    transaction.on_commit(send, robust=True)


# --- Weeks ---------------------------------------------------------------------------------------


def week_get_or_create(
    *, actor: Actor | None, organization: Organization, week_start: dt.date
) -> CalendarWeek:
    """The calendar of ``organization`` for the week starting ``week_start`` (a Monday),
    created empty (draft) when it does not exist yet."""
    _require_composer(actor, organization)
    if not isinstance(week_start, dt.date) or isinstance(week_start, dt.datetime):
        raise ValidationError({"week_start": ["Hãy chọn ngày thứ Hai đầu tuần."]})
    if week_start.weekday() != 0:
        raise ValidationError(
            {
                "week_start": [
                    f"Tuần bắt đầu từ thứ Hai; ngày {week_start:%d/%m/%Y} là "
                    f"{WEEKDAYS[week_start.weekday()]}."
                ]
            }
        )
    if not FIRST_YEAR <= week_start.year <= LAST_YEAR:
        raise ValidationError({"week_start": [f"Tuần phải trong các năm {FIRST_YEAR}–{LAST_YEAR}."]})
    if not organization.hosted or not organization.active:
        raise ValidationError({"organization": ["Cơ quan này không lập lịch công tác trên hệ thống."]})
    existing = CalendarWeek.objects.filter(organization=organization, week_start=week_start).first()
    if existing is not None:
        return existing
    creator = person_of(actor)
    try:
        with transaction.atomic():
            week = CalendarWeek.objects.create(
                organization=organization, week_start=week_start, created_by=creator
            )
            audit_record(
                actor=actor,
                action="calendar.week_create",
                target=week,
                organization_id=organization.pk,
                after={"organization": organization.pk, "week_start": week_start},
            )
    except IntegrityError:  # created at the same moment by someone else
        return CalendarWeek.objects.get(organization=organization, week_start=week_start)
    return week


def _meeting_place(meeting: Meeting) -> str:
    """Where a meeting is, as its event says it: the room, then the place written."""
    place = meeting.room.name if meeting.room_id is not None and meeting.room is not None else ""
    if meeting.place:
        place = f"{place}, {meeting.place}" if place else meeting.place
    return _clean(place, MAX_PLACE)


def _meeting_event(meeting: Meeting, leaders: set[int]) -> tuple[CalendarEvent, list[int]]:
    seats = list(meeting.participants.select_related("person").order_by("role", "id"))
    people = [meeting.chair, *[s.person for s in seats if s.person_id != meeting.chair_id]]
    leading = [p.pk for p in people if p.pk in leaders]
    others = [p.full_name for p in people if p.pk not in leaders]
    item = meeting.program_item
    event = CalendarEvent(
        title=_clean(meeting.title, MAX_TITLE),
        kind=meeting.kind,
        start=meeting.start,
        end=meeting.end,
        participants=_clean(", ".join(others), MAX_PARTICIPANTS),
        place=_meeting_place(meeting),
        preparing_organization=item.preparing_organization if item is not None else None,
        meeting=meeting,
        program_item=item,
    )
    return event, leading


def _item_event(item: ProgramItem, monday: dt.date) -> tuple[CalendarEvent, list[int]]:
    day = item.planned_date or monday
    event = CalendarEvent(
        title=_clean(item.content, MAX_TITLE),
        kind=item.meeting_kind or MeetingKind.KHAC,
        start=dt.datetime.combine(day, DEFAULT_HOUR, tzinfo=_tz()),
        end=None,
        preparing_organization=item.preparing_organization,
        program_item=item,
    )
    return event, [item.leader_id] if item.leader_id else []


def _add_events(
    actor: Actor | None,
    week: CalendarWeek,
    planned: list[tuple[CalendarEvent, list[int]]],
    *,
    audit: bool = True,
) -> list[CalendarEvent]:
    """Write the ``planned`` events into ``week`` (the caller holds the week's lock or its
    transaction): after publication each is marked "Bổ sung sau khi công bố lịch" and its
    people are told; an approved week goes back to be approved."""
    published = week.state == CalendarState.PUBLISHED
    added: list[CalendarEvent] = []
    for event, leader_ids in planned:
        event.week = week
        if published:
            event.changed_after_publication = True
            event.change_note = "Bổ sung sau khi công bố lịch"
        event.save()
        event.leaders.set(leader_ids)
        added.append(event)
        if audit:
            audit_record(
                actor=actor,
                action="calendar.event_add",
                target=event,
                organization_id=week.organization_id,
                after={**_snapshot(event), "meeting": event.meeting_id},
            )
    if added:
        fields = _reopen(week)
        if fields:
            week.save(update_fields=fields)
    if published and added:
        sunday = week.week_start + dt.timedelta(days=6)
        people: set[int] = set()
        for event in added:
            people |= _concerned(event)
        _notify_after_commit(
            people,
            actor,
            "calendar.change",
            f"Lịch công tác tuần {week.week_start:%d/%m}–{sunday:%d/%m/%Y} có nội dung bổ sung",
            "\n".join(f"{_when(e.start, e.end)}: {e.title}" for e in added),
            _week_url(week),
            f"programs.calendarweek:{week.pk}",
        )
    return added


def week_compose(*, actor: Actor | None, week: CalendarWeek) -> list[CalendarEvent]:
    """Add an event for each meeting of the week's organisation held that week (not
    cancelled) and each of its programme items planned for that week (on a day of it, or
    for the week as a whole), unless an event of the week already comes from it. Answers the
    events added (none when run again)."""
    _require_composer(actor, week.organization)
    start, end = week_bounds(week.week_start)
    sunday = week.week_start + dt.timedelta(days=6)
    leaders = _leader_ids(week.organization)
    with transaction.atomic():
        _locked_week(week)
        taken = CalendarEvent.objects.filter(week=week)
        live = taken.filter(cancelled=False)
        have_meetings = set(live.filter(meeting__isnull=False).values_list("meeting_id", flat=True))
        # An event cancelled by hand while its meeting kept its time stays cancelled; one the
        # calendar cancelled because its meeting moved away comes back with the meeting.
        cancelled_at = set(
            taken.filter(cancelled=True, meeting__isnull=False).values_list("meeting_id", "start")
        )
        have_items = set(taken.filter(program_item__isnull=False).values_list("program_item_id", flat=True))
        item_events = {
            e.program_item_id: e for e in live.filter(program_item__isnull=False, meeting__isnull=True)
        }
        meetings = (
            Meeting.objects.filter(organization=week.organization, start__gte=start, start__lt=end)
            .exclude(state=MeetingState.CANCELLED)
            .select_related("room", "chair", "program_item__preparing_organization")
            .order_by("start", "id")
        )
        planned: list[tuple[CalendarEvent, list[int]]] = []
        for meeting in meetings:
            if meeting.pk in have_meetings or (meeting.pk, meeting.start) in cancelled_at:
                continue
            if meeting.program_item_id in item_events:
                # The item came onto the calendar before its meeting was set: the meeting
                # takes its line (its time and place, marked once the week is out).
                event = item_events.pop(meeting.program_item_id)
                CalendarEvent.objects.filter(pk=event.pk).update(meeting=meeting)
                event.meeting = meeting
                _follow(event, meeting, leaders)
                have_meetings.add(meeting.pk)
                continue
            if meeting.program_item_id and meeting.program_item_id in have_items:
                continue
            planned.append(_meeting_event(meeting, leaders))
            have_meetings.add(meeting.pk)
            if meeting.program_item_id:
                have_items.add(meeting.program_item_id)
        items = list(
            ProgramItem.objects.filter(program__organization=week.organization, state=ItemState.PLANNED)
            .filter(
                Q(planned_date__gte=week.week_start, planned_date__lte=sunday)
                | Q(planned_week=week.week_start)
            )
            .select_related("preparing_organization")
            .order_by("planned_date", "program_id", "order")
        )
        # The longer programme's copy of an item carried down comes in through its copy (or
        # not at all, when that copy moved to a later period).
        carried = set(
            ProgramItem.objects.filter(parent_id__in=[i.pk for i in items]).values_list(
                "parent_id", flat=True
            )
        )
        for item in items:
            if item.pk in have_items or item.pk in carried:
                continue
            planned.append(_item_event(item, week.week_start))
            have_items.add(item.pk)
        added = _add_events(actor, week, planned, audit=False)
        audit_record(
            actor=actor,
            action="calendar.compose",
            target=week,
            organization_id=week.organization_id,
            after={
                "added": [e.pk for e in added],
                "meetings": [e.meeting_id for e in added if e.meeting_id],
                "items": [e.program_item_id for e in added if e.program_item_id and not e.meeting_id],
            },
        )
    return added


def week_approve(*, actor: Actor, week: CalendarWeek) -> CalendarWeek:
    """Approve a week being composed: the organisation's leaders or the head of its office."""
    person = acting_person(actor)
    if not may_approve(actor, week.organization):
        raise PermissionDenied("Bạn không có quyền duyệt lịch công tác tuần của cơ quan này.")
    with transaction.atomic():
        _locked_week(week)
        if week.state != CalendarState.DRAFT:
            raise ValidationError(
                {"state": [f"Lịch tuần đã ở trạng thái “{week.get_state_display()}”, không duyệt lại."]}
            )
        if not week.events.filter(cancelled=False).exists():
            raise ValidationError({"state": ["Lịch tuần chưa có sự kiện nào để duyệt."]})
        week.state = CalendarState.APPROVED
        week.approved_by = person
        week.approved_at = timezone.now()
        week.save(update_fields=["state", "approved_by", "approved_at"])
        audit_record(
            actor=actor,
            action="calendar.approve",
            target=week,
            organization_id=week.organization_id,
            before={"state": CalendarState.DRAFT},
            after={"state": week.state, "approved_by": person.pk},
        )
    return week


def week_publish(*, actor: Actor, week: CalendarWeek) -> CalendarWeek:
    """Publish an approved week; the leaders named in it are told once each."""
    acting_person(actor)
    if not (may_compose(actor, week.organization) or may_approve(actor, week.organization)):
        raise PermissionDenied("Bạn không có quyền công bố lịch công tác tuần của cơ quan này.")
    with transaction.atomic():
        _locked_week(week)
        if week.state == CalendarState.PUBLISHED:
            raise ValidationError({"state": ["Lịch tuần đã được công bố."]})
        if week.state != CalendarState.APPROVED:
            raise ValidationError({"state": ["Lịch tuần cần được duyệt trước khi công bố."]})
        week.state = CalendarState.PUBLISHED
        week.published_at = timezone.now()
        week.save(update_fields=["state", "published_at"])
        audit_record(
            actor=actor,
            action="calendar.publish",
            target=week,
            organization_id=week.organization_id,
            before={"state": CalendarState.APPROVED},
            after={"state": week.state, "published_at": week.published_at},
        )
        leaders = set(
            CalendarEvent.leaders.through.objects.filter(
                calendarevent__week=week, calendarevent__cancelled=False
            ).values_list("person_id", flat=True)
        )
        sunday = week.week_start + dt.timedelta(days=6)
        _notify_after_commit(
            leaders,
            actor,
            "calendar.publish",
            f"Đã công bố lịch công tác tuần {week.week_start:%d/%m}–{sunday:%d/%m/%Y} "
            f"của {week.organization.name}",
            "Lịch có sự kiện đồng chí tham dự; xem chi tiết trên hệ thống.",
            _week_url(week),
            f"programs.calendarweek:{week.pk}",
        )
    return week


# --- Events --------------------------------------------------------------------------------------


def _validate(week: CalendarWeek, values: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    title = values["title"]
    if not title:
        errors["title"] = ["Hãy nhập nội dung sự kiện."]
    elif len(title) > MAX_TITLE:
        errors["title"] = [f"Nội dung dài quá {MAX_TITLE} ký tự."]
    if values["kind"] not in MeetingKind.values:
        errors["kind"] = ["Loại sự kiện không hợp lệ."]
    start, end = values["start"], values["end"]
    first, after = week_bounds(week.week_start)
    sunday = week.week_start + dt.timedelta(days=6)
    if not isinstance(start, dt.datetime):
        errors["start"] = ["Hãy nhập thời gian bắt đầu."]
    elif timezone.is_naive(start):
        errors["start"] = ["Thời gian bắt đầu cần ghi rõ múi giờ."]
    elif not first <= start < after:
        errors["start"] = [
            f"Thời gian bắt đầu phải trong tuần từ {week.week_start:%d/%m/%Y} đến {sunday:%d/%m/%Y}."
        ]
    if end is not None and "start" not in errors:
        if not isinstance(end, dt.datetime) or timezone.is_naive(end):
            errors["end"] = ["Thời gian kết thúc không hợp lệ."]
        elif end <= start:
            errors["end"] = ["Thời gian kết thúc phải sau thời gian bắt đầu."]
        elif end - start > dt.timedelta(days=7):
            errors["end"] = ["Một sự kiện không kéo dài quá 7 ngày."]
    if len(values["participants"]) > MAX_PARTICIPANTS:
        errors["participants"] = [f"Thành phần dài quá {MAX_PARTICIPANTS} ký tự."]
    if len(values["place"]) > MAX_PLACE:
        errors["place"] = [f"Địa điểm dài quá {MAX_PLACE} ký tự."]
    inactive = [p.full_name for p in values["leaders"] if not p.active]
    if inactive:
        errors["leaders"] = [f"Không còn công tác: {', '.join(inactive)}."]
    prep = values["preparing_organization"]
    if prep is not None and not prep.active:
        errors["preparing_organization"] = [f"{prep.name} không còn hoạt động."]
    return errors


def _values(**raw: Any) -> dict[str, Any]:
    return {
        "title": _clean(raw.get("title")),
        "kind": raw.get("kind") or MeetingKind.KHAC,
        "start": raw.get("start"),
        "end": raw.get("end"),
        "leaders": list(dict.fromkeys(raw.get("leaders") or [])),
        "participants": _clean(raw.get("participants")),
        "place": _clean(raw.get("place")),
        "preparing_organization": raw.get("preparing_organization"),
    }


def _snapshot(event: CalendarEvent) -> dict[str, Any]:
    return {
        "start": event.start,
        "end": event.end,
        "title": event.title,
        "kind": event.kind,
        "leaders": sorted(event.leaders.values_list("pk", flat=True)),
        "participants": event.participants,
        "place": event.place,
        "preparing_organization": event.preparing_organization_id,
    }


def event_add(
    *,
    actor: Actor | None,
    week: CalendarWeek,
    start: dt.datetime,
    end: dt.datetime | None = None,
    title: str,
    kind: str = MeetingKind.KHAC,
    leaders: Iterable[Person] = (),
    participants: str = "",
    place: str = "",
    preparing_organization: Organization | None = None,
) -> CalendarEvent:
    """Add an event asked for (a working visit, a reception…) to ``week``. Added after the
    week was published, it is marked as a change and told to its leaders."""
    _require_composer(actor, week.organization)
    values = _values(
        title=title,
        kind=kind,
        start=start,
        end=end,
        leaders=leaders,
        participants=participants,
        place=place,
        preparing_organization=preparing_organization,
    )
    errors = _validate(week, values)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _locked_week(week)
        published = week.state == CalendarState.PUBLISHED
        event = CalendarEvent.objects.create(
            week=week,
            start=values["start"],
            end=values["end"],
            title=values["title"],
            kind=values["kind"],
            participants=values["participants"],
            place=values["place"],
            preparing_organization=values["preparing_organization"],
            changed_after_publication=published,
            change_note="Bổ sung sau khi công bố lịch" if published else "",
        )
        event.leaders.set(values["leaders"])
        fields = _reopen(week)
        if fields:
            week.save(update_fields=fields)
        audit_record(
            actor=actor,
            action="calendar.event_add",
            target=event,
            organization_id=week.organization_id,
            after={**_snapshot(event), "week": week.pk},
        )
        if published:
            _notify_after_commit(
                _concerned(event),
                actor,
                "calendar.change",
                f"Bổ sung lịch công tác: {event.title}",
                f"{_when(event.start, event.end)}. {event.place}".strip(),
                _week_url(week),
                f"programs.calendarevent:{event.pk}",
            )
    return event


def _describe(before: dict[str, Any], event: CalendarEvent, people: dict[int, str]) -> str:
    """What changed, in words: "Đổi giờ từ 08:00 sang 14:00; đổi địa điểm: …"."""
    parts: list[str] = []
    old, new = timezone.localtime(before["start"]), timezone.localtime(event.start)
    if old != new:
        if old.date() == new.date():
            parts.append(f"Đổi giờ từ {old:%H:%M} sang {new:%H:%M}")
        else:
            parts.append(f"Đổi từ {old:%H:%M} {day_name(old.date())} sang {new:%H:%M} {day_name(new.date())}")
    elif before["end"] != event.end:
        parts.append(
            f"Đổi giờ kết thúc sang {timezone.localtime(event.end):%H:%M}" if event.end else "Bỏ giờ kết thúc"
        )
    if before["place"] != event.place:
        parts.append(f"Đổi địa điểm: {event.place or 'chưa xác định'}")
    if before["title"] != event.title:
        parts.append("Đổi nội dung")
    now_leaders = sorted(event.leaders.values_list("pk", flat=True))
    if before["leaders"] != now_leaders:
        names = ", ".join(people.get(pk, "") for pk in now_leaders) or "không có"
        parts.append(f"Lãnh đạo dự: {names}")
    if before["participants"] != event.participants:
        parts.append("Đổi thành phần")
    if before["preparing_organization"] != event.preparing_organization_id:
        parts.append("Đổi cơ quan chuẩn bị")
    if before["kind"] != event.kind and not parts:
        parts.append("Đổi loại sự kiện")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def event_update(
    *, actor: Actor | None, event: CalendarEvent, note: str = "", **changes: Any
) -> CalendarEvent:
    """Change an event (any of ``EDITABLE``). After publication the change is marked on the
    event with ``note`` or, without one, what changed in words; its SEQUENCE goes up and the
    people concerned are told."""
    week = event.week
    _require_composer(actor, week.organization)
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ValidationError({unknown[0]: ["Trường này không sửa được."]})
    if event.cancelled:
        raise ValidationError({"title": ["Sự kiện đã hủy, không sửa được."]})
    note = _clean(note)
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": [f"Ghi chú thay đổi dài quá {MAX_NOTE} ký tự."]})
    before = _snapshot(event)
    current = {
        **before,
        "leaders": list(event.leaders.all()),
        "preparing_organization": event.preparing_organization,
    }
    values = _values(**{**current, **changes})
    errors = _validate(week, values)
    if errors:
        raise ValidationError(errors)
    preview = {
        **{name: values[name] for name in ("start", "end", "title", "kind", "participants", "place")},
        "leaders": sorted(p.pk for p in values["leaders"]),
        "preparing_organization": values["preparing_organization"].pk
        if values["preparing_organization"]
        else None,
    }
    if preview == before:
        return event
    old_leaders = set(before["leaders"])
    with transaction.atomic():
        _locked_week(week)
        event = CalendarEvent.objects.select_for_update().get(pk=event.pk)
        if event.cancelled:  # cancelled meanwhile
            raise ValidationError({"title": ["Sự kiện đã hủy, không sửa được."]})
        for name in ("start", "end", "title", "kind", "participants", "place", "preparing_organization"):
            setattr(event, name, values[name])
        event.leaders.set(values["leaders"])
        after = _snapshot(event)
        published = week.state == CalendarState.PUBLISHED
        if published:
            names = dict(Person.objects.filter(pk__in=set(after["leaders"])).values_list("pk", "full_name"))
            event.changed_after_publication = True
            event.change_note = _clean(note or _describe(before, event, names), MAX_NOTE)
            event.sequence += 1
        event.updated_at = timezone.now()
        event.save()
        fields = _reopen(week)
        if fields:
            week.save(update_fields=fields)
        audit_record(
            actor=actor,
            action="calendar.event_update",
            target=event,
            organization_id=week.organization_id,
            before=before,
            after={**after, "change_note": event.change_note, "sequence": event.sequence},
        )
        if published:
            _notify_after_commit(
                _concerned(event, old_leaders),
                actor,
                "calendar.change",
                f"Thay đổi lịch công tác: {event.title}",
                f"{event.change_note}. Thời gian: {_when(event.start, event.end)}."
                + (f" Địa điểm: {event.place}." if event.place else ""),
                _week_url(week),
                f"programs.calendarevent:{event.pk}",
            )
    return event


def event_cancel(*, actor: Actor | None, event: CalendarEvent, reason: str) -> CalendarEvent:
    """Cancel an event (it stays on the calendar, struck through). After publication the
    reason is its change note, its SEQUENCE goes up and the people concerned are told."""
    week = event.week
    _require_composer(actor, week.organization)
    reason = _clean(reason)
    if not reason:
        raise ValidationError({"reason": ["Hãy ghi lý do hủy."]})
    if len(reason) > MAX_NOTE - 10:
        raise ValidationError({"reason": [f"Lý do dài quá {MAX_NOTE - 10} ký tự."]})
    with transaction.atomic():
        _locked_week(week)
        event = CalendarEvent.objects.select_for_update().get(pk=event.pk)
        if event.cancelled:
            raise ValidationError({"reason": ["Sự kiện đã được hủy trước đó."]})
        published = week.state == CalendarState.PUBLISHED
        event.cancelled = True
        event.change_note = f"Hủy: {reason}"
        if published:
            event.changed_after_publication = True
            event.sequence += 1
        event.updated_at = timezone.now()
        event.save(
            update_fields=["cancelled", "change_note", "changed_after_publication", "sequence", "updated_at"]
        )
        fields = _reopen(week)
        if fields:
            week.save(update_fields=fields)
        audit_record(
            actor=actor,
            action="calendar.event_cancel",
            target=event,
            organization_id=week.organization_id,
            before={"cancelled": False},
            after={"cancelled": True, "reason": reason, "sequence": event.sequence},
        )
        if published:
            _notify_after_commit(
                _concerned(event),
                actor,
                "calendar.change",
                f"Hủy lịch công tác: {event.title}",
                f"{_when(event.start, event.end)}. Lý do: {reason}",
                _week_url(week),
                f"programs.calendarevent:{event.pk}",
            )
    return event


# --- Subscription feeds --------------------------------------------------------------------------


def feed_token(feed: CalendarFeed) -> str:
    """The secret of ``feed``'s link: an HMAC (SHA-256, under the site's secret key) of the
    feed's row, 43 URL-safe characters like ``secrets.token_urlsafe(32)``."""
    subject = f"{feed.person_id or ''}:{feed.organization_id or ''}"
    value = f"{feed.pk}:{feed.owner_id}:{subject}:{feed.created_at.isoformat()}"
    digest = salted_hmac(FEED_SALT, value, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_for(
    *,
    actor: Actor,
    person: Person | None = None,
    organization: Organization | None = None,
    rotate: bool = False,
) -> tuple[CalendarFeed, str]:
    """The caller's subscription link to their own calendar (``person``) or to an
    organisation's whose calendar they read: the live one, or a new one when there is none
    or ``rotate`` (the old link then stops working). Answers the feed and its token."""
    owner = acting_person(actor)
    if (person is None) == (organization is None):
        raise ValidationError({"kind": ["Chọn lịch của cá nhân hoặc lịch của cơ quan."]})
    if person is not None and person.pk != owner.pk:
        raise PermissionDenied("Chỉ tạo được đường dẫn đăng ký lịch của chính mình.")
    if organization is not None and not may_read_calendar(actor, organization):
        raise PermissionDenied("Bạn không được xem lịch công tác của cơ quan này.")
    subject = Q(person=person) if person is not None else Q(organization=organization)
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=owner.pk).first()  # one feed at a time per owner
        live = CalendarFeed.objects.filter(subject, owner=owner, revoked_at__isnull=True).order_by("-pk")
        current = live.first()
        if current is not None and not rotate:
            return current, feed_token(current)
        now = timezone.now()
        revoked = list(live.values_list("pk", flat=True))
        live.update(revoked_at=now)
        feed = CalendarFeed.objects.create(
            owner=owner, person=person, organization=organization, token_hash=secrets.token_hex(32)
        )  # a random placeholder: the real hash needs the row's key
        feed.token_hash = token_hash(feed_token(feed))
        feed.save(update_fields=["token_hash"])
        audit_record(
            actor=actor,
            action="calendar.feed_create",
            target=feed,
            organization_id=organization.pk if organization is not None else owner.organization_id,
            after={
                "person": person.pk if person else None,
                "organization": organization.pk if organization else None,
                "revoked": revoked,
            },
        )
    return feed, feed_token(feed)


def feed_revoke(*, actor: Actor, feed: CalendarFeed) -> CalendarFeed:
    """Stop a subscription link (its owner only). A later ``feed_for`` makes a new one."""
    owner = acting_person(actor)
    if feed.owner_id != owner.pk:
        raise PermissionDenied("Chỉ người tạo được thu hồi đường dẫn đăng ký lịch này.")
    if feed.revoked_at is not None:
        return feed
    with transaction.atomic():
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="calendar.feed_revoke",
            target=feed,
            organization_id=feed.organization_id or owner.organization_id,
            after={"revoked_at": feed.revoked_at},
        )
    return feed


def feed_by_token(token: str) -> CalendarFeed | None:
    """The live feed a link's token opens, or None (unknown, revoked, or its owner gone).
    Looked up by the token's hash: no comparison of secrets in Python."""
    if not token or len(token) > 200:
        return None
    return (
        CalendarFeed.objects.filter(token_hash=token_hash(token), revoked_at__isnull=True, owner__active=True)
        .select_related("owner__user", "person", "organization")
        .first()
    )


__all__ = [
    "EDITABLE",
    "WEEKDAYS",
    "day_name",
    "event_add",
    "event_cancel",
    "event_update",
    "feed_by_token",
    "feed_for",
    "feed_revoke",
    "feed_token",
    "token_hash",
    "week_approve",
    "week_bounds",
    "week_compose",
    "week_get_or_create",
    "week_publish",
]


# --- Following the meetings ----------------------------------------------------------------------


def _follow(event: CalendarEvent, meeting: Meeting, leaders: set[int]) -> None:
    """Write ``meeting``'s time, title, kind, place, leaders and participants on ``event`` (a
    change after publication is marked and told by ``event_update``). A preparing agency no
    longer active is left off rather than refusing the meeting's change."""
    fresh, leading = _meeting_event(meeting, leaders)
    prep = event.preparing_organization
    event_update(
        actor=None,
        event=event,
        start=fresh.start,
        end=fresh.end,
        title=fresh.title,
        kind=fresh.kind,
        place=fresh.place,
        participants=fresh.participants,
        leaders=list(Person.objects.filter(pk__in=leading)),
        preparing_organization=prep if prep is None or prep.active else None,
    )


def events_follow_meeting(*, meeting: Meeting, reason: str = "") -> int:
    """Bring the calendar events made from ``meeting`` in line with it after the meeting
    service changed or cancelled it (in the caller's transaction): a new time, place, title,
    chair or participants are written on the event — marked and told like any change once the
    week is published — and a cancelled meeting, or one moved out of the event's week, cancels
    the event; a meeting moved into a week already composed is added to it. The meeting
    service checked who may change the meeting; the calendar follows, so these changes are
    recorded as the system's. Answers the events changed or added."""
    changed = 0
    leaders = _leader_ids(meeting.organization)
    events = list(CalendarEvent.objects.filter(meeting=meeting, cancelled=False).select_related("week"))
    for event in events:
        start, end = week_bounds(event.week.week_start)
        if meeting.state == MeetingState.CANCELLED:
            event_cancel(actor=None, event=event, reason=reason or meeting.cancel_reason or "Cuộc họp bị hủy")
        elif not (start <= meeting.start < end):
            day = timezone.localtime(meeting.start)
            event_cancel(
                actor=None, event=event, reason=f"Cuộc họp chuyển sang {day_name(day.date())}/{day:%Y}"
            )
        else:
            before = event.sequence, event.updated_at
            _follow(event, meeting, leaders)
            event.refresh_from_db()
            if (event.sequence, event.updated_at) == before:
                continue
        changed += 1
    if meeting.state != MeetingState.CANCELLED:
        local = timezone.localtime(meeting.start).date()
        target = CalendarWeek.objects.filter(
            organization=meeting.organization, week_start=local - dt.timedelta(days=local.weekday())
        ).first()
        if (
            target is not None
            and not CalendarEvent.objects.filter(week=target, meeting=meeting, cancelled=False).exists()
        ):
            changed += len(_add_events(None, target, [_meeting_event(meeting, leaders)]))
    return changed
