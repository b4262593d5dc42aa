"""The pages of the file plans and the records: who sees what, opening, filing, closing through
the forms, the accent-insensitive search, the card layout, the list's bounded queries, and the
document page's "Hồ sơ" panel."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from vanphong.documents.access import documents_visible_to
from vanphong.orgs.models import Classification
from vanphong.records import services
from vanphong.records.models import FilePlan, PlanState, Record, RecordState
from vanphong.records.tests.conftest import document, open_record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pages(settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"


def login(client, person):
    client.force_login(person.user)
    return client


# ---------------------------------------------------------------------------- who sees what


@pytest.mark.parametrize("who", ["clerk", "specialist", "chief"])
def test_the_office_reads_the_lists_the_record_and_the_plan(client, province, plan, who):
    record = open_record(province, plan)
    services.record_file(
        actor=province.clerk.user, record=record, document=document(province, subject="Báo cáo quý")
    )
    login(client, getattr(province, who))
    listing = client.get(reverse("records:record_list"))
    assert listing.status_code == 200
    assert record.title in listing.content.decode()
    detail = client.get(reverse("records:record_detail", args=[record.pk]))
    assert detail.status_code == 200
    page = detail.content.decode()
    assert "Mục lục văn bản" in page and "Báo cáo quý" in page
    # The index links to the document's page only for a reader of the document.
    doc_id = record.items.get().document_id
    readable = documents_visible_to(getattr(province, who).user).filter(pk=doc_id).exists()
    assert (reverse("documents:document_detail", args=[doc_id]) in page) == readable
    plans = client.get(reverse("records:plan_list"))
    assert plans.status_code == 200 and "Danh mục năm 2026" in plans.content.decode()
    shown = client.get(reverse("records:plan_detail", args=[plan.pk])).content.decode()
    # NĐ 30 PL V: the large headings numbered in Roman numerals, the lines under them.
    assert "I. Tổng hợp" in shown and "II. Hành chính, quản trị" in shown
    assert "Sổ theo dõi công văn đi, đến" in shown


def test_a_commune_clerk_gets_404_on_the_committees_record_and_plan(client, province, plan):
    record = open_record(province, plan)
    login(client, province.clerk_x)
    assert client.get(reverse("records:record_detail", args=[record.pk])).status_code == 404
    assert client.get(reverse("records:record_index", args=[record.pk]) + "?format=docx").status_code == 404
    assert client.get(reverse("records:plan_detail", args=[plan.pk])).status_code == 404
    assert record.title not in client.get(reverse("records:record_list")).content.decode()
    response = client.post(reverse("records:record_close", args=[record.pk]), {"end_date": "05/01/2026"})
    assert response.status_code == 404
    record.refresh_from_db()
    assert record.state == RecordState.OPEN


def test_a_record_above_the_readers_clearance_is_404(client, province, plan):
    record = open_record(province, plan)
    services.record_file(
        actor=province.chief.user,
        record=record,
        document=document(province, classification=Classification.MAT),
    )
    login(client, province.specialist)  # opened the record, but holds no clearance for MẬT
    assert client.get(reverse("records:record_detail", args=[record.pk])).status_code == 404
    login(client, province.chief)
    page = client.get(reverse("records:record_detail", args=[record.pk])).content.decode()
    assert "MẬT" in page


def test_pages_need_a_login(client, province, plan):
    response = client.get(reverse("records:record_list"))
    assert response.status_code == 302 and "next=" in response["Location"]


# ---------------------------------------------------------------------------- through the forms


def test_open_file_and_close_through_the_pages(client, province, plan):
    login(client, province.specialist)
    form = client.get(reverse("records:record_open"))
    assert form.status_code == 200 and "02.TH" in form.content.decode()
    item = plan.items.get(code="02.TH")
    response = client.post(
        reverse("records:record_open"),
        {"plan_item": item.pk, "title": "", "start_date": "02/01/2026", "retention": "vinh_vien"},
    )
    assert response.status_code == 302, response.content.decode()
    record = Record.objects.get(plan_item=item)
    assert response["Location"] == reverse("records:record_detail", args=[record.pk])
    assert (record.code, record.retention_years) == ("02.TH", 5)

    doc = document(province, symbol="27-BC/VPTU", subject="Báo cáo công tác tháng 1")
    login(client, province.clerk)  # the clerk, who reads the committee's documents, files it
    found = client.get(reverse("records:record_detail", args=[record.pk]), {"tim": "27-BC"}).content.decode()
    assert "Báo cáo công tác tháng 1" in found and f'name="document" value="{doc.pk}"' in found
    response = client.post(reverse("records:record_file", args=[record.pk]), {"document": doc.pk})
    assert response.status_code == 302
    assert [i.symbol for i in record.items.all()] == ["27-BC/VPTU"]
    login(client, province.specialist)

    # A refused close is shown next to its field: the end cannot be before the start.
    refused = client.post(
        reverse("records:record_close", args=[record.pk]),
        {"end_date": "01/01/2025", "retention": "giu_nguyen"},
    )
    assert refused.status_code == 400
    assert "Ngày kết thúc không được trước ngày bắt đầu hồ sơ." in refused.content.decode()

    response = client.post(
        reverse("records:record_close", args=[record.pk]),
        {"end_date": "31/01/2026", "retention": "10", "page_total": "4", "closing_note": "Đủ văn bản."},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.state == RecordState.CLOSED
    assert (record.end_date, record.retention_years, record.page_total) == (dt.date(2026, 1, 31), 10, 4)
    assert record.retention_until == dt.date(2036, 12, 31)

    response = client.post(
        reverse("records:record_reopen", args=[record.pk]), {"reason": "Thiếu một văn bản"}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.state == RecordState.OPEN


def test_open_outside_the_plan_and_its_errors(client, province, plan):
    login(client, province.specialist)
    refused = client.post(
        reverse("records:record_open"), {"start_date": "02/01/2026", "retention": "vinh_vien"}
    )
    assert refused.status_code == 400
    assert "Hồ sơ ngoài danh mục phải có số và ký hiệu." in refused.content.decode()
    response = client.post(
        reverse("records:record_open"),
        {
            "organization": province.committee.pk,
            "code": "99.NG",
            "title": "Hồ sơ đoàn công tác",
            "year": "2026",
            "retention": "khac",
            "retention_other": "7",
            "start_date": "03/02/2026",
        },
    )
    assert response.status_code == 302, response.content.decode()
    record = Record.objects.get(code="99.NG")
    assert (record.plan_item_id, record.retention_years, record.year) == (None, 7, 2026)
    again = client.post(
        reverse("records:record_open"),
        {
            "organization": province.committee.pk,
            "code": "99.NG",
            "title": "Trùng",
            "year": "2026",
            "retention": "5",
            "start_date": "03/02/2026",
        },
    )
    assert again.status_code == 400 and "đã được mở" in again.content.decode()


def test_unfile_renumbers_and_hold_is_for_the_leaders(client, province, plan):
    record = open_record(province, plan)
    first = services.record_file(
        actor=province.clerk.user, record=record, document=document(province, symbol="1-BC")
    )
    services.record_file(actor=province.clerk.user, record=record, document=document(province, symbol="2-BC"))
    login(client, province.specialist)
    response = client.post(reverse("records:record_unfile", args=[record.pk, first.pk]))
    assert response.status_code == 302
    assert [(i.ordinal, i.symbol) for i in record.items.all()] == [(1, "2-BC")]
    # The specialist sees no hold form and is refused (403) by the service.
    assert (
        "Phong tỏa hồ sơ"
        not in client.get(reverse("records:record_detail", args=[record.pk])).content.decode()
    )
    assert (
        client.post(reverse("records:record_hold", args=[record.pk]), {"reason": "Thanh tra"}).status_code
        == 403
    )
    login(client, province.chief)
    assert (
        client.post(reverse("records:record_hold", args=[record.pk]), {"reason": "Thanh tra"}).status_code
        == 302
    )
    page = client.get(reverse("records:record_detail", args=[record.pk])).content.decode()
    assert "Hồ sơ đang bị phong tỏa" in page and "Thanh tra" in page
    assert client.post(reverse("records:record_release", args=[record.pk])).status_code == 302
    record.refresh_from_db()
    assert record.hold_reason == ""


def test_plan_create_edit_approve_and_carry_over(client, province, plan):
    login(client, province.specialist)
    response = client.post(
        reverse("records:plan_create"), {"organization": province.committee.pk, "year": 2025}
    )
    assert response.status_code == 302
    draft = FilePlan.objects.get(organization=province.committee, year=2025)
    edit_url = reverse("records:plan_edit", args=[draft.pk])
    assert client.get(edit_url).status_code == 200
    data = {
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "2000",
        "items-0-heading": "Tổng hợp",
        "items-0-code": "01.TH",
        "items-0-title": "Báo cáo năm",
        "items-0-retention": "vinh_vien",
        "items-1-heading": "Tổng hợp",
        "items-1-code": "01.TH",
        "items-1-title": "Trùng số",
        "items-1-retention": "10",
        "items-2-retention": "vinh_vien",
    }
    refused = client.post(edit_url, data)
    assert refused.status_code == 400 and "đã có trong danh mục" in refused.content.decode()
    data["items-1-code"] = "02.TH"
    data["items-1-retention"] = "khac"
    data["items-1-retention_other"] = "12"
    assert client.post(edit_url, data).status_code == 302
    assert [(i.code, i.retention_years) for i in draft.items.all()] == [("01.TH", None), ("02.TH", 12)]

    # Only the leaders approve.
    assert client.post(reverse("records:plan_approve", args=[draft.pk])).status_code == 403
    login(client, province.chief)
    assert client.post(reverse("records:plan_approve", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.state == PlanState.APPROVED

    login(client, province.specialist)
    response = client.post(reverse("records:plan_carry_over", args=[plan.pk]))
    assert response.status_code == 302
    nxt = FilePlan.objects.get(organization=province.committee, year=2027)
    assert response["Location"] == reverse("records:plan_edit", args=[nxt.pk])
    assert nxt.items.count() == plan.items.count()


# ---------------------------------------------------------------------------- the list


def test_list_search_ignores_accents(client, province, plan):
    record = open_record(province, plan, "02.TH")
    other = open_record(province, plan, "04.HC")
    login(client, province.clerk)
    page = client.get(reverse("records:record_list"), {"q": "bao cao thang"}).content.decode()
    assert record.title in page  # "Báo cáo tháng, quý…"
    assert other.title not in page
    assert "table-cards" in page and 'data-label="Tiêu đề"' in page  # cards at 390 px
    # The module's tabs, the list's own marked current.
    for name in ("plan_list", "transfer_list", "archive_search", "request_list", "disposal_review"):
        assert f'href="{reverse(f"records:{name}")}"' in page
    assert f'href="{reverse("records:record_list")}" aria-current="page"' in page


def test_the_list_queries_are_bounded(client, province, plan, django_assert_max_num_queries):
    for n in range(30):
        services.record_open(
            actor=province.specialist.user,
            organization=province.committee,
            code=f"N{n:02d}",
            title=f"Hồ sơ số {n}",
            retention_years=10,
            year=2026,
            start_date=dt.date(2026, 1, 2),
        )
    login(client, province.clerk)
    client.get(reverse("records:record_list"))  # the session, the user, the roles cached
    with django_assert_max_num_queries(20):
        response = client.get(reverse("records:record_list"))
    assert response.content.decode().count('data-label="Số văn bản"') == 30


# ---------------------------------------------------------------------------- the document page


def test_the_document_page_panel_files_into_a_record(client, province, plan):
    import vanphong.records.panels  # noqa: F401 - registers the panel (the app's ready does it too)

    record = open_record(province, plan)
    doc = document(province, subject="Nghị quyết về công tác văn thư")
    login(client, province.clerk)
    url = reverse("documents:document_detail", args=[doc.pk])
    page = client.get(url).content.decode()
    assert 'id="panel-records"' in page and f"{record.code}/{record.year}" in page
    response = client.post(
        reverse("records:record_file_chosen"), {"record": record.pk, "document": doc.pk, "next": url}
    )
    assert response.status_code == 302 and response["Location"] == url
    assert record.items.get().document_id == doc.pk
    page = client.get(url).content.decode()
    assert reverse("records:record_detail", args=[record.pk]) in page
    # An unsafe "next" is not followed.
    other = document(province, subject="Công văn khác")
    response = client.post(
        reverse("records:record_file_chosen"),
        {"record": record.pk, "document": other.pk, "next": "https://example.com/"},
    )
    assert response["Location"] == reverse("records:record_detail", args=[record.pk])
