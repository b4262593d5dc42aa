"""Query-count guards ("no N+1") for the main endpoints that had none: the task API (list,
detail, stats), the search API, the incoming document's detail, and the pages one opens
every day (home, the task list, the incoming and outgoing lists).

Each guard measures a request with few records, adds many more, varied so that any lazy
load would show (parties of every kind, files, directions, classifications, issuers), and
asserts the count did not move; an absolute ceiling (the count observed when written)
catches a query added for every request."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from vanphong.api.tests.helpers import bearer
from vanphong.documents.services.files import file_attach
from vanphong.documents.services.incoming import incoming_direct, incoming_present
from vanphong.documents.services.indexing import document_metadata_changed
from vanphong.documents.tests.conftest import books  # noqa: F401  (a fixture, used by name)
from vanphong.documents.tests.factories import incoming_entry, outgoing_draft, registered_entry
from vanphong.orgs.models import Classification, OrgKind
from vanphong.orgs.tests.factories import OrganizationFactory, UnitFactory
from vanphong.tasks import services as task_services
from vanphong.tasks.models import SourceKind
from vanphong.tasks.tests.factories import TaskFactory

PDF = b"%PDF-1.4 van ban thu\n%%EOF\n"

# The counts observed when these guards were written (the ceilings).
TASK_LIST = 12
TASK_DETAIL = 18
TASK_STATS = 11  # the Bí thư, who sees every task: one query on the tally asks so (tasks.access)
TASK_STATS_ORG = 9
SEARCH = 11
INCOMING_DETAIL = 8
# The home page's group of tasks newly given ("Nhiệm vụ mới giao", issue "Hardening" item 8)
# asks like the two other task groups: 2 more queries for the clerks, 5 for the leader.
# The meetings the reader sits in this week: one query (a window count), for everyone; the
# calendar weeks waiting for them: one more. The urgent reports (báo cáo nhanh) the reader's
# organisation must send: one query for those who write for an organisation (the clerks). The
# information products being composed ask only an office's people: none here. The petitions:
# one query for the letters the reader handles (everyone with a role), one for the online letters
# waiting to be entered (those who enter letters) or for the letters nobody handles yet (those who
# assign them).
# The exchange: one query for the failed deliveries of the organisations whose books one keeps
# (the clerks).
HOME_CLERK = 41
HOME_LEADER = 36
HOME_COMMUNE = 41
TASK_LIST_PAGE = 28  # the status tabs of a reader who sees every task come from the tally
INCOMING_LIST_PAGE = 13
OUTGOING_LIST_PAGE = 13


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _pages_without_a_second_factor(settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"


def count(request: Callable[[], Any]) -> int:
    """The queries of one request (which must answer 200)."""
    with CaptureQueriesContext(connection) as ctx:
        response = request()
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries)


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def give(province: Any, lead: Any, n: int = 0, **fields: Any) -> Any:
    values: dict[str, Any] = {
        "actor": province.chief,
        "title": f"Nhiệm vụ thử {n}",
        "due_in": 10 + n % 40,
        "source_kind": SourceKind.CONCLUSION,
        "source_label": f"Thông báo kết luận số {n}-TB/TU",
    }
    return TaskFactory(province=province, lead=lead, **{**values, **fields})


def varied_tasks(province: Any, n: int, start: int = 0) -> None:
    """``n`` tasks of the Tỉnh ủy, led by an organisation, a unit or a person in turn, each
    with cooperating organisations, units and people, some classified, some with a
    source document."""
    units = [UnitFactory(organization=province.commune_y) for _ in range(3)]
    for i in range(start, start + n):
        lead = [province.commune_x, province.clerk_x, units[i % 3], province.office][i % 4]
        cooperating = [province.commune_y, units[(i + 1) % 3], province.specialist]
        if i % 3 == 0:
            cooperating.append(province.clerk_y)
        fields: dict[str, Any] = {"cooperating": cooperating, "priority": i % 3}
        if i % 5 == 0:  # classified: only cleared people are named
            lead = province.commune_x
            fields["cooperating"] = [province.commune_y, units[i % 3], province.chief]
            fields.update(actor=province.leader, classification=Classification.MAT)
        give(province, lead, i, **fields)


# --- The task API ----------------------------------------------------------------------------

TASKS = "/api/v1/tasks/"


def test_the_task_list_costs_the_same_for_few_and_many_tasks(client, province, django_assert_max_num_queries):
    headers = bearer(province.leader.user)
    varied_tasks(province, 2)
    client.get(TASKS, **headers)  # the token's first use is recorded once
    few = count(lambda: client.get(TASKS, **headers))
    varied_tasks(province, 40, start=2)
    with django_assert_max_num_queries(TASK_LIST):
        response = client.get(TASKS, {"page_size": 50}, **headers)
    assert response.json()["count"] == 42 and len(response.json()["results"]) == 42
    assert count(lambda: client.get(TASKS, {"page_size": 50}, **headers)) == few


def rich_task(province: Any, n: int) -> Any:
    """A task with many parties, progress reports with files and documents, an extension
    request and ``n`` subtasks."""
    units = [UnitFactory(organization=province.commune_x) for _ in range(3)]
    task = give(
        province,
        province.commune_x,
        100,
        cooperating=[province.commune_y, *units, province.specialist, province.clerk_y],
        due_in=20,
    )
    clerk = province.clerk_x.user
    task_services.task_accept(actor=clerk, task=task)
    for i in range(n):
        task_services.task_report_progress(
            actor=clerk,
            task=task,
            text=f"Lần {i}",
            documents=[
                registered_entry(actor=province.clerk_x.user, organization=province.commune_x).document
            ],
            uploads=[(f"minh-chung-{i}.pdf", PDF), (f"phu-luc-{i}.pdf", PDF)],
        )
        give(province, [units[i % 3], province.clerk_x][i % 2], 200 + i, actor=province.chief, parent=task)
    task_services.extension_request(actor=clerk, task=task, new_due_date=days(40), reason="Chờ số liệu")
    return task


@pytest.mark.usefixtures("books")
def test_the_task_detail_costs_the_same_however_many_parties_and_events(
    client, province, django_assert_max_num_queries
):
    headers = bearer(province.leader.user)
    plain = give(province, province.commune_x, 1, cooperating=[province.commune_y])
    client.get(f"{TASKS}{plain.pk}/", **headers)
    few = count(lambda: client.get(f"{TASKS}{plain.pk}/", **headers))
    task = rich_task(province, 6)
    url = f"{TASKS}{task.pk}/"
    with django_assert_max_num_queries(TASK_DETAIL):
        body = client.get(url, **headers).json()
    assert len(body["events"]) >= 8 and len(body["cooperating"]) == 6, body.keys()
    assert count(lambda: client.get(url, **headers)) == few


def test_the_task_stats_cost_the_same_for_few_and_many_tasks(client, province, django_assert_max_num_queries):
    headers = bearer(province.leader.user)
    url = f"{TASKS}stats/"
    by_org = {"organization": province.committee.pk}
    varied_tasks(province, 2)
    client.get(url, **headers)
    few = count(lambda: client.get(url, **headers))
    few_org = count(lambda: client.get(url, by_org, **headers))
    varied_tasks(province, 40, start=2)
    for i in range(5):
        give(province, OrganizationFactory(parent=province.committee, kind=OrgKind.AGENCY), 300 + i)
    with django_assert_max_num_queries(TASK_STATS):
        body = client.get(url, **headers).json()
    assert body["total"] >= 42, body
    with django_assert_max_num_queries(TASK_STATS_ORG):
        assert client.get(url, by_org, **headers).status_code == 200
    assert count(lambda: client.get(url, **headers)) == few
    assert count(lambda: client.get(url, by_org, **headers)) == few_org


# --- Search ----------------------------------------------------------------------------------

SEARCH_URL = "/api/v1/search/"


def indexed(province: Any, n: int, start: int = 0) -> None:
    """Documents about digital transformation, of several organisations and issuers, some
    classified, all indexed."""
    issuers = [province.centre, province.commune_x, None]
    for i in range(start, start + n):
        organization = [province.committee, province.office, province.commune_x][i % 3]
        issuer = issuers[i % 3]
        entry = registered_entry(
            actor=province.clerk.user if i % 3 != 2 else province.clerk_x.user,
            organization=organization,
            on=dt.date(2026, 3, 2),
            doc_type=["CV", "NQ", "KH"][i % 3],
            symbol=f"{i + 1}-CV/TU",
            issuer=issuer,
            issuer_name="" if issuer else "Sở Thông tin và Truyền thông",
            issued_date=dt.date(2026, 3, 2),
            subject=f"Về chuyển đổi số lần {i}",
            classification=Classification.MAT if i % 4 == 0 else Classification.NONE,
        )
        document_metadata_changed(entry.document)


@pytest.mark.usefixtures("books")
def test_search_costs_the_same_for_few_and_many_results(client, province, django_assert_max_num_queries):
    headers = bearer(province.leader.user)
    params = {"q": "chuyen doi so", "page_size": 50}
    indexed(province, 2)
    client.get(SEARCH_URL, params, **headers)
    few = count(lambda: client.get(SEARCH_URL, params, **headers))
    indexed(province, 40, start=2)
    with django_assert_max_num_queries(SEARCH):
        body = client.get(SEARCH_URL, params, **headers).json()
    assert body["count"] == 42 and len(body["results"]) == 42
    assert count(lambda: client.get(SEARCH_URL, params, **headers)) == few


# --- The incoming document's detail ----------------------------------------------------------


def directed_entry(province: Any, number: int, files: int, directions: int) -> Any:
    """An incoming document with ``files`` files, presented to the Bí thư, who gives
    ``directions`` directions assigning organisations, units and people."""
    entry = incoming_entry(province, number)
    for i in range(files):
        file_attach(actor=province.clerk.user, document=entry.document, upload=(f"tep-{i}.pdf", PDF))
    if directions:
        incoming_present(actor=province.clerk.user, entry=entry, to_person=province.leader)
    unit = UnitFactory(organization=province.office)
    for i in range(directions):
        incoming_direct(
            actor=province.leader.user,
            entry=entry,
            text=f"Ý kiến chỉ đạo {i}",
            assignments=[
                {"organization": province.commune_x, "role": "lead", "due_date": days(15 + i)},
                {"organization": province.commune_y, "role": "cooperate"},
                {"unit": unit, "role": "cooperate"},
                {"person": province.specialist, "role": "inform"},
                {"person": province.chief, "role": "inform"},
            ],
        )
    return entry


@pytest.mark.usefixtures("books")
def test_the_incoming_detail_costs_the_same_however_many_files_and_directions(
    client, province, django_assert_max_num_queries
):
    headers = bearer(province.leader.user)
    plain = directed_entry(province, 1, files=1, directions=1)
    url = f"/api/v1/incoming/{plain.pk}/"
    client.get(url, **headers)
    few = count(lambda: client.get(url, **headers))
    rich = directed_entry(province, 2, files=6, directions=4)
    url = f"/api/v1/incoming/{rich.pk}/"
    with django_assert_max_num_queries(INCOMING_DETAIL):
        body = client.get(url, **headers).json()
    assert len(body["files"]) == 6 and len(body["directions"]) == 4, body.keys()
    assert count(lambda: client.get(url, **headers)) == few


# --- Pages -----------------------------------------------------------------------------------


def everyday_work(province: Any, n: int, start: int = 0) -> None:
    """Incoming documents (some presented to the Bí thư, some classified, with files) and
    tasks for the communes: what the home page lists as pending work."""
    for i in range(start, start + n):
        entry = incoming_entry(
            province, 500 + i, classification=Classification.MAT if i % 5 == 0 else Classification.NONE
        )
        if i % 2:
            file_attach(actor=province.clerk.user, document=entry.document, upload=(f"tep-{i}.pdf", PDF))
        if i % 3 == 0:
            incoming_present(actor=province.clerk.user, entry=entry, to_person=province.leader)
    varied_tasks(province, n, start=start)


@pytest.mark.usefixtures("books")
@pytest.mark.parametrize(
    ("who", "ceiling"), [("clerk", "HOME_CLERK"), ("leader", "HOME_LEADER"), ("clerk_x", "HOME_COMMUNE")]
)
def test_the_home_page_costs_the_same_for_little_and_much_pending_work(
    client, province, django_assert_max_num_queries, who, ceiling
):
    client.force_login(getattr(province, who).user)
    url = reverse("web:home")
    everyday_work(province, 2)
    client.get(url)
    few = count(lambda: client.get(url))
    everyday_work(province, 30, start=2)
    with django_assert_max_num_queries(globals()[ceiling]):
        assert client.get(url).status_code == 200
    assert count(lambda: client.get(url)) == few


def test_the_task_list_page_costs_the_same_for_few_and_many_tasks(
    client, province, django_assert_max_num_queries
):
    client.force_login(province.leader.user)
    url = reverse("tasks:list")
    varied_tasks(province, 2)
    client.get(url)
    few = count(lambda: client.get(url))
    varied_tasks(province, 40, start=2)
    with django_assert_max_num_queries(TASK_LIST_PAGE):
        assert client.get(url).status_code == 200
    assert count(lambda: client.get(url)) == few


@pytest.mark.usefixtures("books")
def test_the_incoming_list_page_costs_the_same_for_few_and_many_documents(
    client, province, django_assert_max_num_queries
):
    client.force_login(province.leader.user)
    url = reverse("documents:incoming_list")
    everyday_work(province, 2)
    client.get(url)
    few = count(lambda: client.get(url))
    everyday_work(province, 40, start=2)
    with django_assert_max_num_queries(INCOMING_LIST_PAGE):
        assert client.get(url).status_code == 200
    assert count(lambda: client.get(url)) == few


RECIPIENTS = (
    lambda p: [p.commune_x, p.commune_y],
    lambda p: [(p.centre, "để báo cáo")],
    lambda p: [p.commune_y, (p.commune_x, "để biết")],
)


def drafts(province: Any, n: int, start: int = 0) -> None:
    """Outgoing drafts of the Tỉnh ủy and its Văn phòng, of several types, signers,
    recipients and classifications."""
    for i in range(start, start + n):
        office = i % 3 == 2
        outgoing_draft(
            province,
            actor=(province.chief if office else province.clerk).user,
            organization=province.office if office else province.committee,
            doc_type=["NQ", "CV", "KH"][i % 3],
            subject=f"Dự thảo số {i}",
            signer=province.chief if office else province.leader,
            recipients=RECIPIENTS[i % 3](province),
            classification=Classification.MAT if i % 4 == 0 else Classification.NONE,
        )


@pytest.mark.usefixtures("books")
def test_the_outgoing_list_page_costs_the_same_for_few_and_many_drafts(
    client, province, django_assert_max_num_queries
):
    client.force_login(province.clerk.user)
    url = reverse("documents:outgoing_list")
    drafts(province, 2)
    client.get(url)
    few = count(lambda: client.get(url))
    drafts(province, 40, start=2)
    with django_assert_max_num_queries(OUTGOING_LIST_PAGE):
        assert client.get(url).status_code == 200
    assert count(lambda: client.get(url)) == few
