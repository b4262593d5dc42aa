"""The "Hồ sơ" panel of the document page: the records (the reader may see) holding the
document, and a small form to file it into an open record the reader makes. Registered when
this module is imported (by the records app's ``ready``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from vanphong.documents import panels
from vanphong.records.models import RecordState
from vanphong.records.selectors import records_visible_to, records_writable_by

PANEL_LIMIT = 50
CHOICE_LIMIT = 200


@panels.register("records", order=40)
def records_panel(request: HttpRequest, document: Any) -> panels.Panel | None:
    user = request.user
    holding = list(
        records_visible_to(user)
        .filter(items__document_id=document.pk)
        .select_related("organization")
        .distinct()
        .order_by("-year", "code")[:PANEL_LIMIT]
    )
    writable = list(
        records_writable_by(user)
        .filter(state=RecordState.OPEN)
        .exclude(items__document_id=document.pk)
        .select_related("organization")
        .order_by("-year", "code")[:CHOICE_LIMIT]
    )
    if not holding and not writable:
        return None
    return panels.Panel(
        key="records",
        title="Hồ sơ",
        template="records/panel_document.html",
        context={
            "document": document,
            "holding": holding,
            "writable": writable,
            "next": request.get_full_path(),
        },
    )
