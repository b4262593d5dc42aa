"""Reminders and escalation of open tasks (the daily job), and who they go to.

On each working day (``send_reminders``), every open task (outcome 0) with a working-day
due date is looked at once, in SQL batches of the due dates that matter today:

* its assignees are reminded ``VANPHONG_TASK_REMIND_BEFORE_DAYS`` working days before the
  due date (3 and 1 by default), on the due day, and once late: on the first working day
  after it, then every ``VANPHONG_TASK_REMIND_OVERDUE_EVERY`` working days (5);
* once ``VANPHONG_TASK_ESCALATE_HEAD_DAYS`` working days late (1), the head of the lead
  (the leaders of the lead unit, or of the lead organisation) is told;
* once ``VANPHONG_TASK_ESCALATE_OFFICE_DAYS`` working days late (5), the Văn phòng that
  follows up for the giver (its leaders and staff; the giver's own leaders when it has no
  Văn phòng) is told. An escalation is sent once per person and due date (an extension
  that is missed again escalates again), and is caught up within the following
  ``…_OVERDUE_EVERY`` working days if the job did not run on the day itself.

Who the *assignees* are: the lead person; for a unit, the people holding a role that may
work on the task in that unit (văn thư, chuyên viên, its leaders) — or the organisation's
when the unit has nobody; for an organisation, its văn thư and its leaders. Everyone is
also checked against the task's visibility (``tasks.access``): a classified task reaches
only people cleared for it who keep the books or lead there, or are named on it.

Every reminder is a ``ReminderLog`` row (unique per task, person, kind and day) written in
the same transaction as its notification: a second run, or two workers at once, sends
nothing twice. Only open tasks are looked at, so reminders stop when a task is completed
or cancelled (and resume if it is returned).

A classified task's title is often a secret document's subject: its notifications carry
its classification, and an e-mail about it (at once or in the digest) says only
``classified_line`` — "Có nhiệm vụ mật cần xử lý (hạn …), xem trên hệ thống" — and the link.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, Exists, F, Min, OuterRef, Q, Value, When, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from vanphong.notifications.digest import DigestItem, DigestSection
from vanphong.notifications.services import notify
from vanphong.orgs.access import ROLE_CAPABILITIES, Capability
from vanphong.orgs.models import Delegation, Organization, Person, Role, RoleAssignment
from vanphong.tasks.calendar import ONE_DAY, WorkCalendar, due_soon_until
from vanphong.tasks.models import Outcome, PartyRole, ReminderKind, ReminderLog, Task, TaskParty

logger = logging.getLogger(__name__)

CHUNK = 500
DIGEST_ITEMS = 10  # tasks listed per section of a digest; the rest are counted

# The notification kind of each reminder (``VANPHONG_NOTIFY_IMMEDIATE_KINDS`` names these).
NOTIFICATION_KIND = {
    ReminderKind.BEFORE: "task.remind_before",
    ReminderKind.DUE: "task.remind_due",
    ReminderKind.OVERDUE: "task.remind_overdue",
    ReminderKind.ESCALATE_HEAD: "task.escalate_head",
    ReminderKind.ESCALATE_OFFICE: "task.escalate_office",
}
# When one person is due several reminders of a task on one day, the strongest one goes.
STRENGTH = {
    ReminderKind.BEFORE: 1,
    ReminderKind.DUE: 2,
    ReminderKind.OVERDUE: 3,
    ReminderKind.ESCALATE_HEAD: 4,
    ReminderKind.ESCALATE_OFFICE: 5,
}
ESCALATIONS = (ReminderKind.ESCALATE_HEAD, ReminderKind.ESCALATE_OFFICE)


def task_url(task_id: int) -> str:
    """The task's page."""
    return reverse("tasks:detail", args=[task_id])


def _list_url(status: str) -> str:
    """The list of "Việc của tôi" in one status."""
    return f"{reverse('tasks:list')}?{urlencode({'tab': 'mine', 'status': status})}"


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
        """Leads or keeps the books there: sees the organisation's classified tasks."""
        return bool(self.capabilities & KEEP)


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
        for members in found.values():
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
            if m.may_work and (m.role == Role.VAN_THU or m.leads_organization)
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
        people = {p.pk for p in (task.issued_by, task.created_by) if self._person_ok(task, p)}
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


# --- Working days counted once per run ------------------------------------------------------------


