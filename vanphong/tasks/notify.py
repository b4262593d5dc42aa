"""The task engine telling people what happened to a task (``task_event``, sent after the
change committed), and its sections of the daily digest.

* a task is given: its assignees (chủ trì), and the people of the cooperating parties;
* completion reported, more time asked: the assigner (the issuing leader, who entered it);
* returned, confirmed, extension approved or refused, cancelled: the lead (its assignees),
  and the person who reported the completion or asked for the time.

Nobody is told about their own action, and nobody is told about a task they may not see.
The notification of a classified task carries its classification: no e-mail about it says
more than a neutral line with the due date (``reminders.classified_line``).
A failure here is logged and does not reach the person who acted: their change is already
committed, and the notification is not worth an error page.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction

from vanphong.notifications import digest
from vanphong.notifications.digest import DigestSection
from vanphong.notifications.services import notify
from vanphong.orgs.actors import Actor, person_of
from vanphong.orgs.models import Person
from vanphong.tasks import reminders
from vanphong.tasks.models import EventKind, ExtensionRequest, ExtensionState, Outcome, Task, TaskEvent
from vanphong.tasks.signals import task_event

logger = logging.getLogger(__name__)

TO_ASSIGNER = {EventKind.COMPLETED, EventKind.EXTENSION_REQUESTED}
TO_LEAD = {
    EventKind.RETURNED,
    EventKind.CONFIRMED,
    EventKind.EXTENSION_APPROVED,
    EventKind.EXTENSION_REFUSED,
    EventKind.CANCELLED,
}


def _actor_id(actor: Actor | Person | None) -> int | None:
    person = actor if isinstance(actor, Person) else person_of(actor)
    return person.pk if person is not None else None


def _by(event: TaskEvent) -> str:
    return f" ({event.actor})" if event.actor_id else ""


def _excerpt(text: str, limit: int = 500) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def event_text(task: Task, event: TaskEvent, *, cooperating: bool = False) -> tuple[str, str]:
    """The title and body of the notification of ``event``, in Vietnamese."""
    kind = event.kind
    title = task.title
    lines: list[str] = []
    if kind == EventKind.CREATED:
        heading = f"{'Được giao phối hợp' if cooperating else 'Được giao chủ trì'}: {title}"
        giver = f"{task.organization}" + (f", {task.issued_by}" if task.issued_by_id else "")
        lines = [f"Cơ quan giao: {giver}.", f"Chủ trì: {reminders.lead_label(task)}."]
        lines.append(f"Hạn hoàn thành: {reminders.due_text(task)}.")
        if task.content:
            lines.append(_excerpt(task.content))
    elif kind == EventKind.COMPLETED:
        late = " (quá hạn)" if task.outcome == Outcome.LATE else ""
        heading = f"Báo cáo hoàn thành{late}: {title}"
        done_on = f"{task.completed_on:%d/%m/%Y}" if task.completed_on else ""
        lines = [f"{reminders.lead_label(task)} báo cáo hoàn thành ngày {done_on}{_by(event)}."]
        lines.append(f"Kết quả: {_excerpt(event.text)}")
        lines.append("Đề nghị xem và xác nhận hoàn thành hoặc trả lại.")
    elif kind == EventKind.EXTENSION_REQUESTED:
        heading = f"Xin gia hạn: {title}"
        lines = [f"{reminders.lead_label(task)} xin gia hạn{_by(event)}: {_excerpt(event.text)}."]
        lines.append(f"Hạn hiện tại: {reminders.due_text(task)}. Đề nghị cho ý kiến đồng ý hoặc không.")
    elif kind == EventKind.RETURNED:
        heading = f"Trả lại, yêu cầu thực hiện tiếp: {title}"
        lines = [f"Lý do{_by(event)}: {_excerpt(event.text)}", f"Hạn hoàn thành: {reminders.due_text(task)}."]
    elif kind == EventKind.CONFIRMED:
        heading = f"Đã xác nhận hoàn thành: {title}"
        lines = [f"Người giao đã xác nhận kết quả{_by(event)}."]
        if event.text:
            lines.append(_excerpt(event.text))
    elif kind == EventKind.EXTENSION_APPROVED:
        heading = f"Đồng ý gia hạn: {title}"
        lines = [f"Hạn mới: {reminders.due_text(task)}{_by(event)}."]
    elif kind == EventKind.EXTENSION_REFUSED:
        heading = f"Không đồng ý gia hạn: {title}"
        lines = [f"Ý kiến{_by(event)}: {_excerpt(event.text)}", f"Hạn vẫn là: {reminders.due_text(task)}."]
    else:  # cancelled
        heading = f"Nhiệm vụ đã hủy: {title}"
        lines = [f"Lý do{_by(event)}: {_excerpt(event.text)}"]
    return heading, "\n".join(lines)


def _doer(task: Task, event: TaskEvent) -> int | None:
    """Who reported the completion (for a confirmation or a return) or asked for the time
    (for a decision on it): they hear the answer even when not among the assignees."""
    if event.kind in (EventKind.CONFIRMED, EventKind.RETURNED):
        return (
            TaskEvent.objects.filter(task=task, kind=EventKind.COMPLETED, at__lte=event.at)
            .order_by("-at", "-id")
            .values_list("actor_id", flat=True)
            .first()
        )
    if event.kind in (EventKind.EXTENSION_APPROVED, EventKind.EXTENSION_REFUSED):
        return (
            ExtensionRequest.objects.filter(
                task=task, state__in=[ExtensionState.APPROVED, ExtensionState.REFUSED]
            )
            .order_by("-decided_at", "-id")
            .values_list("requested_by_id", flat=True)
            .first()
        )
    return None


def notify_event(task: Task, event: TaskEvent, actor: Actor | Person | None) -> int:
    """Make the notifications of one task event; returns how many were made."""
    kind = event.kind
    if kind not in TO_ASSIGNER | TO_LEAD | {EventKind.CREATED}:
        return 0
    task = Task.objects.select_related(
        "lead_person", "lead_unit", "lead_organization", "organization", "issued_by", "created_by"
    ).get(pk=task.pk)
    recipients = reminders.Recipients()
    recipients.prepare([task])
    plan: dict[int, bool] = {}  # person → told as cooperating party
    if kind == EventKind.CREATED:
        for person_id in recipients.cooperating(task):
            plan[person_id] = True
        for person_id in recipients.assignees(task):
            plan[person_id] = False
    elif kind in TO_ASSIGNER:
        plan = dict.fromkeys(recipients.assigners(task), False)
    else:
        plan = dict.fromkeys(recipients.assignees(task), False)
        doer = _doer(task, event)
        if doer is not None and doer not in plan:
            person = Person.objects.filter(pk=doer).first()
            if person is not None and person.active and person.clearance >= task.classification:
                plan[doer] = False
    plan.pop(_actor_id(actor), None)  # type: ignore[arg-type]
    if not plan:
        return 0
    people = Person.objects.in_bulk(list(plan))
    made = 0
    url = reminders.task_url(task.pk)
    # All an e-mail may say of a classified task (the notification page has the rest).
    neutral = reminders.classified_line(task) if task.classification else ""
    with transaction.atomic():
        for person_id, cooperating in sorted(plan.items()):
            person = people.get(person_id)
            if person is None:
                continue
            title, body = event_text(task, event, cooperating=cooperating)
            suffix = "cooperate" if cooperating else kind
            if notify(
                person,
                f"task.{suffix}",
                title,
                body,
                url,
                subject=f"tasks.task:{task.pk}",
                classification=task.classification,
                neutral_title=neutral,
            ):
                made += 1
    return made


def on_task_event(
    sender: Any, task: Task, event: TaskEvent, actor: Actor | Person | None = None, **kwargs: Any
) -> None:
    try:
        notify_event(task, event, actor)
    except Exception:
        logger.exception("could not notify task event %s (%s) of task %s", event.pk, event.kind, task.pk)


task_event.connect(on_task_event, dispatch_uid="tasks.notify_event")


@digest.register("tasks")
def task_digest(day: dt.date) -> dict[int, list[DigestSection]]:
    """Each assignee's open tasks overdue and due soon, for the daily digest."""
    return reminders.digest_sections(day)
