"""The hook the document services call when a document changes, so that search and
reference links follow:

* ``document_text_changed(document)`` — after the text of one of its files was extracted
  (or a file was added or removed);
* ``document_metadata_changed(document)`` — after it was registered, issued, edited or
  withdrawn (symbol, subject, issuer, dates, state, classification).

Both re-index the document and refresh the links found in its subject and text; a change of
metadata also links earlier documents that cited this one by its (new) symbol. They run in
the caller's transaction, so a rolled-back registration leaves no trace in the index.
"""

from __future__ import annotations

from django.db import transaction

from vanphong.documents.models import Document
from vanphong.documents.services.links import links_refresh, links_resolve_to
from vanphong.search.services import search_index_document


def document_text_changed(document: Document) -> None:
    with transaction.atomic():
        search_index_document(document=document)
        links_refresh(document=document)


def document_metadata_changed(document: Document) -> None:
    with transaction.atomic():
        search_index_document(document=document)
        links_refresh(document=document)
        links_resolve_to(document=document)
