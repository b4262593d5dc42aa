"""The link from a task back to the petition it came from (the task engine's ``sources``
registry; registered when the app starts): the petition's page, for those who may read it."""

from __future__ import annotations

from django.urls import reverse

from vanphong.orgs.actors import Actor
from vanphong.petitions.selectors import petitions_visible_to
from vanphong.tasks.sources import register_source_link


def petition_link(user: Actor | None, petition_id: int) -> tuple[str, str] | None:
    petition = petitions_visible_to(user).filter(pk=petition_id).only("pk", "number", "year", "kind").first()
    if petition is None:
        return None
    return (
        reverse("petitions:petition_detail", args=[petition.pk]),
        f"{petition.get_kind_display()} số {petition.number}/{petition.year}",
    )


register_source_link("petitions.petition", petition_link)
