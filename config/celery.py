"""Celery application. Background work lives in each app's ``jobs.py`` ("task" is the
domain object with a deadline, so Celery's modules are called jobs)."""

from __future__ import annotations

import os
import resource

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("vanphong")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(related_name="jobs")


@app.on_after_finalize.connect
def _setup_beat(sender: Celery, **kwargs: object) -> None:
    from vanphong.core.schedule import beat_schedule

    sender.conf.beat_schedule = beat_schedule()


def limit_child_memory(limit_mb: int) -> None:
    """Cap this process's heap (RLIMIT_DATA: malloc and private mappings) at ``limit_mb``:
    past it an allocation fails with MemoryError, which the job records, instead of the
    child growing until the machine swaps. Its OCR subprocesses inherit the cap."""
    if limit_mb <= 0:
        return
    wanted = limit_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (wanted, hard))


@worker_process_init.connect
def _limit_worker_child(**kwargs: object) -> None:
    from django.conf import settings

    limit_child_memory(int(getattr(settings, "VANPHONG_WORKER_MEMORY_LIMIT_MB", 0)))
