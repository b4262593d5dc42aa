"""Reads of the organisation directory and of people, with access applied. Shared by the
pages and the API so that both answer the same question the same way.

Visibility:

* organisations and units are a directory: anyone signed in who holds at least one role
  (own or delegated) may list them, external (non-hosted) correspondents included, because
  addressing a document needs them. Anyone else gets an empty list.
* people (their roles and clearance) are visible only inside the reader's READ reach.

Who an organisation may name lead or cooperating party of a task, or assignee of a direction
(``party_scope``, ``party_refusal``, and ``party_choices`` for the pickers), is decided here
once, for the services and the pages alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from vanphong.orgs.access import Capability, get_for_user, organizations_with, restrict, scope_for
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import (
    Classification,
    Organization,
    OrgLevel,
    Person,
    RoleAssignment,
    StaffQuota,
    Unit,
)


def _may_use_directory(user: Actor) -> bool:
    return bool(scope_for(user).grants)


def _pk(value: Any) -> Any:
    """An id from an id or a model instance."""
    return getattr(value, "pk", value)


def organization_list(
    *,
    user: Actor,
    hosted: bool | None = None,
    level: str | OrgLevel | None = None,
    parent: int | Organization | None = None,
    q: str | None = None,
    active: bool | None = None,
) -> QuerySet[Organization]:
    """The organisation directory, in tree order.

    ``level`` is a level code (``tinh``, ``xa`` ...) or an ``OrgLevel``; ``parent`` an id or
    an organisation (direct children only); ``q`` matches the full name, short name or
    abbreviation (case-insensitive)."""
    if not _may_use_directory(user):
        return Organization.objects.none()
    qs = Organization.objects.select_related("level")
    if hosted is not None:
        qs = qs.filter(hosted=hosted)
    if active is not None:
        qs = qs.filter(active=active)
    if level is not None:
        qs = qs.filter(level=level) if isinstance(level, OrgLevel) else qs.filter(level__code=level)
    if parent is not None:
        qs = qs.filter(parent_id=_pk(parent))
    if q:
        q = q.strip()
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(abbreviation__icontains=q))
    return qs.order_by("path")


def unit_list(*, user: Actor, organization: int | Organization | None = None) -> QuerySet[Unit]:
    """Internal departments (phòng) of the directory, optionally of one organisation."""
    if not _may_use_directory(user):
        return Unit.objects.none()
    qs = Unit.objects.all()
    if organization is not None:
        qs = qs.filter(organization_id=_pk(organization))
    return qs.order_by("organization__path", "order", "name")


def current_roles_prefetch() -> Prefetch:
    """Current role assignments of a person, as ``person.current_roles``."""
    return Prefetch(
        "roles",
        queryset=RoleAssignment.objects.current()
        .select_related("organization", "unit")
        .order_by("starts_on", "pk"),
        to_attr="current_roles",
    )


def person_list(
    *,
    user: Actor,
    organization: int | Organization | None = None,
    unit: int | Unit | None = None,
    q: str | None = None,
    role: str | None = None,
    active: bool | None = True,
) -> QuerySet[Person]:
    """People in the reader's READ reach (by the organisation they work in).

    Each person comes with organisation, unit, position and account loaded and their current
    roles in ``person.current_roles``. ``role`` keeps people holding that role code now;
    ``q`` matches the full name or the username; ``active=None`` includes people who have
    left."""
    qs = restrict(Person.objects.all(), user, classification_field=None)
    if active is not None:
        qs = qs.filter(active=active)
    if organization is not None:
        qs = qs.filter(organization_id=_pk(organization))
    if unit is not None:
        qs = qs.filter(unit_id=_pk(unit))
    if role:
        qs = qs.filter(Exists(RoleAssignment.objects.current().filter(person=OuterRef("pk"), role=role)))
    if q:
        q = q.strip()
        qs = qs.filter(Q(full_name__icontains=q) | Q(user__username__icontains=q))
    return (
        qs.select_related("organization", "unit", "position", "user")
        .prefetch_related(current_roles_prefetch())
        .order_by("organization__path", "full_name", "pk")
    )


def person_get(*, user: Actor, pk: Any) -> Person:
    """One person in the reader's reach (with the same relations loaded), or Http404."""
    qs = Person.objects.select_related("organization", "unit", "position", "user").prefetch_related(
        current_roles_prefetch()
    )
    return get_for_user(qs, user, pk, classification_field=None)


