"""Fixtures for the search tests: documents registered through the real numbering and
indexed through the hook the document services call."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from vanphong.documents.models import Document, DocumentFile, RegisterKind
from vanphong.documents.services.indexing import document_metadata_changed, document_text_changed
from vanphong.documents.tests.conftest import books  # noqa: F401 (a fixture)
from vanphong.documents.tests.factories import registered_entry
from vanphong.orgs.models import Organization

DocumentMaker = Callable[..., Document]


def add_text(document: Document, text: str) -> DocumentFile:
    """A file whose extracted text is ``text`` (the bytes themselves are not needed here)."""
    file = DocumentFile.objects.create(
        document=document,
        file=f"documents/test/{document.pk}.pdf",
        original_name=f"{document.pk}.pdf",
        content_type="application/pdf",
        size=len(text),
        sha256=f"{document.pk:064d}",
        extraction="done",
        text=text,
    )
    document_text_changed(document)
    return file


@pytest.fixture
def make_document(books, province) -> DocumentMaker:  # noqa: F811
    def make(
        subject: str,
        *,
        symbol: str = "",
        doc_type: str = "CV",
        organization: Organization | None = None,
        kind: str = RegisterKind.INCOMING,
        issuer: Organization | None = None,
        issuer_name: str = "",
        issued_date: dt.date | None = dt.date(2026, 3, 2),
        classification: int = 0,
        text: str = "",
        signer_name: str = "",
        **fields: Any,
    ) -> Document:
        document = registered_entry(
            actor=province.clerk.user,
            organization=organization or province.committee,
            kind=kind,
            on=issued_date or dt.date(2026, 3, 2),
            doc_type=doc_type,
            symbol=symbol,
            issuer=issuer,
            issuer_name=issuer_name,
            issued_date=issued_date,
            subject=subject,
            classification=classification,
            signer_name=signer_name,
            **fields,
        ).document
        document_metadata_changed(document)
        if text:
            add_text(document, text)
        return document

    return make
