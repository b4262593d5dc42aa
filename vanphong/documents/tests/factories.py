"""Documents for the tests.

``DocumentFactory`` makes the document row alone (no number, no register entry): for what
reads a document as it stands. Everything that has a number comes from the services, so
that numbers, registers and audit are as in real use:

* ``registered_entry`` — a ``DocumentFactory`` document entered in a register through
  ``entry_register`` (the organisation's book of that kind, the classified one for a
  classified document, unless a register is named);
* ``incoming_entry`` — a document received and registered through ``incoming_register``,
  as the clerk registers it (the symbol parsed, the issuer resolved, duplicates noticed);
* ``outgoing_draft`` — a draft through ``outgoing_draft_create``.

The last two take the ``province`` of the root conftest (or anything that answers the same
names, such as the outgoing tests' ``people``) for their default people and organisations;
the registers must be open (the ``books`` fixture)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from vanphong.documents.models import Document, DocumentState, RegisterEntry, RegisterKind
from vanphong.documents.services.incoming import incoming_register
from vanphong.documents.services.outgoing import outgoing_draft_create
from vanphong.documents.services.registering import entry_register, register_for
from vanphong.orgs.models import Classification
from vanphong.orgs.tests.factories import OrganizationFactory

ISSUED_DATE = dt.date(2025, 11, 3)  # the date of the documents the province receives


class DocumentFactory(factory.django.DjangoModelFactory):
    """A received, unclassified document of a new organisation; give ``organization`` (and
    ``state`` for one of ours) to place it."""

    class Meta:
        model = Document

    organization = factory.SubFactory(OrganizationFactory)
    state = DocumentState.RECEIVED
    subject = factory.Sequence(lambda n: f"Về việc thử số {n}")
    classification = Classification.NONE


def registered_entry(
    *,
    actor: Any,
    organization: Any = None,
    register: Any = None,
    kind: str = RegisterKind.INCOMING,
    on: dt.date | None = None,
    received_at: dt.datetime | None = None,
    **document_fields: Any,
) -> RegisterEntry:
    """A ``DocumentFactory(organization=…, **document_fields)`` entered by ``actor`` (a
    user) in ``register``, by default ``organization``'s register of ``kind`` for the
    document's classification. The document is received for the incoming book, issued for
    the others, unless ``state`` is given."""
    if register is not None:
        organization = organization or register.organization
        kind = register.kind
    document_fields.setdefault(
        "state", DocumentState.RECEIVED if kind == RegisterKind.INCOMING else DocumentState.ISSUED
    )
    document = DocumentFactory(organization=organization, **document_fields)
    if register is None:
        register = register_for(organization=organization, kind=kind, classification=document.classification)
    return entry_register(actor=actor, register=register, document=document, on=on, received_at=received_at)


def incoming_entry(province: Any, number: int | None = None, /, **fields: Any) -> RegisterEntry:
    """``incoming_register``: the Tỉnh ủy's văn thư registers in the Tỉnh ủy's book
    Nghị quyết 15-NQ/TW of 03/11/2025, or with a ``number`` Công văn {number}-CV/TW "Công
    văn số {number} về kinh tế số". Any field of the service may be given."""
    values: dict[str, Any] = {
        "actor": province.clerk.user,
        "organization": province.committee,
        "symbol": "15-NQ/TW",
        "subject": "Nghị quyết về phát triển kinh tế số",
        "issued_date": ISSUED_DATE,
    }
    if number is not None:
        values.update(symbol=f"{number}-CV/TW", subject=f"Công văn số {number} về kinh tế số")
    values.update(fields)
    return incoming_register(**values)


def outgoing_draft(province: Any, **fields: Any) -> Document:
    """``outgoing_draft_create``: the Tỉnh ủy's văn thư drafts a Nghị quyết of the Tỉnh ủy
    for the Bí thư to sign, sent to both communes and the Trung ương. Any field of the
    service may be given."""
    values: dict[str, Any] = {
        "actor": province.clerk.user,
        "organization": province.committee,
        "doc_type": "NQ",
        "subject": "Nghị quyết về phát triển kinh tế số tỉnh",
        "signer": province.leader,
        "recipients": [(province.commune_x, "để thực hiện"), province.commune_y, province.centre],
        "body": "Ban Thường vụ Tỉnh ủy quyết nghị.\n\nGiao các cấp ủy tổ chức thực hiện.",
    }
    values.update(fields)
    return outgoing_draft_create(**values)
