"""The Văn phòng Tỉnh ủy works for its committee, checked over the HTTP API (API.md v1) as the
demo province's own people: ``chanhvp`` reads and directs the Tỉnh ủy's routine documents
(and only those), ``chuyenvien`` drafts for the Tỉnh ủy through appraisal to ``bithu``,
``vanthu`` and ``chanhvp`` issue (concurrent issues never share or skip a number), a hosted
commune finds what was issued to it, and the clearance cap holds for the office's leaders and
staff (the classified books are kept by the office's văn thư mật, ``vanthumat``).

The demo organisations and people are seeded (not the bulk documents); registers and the
Tỉnh ủy's ``OfficeDirectionRule`` are provisioned as ``vanphong.demo.documents.seed`` does.
Everything the checks need is created through the API itself, or through the services
where the API is not the subject (the 30 approved drafts)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from vanphong.api.tests.helpers import assert_error, bearer
from vanphong.demo.orgs import seed_demo
from vanphong.documents.models import (
    Direction,
    Document,
    DocumentState,
    EntryStatus,
    OfficeDirectionRule,
    RegisterEntry,
    RegisterKind,
    ReviewDecision,
    ReviewKind,
)
from vanphong.documents.services.outgoing import (
    outgoing_draft_create,
    outgoing_review_decide,
    outgoing_submit,
)
from vanphong.documents.services.registering import registers_provision_defaults
from vanphong.orgs.models import Organization, OrgKind, Person
from vanphong.tasks.models import Task

POSTGRES_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=(
        "Kiểm tra 30 lần phát hành đồng thời qua API cần PostgreSQL "
        "(SQLite trong bộ nhớ không chờ khóa giữa các luồng)."
    ),
)

COMMUNE = "phuquy"  # Đảng ủy đặc khu Phú Quý, a hosted subordinate committee
JSON = "application/json"
# The terms the demo documents open the books with (vanphong.demo.documents.plans.TERM_STARTS;
# not imported: that generator is being changed, and these checks do not depend on it).
COMMITTEE_TERM_START = dt.date(2025, 10, 15)
SUBORDINATE_TERM_START = dt.date(2025, 8, 1)


@dataclass
class Demo:
    committee: Organization
    office: Organization
    commune: Organization
    people: dict[str, Person]

    def __getitem__(self, username: str) -> Person:
        if username not in self.people:
            self.people[username] = Person.objects.select_related("user").get(user__username=username)
        return self.people[username]


def _seed() -> Demo:
    """The demo province, its books and the Tỉnh ủy's rule, as ``seed_documents`` opens them."""
    seed_demo(scale=1)
    committee = Organization.objects.get(slug="tinhuy")
    registers_provision_defaults(organization=committee, term_start=COMMITTEE_TERM_START)
    OfficeDirectionRule.objects.update_or_create(
        committee=committee,
        defaults={"doc_types": ["CV", "GM", "TB", "BC"], "note": "Quy chế làm việc của Tỉnh ủy"},
    )
    for org in Organization.objects.filter(parent=committee, hosted=True, active=True):
        start = SUBORDINATE_TERM_START if org.kind == OrgKind.COMMITTEE else None
        registers_provision_defaults(organization=org, term_start=start)
    return Demo(
        committee=committee,
        office=Organization.objects.get(parent=committee, is_office=True),
        commune=Organization.objects.get(slug=COMMUNE),
        people={},
    )


@pytest.fixture
def demo(db) -> Demo:
    return _seed()


class Api:
    """The test client speaking for one demo user with a bearer token (API.md "Sign-in")."""

    def __init__(self, client: Client, person: Person) -> None:
        self.client = client
        self.person = person
        self.headers = bearer(person.user)

    def get(self, url: str, **params: Any) -> Any:
        return self.client.get(url, params, **self.headers)

    def post(self, url: str, data: dict[str, Any] | None = None) -> Any:
        return self.client.post(url, data or {}, content_type=JSON, **self.headers)


def as_user(client: Client, demo: Demo, username: str) -> Api:
    return Api(client, demo[username])


def register_incoming(api: Api, demo: Demo, **fields: Any) -> dict[str, Any]:
    payload = {
        "organization": demo.committee.pk,
        "issuer_name": "Văn phòng Trung ương Đảng",
        "issued_date": (timezone.localdate() - dt.timedelta(days=2)).isoformat(),
        "urgency": "thuong",
        "classification": "none",
        **fields,
    }
    response = api.post("/api/v1/incoming/", payload)
    assert response.status_code == 201, response.content
    return response.json()


