"""Checks behind /healthz: the database answers and the broker can be reached.

Each check returns None when healthy, or the exception's class name: /healthz is public,
so the details (hosts, paths) go to the log for the operator, not to the caller.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.db import connection

logger = logging.getLogger(__name__)

BROKER_TIMEOUT = 2.0  # seconds; a load balancer's probe must not hang on a dead broker


def check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure is a failed check, reported by class name
        logger.warning("healthz: database check failed: %s", exc)
        return type(exc).__name__
    return None


def check_broker() -> str | None:
    """Connect to the broker the Celery app is configured with right now (app.conf, not
    settings: the worker and the web processes share that one configuration)."""
    from config.celery import app

    try:
        with app.connection_for_write(connect_timeout=BROKER_TIMEOUT) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT)
            transport = conn.transport_cls
            options = dict(conn.transport_options or {})
    except Exception as exc:
        logger.warning("healthz: broker check failed: %s", exc)
        return type(exc).__name__
    if transport != "filesystem":
        return None
    # The filesystem broker "connects" to any path: check that the queue folder is usable.
    folder = Path(options.get("data_folder_in", "data_in"))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".healthz"
        probe.write_text("ok", encoding="utf-8")
        probe.unlink()
    except OSError as exc:
        logger.warning("healthz: broker folder %s is not writable: %s", folder, exc)
        return type(exc).__name__
    return None
