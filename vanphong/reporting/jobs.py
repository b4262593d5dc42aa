"""Background jobs of the reporting regime (Celery, started by beat): after midnight, give the
reports of the coming period of every periodic request (a row and a task per recipient); every
hour, the coming day or slot of the rapid ones (daily, hourly). Safe to run twice: one report
per request, period and recipient. A request that fails is logged and counted; the others go
on."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from celery import shared_task
from django.utils import timezone

from vanphong.reporting import services

logger = logging.getLogger(__name__)

TIME_LIMIT = 3600
RAPID_TIME_LIMIT = 50 * 60  # the next run is due within the hour


@shared_task(
    name="vanphong.reporting.jobs.give_report_periods",
    time_limit=TIME_LIMIT,
    soft_time_limit=TIME_LIMIT - 60,
    ignore_result=True,
)
def give_report_periods(day: str | None = None) -> dict[str, Any]:
    """The reports of the current and next period of every periodic request, as tasks."""
    today = dt.date.fromisoformat(day) if day else timezone.localdate()
    result = services.periods_ensure_all(today=today)
    _log("report periods given on %s: %s", today, result)
    return {"day": today.isoformat(), **result.as_json()}


@shared_task(
    name="vanphong.reporting.jobs.give_rapid_report_periods",
    time_limit=RAPID_TIME_LIMIT,
    soft_time_limit=RAPID_TIME_LIMIT - 60,
    ignore_result=True,
)
def give_rapid_report_periods() -> dict[str, Any]:
    """The reports of the day or slot under way and the next of every rapid request."""
    now = timezone.now()
    result = services.periods_ensure_all(now=now, rapid_only=True)
    _log("rapid report periods given at %s: %s", now.isoformat(), result)
    return {"at": now.isoformat(), **result.as_json()}


def _log(message: str, when: Any, result: services.EnsureResult) -> None:
    if result.failed:
        logger.error(message + " (failed requests: %s)", when, result.made, result.failed)
    else:
        logger.info(message, when, result.made)