# --- The office leader reads and directs the committee's routine documents -----------------------


def test_chanhvp_reads_a_committee_document_and_directs_a_routine_one_into_a_task(client, demo):
    vanthu, chanhvp = as_user(client, demo, "vanthu"), as_user(client, demo, "chanhvp")
    routine = register_incoming(
        vanthu,
        demo,
        symbol="125-CV/VPTW",
        doc_type="CV",
        subject="Công văn về việc báo cáo kết quả chuyển đổi số quý IV",
    )
    assert routine["organization"] == demo.committee.pk and routine["doc_type"] == "CV"
    assert routine["status"] == EntryStatus.REGISTERED

    detail = chanhvp.get(f"/api/v1/incoming/{routine['id']}/")
    assert detail.status_code == 200, detail.content
    assert detail.json()["symbol"] == "125-CV/VPTW"
    assert routine["id"] in [row["id"] for row in chanhvp.get("/api/v1/incoming/").json()["results"]]

    due = timezone.localdate() + dt.timedelta(days=10)
    directed = chanhvp.post(
        f"/api/v1/incoming/{routine['id']}/directions/",
        {
            "text": "Giao Đảng ủy đặc khu Phú Quý chủ trì, báo cáo kết quả",
            "assignments": [{"organization": demo.commune.pk, "role": "lead", "due_date": due.isoformat()}],
        },
    )
    assert directed.status_code == 201, directed.content
    body = directed.json()
    assert body["author"] == demo["chanhvp"].pk
    (assignment,) = body["assignments"]
    assert (assignment["role"], assignment["organization"], assignment["due_date"]) == (
        "lead",
        demo.commune.pk,
        due.isoformat(),
    )
    task_id = assignment["task_id"]
    assert task_id is not None
    assert chanhvp.get(f"/api/v1/incoming/{routine['id']}/").json()["status"] == EntryStatus.DIRECTED

    # The task is the Tỉnh ủy's, given by the Chánh Văn phòng, led by the commune.
    task = Task.objects.get(pk=task_id)
    assert task.organization == demo.committee and task.issued_by == demo["chanhvp"]
    assert task.lead_organization == demo.commune and task.due_date == due
    for username in ("chanhvp", f"bithu.{COMMUNE}"):
        reader = as_user(client, demo, username)
        listed = reader.get("/api/v1/tasks/").json()
        assert task_id in [row["id"] for row in listed["results"]], username
        one = reader.get(f"/api/v1/tasks/{task_id}/")
        assert one.status_code == 200, (username, one.content)
        assert one.json()["organization"] == demo.committee.pk
        assert one.json()["due_date"] == due.isoformat()


def test_chanhvp_may_not_direct_a_resolution_the_rule_does_not_name(client, demo):
    vanthu, chanhvp = as_user(client, demo, "vanthu"), as_user(client, demo, "chanhvp")
    resolution = register_incoming(
        vanthu,
        demo,
        symbol="57-NQ/TW",
        issuer_name="Ban Chấp hành Trung ương Đảng",
        subject="Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo",
    )
    assert resolution["doc_type"] == "NQ"
    assert chanhvp.get(f"/api/v1/incoming/{resolution['id']}/").status_code == 200  # reads it
    refused = chanhvp.post(
        f"/api/v1/incoming/{resolution['id']}/directions/",
        {
            "text": "Giao Ban Tuyên giáo và Dân vận chủ trì",
            "assignments": [
                {
                    "organization": Organization.objects.get(abbreviation="BTGDVTU").pk,
                    "role": "lead",
                    "due_date": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
                }
            ],
        },
    )
    error = assert_error(refused, 403, "permission_denied")
    assert "không có quyền cho ý kiến chỉ đạo" in error["message"]
    assert not Direction.objects.exists() and not Task.objects.exists()
    entry = RegisterEntry.objects.get(pk=resolution["id"])
    assert entry.status == EntryStatus.REGISTERED
    # The Bí thư directs it.
    directed = as_user(client, demo, "bithu").post(
        f"/api/v1/incoming/{resolution['id']}/directions/", {"text": "Văn phòng tham mưu kế hoạch"}
    )
    assert directed.status_code == 201, directed.content


# --- The office specialist drafts for the committee; the issue reaches the commune -------------


