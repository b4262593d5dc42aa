"""One demo task carried through the services, its events moved to the days the story puts
them on."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max
from django.utils import timezone

from vanphong.accounts.models import User
from vanphong.demo.tasks.cast import OFFICE_UNIT_HEADS, Cast
from vanphong.demo.tasks.words import (
    CANCEL_REASONS,
    EXTENSION_REASONS,
    PROGRESS_TEXTS,
    RESULT_TEXTS,
    RETURN_REASONS,
    aware,
)
from vanphong.orgs.models import Organization, Person, Unit
from vanphong.tasks import services
from vanphong.tasks.access import may_backdate, may_work
from vanphong.tasks.calendar import WorkCalendar
from vanphong.tasks.models import (
    ExtensionRequest,
    Outcome,
    Task,
    TaskEvent,
    TaskState,
)

# --- The demo through the services ------------------------------------------------------------


def account(person: Person) -> User:
    """The account a demo person acts with: every person of the demo's cast has one."""
    assert person.user is not None
    return person.user


@dataclass
class Story:
    """Gives and plays out the demo tasks, each step through a service, and puts each step
    on the day the story says it happened."""

    cast: Cast
    today: dt.date
    rng: random.Random
    calendar: WorkCalendar
    soon_until: dt.date
    tasks: list[Task] = field(default_factory=list)
    _hour: dict[int, int] = field(default_factory=dict)

    # --- plumbing

    def _stamp(self, task: Task, day: dt.date) -> dt.datetime:
        """A time on ``day`` later than the task's previous steps on the same day."""
        step = self._hour.get(task.pk, 0) + 1
        self._hour[task.pk] = step
        return aware(day, 8) + dt.timedelta(minutes=7 * step)

    def _last_event(self) -> int:
        return TaskEvent.objects.aggregate(m=Max("id"))["m"] or 0

    def _backdate(self, task: Task, since: int, day: dt.date, **task_fields: str) -> dt.datetime:
        when = self._stamp(task, day)
        TaskEvent.objects.filter(id__gt=since).update(at=when)
        if task_fields:
            Task.objects.filter(pk=task.pk).update(**{f: when for f in task_fields})
        return when

    def target(self, spec: str, commune: str | None = None) -> Organization | Unit | Person:
        if spec.startswith("unit:"):
            _prefix, org, abbreviation = spec.split(":", 2)
            return self.cast.units[(org, abbreviation)]
        if spec == "commune":
            return self.cast.orgs[commune or self.rng.choice(self.cast.communes)]
        if spec.startswith("commune:"):
            communes = self.cast.communes
            return self.cast.orgs[communes[int(spec.split(":")[1]) % len(communes)]]
        return self.cast.orgs[spec]

    def _lead_key(self, task: Task) -> str:
        return self.cast.key_of(task.lead_organization_id)

    def _cleared(self, task: Task, *candidates: Person | None) -> Person:
        """The first candidate cleared for the task's classification (else the Bí thư)."""
        for person in candidates:
            if person is not None and person.clearance >= task.classification:
                return person
        return self.cast.people["bithu"]

    def doer(self, task: Task, *, head: bool) -> Person:
        if task.lead_person_id:
            return task.lead_person  # type: ignore[return-value]
        key = self._lead_key(task)
        head_person = self.cast.head_of(key)
        if key == "vptu" and task.lead_unit_id:
            unit_head = OFFICE_UNIT_HEADS.get(task.lead_unit.abbreviation)  # type: ignore[union-attr]
            head_person = self.cast.people.get(unit_head or "", head_person)
        if head:
            return self._cleared(task, head_person)
        return self._cleared(task, self.cast.staff_of(key), head_person)

    def manager(self, task: Task) -> Person:
        key = self.cast.key_of(task.organization_id)
        if key == "tinhuy":
            return self._cleared(task, self.cast.people.get("phochanhvp1"), self.cast.people["chanhvp"])
        return self._cleared(task, self.cast.head_of(key))

    def between(self, low: dt.date, high: dt.date) -> dt.date:
        if high <= low:
            return low
        return low + dt.timedelta(days=self.rng.randint(0, (high - low).days))

    # --- giving

    def give(
        self,
        *,
        actor: Person,
        organization: Organization,
        title: str,
        lead: Any,
        assigned_on: dt.date,
        due: dt.date | None,
        cooperating: list[Any] | None = None,
        **fields: Any,
    ) -> Task:
        since = self._last_event()
        task = services.task_create(
            actor=account(actor),
            organization=organization,
            title=title,
            lead=lead,
            cooperating=cooperating or [],
            due_date=due,
            assigned_on=assigned_on,
            calendar=self.calendar,
            **fields,
        )
        self._backdate(task, since, assigned_on, created_at="created_at")
        self.tasks.append(task)
        return task

    # --- the steps

    def accept(self, task: Task, day: dt.date) -> None:
        if task.state != TaskState.ASSIGNED:
            return
        since = self._last_event()
        services.task_accept(actor=account(self.doer(task, head=False)), task=task)
        self._backdate(task, since, day, accepted_at="accepted_at")

    def report(self, task: Task, day: dt.date, percent: int | None) -> None:
        since = self._last_event()
        has_children = task.children.exclude(outcome=Outcome.CANCELLED).exists()
        services.task_report_progress(
            actor=account(self.doer(task, head=False)),
            task=task,
            text=self.rng.choice(PROGRESS_TEXTS),
            percent=None if has_children else percent,
        )
        self._backdate(task, since, day)

    def progress(self, task: Task, start: dt.date, end: dt.date, reports: int) -> None:
        """``reports`` progress reports between ``start`` and ``end``, percents rising from
        the task's present progress (none past 90: 100% is a completion)."""
        if reports <= 0 or end < start:
            return
        above = list(range(task.progress // 10 * 10 + 10, 100, 10))
        percents: list[int | None] = sorted(self.rng.sample(above, min(reports, len(above))))  # type: ignore[assignment]
        percents += [None] * (reports - len(percents))
        days = sorted(self.between(start, end) for _ in percents)
        for day, percent in zip(days, percents, strict=True):
            self.report(task, day, percent)

    def completer(self, task: Task, day: dt.date) -> tuple[Person, str]:
        """Who reports the completion, and how. On the day itself, the lead. A completion
        dated earlier is recorded by the assigner's side from the lead's report (the services
        let no doer date their own completion back): the first of the manager, the issuing
        leader, the giver's head and the Bí thư who may both work on and backdate the task."""
        text = self.rng.choice(RESULT_TEXTS)
        doer = self.doer(task, head=True)
        if day >= timezone.localdate():
            return doer, text
        candidates = [
            self.manager(task),
            task.issued_by,
            self.cast.head_of(self.cast.key_of(task.organization_id)),
        ]
        for person in [*candidates, self.cast.people["bithu"]]:
            if (
                person is not None
                and person.clearance >= task.classification
                and person.user is not None
                and may_work(person.user, task)
                and may_backdate(person.user, task)
            ):
                lead = task.lead_person or task.lead_unit or task.lead_organization
                return person, f"Ghi nhận theo báo cáo của {lead}: {text[0].lower()}{text[1:]}"
        return doer, text

    def complete(self, task: Task, day: dt.date) -> None:
        since = self._last_event()
        person, text = self.completer(task, day)
        services.task_complete(actor=account(person), task=task, text=text, on=day)
        self._backdate(task, since, day, completed_at="completed_at")

    def confirm(self, task: Task, day: dt.date) -> None:
        since = self._last_event()
        services.task_confirm(actor=account(self.manager(task)), task=task, text="Đồng ý kết quả thực hiện.")
        self._backdate(task, since, day, confirmed_at="confirmed_at")

    def give_back(self, task: Task, day: dt.date) -> None:
        since = self._last_event()
        services.task_return(
            actor=account(self.manager(task)), task=task, reason=self.rng.choice(RETURN_REASONS)
        )
        self._backdate(task, since, day)

    def cancel(self, task: Task, day: dt.date) -> None:
        since = self._last_event()
        services.task_cancel(
            actor=account(self.manager(task)), task=task, reason=self.rng.choice(CANCEL_REASONS)
        )
        self._backdate(task, since, day)

    def extension(self, task: Task, day: dt.date, *, decide: bool | None, days: int = 30) -> dt.date:
        """Ask for ``days`` more on ``day``; decide the next working day (approve, refuse or,
        with ``decide`` None, leave pending). Returns the day of the last step."""
        due = task.due_date
        assert due is not None  # only a task with a due date is extended
        new_due = due + dt.timedelta(days=days)
        parent = task.parent if task.parent_id is not None else None
        if parent is not None and parent.due_date is not None:
            new_due = min(new_due, parent.due_date)  # never past the parent's
        if new_due <= due:
            return day
        since = self._last_event()
        request = services.extension_request(
            actor=account(self.doer(task, head=True)),
            task=task,
            new_due_date=new_due,
            reason=self.rng.choice(EXTENSION_REASONS),
        )
        asked = self._backdate(task, since, day)
        ExtensionRequest.objects.filter(pk=request.pk).update(requested_at=asked)
        if decide is None:
            return day
        on = min(self.calendar.add_working_days(day, 1), self.today)
        since = self._last_event()
        services.extension_decide(
            actor=account(self.manager(task)),
            request=request,
            approve=decide,
            note="" if decide else "Đề nghị khẩn trương hoàn thành đúng thời hạn đã giao.",
            calendar=self.calendar,
        )
        decided = self._backdate(task, since, on)
        ExtensionRequest.objects.filter(pk=request.pk).update(decided_at=decided)
        return on

    def maybe_confirm(self, task: Task) -> None:
        if task.state == TaskState.COMPLETED and self.rng.random() < 0.8:
            done = task.completed_on
            assert done is not None  # a completed task has its day
            self.confirm(task, min(self.today, done + dt.timedelta(days=self.rng.randint(0, 4))))

    # --- playing a task out

    def fate_for(self, task: Task) -> str:
        due, today = task.effective_due, self.today
        r = self.rng.random()
        if due is None:
            return "early" if r < 0.5 else "open"
        if due < today:
            for fate, p in (
                ("cancel", 0.03),
                ("on_time", 0.66),
                ("late", 0.78),
                ("extend_done", 0.83),
                ("return_done", 0.86),
                ("return_open", 0.88),
                ("extend_open", 0.91),
            ):
                if r < p:
                    return fate
            return "overdue"
        if due <= self.soon_until:
            return "extend_open" if r < 0.1 else "open"
        if r < 0.12:
            return "early"
        if r < 0.14:
            return "cancel"
        return "extend_open" if r < 0.17 else "open"

    def play(self, task: Task, fate: str | None = None) -> None:
        """Carry ``task`` through to ``fate`` (drawn from its dates when not given)."""
        task.refresh_from_db()
        fate = fate or self.fate_for(task)
        today, start, due = self.today, task.assigned_on, task.effective_due
        floor = start  # a parent is completed after its last subtask
        if task.children.exists():
            fate = self._parent_fate(task, task.children.filter(outcome=Outcome.OPEN).exists())
            floor = max(start, task.children.aggregate(m=Max("completed_on"))["m"] or start)
        last_day = min(today, due) if due else today
        if fate == "cancel":
            self.cancel(task, self.between(start, last_day))
            return
        accepted = self.between(start, min(start + dt.timedelta(days=2), last_day))
        if fate != "open" or self.rng.random() < 0.75:
            self.accept(task, accepted)
        if task.state == TaskState.ASSIGNED:
            return
        if fate in ("on_time", "early", "return_done", "return_open"):
            end = today if fate == "early" else last_day
            done = max(floor, self.between(max(accepted, end - dt.timedelta(days=10)), end))
            self.progress(task, accepted, done, self.rng.randint(0, 2))
            self.complete(task, done)
            if fate.startswith("return"):
                back = self.between(done, min(today, done + dt.timedelta(days=3)))
                self.give_back(task, back)
                if fate == "return_done":
                    self.complete(task, self.between(back, min(today, back + dt.timedelta(days=7))))
            self.maybe_confirm(task)
        elif fate == "late" and due is not None and due < today:
            done = max(
                floor, self.between(due + dt.timedelta(days=1), min(today, due + dt.timedelta(days=25)))
            )
            self.progress(task, accepted, due, self.rng.randint(1, 3))
            self.complete(task, done)
            self.maybe_confirm(task)
        elif fate in ("extend_done", "extend_open") and due is not None:
            ask = self.between(accepted, max(accepted, min(today, due - dt.timedelta(days=3))))
            self.progress(task, accepted, ask, 1)
            decided = self.extension(task, ask, decide=True, days=self.rng.choice((15, 20, 30)))
            task.refresh_from_db()
            new_due = task.effective_due or due
            if fate == "extend_done" and due < today:
                done = self.between(max(decided, due + dt.timedelta(days=1)), min(today, new_due))
                self.complete(task, done)
                self.maybe_confirm(task)
            else:
                self.progress(task, decided, min(today, new_due), 1)
        elif fate == "overdue":
            if due is not None and due > accepted and self.rng.random() < 0.4:
                ask = self.between(accepted, due)
                self.progress(task, accepted, ask, 1)
                refuse = self.rng.random() < 0.6
                after = self.extension(task, ask, decide=False if refuse else None)
                self.progress(task, after, today, self.rng.randint(0, 2))
            else:
                self.progress(task, accepted, today, self.rng.randint(1, 3))
        else:  # open: in progress, maybe waiting for an extension
            if self.rng.random() < 0.7:
                self.progress(task, accepted, today, self.rng.randint(1, 2))
            if due is not None and due <= self.soon_until and self.rng.random() < 0.15:
                self.extension(task, last_day, decide=None)

    def _parent_fate(self, task: Task, open_children: bool) -> str:
        """A parent is done only once its subtasks are: done late or on time by the last one."""
        if open_children:
            return "overdue" if task.effective_due and task.effective_due < self.today else "open"
        last = task.children.aggregate(m=Max("completed_on"))["m"]
        if last is None:
            return "open"
        if task.effective_due is not None and last > task.effective_due:
            return "late"
        return "on_time"
