"""The download of a document's file, the same for the page and the API: opened through the
files service (access checked, the download audited there), answered as an attachment."""

from __future__ import annotations

from django.http import FileResponse

from vanphong.core.http import download_response
from vanphong.documents.services.files import file_open_for_user
from vanphong.orgs.actors import Actor


def file_response(user: Actor, pk: int, *, derived: bool) -> FileResponse:
    """The download of file ``pk``, or of its OCR'd copy (``derived``)."""
    record, stream = file_open_for_user(user=user, file_id=pk, derived=derived)
    name = record.original_name
    content_type = record.content_type
    if derived:
        name = f"{name.rsplit('.', 1)[0]}.ocr.pdf"
        content_type = "application/pdf"
    return download_response(
        stream, name=name, content_type=content_type, sha256="" if derived else record.sha256
    )
