"""Background jobs of the documents app (Celery): reading files' text (with OCR), proposing
registration fields for arrivals, and collecting the e-mail drop folder.

Each job takes an id, re-fetches the row (logging and returning when it is gone), does the
slow reading outside any transaction, and stores the outcome through a service.

One reading per row, however many copies of its job run (the sweep below queues again a
job that may still be waiting, and a broker may deliver a message twice). A reading job
first *claims* the row with one conditional UPDATE: pending and unclaimed, it becomes
claimed by this job (``extraction_claim``: the job's id) at ``extraction_claimed_at``. A
copy that does not get the claim (the row is read, or another job holds a claim younger
than the hard time limit) returns at once without touching anything; and the outcome is
stored only while the row still carries the job's own claim (the store services check it
under the row's lock). So the text is stored, the search index told, the reading audited
and a file refused once.

A file is read at most once by itself. The reading is bounded (``extraction``); the jobs
have soft and hard time limits (VANPHONG_EXTRACT_SOFT_TIME_LIMIT, VANPHONG_EXTRACT_TIME_LIMIT)
and each worker child a memory ceiling (config/celery.py). When a job's worker child is
lost or killed at the hard limit, the failure handler below (run by the worker's main
process) marks the file refused, if the row still carries that job's claim. When the whole
worker died, its claim stays; once older than the hard time limit no job can still hold it,
and the next job for the row (the broker delivering it again, or the sweep's) takes the
claim over and refuses the file instead of reading it again, so a file that kills workers
cannot loop.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from celery import Task, shared_task
from celery.exceptions import TimeLimitExceeded, WorkerLostError
from celery.signals import task_failure
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.core.jobs import send_now
from vanphong.documents import extraction
from vanphong.documents.models import Arrival, DocumentFile, ExtractionState
from vanphong.documents.services import arrivals as arrival_services
from vanphong.documents.services import files as file_services

logger = logging.getLogger(__name__)

# Soft limit: SoftTimeLimitExceeded in the job, which records the file as refused; hard
# limit: the worker kills the child. One OCR run stops 30 s before the soft limit.
TIME_LIMIT = extraction.JOB_TIME_LIMIT
SOFT_TIME_LIMIT = extraction.JOB_SOFT_TIME_LIMIT
# A claim older than the hard time limit is held by no living job: its worker was killed.
CLAIM_EXPIRES = dt.timedelta(seconds=TIME_LIMIT)
EXTRACT_TEXT = "vanphong.documents.jobs.extract_text"
EXTRACT_ARRIVAL = "vanphong.documents.jobs.extract_arrival"
VERIFY_SIGNATURES = "vanphong.documents.jobs.verify_signatures"


def _local_path(field_file: Any) -> Path:
    return Path(field_file.path)


def lost_note() -> str:
    return _(
        "Lần đọc nội dung trước làm dừng tiến trình nền (quá thời gian hoặc quá bộ nhớ); "
        "không đọc lại tệp này."
    )


def _refused(note: str) -> extraction.Extracted:
    return extraction.Extracted(state=ExtractionState.FAILED, note=note, refused=True)


@dataclass(frozen=True)
class Reading:
    """What a reading job reads (DocumentFile or Arrival) and the service storing the
    outcome: ``store(pk, result, claim)``, None unless the row still carries ``claim``."""

    model: type[DocumentFile] | type[Arrival]
    store: Callable[[int, extraction.Extracted, str], object | None]


READINGS = {
    EXTRACT_TEXT: Reading(
        DocumentFile,
        lambda pk, result, claim: file_services.file_extraction_store(file_id=pk, result=result, claim=claim),
    ),
    EXTRACT_ARRIVAL: Reading(
        Arrival,
        lambda pk, result, claim: arrival_services.arrival_extraction_store(
            arrival_id=pk, result=result, claim=claim
        ),
    ),
}


def extraction_claim(model: type[DocumentFile] | type[Arrival], pk: int, claim: str) -> str:
    """Take the reading of row ``pk`` for the job ``claim``, each way by one conditional
    UPDATE (of two jobs racing, one gets it): ``"claimed"`` when it was pending and
    unclaimed; ``"taken_over"`` when its claim was older than CLAIM_EXPIRES (the job
    holding it died). Otherwise why not: ``"gone"``, ``"already"`` (read), or ``"busy"``
    (another job holds it)."""
    now = timezone.now()
    pending = model.objects.filter(pk=pk, extraction=ExtractionState.PENDING)
    claimed = {"extraction_claim": claim, "extraction_claimed_at": now}
    if pending.filter(extraction_claimed_at__isnull=True).update(**claimed):
        return "claimed"
    if pending.filter(extraction_claimed_at__lt=now - CLAIM_EXPIRES).update(**claimed):
        return "taken_over"
    state = model.objects.filter(pk=pk).values_list("extraction", flat=True).first()
    if state is None:
        return "gone"
    return "busy" if state == ExtractionState.PENDING else "already"


def _read(name: str, pk: int, job: Task) -> str:
    reading = READINGS[name]
    claim = job.request.id or uuid.uuid4().hex  # called directly (not through Celery): no id
    outcome = extraction_claim(reading.model, pk, claim)
    if outcome == "gone":
        logger.info("%s: %s %s is gone", job.name, reading.model.__name__, pk)
    if outcome in ("gone", "already", "busy"):
        return outcome
    if outcome == "taken_over":
        logger.warning(
            "%s: the last reading of %s %s never finished; refused", job.name, reading.model.__name__, pk
        )
        return "refused" if reading.store(pk, _refused(lost_note()), claim) is not None else "busy"
    record = reading.model.objects.filter(pk=pk).only("file", "content_type").first()
    if record is None:
        return "gone"
    result, workdir = extraction.extract_to_temp(_local_path(record.file), record.content_type)
    try:
        stored = reading.store(pk, result, claim)
    finally:
        file_services.workdir_remove(workdir)
    if stored is None:  # the row went, or its claim was taken over (a clock far off)
        logger.warning("%s: the reading of %s %s was not stored", job.name, reading.model.__name__, pk)
        return "busy"
    return result.state


_EXTRACTION_JOB = {
    "bind": True,
    "time_limit": TIME_LIMIT,
    "soft_time_limit": SOFT_TIME_LIMIT,
    "acks_late": True,
    "reject_on_worker_lost": False,  # a job that kills its worker is not delivered again
    "ignore_result": True,
}


@shared_task(name=EXTRACT_TEXT, **_EXTRACTION_JOB)
def extract_text(self: Task, file_id: int) -> str:
    """Read the text of one DocumentFile (OCR for scans) and store it, once; then verify
    its digital signatures (a file refused as harmful is not opened again)."""
    outcome = _read(EXTRACT_TEXT, file_id, self)
    if outcome not in ("gone", "already", "busy", "refused"):
        _verify(file_id)
    return outcome


def _verify(file_id: int) -> int | None:
    record = DocumentFile.objects.filter(pk=file_id).first()
    if record is None:
        return None
    return len(file_services.file_verify_signatures(record))


@shared_task(
    name=VERIFY_SIGNATURES,
    time_limit=5 * 60,
    soft_time_limit=5 * 60 - 30,
    acks_late=True,
    reject_on_worker_lost=False,
    ignore_result=True,
)
def verify_signatures(file_id: int) -> int | None:
    """Verify the digital signatures of one DocumentFile whose text was already read (a
    registered arrival): how many signatures it carries, None when it is gone."""
    return _verify(file_id)


@shared_task(name=EXTRACT_ARRIVAL, **_EXTRACTION_JOB)
def extract_arrival(self: Task, arrival_id: int) -> str:
    """Read an arrival's text and propose its registration fields, once."""
    return _read(EXTRACT_ARRIVAL, arrival_id, self)


