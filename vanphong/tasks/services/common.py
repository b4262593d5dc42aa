"""What the task services share: who is acting, the history event, the audit entry, the
parties, the roll-up of a breakdown, and the locks and checks every action starts with."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Avg, Case, IntegerField, Value, When
from django.utils.translation import gettext as _

from vanphong.audit.services import audit_record
from vanphong.core.files import Spooled, Upload, spool_upload, store_spooled
from vanphong.orgs.actors import Actor, person_of
from vanphong.orgs.models import Organization, Person, Unit
from vanphong.tasks.access import may_manage, may_work
from vanphong.tasks.models import (
    OPEN_STATES,
    EvidenceFile,
    Outcome,
    Task,
    TaskEvent,
    TaskParty,
)
from vanphong.tasks.signals import task_event

Target = Organization | Unit | Person
MAX_TITLE = 500


def _person(actor: Actor | Person | None) -> Person | None:
    """The person acting; the engine's own callers (the demo's seed) may pass the person."""
    return actor if isinstance(actor, Person) else person_of(actor)


def _announce(task: Task, event: TaskEvent, actor: Actor | None) -> None:
    transaction.on_commit(lambda: task_event.send(sender=Task, task=task, event=event, actor=actor))


def _audit(
    actor: Actor | None, action: str, task: Task, before: dict[str, Any] | None, after: dict[str, Any]
) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=task,
        organization_id=task.organization_id,
        before=before,
        after=after,
    )


def _state(task: Task) -> dict[str, Any]:
    return {
        "state": task.state,
        "progress": task.progress,
        "due_date": task.due_date,
        "completed_on": task.completed_on,
        "outcome": task.outcome,
    }


def _event(
    task: Task,
    kind: str,
    actor: Actor | Person | None,
    *,
    text: str = "",
    percent: int | None = None,
    documents: Iterable[Any] = (),
    files: Sequence[Spooled] = (),
) -> TaskEvent:
    event = TaskEvent.objects.create(task=task, kind=kind, actor=_person(actor), text=text, percent=percent)
    docs = list(documents)
    if docs:
        event.documents.set(docs)
    for spooled in files:
        evidence = EvidenceFile(
            event=event,
            original_name=spooled.original_name,
            content_type=spooled.content_type,
            size=spooled.size,
            sha256=spooled.sha256,
        )
        store_spooled(spooled, evidence.file)
        evidence.save()
    return event


def _spool_all(uploads: Iterable[Upload]) -> list[Spooled]:
    """Spool every upload before anything is written, so that a bad file loses nothing."""
    spooled: list[Spooled] = []
    try:
        for upload in uploads:
            spooled.append(spool_upload(upload))
    except BaseException:
        for s in spooled:
            s.discard()
        raise
    return spooled


def _discard(spooled: Iterable[Spooled]) -> None:
    for s in spooled:
        s.discard()


def _lead_columns(lead: Target) -> dict[str, Any]:
    if isinstance(lead, Organization):
        return {"lead_organization": lead, "lead_unit": None, "lead_person": None}
    if isinstance(lead, Unit):
        return {"lead_organization": lead.organization, "lead_unit": lead, "lead_person": None}
    if isinstance(lead, Person):
        return {"lead_organization": lead.organization, "lead_unit": lead.unit, "lead_person": lead}
    raise ValidationError({"lead": _("Hãy chọn cơ quan, phòng hoặc cán bộ chủ trì.")})


def _party(role: str, target: Target) -> TaskParty:
    if isinstance(target, Organization):
        return TaskParty(role=role, organization=target)
    if isinstance(target, Unit):
        return TaskParty(role=role, unit=target)
    return TaskParty(role=role, person=target)


def _is_active(target: Target) -> bool:
    return bool(getattr(target, "active", True))


def _key(target: Target) -> tuple[str, int]:
    return (type(target).__name__, target.pk)


def _rollup(task: Task) -> None:
    """Recompute the progress of ``task``'s ancestors from their children: a completed child
    counts 100%, a cancelled one not at all."""
    parent_id = task.parent_id
    while parent_id is not None:
        parent = Task.objects.select_for_update().get(pk=parent_id)
        average = (
            Task.objects.filter(parent_id=parent_id)
            .exclude(outcome=Outcome.CANCELLED)
            .aggregate(
                p=Avg(
                    Case(
                        When(outcome__in=[Outcome.ON_TIME, Outcome.LATE], then=Value(100)),
                        default="progress",
                        output_field=IntegerField(),
                    )
                )
            )["p"]
        )
        progress = 0 if average is None else round(average)
        if parent.outcome == Outcome.OPEN and progress >= 100:
            progress = 99  # the parent itself is done only when it is reported done
        if parent.outcome == Outcome.OPEN and parent.progress != progress:
            Task.objects.filter(pk=parent.pk).update(progress=progress)
        parent_id = parent.parent_id


def _locked(task: Task) -> Task:
    """The task's row, locked — after its ancestors' rows, root first, so that every change
    (a child reporting, which rolls up; a parent being cancelled, which goes down) takes
    the locks of one tree in the same order and two of them never wait on each other."""
    chain, parent_id = [], task.parent_id
    while parent_id is not None:
        chain.append(parent_id)
        parent_id = Task.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
    for ancestor in reversed(chain):
        Task.objects.select_for_update().filter(pk=ancestor).values_list("pk", flat=True).first()
    return (
        Task.objects.select_for_update().select_related("lead_organization", "organization").get(pk=task.pk)
    )


def _require_work(actor: Actor, task: Task) -> None:
    if not may_work(actor, task):
        raise PermissionDenied(_("Bạn không phải nơi chủ trì thực hiện nhiệm vụ này."))


def _require_manage(actor: Actor, task: Task) -> None:
    if not may_manage(actor, task):
        raise PermissionDenied(_("Chỉ người giao nhiệm vụ (hoặc Văn phòng theo dõi) mới làm được việc này."))


def _require_open(task: Task) -> None:
    if task.state not in OPEN_STATES:
        raise ValidationError(
            _("Nhiệm vụ đang ở trạng thái \u201c%(state)s\u201d, không thực hiện được thao tác này.")
            % {"state": task.get_state_display()}
        )


def _check_within_parent(task: Task, due_date: dt.date) -> None:
    parent_due = Task.objects.filter(pk=task.parent_id).values_list("due_date", flat=True).first()  # type: ignore[misc]  # no parent: no row
    if parent_due is not None and due_date > parent_due:
        raise ValidationError(
            {
                "due_date": _("Hạn của nhiệm vụ con không được sau hạn của nhiệm vụ cha (%(day)s).")
                % {"day": f"{parent_due:%d/%m/%Y}"}
            }
        )


def _refresh(task: Task, fresh: Task) -> Task:
    """Copy a locked, changed row's fields back onto the caller's instance."""
    for f in Task._meta.concrete_fields:
        setattr(task, f.attname, getattr(fresh, f.attname))
    return task
