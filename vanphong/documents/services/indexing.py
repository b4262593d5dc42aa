"""The hook the document services call when a document changes, so that search and
reference links follow:

* ``document_text_changed(document)`` — after the text of one of its files was extracted
  (or a file was added or removed);
* ``document_metadata_changed(document)`` — after it was registered, issued, edited or
  withdrawn (symbol, subject, issuer, dates, state, classification).

Both refresh the links found in its subject and text (a change of metadata also links
earlier documents that cited this one by its new symbol) and send ``documents.signals.
document_changed``, on which the search index (an app above this one) re-indexes the
document. Everything runs in the caller's transaction, so a rolled-back registration leaves
no trace in the index or the links."""

from __future__ import annotations

from django.db import transaction

from vanphong.documents.models import Document
from vanphong.documents.services.links import links_refresh, links_resolve_to
from vanphong.documents.signals import document_changed


def document_text_changed(document: Document) -> None:
    with transaction.atomic():
        document_changed.send(sender=Document, document=document, text=True)
        links_refresh(document=document)


def document_metadata_changed(document: Document) -> None:
    with transaction.atomic():
        document_changed.send(sender=Document, document=document, text=False)
        links_refresh(document=document)
        links_resolve_to(document=document)