# --- Staffing (biên chế) ------------------------------------------------------------------


@dataclass(frozen=True)
class StaffingRow:
    """Approved quota and filled posts of an organisation (``unit`` is None) or of one of
    its units. ``approved`` is None when no quota has been recorded."""

    organization: Organization
    unit: Unit | None
    approved: int | None
    filled: int

    @property
    def vacant(self) -> int | None:
        """Posts still open (0 when full or over)."""
        return None if self.approved is None else max(self.approved - self.filled, 0)

    @property
    def over(self) -> int:
        """People counted beyond the approved quota."""
        return 0 if self.approved is None else max(self.filled - self.approved, 0)


def _filled(field: str) -> Coalesce:
    """Active people counting toward the quota whose ``field`` is the outer row."""
    counted = (
        Person.objects.filter(active=True, counts_toward_quota=True, **{field: OuterRef("pk")})
        .order_by()
        .values(field)
    )
    return Coalesce(
        Subquery(counted.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()),
        Value(0),
    )


def staffing_rows(*, user: Actor) -> list[StaffingRow]:
    """For every active hosted organisation in the reader's READ reach, one row for the
    organisation as a whole followed by one row per active unit, in tree order.

    Counts come from SQL aggregates (two queries in all); people are never loaded."""
    reach = organizations_with(user, Capability.READ).filter(hosted=True, active=True)
    org_quota = StaffQuota.objects.filter(organization=OuterRef("pk"), unit__isnull=True)
    orgs = list(
        reach.annotate(
            approved=Subquery(org_quota.values("approved")[:1]),
            filled=_filled("organization"),
        ).order_by("path")
    )
    units_by_org: dict[int, list[Any]] = {}  # units annotated with approved and filled
    units = (
        Unit.objects.filter(organization__in=reach.values("pk"), active=True)
        .annotate(
            approved=Subquery(StaffQuota.objects.filter(unit=OuterRef("pk")).values("approved")[:1]),
            filled=_filled("unit"),
        )
        .order_by("order", "name")
    )
    for u in units:
        units_by_org.setdefault(u.organization_id, []).append(u)
    rows: list[StaffingRow] = []
    for org in orgs:
        rows.append(StaffingRow(organization=org, unit=None, approved=org.approved, filled=org.filled))
        for unit in units_by_org.get(org.pk, []):
            unit.organization = org  # already loaded: no extra query when a caller reads it
            rows.append(StaffingRow(organization=org, unit=unit, approved=unit.approved, filled=unit.filled))
    return rows


# --- Who may be named to act: lead, cooperating, assignee -------------------------------------

Party = Organization | Unit | Person

# Limits of the pickers' lists (a province has a few hundred organisations); never of the rule.
PICKER_MAX_ORGANIZATIONS = 300
PICKER_MAX_UNITS = 300
PICKER_MAX_PEOPLE = 400


@dataclass(frozen=True)
class PartyScope:
    """Who ``giver`` may name lead or cooperating party of a task given in its name, or
    assignee of a direction on a document of its books:

    * the organisations of its subtree (itself included) that are active — and that use the
      system, unless ``outside_bodies`` (a task may be given to a body under the giver that
      does not use the system, for instance a Ban cán sự đảng: the giver's Văn phòng reports for it;
      a direction may not, its assignees must read the document here);
    * the active units of itself and of the organisations directly under it;
    * the active people working there, cleared for ``classification``;

    units and people only of active organisations. Unsliced querysets in picker order."""

    giver: Organization
    classification: int = Classification.NONE
    outside_bodies: bool = False

    @property
    def organizations(self) -> QuerySet[Organization]:
        qs = Organization.objects.filter(path__startswith=self.giver.path, active=True)
        if not self.outside_bodies:
            qs = qs.filter(hosted=True)
        return qs.order_by("path")

    @property
    def _near(self) -> Q:
        near = Q(organization=self.giver) | Q(organization__parent=self.giver)
        return near & Q(organization__active=True)

    @property
    def units(self) -> QuerySet[Unit]:
        return (
            Unit.objects.filter(self._near, active=True)
            .select_related("organization")
            .order_by("organization__path", "order", "name")
        )

    @property
    def people(self) -> QuerySet[Person]:
        return (
            Person.objects.active()
            .filter(self._near, clearance__gte=self.classification)
            .select_related("organization")
            .order_by("organization__path", "full_name", "pk")
        )

    def names(self, target: Party) -> bool:
        """Whether ``target`` is in the scope (one query)."""
        qs: QuerySet[Any]
        if isinstance(target, Organization):
            qs = self.organizations
        elif isinstance(target, Unit):
            qs = self.units
        elif isinstance(target, Person):
            qs = self.people
        else:
            return False
        return qs.filter(pk=target.pk).exists()


