"""The petitions API: the contract's paths and fields, a denouncer's identity masked for all
but the handlers (list, detail, stats) with each disclosure audited, 404 outside reach, 409
for a step already taken, Vietnamese errors and no 500 on bad input."""

from __future__ import annotations

import datetime as dt

from vanphong.api.tests.helpers import assert_error, bearer
from vanphong.audit.models import AuditEvent
from vanphong.petitions.models import Petition
from vanphong.petitions.tests.conftest import CONTENT, register
from vanphong.tasks.models import SourceKind, Task, TaskState

PETITIONS = "/api/v1/petitions/"
RECEPTIONS = "/api/v1/receptions/"


def get(client, person, url, **params):
    return client.get(url, params, **bearer(person.user))


def post(client, person, url, data):
    return client.post(url, data, content_type="application/json", **bearer(person.user))


def payload(**changes):
    data = {
        "received_date": "2026-02-13",
        "channel": "in_person",
        "petitioners": [
            {"full_name": "Trần Thị Bích", "address": "Xóm 3, xã An Phú", "id_number": "", "phone": ""}
        ],
        "respondent": "Ông Lê Văn C, cán bộ địa chính xã",
        "content": "Tố cáo cán bộ địa chính xã nhận tiền để hợp thức hóa đất lấn chiếm",
        "kind": "to_cao",
        "field": "Đất đai",
    }
    data.update(changes)
    return data


def test_registering_answers_number_related_and_deadline(client, province):
    first = post(client, province.clerk, PETITIONS, payload(kind="khieu_nai", content=CONTENT))
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["organization"] == province.committee.pk  # the clerk keeps the Tỉnh ủy's book
    assert body["number"] == 1 and body["related"] == []
    assert body["deadlines"] == {"process_by": "2026-03-06", "resolve_by": None}
    assert body["petitioners"][0]["full_name"] == "Trần Thị Bích" and body["identity_protected"] is False
    task = Task.objects.get(pk=body["process_task"])
    assert task.source_kind == SourceKind.PETITION and task.due_date == dt.date(2026, 3, 6)
    again = post(
        client,
        province.clerk,
        PETITIONS,
        payload(
            kind="khieu_nai",
            content=CONTENT.upper(),
            petitioners=[{"full_name": "TRAN THI BICH", "address": "xom 3 xa an phu"}],
        ),
    )
    assert again.json()["number"] == 2 and again.json()["related"] == [body["id"]]
    assert get(client, province.clerk, f"{PETITIONS}{body['id']}/").json()["duplicate_count"] == 1


def test_a_denouncers_identity_is_shown_to_handlers_only(client, province):
    made = post(client, province.clerk, PETITIONS, payload()).json()
    assert made["petitioners"] and made["identity_protected"] is False  # the clerk entered it
    url = f"{PETITIONS}{made['id']}/"
    # The Chánh Văn phòng reads the committee's records but does not handle this letter.
    detail = get(client, province.chief, url).json()
    assert detail["petitioners"] == [] and detail["identity_protected"] is True
    assert detail["content"] == made["content"]
    listed = get(client, province.chief, PETITIONS).json()["results"]
    assert [(p["id"], p["petitioners"], p["identity_protected"]) for p in listed] == [(made["id"], [], True)]
    # The committee's leader directs the committee but does not handle the letter by office.
    assert get(client, province.leader, url).json()["identity_protected"] is True
    # Once the leader takes it on: shown, and each read is audited.
    assigned = post(client, province.leader, f"{url}assign/", {"handler": province.leader.pk})
    assert assigned.status_code == 200, assigned.content
    reads = AuditEvent.objects.filter(action="petition.identity_read", target_id=str(made["id"]))
    before = reads.count()
    assert get(client, province.leader, url).json()["petitioners"][0]["full_name"] == "Trần Thị Bích"
    assert get(client, province.leader, PETITIONS).json()["results"][0]["identity_protected"] is False
    assert reads.count() == before + 2
    assert not reads.filter(actor_username="chief").exists()
    # A neighbour commune does not know it exists.
    assert_error(get(client, province.clerk_x, url), 404, "not_found")
    assert get(client, province.clerk_x, PETITIONS).json()["results"] == []
    assert_error(post(client, province.clerk_x, f"{url}decision/", {"action": "guide"}), 404, "not_found")


def test_the_assigned_handler_sees_the_identity(client, province):
    made = post(client, province.clerk, PETITIONS, payload(handler=province.specialist.pk)).json()
    shown = get(client, province.specialist, f"{PETITIONS}{made['id']}/").json()
    assert shown["petitioners"] and shown["handler"] == province.specialist.pk


def test_other_kinds_show_their_petitioners(client, province):
    made = post(client, province.clerk, PETITIONS, payload(kind="kien_nghi")).json()
    detail = get(client, province.chief, f"{PETITIONS}{made['id']}/").json()
    assert detail["petitioners"] and detail["identity_protected"] is False


