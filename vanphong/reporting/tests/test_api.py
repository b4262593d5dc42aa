"""The reporting API: the contract's paths and fields, 404 outside reach (a neighbour commune's
report), 409 ``conflict`` for a report already sent, the board and the aggregation, the
workbook."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from vanphong.api.tests.helpers import assert_error, bearer
from vanphong.reporting.models import ReportRequest, SubmissionState
from vanphong.reporting.tests.conftest import make_request, row
from vanphong.tasks.models import SourceKind, Task, TaskState

REQUESTS = "/api/v1/report-requests/"
SUBMISSIONS = "/api/v1/report-submissions/"


def get(client, person, url, **params):
    return client.get(url, params, **bearer(person.user))


def post(client, person, url, data):
    return client.post(url, data, content_type="application/json", **bearer(person.user))


def request_payload(province, **changes):
    data = {
        "title": "Báo cáo quý công tác kiểm tra, giám sát",
        "recipients": [province.commune_x.pk, province.commune_y.pk],
        "frequency": "quarterly",
        "due_day": 15,
        "indicators": [
            {"code": "cuoc_kiem_tra", "name": "Số cuộc kiểm tra", "unit": "cuộc", "min": 0},
            {"code": "dang_vien_vi_pham", "name": "Đảng viên vi phạm", "unit": "người"},
        ],
        "sections": ["Kết quả kiểm tra", "Kiến nghị"],
    }
    data.update(changes)
    return data


def test_a_request_is_made_for_the_callers_committee_with_tasks(client, province):
    response = post(client, province.specialist, REQUESTS, request_payload(province))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["organization"] == province.committee.pk  # the office's staff request for the committee
    assert body["frequency"] == "quarterly" and body["due_day"] == 15
    assert body["recipients"] == [province.commune_x.pk, province.commune_y.pk]
    assert [i["code"] for i in body["indicators"]] == ["cuoc_kiem_tra", "dang_vien_vi_pham"]
    assert body["indicators"][0]["min"] == 0 and body["indicators"][1]["min"] is None
    assert body["sections"] == ["Kết quả kiểm tra", "Kiến nghị"]
    tasks = Task.objects.filter(source_kind=SourceKind.REPORT_REQUEST)
    assert tasks.count() == 4
    assert set(tasks.values_list("lead_organization_id", flat=True)) == {
        province.commune_x.pk,
        province.commune_y.pk,
    }


def test_a_request_with_slips_answers_400_in_vietnamese(client, province):
    error = assert_error(
        post(client, province.specialist, REQUESTS, request_payload(province, frequency="2w", recipients=[])),
        400,
        "invalid",
    )
    assert "frequency" in error["fields"] and "recipients" in error["fields"]
    error = assert_error(
        post(client, province.specialist, REQUESTS, request_payload(province, recipients=[999999])),
        400,
        "invalid",
    )
    assert "999999" in error["fields"]["recipients"][0]
    assert_error(
        post(
            client, province.clerk_x, REQUESTS, request_payload(province, organization=province.committee.pk)
        ),
        403,
        "permission_denied",
    )


def test_submission_contract_draft_submit_conflict_return_resubmit(client, province):
    request = make_request(province)
    key = row(request, province.commune_x).period
    data = {"request": request.pk, "period": key, "values": {"dang_vien_moi": 2}, "submit": False}
    response = post(client, province.clerk_x, SUBMISSIONS, data)
    assert response.status_code == 200, response.content
    body = response.json()
    assert {"id", "status", "submitted_at"} <= set(body)
    assert body["status"] == "draft" and body["submitted_at"] is None
    assert body["organization"] == province.commune_x.pk  # defaults to the caller's
    # posting again updates the same draft, then submits it
    data = {
        "request": request.pk,
        "period": key,
        "organization": province.commune_x.pk,
        "values": {"don_thu": 5},
        "text": {"Tình hình chung": "Ổn định"},
        "submit": True,
    }
    body = post(client, province.clerk_x, SUBMISSIONS, data).json()
    assert body["id"] == response.json()["id"]
    assert body["status"] == "submitted" and body["submitted_at"]
    assert body["values"] == {"dang_vien_moi": 2, "don_thu": 5}
    assert body["text"] == {"Tình hình chung": "Ổn định"}
    error = assert_error(post(client, province.clerk_x, SUBMISSIONS, data), 409, "conflict")
    assert "state" in error["fields"]
    # the neighbour cannot see it; the requester can
    url = f"{SUBMISSIONS}{body['id']}/"
    assert_error(get(client, province.clerk_y, url), 404, "not_found")
    assert_error(post(client, province.clerk_y, url + "return/", {"reason": "x"}), 404, "not_found")
    assert get(client, province.chief, url).json()["status"] == "submitted"
    assert_error(post(client, province.chief, url + "return/", {"reason": ""}), 400, "invalid")
    returned = post(client, province.chief, url + "return/", {"reason": "Bổ sung số đơn thư"})
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert returned.json()["returned_reason"] == "Bổ sung số đơn thư"
    submission = row(request, province.commune_x, key)
    assert submission.task.state == TaskState.IN_PROGRESS
    again = post(
        client, province.clerk_x, SUBMISSIONS, {"request": request.pk, "period": key, "submit": True}
    )
    assert again.json()["status"] == "submitted"
    submission.refresh_from_db()
    assert submission.state == SubmissionState.SUBMITTED and submission.task.state == TaskState.COMPLETED


def test_submission_for_a_period_not_given_or_malformed(client, province):
    request = make_request(province)
    error = assert_error(
        post(client, province.clerk_x, SUBMISSIONS, {"request": request.pk, "period": "2026-Q1"}),
        400,
        "invalid",
    )
    assert "period" in error["fields"]
    error = assert_error(
        post(client, province.clerk_x, SUBMISSIONS, {"request": request.pk, "period": "1990-01"}),
        400,
        "invalid",
    )
    assert "period" in error["fields"]
    # another commune's report may not be written
    key = row(request, province.commune_x).period
    data = {"request": request.pk, "period": key, "organization": province.commune_x.pk}
    assert_error(post(client, province.clerk_y, SUBMISSIONS, data), 403, "permission_denied")
    # a request the caller does not see
    other = make_request(province, recipients=[province.commune_y])
    error = assert_error(
        post(client, province.clerk_x, SUBMISSIONS, {"request": other.pk, "period": key}), 400, "invalid"
    )
    assert "request" in error["fields"]


def test_the_board_and_the_requests_as_each_side_sees_them(client, province):
    request = make_request(province)
    key = row(request, province.commune_x).period
    post(
        client,
        province.clerk_x,
        SUBMISSIONS,
        {"request": request.pk, "period": key, "values": {"dang_vien_moi": 1, "don_thu": 1}, "submit": True},
    )
    board = get(client, province.specialist, f"{REQUESTS}{request.pk}/board/", period=key).json()
    assert board["period"] == key and board["due_date"]
    rows = {r["organization"]: r for r in board["rows"]}
    assert (
        rows[province.commune_x.pk]["status"] == "submitted" and rows[province.commune_x.pk]["submitted_at"]
    )
    assert (
        rows[province.commune_y.pk]["status"] == "pending"
        and rows[province.commune_y.pk]["submitted_at"] is None
    )
    own = get(client, province.clerk_y, f"{REQUESTS}{request.pk}/board/", period=key).json()
    assert [r["organization"] for r in own["rows"]] == [province.commune_y.pk]
    assert_error(
        get(client, province.clerk_y, f"{REQUESTS}{request.pk}/board/", period="2026-13"), 400, "invalid"
    )
    # lists: the requester and each recipient see it; the aggregate is the requester's
    assert [r["id"] for r in get(client, province.clerk_y, REQUESTS).json()["results"]] == [request.pk]
    assert_error(get(client, province.clerk_y, f"{REQUESTS}{request.pk}/aggregate/"), 404, "not_found")
    stranger = make_request(province, recipients=[province.commune_y])
    assert_error(get(client, province.clerk_x, f"{REQUESTS}{stranger.pk}/"), 404, "not_found")


def test_the_aggregate_and_the_workbook(client, province):
    request = make_request(province)
    key = row(request, province.commune_x).period
    for person, values in (
        (province.clerk_x, {"dang_vien_moi": 3, "don_thu": 10}),
        (province.clerk_y, {"dang_vien_moi": 4, "don_thu": 1.5}),
    ):
        post(
            client,
            person,
            SUBMISSIONS,
            {"request": request.pk, "period": key, "values": values, "submit": True},
        )
    body = get(client, province.chief, f"{REQUESTS}{request.pk}/aggregate/", period=key).json()
    totals = {i["code"]: i for i in body["indicators"]}
    assert totals["dang_vien_moi"]["total"] == 7
    assert totals["don_thu"]["total"] == 11.5
    assert (
        totals["dang_vien_moi"]["previous"] is None
        and totals["dang_vien_moi"]["same_period_last_year"] is None
    )
    assert totals["dang_vien_moi"]["by_organization"] == {
        str(province.commune_x.pk): 3,
        str(province.commune_y.pk): 4,
    }
    for url in (f"{REQUESTS}{request.pk}/aggregate.xlsx", f"{REQUESTS}{request.pk}/export/"):
        response = get(client, province.chief, url, period=key)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Tổng hợp"]
        rows = [list(r) for r in sheet.iter_rows(min_row=5, values_only=True)]
        assert rows[0][:3] == ["Mã", "Chỉ tiêu", "Đơn vị tính"]
        line = next(r for r in rows if r[0] == "dang_vien_moi")
        assert line[3:6] == [3, 4, 7]
        assert next(r for r in rows if r[0] == "don_thu")[5] == 11.5
    assert_error(get(client, province.clerk_x, f"{REQUESTS}{request.pk}/aggregate.xlsx"), 404, "not_found")


def test_a_one_off_request_takes_no_period(client, province):
    response = post(
        client,
        province.specialist,
        REQUESTS,
        request_payload(province, frequency="once", due_day=None, due_date="2099-12-31"),
    )
    assert response.status_code == 201, response.content
    request = ReportRequest.objects.get(pk=response.json()["id"])
    data = {"request": request.pk, "values": {"cuoc_kiem_tra": 1, "dang_vien_vi_pham": 0}, "submit": True}
    body = post(client, province.clerk_x, SUBMISSIONS, data).json()
    assert body["period"] is None and body["status"] == "submitted"
    board = get(client, province.specialist, f"{REQUESTS}{request.pk}/board/").json()
    assert board["period"] is None and len(board["rows"]) == 2
    assert_error(post(client, province.clerk_x, SUBMISSIONS, {**data, "period": "2026-01"}), 400, "invalid")


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_a_report_sent_as_a_form_with_a_file(client, province, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.VANPHONG_TOTP_REQUIRED = "none"  # the download is a page
    request = make_request(province)
    key = row(request, province.commune_x).period
    data = {
        "request": request.pk,
        "period": key,
        "values.dang_vien_moi": "2",
        "values.don_thu": "4",
        "text.Tình hình chung": "Ổn định",
        "files": [SimpleUploadedFile("bao-cao-thang.pdf", PDF, content_type="application/pdf")],
        "submit": "true",
    }
    response = client.post(SUBMISSIONS, data, **bearer(province.clerk_x.user))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "submitted" and body["values"] == {"dang_vien_moi": 2, "don_thu": 4}
    assert [f["name"] for f in body["files"]] == ["bao-cao-thang.pdf"]
    client.force_login(province.chief.user)
    download = client.get(f"/bao-cao/nop/{body['id']}/tep/{body['files'][0]['id']}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    client.force_login(province.clerk_y.user)
    assert client.get(f"/bao-cao/nop/{body['id']}/tep/{body['files'][0]['id']}/").status_code == 404
