"""Uploads while the job queue is down: the request answers 201 with the reading "pending"
(never a 500 after the document, its entry and its number were committed), and the sweep
queues the reading again later (vanphong/core/jobs.py, ``requeue_pending_extractions``).

The sweep queues again only what no job holds, and a job queued twice reads its file once:
the claim (documents/jobs.py, ``extraction_claim``). Two copies run one inside the other on
any database, and truly at once on threads on PostgreSQL (SQLite's shared in-memory test
database fails table locks at once instead of waiting)."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from kombu import pools as kombu_pools

from config.celery import app
from vanphong.api.tests.helpers import bearer
from vanphong.audit.models import AuditEvent
from vanphong.core.jobs import enqueue, send_now
from vanphong.core.schedule import beat_schedule
from vanphong.demo import documents_files as demo_files
from vanphong.documents import extraction, jobs
from vanphong.documents.models import Arrival, Document, DocumentFile, ExtractionState, RegisterEntry
from vanphong.documents.models.registers import RegisterCounter
from vanphong.documents.services import arrivals as arrival_services
from vanphong.documents.services import files as file_services
from vanphong.documents.signals import document_changed
from vanphong.documents.tests.factories import registered_entry

URL = "/api/v1/incoming/"
EXTRACT_TEXT = "vanphong.documents.jobs.extract_text"
EXTRACT_ARRIVAL = "vanphong.documents.jobs.extract_arrival"
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
    """The row came, and its reading was queued, ``minutes`` ago."""
    came = "uploaded_at" if model is DocumentFile else "received_at"
    then = timezone.now() - dt.timedelta(minutes=minutes)
    model.objects.filter(pk=pk).update(**{came: then, "extraction_queued_at": then})


def claim(model: type[Any], pk: int, *, seconds_ago: float, by: str = "job-1") -> None:
    """A job ``by`` claimed the row's reading ``seconds_ago``."""
    then = timezone.now() - dt.timedelta(seconds=seconds_ago)
    model.objects.filter(pk=pk).update(extraction_claim=by, extraction_claimed_at=then)


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
    def broken(file_id: int) -> str:
        raise OSError("the job's own error, not the broker's")

    monkeypatch.setattr(jobs.extract_text, "run", broken)
    with pytest.raises(OSError, match="own error"):
        send_now(EXTRACT_TEXT, 1)


# --- The sweep ----------------------------------------------------------------------------------


def test_the_sweep_takes_the_pending_rows_no_job_holds(
    province, books, pdf_bytes, settings, tmp_path, monkeypatch
):
    with broker_down(*down("filesystem", tmp_path)):  # every job is lost at the upload
        document = registered_entry(
            actor=province.clerk.user, organization=province.committee, subject="Về chuyển đổi số"
        ).document
        lost, recent, waiting, reading, dead = (
            file_services.file_attach(actor=province.clerk.user, document=document, upload=(name, pdf_bytes))
            for name in ("mat.pdf", "moi.pdf", "dang-cho.pdf", "dang-doc.pdf", "chet.pdf")
        )
        arrival = arrival_services.arrival_receive(
            actor=province.clerk.user,
            organization=province.committee,
            upload=("den.pdf", pdf_bytes),
            channel="upload",
        )
    minutes = settings.VANPHONG_EXTRACTION_REQUEUE_MINUTES
    age(DocumentFile, lost.pk, minutes + 20)
    age(DocumentFile, dead.pk, minutes + 10)
    age(DocumentFile, reading.pk, minutes + 10)
    age(DocumentFile, recent.pk, minutes - 5)
    age(Arrival, arrival.pk, minutes + 5)
    # Came long ago, queued again a minute ago: still waiting behind a long queue.
    age(DocumentFile, waiting.pk, minutes + 20)
    DocumentFile.objects.filter(pk=waiting.pk).update(
        extraction_queued_at=timezone.now() - dt.timedelta(minutes=1)
    )
    claim(DocumentFile, reading.pk, seconds_ago=jobs.TIME_LIMIT - 60)  # a job is reading it
    claim(DocumentFile, dead.pk, seconds_ago=jobs.TIME_LIMIT + 60)  # the worker reading it died

    sent: list[tuple[str, int]] = []
    monkeypatch.setattr(jobs, "send_now", lambda name, pk: sent.append((name, pk)) or True)
    assert jobs.requeue_pending_extractions() == {"files": 2, "arrivals": 1}
    assert sent == [(EXTRACT_TEXT, lost.pk), (EXTRACT_TEXT, dead.pk), (EXTRACT_ARRIVAL, arrival.pk)]

    # Queued now: not again before VANPHONG_EXTRACTION_REQUEUE_MINUTES, though still pending.
    sent.clear()
    assert jobs.requeue_pending_extractions() == {"files": 0, "arrivals": 0} and not sent
    assert DocumentFile.objects.get(pk=lost.pk).extraction == ExtractionState.PENDING

    age(DocumentFile, lost.pk, minutes + 1)
    monkeypatch.setattr(jobs, "REQUEUE_BATCH", 0)
    assert jobs.requeue_pending_extractions() == {"files": 0, "arrivals": 0} and not sent

    # The job queued for the dead reading refuses the file; a copy of the living one does nothing.
    assert jobs.extract_text(dead.pk) == "refused"
    dead.refresh_from_db()
    assert dead.extraction == ExtractionState.FAILED
    assert dead.extraction_note.startswith("Lần đọc nội dung trước làm dừng tiến trình nền")
    held = DocumentFile.objects.filter(pk=reading.pk).values(
        "extraction", "extraction_note", "extraction_claim"
    )
    assert jobs.extract_text(reading.pk) == "busy"
    assert held.get() == {
        "extraction": ExtractionState.PENDING,
        "extraction_note": "",
        "extraction_claim": "job-1",
    }


