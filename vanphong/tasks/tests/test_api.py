"""The task API: GET/POST /api/v1/tasks/, GET /api/v1/tasks/{id}/ — fields, filters, access."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from vanphong.api.tests.helpers import assert_error, bearer
from vanphong.audit.models import AuditEvent
from vanphong.orgs.models import Classification
from vanphong.orgs.tests.factories import UnitFactory
from vanphong.tasks import services
from vanphong.tasks.models import (
    EventKind,
    PartyRole,
    SourceKind,
    Task,
    TaskEvent,
    TaskParty,
    TaskSeries,
    TaskState,
)
from vanphong.tasks.tests.test_api_support import (  # noqa: F401
    URL,
    _media,
    days,
    document,
    get,
    give,
    ids,
    post,
    soon,
    today,
)


def test_a_request_without_a_token_is_refused(client, province):
    assert_error(client.get(URL), 401, "not_authenticated")
    assert_error(client.post(URL, {}, content_type="application/json"), 401, "not_authenticated")


# --- Creating --------------------------------------------------------------------------------


def test_the_office_gives_a_task_for_the_committee(client, province, django_capture_on_commit_callbacks):
    source = document(province.committee, "Kết luận của Ban Thường vụ")
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client,
            province.leader,
            URL,
            {
                "organization": province.committee.pk,
                "title": "  Rà soát   quy hoạch cán bộ  ",
                "content": "Báo cáo kết quả về Văn phòng.",
                "lead": {"organization": province.commune_x.pk},
                "cooperating": [{"organization": province.commune_y.pk}, {"person": province.specialist.pk}],
                "due_date": days(30).isoformat(),
                "priority": 1,
                "source_kind": "conclusion",
                "source_label": "Thông báo kết luận số 12-TB/TU",
                "source_document": source.pk,
            },
        )
    assert response.status_code == 201, response.json()
    body = response.json()
    task = Task.objects.get(pk=body["id"])
    assert body["title"] == task.title == "Rà soát quy hoạch cán bộ"
    assert body["organization"] == province.committee.pk and body["organization_name"] == "Tỉnh ủy Thử nghiệm"
    assert body["issued_by"] == province.leader.pk and body["created_by"] == province.leader.pk
    assert body["lead"] == {
        "organization": province.commune_x.pk,
        "organization_name": "Đảng ủy xã An Phú",
        "unit": None,
        "person": None,
        "name": "Đảng ủy xã An Phú",
    }
    assert [(p["organization"], p["person"]) for p in body["cooperating"]] == [
        (province.commune_y.pk, None),
        (None, province.specialist.pk),
    ]
    assert {(p["role"], p["name"]) for p in body["parties"]} == {
        ("lead", "Đảng ủy xã An Phú"),
        ("cooperate", "Đảng ủy xã Bình Minh"),
        ("cooperate", province.specialist.full_name),
    }
    assert body["source"] == {
        "kind": "conclusion",
        "kind_label": "Kết luận cuộc họp, thông báo kết luận",
        "label": "Thông báo kết luận số 12-TB/TU",
        "document": source.pk,
        "url": f"/van-ban/{source.pk}/",
    }
    assert body["due_date"] == body["original_due_date"] == days(30).isoformat()
    assert body["state"] == "assigned" and body["status"] == "not_due" and body["progress"] == 0
    assert body["priority"] == 1 and body["classification"] == "none"
    assert [e["kind"] for e in body["events"]] == ["created"]
    assert body["permissions"] == {"work": True, "manage": True}  # the Bí thư reaches the commune too
    assert body["subtasks"] == {"count": 0, "by_status": {}, "items": []}
    assert AuditEvent.objects.filter(action="task.create", target_id=str(task.pk)).exists()


def test_validation_errors_come_from_the_services_in_vietnamese(client, province):
    error = assert_error(
        post(client, province.chief, URL, {"organization": province.committee.pk, "title": " "}),
        400,
        "invalid",
    )
    assert error["fields"]["title"] == ["Hãy nhập tên nhiệm vụ."]
    assert error["fields"]["lead"] == ["Hãy chọn cơ quan, phòng hoặc cán bộ chủ trì."]
    error = assert_error(
        post(
            client,
            province.chief,
            URL,
            {
                "organization": province.committee.pk,
                "title": "Báo cáo",
                "lead": {"organization": province.commune_x.pk},
                "cooperating": [{"organization": province.commune_x.pk}],
                "due_date": days(-1).isoformat(),
            },
        ),
        400,
        "invalid",
    )
    assert error["fields"]["cooperating"] == ["Nơi chủ trì không đồng thời là nơi phối hợp."]
    assert error["fields"]["due_date"][0].startswith("Hạn hoàn thành không được trước ngày giao")
    assert not Task.objects.exists()


def test_malformed_input_is_a_field_error(client, province):
    base = {"organization": province.committee.pk, "title": "Báo cáo"}
    error = assert_error(
        post(
            client,
            province.chief,
            URL,
            {**base, "lead": {"organization": province.commune_x.pk, "person": province.clerk_x.pk}},
        ),
        400,
        "invalid",
    )
    assert error["fields"]["lead"] == {"non_field_errors": ["Nêu đúng một trong organization, unit, person."]}
    error = assert_error(
        post(client, province.chief, URL, {**base, "lead": {"unit": 999999}, "classification": "secret"}),
        400,
        "invalid",
    )
    assert set(error["fields"]) == {"lead", "classification"}
    error = assert_error(
        post(
            client, province.chief, URL, {"title": "Báo cáo", "lead": {"organization": province.commune_x.pk}}
        ),
        400,
        "invalid",
    )
    assert error["fields"] == {"organization": ["Hãy chọn cơ quan giao nhiệm vụ."]}
    recurrence = {"frequency": 1, "day_of_month": 20, "starts_on": today().isoformat()}
    error = assert_error(
        post(
            client,
            province.chief,
            URL,
            {
                **base,
                "lead": {"organization": province.commune_x.pk},
                "due_date": days(5).isoformat(),
                "recurrence": recurrence,
            },
        ),
        400,
        "invalid",
    )
    assert "recurrence" in error["fields"]
    assert not Task.objects.exists()


def test_only_those_who_may_assign_for_the_organisation_may_give_tasks(client, province):
    data = {
        "organization": province.committee.pk,
        "title": "Báo cáo",
        "lead": {"organization": province.commune_y.pk},
        "due_date": days(10).isoformat(),
    }
    error = assert_error(post(client, province.clerk_x, URL, data), 403, "permission_denied")
    assert error["message"] == "Bạn không có quyền giao nhiệm vụ thay mặt Tỉnh ủy Thử nghiệm."
    # The commune's own clerk keeps books but does not direct: no tasks in the commune's name either.
    assert_error(
        post(client, province.clerk_x, URL, {**data, "organization": province.commune_x.pk}),
        403,
        "permission_denied",
    )
    assert post(client, province.specialist, URL, data).status_code == 201  # the Văn phòng enters them


def test_the_source_document_must_be_one_the_caller_may_see(client, province):
    hidden = document(province.commune_y, "Văn bản của xã Bình Minh")
    secret = document(province.committee, "Văn bản mật", Classification.MAT)
    data = {
        "organization": province.committee.pk,
        "title": "Báo cáo",
        "lead": {"organization": province.commune_x.pk},
        "source_document": hidden.pk,
    }
    error = assert_error(post(client, province.specialist, URL, data), 400, "invalid")
    assert error["fields"]["source_document"][0].startswith("Không tìm thấy văn bản")
    # The leader sees the classified source: the task inherits its classification, never lower.
    response = post(client, province.leader, URL, {**data, "source_document": secret.pk})
    assert response.status_code == 201 and response.json()["classification"] == "mat"
    error = assert_error(
        post(client, province.leader, URL, {**data, "source_document": secret.pk, "classification": "none"}),
        400,
        "invalid",
    )
    assert error["fields"]["classification"] == [
        "Độ mật không được thấp hơn độ mật của văn bản, nhiệm vụ nguồn."
    ]


def test_a_recurring_task_makes_its_series_and_first_occurrence(client, province):
    start = today()
    response = post(
        client,
        province.chief,
        URL,
        {
            "organization": province.committee.pk,
            "title": "Báo cáo tình hình hằng tháng",
            "lead": {"organization": province.commune_x.pk},
            "recurrence": {"frequency": 1, "day_of_month": 31, "starts_on": start.isoformat()},
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    series = TaskSeries.objects.get()
    assert body["series"] == series.pk
    assert body["recurrence"]["frequency"] == 1 and body["recurrence"]["day_of_month"] == 31
    first = services.occurrence_dates(series, start, start + dt.timedelta(days=62))[0]
    assert body["due_date"] == first.isoformat() and Task.objects.count() == 1
    error = assert_error(
        post(
            client,
            province.chief,
            URL,
            {
                "organization": province.committee.pk,
                "title": "Báo cáo quý",
                "lead": {"organization": province.commune_x.pk},
                "recurrence": {
                    "frequency": 3,
                    "day_of_month": 15,
                    "month_in_period": 5,
                    "starts_on": start.isoformat(),
                },
            },
        ),
        400,
        "invalid",
    )
    assert error["fields"] == {"recurrence": {"month_in_period": ["Tháng trong kỳ không hợp lệ."]}}
    error = assert_error(
        post(
            client,
            province.chief,
            URL,
            {
                "organization": province.committee.pk,
                "title": "X",
                "lead": {"organization": province.commune_x.pk},
                "recurrence": {"frequency": 2, "day_of_month": 1, "starts_on": start.isoformat()},
            },
        ),
        400,
        "invalid",
    )
    assert "frequency" in error["fields"]["recurrence"]


def test_the_lead_breaks_its_task_down_into_subtasks(client, province):
    unit = UnitFactory(organization=province.commune_x, name="Ban Tuyên giáo")
    parent = give(province, province.commune_x, due_date=days(40))
    response = post(
        client,
        province.leader,
        URL,
        {
            "parent": parent.pk,
            "title": "Phần việc của Ban Tuyên giáo",
            "lead": {"unit": unit.pk},
            "due_date": days(20).isoformat(),
        },
    )
    assert response.status_code == 201, response.json()
    child = response.json()
    # Given, by default, in the name of the parent's lead organisation.
    assert child["organization"] == province.commune_x.pk and child["parent"] == parent.pk
    assert child["lead"]["unit"] == unit.pk and child["lead"]["name"] == "Ban Tuyên giáo"
    detail = get(client, province.leader, f"{URL}{parent.pk}/").json()
    assert detail["subtasks"]["count"] == 1 and detail["subtasks"]["by_status"] == {"not_due": 1}
    assert detail["subtasks"]["items"][0]["id"] == child["id"]
    # The commune's own breakdown is its business: the Văn phòng sees the rolled-up progress only.
    assert get(client, province.chief, f"{URL}{parent.pk}/").json()["subtasks"]["count"] == 0
    # A parent the caller cannot see is a field error; a due date after the parent's, the service's.
    hidden = give(province, province.commune_y)
    error = assert_error(
        post(
            client,
            province.clerk_x,
            URL,
            {"parent": hidden.pk, "title": "X", "lead": {"organization": province.commune_x.pk}},
        ),
        400,
        "invalid",
    )
    assert error["fields"]["parent"][0].startswith("Không tìm thấy nhiệm vụ cha")
    error = assert_error(
        post(
            client,
            province.leader,
            URL,
            {"parent": parent.pk, "title": "X", "lead": {"unit": unit.pk}, "due_date": days(60).isoformat()},
        ),
        400,
        "invalid",
    )
    assert error["fields"]["due_date"][0].startswith("Hạn của nhiệm vụ con không được sau hạn")


# --- Reading ---------------------------------------------------------------------------------


def test_an_organisation_sees_its_own_tasks_and_those_it_assigned(client, province):
    for_x = give(province, province.commune_x)
    for_y = give(province, province.commune_y)
    shared = give(province, province.commune_y, cooperating=[province.commune_x])
    # Across communes: refused today (orgs.selectors.party_refusal); one given before the rule.
    by_x = give(
        province,
        province.commune_y,
        actor=province.leader,
        organization=province.commune_x,
        check_access=False,
    )
    assert set(ids(get(client, province.clerk_x, URL))) == {for_x.pk, shared.pk, by_x.pk}
    assert set(ids(get(client, province.clerk_y, URL))) == {for_y.pk, shared.pk, by_x.pk}
    assert set(ids(get(client, province.chief, URL))) == {for_x.pk, for_y.pk, shared.pk}
    assert set(ids(get(client, province.leader, URL))) == {for_x.pk, for_y.pk, shared.pk, by_x.pk}
    # A commune's token gets 404 on another commune's task, in the list's error format.
    assert_error(get(client, province.clerk_x, f"{URL}{for_y.pk}/"), 404, "not_found")
    assert get(client, province.clerk_y, f"{URL}{for_y.pk}/").status_code == 200
    assert_error(get(client, province.clerk_x, f"{URL}999999/"), 404, "not_found")


def test_a_classified_task_is_404_for_an_uncleared_caller_and_its_reading_is_audited(client, province):
    secret = give(province, province.commune_x, actor=province.leader, classification=Classification.MAT)
    for person in (province.clerk_x, province.specialist):  # named by role, but no clearance
        assert_error(get(client, person, f"{URL}{secret.pk}/"), 404, "not_found")
        assert secret.pk not in ids(get(client, person, URL))
    response = get(client, province.chief, f"{URL}{secret.pk}/")
    assert response.status_code == 200 and response.json()["classification"] == "mat"
    assert AuditEvent.objects.filter(action="task.view", target_id=str(secret.pk)).count() == 1
    plain = give(province, province.commune_x)
    get(client, province.chief, f"{URL}{plain.pk}/")
    assert not AuditEvent.objects.filter(action="task.view", target_id=str(plain.pk)).exists()


def test_the_list_answers_the_stable_fields(client, province):
    task = give(province, province.clerk_x, cooperating=[province.commune_y], due_date=soon())
    body = get(client, province.chief, URL).json()
    assert body["count"] == 1 and body["next"] is None and body["previous"] is None
    row = body["results"][0]
    assert {
        "id",
        "title",
        "source",
        "organization",
        "lead",
        "cooperating",
        "due_date",
        "original_due_date",
        "effective_due",
        "status",
        "progress",
        "state",
        "priority",
        "classification",
    } <= set(row)
    assert row["id"] == task.pk and row["status"] == "due_soon" and row["status_label"] == "Sắp đến hạn"
    assert (
        row["lead"]["person"] == province.clerk_x.pk and row["lead"]["organization"] == province.commune_x.pk
    )
    assert row["lead"]["name"] == province.clerk_x.full_name
    assert row["cooperating"] == [
        {
            "id": row["cooperating"][0]["id"],
            "role": "cooperate",
            "organization": province.commune_y.pk,
            "unit": None,
            "person": None,
            "name": "Đảng ủy xã Bình Minh",
        }
    ]
    assert row["source"]["kind"] == "conclusion" and row["source"]["document"] is None
    assert row["source"]["url"] is None
    assert row["effective_due"] == soon().isoformat() and row["days_late"] == 0


def _statuses(province):
    """One task in each status (the on-time and late ones completed in the past)."""
    chief = province.chief.user
    past = today() - dt.timedelta(days=60)
    made = {
        "not_due": give(province, province.commune_x, due_date=days(60)),
        "due_soon": give(province, province.commune_x, due_date=soon()),
        "overdue": give(
            province, province.commune_x, assigned_on=past, due_date=past + dt.timedelta(days=10)
        ),
        "done_on_time": give(
            province, province.commune_x, assigned_on=past, due_date=past + dt.timedelta(days=20)
        ),
        "done_late": give(
            province, province.commune_x, assigned_on=past, due_date=past + dt.timedelta(days=5)
        ),
        "cancelled": give(province, province.commune_x),
    }
    services.task_complete(
        actor=province.leader.user, task=made["done_on_time"], text="Xong", on=past + dt.timedelta(days=10)
    )
    services.task_complete(
        actor=province.leader.user, task=made["done_late"], text="Xong", on=past + dt.timedelta(days=30)
    )
    services.task_cancel(actor=chief, task=made["cancelled"], reason="Không còn cần thiết")
    return made


def test_the_status_filter_answers_the_derived_statuses(client, province):
    made = _statuses(province)
    for status, task in made.items():
        response = get(client, province.chief, URL, status=status)
        assert ids(response) == [task.pk], status
        assert response.json()["results"][0]["status"] == status
    expected = {
        "in_progress": {"not_due", "due_soon"},
        "done": {"done_on_time", "done_late"},
    }
    for status, names in expected.items():
        assert set(ids(get(client, province.chief, URL, status=status))) == {made[n].pk for n in names}
    overdue = get(client, province.chief, URL, status="overdue").json()["results"][0]
    assert overdue["days_late"] == (today() - dt.date.fromisoformat(overdue["effective_due"])).days > 0
    late = get(client, province.chief, URL, status="done_late").json()["results"][0]
    assert late["days_late"] > 0 and late["completed_on"] is not None
    assert_error(get(client, province.chief, URL, status="late"), 400, "invalid")


def test_every_list_filter(client, province):
    unit = UnitFactory(organization=province.commune_x, name="Ban Tổ chức")
    doc = document(province.committee)
    a = give(
        province,
        province.commune_x,
        title="Tổng kết công tác dân vận",
        due_date=days(10),
        source_document=doc,
        source_kind=SourceKind.RESOLUTION,
    )
    b = give(province, unit, due_date=days(20), actor=province.leader, cooperating=[province.clerk_y])
    c = give(province, province.commune_y, due_date=days(30), cooperating=[unit])
    d = give(
        province,
        province.commune_y,
        actor=province.leader,
        organization=province.commune_x,
        due_date=days(40),
        check_access=False,  # across communes: given before the party rule
    )
    child = give(province, province.commune_x, parent=a, due_date=days(5))
    leader = province.leader

    def listed(**params):
        return set(ids(get(client, leader, URL, **params)))

    assert listed() == {a.pk, b.pk, c.pk, d.pk, child.pk}
    assert listed(organization=province.commune_x.pk) == {a.pk, b.pk, c.pk, d.pk, child.pk} - {c.pk}
    assert listed(lead_organization=province.commune_x.pk) == {a.pk, b.pk, child.pk}
    assert listed(giver=province.commune_x.pk) == {d.pk}
    assert listed(unit=unit.pk) == {b.pk, c.pk}
    assert listed(assignee=province.clerk_y.pk) == {b.pk}
    assert listed(issued_by=leader.pk) == {b.pk, d.pk}
    assert listed(source="resolution") == {a.pk}
    assert listed(source_document=doc.pk) == {a.pk}
    assert listed(parent=a.pk) == {child.pk}
    assert listed(due_from=days(15).isoformat(), due_to=days(35).isoformat()) == {b.pk, c.pk}
    assert listed(q="dân vận") == {a.pk}
    due_order = ids(get(client, leader, URL, ordering="due"))
    assert due_order == [child.pk, a.pk, b.pk, c.pk, d.pk]
    assert ids(get(client, leader, URL)) == sorted(due_order, reverse=True)  # newest first
    x = province.commune_x.pk
    assert ids(get(client, leader, URL, organization=x, unit=unit.pk, ordering="due")) == [b.pk]
    assert ids(get(client, leader, URL, organization=x, ordering="due")) == [child.pk, a.pk, b.pk, d.pk]
    for bad in ({"due_from": "hôm qua"}, {"organization": "x"}, {"source": "meeting"}, {"ordering": "x"}):
        assert_error(get(client, leader, URL, **bad), 400, "invalid")


def test_the_list_is_paginated(client, province):
    for n in range(5):
        give(province, province.commune_x, title=f"Nhiệm vụ {n}")
    body = get(client, province.chief, URL, page_size=2, page=2).json()
    assert body["count"] == 5 and len(body["results"]) == 2
    assert body["next"] and body["previous"]
    assert_error(get(client, province.chief, URL, page=9), 404, "not_found")


def test_the_list_makes_the_same_queries_for_few_and_many_tasks(client, province):
    headers = bearer(province.chief.user)
    client.get(URL, **headers)  # the token's first use is recorded once

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, **headers).status_code == 200
        return len(ctx.captured_queries)

    def some(n):
        unit = UnitFactory(organization=province.commune_y)
        for _ in range(n):
            give(province, province.clerk_x, cooperating=[province.commune_y, unit, province.specialist])

    some(2)
    few = queries()
    some(12)
    assert queries() == few


def test_the_detail_holds_history_with_evidence_extensions_and_rights(client, province):
    doc = document(province.commune_x, "Báo cáo tiến độ")
    task = give(province, province.commune_x, due_date=days(20))
    clerk = province.clerk_x.user
    services.task_accept(actor=clerk, task=task)
    services.task_report_progress(
        actor=clerk,
        task=task,
        text="Đã họp triển khai",
        percent=30,
        documents=[doc],
        uploads=[("bien-ban-hop.pdf", b"%PDF-1.4 bien ban")],
    )
    services.extension_request(actor=clerk, task=task, new_due_date=days(40), reason="Chờ số liệu")
    body = get(client, province.clerk_x, f"{URL}{task.pk}/").json()
    assert body["state"] == "in_progress" and body["progress"] == 30
    assert [e["kind"] for e in body["events"]] == ["created", "accepted", "progress", "ext_requested"]
    progress = body["events"][2]
    assert progress["percent"] == 30 and progress["text"] == "Đã họp triển khai"
    assert progress["documents"] == [doc.pk] and progress["actor"] == province.clerk_x.pk
    assert [f["name"] for f in progress["files"]] == ["bien-ban-hop.pdf"]
    assert progress["files"][0]["url"] == f"{URL}{task.pk}/files/{progress['files'][0]['id']}/"
    [extension] = body["extensions"]
    assert extension["state"] == "pending" and extension["new_due_date"] == days(40).isoformat()
    assert extension["current_due_date"] == days(20).isoformat() and extension["reason"] == "Chờ số liệu"
    assert body["permissions"] == {"work": True, "manage": False}
    assert get(client, province.chief, f"{URL}{task.pk}/").json()["permissions"] == {
        "work": False,
        "manage": True,
    }
    assert TaskEvent.objects.filter(task=task, kind=EventKind.PROGRESS).count() == 1
    assert TaskParty.objects.filter(task=task, role=PartyRole.LEAD).count() == 1
    assert Task.objects.get(pk=task.pk).state == TaskState.IN_PROGRESS


def test_a_direction_on_an_incoming_document_is_listed_with_its_source(client, province):
    from vanphong.documents.services.incoming import incoming_direct, incoming_register
    from vanphong.documents.services.registering import registers_provision_defaults

    registers_provision_defaults(organization=province.committee, term_start=dt.date(2025, 10, 1))
    entry = incoming_register(
        actor=province.clerk.user,
        organization=province.committee,
        symbol="15-CV/TW",
        subject="Về chuyển đổi số",
    )
    incoming_direct(
        actor=province.leader.user,
        entry=entry,
        text="Giao xã An Phú chủ trì, báo cáo trước hạn.",
        assignments=[{"organization": province.commune_x, "role": "lead", "due_date": days(15)}],
    )
    row = get(client, province.clerk_x, URL, source="direction").json()["results"][0]
    assert row["source"]["kind"] == "direction" and row["source"]["document"] == entry.document_id
    assert row["source"]["url"] == f"/van-ban/{entry.document_id}/" and "15-CV/TW" in row["source"]["label"]
    assert row["issued_by"] == province.leader.pk and row["lead"]["organization"] == province.commune_x.pk
    assert ids(get(client, province.leader, URL, source_document=entry.document_id)) == [row["id"]]


def test_the_detail_makes_the_same_queries_however_long_its_history(client, province):
    headers = bearer(province.clerk_x.user)
    task = give(province, province.commune_x, cooperating=[province.commune_y])
    client.get(f"{URL}{task.pk}/", **headers)  # the token's first use is recorded once

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"{URL}{task.pk}/", **headers).status_code == 200
        return len(ctx.captured_queries)

    def report(n):
        for i in range(n):
            services.task_report_progress(
                actor=province.clerk_x.user,
                task=task,
                text=f"Lần {i}",
                documents=[document(province.commune_x, f"Minh chứng {i}")],
                uploads=[(f"tep-{i}.pdf", b"%PDF-1.4 minh chung")],
            )
        give(province, province.commune_x, parent=task, due_date=days(10))

    report(1)
    few = queries()
    report(6)
    assert queries() == few
