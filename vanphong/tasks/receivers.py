"""The task engine listening to its own calendar: a change to the holiday calendar moves the
working-day due dates. (Other modules call ``services.task_create`` themselves.)"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from vanphong.tasks import notify  # noqa: F401  (notifications on task events, the digest's task sections)
from vanphong.tasks.models import CalendarDay
from vanphong.tasks.services import effective_due_refresh


@receiver(pre_save, sender=CalendarDay, dispatch_uid="tasks.calendar_saving")
def calendar_saving(sender: Any, instance: CalendarDay, **kwargs: Any) -> None:
    """Remember the day a row had, so that moving a holiday refreshes both days."""
    instance._previous_date = (  # type: ignore[attr-defined]  # a memo for calendar_changed
        CalendarDay.objects.filter(pk=instance.pk).values_list("date", flat=True).first()
        if instance.pk
        else None
    )


@receiver(post_save, sender=CalendarDay, dispatch_uid="tasks.calendar_saved")
@receiver(post_delete, sender=CalendarDay, dispatch_uid="tasks.calendar_deleted")
def calendar_changed(sender: Any, instance: CalendarDay, **kwargs: Any) -> None:
    previous = getattr(instance, "_previous_date", None)
    # How many open tasks moved, for the service that made the change (``calendar_day_save``).
    instance._tasks_moved = effective_due_refresh(  # type: ignore[attr-defined]  # a memo for the service
        around=[d for d in (instance.date, previous) if d is not None]
    )