def party_scope(
    giver: Organization, *, classification: int = Classification.NONE, outside_bodies: bool = False
) -> PartyScope:
    """Who ``giver`` may name to act (see ``PartyScope``)."""
    return PartyScope(giver=giver, classification=classification, outside_bodies=outside_bodies)


def _party_label(target: Party) -> str:
    """The name a picker shows: an organisation's short name, a unit or a person with the
    short name of their organisation."""
    if isinstance(target, Organization):
        return target.short_name or target.name
    return f"{target} — {target.organization.short_name}"


def party_refusal(
    giver: Organization,
    target: Party,
    *,
    classification: int = Classification.NONE,
    outside_bodies: bool = False,
) -> str | None:
    """Why ``giver`` may not name ``target`` lead or cooperating party (or assignee) of an
    item of ``classification``, in Vietnamese; None when it may. Exactly the people and
    bodies ``party_scope`` lists. A service checking that a party is still active first
    keeps its own words for it; this answers the same for those it does not check."""
    if party_scope(giver, classification=classification, outside_bodies=outside_bodies).names(target):
        return None
    organization = target if isinstance(target, Organization) else getattr(target, "organization", None)
    if not getattr(target, "active", False) or (organization is not None and not organization.active):
        return _("“%(name)s” không còn hoạt động, công tác.") % {"name": target}
    if isinstance(target, Organization) and not target.hosted and not outside_bodies:
        return _("“%(name)s” không dùng hệ thống này, không giao việc được.") % {"name": target}
    if isinstance(target, Person) and party_scope(giver).names(target):
        level = Classification(classification).label if classification in Classification.values else ""
        return _("“%(name)s” không được tiếp cận văn bản, nhiệm vụ có độ mật “%(level)s”.") % {
            "name": _party_label(target),
            "level": level,
        }
    return _("“%(name)s” không thuộc phạm vi giao việc của %(giver)s.") % {
        "name": _party_label(target) if not isinstance(target, Organization) else target.name,
        "giver": giver.name,
    }


def party_choices(
    giver: Organization | None,
    *,
    classification: int = Classification.NONE,
    outside_bodies: bool = False,
) -> list[tuple[str, Any]]:
    """The lead and cooperating pickers' choices for ``giver``: ``party_scope`` grouped into
    organisations, units and people ("organization:5", "unit:3", "person:7"), each group cut
    at the pickers' limit. No giver, empty groups."""
    organizations: Any = ()
    units: Any = ()
    people: Any = ()
    if giver is not None:
        scope = party_scope(giver, classification=classification, outside_bodies=outside_bodies)
        organizations = scope.organizations[:PICKER_MAX_ORGANIZATIONS]
        units = scope.units[:PICKER_MAX_UNITS]
        people = scope.people[:PICKER_MAX_PEOPLE]
    return [
        ("Cơ quan, đơn vị", [(f"organization:{o.pk}", _party_label(o)) for o in organizations]),
        ("Phòng", [(f"unit:{u.pk}", _party_label(u)) for u in units]),
        ("Cán bộ", [(f"person:{p.pk}", _party_label(p)) for p in people]),
    ]


def resolve_target(value: str) -> Organization | Unit | Person | None:
    """The organisation, unit or person a picker's value names ("organization:5"), or None."""
    kind, _sep, pk = (value or "").partition(":")
    if not pk.isdigit():
        return None
    if kind == "organization":
        return Organization.objects.filter(pk=int(pk)).first()
    if kind == "unit":
        return Unit.objects.filter(pk=int(pk)).first()
    if kind == "person":
        return Person.objects.filter(pk=int(pk)).first()
    return None
