"""Reads worth auditing, each audited here once for the page and the API alike: opening a
classified document (``document.view``). Downloads of a document's files are audited by
``services.files.file_open_for_user``."""

from __future__ import annotations

from vanphong.audit.services import audit_record
from vanphong.documents.models import Document
from vanphong.orgs.actors import Actor


def document_viewed(*, user: Actor, document: Document) -> None:
    """Record that ``user`` opened ``document`` when it is classified (the rules ask for a
    trace of every reading of a secret document). The caller has already checked access."""
    if document.classification > 0:
        audit_record(actor=user, action="document.view", target=document)
