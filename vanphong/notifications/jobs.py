"""Background jobs of notifications (Celery). The daily digest is started by the task
engine's beat entry (``vanphong.tasks.jobs.send_daily_digests``), which knows the days off."""

from __future__ import annotations

from celery import shared_task

from vanphong.notifications import services


@shared_task(
    name="vanphong.notifications.jobs.email_notification",
    time_limit=120,
    soft_time_limit=100,
    ignore_result=True,
)
def email_notification(notification_id: int) -> bool:
    """E-mail one urgent notification. Safe to run twice: the row is claimed before the
    send, and a notification already e-mailed or read is left alone."""
    return services.email_now(notification_id)
