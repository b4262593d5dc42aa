"""The daily run: working days counted once, the schedule of reminders and escalations, one
``ReminderLog`` row per task, person, kind and day written with its notification."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone

from vanphong.notifications.services import notify
from vanphong.orgs.models import Person
from vanphong.tasks.calendar import ONE_DAY, WorkCalendar
from vanphong.tasks.models import Outcome, ReminderKind, ReminderLog, Task
from vanphong.tasks.reminders.recipients import Recipients
from vanphong.tasks.reminders.texts import (
    CHUNK,
    ESCALATIONS,
    NOTIFICATION_KIND,
    STRENGTH,
    classified_line,
    reminder_text,
    task_url,
)

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
        task_due = due[task_id]
        if task_due is not None and day >= task_due:
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
