"""Who sees which meeting, and which documents of its pack, as SQL predicates.

A meeting is seen by its participants and guests, its chair, whoever created it, and those
holding READ on its organisation (the committee's leaders, its office's leaders and văn thư,
through ``orgs.access``); everyone else gets 404. A document of the meeting pack is shown to
those who see the meeting and are cleared for its classification; it is hidden (and 404)
for the others, whatever their seat in the meeting."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from vanphong.documents.access import documents_visible_to
from vanphong.orgs.access import Capability, can, scope_for
from vanphong.orgs.actors import Actor, person_of
from vanphong.programs.models import (
    AgendaItem,
    Conclusion,
    ConclusionParty,
    Meeting,
    MeetingParticipant,
    Room,
)
from vanphong.tasks.access import may_assign_for


def meeting_visibility_q(user: Actor | None) -> Q:
    scope = scope_for(user)
    if scope.person_id is None:
        return Q(pk__in=[])
    me = scope.person_id
    seated = Exists(MeetingParticipant.objects.filter(meeting=OuterRef("pk"), person_id=me))
    return (
        seated | Q(chair_id=me) | Q(created_by_id=me) | scope.org_q(Capability.READ, prefix="organization__")
    )


def meetings_visible_to(user: Actor | None) -> QuerySet[Meeting]:
    return Meeting.objects.filter(meeting_visibility_q(user))


def meeting_list(
    user: Actor | None, *, start: dt.datetime | None = None, end: dt.datetime | None = None
) -> QuerySet[Meeting]:
    """The meetings ``user`` sees, overlapping [start, end) when given, in time order."""
    qs = meetings_visible_to(user).select_related("organization", "room", "chair")
    if start is not None:
        qs = qs.filter(end__gt=start)
    if end is not None:
        qs = qs.filter(start__lt=end)
    return qs.order_by("start", "id")


def meeting_detail(user: Actor | None) -> QuerySet[Meeting]:
    """The queryset a meeting page or answer reads one meeting from (restricted to ``user``),
    with its participants, agenda and conclusions (their parties and tasks) prefetched."""
    return (
        meetings_visible_to(user)
        .select_related("organization", "room", "chair", "created_by", "notice", "program_item__program")
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=MeetingParticipant.objects.select_related("person", "person__organization").order_by(
                    "role", "id"
                ),
            ),
            Prefetch("agenda", queryset=AgendaItem.objects.order_by("order")),
            Prefetch(
                "conclusions",
                queryset=Conclusion.objects.select_related("task")
                .order_by("order")
                .prefetch_related(
                    Prefetch(
                        "parties",
                        queryset=ConclusionParty.objects.select_related("organization", "unit", "person"),
                    )
                ),
            ),
        )
    )


def _seated(user: Actor | None, meeting: Meeting) -> bool:
    """Whether ``user`` sits in ``meeting``: participant, guest or chair. Sitting in it is the
    need to know its pack."""
    me = scope_for(user).person_id
    if me is None:
        return False
    return meeting.chair_id == me or MeetingParticipant.objects.filter(meeting=meeting, person_id=me).exists()


def _pack_rows(user: Actor | None, meeting: Meeting) -> QuerySet[Any]:
    """The (agenda item, document) rows of ``meeting``'s pack that ``user`` may read: up to
    their clearance for those who sit in the meeting; for the others who see the meeting
    (readers of its organisation, its creator) only the documents the access rule of the
    documents lets them read anyway, so a classified document is never shown to someone
    without both the clearance and the need."""
    through = AgendaItem.documents.through
    rows = through.objects.filter(agendaitem__meeting=meeting)
    if _seated(user, meeting):
        return rows.filter(document__classification__lte=scope_for(user).clearance)
    return rows.filter(document__in=documents_visible_to(user).values("pk"))


def agenda_with_pack(user: Actor | None, meeting: Meeting) -> list[tuple[AgendaItem, list[Any]]]:
    """The meeting's agenda items, each with the documents of its pack ``user`` may read."""
    items = list(meeting.agenda.all())
    rows = _pack_rows(user, meeting).select_related("document")
    rows = rows.order_by("document__issued_date", "document_id")
    by_item: dict[int, list[Any]] = {}
    for row in rows:
        by_item.setdefault(row.agendaitem_id, []).append(row.document)
    return [(item, by_item.get(item.pk, [])) for item in items]


def pack_document(user: Actor | None, meeting: Meeting, document_id: Any) -> Any:
    """One document of ``meeting``'s pack that ``user`` (who sees the meeting) may read, or None."""
    try:
        row = (
            # Through the document's own key: a number beyond the column's range is "no row"
            # there, where the foreign key column sends it on (SQLite: OverflowError).
            _pack_rows(user, meeting)
            .filter(document__pk=int(document_id))
            .select_related("document", "document__issuer")
            .first()
        )
    except (TypeError, ValueError):
        return None
    return row.document if row else None


def may_manage(user: Actor | None, meeting: Meeting) -> bool:
    """Who may change a meeting (agenda, attendance, minutes, conclusions, notice): its chair
    and creator, those who write or give tasks in its organisation's name (the office)."""
    person = person_of(user)
    if person is None or user is None:
        return False
    if person.pk in (meeting.chair_id, meeting.created_by_id):
        return True
    return can(user, Capability.WRITE, meeting.organization) or may_assign_for(user, meeting.organization)


def may_organize(user: Actor | None) -> bool:
    """Whether ``user`` may create meetings anywhere (the create form's link)."""
    return user is not None and person_of(user) is not None and can(user, Capability.WRITE)


def rooms_visible_to(user: Actor | None) -> QuerySet[Room]:
    """The rooms of the organisations where ``user`` reads or writes, and of those organisations'
    parents (a Văn phòng's rooms serve its committee, and the other way round)."""
    scope = scope_for(user)
    if scope.person_id is None:
        return Room.objects.none()
    reach = scope.org_q(Capability.READ, prefix="organization__") | scope.org_q(
        Capability.WRITE, prefix="organization__"
    )
    parent_reach = scope.org_q(Capability.READ, prefix="organization__parent__") | scope.org_q(
        Capability.WRITE, prefix="organization__parent__"
    )
    return (
        Room.objects.filter(reach | parent_reach)
        .select_related("organization")
        .order_by("organization__path", "name")
    )
