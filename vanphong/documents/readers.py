"""Who can read a classified document, and naming more readers (need to know).

``readers_of`` is consistent with ``vanphong.documents.access`` by construction: it only
*gathers candidates* — everyone who could possibly be let in by one of the access rules —
and then asks the access layer itself, candidate by candidate, whether the document is
visible to them. A rule added to the access layer can only remove people from a too-wide
candidate list, never make the list claim someone can read what they cannot.

Candidates: people holding current roles (or delegations of them) in the organisations
holding entries of the document, in the organisations assigned to act on it and in the
owning organisation (and in the offices working for them); people holding subtree roles in
their ancestors; assignees; people
granted reading by name; the creator and the reviewers of a draft.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from vanphong.audit.services import audit_record
from vanphong.documents.access import documents_visible_to
from vanphong.documents.models import Assignment, Document, ReaderGrant, RegisterEntry, ReviewStep
from vanphong.orgs.access import OFFICE_CAPABILITIES, SUBTREE_ROLES, Capability, Grant, scope_for
from vanphong.orgs.actors import Actor, acting_person
from vanphong.orgs.models import Classification, Delegation, Organization, Person, Role, RoleAssignment

# Why a person can read the document, as the panel says it.
REASON_KEEPER = "văn thư"
REASON_OFFICE = "văn phòng giúp việc"  # the committee's books kept by its office's leaders
REASON_LEADER = "lãnh đạo"
REASON_ASSIGNED = "được giao xử lý"
REASON_GRANTED = "được cho phép"
REASON_AUTHOR = "người soạn thảo, người duyệt"


def holding_organization_ids(document: Document) -> set[int]:
    """The organisations whose books hold the document, and its owner."""
    ids = set(RegisterEntry.objects.filter(document=document).values_list("organization_id", flat=True))
    ids.add(document.organization_id)
    return ids


def _assigned_organization_ids(document: Document) -> set[int]:
    """The organisations assigned to act on it, and those of the units assigned."""
    assigned = Assignment.objects.filter(entry__document=document)
    return set(assigned.filter(organization__isnull=False).values_list("organization_id", flat=True)) | set(
        assigned.filter(unit__isnull=False).values_list("unit__organization_id", flat=True)
    )


def _candidate_ids(document: Document) -> set[int]:
    org_ids = holding_organization_ids(document) | _assigned_organization_ids(document)
    orgs = list(Organization.objects.filter(pk__in=org_ids).only("pk", "path"))
    step = Organization.PATH_STEP + 1
    ancestor_paths = {o.path[: i + step] for o in orgs for i in range(0, len(o.path) - step, step)}
    role_q = Q(organization_id__in=org_ids)
    if ancestor_paths:
        role_q |= Q(organization__path__in=ancestor_paths, role__in=SUBTREE_ROLES)
    # The office works for its committee (``orgs.access.OFFICE_CAPABILITIES``).
    role_q |= Q(
        organization__parent_id__in=org_ids, organization__is_office=True, role__in=list(OFFICE_CAPABILITIES)
    )
    roles = RoleAssignment.objects.current().filter(role_q)
    ids = set(roles.values_list("person_id", flat=True))
    ids |= set(
        Delegation.objects.current()
        .filter(role_assignment__in=roles.values("pk"))
        .values_list("delegate_id", flat=True)
    )
    ids |= set(
        Assignment.objects.filter(entry__document=document, person__isnull=False).values_list(
            "person_id", flat=True
        )
    )
    ids |= set(ReaderGrant.objects.filter(document=document).values_list("person_id", flat=True))
    ids |= set(ReviewStep.objects.filter(document=document).values_list("reviewer_id", flat=True))
    if document.created_by_id:
        ids.add(document.created_by_id)
    return ids


def _covers(grant: Grant, organization: Organization) -> bool:
    return grant.organization_id == organization.pk or (
        grant.subtree and organization.path.startswith(grant.path)
    )


def _reasons(
    person: Person, orgs: list[Organization], holding: set[int], facts: dict[str, set[int]]
) -> list[str]:
    scope = scope_for(person.user)
    reasons = []
    keeping = [
        g
        for g in scope.grants_for(Capability.REGISTER)
        if any(_covers(g, o) for o in orgs if o.pk in holding)
    ]
    if any(g.role in (Role.VAN_THU, Role.VAN_THU_MAT) or not g.via_office for g in keeping):
        reasons.append(REASON_KEEPER)
    elif keeping:
        reasons.append(REASON_OFFICE)
    if any(scope.reaches(Capability.DIRECT, o) for o in orgs if o.pk in holding):
        reasons.append(REASON_LEADER)
    if person.pk in facts["assignees"] or any(
        scope.reaches(Capability.REGISTER, o) or scope.reaches(Capability.DIRECT, o)
        for o in orgs
        if o.pk in facts["assigned_orgs"]
    ):
        reasons.append(REASON_ASSIGNED)
    if person.pk in facts["granted"]:
        reasons.append(REASON_GRANTED)
    if person.pk in facts["authors"]:
        reasons.append(REASON_AUTHOR)
    return reasons


def readers_of(document: Document) -> list[Person]:
    """The people who can see ``document``, each with ``reasons`` (a list of the panel's
    words: văn thư, văn phòng giúp việc, lãnh đạo, được giao xử lý, được cho phép, người soạn
    thảo, người duyệt).
    A handful of queries per candidate: compute it for one classified document at a time."""
    candidates = (
        Person.objects.filter(
            pk__in=_candidate_ids(document),
            active=True,
            user__isnull=False,
            user__is_active=True,
            clearance__gte=document.classification,
        )
        .select_related("user", "organization", "position")
        .order_by("organization__path", "full_name")
    )
    holding = holding_organization_ids(document)
    facts = {
        "assigned_orgs": _assigned_organization_ids(document),
        "assignees": set(
            Assignment.objects.filter(entry__document=document, person__isnull=False).values_list(
                "person_id", flat=True
            )
        ),
        "granted": set(ReaderGrant.objects.filter(document=document).values_list("person_id", flat=True)),
        "authors": set(ReviewStep.objects.filter(document=document).values_list("reviewer_id", flat=True))
        | ({document.created_by_id} if document.created_by_id else set()),
    }
    orgs = list(Organization.objects.filter(pk__in=holding | facts["assigned_orgs"]).only("pk", "path"))
    readers = []
    for person in candidates:
        if documents_visible_to(person.user).filter(pk=document.pk).exists():
            person.reasons = _reasons(person, orgs, holding, facts)  # type: ignore[attr-defined]  # for the template
            readers.append(person)
    return readers


# --- Granting ----------------------------------------------------------------------------------


def may_manage_readers(user: Actor, document: Document) -> bool:
    """Keepers of the classified books and leaders of an organisation holding the document,
    who can see it."""
    if document.classification <= Classification.NONE:
        return False
    scope = scope_for(user)
    if scope.person_id is None:
        return False
    holding = Organization.objects.filter(pk__in=holding_organization_ids(document)).only("pk", "path")
    if not any(scope.keeps_classified(o) for o in holding):
        return False
    return documents_visible_to(user).filter(pk=document.pk).exists()


def grantable_people(user: Actor, document: Document) -> QuerySet[Person]:
    """Whom ``user`` may name as a reader: active people with an account working in an
    organisation ``user`` can read, in an organisation holding the document, or in one of
    the agencies (Văn phòng, Ban) of such an organisation."""
    holding = holding_organization_ids(document)
    reach = scope_for(user).org_q(Capability.READ, prefix="organization__")
    return (
        Person.objects.active()
        .filter(user__isnull=False)
        .filter(reach | Q(organization_id__in=holding) | Q(organization__parent_id__in=holding))
        .select_related("organization")
        .order_by("organization__path", "full_name")
    )


def _require_manage(actor: Actor, document: Document) -> None:
    if not may_manage_readers(actor, document):
        raise PermissionDenied(
            "Chỉ văn thư, lãnh đạo của cơ quan giữ văn bản mật mới được cho phép người đọc."
        )


def reader_grant(*, actor: Actor, document: Document, person: Person) -> ReaderGrant:
    """Allow ``person`` to read a classified document (need to know). Their clearance must
    reach the document's classification."""
    _require_manage(actor, document)
    if not grantable_people(actor, document).filter(pk=person.pk).exists():
        raise ValidationError({"person": "Người này không thuộc cơ quan trong phạm vi bạn được cho phép."})
    if person.clearance < document.classification:
        raise ValidationError(
            {
                "person": (
                    f"{person.full_name} chỉ được tiếp cận bí mật ở mức "
                    f"“{Classification(person.clearance).label}”, thấp hơn độ mật của văn bản "
                    f"(“{Classification(document.classification).label}”): không thể cho phép đọc."
                )
            }
        )
    granter = acting_person(actor)
    with transaction.atomic():
        if ReaderGrant.objects.select_for_update().filter(document=document, person=person).exists():
            raise ValidationError({"person": f"{person.full_name} đã được cho phép đọc văn bản này."})
        grant = ReaderGrant.objects.create(
            document=document, person=person, granted_by=granter, granted_at=timezone.now()
        )
        audit_record(
            actor=actor,
            action="document.reader_grant",
            target=document,
            after={"person": person.pk, "person_name": person.full_name},
        )
    return grant


def reader_revoke(*, actor: Actor, document: Document, person: Person) -> None:
    """Withdraw a reading permission given by name."""
    _require_manage(actor, document)
    with transaction.atomic():
        deleted, _ = ReaderGrant.objects.filter(document=document, person=person).delete()
        if not deleted:
            raise ValidationError({"person": f"{person.full_name} không có quyền đọc được cho phép riêng."})
        audit_record(
            actor=actor,
            action="document.reader_revoke",
            target=document,
            before={"person": person.pk, "person_name": person.full_name},
        )
