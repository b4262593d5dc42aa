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

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from vanphong.orgs.actors import Actor, person_of
from vanphong.orgs.models import Classification, Delegation, Organization, Role, RoleAssignment

if TYPE_CHECKING:
    from vanphong.orgs.models import Person

M = TypeVar("M", bound=Model)


class Capability(StrEnum):
    READ = "read"  # see the organisation's records
    WRITE = "write"  # create and change ordinary records (drafts, reports, progress)
    REGISTER = "register"  # keep the books: register incoming and outgoing documents
    DIRECT = "direct"  # give directions, assign work, approve
    MANAGE_PEOPLE = "manage_people"  # accounts, roles, delegations, staffing
    VIEW_AUDIT = "view_audit"  # read the audit trail
    # Direct the routine documents of a committee whose office one leads: the committee's own
    # rule (``documents.OfficeDirectionRule``) says which; see OFFICE_CAPABILITIES.
    DIRECT_ROUTINE = "direct_routine"
    # Keep the classified books (văn thư mật / cơ yếu). Where an organisation has appointed
    # such a clerk, its ordinary văn thư no longer keep its classified documents: see
    # ``AccessScope.classified_keeper_q``.
    KEEP_CLASSIFIED = "keep_classified"


_ALL = frozenset(Capability)

_CLERK = frozenset({Capability.READ, Capability.WRITE, Capability.REGISTER})
_CLASSIFIED_CLERK = _CLERK | {Capability.KEEP_CLASSIFIED}

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.VAN_THU: _CLERK,
    Role.VAN_THU_MAT: _CLASSIFIED_CLERK,
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

# The office model: a committee does its paperwork through its Văn phòng (``is_office``, a
# child of the committee). A role held in the office also grants, on the committee directly
# above it (never further up, never its subtree), these capabilities:
# * văn thư keep the committee's books (as if they held the role in the committee);
# * leaders read the committee's records (classified ones as its book keepers do, within
#   their clearance), are presented its documents, present them on, and direct the
#   routine ones (DIRECT_ROUTINE, never DIRECT: the committee's rule says which);
# * heads of unit and specialists draft in the committee's name (WRITE without READ: they
#   read what is assigned to them or their unit, and their own drafts).
OFFICE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.VAN_THU: _CLERK,
    Role.VAN_THU_MAT: _CLASSIFIED_CLERK,
    Role.LANH_DAO_VAN_PHONG: frozenset(
        {Capability.READ, Capability.WRITE, Capability.REGISTER, Capability.DIRECT_ROUTINE}
    ),
    Role.LANH_DAO_PHONG: frozenset({Capability.WRITE}),
    Role.CHUYEN_VIEN: frozenset({Capability.WRITE}),
}


@dataclass(frozen=True)
class Grant:
    organization_id: int
    path: str
    role: str
    subtree: bool
    delegated_by: int | None = None  # person id of the delegator, when held by delegation
    via_office: bool = False  # on a committee, through a role held in its office

    @property
    def capabilities(self) -> frozenset[Capability]:
        table = OFFICE_CAPABILITIES if self.via_office else ROLE_CAPABILITIES
        return table.get(self.role, frozenset())


