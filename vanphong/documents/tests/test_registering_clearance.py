"""Registering, drafting or copying a document above one's own clearance is refused before
anything is written: no document, no register entry, no number taken, no file stored."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from vanphong.api.tests.helpers import assert_error, bearer
from vanphong.documents.models import Document, DocumentFile, RegisterCounter, RegisterEntry
from vanphong.documents.services import copies
from vanphong.documents.services.copies import document_copy
from vanphong.documents.services.outgoing import outgoing_issue
from vanphong.documents.tests.test_outgoing_support import approve, make_draft, people_fixture  # noqa: F401
from vanphong.orgs.models import Classification


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _nothing_written():
    assert not Document.objects.exists()
    assert not RegisterEntry.objects.exists()
    assert not RegisterCounter.objects.exists()
    assert not DocumentFile.objects.exists()


def test_the_api_refuses_registering_above_the_clerks_clearance(client, province, books, settings):
    upload = SimpleUploadedFile("mat.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = client.post(
        "/api/v1/incoming/",
        {
            "organization": province.commune_x.pk,
            "symbol": "08-NQ/TU",
            "subject": "Nghị quyết mật",
            "classification": "mat",
            "files": [upload],
        },
        **bearer(province.clerk_x.user),  # văn thư of the commune, no clearance
    )
    error = assert_error(response, 400, "invalid")
    assert "chưa được tiếp cận bí mật" in error["fields"]["classification"][0]
    _nothing_written()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_a_cleared_clerk_is_refused_above_their_own_level(client, province, books):
    response = client.post(
        "/api/v1/incoming/",
        {"symbol": "08-NQ/TU", "subject": "Nghị quyết tối mật", "classification": "toi_mat"},
        content_type="application/json",
        **bearer(province.clerk.user),  # cleared for Mật only
    )
    error = assert_error(response, 400, "invalid")
    assert "“Mật”" in error["fields"]["classification"][0]
    _nothing_written()
    # At their own level the clerk registers it, in the classified book.
    response = client.post(
        "/api/v1/incoming/",
        {"symbol": "08-NQ/TU", "subject": "Nghị quyết mật", "classification": "mat"},
        content_type="application/json",
        **bearer(province.clerk.user),
    )
    assert response.status_code == 201, response.json()
    assert response.json()["register"] == books["committee"]["Sổ văn bản mật đến"].pk


def test_the_api_refuses_drafting_above_ones_clearance(client, people):
    response = client.post(
        "/api/v1/outgoing/",
        {
            "organization": people.committee.pk,
            "doc_type": "NQ",
            "subject": "Nghị quyết mật",
            "classification": "toi_mat",
            "recipients": [people.commune_x.pk],
        },
        content_type="application/json",
        **bearer(people.drafter.user),  # cleared for Mật only
    )
    error = assert_error(response, 400, "invalid")
    assert "“Mật”" in error["fields"]["classification"][0]
    _nothing_written()


def test_copying_above_ones_clearance_is_refused_before_a_number_is_taken(people, monkeypatch):
    secret = approve(people, make_draft(people, classification=Classification.MAT, signer=people.leader))
    outgoing_issue(actor=people.clerk.user, document=secret)
    secret.refresh_from_db()
    people.clerk.clearance = Classification.NONE
    people.clerk.save(update_fields=["clearance"])
    user = people.clerk.user
    if hasattr(user, "_vanphong_scope"):
        del user._vanphong_scope
    # Reading already hides it (404); the copy's own check holds even when the original
    # reached the service by another path.
    monkeypatch.setattr(copies, "get_document_for_user", lambda actor, pk: secret)
    entries, documents = RegisterEntry.objects.count(), Document.objects.count()
    with pytest.raises(ValidationError) as caught:
        document_copy(actor=user, original=secret, form="SY", organization=people.committee)
    assert "chưa được tiếp cận bí mật" in caught.value.message_dict["classification"][0]
    assert (RegisterEntry.objects.count(), Document.objects.count()) == (entries, documents)


def test_the_registration_page_shows_the_refusal_next_to_the_field(client, province, books, settings):
    from vanphong.documents.tests.test_incoming_pages import form_data

    settings.VANPHONG_TOTP_REQUIRED = "none"
    client.force_login(province.clerk.user)
    response = client.post(
        reverse("documents:incoming_register"), form_data(classification=str(Classification.TOI_MAT))
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "nên không được vào sổ văn bản có độ mật cao hơn" in html
    _nothing_written()
