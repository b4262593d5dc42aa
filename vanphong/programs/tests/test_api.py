"""The meetings API: contract fields, 409 ``conflict`` for a booked room, 404 outside reach
and for a pack document above the caller's clearance, conclusions answering their task."""

from __future__ import annotations

from vanphong.api.tests.helpers import assert_error, bearer
from vanphong.documents.tests.factories import DocumentFactory
from vanphong.orgs.models import Classification
from vanphong.programs.models import Meeting
from vanphong.programs.tests.conftest import at, book
from vanphong.tasks.models import SourceKind, Task

MEETINGS = "/api/v1/meetings/"


def get(client, person, url, **params):
    return client.get(url, params, **bearer(person.user))


def post(client, person, url, data):
    return client.post(url, data, content_type="application/json", **bearer(person.user))


def payload(province, room=None, **kwargs):
    data = {
        "organization": province.committee.pk,
        "title": "Hội nghị Ban Chấp hành lần thứ 5",
        "kind": "hoi_nghi_bch",
        "start": at(2, 8).isoformat(),
        "end": at(2, 11, 30).isoformat(),
        "room": room.pk if room else None,
        "place": "",
        "chair": province.leader.pk,
        "participants": [province.chief.pk, province.specialist.pk],
        "program_item": None,
    }
    data.update(kwargs)
    return data


