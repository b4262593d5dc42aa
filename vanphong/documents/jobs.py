"""Background jobs of the documents app (Celery): reading files' text (with OCR), proposing
registration fields for arrivals, and collecting the e-mail drop folder.

Each job takes an id, re-fetches the row (logging and returning when it is gone), does the
slow reading outside any transaction, and stores the outcome through a service. Running
one twice is harmless: a file whose text was already read is left alone.

A file is read at most once by itself. The reading is bounded (``extraction``); the jobs
have soft and hard time limits (VANPHONG_EXTRACT_SOFT_TIME_LIMIT, VANPHONG_EXTRACT_TIME_LIMIT)
and each worker child a memory ceiling (config/celery.py). A reading job first marks the
row with ``ATTEMPT_NOTE``: when its worker child is lost or killed at the hard limit, the
failure handler below (run by the worker's main process) marks the file refused; when the
whole worker died and the broker delivers the job again, the job finds its mark and refuses
the file instead of reading it again, so a file that kills workers cannot loop.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from celery import shared_task
from celery.exceptions import TimeLimitExceeded, WorkerLostError
from celery.signals import task_failure
from django.conf import settings
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
EXTRACT_TEXT = "vanphong.documents.jobs.extract_text"
EXTRACT_ARRIVAL = "vanphong.documents.jobs.extract_arrival"
# Kept on a pending row while a job reads its file (compared as is: never translated).
# Two marks: an arrival registered while its job runs passes its note on to the new
# document file, whose own job must not take it for a reading of its own that died.
ATTEMPT_NOTE = "Đang đọc nội dung tệp."
ARRIVAL_ATTEMPT_NOTE = "Đang đọc nội dung văn bản đến."


def _local_path(field_file: Any) -> Path:
    return Path(field_file.path)


def lost_note() -> str:
    return _(
        "Lần đọc nội dung trước làm dừng tiến trình nền (quá thời gian hoặc quá bộ nhớ); "
        "không đọc lại tệp này."
    )


def _refused(note: str) -> extraction.Extracted:
    return extraction.Extracted(state=ExtractionState.FAILED, note=note, refused=True)


_EXTRACTION_JOB = {
    "time_limit": TIME_LIMIT,
    "soft_time_limit": SOFT_TIME_LIMIT,
    "acks_late": True,
    "reject_on_worker_lost": False,  # a job that kills its worker is not delivered again
    "ignore_result": True,
}


@shared_task(name=EXTRACT_TEXT, **_EXTRACTION_JOB)
def extract_text(file_id: int, force: bool = False) -> str:
    """Read the text of one DocumentFile (OCR for scans) and store it."""
    record = DocumentFile.objects.filter(pk=file_id).first()
    if record is None:
        logger.info("extract_text: file %s is gone", file_id)
        return "gone"
    if record.extraction_note == ATTEMPT_NOTE:
        logger.warning("extract_text: the last reading of file %s never finished; refused", file_id)
        file_services.file_extraction_store(file_id=file_id, result=_refused(lost_note()))
        return "refused"
    if record.extraction != ExtractionState.PENDING and not force:
        return "already"
    DocumentFile.objects.filter(pk=file_id).update(extraction_note=ATTEMPT_NOTE)
    result, workdir = extraction.extract_to_temp(_local_path(record.file), record.content_type)
    try:
        file_services.file_extraction_store(file_id=file_id, result=result)
    finally:
        file_services.workdir_remove(workdir)
    return result.state


@shared_task(name=EXTRACT_ARRIVAL, **_EXTRACTION_JOB)
def extract_arrival(arrival_id: int, force: bool = False) -> str:
    """Read an arrival's text and propose its registration fields."""
    arrival = Arrival.objects.filter(pk=arrival_id).first()
    if arrival is None:
        logger.info("extract_arrival: arrival %s is gone", arrival_id)
        return "gone"
    if arrival.extraction_note == ARRIVAL_ATTEMPT_NOTE:
        logger.warning("extract_arrival: the last reading of arrival %s never finished; refused", arrival_id)
        arrival_services.arrival_extraction_store(arrival_id=arrival_id, result=_refused(lost_note()))
        return "refused"
    if arrival.extraction != ExtractionState.PENDING and not force:
        return "already"
    Arrival.objects.filter(pk=arrival_id).update(extraction_note=ARRIVAL_ATTEMPT_NOTE)
    result, workdir = extraction.extract_to_temp(_local_path(arrival.file), arrival.content_type)
    try:
        arrival_services.arrival_extraction_store(arrival_id=arrival_id, result=result)
    finally:
        file_services.workdir_remove(workdir)
    return result.state