@task_failure.connect
def refuse_after_a_lost_worker(
    sender: Any = None,
    task_id: str | None = None,
    exception: BaseException | None = None,
    args: Any = None,
    kwargs: Any = None,
    **_extra: Any,
) -> None:
    """An extraction job's worker child was killed (hard time limit, lost worker): mark
    the file refused, once (only while the row still carries that job's claim).
    Celery sends this signal from the worker's main process for those two cases."""
    name = getattr(sender, "name", "")
    if name not in READINGS or not task_id:
        return
    if not isinstance(exception, TimeLimitExceeded | WorkerLostError):
        return
    pk = args[0] if args else (kwargs or {}).get("file_id" if name == EXTRACT_TEXT else "arrival_id")
    if pk is None:
        return
    note = extraction.time_limit_note() if isinstance(exception, TimeLimitExceeded) else lost_note()
    try:
        READINGS[name].store(pk, _refused(note), task_id)
    except Exception:  # the worker's main process must survive; the claim expires, the sweep goes on
        logger.exception("could not mark %s %s refused after its worker was lost", name, pk)


@shared_task(
    name="vanphong.documents.jobs.receive_drop_folder",
    time_limit=30 * 60,
    soft_time_limit=30 * 60 - 30,
    ignore_result=True,
)
def receive_drop_folder() -> dict[str, int]:
    """Collect VANPHONG_DROP_DIR for VANPHONG_DROP_ORGANIZATION (beat, when configured)."""
    if not settings.VANPHONG_DROP_DIR:
        return {"received": 0, "failed": 0}
    organization = arrival_services.organization_by_slug_or_id(settings.VANPHONG_DROP_ORGANIZATION)
    report = arrival_services.drop_folder_receive(
        folder=Path(settings.VANPHONG_DROP_DIR), organization=organization
    )
    return {"received": len(report.arrivals), "failed": len(report.failed)}


