"""The records and archive API: the contract's paths (file plans and next year, records opened,
filled and closed with their retention, holds, transfers, lending, disposal and its refusals),
404 outside reach (another organisation, a record above clearance), 403 for a visible record's
forbidden action, Vietnamese errors in the API's one format."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from vanphong.api.tests.helpers import assert_error, bearer
from vanphong.documents.models.files import DocumentFile, FileKind
from vanphong.orgs.models import Classification
from vanphong.records.models import FilePlan, PlanState, Record, RecordItem, RecordState
from vanphong.records.tests.conftest import document, open_record
from vanphong.tasks.models import TaskState

pytestmark = pytest.mark.django_db

PLANS = "/api/v1/file-plans/"
RECORDS = "/api/v1/records/"
TRANSFERS = "/api/v1/transfers/"
REQUESTS = "/api/v1/archive-requests/"
DISPOSALS = "/api/v1/disposals/"


def get(client: Any, person: Any, url: str, **params: Any) -> Any:
    return client.get(url, params, **bearer(person.user))


def post(client: Any, person: Any, url: str, data: Any = None) -> Any:
    return client.post(url, data or {}, content_type="application/json", **bearer(person.user))


def filed(
    client: Any,
    province: Any,
    record_id: int,
    symbol: str = "15-NQ/TU",
    document_id: int | None = None,
    **fields: Any,
) -> dict:
    doc_id = document_id or document(province, symbol=symbol, **fields).pk
    response = post(client, province.clerk, f"{RECORDS}{record_id}/documents/", {"document": doc_id})
    assert response.status_code == 201, response.content
    return response.json()


def expired_record(client: Any, province: Any, code: str = "09.CU") -> dict:
    """A two-year record of 2020, closed that June: its retention ran out at the end of 2022."""
    response = post(
        client,
        province.specialist,
        RECORDS,
        {
            "organization": province.committee.pk,
            "code": code,
            "title": "Sổ theo dõi công văn năm 2020",
            "retention": 2,
            "year": 2020,
            "start_date": "2020-01-02",
        },
    )
    assert response.status_code == 201, response.content
    record = response.json()
    filed(client, province, record["id"], symbol=f"{code}-CV/VPTU")
    closed = post(client, province.specialist, f"{RECORDS}{record['id']}/close/", {"end_date": "2020-06-30"})
    assert closed.status_code == 200, closed.content
    assert closed.json()["retention_until"] == "2022-12-31"
    return closed.json()


# --- File plans ----------------------------------------------------------------------------------------


def test_a_plan_is_made_approved_and_carried_to_the_next_year(client, province):
    items = [
        {
            "code": "01.TH",
            "title": "Chương trình công tác năm",
            "retention": "vinh_vien",
            "heading": "Tổng hợp",
        },
        {"code": "02.TH", "title": "Báo cáo tháng, quý", "retention": 10, "unit": None},
    ]
    made = post(
        client,
        province.specialist,
        PLANS,
        {"organization": province.committee.pk, "year": 2026, "items": items},
    )
    assert made.status_code == 201, made.content
    plan = made.json()
    assert (plan["year"], plan["state"], plan["organization"]) == (2026, "draft", province.committee.pk)
    assert [(i["code"], i["retention"]) for i in plan["items"]] == [("01.TH", "vinh_vien"), ("02.TH", 10)]

    assert_error(post(client, province.specialist, f"{PLANS}{plan['id']}/approve/"), 403, "permission_denied")
    approved = post(client, province.chief, f"{PLANS}{plan['id']}/approve/")
    assert approved.status_code == 200 and approved.json()["state"] == "approved"

    nxt = post(client, province.specialist, f"{PLANS}{plan['id']}/next-year/")
    assert nxt.status_code == 201, nxt.content
    body = nxt.json()
    assert (body["year"], body["state"], body["based_on"]) == (2027, "draft", plan["id"])
    assert [(i["code"], i["title"], i["retention"]) for i in body["items"]] == [
        (i["code"], i["title"], i["retention"]) for i in plan["items"]
    ]
    again = assert_error(post(client, province.specialist, f"{PLANS}{plan['id']}/next-year/"), 400, "invalid")
    assert "năm 2027" in again["fields"]["year"][0]

    listed = get(client, province.chief, PLANS, year=2027)
    assert [p["id"] for p in listed.json()["results"]] == [body["id"]]
    assert get(client, province.chief, f"{PLANS}{body['id']}/").json()["items"][1]["retention"] == 10
    assert FilePlan.objects.get(pk=body["id"]).state == PlanState.DRAFT


def test_plan_refusals_are_vietnamese_field_errors(client, province):
    bad = [{"code": "01", "title": "Hồ sơ", "retention": 0}]
    error = assert_error(
        post(client, province.specialist, PLANS, {"year": 2026, "items": bad}), 400, "invalid"
    )
    assert "Thời hạn bảo quản" in str(error["fields"]["items"])
    duplicate = [
        {"code": "01", "title": "Hồ sơ một", "retention": 5},
        {"code": "01", "title": "Hồ sơ hai", "retention": 5},
    ]
    error = assert_error(
        post(client, province.specialist, PLANS, {"year": 2026, "items": duplicate}), 400, "invalid"
    )
    assert "đã có trong danh mục" in error["fields"]["items"][0]
    # Someone of a commune does not make the Tỉnh ủy's plan.
    refused = post(client, province.clerk_x, PLANS, {"organization": province.committee.pk, "year": 2026})
    assert_error(refused, 403, "permission_denied")


def test_another_organisations_plan_is_not_found(client, province, plan):
    assert_error(get(client, province.clerk_x, f"{PLANS}{plan.pk}/"), 404, "not_found")
    assert_error(post(client, province.clerk_x, f"{PLANS}{plan.pk}/next-year/"), 404, "not_found")
    assert get(client, province.clerk_x, PLANS).json()["results"] == []
    assert_error(get(client, province.chief, PLANS, organization="abc"), 400, "invalid")


# --- Records -------------------------------------------------------------------------------------------


def test_a_record_opens_from_the_plan_with_its_title_by_default(client, province, plan):
    item = plan.items.get(code="03.HC")
    response = post(client, province.specialist, RECORDS, {"plan_item": item.pk})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["code"], body["title"], body["retention"], body["year"]) == ("03.HC", item.title, 20, 2026)
    assert body["state"] == "open" and body["items"] == [] and body["construction"] is True
    titled = post(
        client,
        province.specialist,
        RECORDS,
        {"plan_item": plan.items.get(code="02.TH").pk, "title": "Báo cáo quý I"},
    )
    assert titled.json()["title"] == "Báo cáo quý I" and titled.json()["retention"] == 5
    twice = assert_error(post(client, province.specialist, RECORDS, {"plan_item": item.pk}), 400, "invalid")
    assert "đã được mở" in twice["fields"]["code"][0]


def test_a_record_outside_the_plan_needs_its_own_code_and_retention(client, province):
    data = {"organization": province.committee.pk, "code": "NK.01", "title": "Hồ sơ hội nghị chuyên đề"}
    error = assert_error(post(client, province.specialist, RECORDS, data), 400, "invalid")
    assert "retention" in error["fields"]
    error = assert_error(
        post(client, province.specialist, RECORDS, {**data, "retention": "mãi"}), 400, "invalid"
    )
    assert "Thời hạn bảo quản" in error["fields"]["retention"][0]
    made = post(client, province.specialist, RECORDS, {**data, "retention": "vinh_vien"})
    assert made.status_code == 201, made.content
    assert (made.json()["plan_item"], made.json()["retention"]) == (None, "vinh_vien")
    unknown = assert_error(post(client, province.specialist, RECORDS, {"plan_item": 10**9}), 400, "invalid")
    assert "plan_item" in unknown["fields"]


def test_filing_lists_the_index_and_unfiling_renumbers_it(client, province, plan):
    record = open_record(province, plan)
    first = filed(client, province, record.pk, symbol="15-NQ/TU", subject="Nghị quyết về chuyển đổi số")
    assert first["ordinal"] == 1 and first["kind"] == "document" and first["symbol"] == "15-NQ/TU"
    filed(client, province, record.pk, symbol="16-NQ/TU")
    detail = get(client, province.specialist, f"{RECORDS}{record.pk}/").json()
    assert [(i["ordinal"], i["symbol"]) for i in detail["items"]] == [(1, "15-NQ/TU"), (2, "16-NQ/TU")]
    assert {"document", "issued_date", "subject", "page_count"} <= set(detail["items"][0])
    assert detail["items"][0]["subject"] == "Nghị quyết về chuyển đổi số"

    again = {"document": first["document"]}
    assert_error(post(client, province.clerk, f"{RECORDS}{record.pk}/documents/", again), 400, "invalid")
    none = assert_error(post(client, province.clerk, f"{RECORDS}{record.pk}/documents/", {}), 400, "invalid")
    assert "document" in none["fields"]
    hidden = document(province, symbol="01-QĐ/TU", classification=Classification.TOI_MAT)
    refused = post(client, province.clerk, f"{RECORDS}{record.pk}/documents/", {"document": hidden.pk})
    assert "document" in assert_error(refused, 400, "invalid")["fields"]

    gone = client.delete(f"{RECORDS}{record.pk}/documents/1/", **bearer(province.specialist.user))
    assert gone.status_code == 204, gone.content
    left = get(client, province.specialist, f"{RECORDS}{record.pk}/").json()["items"]
    assert [(i["ordinal"], i["symbol"]) for i in left] == [(1, "16-NQ/TU")]
    missing = client.delete(f"{RECORDS}{record.pk}/documents/7/", **bearer(province.specialist.user))
    assert_error(missing, 404, "not_found")


def test_closing_answers_the_retention_end_and_the_transfer_due(client, province, plan):
    permanent = open_record(province, plan, "01.TH")
    filed(client, province, permanent.pk)
    closed = post(client, province.specialist, f"{RECORDS}{permanent.pk}/close/", {"end_date": "2026-01-31"})
    assert closed.status_code == 200, closed.content
    body = closed.json()
    assert (body["state"], body["retention"], body["retention_until"]) == ("closed", "vinh_vien", None)
    assert body["transfer_due"] == "2027-01-31"

    twenty = open_record(province, plan, "03.HC")
    filed(client, province, twenty.pk, symbol="20-CV/VPTU")
    closed = post(client, province.specialist, f"{RECORDS}{twenty.pk}/close/", {"end_date": "2026-03-10"})
    body = closed.json()
    assert (body["retention"], body["retention_until"], body["transfer_due"]) == (
        20,
        "2046-12-31",
        "2026-06-10",
    )

    short = open_record(province, plan, "04.HC")
    filed(client, province, short.pk, symbol="21-CV/VPTU")
    body = post(client, province.specialist, f"{RECORDS}{short.pk}/close/", {"retention": 3}).json()
    assert body["retention"] == 3 and body["transfer_due"] is None
    assert body["retention_until"] == f"{dt.date.today().year + 3}-12-31"

    empty = open_record(province, plan, "02.TH")
    error = assert_error(post(client, province.specialist, f"{RECORDS}{empty.pk}/close/"), 400, "invalid")
    assert "chưa có văn bản" in error["fields"]["items"][0]
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    refused = post(client, province.specialist, f"{RECORDS}{empty.pk}/close/", {"end_date": future})
    assert "end_date" in assert_error(refused, 400, "invalid")["fields"]


def test_reopening_a_closed_record_cancels_its_transfer_task(client, province, plan):
    record = open_record(province, plan, "02.TH")
    filed(client, province, record.pk)
    post(client, province.specialist, f"{RECORDS}{record.pk}/close/", {"end_date": "2026-02-01"})
    task = Record.objects.get(pk=record.pk).transfer_task
    assert_error(post(client, province.specialist, f"{RECORDS}{record.pk}/reopen/", {}), 400, "invalid")
    body = post(
        client, province.specialist, f"{RECORDS}{record.pk}/reopen/", {"reason": "Sót báo cáo quý IV"}
    ).json()
    assert (body["state"], body["retention_until"], body["transfer_due"]) == ("open", None, None)
    task.refresh_from_db()
    assert task.state == TaskState.CANCELLED


def test_records_outside_reach_are_not_found(client, province, plan):
    record = open_record(province, plan)
    filed(client, province, record.pk)
    for url in (f"{RECORDS}{record.pk}/", f"{RECORDS}{record.pk}/documents/"):
        response = (
            get(client, province.clerk_x, url)
            if url.endswith(f"{record.pk}/")
            else post(client, province.clerk_x, url, {"document": 1})
        )
        assert_error(response, 404, "not_found")
    assert_error(post(client, province.clerk_x, f"{RECORDS}{record.pk}/close/"), 404, "not_found")
    assert get(client, province.clerk_x, RECORDS).json()["results"] == []
    assert_error(get(client, province.specialist, f"{RECORDS}99999999999999999999999/"), 404, "not_found")
    assert_error(get(client, province.specialist, f"{RECORDS}abc/"), 404, "not_found")
    assert_error(client.get(f"{RECORDS}{record.pk}/"), 401, "not_authenticated")


def test_a_record_above_the_readers_clearance_is_not_found(client, province, plan):
    record = open_record(province, plan)
    filed(client, province, record.pk, symbol="05-BC/TU", classification=Classification.MAT)
    assert Record.objects.get(pk=record.pk).classification == Classification.MAT
    # The specialist opened it, but is cleared for nothing classified.
    assert_error(get(client, province.specialist, f"{RECORDS}{record.pk}/"), 404, "not_found")
    assert_error(post(client, province.specialist, f"{RECORDS}{record.pk}/close/"), 404, "not_found")
    assert record.pk not in [r["id"] for r in get(client, province.specialist, RECORDS).json()["results"]]
    seen = get(client, province.clerk, f"{RECORDS}{record.pk}/")
    assert seen.status_code == 200 and seen.json()["classification"] == "mat"


def test_the_list_filters_and_searches_without_accents(client, province, plan):
    first = open_record(province, plan, "01.TH")
    filed(client, province, first.pk, symbol="15-NQ/TU", subject="Nghị quyết về chuyển đổi số")
    second = open_record(province, plan, "04.HC")
    filed(client, province, second.pk, symbol="30-CV/VPTU", subject="Công văn về lịch tiếp công dân")
    post(client, province.specialist, f"{RECORDS}{second.pk}/close/")

    def ids(**params: Any) -> list[int]:
        response = get(client, province.chief, RECORDS, **params)
        assert response.status_code == 200, response.content
        return [r["id"] for r in response.json()["results"]]

    assert set(ids()) == {first.pk, second.pk}
    assert ids(q="chuyen doi so") == [first.pk]
    assert ids(q="TIẾP CÔNG DÂN") == [second.pk]
    assert ids(state="closed") == [second.pk]
    assert ids(organization=province.committee.pk, year=2026, state="open") == [first.pk]
    assert ids(year=2025) == []
    assert_error(get(client, province.chief, RECORDS, state="lost"), 400, "invalid")
    assert_error(get(client, province.chief, RECORDS, year="20x6"), 400, "invalid")
    nul = assert_error(get(client, province.chief, RECORDS, q="kinh\x00tế"), 400, "invalid")
    assert nul["fields"]["q"] == ["Không được chứa ký tự rỗng (NUL, mã 0)."]


def test_a_hold_is_the_leaders_and_blocks_disposal(client, province):
    record = expired_record(client, province)
    url = f"{RECORDS}{record['id']}/"
    assert_error(
        post(client, province.specialist, f"{url}hold/", {"reason": "Thanh tra"}), 403, "permission_denied"
    )
    assert_error(post(client, province.chief, f"{url}hold/", {}), 400, "invalid")
    held = post(client, province.chief, f"{url}hold/", {"reason": "Thanh tra tỉnh đang kiểm tra"})
    assert held.status_code == 200 and held.json()["held"] is True
    refused = post(client, province.clerk, DISPOSALS, {"records": [record["id"]], "decision": "QĐ 12-QĐ/TU"})
    assert "phong tỏa" in assert_error(refused, 400, "invalid")["fields"]["records"][0]
    released = post(client, province.chief, f"{url}release/")
    assert released.status_code == 200 and released.json()["held"] is False
    assert_error(post(client, province.chief, f"{url}release/"), 400, "invalid")


# --- Transfer and lending ------------------------------------------------------------------------------


def test_transfer_hand_over_and_a_loan(client, province, plan):
    record = open_record(province, plan, "02.TH")
    filed(client, province, record.pk)
    post(client, province.specialist, f"{RECORDS}{record.pk}/close/", {"end_date": "2026-01-05"})

    made = post(client, province.specialist, TRANSFERS, {"records": [record.pk]})
    assert made.status_code == 201, made.content
    transfer = made.json()
    assert (transfer["state"], transfer["records"], transfer["organization"]) == (
        "draft",
        [record.pk],
        province.committee.pk,
    )
    url = f"{TRANSFERS}{transfer['id']}/hand-over/"
    assert_error(post(client, province.specialist, url, {"boxes": 1}), 403, "permission_denied")
    assert_error(post(client, province.clerk_x, url, {"boxes": 1}), 404, "not_found")
    done = post(client, province.clerk, url, {"boxes": 1, "condition": "Tốt"})
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "handed_over" and done.json()["boxes"] == 1
    assert get(client, province.specialist, f"{RECORDS}{record.pk}/").json()["state"] == "archived"

    due = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    missing_date = {"records": [record.pk], "purpose": "Tổng hợp báo cáo", "mode": "borrow"}
    assert (
        "return_due"
        in assert_error(post(client, province.specialist, REQUESTS, missing_date), 400, "invalid")["fields"]
    )
    loan = post(client, province.specialist, REQUESTS, {**missing_date, "return_due": due})
    assert loan.status_code == 201, loan.content
    loan_id = loan.json()["id"]
    assert loan.json()["state"] == "pending" and loan.json()["records"] == [record.pk]
    assert_error(
        post(client, province.specialist, f"{REQUESTS}{loan_id}/decide/", {"approve": True}),
        403,
        "permission_denied",
    )
    refused = post(client, province.chief, f"{REQUESTS}{loan_id}/decide/", {"approve": False})
    assert "decision_note" in assert_error(refused, 400, "invalid")["fields"]
    approved = post(
        client, province.chief, f"{REQUESTS}{loan_id}/decide/", {"approve": True, "note": "Đồng ý"}
    )
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    assert approved.json()["return_task"] is not None
    returned = post(client, province.clerk, f"{REQUESTS}{loan_id}/return/")
    assert returned.status_code == 200 and returned.json()["state"] == "returned"
    assert_error(post(client, province.clerk, f"{REQUESTS}{loan_id}/return/"), 400, "invalid")
    assert [r["id"] for r in get(client, province.specialist, REQUESTS).json()["results"]] == [loan_id]
    assert get(client, province.clerk_x, REQUESTS).json()["results"] == []
    assert get(client, province.clerk_x, TRANSFERS).json()["results"] == []


def test_a_transfer_refuses_an_open_record_and_unknown_ids(client, province, plan):
    record = open_record(province, plan)
    error = assert_error(
        post(client, province.specialist, TRANSFERS, {"records": [record.pk]}), 400, "invalid"
    )
    assert "chưa kết thúc" in error["fields"]["records"][0]
    unknown = assert_error(
        post(client, province.specialist, TRANSFERS, {"records": [10**12]}), 400, "invalid"
    )
    assert "records" in unknown["fields"]


# --- Disposal ------------------------------------------------------------------------------------------


def test_disposal_refuses_a_permanent_record(client, province, plan):
    record = open_record(province, plan, "01.TH")
    filed(client, province, record.pk)
    post(client, province.specialist, f"{RECORDS}{record.pk}/close/", {"end_date": "2026-01-31"})
    response = post(client, province.clerk, DISPOSALS, {"records": [record.pk], "decision": "QĐ 12-QĐ/TU"})
    assert "vĩnh viễn" in assert_error(response, 400, "invalid")["fields"]["records"][0]
    assert Record.objects.get(pk=record.pk).state == RecordState.CLOSED


def test_disposal_refuses_a_record_whose_retention_has_not_run_out(client, province, plan):
    record = open_record(province, plan, "02.TH")
    filed(client, province, record.pk)
    post(client, province.specialist, f"{RECORDS}{record.pk}/close/", {"end_date": "2026-01-31"})
    response = post(client, province.clerk, DISPOSALS, {"records": [record.pk], "decision": "QĐ 12-QĐ/TU"})
    assert "chưa hết thời hạn bảo quản" in assert_error(response, 400, "invalid")["fields"]["records"][0]


def test_disposal_refuses_without_a_decision_and_destroys_nothing(client, province):
    record = expired_record(client, province)
    for data in ({"records": [record["id"]]}, {"records": [record["id"]], "decision": "   "}):
        error = assert_error(post(client, province.clerk, DISPOSALS, data), 400, "invalid")
        assert "quyết định" in error["fields"]["decision"][0]
    assert Record.objects.get(pk=record["id"]).state == RecordState.CLOSED
    assert RecordItem.objects.get(record_id=record["id"]).document_id is not None


def test_disposal_destroys_what_ran_out_and_keeps_the_metadata(client, province):
    record = expired_record(client, province)
    assert_error(
        post(client, province.specialist, DISPOSALS, {"records": [record["id"]], "decision": "QĐ 12-QĐ/TU"}),
        403,
        "permission_denied",
    )
    response = post(
        client,
        province.clerk,
        DISPOSALS,
        {"records": [record["id"]], "decision": "Quyết định 12-QĐ/TU ngày 01/12/2026", "council": "Hội đồng"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["records"] == [record["id"]] and body["decision"] == "Quyết định 12-QĐ/TU ngày 01/12/2026"
    assert body["decided_on"] == dt.date.today().isoformat()
    assert (
        body["listing"][0]["code"] == "09.CU" and body["listing"][0]["items"][0]["symbol"] == "09.CU-CV/VPTU"
    )
    kept = get(client, province.chief, f"{RECORDS}{record['id']}/").json()
    assert kept["state"] == "disposed" and kept["disposal"] == body["id"]
    assert kept["items"][0]["symbol"] == "09.CU-CV/VPTU" and kept["items"][0]["document"] is None
    assert [d["id"] for d in get(client, province.chief, DISPOSALS).json()["results"]] == [body["id"]]
    assert get(client, province.chief, f"{DISPOSALS}{body['id']}/").json()["records"] == [record["id"]]
    assert get(client, province.clerk_x, DISPOSALS).json()["results"] == []
    assert_error(get(client, province.clerk_x, f"{DISPOSALS}{body['id']}/"), 404, "not_found")
    again = post(client, province.clerk, DISPOSALS, {"records": [record["id"]], "decision": "QĐ 13"})
    assert "đã hủy" in assert_error(again, 400, "invalid")["fields"]["records"][0]


# --- Preservation packages -----------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def packed(client, province, plan, settings, tmp_path) -> dict[str, Any]:
    """The Tỉnh ủy's permanent record 01.TH holding a resolution with its PDF, closed; and that
    record's package as the API answers it."""
    settings.VANPHONG_PACKAGE_RENDITIONS = False
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "spool")
    (tmp_path / "spool").mkdir()
    record = open_record(province, plan, "01.TH")
    doc = document(province, symbol="15-NQ/TU", subject="Nghị quyết về nhiệm vụ năm 2026")
    row = DocumentFile(
        document=doc,
        original_name="nq15.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(),
        kind=FileKind.ORIGINAL,
    )
    row.file.save("nq15.pdf", ContentFile(PDF), save=False)
    row.save()
    filed(client, province, record.pk, document_id=doc.pk)
    post(client, province.specialist, f"{RECORDS}{record.pk}/close/", {"end_date": "2026-01-31"})
    response = get(client, province.clerk, f"{RECORDS}{record.pk}/package/")
    assert response.status_code == 200, response.content[:500]
    return {"record": record, "response": response, "zip": b"".join(response.streaming_content)}


