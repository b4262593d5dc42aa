"""Background job of the reporting regime (Celery, started by beat): after midnight, give the
reports of the coming period of every periodic request (a row and a task per recipient).
Safe to run twice: one report per request, period and recipient."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from celery import shared_task
from django.utils import timezone

from vanphong.reporting import services

logger = logging.getLogger(__name__)

TIME_LIMIT = 3600


@shared_task(
    name="vanphong.reporting.jobs.give_report_periods",
    time_limit=TIME_LIMIT,
    soft_time_limit=TIME_LIMIT - 60,
    ignore_result=True,
)
def give_report_periods(day: str | None = None) -> dict[str, Any]:
    """The reports of the current and next period of every periodic request, as tasks."""
    today = dt.date.fromisoformat(day) if day else timezone.localdate()
    made = services.periods_ensure_all(today=today)
    logger.info("report periods given on %s: %s", today, made)
    return {"day": today.isoformat(), "made": made}
