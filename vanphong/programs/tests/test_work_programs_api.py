"""The work programmes API: the contract's paths and fields, 409 ``conflict`` for a programme
made twice, 404 outside reach, 403 for a commune clerk on the committee's programme, moving
answering the new item with ``moved_from``, the carried-out report."""

from __future__ import annotations

import datetime as dt

from vanphong.api.tests.helpers import assert_error, bearer
from vanphong.programs.models import Program, ProgramItem
from vanphong.tasks.models import Outcome, Task

Y = 2030
PROGRAMS = "/api/v1/programs/"


def get(client, person, url, **params):
    return client.get(url, params, **bearer(person.user))


def post(client, person, url, data=None):
    return client.post(url, data or {}, content_type="application/json", **bearer(person.user))


def create(client, province, who=None, **kwargs):
    data = {
        "organization": province.committee.pk,
        "body": "ban_thuong_vu",
        "period": "month",
        "start": f"{Y}-03-01",
        "end": f"{Y}-03-31",
        "title": "Chương trình công tác tháng 3 của Ban Thường vụ",
    }
    data.update(kwargs)
    return post(client, who or province.chief, PROGRAMS, data)


ITEM_FIELDS = {
    "id",
    "order",
    "content",
    "preparing_organization",
    "leader",
    "planned_date",
    "planned_week",
    "planned_month",
    "meeting_kind",
    "state",
    "reason",
    "done_on",
    "parent",
    "moved_from",
    "moved_to",
    "task",
}


def test_create_list_and_detail_answer_the_contract(client, province):
    response = create(client, province)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["organization"] == province.committee.pk and body["body"] == "ban_thuong_vu"
    assert (body["period"], body["start"], body["end"], body["state"]) == (
        "month",
        f"{Y}-03-01",
        f"{Y}-03-31",
        "draft",
    )
    assert body["items"] == []
    error = assert_error(create(client, province), 409, "conflict")
    assert "đã có chương trình công tác tháng" in error["message"]
    assert Program.objects.count() == 1
    rows = get(client, province.leader, PROGRAMS, organization=province.committee.pk, period="month", year=Y)
    assert [r["id"] for r in rows.json()["results"]] == [body["id"]]
    assert get(client, province.leader, PROGRAMS, year=Y + 1).json()["results"] == []
    assert_error(get(client, province.leader, PROGRAMS, period="decade"), 400, "invalid")
    assert_error(get(client, province.leader, PROGRAMS, year="năm nay"), 400, "invalid")
    detail = get(client, province.clerk, f"{PROGRAMS}{body['id']}/")
    assert detail.status_code == 200 and detail.json()["title"] == body["title"]


def test_a_commune_clerk_is_refused_and_outsiders_get_404(client, province):
    assert_error(create(client, province, who=province.clerk_x), 403, "permission_denied")
    program = create(client, province).json()
    assert_error(get(client, province.clerk_y, f"{PROGRAMS}{program['id']}/"), 404, "not_found")
    assert get(client, province.clerk_y, PROGRAMS).json()["results"] == []
    item = post(client, province.chief, f"{PROGRAMS}{program['id']}/items/", {"content": "Họp"}).json()
    assert_error(
        post(client, province.clerk_y, f"/api/v1/program-items/{item['id']}/state/", {"state": "done"}),
        404,
        "not_found",
    )
    assert_error(
        post(client, province.clerk_x, f"{PROGRAMS}{program['id']}/items/", {"content": "Họp"}),
        404,
        "not_found",
    )
    invalid = assert_error(create(client, province, start=f"{Y}-03-02"), 400, "invalid")
    assert "ngày 01 đến ngày cuối" in invalid["fields"]["end"][0]


