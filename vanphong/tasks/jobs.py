"""Background jobs of the task engine (Celery), started by beat (``vanphong.core.schedule``):
the recurring occurrences after midnight, the daily digest e-mail, and the reminders and
escalations in the morning.

Each takes at most a date (ISO text, for a catch-up run by hand; today by default) and is
safe to run twice: occurrences are unique per series and due date, reminders per task,
person, kind and day, digests per person and day. The digest and the reminders skip the
days off of the working-day calendar (holidays; the Saturdays worked to bridge them are
working days), so beat runs them every day.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from celery import shared_task
from django.utils import timezone

from vanphong.notifications import services as notifications
from vanphong.tasks import reminders, services
from vanphong.tasks.calendar import WorkCalendar

logger = logging.getLogger(__name__)

TIME_LIMIT = 2 * 3600


def _day(value: str | None) -> dt.date:
    return dt.date.fromisoformat(value) if value else timezone.localdate()


@shared_task(
    name="vanphong.tasks.jobs.send_task_reminders",
    time_limit=TIME_LIMIT,
    soft_time_limit=TIME_LIMIT - 60,
    ignore_result=True,
)
def send_task_reminders(day: str | None = None) -> dict[str, Any]:
    """Remind the assignees of open tasks before, on and after the due date; escalate the
    late ones to the lead's head and to the Văn phòng."""
    report = reminders.send_reminders(_day(day))
    logger.info("task reminders: %s", report.as_dict())
    return report.as_dict()


@shared_task(
    name="vanphong.tasks.jobs.send_daily_digests",
    time_limit=TIME_LIMIT,
    soft_time_limit=TIME_LIMIT - 60,
    ignore_result=True,
)
def send_daily_digests(day: str | None = None) -> dict[str, Any]:
    """One e-mail per person: their unread notifications and their tasks overdue and due
    soon. On a day off nothing is sent (what came meanwhile waits for the next one)."""
    today = _day(day)
    if not WorkCalendar.load().is_working_day(today):
        return {"day": today.isoformat(), "skipped": True}
    report = notifications.send_digests(today)
    logger.info("daily digests: %s", report.as_dict())
    return report.as_dict()


@shared_task(
    name="vanphong.tasks.jobs.generate_recurring_tasks",
    time_limit=TIME_LIMIT,
    soft_time_limit=TIME_LIMIT - 60,
    ignore_result=True,
)
def generate_recurring_tasks(day: str | None = None) -> dict[str, Any]:
    """Make the occurrences of recurring tasks due within the horizon."""
    today = _day(day)
    made = services.series_generate_all(today=today)
    return {"day": today.isoformat(), "made": made}
