"""The files of a petition, the handler taking its deadlines, extensions as the law allows,
and the reception book read through the API."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from vanphong.api.tests.helpers import assert_error, bearer
from vanphong.audit.models import AuditEvent
from vanphong.petitions import services
from vanphong.petitions.models import Petition, PetitionCounter, PetitionFile, ReceptionSession, State
from vanphong.petitions.tests.conftest import AN, CONTENT, register
from vanphong.tasks.access import may_work
from vanphong.tasks.models import ExtensionRequest, ExtensionState, Task

D = dt.date
PETITIONS = "/api/v1/petitions/"
RECEPTIONS = "/api/v1/receptions/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def stored_names(settings) -> list[str]:
    root = settings.MEDIA_ROOT
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def multipart(client, person, url, data):
    return client.post(url, data, **bearer(person.user))


def test_the_api_takes_files_with_the_letter_and_keeps_none_of_a_refused_one(client, province, settings):
    data = {
        "received_date": "2026-02-13",
        "channel": "post",
        "kind": "khieu_nai",
        "content": CONTENT,
        "petitioners": json.dumps([{"full_name": AN.full_name, "address": AN.address}]),
        "files[]": [
            SimpleUploadedFile("don.pdf", PDF),
            SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20),
        ],
    }
    answer = multipart(client, province.clerk, PETITIONS, data)
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert [f["name"] for f in body["files"]] == ["don.pdf", "anh.png"]
    assert body["petitioners"][0]["full_name"] == AN.full_name
    assert all(f["kind"] == "attachment" and f["url"].startswith("/don-thu/") for f in body["files"])
    assert len(stored_names(settings)) == 2

    refused = {
        **data,
        "files[]": [SimpleUploadedFile("don.pdf", PDF), SimpleUploadedFile("virus.exe", b"MZ\x90")],
    }
    error = assert_error(multipart(client, province.clerk, PETITIONS, refused), 400, "invalid")
    assert "Không nhận loại tệp này" in error["fields"]["files"][0]
    assert Petition.objects.count() == 1 and PetitionFile.objects.count() == 2
    assert PetitionCounter.objects.get().last_number == 1  # no number consumed
    assert len(stored_names(settings)) == 2  # nothing left behind
    bad_json = {**data, "petitioners": "[{"}
    assert_error(multipart(client, province.clerk, PETITIONS, bad_json), 400, "invalid")


def test_a_denunciations_files_are_hidden_with_its_identity(client, province):
    petition = register(province, kind="to_cao", files=[("to-cao.pdf", PDF)])
    handler_view = client.get(f"{PETITIONS}{petition.pk}/", **bearer(province.clerk.user)).json()
    assert [f["name"] for f in handler_view["files"]] == ["to-cao.pdf"]
    leader_view = client.get(f"{PETITIONS}{petition.pk}/", **bearer(province.leader.user)).json()
    assert leader_view["identity_protected"] is True and leader_view["files"] == []


def test_attaching_later_is_for_those_who_work_on_it(province, settings):
    petition = register(province)
    rows = services.petition_attach(
        actor=province.clerk.user, petition=petition, files=[("bo-sung.pdf", PDF)]
    )
    assert [r.original_name for r in rows] == ["bo-sung.pdf"]
    assert AuditEvent.objects.filter(action="petition.attach", target_id=str(petition.pk)).exists()
    with pytest.raises(PermissionDenied):
        services.petition_attach(actor=province.clerk_x.user, petition=petition, files=[("x.pdf", PDF)])
    with pytest.raises(ValidationError):
        services.petition_attach(actor=province.clerk.user, petition=petition, files=[])


def test_the_handler_takes_the_open_deadlines(province):
    petition = register(province)
    task = petition.process_task
    services.petition_assign(actor=province.leader.user, petition=petition, handler=province.specialist)
    task.refresh_from_db()
    assert task.lead_person_id == province.specialist.pk
    assert task.lead_organization_id == province.committee.pk  # the book's counts stay the committee's
    assert may_work(province.specialist.user, task)
    accepted = services.petition_decide(actor=province.specialist.user, petition=petition, action="accept")
    assert accepted.resolve_task.lead_person_id == province.specialist.pk


def test_a_handler_named_at_registration_leads_the_processing(province):
    petition = register(province, handler=province.specialist)
    assert petition.process_task.lead_person_id == province.specialist.pk


def test_extensions_follow_the_rule_of_the_kind(province):
    today = D(2026, 3, 2)
    denunciation = register(province, kind="to_cao")
    denunciation = services.petition_decide(
        actor=province.clerk.user, petition=denunciation, action="accept", today=today
    )
    first_due = denunciation.resolve_by
    with pytest.raises(PermissionDenied):  # the one who resolves sets the time
        services.petition_extend(actor=province.clerk.user, petition=denunciation, reason="Phức tạp")
    with pytest.raises(ValidationError) as caught:
        services.petition_extend(actor=province.leader.user, petition=denunciation, reason=" ")
    assert "lý do" in caught.value.message_dict["reason"][0]
    once = services.petition_extend(
        actor=province.leader.user, petition=denunciation, reason="Cần xác minh hai nơi"
    )
    assert once.extensions == 1 and once.complex and once.resolve_by > first_due
    task = Task.objects.get(pk=once.resolve_task_id)
    assert task.due_date == once.resolve_by and task.original_due_date == first_due
    assert ExtensionRequest.objects.filter(task=task, state=ExtensionState.APPROVED).count() == 1
    twice = services.petition_extend(actor=province.leader.user, petition=once, reason="Đặc biệt phức tạp")
    assert twice.extensions == 2
    with pytest.raises(ValidationError) as caught:
        services.petition_extend(actor=province.leader.user, petition=twice, reason="Lần ba")
    assert "tối đa (2)" in caught.value.message_dict["reason"][0]
    assert [r["reason"] for r in Petition.objects.get(pk=twice.pk).extension_reasons] == [
        "Cần xác minh hai nơi",
        "Đặc biệt phức tạp",
    ]

    complaint = register(province)
    complaint = services.petition_decide(
        actor=province.clerk.user, petition=complaint, action="accept", today=today
    )
    with pytest.raises(ValidationError) as caught:
        services.petition_extend(actor=province.leader.user, petition=complaint, reason="Phức tạp")
    assert "không được gia hạn" in caught.value.message_dict["reason"][0]
    received = register(province, kind="kien_nghi", content="Kiến nghị làm đường")
    with pytest.raises(services.PetitionConflict):
        services.petition_extend(actor=province.leader.user, petition=received, reason="Phức tạp")


def test_extension_through_the_api(client, province):
    petition = register(province, kind="to_cao")
    services.petition_decide(actor=province.clerk.user, petition=petition, action="accept")
    url = f"{PETITIONS}{petition.pk}/extend/"
    answer = client.post(
        url, {"reason": "Cần xác minh"}, content_type="application/json", **bearer(province.leader.user)
    )
    assert answer.status_code == 200 and answer.json()["extensions"] == 1
    assert_error(
        client.post(url, {"reason": "x"}, content_type="application/json", **bearer(province.clerk.user)),
        403,
        "permission_denied",
    )
    done = register(province, kind="kien_nghi", content="Kiến nghị khác hẳn")
    services.petition_decide(actor=province.clerk.user, petition=done, action="guide")
    assert_error(
        client.post(
            f"{PETITIONS}{done.pk}/extend/",
            {"reason": "x"},
            content_type="application/json",
            **bearer(province.leader.user),
        ),
        409,
        "conflict",
    )
    assert Petition.objects.get(pk=done.pk).state == State.GUIDED


def test_the_reception_book_through_the_api(client, province):
    session = ReceptionSession.objects.create(
        organization=province.committee,
        leader=province.leader,
        date=D(2026, 2, 13),
        start=dt.time(8),
        end=dt.time(11),
        place="Trụ sở tiếp công dân tỉnh",
    )
    visit = {
        "date": "2026-02-13",
        "receiving_person": province.leader.pk,
        "citizens": [{"full_name": "Lê Thị Bình"}],
        "content": "Đề nghị giải quyết tranh chấp ranh giới đất",
        "documents_received": "Bản sao giấy chứng nhận quyền sử dụng đất",
        "session": session.pk,
    }
    made = client.post(RECEPTIONS, visit, content_type="application/json", **bearer(province.clerk.user))
    assert made.status_code == 201, made.content
    assert made.json()["documents_received"].startswith("Bản sao") and made.json()["session"] == session.pk
    listed = client.get(RECEPTIONS, {"from": "2026-02-01"}, **bearer(province.clerk.user)).json()
    assert [r["id"] for r in listed["results"]] == [made.json()["id"]]
    assert client.get(RECEPTIONS, {"to": "2026-01-31"}, **bearer(province.clerk.user)).json()["results"] == []
    one = client.get(f"{RECEPTIONS}{made.json()['id']}/", **bearer(province.clerk.user))
    assert one.json()["citizens"][0]["full_name"] == "Lê Thị Bình"
    assert client.get(f"{RECEPTIONS}{made.json()['id']}/", **bearer(province.clerk_x.user)).status_code == 404
    wrong_day = {**visit, "date": "2026-02-12"}
    error = assert_error(
        client.post(RECEPTIONS, wrong_day, content_type="application/json", **bearer(province.clerk.user)),
        400,
        "invalid",
    )
    assert "13/02/2026" in error["fields"]["session"][0]


def test_the_page_adds_files_and_lists_the_unassigned(client, province, settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    petition = register(province)
    client.force_login(province.clerk.user)
    url = f"/don-thu/{petition.pk}/bo-sung-tep/"
    answer = client.post(url, {"attach-files": [SimpleUploadedFile("xac-minh.pdf", PDF)]})
    assert answer.status_code == 302
    assert PetitionFile.objects.filter(petition=petition, original_name="xac-minh.pdf").exists()
    refused = client.post(url, {"attach-files": [SimpleUploadedFile("x.exe", b"MZ\x90")]})
    assert refused.status_code == 400 and "Không nhận loại tệp này" in refused.content.decode()
    client.force_login(province.chief.user)  # the Chánh Văn phòng gives the committee's letters
    listed = client.get("/don-thu/", {"chua_giao": "1"}).content.decode()
    assert f"{petition.number}/{petition.year}" in listed
    services.petition_assign(actor=province.chief.user, petition=petition, handler=province.specialist)
    assert f"/don-thu/{petition.pk}/" not in client.get("/don-thu/", {"chua_giao": "1"}).content.decode()


def test_the_search_runs_in_the_database_without_accents(province):
    from vanphong.petitions import browse

    register(province)
    other = register(province, kind="kien_nghi", content="Kiến nghị sửa đường liên thôn", field="Giao thông")
    found = browse.petition_list(
        province.clerk.user, browse.PetitionFilters(q="duong lien thon"), today=D(2026, 3, 1)
    )
    assert [p.pk for p in found] == [other.pk]
    by_name = browse.petition_list(
        province.clerk.user, browse.PetitionFilters(q="nguyen van an"), today=D(2026, 3, 1)
    )
    assert len(by_name) == 2  # both letters are Nguyễn Văn An's
    denunciation = register(province, kind="to_cao", content="Tố cáo cán bộ địa chính")
    leader_sees = browse.petition_list(
        province.leader.user, browse.PetitionFilters(q="nguyen van an"), today=D(2026, 3, 1)
    )
    assert denunciation.pk not in {p.pk for p in leader_sees}  # a name finds no masked denunciation
