"""Who holds which role where, and who a task's reminders and escalations go to."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.db.models import Q

from vanphong.orgs.access import ROLE_CAPABILITIES, Capability
from vanphong.orgs.models import Delegation, Organization, Person, Role, RoleAssignment
from vanphong.tasks.models import PartyRole, Task, TaskParty

# --- Who holds which role where ----------------------------------------------------------------


WORK = frozenset({Capability.WRITE, Capability.DIRECT})
KEEP = frozenset({Capability.DIRECT, Capability.REGISTER})


@dataclass(frozen=True)
class Member:
    """One role held in an organisation today, by its holder or by delegation."""

    person_id: int
    role: str
    ra_unit_id: int | None  # the unit the role is for (a head of unit's)
    unit_id: int | None  # that unit, or the holder's own unit in this organisation
    clearance: int
    # False for an ordinary văn thư where a classified-documents clerk is appointed (in the
    # organisation or its office): the classified books are the clerk's (``orgs.access``).
    keeps_classified_books: bool = True

    @property
    def capabilities(self) -> frozenset[Capability]:
        return ROLE_CAPABILITIES.get(self.role, frozenset())

    @property
    def may_work(self) -> bool:
        return bool(self.capabilities & WORK)

    @property
    def leads(self) -> bool:
        return Capability.DIRECT in self.capabilities

    @property
    def leads_organization(self) -> bool:
        """A leader of the whole organisation, not of one of its units."""
        return self.leads and self.ra_unit_id is None and self.role != Role.LANH_DAO_PHONG

    @property
    def keeps(self) -> bool:
        """Leads or keeps the classified books there: sees the organisation's classified
        tasks (the rule of ``AccessScope.classified_keeper_q``)."""
        capabilities = self.capabilities
        if Capability.DIRECT in capabilities or Capability.KEEP_CLASSIFIED in capabilities:
            return True
        return bool(capabilities & KEEP) and self.keeps_classified_books


def _with_classified_clerk(organization_ids: list[int]) -> set[int]:
    """Which of the organisations have a classified-documents clerk today, appointed in the
    organisation itself or in the office working for it."""
    rows = (
        RoleAssignment.objects.current()
        .filter(
            Q(organization_id__in=organization_ids)
            | Q(organization__is_office=True, organization__parent_id__in=organization_ids),
            role=Role.VAN_THU_MAT,
            organization__active=True,
            person__active=True,
        )
        .values_list("organization_id", "organization__is_office", "organization__parent_id")
    )
    wanted = set(organization_ids)
    found: set[int] = set()
    for org_id, is_office, parent_id in rows:
        if org_id in wanted:
            found.add(org_id)
        if is_office and parent_id in wanted:
            found.add(parent_id)
    return found


class Directory:
    """The members of the organisations a run meets, loaded a batch of organisations at a
    time (two queries) and kept for the run: a province has a few hundred organisations."""

    def __init__(self) -> None:
        self._members: dict[int, list[Member]] = {}
        self._offices: dict[int, int | None] = {}

    def load(self, organization_ids: Iterable[int], givers: Iterable[int] = ()) -> None:
        givers = {g for g in givers if g not in self._offices}
        if givers:
            for giver in givers:
                self._offices[giver] = None
            offices = (
                Organization.objects.filter(parent_id__in=givers, is_office=True, active=True)
                .order_by("-pk")
                .values_list("parent_id", "pk")
            )
            for parent_id, office_id in offices:  # the lowest id wins when there are two
                self._offices[parent_id] = office_id
        wanted = set(organization_ids) | {o for o in (self._offices.get(g) for g in givers) if o}
        missing = sorted(o for o in wanted if o not in self._members)
        if not missing:
            return
        found: dict[int, list[Member]] = {o: [] for o in missing}
        # As ``orgs.access.compute_scope``: a role in an organisation closed down reaches nothing.
        current = RoleAssignment.objects.current().filter(
            organization_id__in=missing, organization__active=True
        )
        rows = current.filter(person__active=True).values_list(
            "organization_id",
            "person_id",
            "role",
            "unit_id",
            "person__unit_id",
            "person__organization_id",
            "person__clearance",
        )
        for org_id, person_id, role, ra_unit, p_unit, p_org, clearance in rows:
            unit = ra_unit or (p_unit if p_org == org_id else None)
            found[org_id].append(Member(person_id, role, ra_unit, unit, clearance))
        delegated = (
            Delegation.objects.current()
            .filter(role_assignment__in=current, delegate__active=True)
            .values_list(
                "role_assignment__organization_id",
                "delegate_id",
                "role_assignment__role",
                "role_assignment__unit_id",
                "role_assignment__person__unit_id",
                "role_assignment__person__organization_id",
                "delegate__clearance",
            )
        )
        for org_id, person_id, role, ra_unit, p_unit, p_org, clearance in delegated:
            unit = ra_unit or (p_unit if p_org == org_id else None)
            found[org_id].append(Member(person_id, role, ra_unit, unit, clearance))
        with_clerk = _with_classified_clerk(missing)
        for org_id, members in found.items():
            if org_id in with_clerk:
                members[:] = [
                    replace(m, keeps_classified_books=False) if m.role == Role.VAN_THU else m for m in members
                ]
            members.sort(key=lambda m: (m.person_id, m.role))
        self._members.update(found)

    def members(self, organization_id: int) -> list[Member]:
        if organization_id not in self._members:
            self.load([organization_id])
        return self._members[organization_id]

    def office_of(self, organization_id: int) -> int | None:
        if organization_id not in self._offices:
            self.load([], [organization_id])
        return self._offices[organization_id]


class Recipients:
    """Who hears about a task, each filtered by whether they may see it."""

    def __init__(self, directory: Directory | None = None) -> None:
        self.directory = directory or Directory()
        self._named: dict[int, frozenset[int]] = {}

    def prepare(self, tasks: list[Task]) -> None:
        """Load, for a batch, the organisations and the people named on classified tasks."""
        self.directory.load(
            {t.lead_organization_id for t in tasks} | {t.organization_id for t in tasks},
            {t.organization_id for t in tasks},
        )
        classified = [t.pk for t in tasks if t.classification > 0 and t.pk not in self._named]
        parties: dict[int, set[int]] = defaultdict(set)
        if classified:
            for task_id, person_id in TaskParty.objects.filter(
                task_id__in=classified, person__isnull=False
            ).values_list("task_id", "person_id"):
                parties[task_id].add(person_id)
        for task in tasks:
            if task.classification > 0 and task.pk not in self._named:
                named = {task.lead_person_id, task.issued_by_id, task.created_by_id} | parties[task.pk]
                self._named[task.pk] = frozenset(p for p in named if p is not None)

    def named(self, task: Task) -> frozenset[int]:
        if task.classification == 0:
            return frozenset()
        if task.pk not in self._named:
            self.prepare([task])
        return self._named[task.pk]

    @staticmethod
    def split(classification: int, members: Iterable[Member]) -> tuple[frozenset[int], frozenset[int]]:
        """Of ``members`` (of one organisation), who sees every task of ``classification``
        there, and who sees one only when named on it: cleared for it, and for a classified
        task neither leading nor keeping the books there (``tasks.access``)."""
        cleared = [m for m in members if m.clearance >= classification]
        everyone = frozenset(m.person_id for m in cleared if classification == 0 or m.keeps)
        return everyone, frozenset(m.person_id for m in cleared) - everyone

    def _visible(self, task: Task, members: Iterable[Member], exclude: int | None = None) -> list[int]:
        everyone, if_named = self.split(task.classification, members)
        people = set(everyone | (if_named & self.named(task)))
        people.discard(exclude)  # type: ignore[arg-type]
        return sorted(people)

    @staticmethod
    def cleared(person: Person | None, classification: int) -> bool:
        return person is not None and person.active and person.clearance >= classification

    @classmethod
    def _person_ok(cls, task: Task, person: Person | None) -> bool:
        return cls.cleared(person, task.classification)

    def _organization_assignees(self, organization_id: int) -> list[Member]:
        return [
            m
            for m in self.directory.members(organization_id)
            if m.may_work and (m.role in (Role.VAN_THU, Role.VAN_THU_MAT) or m.leads_organization)
        ]

    def lead_members(self, organization_id: int, unit_id: int | None) -> list[Member]:
        """Who works on a task led by an organisation or one of its units (before the
        classification is looked at): the unit's people; the organisation's văn thư and
        leaders when no unit is named or the unit has nobody."""
        chosen: list[Member] = []
        if unit_id is not None:
            members = self.directory.members(organization_id)
            chosen = [m for m in members if m.may_work and m.unit_id == unit_id]
        return chosen or self._organization_assignees(organization_id)

    def assignees(self, task: Task) -> list[int]:
        """The people who must do the task: the lead person; the lead unit's people; the
        lead organisation's văn thư and leaders — also when none of the unit's people may
        see the task (a classified task led by a unit of chuyên viên): someone is told."""
        if task.lead_person_id is not None:
            return [task.lead_person_id] if self._person_ok(task, task.lead_person) else []
        people = self._visible(task, self.lead_members(task.lead_organization_id, task.lead_unit_id))
        if not people and task.lead_unit_id is not None:
            people = self._visible(task, self._organization_assignees(task.lead_organization_id))
        return people

    def heads(self, task: Task) -> list[int]:
        """The head of the lead: the leaders of the lead unit (the lead person's unit), or
        when it has none (or the lead person is its head), the organisation's leaders."""
        members = self.directory.members(task.lead_organization_id)
        me = task.lead_person_id
        if task.lead_unit_id is not None:
            unit_heads = self._visible(
                task, [m for m in members if m.leads and m.unit_id == task.lead_unit_id], exclude=me
            )
            if unit_heads:
                return unit_heads
        return self._visible(task, [m for m in members if m.leads_organization], exclude=me)

    def office(self, task: Task) -> list[int]:
        """The Văn phòng following up for the giver (its leaders and everyone who may work
        there); the giver's own leaders when it has none."""
        office = self.directory.office_of(task.organization_id)
        if office is not None:
            return self._visible(task, [m for m in self.directory.members(office) if m.may_work])
        return self._visible(task, [m for m in self.directory.members(task.organization_id) if m.leads])

    def assigners(self, task: Task) -> list[int]:
        """Who gave the task: the issuing leader and who entered it; with neither, the
        giver's leaders."""
        people = {
            p.pk for p in (task.issued_by, task.created_by) if p is not None and self._person_ok(task, p)
        }
        if people:
            return sorted(people)
        return self._visible(
            task, [m for m in self.directory.members(task.organization_id) if m.leads_organization]
        )

    def cooperating(self, task: Task) -> list[int]:
        """The people of the cooperating parties (phối hợp), by the assignees' rule."""
        people: set[int] = set()
        parties = task.parties.filter(role=PartyRole.COOPERATE).select_related("person", "unit")
        for party in parties:
            if party.person_id is not None:
                if self._person_ok(task, party.person):
                    people.add(party.person_id)
            elif party.unit_id is not None:  # seen by its organisation's readers (tasks.access)
                org = party.unit.organization_id  # type: ignore[union-attr]
                people.update(self._visible(task, self.lead_members(org, party.unit_id)))
            elif party.organization_id is not None:
                people.update(self._visible(task, self._organization_assignees(party.organization_id)))
        return sorted(people)