def test_chuyenvien_drafts_for_the_tinhuy_through_appraisal_to_bithu_and_the_commune_receives_it(
    client, demo
):
    chuyenvien = as_user(client, demo, "chuyenvien")
    created = chuyenvien.post(
        "/api/v1/outgoing/",
        {
            "organization": demo.committee.pk,
            "doc_type": "TB",
            "subject": "Thông báo kết luận của Thường trực Tỉnh ủy về chuyển đổi số",
            "urgency": "thuong",
            "classification": "none",
            "signer": demo["bithu"].pk,
            "recipients": [demo.commune.pk],
            "body": "Thường trực Tỉnh ủy kết luận như sau.",
        },
    )
    assert created.status_code == 201, created.content
    doc_id = created.json()["id"]
    assert created.json()["state"] == "draft" and created.json()["organization"] == demo.committee.pk

    submitted = chuyenvien.post(
        f"/api/v1/outgoing/{doc_id}/submit/",
        {
            "steps": [
                {"stage": 1, "kind": ReviewKind.DEPARTMENT, "reviewer": demo["truongphong.th"].pk},
                {"stage": 2, "kind": ReviewKind.APPRAISAL_CONTENT, "reviewer": demo["chanhvp"].pk},
                {"stage": 3, "kind": ReviewKind.SIGN, "reviewer": demo["bithu"].pk},
            ]
        },
    )
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["state"] == "in_review"
    steps = {s["kind"]: s["id"] for s in submitted.json()["review_steps"]}

    # The specialist does not sign for the Bí thư.
    assert_error(
        chuyenvien.post(f"/api/v1/outgoing/{doc_id}/reviews/{steps['sign']}/", {"decision": "approved"}),
        403,
        "permission_denied",
    )
    for kind, username in (
        (ReviewKind.DEPARTMENT, "truongphong.th"),
        (ReviewKind.APPRAISAL_CONTENT, "chanhvp"),
        (ReviewKind.SIGN, "bithu"),
    ):
        decided = as_user(client, demo, username).post(
            f"/api/v1/outgoing/{doc_id}/reviews/{steps[kind]}/", {"decision": "approved", "comment": "Đồng ý"}
        )
        assert decided.status_code == 200, (username, decided.content)
    document = Document.objects.get(pk=doc_id)
    assert document.state == DocumentState.APPROVED and document.signer == demo["bithu"]

    # The specialist does not issue; the văn thư of the Tỉnh ủy does.
    assert_error(chuyenvien.post(f"/api/v1/outgoing/{doc_id}/issue/"), 403, "permission_denied")
    issued = as_user(client, demo, "vanthu").post(f"/api/v1/outgoing/{doc_id}/issue/")
    assert issued.status_code == 200, issued.content
    assert (issued.json()["number"], issued.json()["symbol"]) == (1, "01-TB/TU")

    # The hosted commune finds the notice in its incoming queue, and reads it.
    commune_clerk = as_user(client, demo, f"vanthu.{COMMUNE}")
    rows = commune_clerk.get("/api/v1/incoming/").json()["results"]
    mine = [row for row in rows if row["document"] == doc_id]
    assert len(mine) == 1, rows
    assert mine[0]["organization"] == demo.commune.pk and mine[0]["symbol"] == "01-TB/TU"
    assert mine[0]["doc_type"] == "TB"
    assert commune_clerk.get(f"/api/v1/incoming/{mine[0]['id']}/").status_code == 200
    # Another commune does not.
    other = as_user(client, demo, "vanthu.dilinh")
    assert doc_id not in [row["document"] for row in other.get("/api/v1/incoming/").json()["results"]]
    assert_error(other.get(f"/api/v1/incoming/{mine[0]['id']}/"), 404, "not_found")


# --- Clearance ------------------------------------------------------------------------------------


