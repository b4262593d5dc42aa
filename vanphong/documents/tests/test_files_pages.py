"""The files panel of the document page, its upload form, and file downloads."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from vanphong.accounts.second_factor import second_factor_required
from vanphong.audit.models import AuditEvent
from vanphong.demo import documents_files as demo_files
from vanphong.documents.models import DocumentFile
from vanphong.documents.services import files as services
from vanphong.documents.tests.factories import registered_entry
from vanphong.orgs.models import Classification


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="module")
def pdf_bytes():
    return demo_files.render_pdf(demo_files.demo_documents()[0])


def sign_in(client, person):
    client.force_login(person.user)
    if second_factor_required(person.user):
        device = TOTPDevice.objects.create(user=person.user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def document(province, classification=Classification.NONE):
    return registered_entry(
        actor=province.clerk.user,
        organization=province.committee,
        symbol="15-NQ/TU",
        subject="Về chuyển đổi số",
        classification=classification,
    ).document


def test_the_document_page_lists_files_with_hash_and_state_and_offers_upload(
    client, province, books, pdf_bytes
):
    doc = document(province)
    record = services.file_attach(
        actor=province.clerk.user, document=doc, upload=("Nghị quyết.pdf", pdf_bytes)
    )
    sign_in(client, province.clerk)
    html = client.get(reverse("documents:document_detail", args=[doc.pk])).content.decode()
    assert 'id="panel-files"' in html
    assert "Nghị quyết.pdf" in html and record.sha256[:12] in html
    assert "Đang chờ trích xuất" in html
    assert reverse("documents:file_download", args=[record.pk]) in html
    assert reverse("documents:file_attach", args=[doc.pk]) in html


def test_a_reader_who_may_not_attach_sees_no_upload_form(client, province, books, pdf_bytes):
    doc = document(province)
    services.file_attach(actor=province.clerk.user, document=doc, upload=("a.pdf", pdf_bytes))
    sign_in(client, province.admin)  # reads the committee's records, writes nothing
    html = client.get(reverse("documents:document_detail", args=[doc.pk])).content.decode()
    assert "a.pdf" in html
    assert reverse("documents:file_attach", args=[doc.pk]) not in html


def test_the_clerk_attaches_a_file_from_the_page(client, province, books, pdf_bytes):
    doc = document(province)
    sign_in(client, province.clerk)
    response = client.post(
        reverse("documents:file_attach", args=[doc.pk]),
        {"file": SimpleUploadedFile("scan.pdf", pdf_bytes), "kind": "scan"},
    )
    assert response.status_code == 302 and response["Location"].endswith("#panel-files")
    assert DocumentFile.objects.get(document=doc).kind == "scan"
    bad = client.post(
        reverse("documents:file_attach", args=[doc.pk]),
        {"file": SimpleUploadedFile("x.pdf", b"MZ"), "kind": "scan"},
        follow=True,
    )
    assert "Không nhận loại tệp này" in bad.content.decode()
    assert DocumentFile.objects.filter(document=doc).count() == 1


def test_attaching_to_a_document_out_of_reach_is_404(client, province, books, pdf_bytes):
    doc = document(province)
    sign_in(client, province.clerk_x)
    response = client.post(
        reverse("documents:file_attach", args=[doc.pk]), {"file": SimpleUploadedFile("a.pdf", pdf_bytes)}
    )
    assert response.status_code == 404
    assert not DocumentFile.objects.exists()


def test_the_download_page_route_follows_the_same_rules_as_the_api(client, province, books, pdf_bytes):
    doc = document(province, classification=Classification.MAT)
    record = services.file_attach(actor=province.clerk.user, document=doc, upload=("mật.pdf", pdf_bytes))
    sign_in(client, province.specialist)
    assert client.get(reverse("documents:file_download", args=[record.pk])).status_code == 404
    sign_in(client, province.clerk)
    response = client.get(reverse("documents:file_download", args=[record.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes
    assert AuditEvent.objects.filter(action="document.file_download", actor=province.clerk.user).count() == 1
