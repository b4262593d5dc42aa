"""The "Ký số" panel of the document page: for an approved or issued document of ours, a
form to sign one of its PDF files with one's own credential or, for its văn thư, with the
organisation's seal. Registered when this module is imported (by the exchange app's
``ready``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from vanphong.core.files import PDF
from vanphong.documents import panels
from vanphong.exchange.forms_signing import FileSignForm
from vanphong.exchange.selectors_signing import credentials_usable_by
from vanphong.exchange.signing import SIGNABLE_STATES


@panels.register("signing", order=30)
def signing_panel(request: HttpRequest, document: Any) -> panels.Panel | None:
    if document.state not in SIGNABLE_STATES:
        return None
    files = list(document.files.filter(content_type=PDF).order_by("uploaded_at", "pk"))
    if not files:
        return None
    credentials = credentials_usable_by(request.user, organization_id=document.organization_id)
    if not credentials.exists():
        return None
    next_url = request.get_full_path()
    forms = [
        (
            f,
            FileSignForm(
                credentials=credentials, initial={"file": f.pk, "next": next_url}, auto_id=f"id_sign{f.pk}_%s"
            ),
        )
        for f in files
    ]
    return panels.Panel(
        key="signing",
        title="Ký số",
        template="exchange/signing/panel_document.html",
        context={"document": document, "forms": forms},
    )
