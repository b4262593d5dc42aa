"""GET /api/v1/search/ and POST /api/v1/references/parse (API.md, "Documents")."""

from __future__ import annotations

import datetime as dt

from vanphong.api.tests.helpers import assert_error, bearer
from vanphong.orgs.models import Classification, Role
from vanphong.orgs.tests.factories import make_actor


def test_search_answers_the_api_md_shape(client, province, make_document):
    document = make_document("Nghị quyết về phát triển khoa học, công nghệ", symbol="08-NQ/TU", doc_type="NQ")
    response = client.get("/api/v1/search/", {"q": "nghi quyet"}, **bearer(province.leader.user))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["count_capped"] is False
    assert body["next"] is None and body["previous"] is None
    result = body["results"][0]
    assert {"id", "kind", "symbol", "subject", "issued_date", "snippet"} <= set(result)
    assert result["id"] == document.pk
    assert result["kind"] == "incoming"
    assert result["symbol"] == "08-NQ/TU"
    assert result["issued_date"] == "2026-03-02"
    assert result["classification"] == "none"
    assert result["snippet"].startswith("<mark>Nghị</mark> <mark>quyết</mark>")


def test_search_pages_with_next_links_and_filters(client, province, make_document):
    for n in range(3):
        make_document(f"Giấy mời họp {n}", doc_type="GM", issued_date=dt.date(2026, 1, n + 1))
    make_document("Giấy mời dự hội nghị", doc_type="GM", issued_date=dt.date(2025, 12, 1))
    headers = bearer(province.leader.user)
    body = client.get("/api/v1/search/", {"q": "giay moi", "page_size": 2}, **headers).json()
    assert body["count"] == 4 and len(body["results"]) == 2
    assert "page=2" in body["next"]
    body = client.get("/api/v1/search/", {"q": "giay moi", "year": 2025}, **headers).json()
    assert [r["subject"] for r in body["results"]] == ["Giấy mời dự hội nghị"]


def test_classified_document_is_not_counted_for_a_reader_without_need(client, province, make_document):
    make_document("Báo cáo tình hình an ninh", classification=Classification.MAT)
    reader = make_actor("reader", province.committee, Role.CHUYEN_VIEN, clearance=Classification.MAT)
    body = client.get("/api/v1/search/", {"q": "an ninh"}, **bearer(reader.user)).json()
    assert body == {"count": 0, "count_capped": False, "next": None, "previous": None, "results": []}
    body = client.get("/api/v1/search/", {"q": "an ninh"}, **bearer(province.leader.user)).json()
    assert body["count"] == 1 and body["results"][0]["classification"] == "mat"


def test_search_rejects_bad_parameters_in_the_error_format(client, province):
    headers = bearer(province.leader.user)
    error = assert_error(client.get("/api/v1/search/", {"q": "x", "year": "abc"}, **headers), 400, "invalid")
    assert "year" in error["fields"]
    error = assert_error(
        client.get("/api/v1/search/", {"classification": "secret"}, **headers), 400, "invalid"
    )
    assert "classification" in error["fields"]


def test_search_needs_a_signed_in_caller(client, db):
    assert_error(client.get("/api/v1/search/", {"q": "a"}), 401, "not_authenticated")


def test_references_parse_links_only_documents_the_caller_may_see(client, province, make_document):
    public = make_document(
        "Nghị quyết về chuyển đổi số", symbol="08-NQ/TU", doc_type="NQ", issued_date=dt.date(2021, 7, 30)
    )
    make_document(
        "Chỉ thị về bảo vệ bí mật",
        symbol="05-CT/TU",
        doc_type="CT",
        issued_date=dt.date(2022, 1, 4),
        classification=Classification.MAT,
    )
    text = "Thực hiện Nghị quyết số 08-NQ/TU ngày 30-7-2021 và Chỉ thị số 05-CT/TU, Kết luận số 14-KL/TW."
    reader = make_actor("reader", province.committee, Role.CHUYEN_VIEN, clearance=Classification.MAT)
    response = client.post(
        "/api/v1/references/parse", {"text": text}, content_type="application/json", **bearer(reader.user)
    )
    assert response.status_code == 200
    references = response.json()["references"]
    assert [r["symbol"] for r in references] == ["08-NQ/TU", "05-CT/TU", "14-KL/TW"]
    first = references[0]
    assert first == {
        "doc_type": "NQ",
        "number": 8,
        "symbol": "08-NQ/TU",
        "issuer_abbreviation": "TU",
        "date": "2021-07-30",
        "start": text.index("Nghị quyết"),
        "end": text.index(" và"),
        "document": public.pk,
    }
    assert references[1]["document"] is None  # classified: the reader has no need to know
    assert references[2]["document"] is None  # not registered here
    leader = client.post(
        "/api/v1/references/parse/",
        {"text": text},
        content_type="application/json",
        **bearer(province.leader.user),
    ).json()["references"]
    assert leader[1]["document"] is not None


def test_references_parse_validates_its_input(client, province):
    headers = bearer(province.leader.user)
    error = assert_error(
        client.post("/api/v1/references/parse", {}, content_type="application/json", **headers),
        400,
        "invalid",
    )
    assert "text" in error["fields"]
    body = client.post(
        "/api/v1/references/parse", {"text": ""}, content_type="application/json", **headers
    ).json()
    assert body == {"references": []}
