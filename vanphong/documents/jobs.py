"""Background jobs of the documents app (Celery): reading files' text (with OCR), proposing
registration fields for arrivals, and collecting the e-mail drop folder.

Each job takes an id, re-fetches the row (logging and returning when it is gone), does the
slow reading outside any transaction, and stores the outcome through a service. Running
one twice is harmless: a file whose text was already read is left alone.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from celery import shared_task
from django.conf import settings

from vanphong.documents import extraction
from vanphong.documents.models import Arrival, DocumentFile, ExtractionState
from vanphong.documents.services import arrivals as arrival_services
from vanphong.documents.services import files as file_services

logger = logging.getLogger(__name__)

# One OCR run may take OCR_TIME_LIMIT; the job gets a minute more to store the outcome.
TIME_LIMIT = extraction.OCR_TIME_LIMIT + 120


def _local_path(field_file: Any) -> Path:
    return Path(field_file.path)


@shared_task(
    name="vanphong.documents.jobs.extract_text",
    time_limit=TIME_LIMIT,
    soft_time_limit=TIME_LIMIT - 30,
    ignore_result=True,
)
def extract_text(file_id: int, force: bool = False) -> str:
    """Read the text of one DocumentFile (OCR for scans) and store it."""
    record = DocumentFile.objects.filter(pk=file_id).first()
    if record is None:
        logger.info("extract_text: file %s is gone", file_id)
        return "gone"
    if record.extraction != ExtractionState.PENDING and not force:
        return "already"
    result, workdir = extraction.extract_to_temp(_local_path(record.file), record.content_type)
    try:
        file_services.file_extraction_store(file_id=file_id, result=result)
    finally:
        file_services.workdir_remove(workdir)
    return result.state


@shared_task(
    name="vanphong.documents.jobs.extract_arrival",
    time_limit=TIME_LIMIT,
    soft_time_limit=TIME_LIMIT - 30,
    ignore_result=True,
)
def extract_arrival(arrival_id: int, force: bool = False) -> str:
    """Read an arrival's text and propose its registration fields."""
    arrival = Arrival.objects.filter(pk=arrival_id).first()
    if arrival is None:
        logger.info("extract_arrival: arrival %s is gone", arrival_id)
        return "gone"
    if arrival.extraction != ExtractionState.PENDING and not force:
        return "already"
    result, workdir = extraction.extract_to_temp(_local_path(arrival.file), arrival.content_type)
    try:
        arrival_services.arrival_extraction_store(arrival_id=arrival_id, result=result)
    finally:
        file_services.workdir_remove(workdir)
    return result.state


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