@task_failure.connect
def refuse_after_a_lost_worker(
    sender: Any = None,
    exception: BaseException | None = None,
    args: Any = None,
    kwargs: Any = None,
    **_extra: Any,
) -> None:
    """An extraction job's worker child was killed (hard time limit, lost worker): mark
    the file refused, once (only while the job's mark is still on the row).
    Celery sends this signal from the worker's main process for those two cases."""
    name = getattr(sender, "name", "")
    if name not in (EXTRACT_TEXT, EXTRACT_ARRIVAL):
        return
    if not isinstance(exception, TimeLimitExceeded | WorkerLostError):
        return
    pk = args[0] if args else (kwargs or {}).get("file_id" if name == EXTRACT_TEXT else "arrival_id")
    if pk is None:
        return
    note = extraction.time_limit_note() if isinstance(exception, TimeLimitExceeded) else lost_note()
    try:
        if name == EXTRACT_TEXT:
            if DocumentFile.objects.filter(pk=pk, extraction_note=ATTEMPT_NOTE).exists():
                file_services.file_extraction_store(file_id=pk, result=_refused(note))
        elif Arrival.objects.filter(pk=pk, extraction_note=ARRIVAL_ATTEMPT_NOTE).exists():
            arrival_services.arrival_extraction_store(arrival_id=pk, result=_refused(note))
    except Exception:  # the worker's main process must survive; the job's mark stays
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


# --- Jobs that were never queued ----------------------------------------------------------------

REQUEUE_BATCH = 200  # files, and as many arrivals, per sweep; the next sweep takes the rest


@shared_task(
    name="vanphong.documents.jobs.requeue_pending_extractions",
    time_limit=5 * 60,
    soft_time_limit=5 * 60 - 30,
    ignore_result=True,
)
def requeue_pending_extractions() -> dict[str, int]:
    """Queue again the reading of files and arrivals still pending
    VANPHONG_EXTRACTION_REQUEUE_MINUTES after they came and never started: the broker was
    down when they came (the upload answered all the same, vanphong/core/jobs.py), or the
    message was lost (beat, VANPHONG_SCHEDULE_EXTRACTION_SWEEP). Oldest first, in batches.
    A row whose job started carries the job's mark and is left to that job (and to its
    failure handler); a job queued twice finds the text read and does nothing."""
    cutoff = timezone.now() - dt.timedelta(minutes=settings.VANPHONG_EXTRACTION_REQUEUE_MINUTES)
    files = (
        DocumentFile.objects.filter(extraction=ExtractionState.PENDING, uploaded_at__lt=cutoff)
        .exclude(extraction_note=ATTEMPT_NOTE)
        .order_by("uploaded_at", "pk")
        .values_list("pk", flat=True)[:REQUEUE_BATCH]
    )
    arrivals = (
        Arrival.objects.filter(extraction=ExtractionState.PENDING, received_at__lt=cutoff)
        .exclude(extraction_note=ARRIVAL_ATTEMPT_NOTE)
        .order_by("received_at", "pk")
        .values_list("pk", flat=True)[:REQUEUE_BATCH]
    )
    queued = {"files": 0, "arrivals": 0}
    batches = (("files", EXTRACT_TEXT, list(files)), ("arrivals", EXTRACT_ARRIVAL, list(arrivals)))
    for kind, job, pks in batches:
        for pk in pks:
            if not send_now(job, pk):  # the broker went away again: the next sweep goes on
                logger.warning("requeue_pending_extractions: stopped, %s queued", queued)
                return queued
            queued[kind] += 1
    if queued["files"] or queued["arrivals"]:
        logger.info("requeue_pending_extractions: queued again %s", queued)
    return queued
