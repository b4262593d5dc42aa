"""The incoming API: POST/GET /api/v1/incoming/, GET /api/v1/incoming/{id}/, directions."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from vanphong.api.tests.helpers import assert_error, bearer
from vanphong.audit.models import AuditEvent
from vanphong.documents.models import Assignment, Document, EntryStatus
from vanphong.documents.services.incoming import incoming_register
from vanphong.documents.tests.factories import incoming_entry
from vanphong.orgs.models import Classification

URL = "/api/v1/incoming/"


def post(client, user, data):
    return client.post(URL, data, content_type="application/json", **bearer(user))


def test_clerk_registers_an_incoming_document(client, province, books):
    response = post(
        client,
        province.clerk.user,
        {
            "symbol": "08-nq/tu",
            "issued_date": "2025-10-30",
            "subject": "Nghị quyết về chuyển đổi số",
            "urgency": "khan",
            "classification": "none",
            "received_at": "2025-11-01T08:30:00+07:00",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["organization"] == province.committee.pk  # the caller's book, by default
    assert body["symbol"] == "08-NQ/TU" and body["doc_type"] == "NQ"
    assert body["issuer"] == province.committee.pk
    assert body["register"] == books["committee"]["Sổ văn bản đến"].pk and body["register_number"] == 1
    assert body["parsed"] == {"number": 8, "doc_type": "NQ", "issuer_abbreviation": "TU", "style": "party"}
    assert body["duplicate_of"] is None and body["urgency"] == "khan" and body["classification"] == "none"
    assert body["status"] == "registered" and body["files"] == [] and body["directions"] == []
    assert body["received_at"].startswith("2025-11-01T")


def test_an_unparsed_symbol_answers_parsed_null(client, province, books):
    response = post(
        client,
        province.clerk.user,
        {"symbol": "Thư mời họp", "issuer_name": "Sở Nội vụ", "subject": "Mời họp", "doc_type": "GM"},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["parsed"] is None and response.json()["symbol"] == "Thư mời họp"


def test_validation_errors_use_the_error_format_in_vietnamese(client, province, books):
    error = assert_error(
        post(client, province.clerk.user, {"symbol": "08-NQ/TU", "classification": "secret"}), 400, "invalid"
    )
    assert {"subject", "classification"} <= set(error["fields"])
    error = assert_error(
        post(client, province.clerk.user, {"symbol": "08-NQ/TU", "subject": "X", "doc_type": "ZZ"}),
        400,
        "invalid",
    )
    assert "danh mục" in error["fields"]["doc_type"][0]
    assert not Document.objects.exists()


def test_someone_who_keeps_no_book_cannot_register(client, province, books):
    data = {"symbol": "08-NQ/TU", "subject": "X"}
    assert_error(post(client, province.specialist.user, data), 403, "permission_denied")
    data["organization"] = province.commune_x.pk
    assert_error(post(client, province.clerk.user, data), 403, "permission_denied")


def test_a_duplicate_is_registered_and_points_to_the_first(client, province, books):
    data = {"symbol": "15-NQ/TW", "issued_date": "2025-11-03", "subject": "Nghị quyết"}
    first = post(client, province.clerk.user, data).json()
    second = post(client, province.clerk.user, {**data, "symbol": "15-nq/tw"})
    assert second.status_code == 201
    assert second.json()["duplicate_of"] == first["id"]
    assert second.json()["register_number"] == first["register_number"] + 1


def test_list_is_filtered_and_paginated(client, province, books):
    incoming_entry(province, 1, subject="Về phát triển kinh tế số")
    second = incoming_entry(province, 2, subject="Về công tác cán bộ")
    incoming_register(
        actor=province.clerk_x.user,
        organization=province.commune_x,
        symbol="3-CV/TU",
        subject="Của xã An Phú",
    )
    response = client.get(URL, **bearer(province.clerk.user))
    assert response.json()["count"] == 2
    body = client.get(f"{URL}?q=cán bộ", **bearer(province.clerk.user)).json()
    assert [r["id"] for r in body["results"]] == [second.pk]
    assert client.get(f"{URL}?status=done", **bearer(province.clerk.user)).json()["count"] == 0
    today = timezone.localdate().isoformat()
    assert client.get(f"{URL}?received_from={today}", **bearer(province.clerk.user)).json()["count"] == 2
    assert client.get(f"{URL}?received_to=2020-01-01", **bearer(province.clerk.user)).json()["count"] == 0
    assert_error(client.get(f"{URL}?received_from=hôm-qua", **bearer(province.clerk.user)), 400, "invalid")
    # The commune's clerk sees only the commune's book.
    assert client.get(URL, **bearer(province.clerk_x.user)).json()["count"] == 1


def test_reader_without_clearance_gets_404_for_a_classified_document(client, province, books):
    secret = incoming_entry(province, 9, classification=Classification.MAT)
    open_one = incoming_entry(province, 10)
    response = client.get(URL, **bearer(province.specialist.user))  # reads the Tỉnh ủy? no: the office
    assert secret.pk not in [r["id"] for r in response.json()["results"]]
    assert_error(client.get(f"{URL}{secret.pk}/", **bearer(province.specialist.user)), 404, "not_found")
    # The leader (cleared) reads it, and the reading is audited.
    assert client.get(f"{URL}{secret.pk}/", **bearer(province.leader.user)).status_code == 200
    assert AuditEvent.objects.filter(action="document.view", target_id=str(secret.document_id)).count() == 1
    assert client.get(f"{URL}{open_one.pk}/", **bearer(province.leader.user)).status_code == 200
    assert AuditEvent.objects.filter(action="document.view").count() == 1  # only classified views


def test_clerk_of_another_organisation_gets_404(client, province, books):
    entry = incoming_entry(province, 1)
    assert_error(client.get(f"{URL}{entry.pk}/", **bearer(province.clerk_x.user)), 404, "not_found")
    assert_error(client.get(f"{URL}abc/", **bearer(province.clerk.user)), 404, "not_found")
    assert client.get(URL, **bearer(province.clerk_x.user)).json()["count"] == 0
    assert_error(
        client.post(
            f"{URL}{entry.pk}/directions/",
            {"text": "X"},
            content_type="application/json",
            **bearer(province.clerk_x.user),
        ),
        404,
        "not_found",
    )


def test_leader_direction_creates_assignments(client, province, books):
    entry = incoming_entry(province, 1)
    due = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    response = client.post(
        f"{URL}{entry.pk}/directions/",
        {
            "text": "Giao Văn phòng chủ trì tham mưu",
            "assignments": [
                {"organization": province.office.pk, "role": "lead", "due_date": due},
                {"person": province.specialist.pk, "role": "inform"},
            ],
        },
        content_type="application/json",
        **bearer(province.leader.user),
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["text"] == "Giao Văn phòng chủ trì tham mưu" and body["author"] == province.leader.pk
    assert [(a["role"], a["organization"], a["person"], a["due_date"]) for a in body["assignments"]] == [
        ("inform", None, province.specialist.pk, None),
        ("lead", province.office.pk, None, due),
    ]
    assert Assignment.objects.count() == 2
    detail = client.get(f"{URL}{entry.pk}/", **bearer(province.leader.user)).json()
    assert detail["status"] == EntryStatus.DIRECTED and len(detail["directions"]) == 1


def test_a_specialist_who_can_read_cannot_direct(client, province, books):
    entry = incoming_entry(province, 1, actor=province.chief.user, organization=province.office)
    url = f"{URL}{entry.pk}/directions/"
    assert client.get(f"{URL}{entry.pk}/", **bearer(province.specialist.user)).status_code == 200
    response = client.post(
        url, {"text": "Tôi chỉ đạo"}, content_type="application/json", **bearer(province.specialist.user)
    )
    assert_error(response, 403, "permission_denied")
    bad = client.post(
        url,
        {"text": "Giao", "assignments": [{"role": "lead"}]},
        content_type="application/json",
        **bearer(province.chief.user),
    )
    error = assert_error(bad, 400, "invalid")
    assert "Phân công thứ 1" in error["fields"]["assignments"][0]
    assert not Assignment.objects.exists()


def test_a_page_of_fifty_costs_a_constant_number_of_queries(client, province, books):
    headers = bearer(province.clerk.user)
    incoming_entry(province, 1)
    client.get(URL, **headers)  # warm the session-independent caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL, **headers).status_code == 200
    for n in range(2, 51):
        incoming_entry(province, n, classification=Classification.MAT if n % 5 == 0 else 0)
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL, **headers)
    assert response.json()["count"] == 50 and len(response.json()["results"]) == 50
    assert len(many) == len(few)
    assert not any("extracted" in q["sql"] or '"text"' in q["sql"] for q in many.captured_queries)


def test_the_page_and_the_api_audit_a_classified_reading_alike(client, province, books, settings):
    """One service audits the reading of a classified document: the page and the API write
    the same entry (action, actor, target, organisation)."""
    from django.urls import reverse

    settings.VANPHONG_TOTP_REQUIRED = "none"  # the page's sign-in without a second factor
    secret = incoming_entry(province, 11, classification=Classification.MAT)
    assert client.get(f"{URL}{secret.pk}/", **bearer(province.leader.user)).status_code == 200
    client.force_login(province.leader.user)
    assert client.get(reverse("documents:document_detail", args=[secret.document_id])).status_code == 200
    api_read, page_read = AuditEvent.objects.filter(action="document.view").order_by("pk")
    fields = ("action", "actor_id", "target_type", "target_id", "organization_id", "before", "after")
    assert [getattr(api_read, f) for f in fields] == [getattr(page_read, f) for f in fields]


def test_the_detail_applies_the_access_predicate_once(client, province, books):
    """The entry of a detail is fetched with its visibility predicate once, not twice: the
    doubled OR of EXISTS subqueries cost PostgreSQL more to plan than to run."""
    from vanphong.documents.access import entries_visible_to

    entry = incoming_entry(province, 1)
    headers = bearer(province.clerk.user)
    client.get(f"{URL}{entry.pk}/", **headers)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"{URL}{entry.pk}/", **headers).status_code == 200
    entry_sql = next(q["sql"] for q in queries if 'FROM "documents_registerentry"' in q["sql"])
    alone = str(entries_visible_to(province.clerk.user).query)
    grants = alone.count("documents_readergrant")
    assert grants > 0 and entry_sql.count("documents_readergrant") == grants


def test_a_long_list_counts_up_to_the_cap_and_pages_on_past_it(client, province, books, settings):
    """VANPHONG_LIST_COUNT_CAP: the count stops at the cap (count_capped says there are
    more), the pages after it are served while they have rows, and the one after the last
    answers 404."""
    settings.VANPHONG_LIST_COUNT_CAP = 3
    headers = bearer(province.clerk.user)
    for n in range(1, 6):
        incoming_entry(province, n)
    first = client.get(f"{URL}?page_size=2", **headers).json()
    assert (first["count"], first["count_capped"]) == (3, True) and first["next"]
    third = client.get(f"{URL}?page_size=2&page=3", **headers).json()
    assert len(third["results"]) == 1 and third["next"] is None and third["previous"]
    assert client.get(f"{URL}?page_size=2&page=4", **headers).status_code == 404
    settings.VANPHONG_LIST_COUNT_CAP = 5
    exact = client.get(f"{URL}?page_size=2", **headers).json()
    assert (exact["count"], exact["count_capped"]) == (5, False)
