"""API: GET /api/v1/files/{id}/ and POST /api/v1/capture/ (API.md "Documents")."""

from __future__ import annotations

import hashlib
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from vanphong.accounts.services import api_token_issue
from vanphong.api.tests.helpers import assert_error
from vanphong.audit.models import AuditEvent
from vanphong.demo import documents_files as demo_files
from vanphong.documents import capture
from vanphong.documents.models import Document
from vanphong.documents.services import files as services
from vanphong.documents.tests.factories import registered_entry
from vanphong.orgs.models import Classification

DEMO = demo_files.demo_documents()


def bearer(user):
    """A token obtained with the second factor (cleared readers must use one)."""
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=user, name='test', second_factor=True)}"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="module")
def pdf_bytes():
    return demo_files.render_pdf(DEMO[0])


def attached(province, data, *, name="Nghị quyết số 15.pdf", classification=Classification.NONE):
    document = registered_entry(
        actor=province.clerk.user,
        organization=province.committee,
        subject="Về chuyển đổi số",
        classification=classification,
    ).document
    return services.file_attach(actor=province.chief.user, document=document, upload=(name, data))


def test_a_reader_downloads_the_original_with_its_vietnamese_name_and_hash(
    client, province, books, pdf_bytes
):
    record = attached(province, pdf_bytes)
    response = client.get(f"/api/v1/files/{record.pk}/", **bearer(province.clerk.user))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-SHA256"] == hashlib.sha256(pdf_bytes).hexdigest()
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('Nghị quyết số 15.pdf')}" in disposition
    assert AuditEvent.objects.filter(action="document.file_download", actor=province.clerk.user).exists()


def test_a_reader_without_clearance_gets_404_for_a_classified_file(client, province, books, pdf_bytes):
    record = attached(province, pdf_bytes, classification=Classification.TOI_MAT)
    for outsider in (province.clerk, province.specialist, province.clerk_x):
        assert_error(client.get(f"/api/v1/files/{record.pk}/", **bearer(outsider.user)), 404, "not_found")
    assert not AuditEvent.objects.filter(action="document.file_download").exists()
    response = client.get(f"/api/v1/files/{record.pk}/", **bearer(province.leader.user))
    assert response.status_code == 200
    assert (
        AuditEvent.objects.get(action="document.file_download").after["classification"]
        == Classification.TOI_MAT
    )


def test_unknown_files_and_missing_derived_copies_are_404(client, province, books, pdf_bytes):
    record = attached(province, pdf_bytes)
    assert_error(client.get("/api/v1/files/999999/", **bearer(province.leader.user)), 404, "not_found")
    assert_error(
        client.get(f"/api/v1/files/{record.pk}/?derived=1", **bearer(province.leader.user)), 404, "not_found"
    )
    assert_error(client.get(f"/api/v1/files/{record.pk}/"), 401, "not_authenticated")


def test_the_derived_copy_is_served_when_there_is_one(client, province, books, pdf_bytes):
    record = attached(province, pdf_bytes)
    record.derived.save("x.ocr.pdf", SimpleUploadedFile("x.ocr.pdf", b"%PDF-derived"), save=True)
    response = client.get(f"/api/v1/files/{record.pk}/?derived=1", **bearer(province.leader.user))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-derived"
    assert "X-Content-SHA256" not in response


def test_capture_proposes_the_fields_and_keeps_nothing(client, province, settings, tmp_path):
    doc = next(d for d in DEMO if d.urgency and d.party)
    upload = SimpleUploadedFile("scan.docx", demo_files.render_docx(doc))
    response = client.post("/api/v1/capture/", {"file": upload}, **bearer(province.clerk.user))
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {*capture.FIELDS, "ocr", "text"}
    assert {k: body[k] for k in capture.FIELDS} == doc.expected()
    assert body["ocr"] is False
    assert not Document.objects.exists()
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*.*"))


def test_capture_refuses_a_file_it_does_not_accept_and_needs_a_file(client, province):
    upload = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 program")
    error = assert_error(
        client.post("/api/v1/capture/", {"file": upload}, **bearer(province.clerk.user)), 400, "invalid"
    )
    assert "Không nhận loại tệp này" in error["fields"]["file"][0]
    assert_error(client.post("/api/v1/capture/", {}, **bearer(province.clerk.user)), 400, "invalid")


def test_capture_is_for_people_who_keep_books_or_write(client, province):
    upload = SimpleUploadedFile("x.docx", demo_files.render_docx(DEMO[0]))
    assert_error(
        client.post("/api/v1/capture/", {"file": upload}, **bearer(province.admin.user)),
        403,
        "permission_denied",
    )
