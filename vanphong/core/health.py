"""Checks behind /healthz: the database answers and the broker can be reached."""

from __future__ import annotations

from django.conf import settings
from django.db import connection


def check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure is a failed check, reported by class name
        return type(exc).__name__
    return None


def check_broker() -> str | None:
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return type(exc).__name__
    if not settings.CELERY_BROKER_URL.startswith("filesystem"):
        return None
    # The filesystem broker "connects" to any path: check that the queue folder is usable.
    folder = settings.BROKER_DIR / "queue"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".healthz"
        probe.write_text("ok", encoding="utf-8")
        probe.unlink()
    except OSError as exc:
        return type(exc).__name__
    return None