class WorkingDays:
    """Working days late of every date between ``start`` and ``today``, counted in one
    walk back (the calendar is the database's ``CalendarDay`` rows and the weekend)."""

    def __init__(self, calendar: WorkCalendar, today: dt.date, start: dt.date | None) -> None:
        self.today = today
        self.late: dict[dt.date, int] = {}
        count, day = 0, today
        while start is not None and day > start:
            if calendar.is_working_day(day):
                count += 1
            day -= ONE_DAY
            self.late[day] = count  # working days after ``day`` up to and including today
        self.late[today] = 0

    def days_late(self, due: dt.date) -> int:
        return self.late.get(due, 0) if due <= self.today else 0


@dataclass(frozen=True)
class Rules:
    before: tuple[int, ...]
    every: int
    head_after: int
    office_after: int

    @classmethod
    def from_settings(cls) -> Rules:
        return cls(
            before=tuple(sorted({int(d) for d in settings.VANPHONG_TASK_REMIND_BEFORE_DAYS}, reverse=True)),
            every=int(settings.VANPHONG_TASK_REMIND_OVERDUE_EVERY),
            head_after=int(settings.VANPHONG_TASK_ESCALATE_HEAD_DAYS),
            office_after=int(settings.VANPHONG_TASK_ESCALATE_OFFICE_DAYS),
        )

    def assignee_kind(self, days_late: int) -> str | None:
        if days_late == 0:
            return ReminderKind.DUE
        if days_late >= 1 and (days_late - 1) % self.every == 0:
            return ReminderKind.OVERDUE
        return None

    def escalates(self, kind: str, days_late: int) -> bool:
        after = self.head_after if kind == ReminderKind.ESCALATE_HEAD else self.office_after
        return after <= days_late < after + self.every


def _oldest_open_due(before: dt.date) -> dt.date | None:
    """The earliest due date of an open task due before ``before`` (the partial index's
    first entry)."""
    return Task.objects.filter(outcome=Outcome.OPEN, effective_due__lt=before).aggregate(
        d=Min("effective_due")
    )["d"]


@dataclass
class Schedule:
    """The due dates that call for a reminder today, and what each one calls for."""

    today: dt.date
    rules: Rules
    before: dict[dt.date, int]  # due date → working days ahead
    days: WorkingDays

    @classmethod
    def build(cls, today: dt.date, calendar: WorkCalendar, rules: Rules) -> Schedule:
        oldest = _oldest_open_due(today)
        before = {calendar.add_working_days(today, n): n for n in rules.before}
        return cls(today=today, rules=rules, before=before, days=WorkingDays(calendar, today, oldest))

    def dates(self) -> list[dt.date]:
        wanted = set(self.before) | {self.today}
        for day, late in self.days.late.items():
            if late == 0:
                continue
            if self.rules.assignee_kind(late) or any(self.rules.escalates(k, late) for k in ESCALATIONS):
                wanted.add(day)
        return sorted(wanted)


@dataclass
class ReminderReport:
    day: dt.date
    skipped: bool = False  # not a working day
    tasks: int = 0
    sent: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ReminderKind.values, 0))
    already: int = 0  # sent by an earlier (or a concurrent) run

    @property
    def total(self) -> int:
        return sum(self.sent.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "skipped": self.skipped,
            "tasks": self.tasks,
            "sent": dict(self.sent),
            "already": self.already,
        }


def _open_tasks_due(day: dt.date, chunk: int = CHUNK) -> Iterator[list[Task]]:
    """The open tasks whose working-day due date is ``day``, a batch at a time (the partial
    index on open tasks by due date finds them; a day holds a few dozen at most)."""
    last = 0
    while True:
        batch = list(
            Task.objects.filter(outcome=Outcome.OPEN, effective_due=day, pk__gt=last)
            .select_related("lead_person", "lead_unit", "lead_organization", "organization")
            .order_by("pk")[:chunk]
        )
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def send_reminders(
    today: dt.date | None = None,
    *,
    calendar: WorkCalendar | None = None,
    rules: Rules | None = None,
    chunk: int = CHUNK,
) -> ReminderReport:
    """Remind and escalate for ``today`` (a working day; on a day off nothing is sent)."""
    today = today or timezone.localdate()
    calendar = calendar or WorkCalendar.load()
    rules = rules or Rules.from_settings()
    report = ReminderReport(day=today)
    if not calendar.is_working_day(today):
        report.skipped = True
        return report
    schedule = Schedule.build(today, calendar, rules)
    recipients = Recipients()
    for day in schedule.dates():
        for batch in _open_tasks_due(day, chunk):
            _remind_batch(batch, schedule, recipients, report)
    return report


