"""Background jobs really travel through the broker: a message is published, a real worker
(in this process, in a thread) takes it and the job's effect lands in the database."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from celery.schedules import crontab
from celery.signals import task_postrun
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from kombu import pools as kombu_pools

from config.celery import app
from vanphong.audit.models import AuditEvent
from vanphong.audit.services import audit_record
from vanphong.audit.tests.support import clear_audit_trail
from vanphong.core.schedule import beat_schedule

JOB = "vanphong.audit.jobs.verify_audit_chain"
WAIT = 30.0  # seconds for the worker to take and finish the job


@contextmanager
def real_broker(url: str, options: dict[str, Any]) -> Iterator[None]:
    """Publish to a real broker instead of running jobs inline (the suite's default), and
    restore the app's configuration afterwards."""
    saved = (app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_transport_options)
    app.conf.task_always_eager = False
    app.conf.broker_url, app.conf.broker_transport_options = url, options
    _drop_pools()
    try:
        yield
    finally:
        _drop_pools()
        app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_transport_options = saved


def _drop_pools() -> None:
    """Connections and producers are pooled per app; pooled ones still point at the
    broker they were made for."""
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None
    # kombu also keeps process-wide producer pools keyed by connection: one closed by an
    # earlier test for the same broker URL would be handed back ("Acquire on closed pool").
    kombu_pools.reset()


@contextmanager
def finished(task_name: str) -> Iterator[threading.Event]:
    done = threading.Event()

    def on_postrun(sender: Any = None, **kwargs: Any) -> None:
        if sender is not None and sender.name == task_name:
            connections.close_all()  # the worker thread's own connections: let the test DB go
            done.set()

    task_postrun.connect(on_postrun, weak=False)
    try:
        yield done
    finally:
        task_postrun.disconnect(on_postrun)


@pytest.fixture
def audit_trail_emptied(transactional_db):
    """The audit table refuses DELETE, so the flush ending a transactional test would fail
    while entries remain: empty it (triggers off) first."""
    yield
    clear_audit_trail()


def round_trip(queued: Any) -> None:
    """Publish the audit check, see it wait in the broker, run a worker, see its effect."""
    audit_record(actor=None, actor_username="test", action="test.before_job")
    app.send_task(JOB)
    assert queued() == 1, "the job must wait in the broker, not run inline"
    assert not AuditEvent.objects.filter(action="audit.verify").exists()

    with finished(JOB) as done, start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
        assert done.wait(WAIT), "the worker did not run the job"

    verify = AuditEvent.objects.get(action="audit.verify")
    assert verify.actor_username == "" or verify.actor_id is None
    assert verify.after["ok"] is True
    assert verify.after["checked"] >= 1
    assert queued() == 0


# --- Through the broker ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_job_travels_through_the_filesystem_broker(tmp_path, audit_trail_emptied):
    folders = {name: tmp_path / name for name in ("queue", "processed", "control")}
    for folder in folders.values():
        folder.mkdir()
    options = {
        "data_folder_in": str(folders["queue"]),
        "data_folder_out": str(folders["queue"]),
        "processed_folder": str(folders["processed"]),
        "control_folder": str(folders["control"]),
        "store_processed": False,
        "polling_interval": 0.1,
    }

    def queued() -> int:
        return len([p for p in Path(folders["queue"]).iterdir() if p.name.endswith(".celery.msg")])

    with real_broker("filesystem://", options):
        round_trip(queued)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set (CI sets it)")
def test_a_job_travels_through_redis(audit_trail_emptied):
    with real_broker(os.environ["REDIS_URL"], {}), app.connection_for_write() as conn:
        conn.default_channel.client.delete("celery")  # nothing left over from an earlier run

        def queued() -> int:
            return conn.default_channel.client.llen("celery")

        round_trip(queued)


# --- The schedule -------------------------------------------------------------------------------


def test_the_job_is_registered_with_the_worker():
    app.loader.import_default_modules()
    assert JOB in app.tasks


def test_beat_runs_the_nightly_audit_check_at_the_configured_time(settings):
    app.finalize(auto=True)  # the schedule is installed when the app is finalised
    entry = app.conf.beat_schedule["verify-audit-chain"]
    assert entry["task"] == JOB
    assert entry["schedule"] == crontab(minute="30", hour="1")
    assert settings.VANPHONG_SCHEDULE_VERIFY_AUDIT == "30 1 * * *"
    assert entry["options"]["expires"] > 0


def test_the_schedule_follows_the_cron_setting(settings):
    settings.VANPHONG_SCHEDULE_VERIFY_AUDIT = "15 3 * * 1"
    schedule = beat_schedule()["verify-audit-chain"]["schedule"]
    assert schedule == crontab(minute="15", hour="3", day_of_week="1")


@pytest.mark.parametrize("cron", ["30 1 * *", "every night", "61 1 * * *", "30 1 * * funday", ""])
def test_a_bad_cron_string_is_refused(settings, cron):
    settings.VANPHONG_SCHEDULE_VERIFY_AUDIT = cron
    with pytest.raises(ImproperlyConfigured, match="VANPHONG_SCHEDULE_VERIFY_AUDIT"):
        beat_schedule()
