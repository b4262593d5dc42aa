"""Copies: sao y, sao lục, trích sao in the copy register, classified copies in their own."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from vanphong.audit.models import AuditEvent
from vanphong.documents.models import DocumentState
from vanphong.documents.services.copies import document_copy
from vanphong.documents.services.outgoing import outgoing_issue
from vanphong.documents.tests.test_outgoing_support import approve, make_draft, people_fixture  # noqa: F401
from vanphong.orgs.models import Classification


@pytest.fixture
def issued(people):
    document = approve(people, make_draft(people))
    outgoing_issue(actor=people.clerk.user, document=document)
    document.refresh_from_db()
    return document


def test_copies_share_one_yearly_series_across_forms(people, issued):
    sy = document_copy(actor=people.clerk.user, original=issued, form="SY", organization=people.committee)
    trs = document_copy(
        actor=people.clerk.user,
        original=issued,
        form="TrS",
        organization=people.committee,
        excerpt="Điều 2",
        copies_count=3,
    )
    assert sy.register.name == trs.register.name == "Sổ văn bản sao"
    assert (sy.number, trs.number) == (1, 2)
    assert (sy.document.symbol, trs.document.symbol) == ("01/SY-TU", "02/TrS-TU")
    assert trs.copies_count == 3 and "Điều 2" in trs.notes
    assert sy.document.original == issued and sy.document.state == DocumentState.ISSUED
    assert AuditEvent.objects.filter(action="document.copy", target_id=str(sy.document.pk)).exists()


def test_sao_luc_is_made_from_a_sao_y_copy(people, issued):
    with pytest.raises(ValidationError, match="bản sao y"):
        document_copy(actor=people.clerk.user, original=issued, form="SL", organization=people.committee)
    sy = document_copy(actor=people.clerk.user, original=issued, form="SY", organization=people.committee)
    sl = document_copy(
        actor=people.clerk.user, original=sy.document, form="SL", organization=people.committee
    )
    assert sl.document.symbol == "02/SL-TU"


def test_trich_sao_needs_the_excerpt_and_forms_are_checked(people, issued):
    with pytest.raises(ValidationError) as caught:
        document_copy(
            actor=people.clerk.user,
            original=issued,
            form="TrS",
            organization=people.committee,
            copies_count=0,
        )
    assert {"excerpt", "copies_count"} <= set(caught.value.message_dict)
    with pytest.raises(ValidationError):
        document_copy(actor=people.clerk.user, original=issued, form="XX", organization=people.committee)


def test_a_draft_cannot_be_copied(people):
    draft = make_draft(people)
    with pytest.raises(ValidationError, match="đã phát hành"):
        document_copy(actor=people.clerk.user, original=draft, form="SY", organization=people.committee)


def test_copying_needs_the_books_of_the_organisation_and_sight_of_the_original(people, issued):
    with pytest.raises(PermissionDenied):
        document_copy(actor=people.drafter.user, original=issued, form="SY", organization=people.committee)
    # clerk_x received it (delivery) and may copy it into An Phú's own books
    entry = document_copy(
        actor=people.clerk_x.user, original=issued, form="SY", organization=people.commune_x
    )
    assert entry.organization == people.commune_x and entry.document.symbol == "01/SY-ĐU"
    secret = approve(people, make_draft(people, classification=Classification.MAT, recipients=[]))
    outgoing_issue(actor=people.clerk.user, document=secret)
    with pytest.raises(Http404):
        document_copy(actor=people.clerk_x.user, original=secret, form="SY", organization=people.commune_x)


def test_copying_a_classified_document_goes_to_the_classified_copy_register_and_is_recorded(people):
    secret = approve(people, make_draft(people, classification=Classification.MAT))
    outgoing_issue(actor=people.clerk.user, document=secret)
    entry = document_copy(actor=people.clerk.user, original=secret, form="SY", organization=people.committee)
    assert entry.register.name == "Sổ sao văn bản mật" and entry.classification == Classification.MAT
    assert entry.document.classification == Classification.MAT
    event = AuditEvent.objects.get(action="document.copy_classified", target_id=str(secret.pk))
    assert event.after["copy"] == entry.document_id and event.after["classification"] == "mat"
