"""The one access layer. Every read and write of an organisation's records, from pages,
the API, exports and jobs alike, is decided here from three facts:

* the roles a person holds (or holds by delegation) *in* an organisation;
* whether that role reaches down the tree (leaders of a committee and administrators see
  the committee's agencies and the organisations under it);
* the person's security clearance, which caps the classification they may read.

Lists are restricted inside the SQL query (``restrict``), never filtered in Python after
loading; a single record is fetched with ``get_for_user``, which answers 404 when the
record is outside the reader's reach so that its existence does not leak.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from vanphong.orgs.actors import person_of
from vanphong.orgs.models import Classification, Delegation, Organization, Role, RoleAssignment

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser

    from vanphong.orgs.models import Person

M = TypeVar("M", bound=Model)


class Capability(StrEnum):
    READ = "read"  # see the organisation's records
    WRITE = "write"  # create and change ordinary records (drafts, reports, progress)
    REGISTER = "register"  # keep the books: register incoming and outgoing documents
    DIRECT = "direct"  # give directions, assign work, approve
    MANAGE_PEOPLE = "manage_people"  # accounts, roles, delegations, staffing
    VIEW_AUDIT = "view_audit"  # read the audit trail


_ALL = frozenset(Capability)

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.VAN_THU: frozenset({Capability.READ, Capability.WRITE, Capability.REGISTER}),
    Role.CHUYEN_VIEN: frozenset({Capability.READ, Capability.WRITE}),
    Role.LANH_DAO_PHONG: frozenset({Capability.READ, Capability.WRITE, Capability.DIRECT}),
    Role.LANH_DAO_VAN_PHONG: frozenset(
        {Capability.READ, Capability.WRITE, Capability.DIRECT, Capability.REGISTER}
    ),
    Role.LANH_DAO_CAP_UY: frozenset({Capability.READ, Capability.WRITE, Capability.DIRECT}),
    Role.QUAN_TRI: frozenset({Capability.READ, Capability.MANAGE_PEOPLE, Capability.VIEW_AUDIT}),
}

# Roles whose reach covers the organisation's whole subtree (its agencies and the
# organisations under it); every other role reaches its own organisation only.
SUBTREE_ROLES = frozenset({Role.LANH_DAO_CAP_UY, Role.QUAN_TRI})


@dataclass(frozen=True)
class Grant:
    organization_id: int
    path: str
    role: str
    subtree: bool
    delegated_by: int | None = None  # person id of the delegator, when held by delegation

    @property
    def capabilities(self) -> frozenset[Capability]:
        return ROLE_CAPABILITIES.get(self.role, frozenset())


@dataclass(frozen=True)
class AccessScope:
    """What one user may reach, computed once per request from a handful of rows."""

    person_id: int | None
    clearance: int
    grants: tuple[Grant, ...] = field(default_factory=tuple)

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(g.role for g in self.grants)

    def grants_for(self, capability: Capability) -> list[Grant]:
        return [g for g in self.grants if capability in g.capabilities]

    def org_q(self, capability: Capability, *, prefix: str = "") -> Q:
        """A Q on Organization (or on ``prefix`` + organization) matching every organisation
        where ``capability`` is held. Matches nothing when it is held nowhere."""
        grants = self.grants_for(capability)
        if not grants:
            return Q(pk__in=[])
        direct = sorted({g.organization_id for g in grants if not g.subtree})
        q = Q(**{f"{prefix}pk__in": direct}) if direct else Q(pk__in=[])
        for path in _outermost(g.path for g in grants if g.subtree):
            q |= Q(**{f"{prefix}path__startswith": path})
        return q

    def reaches(self, capability: Capability, organization: Organization) -> bool:
        for g in self.grants_for(capability):
            if g.organization_id == organization.pk or (g.subtree and organization.path.startswith(g.path)):
                return True
        return False


EMPTY_SCOPE = AccessScope(person_id=None, clearance=Classification.NONE)


def _outermost(paths: Iterable[str]) -> list[str]:
    """Drop paths that lie inside another one: the prefix match already covers them."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return kept


