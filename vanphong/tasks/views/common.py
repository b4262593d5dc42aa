"""What the task pages share: reading the query string, the pickers' choices (who may be
given a task, documents to link), and putting a service's errors next to the fields."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from vanphong.documents.access import documents_visible_to
from vanphong.documents.forms.incoming import DATE_FORMATS, assignment_targets
from vanphong.documents.models import Document
from vanphong.orgs.access import Capability, can, organizations_with
from vanphong.orgs.models import Organization, Person, Unit
from vanphong.tasks.access import may_assign_for, may_work
from vanphong.tasks.models import Task

# Limits of the pickers' lists (a province has a few hundred organisations).
MAX_ORGANIZATIONS = 300
MAX_UNITS = 300
MAX_PEOPLE = 400
FILE_ERROR_CODES = {"too_large", "empty", "unsupported"}


def person_of(user: Any) -> Person | None:
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    return person if isinstance(person, Person) else None


def parse_date(value: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value.strip(), fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    return None


def parse_int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 12 else None


def apply_errors(form: Any, error: ValidationError, *, aliases: dict[str, str] | None = None) -> None:
    """Put a service's errors next to the form's fields (by the service's key, or an alias),
    the others on top. A rejected upload goes next to the files field."""
    aliases = aliases or {}
    if hasattr(error, "error_dict"):
        for key, problems in error.message_dict.items():
            field = aliases.get(key, key)
            form.add_error(field if field in form.fields else None, problems)
        return
    codes = {e.code for e in error.error_list}
    target = "files" if codes & FILE_ERROR_CODES and "files" in form.fields else None
    form.add_error(target, error.messages)


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
    """Who may be named lead or cooperating on a task given in the name of ``giver``: the
    organisations under it (itself included), and the units and people of it and of the
    organisations directly under it — grouped for the picker ("organization:5"...)."""
    if giver is None:
        return assignment_targets(organizations=[], units=[], people=[])
    organizations = Organization.objects.filter(
        path__startswith=giver.path, active=True, hosted=True
    ).order_by("path")[:MAX_ORGANIZATIONS]
    near = Q(organization=giver) | Q(organization__parent=giver)
    units = (
        Unit.objects.filter(near, active=True, organization__active=True)
        .select_related("organization")
        .order_by("organization__path", "order", "name")[:MAX_UNITS]
    )
    people = (
        Person.objects.active()
        .filter(near, organization__active=True)
        .select_related("organization")
        .order_by("organization__path", "full_name")[:MAX_PEOPLE]
    )
    return assignment_targets(organizations=organizations, units=units, people=people)


def resolve_target(value: str) -> Organization | Unit | Person | None:
    kind, _sep, pk = (value or "").partition(":")
    model = {"organization": Organization, "unit": Unit, "person": Person}.get(kind)
    if model is None or not pk.isdigit():
        return None
    return model.objects.filter(pk=int(pk)).first()


# --- Documents to link -------------------------------------------------------------------------


def find_documents(
    user: Any, query: str, *, exact: bool = False, limit: int = 15, exclude=()
) -> list[Document]:
    """Documents ``user`` may see by their id or symbol: the symbol exactly (``exact``) or
    beginning with ``query``; newest first."""
    query = " ".join((query or "").split())[:100]
    if not query:
        return []
    match = Q(symbol__iexact=query) if exact else Q(symbol__istartswith=query)
    digits = query.lstrip("#")
    if digits.isdigit() and len(digits) < 12:
        match |= Q(pk=int(digits))
    qs: QuerySet[Document] = (
        documents_visible_to(user)
        .filter(match)
        .exclude(pk__in=list(exclude))
        .only("pk", "symbol", "subject", "issued_date", "classification")
        .order_by("-issued_date", "-pk")
    )
    return list(qs[:limit])
