"""What the presentation and direction of an incoming entry offer: the leaders it may be
presented to, who may be named to act on it, the documents that may answer it."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from vanphong.documents.models import Document, DocumentState, RegisterEntry
from vanphong.orgs.access import ROLE_CAPABILITIES, SUBTREE_ROLES, Capability, organizations_with
from vanphong.orgs.forms import party_choices
from vanphong.orgs.models import Person, RoleAssignment, Unit


def leaders_for(entry: RegisterEntry) -> QuerySet[Person]:
    """People who may be presented the entry: holders of a directing role in its organisation
    (or above it, for roles reaching the subtree), cleared for its classification."""
    org = entry.organization
    directing = [role for role, caps in ROLE_CAPABILITIES.items() if Capability.DIRECT in caps]
    above = [role for role in directing if role in SUBTREE_ROLES]
    roles = RoleAssignment.objects.current().filter(
        Q(organization=org, role__in=directing) | Q(organization__in=org.ancestors(), role__in=above)
    )
    return (
        Person.objects.active()
        .filter(pk__in=roles.values("person_id"), clearance__gte=entry.classification)
        .select_related("position")
        .order_by("position__rank", "full_name")
    )


def direction_targets(user: Any, entry: RegisterEntry) -> list[tuple[str, Any]]:
    reach = organizations_with(user, Capability.READ).filter(hosted=True, active=True)
    near = reach.filter(Q(pk=entry.organization_id) | Q(parent_id=entry.organization_id))
    organizations = reach.order_by("path")[:200]
    units = Unit.objects.filter(organization__in=near, active=True).select_related("organization")[:200]
    people = (
        Person.objects.active()
        .filter(organization__in=near, clearance__gte=entry.classification)
        .select_related("organization")
        .order_by("organization__path", "full_name")[:300]
    )
    return party_choices(organizations=organizations, units=units, people=people)


def reply_candidates(entry: RegisterEntry) -> QuerySet[Document]:
    return (
        Document.objects.filter(organization_id=entry.organization_id)
        .exclude(state__in=[DocumentState.RECEIVED, DocumentState.WITHDRAWN])
        .only("pk", "symbol", "subject", "created_at")
        .order_by("-created_at")[:50]
    )
