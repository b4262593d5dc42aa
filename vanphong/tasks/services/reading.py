"""The reads of a task that leave a trace: opening a classified task (``task.view``) and
downloading an evidence file of one (``task.file_download``). The page and the API both call
these functions, so the same read writes the same audit entry whichever way it came."""

from __future__ import annotations

import logging
from typing import IO, Any

from django.http import Http404

from vanphong.audit.services import audit_record
from vanphong.orgs.actors import Actor
from vanphong.tasks.access import get_task
from vanphong.tasks.models import EvidenceFile, Task

logger = logging.getLogger(__name__)


def task_viewed(*, user: Actor, task: Task) -> None:
    """Record that ``user`` opened ``task``, which they may see: audited when the task is
    classified."""
    if task.classification > 0:
        audit_record(actor=user, action="task.view", target=task, organization_id=task.organization_id)


def evidence_open_for_user(
    *, user: Actor, file_id: Any, task_id: Any = None
) -> tuple[EvidenceFile, IO[bytes]]:
    """The evidence file and an open binary stream of its bytes, when ``user`` may see its
    task (and, when ``task_id`` is given, the file belongs to that task); 404 otherwise,
    including when the bytes are missing from storage. The download of a classified task's
    file is audited (``task.file_download``)."""
    records = EvidenceFile.objects.select_related("event")
    try:
        if task_id is not None:
            # Through the task's own key, not the ``task_id`` column: Django's lookup on a
            # primary key answers "no row" for a number beyond the column's range, where the
            # foreign key's lookup sends it on (SQLite: OverflowError, a server error).
            records = records.filter(event__task__pk=int(task_id))
        record = records.get(pk=int(file_id))
    except (EvidenceFile.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    task = get_task(user, record.event.task_id)
    try:
        stream = record.file.open("rb")
    except FileNotFoundError:
        logger.error("evidence file %s of task %s is missing from storage", record.pk, task.pk)
        raise Http404 from None
    if task.classification > 0:
        audit_record(
            actor=user,
            action="task.file_download",
            target=task,
            organization_id=task.organization_id,
            after={"file": record.pk, "name": record.original_name, "classification": task.classification},
        )
    return record, stream
