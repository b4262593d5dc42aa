"""HTTP answers every module gives the same way."""

from __future__ import annotations

from typing import IO

from django.http import FileResponse, HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request as ``django_htmx.middleware.HtmxMiddleware`` leaves it, for type checking:
    views that read ``request.htmx`` annotate their ``request`` with this."""

    htmx: HtmxDetails


def download_response(stream: IO[bytes], *, name: str, content_type: str, sha256: str = "") -> FileResponse:
    """A stored file as an attachment, never cached by a shared cache; with the SHA-256 of
    the exact bytes kept on upload when it is the original (``X-Content-SHA256``)."""
    response = FileResponse(stream, as_attachment=True, filename=name, content_type=content_type)
    if sha256:
        response["X-Content-SHA256"] = sha256
    response["Cache-Control"] = "private, no-store"
    return response