def test_decision_then_result(client, province):
    petition = register(province, kind="to_cao")
    url = f"{PETITIONS}{petition.pk}/"
    refused = post(client, province.clerk, f"{url}decision/", {"action": "transfer"})
    error = assert_error(refused, 400, "invalid")
    assert "to_organization" in error["fields"]
    filed = assert_error(post(client, province.clerk, f"{url}decision/", {"action": "file"}), 400, "invalid")
    assert filed["fields"]["reason"][0].startswith("Hãy nêu lý do lưu đơn")
    accepted = post(client, province.clerk, f"{url}decision/", {"action": "accept"})
    assert accepted.status_code == 200, accepted.content
    body = accepted.json()
    assert body["state"] == "accepted"
    [letter] = [f for f in body["files"] if f["kind"] == "letter"]
    assert body["letter"] == letter["id"] and letter["action"] == "accept"
    assert letter["name"].endswith(".docx")
    assert body["deadlines"]["resolve_by"] is not None
    assert Task.objects.get(pk=body["resolve_task"]).due_date.isoformat() == body["deadlines"]["resolve_by"]
    assert Task.objects.get(pk=body["process_task"]).state == TaskState.COMPLETED
    assert_error(post(client, province.clerk, f"{url}decision/", {"action": "guide"}), 409, "conflict")
    done = post(client, province.clerk, f"{url}result/", {"result": "dung", "summary": "Kỷ luật cán bộ"})
    assert done.status_code == 200, done.content
    assert done.json()["result"] == "dung" and done.json()["state"] == "resolved"
    assert_error(post(client, province.clerk, f"{url}result/", {"result": "sai"}), 409, "conflict")


def test_transfer_to_a_commune(client, province):
    petition = register(province)
    response = post(
        client,
        province.clerk,
        f"{PETITIONS}{petition.pk}/decision/",
        {"action": "transfer", "to_organization": province.commune_x.pk, "reason": "Thuộc thẩm quyền xã"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["to_organization"] == province.commune_x.pk
    assert response.json()["deadlines"]["resolve_by"] is None


def test_stats_count_by_kind_field_and_result_within_reach(client, province):
    register(province)
    register(province, kind="to_cao", field="Tham nhũng")
    register(province, received_date=dt.date(2026, 5, 4))
    register(province, actor=province.clerk_x.user, organization=province.commune_x)
    stats = get(
        client, province.chief, f"{PETITIONS}stats/", **{"from": "2026-01-01", "to": "2026-03-31"}
    ).json()
    assert stats["total"] == 2
    assert stats["by_kind"] == {"khieu_nai": 1, "to_cao": 1, "kien_nghi": 0, "phan_anh": 0}
    assert stats["by_field"] == {"Tham nhũng": 1, "Đất đai": 1}
    assert stats["by_result"] == {"": 2}
    assert "petitioners" not in str(stats)
    neighbour = get(client, province.clerk_y, f"{PETITIONS}stats/").json()
    assert neighbour["total"] == 0
    error = assert_error(
        get(client, province.chief, f"{PETITIONS}stats/", **{"from": "13/02/2026"}), 400, "invalid"
    )
    assert "from" in error["fields"]


def test_a_reception_visit_of_a_group(client, province):
    petition = register(province)
    response = post(
        client,
        province.clerk,
        RECEPTIONS,
        {
            "date": "2026-02-13",
            "receiving_person": province.leader.pk,
            "citizens": [{"full_name": "Nguyễn Văn An"}, {"full_name": "Lê Thị Hoa"}],
            "citizen_count": 12,
            "content": "Đoàn công dân thôn Đông kiến nghị về bồi thường",
            "outcome": "Tiếp nhận, trả lời tại chỗ",
            "petition": petition.pk,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["group"] is True and body["citizen_count"] == 12 and body["petition"] == petition.pk
    other = register(province, actor=province.clerk_x.user, organization=province.commune_x)
    error = assert_error(
        post(
            client,
            province.clerk,
            RECEPTIONS,
            {
                "date": "2026-02-13",
                "receiving_person": province.leader.pk,
                "citizens": [],
                "content": "x",
                "petition": other.pk,
            },
        ),
        400,
        "invalid",
    )
    assert "petition" in error["fields"]


def test_bad_input_answers_400_in_vietnamese(client, province):
    cases = [
        payload(received_date="13/02/2026"),
        payload(received_date="2026-02-30"),
        payload(content="x" * 30_000),
        payload(kind="khieu-nai"),
        payload(channel=None),
        payload(organization=2**70),
        payload(organization=999_999),
        payload(handler=999_999),
        payload(petitioners="Nguyễn Văn An"),
        payload(petitioners=[{"full_name": "A" * 300}]),
        payload(received_date="2099-01-01"),
    ]
    for data in cases:
        response = post(client, province.clerk, PETITIONS, data)
        error = assert_error(response, 400, "invalid")
        assert error["fields"], data
    unknown = post(client, province.clerk, f"{PETITIONS}{2**70}/decision/", {"action": "accept"})
    assert_error(unknown, 404, "not_found")
    error = assert_error(post(client, province.clerk, PETITIONS, payload(kind="x")), 400, "invalid")
    assert error["fields"]["kind"] == ["Loại đơn không hợp lệ (khieu_nai, to_cao, kien_nghi, phan_anh)."]
    petition = register(province)
    bad = post(
        client,
        province.clerk,
        f"{PETITIONS}{petition.pk}/decision/",
        {"action": "accept", "to_organization": "x"},
    )
    assert_error(bad, 400, "invalid")
    assert Petition.objects.get(pk=petition.pk).state == "received"


def test_leaders_above_do_not_handle_a_communes_denunciation(client, province):
    petition = register(province, actor=province.clerk_x.user, organization=province.commune_x, kind="to_cao")
    shown = get(client, province.leader, f"{PETITIONS}{petition.pk}/").json()  # the Tỉnh ủy reads it
    assert shown["petitioners"] == [] and shown["identity_protected"] is True
    assert get(client, province.clerk_x, f"{PETITIONS}{petition.pk}/").json()["petitioners"]


def test_the_task_links_back_to_the_petition(province):
    from vanphong.tasks.sources import source_link

    petition = register(province)
    url, label = source_link(province.clerk.user, petition.process_task)
    assert url == f"/don-thu/{petition.pk}/" and label == "Khiếu nại số 1/2026"
    assert source_link(province.clerk_y.user, petition.process_task) is None