# --- Jobs that were never queued, or whose worker died ------------------------------------------

REQUEUE_BATCH = 200  # files, and as many arrivals, per sweep; the next sweep takes the rest


def _requeue_due(
    model: type[DocumentFile] | type[Arrival], now: dt.datetime
) -> list[tuple[int, dt.datetime]]:
    """Pending rows not queued in the last VANPHONG_EXTRACTION_REQUEUE_MINUTES and held by no
    living job, oldest first: (pk, when last queued)."""
    cutoff = now - dt.timedelta(minutes=settings.VANPHONG_EXTRACTION_REQUEUE_MINUTES)
    unheld = Q(extraction_claimed_at__isnull=True) | Q(extraction_claimed_at__lt=now - CLAIM_EXPIRES)
    return list(
        model.objects.filter(unheld, extraction=ExtractionState.PENDING, extraction_queued_at__lt=cutoff)
        .order_by("extraction_queued_at", "pk")
        .values_list("pk", "extraction_queued_at")[:REQUEUE_BATCH]
    )


@shared_task(
    name="vanphong.documents.jobs.requeue_pending_extractions",
    time_limit=5 * 60,
    soft_time_limit=5 * 60 - 30,
    ignore_result=True,
)
def requeue_pending_extractions() -> dict[str, int]:
    """Queue again the reading of files and arrivals still pending that no job is known to
    hold: not queued (on upload, or by this sweep) in the last
    VANPHONG_EXTRACTION_REQUEUE_MINUTES, and either never claimed by a job (the broker was
    down when they came, and the upload answered all the same, vanphong/core/jobs.py; or the
    message was lost) or claimed longer ago than the jobs' hard time limit (the worker that
    took it died: the job queued now refuses the file). Oldest first, in batches (beat,
    VANPHONG_SCHEDULE_EXTRACTION_SWEEP).

    A job still waiting in a long queue is queued again at most once per that many minutes,
    and a job reading its file never: should two copies run, the claim lets one read and the
    other return without effect (``extraction_claim``). Each row is queued by one sweep (a
    conditional UPDATE of ``extraction_queued_at``), which is put back when the broker is
    down, so that the next sweep tries it again at once."""
    now = timezone.now()
    queued = {"files": 0, "arrivals": 0}
    for kind, job in (("files", EXTRACT_TEXT), ("arrivals", EXTRACT_ARRIVAL)):
        model = READINGS[job].model
        for pk, last_queued in _requeue_due(model, now):
            if not model.objects.filter(pk=pk, extraction_queued_at=last_queued).update(
                extraction_queued_at=now
            ):
                continue  # another sweep queued it meanwhile
            if not send_now(job, pk):  # the broker went away again: the next sweep goes on
                model.objects.filter(pk=pk, extraction_queued_at=now).update(extraction_queued_at=last_queued)
                logger.warning("requeue_pending_extractions: stopped, %s queued", queued)
                return queued
            queued[kind] += 1
    if queued["files"] or queued["arrivals"]:
        logger.info("requeue_pending_extractions: queued again %s", queued)
    return queued
