"""The digital signatures of a document's PDF files, verified when a file is read (upload,
registered arrival), stored on the file, answered by GET /api/v1/files/{id}/signatures/ and
shown on the document page: a certificate authority made in the test, real signing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from vanphong.api.tests.helpers import bearer
from vanphong.core.signatures import Pkcs12Signer, Placement, sign_pdf
from vanphong.core.signatures import checks as signature_checks
from vanphong.core.signatures.testing import TestCA, make_ca, make_leaf
from vanphong.demo import documents_files as demo_files
from vanphong.documents.models import Document, DocumentFile, DocumentState
from vanphong.documents.services import arrivals as arrival_services
from vanphong.documents.services import files as services
from vanphong.documents.services.registering import entry_register
from vanphong.documents.tests.factories import registered_entry

DEMO = demo_files.demo_documents()[0]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VANPHONG_TOTP_REQUIRED = "none"


@pytest.fixture(scope="module")
def ca() -> TestCA:
    return make_ca("CA thử nghiệm")


@pytest.fixture(autouse=True)
def _trust(settings, tmp_path, ca):
    roots = tmp_path / "roots.pem"
    roots.write_bytes(ca.pem)
    settings.VANPHONG_SIGNATURE_TRUST_ROOTS = str(roots)


@pytest.fixture(scope="module")
def signed_pdf(ca) -> bytes:
    signer = Pkcs12Signer.load(make_leaf(ca, DEMO.signer[2], passphrase="mk"), "mk")
    return sign_pdf(
        demo_files.render_pdf(DEMO), signer=signer, placement=Placement(page=-1, box=(330, 120, 510, 170))
    )


def tampered(data: bytes) -> bytes:
    changed = bytearray(data)
    position = data.index(b"stream", len(data) // 4) + 20
    changed[position] = (changed[position] + 1) % 256
    return bytes(changed)


def attached(province, data, django_capture_on_commit_callbacks, name="Nghị quyết 15 (đã ký).pdf"):
    document = registered_entry(
        actor=province.clerk.user, organization=province.committee, subject="Về chuyển đổi số"
    ).document
    with django_capture_on_commit_callbacks(execute=True):  # the reading job, inline
        record = services.file_attach(actor=province.clerk.user, document=document, upload=(name, data))
    record.refresh_from_db()
    return record


def test_an_uploaded_signed_pdf_is_verified_when_read_and_the_checks_stored(
    province, books, signed_pdf, django_capture_on_commit_callbacks
):
    record = attached(province, signed_pdf, django_capture_on_commit_callbacks)
    assert record.signatures_checked_at is not None
    (check,) = record.signatures
    assert check["signer"] == DEMO.signer[2]
    assert (check["intact"], check["trusted"], check["valid"]) == (True, True, True)
    assert check["reason"] == signature_checks.VALID


def test_the_api_answers_the_checks_and_a_tampered_file_is_flagged(
    client, province, books, signed_pdf, django_capture_on_commit_callbacks
):
    good = attached(province, signed_pdf, django_capture_on_commit_callbacks)
    bad = attached(province, tampered(signed_pdf), django_capture_on_commit_callbacks, name="sửa.pdf")
    response = client.get(f"/api/v1/files/{good.pk}/signatures/", **bearer(province.clerk.user))
    assert response.status_code == 200
    (check,) = response.json()
    assert {"signer", "signed_at", "intact", "trusted", "valid", "reason"} <= set(check)
    assert check["valid"] is True and check["signed_at"]
    (check,) = client.get(f"/api/v1/files/{bad.pk}/signatures/", **bearer(province.clerk.user)).json()
    assert check["intact"] is False and check["valid"] is False
    assert check["reason"] == signature_checks.TAMPERED


def test_a_file_never_checked_is_verified_on_demand_and_an_unsigned_one_answers_empty(
    client, province, books, signed_pdf, django_capture_on_commit_callbacks
):
    record = attached(province, signed_pdf, django_capture_on_commit_callbacks)
    DocumentFile.objects.filter(pk=record.pk).update(signatures=[], signatures_checked_at=None)
    (check,) = client.get(f"/api/v1/files/{record.pk}/signatures/", **bearer(province.clerk.user)).json()
    assert check["valid"] is True
    record.refresh_from_db()
    assert record.signatures_checked_at is not None and len(record.signatures) == 1
    plain = attached(province, demo_files.render_pdf(DEMO), django_capture_on_commit_callbacks)
    assert plain.signatures == [] and plain.signatures_checked_at is not None
    assert client.get(f"/api/v1/files/{plain.pk}/signatures/", **bearer(province.clerk.user)).json() == []


def test_someone_who_may_not_read_the_document_gets_404(
    client, province, books, signed_pdf, django_capture_on_commit_callbacks
):
    record = attached(province, signed_pdf, django_capture_on_commit_callbacks)
    response = client.get(f"/api/v1/files/{record.pk}/signatures/", **bearer(province.clerk_x.user))
    assert response.status_code == 404
    response = client.get("/api/v1/files/999999/signatures/", **bearer(province.clerk.user))
    assert response.status_code == 404


def test_a_registered_arrival_is_verified_too(
    province, books, signed_pdf, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        arrival = arrival_services.arrival_receive(
            actor=province.clerk.user,
            organization=province.committee,
            upload=("den.pdf", signed_pdf),
            channel="upload",
        )
    arrival.refresh_from_db()
    document = Document.objects.create(
        organization=province.committee, state=DocumentState.RECEIVED, subject="Văn bản đến có chữ ký số"
    )
    entry = entry_register(
        actor=province.clerk.user, register=books["committee"]["Sổ văn bản đến"], document=document
    )
    with django_capture_on_commit_callbacks(execute=True):
        record = arrival_services.arrival_mark_registered(
            actor=province.clerk.user, arrival=arrival, entry=entry
        )
    record.refresh_from_db()
    assert record.signatures_checked_at is not None
    assert record.signatures[0]["valid"] is True


def test_the_document_page_shows_each_signature_with_its_badge(
    client, province, books, signed_pdf, django_capture_on_commit_callbacks
):
    good = attached(province, signed_pdf, django_capture_on_commit_callbacks)
    services.file_attach(
        actor=province.clerk.user, document=good.document, upload=("sửa.pdf", tampered(signed_pdf))
    )
    bad = DocumentFile.objects.get(document=good.document, original_name="sửa.pdf")
    services.file_verify_signatures(bad)
    client.force_login(province.clerk.user)
    html = client.get(reverse("documents:document_detail", args=[good.document_id])).content.decode()
    assert "Chữ ký hợp lệ" in html
    assert "badge badge-danger" in html and "Tệp đã bị thay đổi sau khi ký" in html
    assert DEMO.signer[2] in html