def test_office_leaders_read_classified_documents_within_their_clearance(client, demo):
    # The Văn phòng's classified-documents clerk (văn thư mật, Tuyệt mật) keeps the Tỉnh ủy's
    # classified books; its ordinary văn thư does not.
    keeper, vanthu = as_user(client, demo, "vanthumat"), as_user(client, demo, "vanthu")
    refused = vanthu.post(
        "/api/v1/incoming/",
        {
            "organization": demo.committee.pk,
            "symbol": "45-CV/VPTW",
            "doc_type": "CV",
            "issuer_name": "Văn phòng Trung ương Đảng",
            "subject": "Công văn mật về công tác bảo vệ",
            "classification": "mat",
        },
    )
    assert "classification" in assert_error(refused, 400, "invalid")["fields"]
    secret = register_incoming(
        keeper,
        demo,
        symbol="45-CV/VPTW",
        doc_type="CV",
        subject="Công văn mật về công tác bảo vệ",
        classification="mat",
    )
    top_secret = register_incoming(
        keeper,
        demo,
        symbol="12-CV/VPTW",
        doc_type="CV",
        subject="Công văn tối mật",
        classification="toi_mat",
    )
    assert secret["organization"] == top_secret["organization"] == demo.committee.pk
    assert "mật" in secret["register_name"].lower()

    def status(username: str, entry: dict[str, Any]) -> int:
        return as_user(client, demo, username).get(f"/api/v1/incoming/{entry['id']}/").status_code

    assert status("chanhvp", secret) == 200
    assert status("chanhvp", top_secret) == 200
    assert status("phochanhvp2", secret) == 200  # clearance Mật
    assert status("phochanhvp2", top_secret) == 404
    assert status("chuyenvien", secret) == 404  # no clearance
    assert status("bithu", top_secret) == 200
    listed = as_user(client, demo, "phochanhvp2").get("/api/v1/incoming/").json()["results"]
    assert {row["id"] for row in listed} == {secret["id"]}
    assert_error(
        as_user(client, demo, "chuyenvien").get(f"/api/v1/incoming/{secret['id']}/"), 404, "not_found"
    )


# --- Concurrent issues ----------------------------------------------------------------------------


def _in_threads(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(i)`` for i in range(count) on ``count`` threads released together, each
    on its own database connection (closed at the end), as the clerks' requests would."""
    from concurrent.futures import ThreadPoolExecutor

    barrier = threading.Barrier(count)

    def run(i: int) -> Any:
        try:
            barrier.wait(timeout=30)
            return work(i)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def _approved_notices(demo: Demo, count: int) -> list[int]:
    """``count`` notices of the Tỉnh ủy drafted by ``chuyenvien``, appraised by ``chanhvp``,
    signed by ``bithu`` (through the services: the API circuit is checked above)."""
    ids = []
    for i in range(count):
        document = outgoing_draft_create(
            actor=demo["chuyenvien"].user,
            organization=demo.committee,
            doc_type="TB",
            subject=f"Thông báo số {i + 1} của Thường trực Tỉnh ủy",
            signer=demo["bithu"],
            recipients=[demo.commune],
        )
        steps = outgoing_submit(
            actor=demo["chuyenvien"].user,
            document=document,
            steps=[
                {"stage": 1, "kind": ReviewKind.APPRAISAL_CONTENT, "reviewer": demo["chanhvp"]},
                {"stage": 2, "kind": ReviewKind.SIGN, "reviewer": demo["bithu"]},
            ],
        )
        for step in steps:
            outgoing_review_decide(actor=step.reviewer.user, step=step, decision=ReviewDecision.APPROVED)
        ids.append(document.pk)
    return ids


@POSTGRES_ONLY
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_thirty_concurrent_issues_over_the_api_take_numbers_one_to_thirty():
    demo = _seed()
    ids = _approved_notices(demo, 30)
    assert Document.objects.filter(pk__in=ids, state=DocumentState.APPROVED).count() == 30
    # Two keepers of the Tỉnh ủy's books issue at once: its văn thư and the Chánh Văn phòng.
    headers = [bearer(demo[username].user) for username in ("vanthu", "chanhvp")]

    def work(i: int) -> tuple[int, int, dict[str, Any]]:
        response = Client().post(f"/api/v1/outgoing/{ids[i]}/issue/", {}, content_type=JSON, **headers[i % 2])
        return ids[i], response.status_code, response.json()

    results = _in_threads(30, work)
    assert [status for _id, status, _body in results] == [200] * 30, results
    numbers = sorted(body["number"] for _id, _status, body in results)
    assert numbers == list(range(1, 31))
    symbols = dict(Document.objects.filter(pk__in=ids).values_list("pk", "symbol"))
    assert {doc_id: body["symbol"] for doc_id, _status, body in results} == symbols
    assert set(symbols.values()) == {f"{n:02d}-TB/TU" for n in range(1, 31)}
    # Every notice was delivered once to the hosted commune, numbered 1..30 in its book.
    delivered = RegisterEntry.objects.filter(
        organization=demo.commune, register__kind=RegisterKind.INCOMING, document_id__in=ids
    )
    assert sorted(delivered.values_list("number", flat=True)) == list(range(1, 31))
    # Repeating an issue answers the same number.
    again = Client().post(f"/api/v1/outgoing/{ids[0]}/issue/", {}, content_type=JSON, **headers[0])
    assert again.json()["symbol"] == symbols[ids[0]]