def _escalated(tasks: list[Task], today: dt.date) -> dict[tuple[int, int], int]:
    """For each (task, person) escalated to since the task's current due date (before
    today: today's own are refused by the log's unique key), the strength of the strongest
    escalation they had."""
    done: dict[tuple[int, int], int] = {}
    due = {t.pk: t.effective_due for t in tasks}
    rows = (
        ReminderLog.objects.filter(task_id__in=list(due), kind__in=ESCALATIONS)
        .exclude(day=today)
        .values_list("task_id", "person_id", "kind", "day")
    )
    for task_id, person_id, kind, day in rows:
        if day >= due[task_id]:
            key = (task_id, person_id)
            done[key] = max(done.get(key, 0), STRENGTH[kind])
    return done


def _remind_batch(
    tasks: list[Task], schedule: Schedule, recipients: Recipients, report: ReminderReport
) -> None:
    recipients.prepare(tasks)
    escalated = _escalated(tasks, schedule.today)
    plans: list[tuple[Task, int, dict[int, str]]] = []
    for task in tasks:
        due = task.effective_due
        if due is None:  # not selected by the query; for the type checker
            continue
        late = schedule.days.days_late(due)
        sends: dict[int, str] = {}

        def give(people: Iterable[int], kind: str, sends: dict[int, str] = sends) -> None:
            for person_id in people:
                if STRENGTH[kind] > STRENGTH.get(sends.get(person_id, ""), 0):
                    sends[person_id] = kind

        if due in schedule.before:
            give(recipients.assignees(task), ReminderKind.BEFORE)
        elif due <= schedule.today:
            kind = schedule.rules.assignee_kind(late)
            if kind:
                give(recipients.assignees(task), kind)
            for escalation, people_of in (
                (ReminderKind.ESCALATE_HEAD, recipients.heads),
                (ReminderKind.ESCALATE_OFFICE, recipients.office),
            ):
                if schedule.rules.escalates(escalation, late):
                    # Once per person and due date; told by the Văn phòng's escalation
                    # (the stronger one, same day) means told as a head too.
                    strength = STRENGTH[escalation]
                    fresh = [p for p in people_of(task) if escalated.get((task.pk, p), 0) < strength]
                    give(fresh, escalation)
        if sends:
            plans.append((task, late, sends))
    if not plans:
        return
    people = Person.objects.in_bulk({p for _, _, sends in plans for p in sends})
    for task, late, sends in plans:
        report.tasks += 1
        ahead = schedule.before.get(task.effective_due, 0)  # type: ignore[arg-type]
        _deliver(task, sends, people, schedule.today, late, ahead, report)


def _deliver(
    task: Task,
    sends: dict[int, str],
    people: dict[int, Person],
    today: dt.date,
    late: int,
    ahead: int,
    report: ReminderReport,
) -> None:
    """One task's reminders, in one transaction: the log row claims each (task, person,
    kind, day) before its notification is made; a claim already taken sends nothing."""
    with transaction.atomic():
        for person_id, kind in sorted(sends.items()):
            person = people.get(person_id)
            if person is None:
                continue
            try:
                with transaction.atomic():
                    ReminderLog.objects.create(task=task, person=person, kind=kind, day=today)
            except IntegrityError:
                report.already += 1
                continue
            title, body = reminder_text(task, kind, late=late, ahead=ahead)
            url, subject = task_url(task.pk), f"tasks.task:{task.pk}"
            notify(
                person,
                NOTIFICATION_KIND[kind],
                title,
                body,
                url,
                subject=subject,
                classification=task.classification,
                neutral_title=classified_line(task) if task.classification else "",
            )
            report.sent[kind] += 1


def lead_label(task: Task) -> str:
    if task.lead_person_id is not None:
        return f"{task.lead_person} ({task.lead_organization.short_name or task.lead_organization})"
    if task.lead_unit_id is not None:
        return f"{task.lead_unit} – {task.lead_organization.short_name or task.lead_organization}"
    return str(task.lead_organization)


def due_text(task: Task) -> str:
    if task.due_date is None:
        return "không có hạn"
    text = f"{task.due_date:%d/%m/%Y}"
    if task.effective_due and task.effective_due != task.due_date:
        text += f" (trùng ngày nghỉ, tính đến {task.effective_due:%d/%m/%Y})"
    return text


# A classified task's title is often a secret document's subject: what leaves the system by
# e-mail about one says no more than this (the notification page has the rest).
CLASSIFIED_TASK = "Có nhiệm vụ mật cần xử lý"
CLASSIFIED_SEE = "xem trên hệ thống"


def classified_line(task: Task) -> str:
    """The neutral line an e-mail about a classified task carries (only its due date)."""
    due = f" (hạn {task.due_date:%d/%m/%Y})" if task.due_date else ""
    return f"{CLASSIFIED_TASK}{due}, {CLASSIFIED_SEE}"


