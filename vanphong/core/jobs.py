"""Queueing background jobs from a service, by the job's name, once the transaction commits.

A service must not queue work for rows that may still roll back, and must not import the
``jobs`` module that calls it back (that is how services ↔ jobs import loops start). So a
service names the job and its arguments; ``enqueue`` looks the job up in Celery's registry
when the transaction commits and sends it (or runs it, under ``task_always_eager``)."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)


def send_now(name: str, *args: Any) -> None:
    """Send job ``name`` with ``args`` now (outside any transaction)."""
    app = current_app
    if name not in app.tasks:
        # Outside a worker the apps' jobs modules are imported on first use (autodiscovery).
        app.loader.import_default_modules()
    app.tasks[name].delay(*args)


def _send_robust(name: str, *args: Any) -> None:
    try:
        send_now(name, *args)
    except Exception:  # the caller's change is committed; the job is retried by its sweeper
        logger.exception("could not queue job %s%r", name, args)


def enqueue(name: str, *args: Any, robust: bool = False) -> None:
    """Queue job ``name`` with JSON-able ``args`` after the current transaction commits (at
    once outside one). ``robust``: a broker that is down is logged, not raised, for jobs
    whose work another path picks up later (an e-mail left for the digest)."""
    transaction.on_commit(partial(_send_robust if robust else send_now, name, *args))
