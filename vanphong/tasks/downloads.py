"""The download of a task's evidence file, the same for the page and the API: opened through
the reading service (access checked, the download audited there), answered as an attachment."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse

from vanphong.core.http import download_response
from vanphong.orgs.actors import Actor
from vanphong.tasks.services import evidence_open_for_user


def evidence_response(user: Actor, file_id: Any, *, task_id: Any = None) -> FileResponse:
    """The download of evidence file ``file_id`` (of task ``task_id``, when the address names it)."""
    record, stream = evidence_open_for_user(user=user, file_id=file_id, task_id=task_id)
    return download_response(
        stream, name=record.original_name, content_type=record.content_type, sha256=record.sha256
    )
