"""Every change to rooms and meetings, as plain functions taking explicit arguments. Each one
checks who may do it, validates with Vietnamese messages (``ValidationError`` keyed by field),
writes the rows and its audit entry in one transaction.

Booking a room takes a row lock on the room (``SELECT … FOR UPDATE``) before it looks for an
overlapping meeting: two requests booking one room at once are served one after the other,
and the second is refused with ``RoomConflict`` (the API's 409 ``conflict``). A participant
already seated in another meeting at that time is a warning, not a refusal.

A conclusion with a lead and a due date becomes a task of the engine (``task_create``) in the
same transaction, its source the conclusion (and so the meeting); the Thông báo kết luận is an
outgoing draft made by the outgoing flow's own service (``outgoing_draft_create``), numbered
and issued by that flow later."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from vanphong.audit.services import audit_record
from vanphong.core.files import Spooled, Upload, spool_upload, store_spooled
from vanphong.documents.access import documents_visible_to
from vanphong.documents.models import Document
from vanphong.documents.services.outgoing import outgoing_draft_create
from vanphong.notifications.services import notify
from vanphong.orgs.access import Capability, can
from vanphong.orgs.actors import Actor, acting_person, person_of
from vanphong.orgs.models import Organization, Person, Unit
from vanphong.programs.models import (
    AgendaItem,
    Attendance,
    Conclusion,
    ConclusionParty,
    ConclusionRole,
    ItemState,
    Meeting,
    MeetingKind,
    MeetingParticipant,
    MeetingState,
    ParticipantRole,
    ProgramItem,
    Room,
)
from vanphong.programs.selectors.meetings import may_manage, meetings_visible_to
from vanphong.programs.services.calendar import events_follow_meeting
from vanphong.programs.services.work_programs import item_meeting_held
from vanphong.tasks.models import SourceKind
from vanphong.tasks.services import TaskSource, task_create, task_validate

Target = Organization | Unit | Person

MAX_TITLE = 500
MAX_HOURS = 24 * 7  # a meeting, a conference: at most a week
FIRST_YEAR, LAST_YEAR = 2000, 2100  # a year outside is a typing slip
MAX_ID = 2**63  # beyond a 64-bit key: no row
MAX_MINUTES = 100_000  # characters typed as text; a longer record is a file


class RoomConflict(ValidationError):
    """The room is booked by another meeting at that time (the API answers 409 ``conflict``)."""


@dataclass
class Booked:
    """A meeting as created, with the warnings its participants' other meetings give."""

    meeting: Meeting
    warnings: list[str] = field(default_factory=list)


def _when(start: dt.datetime, end: dt.datetime) -> str:
    start, end = timezone.localtime(start), timezone.localtime(end)
    if start.date() == end.date():
        return f"{start:%H:%M}–{end:%H:%M} ngày {start:%d/%m/%Y}"
    return f"{start:%H:%M} ngày {start:%d/%m/%Y} đến {end:%H:%M} ngày {end:%d/%m/%Y}"


def _overlapping(start: dt.datetime, end: dt.datetime) -> Any:
    return Meeting.objects.filter(start__lt=end, end__gt=start).exclude(state=MeetingState.CANCELLED)


# --- Rooms ---------------------------------------------------------------------------------------


