"""What the presentation and direction of an incoming entry offer: the leaders it may be
presented to, who may be named to act on it, the documents that may answer it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from vanphong.documents.models import Document, DocumentState, RegisterEntry
from vanphong.orgs.access import directing_roles_q
from vanphong.orgs.models import Person, RoleAssignment
from vanphong.orgs.selectors import party_choices


def leaders_for(entry: RegisterEntry) -> QuerySet[Person]:
    """People who may be presented the entry: holders of a directing role in its organisation
    (or above it, for roles reaching the subtree) and the leaders of its office
    (``orgs.access.directing_roles_q``), cleared for its classification."""
    roles = RoleAssignment.objects.current().filter(directing_roles_q(entry.organization))
    return (
        Person.objects.active()
        .filter(pk__in=roles.values("person_id"), clearance__gte=entry.classification)
        .select_related("position")
        .order_by("position__rank", "full_name")
    )


def direction_targets(entry: RegisterEntry) -> list[tuple[str, Any]]:
    """Who may be named on a direction on ``entry``, grouped for the picker: the rule the
    service applies (``orgs.selectors.party_scope``), given by the organisation whose book
    holds the entry, for its classification."""
    return party_choices(entry.organization, classification=entry.classification)


def reply_candidates(entry: RegisterEntry) -> QuerySet[Document]:
    return (
        Document.objects.filter(organization_id=entry.organization_id)
        .exclude(state__in=[DocumentState.RECEIVED, DocumentState.WITHDRAWN])
        .only("pk", "symbol", "subject", "created_at")
        .order_by("-created_at")[:50]
    )
