"""Letters sent online (``submissions``): kept whole or not at all, under a tracking code;
entered in the book once (a second clerk is refused), or refused with a reason; what the
tracking code shows; the officers' queue and its home-page group."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from vanphong.audit.models import AuditEvent
from vanphong.petitions import submissions
from vanphong.petitions.models import Petition, PetitionFile, PetitionSubmission, SubmissionState
from vanphong.petitions.pending_submissions import pending_submissions

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
TIFF = b"II*\x00" + b"\x00" * 32
CONTENT = "Tố cáo ông Trần Văn Bình, cán bộ địa chính xã, nhận tiền của dân để làm sổ đỏ nhanh."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.VANPHONG_TOTP_REQUIRED = "none"


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def temp_files(settings) -> list[Path]:
    return list(Path(settings.FILE_UPLOAD_TEMP_DIR).glob("vanphong-upload-*"))


def send(province, **kwargs) -> PetitionSubmission:
    values = {
        "organization": province.committee,
        "kind": "to_cao",
        "full_name": "Lê Thị Cúc",
        "address": "Thôn Bắc, xã An Phú",
        "id_number": "001190012345",
        "phone": "0987654321",
        "email": "cuc@example.vn",
        "respondent": "Ông Trần Văn Bình, cán bộ địa chính xã An Phú",
        "locality": "Xã An Phú",
        "content": CONTENT,
        "files": [("don.pdf", PDF), ("anh.png", PNG)],
        "client_address": "203.0.113.7",
    }
    values.update(kwargs)
    return submissions.submission_create(**values)


def test_a_letter_is_kept_with_its_files_under_a_tracking_code(province, settings):
    submission = send(province)
    assert re.fullmatch(r"DT-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", submission.tracking_code)
    assert submission.state == SubmissionState.PENDING
    files = list(submission.files.order_by("original_name"))
    assert [f.original_name for f in files] == ["anh.png", "don.pdf"]
    assert all(f.petition_id is None and f.extraction == "unavailable" for f in files)
    assert len(stored_files(settings)) == 2 and temp_files(settings) == []
    entry = AuditEvent.objects.get(action="petition.submission")
    assert "Cúc" not in str(entry.after) and "Cúc" not in entry.target_repr
    # A denunciation's entry does not keep even the address it came from.
    assert entry.ip_address is None


def test_codes_are_read_back_whatever_the_citizen_types():
    code = submissions.new_tracking_code()
    assert submissions.normalize_code(code.lower().replace("-", " ")) == code
    assert submissions.normalize_code("dt-0o1i-l234") == "DT-0011-1234"
    assert submissions.normalize_code("DT-12") is None
    assert submissions.normalize_code("DT-UUUU-UUUU") is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"full_name": "  "}, "full_name"),
        ({"address": ""}, "address"),
        ({"content": "Quá ngắn"}, "content"),
        ({"kind": "khac"}, "kind"),
        ({"respondent": ""}, "respondent"),
        ({"email": "khong-phai-thu"}, "email"),
        ({"phone": "abc"}, "phone"),
    ],
)
def test_what_the_law_asks_of_a_letter_is_checked(province, settings, change, field):
    with pytest.raises(ValidationError) as error:
        send(province, **change)
    assert field in error.value.message_dict
    assert not PetitionSubmission.objects.exists() and stored_files(settings) == []


def test_only_an_active_committee_hosted_here_receives(province):
    with pytest.raises(ValidationError) as error:
        send(province, organization=province.office)
    assert "organization" in error.value.message_dict
    province.commune_x.active = False
    province.commune_x.save()
    with pytest.raises(ValidationError):
        send(province, organization=province.commune_x)
    assert set(submissions.accepting_organizations()) == {province.committee, province.commune_y}


def test_a_refused_file_refuses_the_letter_and_leaves_nothing_behind(province, settings):
    with pytest.raises(ValidationError) as error:
        send(province, files=[("don.pdf", PDF), ("scan.tif", TIFF)])
    assert "scan.tif" in error.value.message_dict["files"][0]
    with pytest.raises(ValidationError) as error:
        send(province, files=[("a.txt", b"chi la van ban")])
    assert "files" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        send(province, files=[("don.pdf", PDF)] * 4)
    assert "nhiều nhất 3" in error.value.message_dict["files"][0]
    assert not PetitionSubmission.objects.exists() and not PetitionFile.objects.exists()
    assert stored_files(settings) == [] and temp_files(settings) == []


def test_registering_makes_one_petition_and_a_second_clerk_is_refused(province):
    submission = send(province)
    stale = PetitionSubmission.objects.get(pk=submission.pk)
    petition = submissions.submission_register(actor=province.clerk.user, submission=submission)
    assert petition.channel == "online" and petition.kind == "to_cao"
    assert petition.received_date == timezone.localdate(submission.submitted_at)
    assert [p.full_name for p in petition.petitioners.all()] == ["Lê Thị Cúc"]
    assert petition.locality == "Xã An Phú" and petition.registered_by == province.clerk
    assert sorted(petition.files.values_list("original_name", flat=True)) == ["anh.png", "don.pdf"]
    submission.refresh_from_db()
    assert submission.state == SubmissionState.REGISTERED and submission.petition == petition
    with pytest.raises(submissions.SubmissionConflict):
        submissions.submission_register(actor=province.chief.user, submission=stale)
    with pytest.raises(submissions.SubmissionConflict):
        submissions.submission_reject(actor=province.chief.user, submission=stale, reason="Thư rác")
    assert Petition.objects.count() == 1


def test_the_officer_may_correct_the_letter_while_entering_it(province):
    submission = send(province, kind="phan_anh", respondent="")
    petition = submissions.submission_register(
        actor=province.clerk.user,
        submission=submission,
        kind="kien_nghi",
        content="Kiến nghị về việc cấp giấy chứng nhận quyền sử dụng đất chậm.",
        field="Đất đai",
    )
    assert petition.kind == "kien_nghi" and petition.field == "Đất đai"
    assert petition.content.startswith("Kiến nghị")


def test_only_those_who_register_for_the_organisation_may_enter_or_refuse(province):
    submission = send(province)
    with pytest.raises(PermissionDenied):
        submissions.submission_register(actor=province.clerk_x.user, submission=submission)
    with pytest.raises(PermissionDenied):
        submissions.submission_reject(actor=province.clerk_x.user, submission=submission, reason="Thư rác")
    assert list(submissions.pending_for(province.clerk_x.user)) == []
    assert list(submissions.pending_for(province.clerk.user)) == [submission]


def test_a_refusal_needs_a_reason_which_the_sender_reads(province):
    submission = send(province)
    with pytest.raises(ValidationError) as error:
        submissions.submission_reject(actor=province.clerk.user, submission=submission, reason="  ")
    assert "reason" in error.value.message_dict
    submission.refresh_from_db()
    assert submission.state == SubmissionState.PENDING
    submissions.submission_reject(
        actor=province.clerk.user, submission=submission, reason="Đơn gửi nhầm cơ quan."
    )
    status = submissions.tracking_status(submission.tracking_code)
    assert status is not None and status.state == "Không vào sổ: Đơn gửi nhầm cơ quan."


def test_the_tracking_code_shows_the_state_and_never_an_officer(province):
    submission = send(province, kind="khieu_nai")
    status = submissions.tracking_status(submission.tracking_code.lower())
    assert status is not None and status.state == "Đã nhận, chờ vào sổ." and status.kind == "Khiếu nại"
    petition = submissions.submission_register(actor=province.clerk.user, submission=submission)
    status = submissions.tracking_status(submission.tracking_code)
    assert status is not None and status.number == f"{petition.number}/{petition.year}"
    assert status.state.startswith(f"Đã vào sổ số {petition.number}/{petition.year}, đang xử lý (hạn xử lý ")
    assert province.clerk.full_name not in repr(status)
    assert submissions.tracking_status("DT-0000-0000") is None


def test_the_queue_group_on_the_home_page_names_no_one(province):
    send(province)
    group = pending_submissions(province.clerk.user)
    assert group is not None and group.count == 1 and group.url == reverse("petitions:submission_list")
    assert "Cúc" not in str(group.items) and group.items[0][0].startswith("Tố cáo gửi ")
    assert pending_submissions(province.clerk_x.user).count == 0  # another committee's văn thư: not theirs


def test_a_registered_denunciation_is_masked_on_the_queue_for_non_handlers(client, province):
    submission = send(province)
    submissions.submission_register(actor=province.clerk.user, submission=submission)
    url = reverse("petitions:submission_detail", args=[submission.pk])
    client.force_login(province.specialist.user)
    html = client.get(url).content.decode()
    assert "Lê Thị Cúc" not in html and "giữ bí mật" in html
    assert not AuditEvent.objects.filter(action="petition.submission_read").exists()
    client.force_login(province.clerk.user)  # entered it: a handler
    html = client.get(url).content.decode()
    assert "Lê Thị Cúc" in html
    assert (
        AuditEvent.objects.filter(action="petition.submission_read", actor=province.clerk.user).count() == 1
    )


def test_the_queue_pages_register_and_refuse(client, province):
    first = send(province, kind="kien_nghi", respondent="")
    second = send(province, kind="phan_anh", respondent="", client_address="203.0.113.8")
    client.force_login(province.clerk.user)
    html = client.get(reverse("petitions:submission_list")).content.decode()
    assert "Chờ vào sổ (2)" in html
    response = client.get(reverse("petitions:submission_detail", args=[first.pk]))
    assert response.status_code == 200 and "Vào sổ" in response.content.decode()
    data = {"kind": "kien_nghi", "content": first.content, "respondent": "", "locality": "", "field": ""}
    response = client.post(reverse("petitions:submission_register", args=[first.pk]), data)
    assert response.status_code == 302
    response = client.post(reverse("petitions:submission_register", args=[first.pk]), data)
    assert response.status_code == 302 and Petition.objects.count() == 1
    response = client.post(reverse("petitions:submission_reject", args=[second.pk]), {"reason": ""})
    assert response.status_code == 400 and "Hãy nêu lý do" in response.content.decode()
    response = client.post(reverse("petitions:submission_reject", args=[second.pk]), {"reason": "Thư rác"})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.state == SubmissionState.REJECTED
    client.force_login(province.clerk_x.user)
    assert client.get(reverse("petitions:submission_detail", args=[first.pk])).status_code == 404


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the row lock being tested is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_two_clerks_registering_at_once_make_one_petition(province):
    submission = send(province, kind="kien_nghi", respondent="")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def work(who) -> None:
        try:
            barrier.wait(timeout=30)
            submissions.submission_register(
                actor=who.user, submission=PetitionSubmission.objects.get(pk=submission.pk)
            )
            outcomes.append("registered")
        except submissions.SubmissionConflict:
            outcomes.append("conflict")
        except BaseException as exc:  # re-raised in the main thread
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(who,)) for who in (province.clerk, province.chief)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(outcomes) == ["conflict", "registered"]
    assert Petition.objects.count() == 1 and PetitionSubmission.objects.get().petition is not None