@dataclass(frozen=True)
class AccessScope:
    """What one user may reach, computed once per request from a handful of rows."""

    person_id: int | None
    clearance: int
    grants: tuple[Grant, ...] = field(default_factory=tuple)
    at: Any = None  # the moment the grants hold for (now when None)
    _memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def classified_clerk_orgs(self) -> frozenset[int]:
        """The organisations where this person is an ordinary văn thư and a classified-
        documents clerk (Role.VAN_THU_MAT) has been appointed: there the classified books are
        the clerk's. Asked (one query, for ordinary văn thư only) the first time a classified
        predicate is built, then remembered with the scope."""
        if not self.grants:
            return frozenset()
        if "clerk_orgs" not in self._memo:
            clerk_of = {g.organization_id for g in self.grants if g.role == Role.VAN_THU}
            self._memo["clerk_orgs"] = _with_classified_clerk(clerk_of, self.at or timezone.now())
        return self._memo["clerk_orgs"]

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(g.role for g in self.grants)

    def grants_for(self, capability: Capability) -> list[Grant]:
        return [g for g in self.grants if capability in g.capabilities]

    def org_q(self, capability: Capability, *, prefix: str = "") -> Q:
        """A Q on Organization (or on ``prefix`` + organization) matching every organisation
        where ``capability`` is held. Matches nothing when it is held nowhere."""
        return _grants_q(self.grants_for(capability), prefix)

    def _keeps_classified(self, grant: Grant) -> bool:
        capabilities = grant.capabilities
        if Capability.KEEP_CLASSIFIED in capabilities or Capability.DIRECT in capabilities:
            return True
        if Capability.REGISTER not in capabilities:
            return False
        return not (grant.role == Role.VAN_THU and grant.organization_id in self.classified_clerk_orgs)

    def classified_keeper_q(self, *, prefix: str = "") -> Q:
        """The organisations whose classified books and documents this person keeps or
        oversees: leaders (DIRECT), the classified-documents clerk (KEEP_CLASSIFIED), the
        office's leaders who keep the committee's books, and the ordinary văn thư of an
        organisation that has appointed no classified clerk."""
        return _grants_q([g for g in self.grants if self._keeps_classified(g)], prefix)

    def classified_keeper_ids(self) -> list[int]:
        """``classified_keeper_q`` as organisation ids (a subtree expanded), asked once."""
        if not self.grants:  # EMPTY_SCOPE is shared: nothing is remembered on it
            return []
        if "keeper_ids" not in self._memo:
            self._memo["keeper_ids"] = list(
                Organization.objects.filter(self.classified_keeper_q()).values_list("pk", flat=True)
            )
        return list(self._memo["keeper_ids"])

    def keeps_classified(self, organization: Organization) -> bool:
        return any(
            self._keeps_classified(g)
            and (g.organization_id == organization.pk or (g.subtree and organization.path.startswith(g.path)))
            for g in self.grants
        )

    def reaches(self, capability: Capability, organization: Organization) -> bool:
        for g in self.grants_for(capability):
            if g.organization_id == organization.pk or (g.subtree and organization.path.startswith(g.path)):
                return True
        return False


EMPTY_SCOPE = AccessScope(person_id=None, clearance=Classification.NONE)


def _grants_q(grants: list[Grant], prefix: str) -> Q:
    """A Q matching the organisations the ``grants`` reach; nothing when there are none."""
    if not grants:
        return Q(pk__in=[])
    direct = sorted({g.organization_id for g in grants if not g.subtree})
    q = Q(**{f"{prefix}pk__in": direct}) if direct else Q(pk__in=[])
    for path in _outermost(g.path for g in grants if g.subtree):
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def _outermost(paths: Iterable[str]) -> list[str]:
    """Drop paths that lie inside another one: the prefix match already covers them."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return kept


def _working_person(user: Actor | None) -> Person | None:
    """The person behind an active account, while they work: only they reach anything."""
    person = person_of(user)
    if person is None or user is None:
        return None
    return person if person.active and user.is_active else None


def scope_for(user: Actor | None) -> AccessScope:
    """The user's access scope, memoised on the user object for the request."""
    if user is None:
        return EMPTY_SCOPE
    cached = getattr(user, "_vanphong_scope", None)
    if cached is not None:
        return cached
    scope = compute_scope(_working_person(user))
    if user.is_authenticated:
        user._vanphong_scope = scope  # type: ignore[attr-defined]  # a per-request memo on the account object
    return scope


def _grants_of(ra: RoleAssignment, *, delegated_by: int | None = None) -> list[Grant]:
    """The grant of a role where it is held and, for a role held in an office, the grant it
    gives on the committee above (OFFICE_CAPABILITIES). The parent comes with the role's row
    (``select_related``): no query more."""
    org = ra.organization
    grants = [Grant(org.pk, org.path, ra.role, ra.role in SUBTREE_ROLES, delegated_by)]
    committee = org.parent
    if (
        org.is_office
        and org.active
        and committee is not None
        and committee.active
        and ra.role in OFFICE_CAPABILITIES
    ):
        grants.append(Grant(committee.pk, committee.path, ra.role, False, delegated_by, via_office=True))
    return grants


