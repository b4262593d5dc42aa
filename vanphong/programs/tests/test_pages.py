"""The meeting pages: the week list, the create form, a meeting with its pack, attendance,
conclusions and their tasks' statuses, the rooms, and who may see and change what."""

from __future__ import annotations

import pytest
from django.urls import reverse

from vanphong.documents.tests.factories import DocumentFactory
from vanphong.orgs.models import Classification
from vanphong.programs import services
from vanphong.programs.models import Meeting
from vanphong.programs.tests.conftest import at, book
from vanphong.tasks.models import Task


@pytest.fixture(autouse=True)
def _pages_without_second_factor(settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"


def page(client, who, name, *args, **params):
    client.force_login(who.user)
    response = client.get(reverse(name, args=args), params)
    return response, response.content.decode()


def send(client, who, name, *args, data):
    client.force_login(who.user)
    return client.post(reverse(name, args=args), data)


def test_the_week_lists_the_meetings_one_sees(client, province, rooms):
    meeting = book(province, room=rooms[0]).meeting
    week = at(1, 0).date().isoformat()
    response, html = page(client, province.specialist, "programs:meeting_list", tuan=week)
    assert response.status_code == 200
    assert meeting.title in html and "Phòng họp số 1" in html and 'data-label="Cuộc họp"' in html
    _response, html = page(client, province.clerk_y, "programs:meeting_list", tuan=week)
    assert meeting.title not in html and "Không có cuộc họp nào trong tuần này." in html
    _response, html = page(client, province.admin, "programs:meeting_list", tuan=week)
    assert meeting.title in html and "Tạo cuộc họp" not in html  # the administrator reads, never writes
    for odd in ("0001-01-01", "9999-12-31", "tuần sau"):  # the current week instead
        assert page(client, province.admin, "programs:meeting_list", tuan=odd)[0].status_code == 200


def test_the_create_form_books_and_warns_and_shows_a_clash_next_to_the_room(client, province, rooms):
    _response, html = page(client, province.chief, "programs:meeting_create")
    assert "Phòng họp số 1" in html
    data = {
        "organization": province.committee.pk,
        "kind": "giao_ban",
        "title": "Giao ban tuần",
        "start": at(1, 8).strftime("%d/%m/%Y %H:%M"),
        "end": at(1, 9).strftime("%d/%m/%Y %H:%M"),
        "room": rooms[0].pk,
        "chair": province.leader.pk,
        "participants": [province.specialist.pk],
    }
    response = send(client, province.chief, "programs:meeting_create", data=data)
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "programs:meeting_detail", args=[meeting.pk]
    )
    assert (meeting.created_by, meeting.room, meeting.chair) == (province.chief, rooms[0], province.leader)
    response = send(client, province.chief, "programs:meeting_create", data={**data, "title": "Họp trùng"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "đã có cuộc họp “Giao ban tuần”" in html
    assert Meeting.objects.count() == 1
    response = send(client, province.chief, "programs:meeting_create", data={**data, "room": rooms[1].pk})
    assert response.status_code == 302
    followed = client.get(response["Location"]).content.decode()
    assert "Lưu ý trùng lịch" in followed


def test_those_who_may_not_write_get_no_create_form(client, province):
    response, _html = page(client, province.clerk_x, "programs:meeting_create")
    assert response.status_code == 200  # clerk_x writes for the commune
    client.force_login(province.admin.user)
    assert client.get(reverse("programs:meeting_create")).status_code == 404


def test_a_meeting_page_shows_the_pack_by_clearance_and_is_404_outside_reach(client, province):
    meeting = book(province, participants=[province.specialist, province.clerk_x]).meeting
    plain = DocumentFactory(organization=province.committee, subject="Báo cáo tình hình", symbol="10-BC/TU")
    secret = DocumentFactory(
        organization=province.committee,
        subject="Đề án nhân sự",
        symbol="11-ĐA/TU",
        classification=Classification.MAT,
    )
    services.agenda_item_add(
        actor=province.chief.user, meeting=meeting, title="Nhân sự", documents=[plain, secret]
    )
    _response, html = page(client, province.specialist, "programs:meeting_detail", meeting.pk)
    assert "10-BC/TU" in html and "11-ĐA/TU" not in html
    _response, html = page(client, province.clerk_x, "programs:meeting_detail", meeting.pk)
    assert "10-BC/TU" in html and "11-ĐA/TU" not in html
    assert "Ghi kết luận" not in html  # clerk_x is seated but does not run the committee's meeting
    _response, html = page(client, province.chief, "programs:meeting_detail", meeting.pk)
    assert "10-BC/TU" in html and "11-ĐA/TU" in html and "Ghi kết luận" in html
    response, html = page(client, province.specialist, "programs:pack_document", meeting.pk, plain.pk)
    assert response.status_code == 200 and "Báo cáo tình hình" in html
    assert (
        page(client, province.specialist, "programs:pack_document", meeting.pk, secret.pk)[0].status_code
        == 404
    )
    assert page(client, province.chief, "programs:pack_document", meeting.pk, secret.pk)[0].status_code == 200
    assert page(client, province.clerk_y, "programs:meeting_detail", meeting.pk)[0].status_code == 404


def test_conclusions_from_the_page_become_tasks_whose_status_the_page_shows(client, province):
    meeting = book(province).meeting
    due = at(10, 0).date()
    response = send(
        client,
        province.chief,
        "programs:conclusion_add",
        meeting.pk,
        data={
            "text": "Đảng ủy xã An Phú rà soát quy hoạch",
            "lead": f"organization:{province.commune_x.pk}",
            "cooperating": [f"person:{province.specialist.pk}"],
            "due_date": due.strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 302
    task = Task.objects.get()
    _response, html = page(client, province.chief, "programs:meeting_detail", meeting.pk)
    assert reverse("tasks:detail", args=[task.pk]) in html and "Chưa đến hạn" in html
    assert "Đã ghi kết luận và giao nhiệm vụ." in html
    # The task page links back to the meeting.
    _response, html = page(client, province.chief, "tasks:detail", task.pk)
    assert reverse("programs:meeting_detail", args=[meeting.pk]) in html
    # A lead without a date: the error next to the field, nothing written.
    response = send(
        client,
        province.chief,
        "programs:conclusion_add",
        meeting.pk,
        data={"text": "Làm tiếp", "lead": f"organization:{province.commune_x.pk}"},
    )
    assert response.status_code == 400
    assert "Kết luận giao việc cần có thời hạn hoàn thành." in response.content.decode()
    assert Task.objects.count() == 1
    # A seated reader may not record conclusions.
    services_meeting = book(province, participants=[province.clerk_x], start=at(5, 8), end=at(5, 9)).meeting
    assert (
        send(
            client, province.clerk_x, "programs:conclusion_add", services_meeting.pk, data={"text": "X"}
        ).status_code
        == 403
    )


def test_agenda_attendance_minutes_and_notice_from_the_page(client, province):
    meeting = book(province).meeting
    DocumentFactory(organization=province.committee, subject="Tờ trình", symbol="12-TTr/TU")
    response = send(
        client,
        province.chief,
        "programs:agenda_add",
        meeting.pk,
        data={"title": "Tờ trình", "documents": "12-TTr/TU"},
    )
    assert response.status_code == 302
    response = send(
        client,
        province.chief,
        "programs:agenda_add",
        meeting.pk,
        data={"title": "Khác", "documents": "99-XX/TU"},
    )
    assert response.status_code == 400 and "Không tìm thấy văn bản “99-XX/TU”" in response.content.decode()
    send(
        client,
        province.chief,
        "programs:attendance",
        meeting.pk,
        data={"person": province.specialist.pk, "attendance": "excused", "reason": "Ốm"},
    )
    send(client, province.chief, "programs:minutes", meeting.pk, data={"minutes": "Biên bản hội nghị"})
    send(client, province.chief, "programs:conclusion_add", meeting.pk, data={"text": "Thống nhất"})
    response = send(client, province.chief, "programs:notice", meeting.pk, data={})
    meeting.refresh_from_db()
    assert meeting.notice is not None and meeting.notice.doc_type == "TB"
    assert response["Location"] == reverse("documents:document_detail", args=[meeting.notice.pk])
    _response, html = page(client, province.chief, "programs:meeting_detail", meeting.pk)
    assert "12-TTr/TU" in html and "Vắng có lý do" in html and "Biên bản hội nghị" in html
    assert "Thông báo kết luận" in html and "Đã họp" in html


def test_the_rooms_page_and_the_navigation(client, province, rooms):
    response, html = page(client, province.chief, "programs:room_list")
    assert response.status_code == 200 and "Hội trường lớn" in html and "300 người" in html
    assert "Thêm phòng họp" in html
    data = {
        "organization": province.office.pk,
        "name": "Phòng khách",
        "capacity": "12",
        "equipment": "Màn hình",
    }
    response = send(client, province.chief, "programs:room_list", data=data)
    assert response.status_code == 302
    response = send(client, province.chief, "programs:room_list", data=data)
    assert (
        response.status_code == 400 and "Cơ quan đã có phòng họp “Phòng khách”." in response.content.decode()
    )
    _response, html = page(client, province.specialist, "programs:room_list")
    assert "Phòng khách" in html and "Thêm phòng họp" not in html
    assert send(client, province.specialist, "programs:room_list", data=data).status_code == 404
    _response, html = page(client, province.chief, "web:home")
    assert reverse("programs:meeting_list") in html and "Lịch họp" in html


def test_a_room_taken_out_of_use_is_offered_no_more(client, province, rooms):
    room, _hall = rooms
    response = send(client, province.chief, "programs:room_active", room.pk, data={"active": "0"})
    assert response.status_code == 302
    room.refresh_from_db()
    assert not room.active
    _response, html = page(client, province.chief, "programs:meeting_create")
    assert ">Phòng họp số 1</option>" not in html and ">Hội trường lớn</option>" in html
    assert (
        send(client, province.specialist, "programs:room_active", room.pk, data={"active": "1"}).status_code
        == 404
    )
    assert (
        send(client, province.chief, "programs:room_active", room.pk, data={"active": "1"}).status_code == 302
    )
    room.refresh_from_db()
    assert room.active
