"""The download of a meeting's minutes file, the same for the page and the API: the meeting
read through the access selectors (404 for those who may not see it), answered as an
attachment with the type its extension was given when the upload was sniffed."""

from __future__ import annotations

import logging
import mimetypes
from pathlib import PurePosixPath
from typing import Any

from django.http import FileResponse, Http404

from vanphong.core.http import download_response
from vanphong.documents.access import one_or_404
from vanphong.orgs.actors import Actor
from vanphong.programs.selectors import meetings_visible_to

logger = logging.getLogger(__name__)


def minutes_file_response(user: Actor, meeting_id: Any) -> FileResponse:
    meeting = one_or_404(meetings_visible_to(user).only("pk", "title", "minutes_file", "start"), meeting_id)
    if not meeting.minutes_file:
        raise Http404
    try:
        stream = meeting.minutes_file.open("rb")
    except FileNotFoundError:
        logger.error("minutes file of meeting %s is missing from storage", meeting.pk)
        raise Http404 from None
    suffix = PurePosixPath(meeting.minutes_file.name).suffix
    content_type = mimetypes.types_map.get(suffix.lower(), "application/octet-stream")
    if suffix.lower() == ".docx":
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    name = f"bien-ban-cuoc-hop-{meeting.pk}-{meeting.start:%Y%m%d}{suffix}"
    return download_response(stream, name=name, content_type=content_type)
