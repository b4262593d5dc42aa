"""The home page's group of the letters sent online waiting to be entered in the book
(registered in ``core.pending`` when the app is ready), for those who may enter them."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from vanphong.core import pending
from vanphong.core.queries import first_with_total
from vanphong.orgs.access import Capability, scope_for
from vanphong.orgs.actors import Actor
from vanphong.petitions import submissions


@pending.register("petitions.submissions")
def pending_submissions(user: Actor) -> pending.PendingGroup | None:
    """The oldest first; labelled by kind and day, never by the sender's name (a
    denouncer's identity is for the detail page, where reading it is audited)."""
    scope = scope_for(user)
    if not scope.grants_for(Capability.WRITE) and not scope.grants_for(Capability.REGISTER):
        return None  # no query at all for a reader
    rows = submissions.pending_for(user).only("pk", "kind", "submitted_at", "organization__short_name")
    first, total = first_with_total(rows)
    items = tuple(
        (
            f"{s.get_kind_display()} gửi {timezone.localtime(s.submitted_at):%d/%m/%Y}",
            reverse("petitions:submission_detail", args=[s.pk]),
        )
        for s in first
    )
    return pending.PendingGroup(
        "petitions.submissions",
        "Đơn gửi trực tuyến chờ vào sổ",
        total,
        reverse("petitions:submission_list"),
        items,
    )
