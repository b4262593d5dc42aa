"""The task engine listening to other modules: a direction on an incoming document becomes a
task; a change to the holiday calendar moves the working-day due dates."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from vanphong.documents.models import Assignment, AssignmentRole, Direction
from vanphong.documents.signals import direction_given
from vanphong.tasks import notify  # noqa: F401  (notifications on task events, the digest's task sections)
from vanphong.tasks.models import CalendarDay, SourceKind
from vanphong.tasks.services import effective_due_refresh, task_create


def _target(assignment: Assignment) -> Any:
    return assignment.organization or assignment.unit or assignment.person


@receiver(direction_given, dispatch_uid="tasks.from_direction")
def task_from_direction(
    sender: Any, direction: Direction, assignments: list[Assignment], actor: Any, **kwargs: Any
):
    """One task per direction that names someone to act: the lead assignment (or, with no
    lead, the first cooperating one) leads, the other cooperating ones cooperate; the due
    date is the lead's. "For information" assignments make no task."""
    acting = [a for a in assignments if a.role in (AssignmentRole.LEAD, AssignmentRole.COOPERATE)]
    if not acting:
        return None
    lead = next((a for a in acting if a.role == AssignmentRole.LEAD), acting[0])
    entry = direction.entry
    document = entry.document
    symbol = document.symbol or "không số"
    task = task_create(
        actor=actor,
        organization=entry.organization,
        title=" ".join(document.subject.split())[:500] or symbol,
        content=direction.text,
        lead=_target(lead),
        cooperating=[_target(a) for a in acting if a is not lead],
        due_date=lead.due_date,
        source_kind=SourceKind.DIRECTION,
        source=direction,
        source_document=document,
        source_label=f"Văn bản đến số {entry.number}, {symbol}: ý kiến chỉ đạo của {direction.author}",
        issued_by=direction.author,
        check_access=False,  # may_direct was checked by the documents service
    )
    Assignment.objects.filter(pk__in=[a.pk for a in acting]).update(task_id=task.pk)
    for a in acting:
        a.task_id = task.pk
    return task


@receiver(pre_save, sender=CalendarDay, dispatch_uid="tasks.calendar_saving")
def calendar_saving(sender: Any, instance: CalendarDay, **kwargs: Any) -> None:
    """Remember the day a row had, so that moving a holiday refreshes both days."""
    instance._previous_date = (
        CalendarDay.objects.filter(pk=instance.pk).values_list("date", flat=True).first()
        if instance.pk
        else None
    )


@receiver(post_save, sender=CalendarDay, dispatch_uid="tasks.calendar_saved")
@receiver(post_delete, sender=CalendarDay, dispatch_uid="tasks.calendar_deleted")
def calendar_changed(sender: Any, instance: CalendarDay, **kwargs: Any) -> None:
    previous = getattr(instance, "_previous_date", None)
    effective_due_refresh(around=[d for d in (instance.date, previous) if d is not None])
