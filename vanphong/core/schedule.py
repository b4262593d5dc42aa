"""Celery beat entries, their times read from the environment as cron strings."""

from __future__ import annotations

from typing import Any

from celery.schedules import crontab
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def parse_cron(name: str, value: str) -> crontab:
    parts = value.split()
    if len(parts) != 5:
        raise ImproperlyConfigured(f"{name} must be a cron string of five fields, not {value!r}")
    minute, hour, day_of_month, month_of_year, day_of_week = parts
    try:
        return crontab(
            minute=minute,
            hour=hour,
            day_of_month=day_of_month,
            month_of_year=month_of_year,
            day_of_week=day_of_week,
        )
    except ValueError as exc:  # celery's own parser: "61 1 * * *", "30 1 * * funday"
        raise ImproperlyConfigured(f"{name} is not a valid cron string ({value!r}): {exc}") from exc


def beat_schedule() -> dict[str, dict[str, Any]]:
    schedule = {
        "verify-audit-chain": {
            "task": "vanphong.audit.jobs.verify_audit_chain",
            "schedule": parse_cron("VANPHONG_SCHEDULE_VERIFY_AUDIT", settings.VANPHONG_SCHEDULE_VERIFY_AUDIT),
            "options": {"expires": 6 * 3600},
        },
        # The chain head mailed to the administrators: an anchor kept outside the database.
        "send-audit-anchor": {
            "task": "vanphong.audit.jobs.send_audit_anchor",
            "schedule": parse_cron("VANPHONG_SCHEDULE_AUDIT_ANCHOR", settings.VANPHONG_SCHEDULE_AUDIT_ANCHOR),
            "options": {"expires": 6 * 3600},
        },
        # The task engine: recurring occurrences after midnight, the digest e-mail before
        # the working day starts, reminders and escalations in the morning. The jobs skip
        # days off themselves (the calendar knows the holidays and the Saturdays worked).
        "generate-recurring-tasks": {
            "task": "vanphong.tasks.jobs.generate_recurring_tasks",
            "schedule": parse_cron(
                "VANPHONG_SCHEDULE_RECURRING_TASKS", settings.VANPHONG_SCHEDULE_RECURRING_TASKS
            ),
            "options": {"expires": 6 * 3600},
        },
        "give-report-periods": {
            "task": "vanphong.reporting.jobs.give_report_periods",
            "schedule": parse_cron(
                "VANPHONG_SCHEDULE_REPORT_PERIODS", settings.VANPHONG_SCHEDULE_REPORT_PERIODS
            ),
            "options": {"expires": 6 * 3600},
        },
        # Rapid situation reports (a storm, an epidemic): the next day or slot of every daily
        # and hourly request, shortly before it opens.
        "give-rapid-report-periods": {
            "task": "vanphong.reporting.jobs.give_rapid_report_periods",
            "schedule": parse_cron(
                "VANPHONG_SCHEDULE_RAPID_REPORT_PERIODS", settings.VANPHONG_SCHEDULE_RAPID_REPORT_PERIODS
            ),
            "options": {"expires": 50 * 60},
        },
        "send-daily-digests": {
            "task": "vanphong.tasks.jobs.send_daily_digests",
            "schedule": parse_cron("VANPHONG_SCHEDULE_DAILY_DIGEST", settings.VANPHONG_SCHEDULE_DAILY_DIGEST),
            "options": {"expires": 4 * 3600},
        },
        "send-task-reminders": {
            "task": "vanphong.tasks.jobs.send_task_reminders",
            "schedule": parse_cron(
                "VANPHONG_SCHEDULE_TASK_REMINDERS", settings.VANPHONG_SCHEDULE_TASK_REMINDERS
            ),
            "options": {"expires": 4 * 3600},
        },
        # The exchange: what is due in the outbox (retries after back-off, jobs never queued),
        # and the summary figures sent up to the level above (two-level model).
        "exchange-deliver-due": {
            "task": "vanphong.exchange.jobs.deliver_due",
            "schedule": parse_cron(
                "VANPHONG_SCHEDULE_EXCHANGE_OUTBOX", settings.VANPHONG_SCHEDULE_EXCHANGE_OUTBOX
            ),
            "options": {"expires": 50},
        },
        "exchange-send-figures": {
            "task": "vanphong.exchange.jobs.send_figures",
            "schedule": parse_cron(
                "VANPHONG_SCHEDULE_EXCHANGE_FIGURES", settings.VANPHONG_SCHEDULE_EXCHANGE_FIGURES
            ),
            "options": {"expires": 6 * 3600},
        },
        # Text extraction whose job was never queued (the broker was down at the upload).
        "requeue-pending-extractions": {
            "task": "vanphong.documents.jobs.requeue_pending_extractions",
            "schedule": parse_cron(
                "VANPHONG_SCHEDULE_EXTRACTION_SWEEP", settings.VANPHONG_SCHEDULE_EXTRACTION_SWEEP
            ),
            "options": {"expires": 5 * 60},
        },
    }
    if settings.VANPHONG_DROP_DIR:
        schedule["receive-drop-folder"] = {
            "task": "vanphong.documents.jobs.receive_drop_folder",
            "schedule": parse_cron("VANPHONG_SCHEDULE_DROP_FOLDER", settings.VANPHONG_SCHEDULE_DROP_FOLDER),
            "options": {"expires": 4 * 60},
        }
    return schedule