def _working_person(user: AbstractBaseUser | AnonymousUser | None) -> Person | None:
    """The person behind an active account, while they work: only they reach anything."""
    person = person_of(user)
    return person if person is not None and person.active and user.is_active else None  # type: ignore[union-attr]


def scope_for(user: AbstractBaseUser | AnonymousUser | None) -> AccessScope:
    """The user's access scope, memoised on the user object for the request."""
    if user is None:
        return EMPTY_SCOPE
    cached = getattr(user, "_vanphong_scope", None)
    if cached is not None:
        return cached
    scope = compute_scope(_working_person(user))
    if user.is_authenticated:
        user._vanphong_scope = scope  # type: ignore[union-attr]
    return scope


def compute_scope(person: Person | None, *, at: Any = None) -> AccessScope:
    if person is None:
        return EMPTY_SCOPE
    now = at or timezone.now()
    own = RoleAssignment.objects.current(now).filter(person=person, organization__active=True)
    grants = [
        Grant(ra.organization_id, ra.organization.path, ra.role, ra.role in SUBTREE_ROLES)
        for ra in own.select_related("organization")
    ]
    delegated = (
        Delegation.objects.current(now)
        .filter(delegate=person, role_assignment__in=RoleAssignment.objects.current(now))
        .select_related("role_assignment__organization")
    )
    for d in delegated:
        ra = d.role_assignment
        grants.append(
            Grant(ra.organization_id, ra.organization.path, ra.role, ra.role in SUBTREE_ROLES, ra.person_id)
        )
    return AccessScope(person_id=person.pk, clearance=person.clearance, grants=tuple(grants))


def forget_scope(user: Any) -> None:
    """Drop the memoised scope (after roles or delegations change within a request)."""
    if hasattr(user, "_vanphong_scope"):
        del user._vanphong_scope


# --- Queries -----------------------------------------------------------------------------------


def organizations_with(user: Any, capability: Capability = Capability.READ) -> QuerySet[Organization]:
    return Organization.objects.filter(scope_for(user).org_q(capability))


def restrict(
    queryset: QuerySet[M],
    user: Any,
    *,
    capability: Capability = Capability.READ,
    org_field: str = "organization",
    classification_field: str | None = "classification",
    extra: Q | None = None,
) -> QuerySet[M]:
    """Limit ``queryset`` to the records ``user`` may reach with ``capability``, in SQL.

    ``org_field`` names the owning organisation; ``classification_field`` (when the model
    has one) is capped at the user's clearance. ``extra`` widens the organisational reach
    for records that name the user directly (a recipient, an assignee); clearance still caps
    it.
    """
    scope = scope_for(user)
    q = scope.org_q(capability, prefix=f"{org_field}__")
    if extra is not None and scope.person_id is not None:
        q |= extra
    qs = queryset.filter(q)
    if classification_field:
        qs = qs.filter(**{f"{classification_field}__lte": scope.clearance})
    return qs


def get_for_user(
    queryset: QuerySet[M],
    user: Any,
    pk: Any,
    *,
    capability: Capability = Capability.READ,
    org_field: str = "organization",
    classification_field: str | None = "classification",
    extra: Q | None = None,
) -> M:
    """Fetch one record the user may reach, or raise 404 (never 403: no leak of existence)."""
    qs = restrict(
        queryset,
        user,
        capability=capability,
        org_field=org_field,
        classification_field=classification_field,
        extra=extra,
    )
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can(user: Any, capability: Capability, organization: Organization | None = None) -> bool:
    """Whether ``user`` holds ``capability`` in ``organization`` (anywhere, when None)."""
    scope = scope_for(user)
    if organization is None:
        return bool(scope.grants_for(capability))
    return scope.reaches(capability, organization)


def may_read_classification(user: Any, classification: int) -> bool:
    return classification <= scope_for(user).clearance
