"""Arrivals: received files waiting to be registered, their proposed fields, the clerk's
queue and upload pages, the e-mail drop folder, and handing the bytes to the registered
document."""

from __future__ import annotations

import os
import time
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.http import Http404
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from vanphong.accounts.second_factor import second_factor_required
from vanphong.audit.models import AuditEvent
from vanphong.core.pending import pending_for
from vanphong.demo import documents_files as demo_files
from vanphong.documents.models import Arrival, ArrivalState, Document, DocumentState, ExtractionState
from vanphong.documents.services import arrivals as services
from vanphong.documents.services.files import file_verify
from vanphong.documents.services.registering import entry_register

DEMO = demo_files.demo_documents()


def sign_in(client, person):
    """A signed-in session, verified by a second factor when the policy asks for one."""
    client.force_login(person.user)
    if second_factor_required(person.user):
        device = TOTPDevice.objects.create(user=person.user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


PARTY_DOC = DEMO[2]  # 15-TB/TU, KHẨN


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="module")
def pdf_bytes():
    return demo_files.render_pdf(PARTY_DOC)


def receive(province, data, *, actor=None, channel="upload", org=None, name="den.pdf"):
    return services.arrival_receive(
        actor=province.clerk.user if actor is None else actor,
        organization=org or province.committee,
        upload=(name, data),
        channel=channel,
    )