def test_items_answer_their_state_and_the_move_answers_the_new_item(client, province):
    march = create(client, province).json()
    april = create(client, province, start=f"{Y}-04-01", end=f"{Y}-04-30", title="Tháng 4").json()
    payload = {
        "content": "Sơ kết công tác chuyển đổi số quý I",
        "preparing_organization": province.office.pk,
        "leader": province.leader.pk,
        "planned_month": f"{Y}-03",
        "meeting_kind": "hop_ban_thuong_vu",
    }
    response = post(client, province.chief, f"{PROGRAMS}{march['id']}/items/", payload)
    assert response.status_code == 201, response.content
    item = response.json()
    assert set(item) >= ITEM_FIELDS
    assert (item["state"], item["planned_month"], item["leader"]) == (
        "planned",
        f"{Y}-03",
        province.leader.pk,
    )
    assert item["task"] is None  # a draft gives no task yet
    error = assert_error(
        post(
            client,
            province.chief,
            f"{PROGRAMS}{march['id']}/items/",
            {"content": "X", "planned_month": f"{Y}-05"},
        ),
        400,
        "invalid",
    )
    assert "nằm ngoài thời gian" in error["fields"]["planned_month"][0]
    assert_error(
        post(
            client,
            province.chief,
            f"{PROGRAMS}{march['id']}/items/",
            {"content": "X", "planned_month": "03/2030"},
        ),
        400,
        "invalid",
    )
    approved = post(client, province.chief, f"{PROGRAMS}{march['id']}/approve/")
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    task_id = approved.json()["items"][0]["task"]
    assert Task.objects.get(pk=task_id).due_date == dt.date(Y, 3, 29)  # 30–31/3/2030: the weekend
    move = f"/api/v1/program-items/{item['id']}/move/"
    assert (
        "reason"
        in assert_error(post(client, province.chief, move, {"program": april["id"]}), 400, "invalid")[
            "fields"
        ]
    )
    moved = post(client, province.chief, move, {"program": april["id"], "reason": "Chờ số liệu của các xã"})
    assert moved.status_code == 201, moved.content
    new = moved.json()
    assert new["moved_from"] == item["id"] and new["state"] == "planned" and new["planned_month"] == f"{Y}-04"
    old = get(client, province.chief, f"/api/v1/program-items/{item['id']}/").json()
    assert (old["state"], old["reason"], old["moved_to"]) == ("moved", "Chờ số liệu của các xã", new["id"])
    assert Task.objects.get(pk=task_id).outcome == Outcome.CANCELLED
    assert_error(post(client, province.chief, move, {"program": 2**62, "reason": "x"}), 400, "invalid")


def test_state_carry_down_and_report(client, province):
    year = create(client, province, period="year", start=f"{Y}-01-01", end=f"{Y}-12-31", title="Năm").json()
    march = create(client, province).json()
    items = [
        post(
            client,
            province.chief,
            f"{PROGRAMS}{year['id']}/items/",
            {
                "content": f"Việc {n}",
                "preparing_organization": province.office.pk,
                "planned_month": f"{Y}-03",
            },
        ).json()
        for n in range(3)
    ]
    carry = f"/api/v1/program-items/{items[0]['id']}/carry-down/"
    child = post(client, province.chief, carry, {"program": march["id"]})
    assert child.status_code == 201, child.content
    assert child.json()["parent"] == items[0]["id"] and child.json()["planned_month"] == f"{Y}-03"
    again = assert_error(post(client, province.chief, carry, {"program": march["id"]}), 400, "invalid")
    assert "đã có trong chương trình" in again["fields"]["program"][0]
    state = f"/api/v1/program-items/{child.json()['id']}/state/"
    done = post(client, province.chief, state, {"state": "done", "done_on": "2026-03-05"})
    assert done.status_code == 200 and done.json()["state"] == "done"
    assert ProgramItem.objects.get(pk=items[0]["id"]).state == "done"  # rolled up
    dropped = f"/api/v1/program-items/{items[1]['id']}/state/"
    assert (
        "reason"
        in assert_error(post(client, province.chief, dropped, {"state": "dropped"}), 400, "invalid")["fields"]
    )
    assert (
        post(client, province.chief, dropped, {"state": "dropped", "reason": "Đã lồng ghép"}).status_code
        == 200
    )
    report = get(client, province.leader, f"{PROGRAMS}{year['id']}/report/")
    assert report.status_code == 200
    body = report.json()
    row = body["rows"][0]
    assert row["preparing_organization"] == province.office.pk
    assert (row["total"], row["done"], row["dropped"], row["planned"]) == (3, 1, 1, 1)
    assert row["percent_done"] == 33.3
    assert [(c["id"], c["reason"]) for c in row["closed"]] == [(items[1]["id"], "Đã lồng ghép")]
    assert body["totals"]["total"] == 3
    assert_error(get(client, province.clerk_y, f"{PROGRAMS}{year['id']}/report/"), 404, "not_found")


def test_issue_draft_answers_the_document(client, province):
    march = create(client, province).json()
    post(
        client,
        province.chief,
        f"{PROGRAMS}{march['id']}/items/",
        {"content": "Giao ban", "planned_date": f"{Y}-03-04"},
    )
    url = f"{PROGRAMS}{march['id']}/issue-draft/"
    assert_error(post(client, province.chief, url), 400, "invalid")  # not approved yet
    post(client, province.chief, f"{PROGRAMS}{march['id']}/approve/")
    response = post(client, province.chief, url)
    assert response.status_code == 201, response.content
    assert response.json()["document"] is not None and response.json()["state"] == "approved"