def room_create(
    *, actor: Actor | None, organization: Organization, name: str, capacity: int = 0, equipment: str = ""
) -> Room:
    """Add a room to the register of ``organization`` (its office keeps it; administrators may)."""
    if not _may_keep_rooms(actor, organization):
        raise PermissionDenied("Bạn không có quyền quản lý phòng họp của cơ quan này.")
    name = " ".join((name or "").split())
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = ["Hãy nhập tên phòng họp."]
    elif len(name) > 200:
        errors["name"] = ["Tên phòng họp dài quá 200 ký tự."]
    elif Room.objects.filter(organization=organization, name__iexact=name).exists():
        errors["name"] = [f"Cơ quan đã có phòng họp “{name}”."]
    if not isinstance(capacity, int) or not 0 <= capacity <= 5000:
        errors["capacity"] = ["Sức chứa phải là số người từ 0 đến 5000."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        room = Room.objects.create(
            organization=organization, name=name, capacity=capacity, equipment=(equipment or "").strip()[:500]
        )
        audit_record(
            actor=actor,
            action="room.create",
            target=room,
            organization_id=organization.pk,
            after={"name": name, "capacity": capacity, "organization": organization.pk},
        )
    return room


def _may_keep_rooms(actor: Actor | None, organization: Organization) -> bool:
    return (
        actor is None
        or can(actor, Capability.REGISTER, organization)
        or can(actor, Capability.MANAGE_PEOPLE, organization)
    )


def room_set_active(*, actor: Actor | None, room: Room, active: bool) -> Room:
    """Take a room out of use (its meetings stay) or back into use."""
    if not _may_keep_rooms(actor, room.organization):
        raise PermissionDenied("Bạn không có quyền quản lý phòng họp của cơ quan này.")
    if room.active == active:
        return room
    with transaction.atomic():
        before = {"active": room.active}
        room.active = active
        room.save(update_fields=["active"])
        audit_record(
            actor=actor,
            action="room.update",
            target=room,
            organization_id=room.organization_id,
            before=before,
            after={"active": active},
        )
    return room


def _room_serves(room: Room, organization: Organization) -> bool:
    """A room may host the meetings of the organisation that keeps it, of the committee whose
    Văn phòng keeps it, and of the Văn phòng of the committee that keeps it."""
    keeper = room.organization
    if organization.pk == keeper.pk:
        return True
    if keeper.is_office and keeper.parent_id == organization.pk:
        return True
    return organization.is_office and organization.parent_id == keeper.pk


# --- Meetings ------------------------------------------------------------------------------------


def _named(actor: Actor | None, meeting: Meeting, visible: set[int]) -> str:
    """How a message names another meeting: by its title when ``actor`` may see it."""
    when = _when(meeting.start, meeting.end)
    return f"“{meeting.title}” ({when})" if meeting.pk in visible else f"khác ({when})"


def participant_warnings(
    people: Iterable[Person],
    start: dt.datetime,
    end: dt.datetime,
    *,
    actor: Actor | None = None,
    exclude: int | None = None,
) -> list[str]:
    """One Vietnamese line for each person already chairing or seated in another meeting at
    that time (named by its title when ``actor`` may see it)."""
    people = list(people)
    ids = [p.pk for p in people]
    if not ids:
        return []
    clashes = (
        _overlapping(start, end)
        .filter(Q(chair_id__in=ids) | Q(participants__person_id__in=ids))
        .exclude(pk=exclude)
        .distinct()
        .prefetch_related("participants")
        .order_by("start", "id")
    )
    clashes = list(clashes)
    visible = set(
        meetings_visible_to(actor).filter(pk__in=[m.pk for m in clashes]).values_list("pk", flat=True)
    )
    warnings: list[str] = []
    for other in clashes:
        seated = {p.person_id for p in other.participants.all()} | {other.chair_id}
        for person in people:
            if person.pk in seated:
                warnings.append(
                    f"Đồng chí {person.full_name} đã có lịch họp {_named(actor, other, visible)}."
                )
    return warnings


def _check_meeting(
    *,
    organization: Organization,
    title: str,
    kind: str,
    start: dt.datetime | None,
    end: dt.datetime | None,
    chair: Person | None,
    room: Room | None,
    place: str,
    people: Iterable[Person],
    program_item: ProgramItem | None,
    errors: dict[str, list[str]],
) -> None:
    """The checks a meeting's fields pass when it is created and when it is changed."""
    if not title:
        errors["title"] = ["Hãy nhập tên cuộc họp."]
    elif len(title) > MAX_TITLE:
        errors["title"] = [f"Tên cuộc họp dài quá {MAX_TITLE} ký tự."]
    if kind not in MeetingKind.values:
        errors["kind"] = ["Loại cuộc họp không hợp lệ."]
    if start is None or end is None:
        errors["end" if start else "start"] = ["Hãy nhập thời gian bắt đầu và kết thúc."]
    elif not (FIRST_YEAR <= start.year <= LAST_YEAR and FIRST_YEAR <= end.year <= LAST_YEAR):
        errors["start"] = [f"Thời gian họp phải trong các năm {FIRST_YEAR}–{LAST_YEAR}."]
    elif end <= start:
        errors["end"] = ["Thời gian kết thúc phải sau thời gian bắt đầu."]
    elif end - start > dt.timedelta(hours=MAX_HOURS):
        errors["end"] = ["Một cuộc họp không kéo dài quá 7 ngày."]
    if len(place) > 300:
        errors["place"] = ["Địa điểm dài quá 300 ký tự."]
    if room is not None:
        if not room.active:
            errors["room"] = [f"Phòng “{room.name}” không còn sử dụng."]
        elif not _room_serves(room, organization):
            errors["room"] = [f"Phòng “{room.name}” không thuộc cơ quan này."]
    elif not place:
        errors["place"] = ["Hãy chọn phòng họp hoặc ghi địa điểm."]
    if chair is None:
        errors["chair"] = ["Hãy chọn người chủ trì."]
    elif not chair.active:
        errors["chair"] = [f"Đồng chí {chair.full_name} không còn công tác."]
    inactive = [p.full_name for p in people if not p.active]
    if inactive:
        errors["participants"] = [f"Không còn công tác: {', '.join(inactive)}."]
    if program_item is not None:
        if program_item.program.organization_id not in _program_owners(organization):
            errors["program_item"] = [
                "Nội dung chương trình không thuộc chương trình công tác của cơ quan này."
            ]
        elif program_item.state != ItemState.PLANNED:
            errors["program_item"] = [
                f"Nội dung chương trình đã {program_item.get_state_display().lower()}: không còn để họp."
            ]


def _program_owners(organization: Organization) -> set[int]:
    """Whose programme items a meeting of ``organization`` may take up: its own, and (for a
    Văn phòng) its committee's, as the office organises the committee's meetings."""
    owners = {organization.pk}
    if organization.is_office and organization.parent_id is not None:
        owners.add(organization.parent_id)
    return owners


def meeting_create(
    *,
    actor: Actor,
    organization: Organization,
    title: str,
    kind: str,
    start: dt.datetime,
    end: dt.datetime,
    chair: Person | None,
    room: Room | None = None,
    place: str = "",
    participants: Iterable[Person] = (),
    guests: Iterable[Person] = (),
    program_item: ProgramItem | None = None,
) -> Booked:
    """Schedule a meeting of ``organization`` (taking up ``program_item`` of its work
    programme when given). Refuses a room already booked at that time (``RoomConflict``);
    warns about people already in another meeting at that time."""
    creator = acting_person(actor)
    if not can(actor, Capability.WRITE, organization):
        raise PermissionDenied("Bạn không có quyền lên lịch họp của cơ quan này.")
    title = " ".join((title or "").split())
    place = " ".join((place or "").split())
    participants = list(dict.fromkeys(participants))
    guests = [g for g in dict.fromkeys(guests) if g not in participants]
    errors: dict[str, list[str]] = {}
    _check_meeting(
        organization=organization,
        title=title,
        kind=kind,
        start=start,
        end=end,
        chair=chair,
        room=room,
        place=place,
        people=[*participants, *guests],
        program_item=program_item,
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    assert chair is not None

    with transaction.atomic():
        if room is not None:
            _book(actor, room, start, end)
        meeting = Meeting.objects.create(
            organization=organization,
            kind=kind,
            title=title,
            start=start,
            end=end,
            room=room,
            place=place,
            chair=chair,
            program_item=program_item,
            created_by=creator,
        )
        MeetingParticipant.objects.bulk_create(
            [
                MeetingParticipant(meeting=meeting, person=p, role=ParticipantRole.PARTICIPANT)
                for p in participants
            ]
            + [MeetingParticipant(meeting=meeting, person=g, role=ParticipantRole.GUEST) for g in guests]
        )
        warnings = participant_warnings(
            [chair, *[p for p in [*participants, *guests] if p != chair]],
            start,
            end,
            actor=actor,
            exclude=meeting.pk,
        )
        audit_record(
            actor=actor,
            action="meeting.create",
            target=meeting,
            organization_id=organization.pk,
            after={
                "title": title,
                "kind": kind,
                "start": start,
                "end": end,
                "room": room.pk if room else None,
                "place": place,
                "chair": chair.pk,
                "participants": [p.pk for p in participants],
                "guests": [g.pk for g in guests],
                "program_item": program_item.pk if program_item else None,
            },
        )
    return Booked(meeting=meeting, warnings=warnings)


_UNSET: Any = object()


def _snapshot(meeting: Meeting) -> dict[str, Any]:
    return {
        "title": meeting.title,
        "kind": meeting.kind,
        "start": meeting.start,
        "end": meeting.end,
        "room": meeting.room_id,
        "place": meeting.place,
        "chair": meeting.chair_id,
    }


def meeting_update(
    *,
    actor: Actor,
    meeting: Meeting,
    title: Any = _UNSET,
    kind: Any = _UNSET,
    start: Any = _UNSET,
    end: Any = _UNSET,
    room: Any = _UNSET,
    place: Any = _UNSET,
    chair: Any = _UNSET,
    participants: Any = _UNSET,
    guests: Any = _UNSET,
) -> Booked:
    """Change a planned meeting: its title, kind, time (rescheduling), room or place, chair,
    participants and guests. Only what is given changes. A new time or room is booked under
    the room's lock like a new meeting (``RoomConflict``); the people seated get the same
    warnings; those whose seat or time changed are told."""
    _require_manager(actor, meeting)
    if meeting.state != MeetingState.PLANNED:
        raise ValidationError(
            {"state": [f"Cuộc họp {meeting.get_state_display().lower()}: không sửa được lịch họp nữa."]}
        )
    new_title = " ".join((meeting.title if title is _UNSET else title or "").split())
    new_place = " ".join((meeting.place if place is _UNSET else place or "").split())
    new_kind = meeting.kind if kind is _UNSET else kind
    new_start = meeting.start if start is _UNSET else start
    new_end = meeting.end if end is _UNSET else end
    new_room = meeting.room if room is _UNSET else room
    new_chair = meeting.chair if chair is _UNSET else chair
    seats = list(meeting.participants.select_related("person"))
    old_participants = [s.person for s in seats if s.role == ParticipantRole.PARTICIPANT]
    old_guests = [s.person for s in seats if s.role == ParticipantRole.GUEST]
    new_participants = old_participants if participants is _UNSET else list(dict.fromkeys(participants))
    new_guests = old_guests if guests is _UNSET else list(dict.fromkeys(guests))
    new_guests = [g for g in new_guests if g not in new_participants]
    errors: dict[str, list[str]] = {}
    _check_meeting(
        organization=meeting.organization,
        title=new_title,
        kind=new_kind,
        start=new_start,
        end=new_end,
        chair=new_chair,
        room=new_room,
        place=new_place,
        people=[p for p in [*new_participants, *new_guests] if p not in old_participants + old_guests],
        program_item=None,
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    assert new_chair is not None
    with transaction.atomic():
        locked = _locked(meeting)
        if locked.state != MeetingState.PLANNED:  # held or cancelled meanwhile
            raise ValidationError(
                {"state": [f"Cuộc họp {locked.get_state_display().lower()}: không sửa được lịch họp nữa."]}
            )
        before = _snapshot(locked)
        moved = (new_start, new_end, getattr(new_room, "pk", None)) != (
            locked.start,
            locked.end,
            locked.room_id,
        )
        if new_room is not None and moved:
            _book(actor, new_room, new_start, new_end, exclude=locked.pk)
        locked.title, locked.kind, locked.start, locked.end = new_title, new_kind, new_start, new_end
        locked.room, locked.place, locked.chair = new_room, new_place, new_chair
        locked.save(update_fields=["title", "kind", "start", "end", "room", "place", "chair"])
        kept = {s.person_id: s for s in seats}
        wanted = {p.pk: ParticipantRole.PARTICIPANT for p in new_participants}
        wanted.update({g.pk: ParticipantRole.GUEST for g in new_guests})
        MeetingParticipant.objects.filter(meeting=locked).exclude(person_id__in=list(wanted)).delete()
        for person_id, role in wanted.items():
            seat = kept.get(person_id)
            if seat is None:
                MeetingParticipant.objects.create(meeting=locked, person_id=person_id, role=role)
            elif seat.role != role:
                seat.role = role
                seat.save(update_fields=["role"])
        events_follow_meeting(meeting=locked)
        everyone = [new_chair, *[p for p in [*new_participants, *new_guests] if p != new_chair]]
        warnings = participant_warnings(everyone, new_start, new_end, actor=actor, exclude=locked.pk)
        after = _snapshot(locked)
        audit_record(
            actor=actor,
            action="meeting.update",
            target=locked,
            organization_id=locked.organization_id,
            before={
                **before,
                "participants": [p.pk for p in old_participants],
                "guests": [g.pk for g in old_guests],
            },
            after={
                **after,
                "participants": [p.pk for p in new_participants],
                "guests": [g.pk for g in new_guests],
            },
        )
        if moved or before["place"] != after["place"]:
            _tell(
                locked,
                everyone,
                actor,
                f"Dời lịch họp: {locked.title}",
                f"Cuộc họp chuyển sang {_when(new_start, new_end)}, tại {_where(locked)}.",
            )
        else:
            joined = [p for p in everyone if p.pk not in kept and p.pk != before["chair"]]
            _tell(
                locked,
                joined,
                actor,
                f"Mời họp: {locked.title}",
                f"{_when(new_start, new_end)}, tại {_where(locked)}.",
            )
    for name in ("title", "kind", "start", "end", "room", "place", "chair"):
        setattr(meeting, name, getattr(locked, name))
    return Booked(meeting=meeting, warnings=warnings)


def meeting_cancel(*, actor: Actor, meeting: Meeting, reason: str) -> Meeting:
    """Cancel (or postpone without a new date) a planned meeting, with its reason: its room is
    freed, its people are told. A held meeting is not cancelled."""
    _require_manager(actor, meeting)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": ["Hãy ghi lý do hủy, hoãn cuộc họp."]})
    if len(reason) > 500:
        raise ValidationError({"reason": ["Lý do dài quá 500 ký tự."]})
    with transaction.atomic():
        locked = _locked(meeting)
        if locked.state != MeetingState.PLANNED:
            raise ValidationError(
                {"state": [f"Cuộc họp {locked.get_state_display().lower()}: không hủy được."]}
            )
        locked.state, locked.cancel_reason = MeetingState.CANCELLED, reason
        locked.save(update_fields=["state", "cancel_reason"])
        events_follow_meeting(meeting=locked, reason=f"Cuộc họp bị hủy, hoãn: {reason}")
        audit_record(
            actor=actor,
            action="meeting.cancel",
            target=locked,
            organization_id=locked.organization_id,
            before={"state": MeetingState.PLANNED},
            after={"state": locked.state, "reason": reason},
        )
        people = [locked.chair, *[s.person for s in locked.participants.select_related("person")]]
        _tell(
            locked,
            people,
            actor,
            f"Hủy, hoãn cuộc họp: {locked.title}",
            f"Cuộc họp {_when(locked.start, locked.end)} không diễn ra. Lý do: {reason}",
        )
    meeting.state, meeting.cancel_reason = locked.state, locked.cancel_reason
    return meeting


def _where(meeting: Meeting) -> str:
    return meeting.room.name if meeting.room_id and meeting.room else meeting.place


def _tell(meeting: Meeting, people: Iterable[Person], actor: Actor, title: str, body: str) -> None:
    """Tell each person once (not the one acting) about a change of ``meeting``."""
    me = person_of(actor)
    url = reverse("programs:meeting_detail", args=[meeting.pk])
    seen: set[int] = set()
    for person in people:
        if person.pk in seen or (me is not None and person.pk == me.pk):
            continue
        seen.add(person.pk)
        notify(person, "meeting", title, body, url=url)


RoomHolder = Callable[..., "str | None"]
"""``fn(room, start, end, exclude_booking_id=None) -> str | None``: a description (Vietnamese,
e.g. "“Tập huấn” của Văn phòng, 08:00–10:00 ngày 08/12/2026") of something else holding
``room`` at some time in [``start``, ``end``), or ``None`` when nothing else holds it."""

_room_holders: list[RoomHolder] = []


def register_room_holder(fn: RoomHolder) -> RoomHolder:
    """Let another app (which programs may not import) hold rooms too: ``_book`` asks every
    registered ``fn`` under the room's lock, after its own meetings, and refuses the meeting
    with ``RoomConflict`` carrying the description ``fn`` returned. Registering twice is a
    no-op; returns ``fn`` (usable as a decorator)."""
    if fn not in _room_holders:
        _room_holders.append(fn)
    return fn


def _book(
    actor: Actor, room: Room, start: dt.datetime, end: dt.datetime, *, exclude: int | None = None
) -> None:
    """Lock the room's row, then refuse when another meeting (not ``exclude``) or another
    registered holder (``register_room_holder``) holds it at that time. Inside the caller's
    transaction: the lock is held until the meeting is committed."""
    Room.objects.select_for_update().filter(pk=room.pk).first()
    other = _overlapping(start, end).filter(room=room).exclude(pk=exclude).order_by("start").first()
    if other is not None:
        visible = set(meetings_visible_to(actor).filter(pk=other.pk).values_list("pk", flat=True))
        raise RoomConflict({"room": [f"Phòng “{room.name}” đã có cuộc họp {_named(actor, other, visible)}."]})
    for holder in list(_room_holders):
        held = holder(room, start, end)
        if held:
            raise RoomConflict({"room": [f"Phòng “{room.name}” đã được đặt: {held}."]})


def _require_manager(actor: Actor, meeting: Meeting) -> Person:
    person = acting_person(actor)
    if not may_manage(actor, meeting):
        raise PermissionDenied("Bạn không có quyền cập nhật cuộc họp này.")
    return person


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def agenda_item_add(
    *, actor: Actor, meeting: Meeting, title: str, documents: Iterable[Any] = ()
) -> AgendaItem:
    """Add an item to the agenda, with the documents of its pack. Each document must be one
    ``actor`` may see; who of the participants reads it is decided by their clearance."""
    _require_manager(actor, meeting)
    title = " ".join((title or "").split())
    ids = list(dict.fromkeys(d.pk if isinstance(d, Document) else d for d in documents))
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = ["Hãy nhập nội dung."]
    elif len(title) > MAX_TITLE:
        errors["title"] = [f"Nội dung dài quá {MAX_TITLE} ký tự."]
    found: list[Document] = []
    try:
        clean_ids = [int(i) for i in ids]
    except (TypeError, ValueError):
        errors["documents"] = ["Mã văn bản không hợp lệ."]
        clean_ids = []
    if clean_ids:
        in_range = [i for i in clean_ids if 0 < i < MAX_ID]  # others are no document
        found = list(documents_visible_to(actor).filter(pk__in=in_range))
        missing = sorted(set(clean_ids) - {d.pk for d in found})
        if missing:
            errors["documents"] = [f"Không tìm thấy văn bản: {', '.join(str(i) for i in missing)}."]
    if meeting.state == MeetingState.CANCELLED:
        errors["title"] = ["Cuộc họp đã hủy."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _locked(meeting)
        order = (meeting.agenda.aggregate(m=Max("order"))["m"] or 0) + 1
        item = AgendaItem.objects.create(meeting=meeting, order=order, title=title)
        item.documents.set(found)
        audit_record(
            actor=actor,
            action="meeting.agenda_add",
            target=meeting,
            organization_id=meeting.organization_id,
            after={"order": order, "title": title, "documents": [d.pk for d in found]},
        )
    return item


def attendance_set(
    *, actor: Actor, meeting: Meeting, person: Person, attendance: str, reason: str = ""
) -> MeetingParticipant:
    """Record whether a participant or guest came (and why not, when excused)."""
    _require_manager(actor, meeting)
    seat = meeting.participants.filter(person=person).first()
    reason = " ".join((reason or "").split())
    errors: dict[str, list[str]] = {}
    if seat is None:
        errors["person"] = [f"Đồng chí {person.full_name} không có trong thành phần cuộc họp."]
    if attendance not in Attendance.values:
        errors["attendance"] = ["Tình trạng tham dự không hợp lệ."]
    elif attendance == Attendance.EXCUSED and not reason:
        errors["reason"] = ["Vắng có lý do: hãy ghi lý do."]
    if len(reason) > 300:
        errors["reason"] = ["Lý do dài quá 300 ký tự."]
    if errors:
        raise ValidationError(errors)
    assert seat is not None
    before = {"attendance": seat.attendance, "reason": seat.reason}
    with transaction.atomic():
        seat.attendance = attendance
        seat.reason = reason if attendance in (Attendance.EXCUSED, Attendance.ABSENT) else ""
        seat.save(update_fields=["attendance", "reason"])
        audit_record(
            actor=actor,
            action="meeting.attendance",
            target=meeting,
            organization_id=meeting.organization_id,
            before={"person": person.pk, **before},
            after={"person": person.pk, "attendance": seat.attendance, "reason": seat.reason},
        )
    return seat


def minutes_record(
    *, actor: Actor, meeting: Meeting, minutes: str = "", upload: Upload | None = None
) -> Meeting:
    """Write the minutes (biên bản) as text, attach its signed file (a scan or the .docx), or
    both; the meeting is then held. The file is read and checked (size, real type, bounded
    unpacking) before anything is written, so a refused file loses nothing."""
    _require_manager(actor, meeting)
    minutes = (minutes or "").strip()
    if not minutes and upload is None and not meeting.minutes:
        raise ValidationError({"minutes": ["Hãy nhập nội dung biên bản hoặc chọn tệp biên bản."]})
    if meeting.state == MeetingState.CANCELLED:
        raise ValidationError({"minutes": ["Cuộc họp đã hủy."]})
    if len(minutes) > MAX_MINUTES:
        raise ValidationError(
            {"minutes": [f"Biên bản dài quá {MAX_MINUTES} ký tự: hãy tải lên dưới dạng tệp."]}
        )
    spooled: Spooled | None = None
    if upload is not None:
        try:
            spooled = spool_upload(upload)
        except ValidationError as error:
            raise ValidationError({"minutes_file": error.messages}) from None
    stored = ""
    locked = meeting
    try:
        with transaction.atomic():
            locked = _locked(meeting)
            if locked.state == MeetingState.CANCELLED:  # cancelled meanwhile
                raise ValidationError({"minutes": ["Cuộc họp đã hủy."]})
            before = {
                "state": locked.state,
                "minutes_length": len(locked.minutes),
                "file": locked.minutes_file.name,
            }
            if minutes:
                locked.minutes = minutes
            locked.state = MeetingState.HELD
            fields = ["minutes", "state"]
            after: dict[str, Any] = {"state": locked.state, "minutes_length": len(locked.minutes)}
            if spooled is not None:
                stored = store_spooled(spooled, locked.minutes_file)
                fields.append("minutes_file")
                after.update(file=locked.minutes_file.name, sha256=spooled.sha256, size=spooled.size)
            locked.save(update_fields=fields)
            taken_up = locked.program_item
            if taken_up is not None and before["state"] != MeetingState.HELD:
                # The programme's item the meeting took up is carried out on the meeting's day.
                item_meeting_held(item=taken_up, on_date=timezone.localdate(locked.start), actor=actor)
            audit_record(
                actor=actor,
                action="meeting.minutes_file" if spooled is not None else "meeting.minutes",
                target=locked,
                organization_id=meeting.organization_id,
                before=before,
                after=after,
            )
    except BaseException:
        if stored:  # the row was not written: no file without its record
            meeting.minutes_file.storage.delete(stored)
        raise
    finally:
        if spooled is not None:
            spooled.discard()
    meeting.minutes, meeting.state, meeting.minutes_file = locked.minutes, locked.state, locked.minutes_file
    return meeting


def _source_label(meeting: Meeting) -> str:
    day = timezone.localtime(meeting.start)
    return f"Kết luận tại {meeting.get_kind_display()} ngày {day:%d/%m/%Y}: {meeting.title}"


def conclusion_add(
    *,
    actor: Actor,
    meeting: Meeting,
    text: str,
    lead: Target | None = None,
    cooperating: Iterable[Target] = (),
    due_date: dt.date | None = None,
) -> Conclusion:
    """Record a conclusion. With a lead and a due date it becomes a task of the engine, given
    in the name of the meeting's organisation, in the same transaction; its source is the
    conclusion (the task page links back to the meeting). The task is given on the day of the
    meeting (today for one still to come): the conclusion was made there, whenever it is
    entered, so a due date after the meeting but before today is accepted (overdue at once)."""
    person = _require_manager(actor, meeting)
    text = (text or "").strip()
    cooperating = list(cooperating)
    errors: dict[str, list[str]] = {}
    if not text:
        errors["text"] = ["Hãy nhập nội dung kết luận."]
    elif len(text) > 5000:
        errors["text"] = ["Nội dung kết luận dài quá 5000 ký tự."]
    if meeting.state == MeetingState.CANCELLED:
        errors["text"] = ["Cuộc họp đã hủy."]
    if lead is None and (cooperating or due_date):
        errors["lead"] = ["Kết luận có nơi phối hợp hoặc thời hạn cần có nơi chủ trì."]
    if lead is not None and due_date is None:
        errors["due_date"] = ["Kết luận giao việc cần có thời hạn hoàn thành."]
    if errors:
        raise ValidationError(errors)
    title = " ".join(text.split())
    title = title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…"
    source = TaskSource(kind=SourceKind.CONCLUSION, label=_source_label(meeting))
    given_on = min(timezone.localdate(meeting.start), timezone.localdate())
    if lead is not None:
        # Every check first (who gives it, whom they name, the date), before anything is written.
        task_validate(
            actor=actor,
            organization=meeting.organization,
            title=title,
            lead=lead,
            cooperating=cooperating,
            due_date=due_date,
            source=source,
            assigned_on=given_on,
        )
    with transaction.atomic():
        _locked(meeting)
        order = (meeting.conclusions.aggregate(m=Max("order"))["m"] or 0) + 1
        conclusion = Conclusion.objects.create(
            meeting=meeting, order=order, text=text, due_date=due_date, created_by=person
        )
        if lead is not None:
            ConclusionParty.objects.bulk_create(
                [_party(conclusion, ConclusionRole.LEAD, lead)]
                + [_party(conclusion, ConclusionRole.COOPERATE, c) for c in cooperating]
            )
            task = task_create(
                actor=actor,
                organization=meeting.organization,
                title=title,
                content=text,
                lead=lead,
                cooperating=cooperating,
                due_date=due_date,
                source=TaskSource(kind=SourceKind.CONCLUSION, label=source.label, obj=conclusion),
                assigned_on=given_on,
            )
            conclusion.task = task
            conclusion.save(update_fields=["task"])
        audit_record(
            actor=actor,
            action="meeting.conclusion_add",
            target=meeting,
            organization_id=meeting.organization_id,
            after={
                "order": order,
                "text": text[:500],
                "lead": str(lead) if lead is not None else None,
                "cooperating": [str(c) for c in cooperating],
                "due_date": due_date,
                "task": conclusion.task_id,
            },
        )
    return conclusion


def _party(conclusion: Conclusion, role: str, target: Target) -> ConclusionParty:
    party = ConclusionParty(conclusion=conclusion, role=role)
    if isinstance(target, Organization):
        party.organization = target
    elif isinstance(target, Unit):
        party.unit = target
    else:
        party.person = target
    return party


def _notice_line(conclusion: Conclusion) -> str:
    """A conclusion as the notice says it: the text, then who leads, with whom, by when."""
    parties = list(conclusion.parties.all())
    lead = [str(p) for p in parties if p.role == ConclusionRole.LEAD]
    cooperating = [str(p) for p in parties if p.role == ConclusionRole.COOPERATE]
    line = " ".join(conclusion.text.split())
    if lead:
        line = line.rstrip(".") + f". Giao {lead[0]} chủ trì"
        if cooperating:
            line += f", phối hợp với {', '.join(cooperating)}"
        if conclusion.due_date:
            line += f"; thời hạn hoàn thành: {conclusion.due_date:%d/%m/%Y}"
        line += "."
    return line


def notice_draft(*, actor: Actor, meeting: Meeting, signer: Person | None = None) -> Document:
    """Draft the Thông báo kết luận (type TB) of the meeting's organisation with the
    conclusions as its body, through the outgoing flow (which numbers and issues it later),
    and link it from the meeting. One notice per meeting."""
    _require_manager(actor, meeting)
    conclusions = list(meeting.conclusions.order_by("order").prefetch_related("parties"))
    if meeting.notice_id is not None:
        raise ValidationError({"notice": ["Cuộc họp đã có dự thảo thông báo kết luận."]})
    if not conclusions:
        raise ValidationError({"notice": ["Cuộc họp chưa có kết luận nào để thông báo."]})
    day = timezone.localtime(meeting.start)
    chair = meeting.chair
    kind = meeting.get_kind_display().lower()
    subject = f"Kết luận của đồng chí {chair.full_name} tại {kind} ngày {day:%d/%m/%Y}"
    body = render_to_string(
        "programs/notice_body.txt",
        {"meeting": meeting, "day": day, "lines": [_notice_line(c) for c in conclusions], "chair": chair},
    )
    with transaction.atomic():
        locked = _locked(meeting)
        if locked.notice_id is not None:
            raise ValidationError({"notice": ["Cuộc họp đã có dự thảo thông báo kết luận."]})
        document = outgoing_draft_create(
            actor=actor,
            organization=meeting.organization,
            doc_type="TB",
            subject=subject[:1000],
            signer=signer,
            body=body,
        )
        locked.notice = document
        locked.save(update_fields=["notice"])
        audit_record(
            actor=actor,
            action="meeting.notice_draft",
            target=locked,
            organization_id=meeting.organization_id,
            after={"document": document.pk, "conclusions": [c.pk for c in conclusions]},
        )
    meeting.notice = document
    return document


__all__ = [
    "Booked",
    "RoomConflict",
    "agenda_item_add",
    "attendance_set",
    "conclusion_add",
    "meeting_cancel",
    "meeting_create",
    "meeting_update",
    "minutes_record",
    "notice_draft",
    "participant_warnings",
    "register_room_holder",
    "room_create",
    "room_set_active",
]
