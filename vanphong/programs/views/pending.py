"""The home page's groups of the programs app (registered in ``core.pending`` when the app is
ready): the meetings the reader sits in over the next seven days."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from vanphong.core import pending
from vanphong.core.queries import first_with_total
from vanphong.orgs.actors import Actor, person_of
from vanphong.programs import selectors
from vanphong.programs.models import MeetingParticipant, MeetingState

DAYS_AHEAD = 7


@pending.register("programs.meetings")
def pending_meetings(user: Actor) -> pending.PendingGroup | None:
    """Meetings the reader chairs or is invited to, from now to a week ahead, soonest first."""
    me = person_of(user)
    if me is None:
        return None
    now = timezone.now()
    seated = Exists(MeetingParticipant.objects.filter(meeting=OuterRef("pk"), person_id=me.pk))
    meetings = (
        selectors.meeting_list(user, start=now, end=now + dt.timedelta(days=DAYS_AHEAD))
        .filter(Q(chair_id=me.pk) | seated, state=MeetingState.PLANNED)
        .select_related(None)
        .only("pk", "title", "start")
    )
    first, total = first_with_total(meetings)
    items = tuple(
        (
            f"{timezone.localtime(m.start):%H:%M %d/%m} — {Truncator(m.title).chars(80)}",
            reverse("programs:meeting_detail", args=[m.pk]),
        )
        for m in first
    )
    return pending.PendingGroup(
        "programs.meetings", "Cuộc họp sắp tới của tôi", total, reverse("programs:meeting_list"), items
    )