# --- Two copies of one job ----------------------------------------------------------------------


@pytest.fixture
def text_changes() -> Iterator[list[int]]:
    """The documents whose text search was told of (``document_changed`` with text)."""
    changed: list[int] = []

    def receiver(sender: Any, document: Document, text: bool, **kwargs: Any) -> None:
        if text:
            changed.append(document.pk)

    document_changed.connect(receiver, dispatch_uid="test_queue_down.text_changes")
    yield changed
    document_changed.disconnect(dispatch_uid="test_queue_down.text_changes")


def lost_upload(province, pdf_bytes: bytes, tmp_path) -> DocumentFile:
    """A file of a registered document whose reading job was lost at the upload."""
    with broker_down(*down("filesystem", tmp_path)):
        document = registered_entry(
            actor=province.clerk.user, organization=province.committee, subject="Về chuyển đổi số"
        ).document
        return file_services.file_attach(
            actor=province.clerk.user, document=document, upload=("nghi-quyet.pdf", pdf_bytes)
        )


def counting_reads(monkeypatch, during: Callable[[], None] = lambda: None) -> list[str]:
    """Count the readings of files; ``during`` runs inside the first one, before it ends."""
    reads: list[str] = []
    real = extraction.extract_to_temp

    def read(path: Any, content_type: str, **kwargs: Any) -> Any:
        reads.append(str(path))
        if len(reads) == 1:
            during()
        return real(path, content_type, **kwargs)

    monkeypatch.setattr(extraction, "extract_to_temp", read)
    return reads


def test_a_copy_run_while_the_first_reads_leaves_the_file_alone(
    province, books, pdf_bytes, tmp_path, monkeypatch, text_changes, django_capture_on_commit_callbacks
):
    """Before the claim, the copy took the first job's mark for a dead worker's and marked
    the file refused; the first job then stored the text over the refusal."""
    record = lost_upload(province, pdf_bytes, tmp_path)
    copies: list[str] = []
    reads = counting_reads(monkeypatch, during=lambda: copies.append(jobs.extract_text(record.pk)))
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.extract_text(record.pk) == ExtractionState.DONE
    assert copies == ["busy"] and len(reads) == 1
    record.refresh_from_db()
    assert record.extraction == ExtractionState.DONE and "chuyển đổi số" in record.text.lower()
    events = AuditEvent.objects.filter(action="document.file_extract")
    assert [e.after["state"] for e in events] == ["done"]
    assert text_changes == [record.document_id]
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.extract_text(record.pk) == "already"  # and after it: nothing again
    assert len(reads) == 1 and events.count() == 1 and text_changes == [record.document_id]


