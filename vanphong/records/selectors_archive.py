"""Reads of the archive's pages beyond ``selectors``: the organisations a user acts for there
(keeps the archive of, writes for, directs), the disposals they may read, and the years to
filter by. Every read stays within the access layer, in SQL."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from vanphong.orgs.access import Capability, organizations_with, scope_for
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import Organization
from vanphong.records.models import Disposal, Record
from vanphong.records.selectors import record_visibility_q, records_visible_to
from vanphong.records.services import DIRECTING


def _active(qs: QuerySet[Organization]) -> QuerySet[Organization]:
    return qs.filter(active=True, hosted=True).order_by("depth", "path")


def keeping_organizations(user: Actor) -> QuerySet[Organization]:
    """Where ``user`` keeps the archive (receives transfers, lends, disposes, imports):
    ``services.may_keep_archive``."""
    return _active(organizations_with(user, Capability.REGISTER))


def writing_organizations(user: Actor) -> QuerySet[Organization]:
    """Where ``user`` makes the transfer lists (``services.may_write``)."""
    return _active(organizations_with(user, Capability.WRITE))


def directing_organization_ids(user: Actor) -> set[int]:
    """Where ``user`` approves requests (``services.may_direct``)."""
    ids: set[int] = set()
    for capability in DIRECTING:
        ids |= set(organizations_with(user, capability).values_list("pk", flat=True))
    return ids


def disposals_visible_to(user: Actor | None) -> QuerySet[Disposal]:
    """The disposals of the organisations the user reads or keeps the archive of; one naming a
    record the reader does not see is not shown at all (its list names it)."""
    scope = scope_for(user)
    q = scope.org_q(Capability.READ, prefix="organization__") | scope.org_q(
        Capability.REGISTER, prefix="organization__"
    )
    unseen = Record.objects.filter(disposal_id=OuterRef("pk")).exclude(record_visibility_q(user))
    return Disposal.objects.filter(q).exclude(Exists(unseen)).select_related("organization", "created_by")


def archive_years(user: Actor | None) -> list[int]:
    """The years of the records the user sees, newest first (the search's year filter)."""
    return list(records_visible_to(user).order_by("-year").values_list("year", flat=True).distinct())


def visible_organizations(user: Actor | None) -> list[Organization]:
    """The organisations of the records the user sees (the search's organisation filter)."""
    ids = records_visible_to(user).order_by().values_list("organization_id", flat=True).distinct()
    return list(Organization.objects.filter(pk__in=list(ids)).order_by("depth", "path"))
