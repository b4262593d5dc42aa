"""Keeping a document's files: exact bytes with their hash, refusals, rollback cleanup,
text extraction after commit, integrity checks and audited downloads."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import Http404

from vanphong.audit.models import AuditEvent
from vanphong.core import files
from vanphong.demo import documents_files as demo_files
from vanphong.documents.models import DocumentFile, ExtractionState
from vanphong.documents.services import files as services
from vanphong.documents.tests.factories import registered_entry
from vanphong.orgs.models import Classification
from vanphong.search.selectors import search

DEMO = demo_files.demo_documents()[0]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="module")
def pdf_bytes():
    return demo_files.render_pdf(DEMO)


def incoming(province, *, classification=Classification.NONE, subject="Về chuyển đổi số"):
    return registered_entry(
        actor=province.clerk.user,
        organization=province.committee,
        doc_type="NQ",
        symbol="15-NQ/TU",
        subject=subject,
        classification=classification,
    ).document


def test_attaching_keeps_the_exact_bytes_and_records_hash_size_and_type(province, books, pdf_bytes):
    document = incoming(province)
    record = services.file_attach(
        actor=province.clerk.user, document=document, upload=("Nghị quyết 15.pdf", pdf_bytes)
    )
    assert record.sha256 == hashlib.sha256(pdf_bytes).hexdigest()
    assert record.size == len(pdf_bytes)
    assert record.content_type == files.PDF
    assert record.original_name == "Nghị quyết 15.pdf"
    assert record.sha256 in record.file.name
    assert Path(record.file.path).read_bytes() == pdf_bytes
    assert record.extraction == ExtractionState.PENDING
    event = AuditEvent.objects.get(action="document.file_attach")
    assert event.after["sha256"] == record.sha256 and event.after["size"] == len(pdf_bytes)


def test_an_uploaded_file_object_is_streamed_too(province, books, pdf_bytes):
    document = incoming(province)
    upload = SimpleUploadedFile("scan.pdf", pdf_bytes, content_type="application/octet-stream")
    record = services.file_attach(actor=province.clerk.user, document=document, upload=upload)
    assert record.content_type == files.PDF  # sniffed, not what the browser said
    record2 = services.file_attach(
        actor=province.clerk.user, document=document, upload=("b.pdf", io.BytesIO(pdf_bytes))
    )
    assert record2.sha256 == record.sha256
    assert record2.file.name != record.file.name  # never over an existing file


def test_a_file_over_the_limit_is_refused_and_nothing_is_kept(province, books, settings, pdf_bytes):
    settings.VANPHONG_MAX_UPLOAD_MB = 1
    document = incoming(province)
    with pytest.raises(ValidationError, match="lớn hơn 1 MB"):
        services.file_attach(
            actor=province.clerk.user, document=document, upload=("big.pdf", b"%PDF-" + b"0" * 2_000_000)
        )
    assert not DocumentFile.objects.exists()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.pdf"))


def test_an_unknown_or_dangerous_file_is_refused_in_vietnamese(province, books, settings):
    document = incoming(province)
    with pytest.raises(ValidationError, match="Không nhận loại tệp này"):
        services.file_attach(
            actor=province.clerk.user, document=document, upload=("virus.pdf", b"MZ\x90\x00program")
        )
    with pytest.raises(ValidationError, match="Tệp rỗng"):
        services.file_attach(actor=province.clerk.user, document=document, upload=("empty.pdf", b""))
    assert not DocumentFile.objects.exists()


def test_a_failure_while_recording_removes_the_stored_bytes(
    province, books, settings, monkeypatch, pdf_bytes
):
    document = incoming(province)

    def broken_audit(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(services, "audit_record", broken_audit)
    with pytest.raises(RuntimeError):
        services.file_attach(actor=province.clerk.user, document=document, upload=("a.pdf", pdf_bytes))
    assert not DocumentFile.objects.exists()
    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def test_files_left_by_a_callers_rollback_are_removed_as_orphans(province, books, settings, pdf_bytes):
    document = incoming(province)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.file_attach(actor=province.clerk.user, document=document, upload=("a.pdf", pdf_bytes))
        raise RuntimeError("the caller fails after attaching")
    kept = services.file_attach(actor=province.clerk.user, document=document, upload=("b.pdf", pdf_bytes))
    stored = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert len(stored) == 2
    assert services.files_remove_orphans(older_than=dt.timedelta(0)) == [
        p.relative_to(settings.MEDIA_ROOT).as_posix() for p in stored if p.name.startswith("a")
    ]
    assert Path(kept.file.path).exists()


def test_text_is_extracted_after_commit_and_search_is_told(
    province, books, pdf_bytes, django_capture_on_commit_callbacks
):
    document = incoming(province)
    with django_capture_on_commit_callbacks(execute=True):
        record = services.file_attach(
            actor=province.clerk.user, document=document, upload=("a.pdf", pdf_bytes)
        )
    record.refresh_from_db()
    assert record.extraction == ExtractionState.DONE
    assert DEMO.symbol in record.text and not record.ocr
    assert record.page_count == 1
    document.refresh_from_db()
    assert document.page_count == 1
    assert AuditEvent.objects.filter(action="document.file_extract", after__state="done").exists()
    # Words only in the file's text now find the document, without diacritics too.
    found = search(province.clerk.user, "quan triet day du")
    assert [r.id for r in found.results] == [document.pk]


def test_running_the_extraction_again_changes_nothing(
    province, books, pdf_bytes, django_capture_on_commit_callbacks
):
    from vanphong.documents import jobs

    document = incoming(province)
    with django_capture_on_commit_callbacks(execute=True):
        record = services.file_attach(
            actor=province.clerk.user, document=document, upload=("a.pdf", pdf_bytes)
        )
    assert jobs.extract_text(record.pk) == "already"
    assert jobs.extract_text(999_999) == "gone"


def test_verify_detects_a_changed_file(province, books, pdf_bytes):
    document = incoming(province)
    record = services.file_attach(actor=province.clerk.user, document=document, upload=("a.pdf", pdf_bytes))
    assert services.file_verify(record)
    Path(record.file.path).write_bytes(pdf_bytes + b"tampered")
    assert not services.file_verify(record)


def test_a_reader_gets_the_original_bytes_and_every_download_is_audited(province, books, pdf_bytes):
    document = incoming(province)
    record = services.file_attach(actor=province.clerk.user, document=document, upload=("a.pdf", pdf_bytes))
    opened, stream = services.file_open_for_user(user=province.leader.user, file_id=record.pk)
    with stream:
        assert stream.read() == pdf_bytes
    assert AuditEvent.objects.filter(action="document.file_download", actor=province.leader.user).count() == 1


def test_a_classified_file_is_404_for_a_reader_without_clearance_or_need(province, books, pdf_bytes):
    document = incoming(province, classification=Classification.TOI_MAT)
    record = services.file_attach(actor=province.chief.user, document=document, upload=("mat.pdf", pdf_bytes))
    for outsider in (province.clerk, province.specialist, province.clerk_x):
        with pytest.raises(Http404):
            services.file_open_for_user(user=outsider.user, file_id=record.pk)
    _f, stream = services.file_open_for_user(user=province.leader.user, file_id=record.pk)
    stream.close()
    event = AuditEvent.objects.get(action="document.file_download")
    assert event.after["classification"] == Classification.TOI_MAT
    with pytest.raises(Http404):
        services.file_open_for_user(user=province.leader.user, file_id="not-a-number")
    with pytest.raises(Http404):
        services.file_open_for_user(user=province.leader.user, file_id=record.pk, derived=True)


def test_register_keepers_and_writers_of_a_holding_organisation_may_attach(province, books):
    document = incoming(province)
    assert services.file_may_attach(province.clerk.user, document)
    assert not services.file_may_attach(province.clerk_x.user, document)
    assert not services.file_may_attach(province.admin.user, document)
