"""The link from a task back to the meeting whose conclusion it follows (the task engine's
``sources`` registry; registered when the app starts)."""

from __future__ import annotations

from django.urls import reverse

from vanphong.orgs.actors import Actor
from vanphong.programs.selectors import meetings_visible_to
from vanphong.tasks.sources import register_source_link


def conclusion_link(user: Actor | None, conclusion_id: int) -> tuple[str, str] | None:
    meeting = meetings_visible_to(user).filter(conclusions__pk=conclusion_id).only("pk", "title").first()
    if meeting is None:
        return None
    return reverse("programs:meeting_detail", args=[meeting.pk]), f"Cuộc họp: {meeting.title}"


register_source_link("programs.conclusion", conclusion_link)
