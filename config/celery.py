"""Celery application. Background work lives in each app's ``jobs.py`` ("task" is the
domain object with a deadline, so Celery's modules are called jobs)."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("vanphong")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(related_name="jobs")


@app.on_after_finalize.connect
def _setup_beat(sender: Celery, **kwargs: object) -> None:
    from vanphong.core.schedule import beat_schedule

    sender.conf.beat_schedule = beat_schedule()