def test_the_package_is_a_bagit_zip_download(client, province, packed, settings):
    response = packed["response"]
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".zip" in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(packed["zip"])) as archive:
        names = set(archive.namelist())
        assert {"bagit.txt", "bag-info.txt", "manifest-sha256.txt", "data/metadata.xml"} <= names
        (pdf,) = [n for n in names if n.endswith("/nq15.pdf")]
        assert archive.read(pdf) == PDF
    assert list(Path(settings.FILE_UPLOAD_TEMP_DIR).iterdir()) == []  # the temporary zip is gone
    assert_error(get(client, province.clerk_x, f"{RECORDS}{packed['record'].pk}/package/"), 404, "not_found")


def upload(client: Any, person: Any, data: bytes, organization: int) -> Any:
    files = {
        "file": SimpleUploadedFile("goi.zip", data, content_type="application/zip"),
        "organization": organization,
    }
    return client.post(f"{RECORDS}import/", files, **bearer(person.user))


def test_a_package_imports_into_another_archive(client, province, packed):
    response = upload(client, province.clerk_x, packed["zip"], province.commune_x.pk)
    assert response.status_code == 201, response.content
    body = response.json()
    (imported,) = body["records"]
    assert body["id"] == imported["id"] != packed["record"].pk
    assert (imported["code"], imported["organization"], imported["state"]) == (
        "01.TH",
        province.commune_x.pk,
        "archived",
    )
    assert imported["imported"] is True and imported["retention"] == "vinh_vien"
    # Only the archive's keepers import into it.
    refused = upload(client, province.clerk_x, packed["zip"], province.committee.pk)
    assert_error(refused, 403, "permission_denied")
    missing = client.post(
        f"{RECORDS}import/", {"organization": province.commune_x.pk}, **bearer(province.clerk_x.user)
    )
    assert "file" in assert_error(missing, 400, "invalid")["fields"]


def test_one_changed_byte_refuses_the_package_naming_the_file(client, province, packed):
    out, target = io.BytesIO(), ""
    with zipfile.ZipFile(io.BytesIO(packed["zip"])) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename.endswith("/nq15.pdf"):
                target, content = info.filename, content[:-2] + b"X\n"
            dst.writestr(info.filename, content)
    before = Record.objects.count()
    error = assert_error(
        upload(client, province.clerk_x, out.getvalue(), province.commune_x.pk), 400, "invalid_package"
    )
    assert error["fields"]["file"] == [target]
    assert target in error["message"]
    assert Record.objects.count() == before
    garbage = upload(client, province.clerk_x, b"not a zip at all", province.commune_x.pk)
    assert_error(garbage, 400, "invalid_package")