def test_rooms_answer_the_contract_fields(client, province, rooms):
    response = get(client, province.chief, "/api/v1/rooms/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert {r["name"] for r in rows} == {"Phòng họp số 1", "Hội trường lớn"}
    assert {"id", "name", "capacity", "organization"} <= set(rows[0])
    assert all(r["organization"] == province.office.pk for r in rows)
    assert get(client, province.clerk_y, "/api/v1/rooms/").json()["results"] == []


def test_create_answers_the_meeting_and_a_booked_room_answers_409_conflict(client, province, rooms):
    room = rooms[0]
    response = post(client, province.leader, MEETINGS, payload(province, room))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "hoi_nghi_bch" and body["room"] == room.pk and body["chair"] == province.leader.pk
    assert {p["person"] for p in body["participants"]} == {province.chief.pk, province.specialist.pk}
    assert body["agenda"] == [] and body["conclusions"] == [] and body["warnings"] == []
    error = assert_error(
        post(client, province.chief, MEETINGS, payload(province, room, start=at(2, 10).isoformat())),
        409,
        "conflict",
    )
    assert "Phòng họp số 1" in error["message"] and "room" in error["fields"]
    assert Meeting.objects.count() == 1


def test_an_overlapping_participant_is_a_warning(client, province, rooms):
    post(client, province.leader, MEETINGS, payload(province, rooms[0]))
    response = post(client, province.leader, MEETINGS, payload(province, rooms[1], title="Giao ban"))
    assert response.status_code == 201
    assert any("chief" in w for w in response.json()["warnings"])


def test_invalid_input_is_400_in_vietnamese_and_a_programme_item_is_refused(client, province):
    error = assert_error(
        post(client, province.leader, MEETINGS, payload(province, end=at(2, 7).isoformat(), program_item=5)),
        400,
        "invalid",
    )
    assert "program_item" in error["fields"]
    error = assert_error(
        post(client, province.leader, MEETINGS, payload(province, end=at(2, 7).isoformat())), 400, "invalid"
    )
    assert error["fields"]["end"] == ["Thời gian kết thúc phải sau thời gian bắt đầu."]
    assert_error(
        post(client, province.clerk_x, MEETINGS, payload(province, place="Hội trường")),
        403,
        "permission_denied",
    )


def test_a_meeting_outside_reach_is_404_and_the_list_is_filtered(client, province, rooms):
    meeting = book(province, room=rooms[0]).meeting
    assert_error(get(client, province.clerk_y, f"{MEETINGS}{meeting.pk}/"), 404, "not_found")
    assert get(client, province.clerk_y, MEETINGS).json()["results"] == []
    listed = get(
        client, province.specialist, MEETINGS, **{"from": at(1, 0).isoformat(), "to": at(2, 0).isoformat()}
    )
    assert [m["id"] for m in listed.json()["results"]] == [meeting.pk]
    assert (
        get(client, province.specialist, MEETINGS, **{"from": at(3, 0).isoformat()}).json()["results"] == []
    )
    assert_error(get(client, province.specialist, MEETINGS, **{"from": "hôm qua"}), 400, "invalid")
    for bound in ("0001-01-01T00:00:00+14:00", "9999-12-31"):
        assert_error(get(client, province.specialist, MEETINGS, **{"to": bound}), 400, "invalid")


def test_the_pack_by_clearance_in_the_detail_and_404_for_the_document(client, province):
    meeting = book(province).meeting
    plain = DocumentFactory(organization=province.committee, subject="Báo cáo", symbol="10-BC/TU")
    secret = DocumentFactory(
        organization=province.committee,
        subject="Nhân sự",
        symbol="11-ĐA/TU",
        classification=Classification.MAT,
    )
    response = post(
        client,
        province.leader,
        f"{MEETINGS}{meeting.pk}/agenda/",
        {"title": "Nhân sự và kinh tế", "documents": [plain.pk, secret.pk]},
    )
    assert response.status_code == 201, response.content
    assert {d["id"] for d in response.json()["documents"]} == {plain.pk, secret.pk}

    def pack(person):
        [item] = get(client, person, f"{MEETINGS}{meeting.pk}/").json()["agenda"]
        return {d["id"]: d["classification"] for d in item["documents"]}

    assert pack(province.chief) == {plain.pk: "none", secret.pk: "mat"}
    assert pack(province.specialist) == {plain.pk: "none"}
    url = f"{MEETINGS}{meeting.pk}/documents/{secret.pk}/"
    assert_error(get(client, province.specialist, url), 404, "not_found")
    assert get(client, province.chief, url).json()["symbol"] == "11-ĐA/TU"
    assert (
        get(client, province.specialist, f"{MEETINGS}{meeting.pk}/documents/{plain.pk}/").status_code == 200
    )
    assert_error(get(client, province.clerk_y, url), 404, "not_found")
    elsewhere = DocumentFactory(organization=province.commune_y, subject="Của xã")
    error = assert_error(
        post(
            client,
            province.chief,
            f"{MEETINGS}{meeting.pk}/agenda/",
            {"title": "X", "documents": [elsewhere.pk]},
        ),
        400,
        "invalid",
    )
    assert "documents" in error["fields"]
    # Numbers beyond a database key are no document, not a server error.
    big = 10**30
    assert_error(get(client, province.chief, f"{MEETINGS}{meeting.pk}/documents/{big}/"), 404, "not_found")
    error = assert_error(
        post(client, province.chief, f"{MEETINGS}{meeting.pk}/agenda/", {"title": "X", "documents": [big]}),
        400,
        "invalid",
    )
    assert "documents" in error["fields"]


def test_a_conclusion_answers_its_task(client, province):
    meeting = book(province).meeting
    due = at(15, 0).date().isoformat()
    response = post(
        client,
        province.chief,
        f"{MEETINGS}{meeting.pk}/conclusions/",
        {
            "text": "Đảng ủy xã An Phú hoàn thành đề án.",
            "lead": {"organization": province.commune_x.pk},
            "cooperating": [{"person": province.specialist.pk}],
            "due_date": due,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    task = Task.objects.get(pk=body["task"])
    assert task.source_kind == SourceKind.CONCLUSION and task.lead_organization == province.commune_x
    assert body["lead"]["organization"] == province.commune_x.pk
    assert [c["person"] for c in body["cooperating"]] == [province.specialist.pk]
    assert body["due_date"] == due and body["task_state"] == "assigned"
    detail = get(client, province.leader, f"{MEETINGS}{meeting.pk}/").json()
    assert [c["task"] for c in detail["conclusions"]] == [task.pk]
    error = assert_error(
        post(
            client,
            province.chief,
            f"{MEETINGS}{meeting.pk}/conclusions/",
            {"text": "Làm", "lead": {"organization": province.commune_x.pk}},
        ),
        400,
        "invalid",
    )
    assert "due_date" in error["fields"]
    assert_error(
        post(client, province.clerk_y, f"{MEETINGS}{meeting.pk}/conclusions/", {"text": "Làm"}),
        404,
        "not_found",
    )


def test_the_schema_describes_the_meeting_endpoints(client, province):
    schema = client.get("/api/schema/?format=json", **bearer(province.clerk.user)).json()
    paths = schema["paths"]
    for path in ("/api/v1/rooms/", "/api/v1/meetings/", "/api/v1/meetings/{id}/"):
        assert "get" in paths[path]
    assert set(paths["/api/v1/meetings/"]) >= {"get", "post"}
    assert "409" in paths["/api/v1/meetings/"]["post"]["responses"]
    for action in ("agenda", "conclusions"):
        assert "post" in paths[f"/api/v1/meetings/{{id}}/{action}/"]
    assert "get" in paths["/api/v1/meetings/{id}/documents/{document_id}/"]
    created = schema["components"]["schemas"]["MeetingCreated"]["properties"]
    assert {"agenda", "conclusions", "warnings", "participants"} <= set(created)
