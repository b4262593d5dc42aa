"""The search index following the documents: each change re-indexes the document in the
same transaction, so a document can be found the moment it is registered or issued."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from vanphong.documents.signals import document_changed
from vanphong.search.services import search_index_document


@receiver(document_changed, dispatch_uid="search.index_document")
def index_document(sender: Any, document: Any, **kwargs: Any) -> None:
    search_index_document(document=document)