def compute_scope(person: Person | None, *, at: Any = None) -> AccessScope:
    if person is None:
        return EMPTY_SCOPE
    now = at or timezone.now()
    own = RoleAssignment.objects.current(now).filter(person=person, organization__active=True)
    grants: list[Grant] = []
    for ra in own.select_related("organization__parent"):
        grants.extend(_grants_of(ra))
    delegated = (
        Delegation.objects.current(now)
        .filter(delegate=person, role_assignment__in=RoleAssignment.objects.current(now))
        .select_related("role_assignment__organization__parent")
    )
    for d in delegated:
        grants.extend(_grants_of(d.role_assignment, delegated_by=d.role_assignment.person_id))
    return AccessScope(
        person_id=person.pk,
        clearance=person.clearance,
        grants=tuple(grants),
        at=at,
    )


def _with_classified_clerk(org_ids: set[int], now: Any) -> frozenset[int]:
    """Which of ``org_ids`` have a classified-documents clerk, appointed in the organisation
    itself or in the office working for it. One query, only for ordinary văn thư."""
    if not org_ids:
        return frozenset()
    clerks = RoleAssignment.objects.current(now).filter(
        Q(organization_id__in=org_ids) | Q(organization__is_office=True, organization__parent_id__in=org_ids),
        role=Role.VAN_THU_MAT,
        organization__active=True,
        person__active=True,
    )
    found: set[int] = set()
    rows = clerks.values_list("organization_id", "organization__is_office", "organization__parent_id")
    for org_id, is_office, parent_id in rows:
        if org_id in org_ids:
            found.add(org_id)
        # A clerk appointed in an office keeps the committee's classified books too (the
        # office works for its committee): its văn thư no longer keep them there either.
        if is_office and parent_id is not None and parent_id in org_ids:
            found.add(parent_id)
    return frozenset(found)


def forget_scope(user: Actor) -> None:
    """Drop the memoised scope (after roles or delegations change within a request)."""
    if hasattr(user, "_vanphong_scope"):
        del user._vanphong_scope


# --- Queries -----------------------------------------------------------------------------------


def organizations_with(user: Actor, capability: Capability = Capability.READ) -> QuerySet[Organization]:
    return Organization.objects.filter(scope_for(user).org_q(capability))


def restrict(
    queryset: QuerySet[M],
    user: Actor,
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
    user: Actor,
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
    except (ObjectDoesNotExist, ValueError, TypeError):  # qs.get raises only qs.model.DoesNotExist
        raise Http404 from None


def can(user: Actor, capability: Capability, organization: Organization | None = None) -> bool:
    """Whether ``user`` holds ``capability`` in ``organization`` (anywhere, when None)."""
    scope = scope_for(user)
    if organization is None:
        return bool(scope.grants_for(capability))
    return scope.reaches(capability, organization)


def directing_roles_q(organization: Organization) -> Q:
    """A Q on RoleAssignment: the roles that may be presented ``organization``'s documents for
    direction — DIRECT there, or above it for a role reaching the subtree, or leading the
    office that works for it (DIRECT_ROUTINE through OFFICE_CAPABILITIES). Who of them may
    direct a given document is the documents app's (``incoming.may_direct``)."""
    directing = [role for role, caps in ROLE_CAPABILITIES.items() if Capability.DIRECT in caps]
    above = [role for role in directing if role in SUBTREE_ROLES]
    office = [role for role, caps in OFFICE_CAPABILITIES.items() if Capability.DIRECT_ROUTINE in caps]
    return (
        Q(organization=organization, role__in=directing)
        | Q(organization__in=organization.ancestors(), role__in=above)
        | Q(
            organization__parent=organization,
            organization__is_office=True,
            organization__active=True,
            role__in=office,
        )
    )


def may_read_classification(user: Actor, classification: int) -> bool:
    return classification <= scope_for(user).clearance