def reminder_text(task: Task, kind: str, *, late: int = 0, ahead: int = 0) -> tuple[str, str]:
    """The title and body of a reminder, in Vietnamese."""
    title = task.title
    if kind == ReminderKind.BEFORE:
        heading = f"Còn {ahead} ngày làm việc đến hạn: {title}"
    elif kind == ReminderKind.DUE:
        heading = f"Hôm nay đến hạn: {title}"
    elif kind == ReminderKind.OVERDUE:
        heading = f"Quá hạn {late} ngày làm việc: {title}"
    elif kind == ReminderKind.ESCALATE_HEAD:
        heading = f"Báo lãnh đạo đơn vị chủ trì — nhiệm vụ quá hạn {late} ngày làm việc: {title}"
    else:
        heading = f"Báo Văn phòng theo dõi — nhiệm vụ quá hạn {late} ngày làm việc: {title}"
    lines = [
        f"Hạn hoàn thành: {due_text(task)}.",
        f"Chủ trì: {lead_label(task)}.",
        f"Cơ quan giao: {task.organization}.",
        f"Tiến độ: {task.progress}% ({task.get_state_display().lower()}).",
    ]
    if kind in ESCALATIONS:
        lines.append("Đơn vị chủ trì chưa báo cáo hoàn thành. Đề nghị đôn đốc, nắm tình hình.")
    elif kind == ReminderKind.OVERDUE:
        lines.append("Đề nghị khẩn trương hoàn thành hoặc đề nghị gia hạn, nêu rõ lý do.")
    return heading, "\n".join(lines)


# --- The daily digest's task sections -----------------------------------------------------------

# The tasks that share their assignees: who must do a task depends on its lead and its
# classification only (and, for a classified task led by an organisation or a unit, on who
# is named on it — see ``_named_rows``).
GROUP = ("lead_organization_id", "lead_unit_id", "lead_person_id", "classification")
Group = tuple[int, int | None, int | None, int]
OVERDUE, SOON = 0, 1


@dataclass(frozen=True)
class _Row:
    pk: int
    title: str
    due: dt.date
    classification: int

    @property
    def order(self) -> tuple[dt.date, int]:
        return (self.due, self.pk)


@dataclass
class _PersonTasks:
    groups: list[Group] = field(default_factory=list)
    totals: list[int] = field(default_factory=lambda: [0, 0])  # overdue, due soon
    named: list[list[_Row]] = field(default_factory=lambda: [[], []])  # tasks naming them


def _group_counts(open_due: Any, day: dt.date) -> dict[Group, tuple[int, int]]:
    """Overdue and due-soon open tasks per group, counted in SQL."""
    rows = (
        open_due.values(*GROUP)
        .annotate(
            overdue=Count("pk", filter=Q(effective_due__lt=day)),
            soon=Count("pk", filter=Q(effective_due__gte=day)),
        )
        .order_by()
    )
    return {tuple(r[k] for k in GROUP): (r["overdue"], r["soon"]) for r in rows}  # type: ignore[misc]


def _group_firsts(open_due: Any, day: dt.date) -> dict[Group, tuple[list[_Row], list[_Row]]]:
    """The first ``DIGEST_ITEMS`` tasks of each group in each section (oldest due first),
    numbered by a window function: a person's first tasks are among their groups' first."""
    section = Case(When(effective_due__lt=day, then=Value(OVERDUE)), default=Value(SOON))
    ranked = (
        open_due.annotate(
            section=section,
            rank=Window(
                RowNumber(),
                partition_by=[*(F(k) for k in GROUP), section],
                order_by=[F("effective_due").asc(), F("pk").asc()],
            ),
        )
        .filter(rank__lte=DIGEST_ITEMS)
        .values("pk", "title", "effective_due", "section", *GROUP)
    )
    firsts: dict[Group, tuple[list[_Row], list[_Row]]] = defaultdict(lambda: ([], []))
    for r in ranked:
        key: Group = tuple(r[k] for k in GROUP)  # type: ignore[assignment]
        firsts[key][r["section"]].append(_Row(r["pk"], r["title"], r["effective_due"], r["classification"]))
    return firsts