def test_a_copy_of_an_arrivals_job_run_while_the_first_reads_leaves_it_alone(
    province, pdf_bytes, tmp_path, monkeypatch
):
    with broker_down(*down("filesystem", tmp_path)):
        arrival = arrival_services.arrival_receive(
            actor=province.clerk.user,
            organization=province.committee,
            upload=("den.pdf", pdf_bytes),
            channel="upload",
        )
    copies: list[str] = []
    reads = counting_reads(monkeypatch, during=lambda: copies.append(jobs.extract_arrival(arrival.pk)))
    assert jobs.extract_arrival(arrival.pk) == ExtractionState.DONE
    assert copies == ["busy"] and len(reads) == 1
    arrival.refresh_from_db()
    assert arrival.extraction == ExtractionState.DONE and arrival.proposal
    assert jobs.extract_arrival(arrival.pk) == "already" and len(reads) == 1


def test_the_outcome_is_stored_only_under_the_jobs_own_claim(province, books, pdf_bytes, tmp_path):
    record = lost_upload(province, pdf_bytes, tmp_path)
    claim(DocumentFile, record.pk, seconds_ago=0, by="job-2")
    refused = extraction.Extracted(state=ExtractionState.FAILED, note="Từ chối.", refused=True)
    assert file_services.file_extraction_store(file_id=record.pk, result=refused, claim="job-1") is None
    assert file_services.file_extraction_store(file_id=record.pk, result=refused, claim="job-2") is not None
    assert file_services.file_extraction_store(file_id=record.pk, result=refused, claim="job-2") is None
    assert AuditEvent.objects.filter(action="document.file_extract").count() == 1


POSTGRES_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Chạy đồng thời thật cần PostgreSQL (SQLite trong bộ nhớ không chờ khóa giữa các luồng).",
)
COPIES = 4


def _at_once(count: int, work: Callable[[], str]) -> list[str]:
    """Run ``work`` on ``count`` threads released together, each on its own connection."""
    barrier = threading.Barrier(count)

    def run(_i: int) -> str:
        try:
            barrier.wait(timeout=30)
            return work()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_copies_of_the_job_run_at_once_read_the_file_once(
    province, books, pdf_bytes, tmp_path, monkeypatch, text_changes
):
    record = lost_upload(province, pdf_bytes, tmp_path)
    reads = counting_reads(monkeypatch, during=lambda: time.sleep(0.5))  # the others come meanwhile
    outcomes = _at_once(COPIES, lambda: jobs.extract_text(record.pk))
    assert outcomes.count(ExtractionState.DONE) == 1, outcomes
    assert set(outcomes) - {ExtractionState.DONE} <= {"busy", "already"}, outcomes
    assert len(reads) == 1
    record.refresh_from_db()
    assert record.extraction == ExtractionState.DONE and record.text and record.extraction_note == ""
    assert AuditEvent.objects.filter(action="document.file_extract").count() == 1
    assert text_changes == [record.document_id]


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_copies_taking_over_a_dead_reading_at_once_refuse_the_file_once(
    province, books, pdf_bytes, tmp_path, monkeypatch
):
    record = lost_upload(province, pdf_bytes, tmp_path)
    claim(DocumentFile, record.pk, seconds_ago=jobs.TIME_LIMIT + 60)
    reads = counting_reads(monkeypatch)
    outcomes = _at_once(COPIES, lambda: jobs.extract_text(record.pk))
    assert outcomes.count("refused") == 1, outcomes
    assert set(outcomes) - {"refused"} <= {"busy", "already"}, outcomes
    assert not reads
    record.refresh_from_db()
    assert record.extraction == ExtractionState.FAILED
    assert record.extraction_note.startswith("Lần đọc nội dung trước làm dừng tiến trình nền")
    assert [e.after["state"] for e in AuditEvent.objects.filter(action="document.file_extract")] == ["failed"]


def test_the_sweep_is_on_beats_schedule(settings):
    entry = beat_schedule()["requeue-pending-extractions"]
    assert entry["task"] == SWEEP and entry["options"]["expires"] > 0
    app.loader.import_default_modules()
    assert SWEEP in app.tasks
