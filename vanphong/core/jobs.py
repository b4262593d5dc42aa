"""Queueing background jobs from a service, by the job's name, once the transaction commits.

A service must not queue work for rows that may still roll back, and must not import the
``jobs`` module that calls it back (that is how services ↔ jobs import loops start). So a
service names the job and its arguments; ``enqueue`` looks the job up in Celery's registry
when the transaction commits and sends it (or runs it, under ``task_always_eager``).

The broker being down (Redis stopped, the queue folder of the filesystem transport gone)
never fails the request whose change is already committed: the publish is tried once, at
once, and a failure is logged as a warning. The job is then picked up by its app's sweep
(for text extraction, ``vanphong.documents.jobs.requeue_pending_extractions``)."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from celery import current_app
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

# What an unreachable broker raises: kombu wraps the transport's connection errors (Redis
# refusing or timing out) in OperationalError; the filesystem transport raises OSError
# (FileNotFoundError for a missing queue folder, PermissionError). ConnectionError is an
# OSError. Anything else (a job's arguments that cannot be serialised) is a bug: raised.
BROKER_ERRORS: tuple[type[BaseException], ...] = (OperationalError, OSError)

# One attempt, no waiting between retries: a request must not hang on a broker that is down
# (kombu's default retries the publish for about a second, and ``retry=False`` waits out the
# connection timeout of the connection pool instead).
PUBLISH_RETRY_POLICY: dict[str, Any] = {"max_retries": 0, "interval_start": 0, "interval_step": 0}


def send_now(name: str, *args: Any) -> bool:
    """Send job ``name`` with ``args`` now (outside any transaction). Answers whether it was
    queued (or run, under ``task_always_eager``); an unreachable broker is logged, not raised."""
    app = current_app
    if name not in app.tasks:
        # Outside a worker the apps' jobs modules are imported on first use (autodiscovery).
        app.loader.import_default_modules()
    job = app.tasks[name]
    if app.conf.task_always_eager:
        job.delay(*args)  # runs here: its errors are the job's own, and propagate
        return True
    try:
        job.apply_async(args, retry=True, retry_policy=PUBLISH_RETRY_POLICY)
    except BROKER_ERRORS as exc:
        logger.warning("job %s%r not queued, the broker is unreachable: %s", name, args, exc)
        return False
    return True


def _send_robust(name: str, *args: Any) -> None:
    try:
        send_now(name, *args)
    except Exception:  # the caller's change is committed; the job is retried by its sweeper
        logger.exception("could not queue job %s%r", name, args)


def enqueue(name: str, *args: Any, robust: bool = False) -> None:
    """Queue job ``name`` with JSON-able ``args`` after the current transaction commits (at
    once outside one). A broker that is down is logged, never raised (``send_now``).
    ``robust``: any other error is logged too, including the job's own when it runs inline
    (eager), for jobs whose work another path picks up later (an e-mail left for the digest)."""
    transaction.on_commit(partial(_send_robust if robust else send_now, name, *args))
