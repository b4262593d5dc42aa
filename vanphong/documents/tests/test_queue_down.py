"""Uploads while the job queue is down: the request answers 201 with the reading "pending"
(never a 500 after the document, its entry and its number were committed), and the sweep
queues the reading again later (vanphong/core/jobs.py, ``requeue_pending_extractions``)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from kombu import pools as kombu_pools

from config.celery import app
from vanphong.api.tests.helpers import bearer
from vanphong.core.jobs import enqueue, send_now
from vanphong.core.schedule import beat_schedule
from vanphong.demo import documents_files as demo_files
from vanphong.documents import jobs
from vanphong.documents.models import Arrival, Document, DocumentFile, ExtractionState, RegisterEntry
from vanphong.documents.models.registers import RegisterCounter
from vanphong.documents.services import arrivals as arrival_services
from vanphong.documents.services import files as file_services
from vanphong.documents.tests.factories import registered_entry

URL = "/api/v1/incoming/"
EXTRACT_TEXT = "vanphong.documents.jobs.extract_text"
SWEEP = "vanphong.documents.jobs.requeue_pending_extractions"
CLOSED_PORT = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connection refused


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    return demo_files.render_pdf(demo_files.demo_documents()[0])


def _drop_pools() -> None:
    """Pooled connections and producers still point at the broker they were made for."""
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None
    kombu_pools.reset()


@contextmanager
def broker_down(url: str, options: dict[str, Any]) -> Iterator[None]:
    """Publish for real (not inline, the suite's default) to a broker that is not there."""
    saved = (app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_transport_options)
    app.conf.task_always_eager = False
    app.conf.broker_url, app.conf.broker_transport_options = url, options
    _drop_pools()
    try:
        yield
    finally:
        _drop_pools()
        app.conf.task_always_eager, app.conf.broker_url, app.conf.broker_transport_options = saved


def missing_folder(tmp_path) -> dict[str, Any]:
    gone = tmp_path / "broker-gone"
    return {
        "data_folder_in": str(gone / "queue"),
        "data_folder_out": str(gone / "queue"),
        "processed_folder": str(gone / "processed"),
        "control_folder": str(gone / "control"),
        "store_processed": False,
    }


BROKERS = pytest.mark.parametrize("broker", ["redis", "filesystem"])


def down(broker: str, tmp_path) -> tuple[str, dict[str, Any]]:
    return (CLOSED_PORT, {}) if broker == "redis" else ("filesystem://", missing_folder(tmp_path))


def age(model: type[Any], pk: int, minutes: int) -> None:
    field = "uploaded_at" if model is DocumentFile else "received_at"
    model.objects.filter(pk=pk).update(**{field: timezone.now() - dt.timedelta(minutes=minutes)})


# --- The request --------------------------------------------------------------------------------


@BROKERS
@pytest.mark.django_db(transaction=True)
def test_an_upload_with_the_queue_down_answers_201_pending_and_the_sweep_reads_it_later(
    client, province, books, pdf_bytes, tmp_path, caplog, broker, settings
):
    upload = SimpleUploadedFile("Nghị quyết 15.pdf", pdf_bytes, content_type="application/pdf")
    with broker_down(*down(broker, tmp_path)), caplog.at_level(logging.WARNING, logger="vanphong.core.jobs"):
        response = client.post(
            URL,
            {"symbol": "15-NQ/TW", "subject": "Nghị quyết về chuyển đổi số", "files": [upload]},
            **bearer(province.clerk.user),
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert [f["extraction"] for f in body["files"]] == ["pending"]
        assert body["register_number"] == 1
        # Committed once: one document, one entry, one number taken.
        assert Document.objects.count() == 1 and RegisterEntry.objects.count() == 1
        assert sum(RegisterCounter.objects.values_list("last_number", flat=True)) == 1
        record = DocumentFile.objects.get()
        assert record.extraction == ExtractionState.PENDING
        warnings = [r for r in caplog.records if r.name == "vanphong.core.jobs"]
        assert len(warnings) == 1 and EXTRACT_TEXT in warnings[0].getMessage()

        # The broker is still down: the sweep stops at the first file, nothing lost.
        age(DocumentFile, record.pk, settings.VANPHONG_EXTRACTION_REQUEUE_MINUTES + 1)
        assert jobs.requeue_pending_extractions() == {"files": 0, "arrivals": 0}

    # Back up (jobs inline again): the sweep queues the reading, which reads the file.
    assert jobs.requeue_pending_extractions() == {"files": 1, "arrivals": 0}
    record.refresh_from_db()
    assert record.extraction == ExtractionState.DONE and record.text
    assert jobs.requeue_pending_extractions() == {"files": 0, "arrivals": 0}  # nothing left
    detail = client.get(f"{URL}{body['id']}/", **bearer(province.clerk.user)).json()
    assert [f["extraction"] for f in detail["files"]] == ["done"]


# --- enqueue ------------------------------------------------------------------------------------


@BROKERS
def test_enqueue_logs_a_broker_that_is_down_and_answers_at_once(
    db, tmp_path, caplog, broker, django_capture_on_commit_callbacks
):
    with broker_down(*down(broker, tmp_path)), caplog.at_level(logging.WARNING, logger="vanphong.core.jobs"):
        started = timezone.now()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            enqueue(EXTRACT_TEXT, 123)
        assert len(callbacks) == 1
        assert not send_now(EXTRACT_TEXT, 123)
        assert timezone.now() - started < dt.timedelta(seconds=5)  # no retry loop, no hang
    messages = [r.getMessage() for r in caplog.records if r.name == "vanphong.core.jobs"]
    assert len(messages) == 2 and all("extract_text" in m and "123" in m for m in messages)


def test_other_errors_are_still_raised(db):
    with pytest.raises(KeyError):
        send_now("vanphong.documents.jobs.no_such_job")


def test_a_job_run_inline_still_raises_its_own_errors(monkeypatch):
    def broken(file_id: int, force: bool = False) -> str:
        raise OSError("the job's own error, not the broker's")

    monkeypatch.setattr(jobs.extract_text, "run", broken)
    with pytest.raises(OSError, match="own error"):
        send_now(EXTRACT_TEXT, 1)


# --- The sweep ----------------------------------------------------------------------------------


def test_the_sweep_takes_old_pending_files_and_arrivals_only(
    province, books, pdf_bytes, settings, tmp_path, monkeypatch
):
    with broker_down(*down("filesystem", tmp_path)):  # every job is lost at the upload
        document = registered_entry(
            actor=province.clerk.user, organization=province.committee, subject="Về chuyển đổi số"
        ).document
        lost, recent, started = (
            file_services.file_attach(actor=province.clerk.user, document=document, upload=(name, pdf_bytes))
            for name in ("mat.pdf", "moi.pdf", "dang-doc.pdf")
        )
        arrival = arrival_services.arrival_receive(
            actor=province.clerk.user,
            organization=province.committee,
            upload=("den.pdf", pdf_bytes),
            channel="upload",
        )
    minutes = settings.VANPHONG_EXTRACTION_REQUEUE_MINUTES
    for pk in (lost.pk, started.pk):
        age(DocumentFile, pk, minutes + 5)
    age(DocumentFile, recent.pk, minutes - 5)
    age(Arrival, arrival.pk, minutes + 5)
    DocumentFile.objects.filter(pk=started.pk).update(extraction_note=jobs.ATTEMPT_NOTE)  # a job reads it

    sent: list[tuple[str, int]] = []
    monkeypatch.setattr(jobs, "send_now", lambda name, pk: sent.append((name, pk)) or True)
    assert jobs.requeue_pending_extractions() == {"files": 1, "arrivals": 1}
    assert sent == [(EXTRACT_TEXT, lost.pk), ("vanphong.documents.jobs.extract_arrival", arrival.pk)]

    sent.clear()
    monkeypatch.setattr(jobs, "REQUEUE_BATCH", 0)
    assert jobs.requeue_pending_extractions() == {"files": 0, "arrivals": 0} and not sent


def test_the_sweep_is_on_beats_schedule(settings):
    entry = beat_schedule()["requeue-pending-extractions"]
    assert entry["task"] == SWEEP and entry["options"]["expires"] > 0
    app.loader.import_default_modules()
    assert SWEEP in app.tasks