def test_a_received_file_is_read_after_commit_and_its_fields_proposed(
    province, pdf_bytes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        arrival = receive(province, pdf_bytes)
    arrival.refresh_from_db()
    assert arrival.state == ArrivalState.WAITING
    assert arrival.extraction == ExtractionState.DONE
    assert arrival.proposal["symbol"] == PARTY_DOC.symbol
    assert arrival.proposal["urgency"] == "khan"
    assert arrival.proposal["issuer_name"] == "TỈNH ỦY LÂM ĐỒNG"
    assert "text" not in arrival.proposal and PARTY_DOC.subject in arrival.text
    assert file_verify(arrival)
    assert AuditEvent.objects.filter(action="document.arrival_receive").count() == 1


def test_only_register_keepers_of_the_organisation_may_receive(province, pdf_bytes):
    with pytest.raises(ValidationError, match="không giữ sổ"):
        receive(province, pdf_bytes, actor=province.specialist.user)
    with pytest.raises(ValidationError, match="không giữ sổ"):
        receive(province, pdf_bytes, actor=province.clerk_x.user)
    with pytest.raises(ValidationError, match="Nguồn nhận"):
        receive(province, pdf_bytes, channel="pigeon")
    assert not Arrival.objects.exists()


def test_registering_an_arrival_hands_its_exact_bytes_to_the_document(
    province, books, pdf_bytes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        arrival = receive(province, pdf_bytes)
    arrival.refresh_from_db()
    document = Document.objects.create(
        organization=province.committee, state=DocumentState.RECEIVED, subject=PARTY_DOC.subject
    )
    entry = entry_register(
        actor=province.clerk.user, register=books["committee"]["Sổ văn bản đến"], document=document
    )
    with django_capture_on_commit_callbacks(execute=True):
        record = services.arrival_mark_registered(actor=province.clerk.user, arrival=arrival, entry=entry)
    arrival.refresh_from_db()
    assert arrival.state == ArrivalState.REGISTERED and arrival.entry == entry
    assert record.document == document
    assert record.file.name == arrival.file.name  # the same stored bytes, not a copy
    assert record.sha256 == arrival.sha256 and file_verify(record)
    assert record.text == arrival.text and record.extraction == ExtractionState.DONE
    with pytest.raises(ValidationError, match="đã được vào sổ"):
        services.arrival_mark_registered(actor=province.clerk.user, arrival=arrival, entry=entry)


def test_an_arrival_cannot_be_registered_in_another_organisations_books(province, books, pdf_bytes):
    arrival = receive(province, pdf_bytes)
    document = Document.objects.create(
        organization=province.commune_x, state=DocumentState.RECEIVED, subject="x"
    )
    entry = entry_register(
        actor=province.clerk_x.user, register=books["commune_x"]["Sổ văn bản đến"], document=document
    )
    with pytest.raises(ValidationError, match="cơ quan khác"):
        services.arrival_mark_registered(actor=province.clerk_x.user, arrival=arrival, entry=entry)


def test_discarding_takes_it_out_of_the_queue_once(province, pdf_bytes):
    arrival = receive(province, pdf_bytes)
    services.arrival_discard(actor=province.clerk.user, arrival=arrival, reason="Trùng")
    assert not services.arrivals_for(province.clerk.user).exists()
    with pytest.raises(ValidationError, match="không còn ở hàng chờ"):
        services.arrival_discard(actor=province.clerk.user, arrival=arrival)


def test_the_queue_belongs_to_the_register_keepers_of_the_receiving_organisation(province, pdf_bytes):
    arrival = receive(province, pdf_bytes)
    assert list(services.arrivals_for(province.clerk.user)) == [arrival]
    # The Chánh Văn phòng keeps the committee's books with its văn thư (the office acts for it).
    assert list(services.arrivals_for(province.chief.user)) == [arrival]
    assert not services.arrivals_for(province.specialist.user).exists()
    assert not services.arrivals_for(province.clerk_x.user).exists()
    with pytest.raises(Http404):
        services.get_arrival_for_user(province.clerk_x.user, arrival.pk)


def test_a_scan_stamped_above_the_clerks_clearance_stays_hidden_from_them(province, pdf_bytes):
    arrival = receive(province, pdf_bytes)
    Arrival.objects.filter(pk=arrival.pk).update(proposal={"classification": "toi_mat"})
    with pytest.raises(Http404):
        services.get_arrival_for_user(province.clerk.user, arrival.pk)  # cleared for Mật only


def test_the_queue_shows_the_proposal_with_its_stamps_in_words(
    client, province, pdf_bytes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        receive(province, pdf_bytes)
    sign_in(client, province.clerk)
    html = client.get(reverse("documents:arrival_list")).content.decode()
    assert PARTY_DOC.symbol in html and "TỈNH ỦY LÂM ĐỒNG" in html
    assert "Khẩn" in html and PARTY_DOC.subject in html


def test_the_home_page_counts_arrivals_for_register_keepers(province, pdf_bytes):
    receive(province, pdf_bytes)
    receive(province, pdf_bytes, name="hai.pdf")
    groups = {g.key: g for g in pending_for(province.clerk.user)}
    assert groups["arrivals"].count == 2 and groups["arrivals"].title == "Văn bản chờ vào sổ"
    assert "arrivals" not in {g.key for g in pending_for(province.specialist.user)}


# --- Pages ------------------------------------------------------------------------------------


def test_the_clerk_uploads_several_files_at_once_and_sees_them_in_the_queue(client, province, pdf_bytes):
    sign_in(client, province.clerk)
    response = client.post(
        reverse("documents:arrival_upload"),
        {
            "organization": province.committee.pk,
            "channel": "scan",
            "sender": "Bưu điện",
            "files": [
                SimpleUploadedFile("một.pdf", pdf_bytes),
                SimpleUploadedFile("hai.docx", demo_files.render_docx(DEMO[5])),
            ],
        },
    )
    assert response.status_code == 302
    assert Arrival.objects.filter(channel="scan", sender="Bưu điện").count() == 2
    page = client.get(reverse("documents:arrival_list"))
    assert page.status_code == 200
    assert (
        "một.pdf" in page.content.decode()
        and reverse("documents:incoming_from_arrival", args=[Arrival.objects.first().pk])
        in page.content.decode()
    )
    partial = client.get(reverse("documents:arrival_list"), headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode() and "hai.docx" in partial.content.decode()


def test_a_bad_file_in_an_upload_refuses_the_whole_upload(client, province, pdf_bytes):
    sign_in(client, province.clerk)
    response = client.post(
        reverse("documents:arrival_upload"),
        {
            "organization": province.committee.pk,
            "channel": "upload",
            "files": [SimpleUploadedFile("tot.pdf", pdf_bytes), SimpleUploadedFile("xau.pdf", b"MZ program")],
        },
    )
    assert response.status_code == 400
    assert "Không nhận loại tệp này" in response.content.decode()
    assert not Arrival.objects.exists()


def test_people_who_keep_no_books_get_404_on_the_queue(client, province):
    sign_in(client, province.specialist)
    assert client.get(reverse("documents:arrival_list")).status_code == 404
    assert client.get(reverse("documents:arrival_upload")).status_code == 404


def test_discard_from_the_queue_page_and_404_for_another_communes_clerk(client, province, pdf_bytes):
    arrival = receive(province, pdf_bytes)
    sign_in(client, province.clerk_x)
    assert client.post(reverse("documents:arrival_discard", args=[arrival.pk])).status_code == 404
    assert client.get(reverse("documents:arrival_file", args=[arrival.pk])).status_code == 404
    sign_in(client, province.clerk)
    response = client.get(reverse("documents:arrival_file", args=[arrival.pk]))
    assert b"".join(response.streaming_content) == pdf_bytes
    assert client.post(reverse("documents:arrival_discard", args=[arrival.pk])).status_code == 302
    arrival.refresh_from_db()
    assert arrival.state == ArrivalState.DISCARDED


# --- E-mail drop folder -----------------------------------------------------------------------


def settled(path: Path) -> Path:
    old = time.time() - 60
    os.utime(path, (old, old))
    return path


def mail(folder: Path, name: str, attachments: list[tuple[str, bytes]]) -> Path:
    message = EmailMessage()
    message["From"] = "Văn phòng Trung ương Đảng <vanthu@dang.vn>"
    message["To"] = "vanthu@tinhuy.vn"
    message["Subject"] = "Gửi văn bản"
    message.set_content("Kính gửi văn bản kèm theo.")
    for filename, data in attachments:
        message.add_attachment(data, maintype="application", subtype="octet-stream", filename=filename)
    path = folder / name
    path.write_bytes(bytes(message))
    return settled(path)


def test_the_drop_folder_turns_mails_and_files_into_arrivals_and_never_loses_a_file(
    province, tmp_path, pdf_bytes
):
    folder = tmp_path / "drop"
    folder.mkdir()
    mail(folder, "1.eml", [("Thông báo 15.pdf", pdf_bytes), ("chu-ky.p7s", b"\x30\x82 signature")])
    mail(folder, "2.eml", [("virus.exe", b"MZ program")])
    (folder / "3.pdf").write_bytes(pdf_bytes)
    settled(folder / "3.pdf")
    (folder / "4.docx").write_bytes(b"still being copied")  # too fresh: left for next time
    (folder / "5.pdf").write_bytes(b"%PDF- broken but accepted as a PDF")
    settled(folder / "5.pdf")

    report = services.drop_folder_receive(folder=folder, organization=province.committee)

    assert len(report.arrivals) == 3 and report.failed == ["2.eml"] and report.skipped == ["4.docx"]
    from_mail = Arrival.objects.get(original_name="Thông báo 15.pdf")
    assert from_mail.channel == "email" and "vanthu@dang.vn" in from_mail.sender
    assert Arrival.objects.filter(channel="folder").count() == 2
    assert sorted(p.name for p in (folder / "processed").iterdir()) == [
        "1.eml",
        "1.eml.error.txt",
        "3.pdf",
        "5.pdf",
    ]
    assert "chu-ky.p7s" in (folder / "processed" / "1.eml.error.txt").read_text(encoding="utf-8")
    assert sorted(p.name for p in (folder / "failed").iterdir()) == ["2.eml", "2.eml.error.txt"]
    assert "virus.exe" in (folder / "failed" / "2.eml.error.txt").read_text(encoding="utf-8")
    assert [p.name for p in folder.iterdir() if p.is_file()] == ["4.docx"]


def test_the_command_receives_for_an_organisation_by_slug(province, tmp_path, pdf_bytes, capsys):
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(pdf_bytes)
    settled(folder / "a.pdf")
    call_command("receive_drop_folder", organization="tinhuy", folder=str(folder))
    assert "Đã nhận 1 văn bản" in capsys.readouterr().out
    assert Arrival.objects.get().organization == province.committee
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Không tìm thấy cơ quan"):
        call_command("receive_drop_folder", organization="khong-co", folder=str(folder))


def test_the_beat_entry_exists_only_when_a_drop_folder_is_set(settings):
    from vanphong.core.schedule import beat_schedule

    settings.VANPHONG_DROP_DIR = ""
    assert "receive-drop-folder" not in beat_schedule()
    settings.VANPHONG_DROP_DIR = "/srv/thu-den"
    entry = beat_schedule()["receive-drop-folder"]
    assert entry["task"] == "vanphong.documents.jobs.receive_drop_folder"
