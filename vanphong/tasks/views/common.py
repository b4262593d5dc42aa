"""What the task pages share: reading the query string, the pickers' choices (who may be
given a task, documents to link), and putting a service's errors next to the fields."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from vanphong.orgs.access import Capability, can, organizations_with
from vanphong.orgs.models import Organization, Person, Unit
from vanphong.orgs.selectors import party_choices
from vanphong.tasks.access import may_assign_for, may_work
from vanphong.tasks.models import Task

# Limit of the giver picker's list (a province has a few hundred organisations).
MAX_ORGANIZATIONS = 300


def person_of(user: Any) -> Person | None:
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    return person if isinstance(person, Person) else None


def parse_int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 12 else None


# --- Who gives, who is given ------------------------------------------------------------------


def assignable_organizations(user: Any, *, parent: Task | None = None) -> list[Organization]:
    """The organisations in whose name ``user`` may give a task (``access.may_assign_for``):
    where they direct, and the committees whose Văn phòng they work in. Breaking down a task
    they lead, also in the name of its lead organisation."""
    offices = organizations_with(user, Capability.WRITE).filter(is_office=True, active=True)
    directing = organizations_with(user, Capability.DIRECT)
    candidates = (
        Organization.objects.filter(Q(pk__in=directing.values("pk")) | Q(pk__in=offices.values("parent_id")))
        .filter(active=True, hosted=True)
        .order_by("depth", "path")[:MAX_ORGANIZATIONS]
    )
    result = [o for o in candidates if may_assign_for(user, o)]
    if parent is not None and may_work(user, parent):
        lead = parent.lead_organization
        if all(o.pk != lead.pk for o in result):
            result.insert(0, lead)
    return result


def may_give_tasks(user: Any) -> bool:
    """Whether ``user`` may give tasks in any organisation's name (shows "Giao nhiệm vụ")."""
    return can(user, Capability.DIRECT) or (
        organizations_with(user, Capability.WRITE).filter(is_office=True, active=True).exists()
    )


def party_targets(giver: Organization | None) -> list[tuple[str, Any]]:
    """Who may be named lead or cooperating on a task given in the name of ``giver``, grouped
    for the picker: the rule the service applies (``orgs.selectors.party_scope``, bodies not
    using the system included, as ``task_validate`` accepts them)."""
    return party_choices(giver, outside_bodies=True)


def resolve_target(value: str) -> Organization | Unit | Person | None:
    kind, _sep, pk = (value or "").partition(":")
    model = {"organization": Organization, "unit": Unit, "person": Person}.get(kind)
    if model is None or not pk.isdigit():
        return None
    return model.objects.filter(pk=int(pk)).first()


# --- Documents to link -------------------------------------------------------------------------