def _named_rows(open_due: Any, wanted: dict[Group, frozenset[int]]) -> Iterator[tuple[_Row, set[int]]]:
    """The classified tasks of ``wanted``'s groups naming one of their people who see such a
    task only when named on it, with who of them it names. Such people are rare (a cleared
    chuyên viên of a lead unit, named as issuer, creator or party), and so are their tasks."""
    people = set().union(*wanted.values())
    if not people:
        return
    qs = open_due.filter(
        classification__gt=0,
        lead_person__isnull=True,
        lead_organization_id__in={k[0] for k in wanted},
    ).filter(
        Q(issued_by_id__in=people)
        | Q(created_by_id__in=people)
        | Exists(TaskParty.objects.filter(task=OuterRef("pk"), person_id__in=people))
    )
    rows = list(qs.values("pk", "title", "effective_due", "issued_by_id", "created_by_id", *GROUP))
    parties: dict[int, set[int]] = defaultdict(set)
    for task_id, person_id in TaskParty.objects.filter(
        task_id__in=[r["pk"] for r in rows], person_id__in=people
    ).values_list("task_id", "person_id"):
        parties[task_id].add(person_id)
    for r in rows:
        key: Group = tuple(r[k] for k in GROUP)  # type: ignore[assignment]
        named = ({r["issued_by_id"], r["created_by_id"]} | parties[r["pk"]]) & wanted.get(key, frozenset())
        if named:
            yield _Row(r["pk"], r["title"], r["effective_due"], r["classification"]), named


def digest_sections(day: dt.date, *, calendar: WorkCalendar | None = None) -> dict[int, list[DigestSection]]:
    """For the daily digest: each assignee's open tasks overdue (most late first) and due
    soon (soonest first), up to ``DIGEST_ITEMS`` of each with the count of all.

    The tasks are never loaded one by one: they are counted per group of tasks sharing
    their assignees (lead, classification) in SQL, and only each group's first few are
    read; a person's sections add up their groups. A constant number of queries, however
    long the backlog. A classified task is listed by the neutral line only."""
    calendar = calendar or WorkCalendar.load()
    soon_until = due_soon_until(calendar, day)
    open_due = Task.objects.filter(outcome=Outcome.OPEN, effective_due__lte=soon_until)
    counts = _group_counts(open_due, day)
    if not counts:
        return {}
    recipients = Recipients()
    recipients.directory.load({k[0] for k in counts if k[2] is None})
    lead_people = {k[2] for k in counts if k[2] is not None}
    leads = Person.objects.only("pk", "active", "clearance").in_bulk(lead_people)
    mine: dict[int, _PersonTasks] = defaultdict(_PersonTasks)
    if_named: dict[Group, frozenset[int]] = {}
    for key, (overdue, soon) in counts.items():
        organization_id, unit_id, person_id, classification = key
        if person_id is not None:
            everyone = {person_id} if Recipients.cleared(leads.get(person_id), classification) else set()
        else:
            members = recipients.lead_members(organization_id, unit_id)
            everyone, if_named[key] = recipients.split(classification, members)  # type: ignore[assignment]
        for person in everyone:
            entry = mine[person]
            entry.groups.append(key)
            entry.totals[OVERDUE] += overdue
            entry.totals[SOON] += soon
    for row, named in _named_rows(open_due, {k: v for k, v in if_named.items() if v}):
        section = OVERDUE if row.due < day else SOON
        for person in named:
            entry = mine[person]
            entry.totals[section] += 1
            entry.named[section].append(row)
    if not mine:
        return {}
    firsts = _group_firsts(open_due, day)
    overdue_dues = [r.due for rows in firsts.values() for r in rows[OVERDUE]]
    days = WorkingDays(calendar, day, min(overdue_dues) if overdue_dues else None)

    def item(row: _Row) -> DigestItem:
        if row.due < day:
            note = f"quá hạn {days.days_late(row.due)} ngày làm việc, hạn {row.due:%d/%m/%Y}"
        elif row.due == day:
            note = "hạn hôm nay"
        else:
            note = f"hạn {row.due:%d/%m/%Y}"
        label = row.title if row.classification == 0 else f"{CLASSIFIED_TASK}, {CLASSIFIED_SEE}"
        return DigestItem(label=label, url=task_url(row.pk), note=note)

    result: dict[int, list[DigestSection]] = {}
    for person_id, entry in mine.items():
        sections = []
        for section, section_key, title, status in (
            (OVERDUE, "tasks.overdue", "Nhiệm vụ quá hạn", "overdue"),
            (SOON, "tasks.due_soon", "Nhiệm vụ sắp đến hạn", "due_soon"),
        ):
            if not entry.totals[section]:
                continue
            rows = [r for g in entry.groups for r in firsts.get(g, ([], []))[section]] + entry.named[section]
            rows = sorted(rows, key=lambda r: r.order)[:DIGEST_ITEMS]
            sections.append(
                DigestSection(
                    key=section_key,
                    title=title,
                    items=tuple(item(r) for r in rows),
                    total=entry.totals[section],
                    url=_list_url(status),
                )
            )
        result[person_id] = sections
    return result
