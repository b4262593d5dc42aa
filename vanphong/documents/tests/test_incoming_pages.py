"""Pages of the incoming flow: the list, the registration form, the symbol reader, pending work."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from vanphong.core.pending import pending_for
from vanphong.documents.models import Arrival, ArrivalState, DocumentFile, EntryStatus, RegisterEntry
from vanphong.documents.services.incoming import incoming_direct, incoming_present
from vanphong.documents.tests.factories import incoming_entry
from vanphong.orgs.models import Classification

LIST = reverse("documents:incoming_list")
FORM = reverse("documents:incoming_register")
PARSE = reverse("documents:incoming_parse_symbol")


@pytest.fixture(autouse=True)
def _pages_without_second_factor(settings):
    """The clerk and the leader are cleared for classified documents, so sign-in would ask
    them for a TOTP code; these tests are about the pages behind it."""
    settings.VANPHONG_TOTP_REQUIRED = "none"


def form_data(**overrides):
    data = {
        "symbol": "15-NQ/TU",
        "issuer_name": "",
        "issued_date": "03/11/2025",
        "doc_type": "",
        "subject": "Nghị quyết về phát triển kinh tế số tỉnh",
        "urgency": "thuong",
        "classification": "0",
        "signer_name": "Nguyễn Văn A",
        "received_at": timezone.localtime().strftime("%d/%m/%Y %H:%M"),
        "channel": "giấy",
        "signer_position": "",
        "page_count": "",
        "notes": "",
        "action": "save",
    }
    data.update(overrides)
    return data


def test_the_form_opens_with_the_focus_on_the_symbol_and_fields_in_reading_order(client, province, books):
    incoming_entry(province, 1, issuer_name="")
    client.force_login(province.clerk.user)
    html = client.get(FORM).content.decode()
    order = [
        html.index(f'name="{name}"')
        for name in (
            "symbol",
            "issuer_name",
            "issued_date",
            "doc_type",
            "subject",
            "urgency",
            "classification",
            "signer_name",
            "files",
        )
    ]
    assert order == sorted(order)
    assert 'name="symbol"' in html and "autofocus" in html.split('name="symbol"')[1].split(">")[0]
    assert '<datalist id="frequent-issuers">' in html and "Ban Chấp hành Trung ương" in html


def test_registering_from_the_form_shows_the_number_and_opens_the_document(client, province, books):
    client.force_login(province.clerk.user)
    response = client.post(FORM, form_data(), follow=True)
    entry = RegisterEntry.objects.get()
    assert response.redirect_chain[-1][0] == reverse("documents:entry_detail", args=[entry.pk])
    assert "Đã vào sổ số đến 1" in response.content.decode()
    assert entry.document.issuer == province.committee and entry.document.doc_type == "NQ"
    assert entry.document.issued_date == dt.date(2025, 11, 3)


def test_register_and_continue_opens_a_fresh_form(client, province, books):
    client.force_login(province.clerk.user)
    response = client.post(FORM, form_data(action="next"), follow=True)
    assert response.redirect_chain[-1][0] == FORM
    html = response.content.decode()
    assert "Đã vào sổ số đến 1" in html and 'value="15-NQ/TU"' not in html


def test_a_registration_with_errors_keeps_what_was_typed(client, province, books):
    client.force_login(province.clerk.user)
    response = client.post(FORM, form_data(subject="", issued_date="31/02/2025", doc_type="ZZ"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Có 3 điều cần sửa" in html and 'value="15-NQ/TU"' in html
    assert not RegisterEntry.objects.exists()


def test_a_service_refusal_shows_next_to_the_field(client, province, books):
    client.force_login(province.clerk.user)
    response = client.post(FORM, form_data(symbol="12-CV/ĐU"))  # ĐU: which commune?
    assert "Hãy cho biết cơ quan ban hành văn bản." in response.content.decode()
    assert not RegisterEntry.objects.exists()


def test_files_are_kept_with_the_registration(client, province, books, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(province.clerk.user)
    upload = SimpleUploadedFile("nq15.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(FORM, {**form_data(), "files": [upload]})
    assert response.status_code == 302
    stored = DocumentFile.objects.get()
    assert stored.original_name == "nq15.pdf" and stored.size == len(b"%PDF-1.4 test")


def test_people_who_keep_no_book_cannot_open_the_form(client, province, books):
    client.force_login(province.specialist.user)
    assert client.get(FORM).status_code == 404
    assert client.get(PARSE, {"symbol": "15-NQ/TU"}).status_code == 404


def test_the_symbol_reader_says_what_the_symbol_means_and_fills_empty_fields(client, province, books):
    client.force_login(province.clerk.user)
    html = client.get(PARSE, {"symbol": "15-nq/tu"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Nghị quyết" in html and "15-NQ/TU" in html and province.committee.name in html
    assert 'data-fill-target="id_doc_type" data-fill-value="NQ"' in html
    html = client.get(PARSE, {"symbol": "ký hiệu lạ"}).content.decode()
    assert "Không đọc được số, ký hiệu" in html


def test_the_symbol_reader_warns_of_an_earlier_registration(client, province, books):
    earlier = incoming_entry(province, 7)
    client.force_login(province.clerk.user)
    html = client.get(PARSE, {"symbol": "07-CV/TW", "issued_date": "03/11/2025"}).content.decode()
    assert "có thể đã vào sổ" in html and f"số đến <strong>{earlier.number}</strong>" in html
    assert reverse("documents:entry_detail", args=[earlier.pk]) in html
    html = client.get(PARSE, {"symbol": "07-CV/TW", "issued_date": "04/11/2025"}).content.decode()
    assert "có thể đã vào sổ" not in html


def test_registering_from_an_arrival_prefills_the_form(client, province, books, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    arrival = Arrival.objects.create(
        organization=province.committee,
        channel="thư điện tử",
        file=SimpleUploadedFile("cv.pdf", b"%PDF"),
        original_name="cv.pdf",
        content_type="application/pdf",
        size=4,
        sha256="0" * 64,
        proposal={
            "symbol": "59-CV/TU",
            "issued_date": "2025-10-20",
            "subject": "Về việc chuẩn bị đại hội",
            "classification": "none",
            "urgency": "khan",
        },
    )
    client.force_login(province.clerk.user)
    url = reverse("documents:incoming_from_arrival", args=[arrival.pk])
    html = client.get(url).content.decode()
    assert 'value="59-CV/TU"' in html and 'value="20/10/2025"' in html and "Về việc chuẩn bị đại hội" in html
    client.force_login(province.clerk_x.user)
    assert client.get(url).status_code == 404
    arrival.state = ArrivalState.DISCARDED
    arrival.save()
    client.force_login(province.clerk.user)
    assert client.get(url).status_code == 404


def test_the_list_shows_marks_counts_and_answers_htmx_with_the_partial(client, province, books):
    incoming_entry(province, 1, urgency="hoa_toc")
    incoming_entry(province, 2, classification=Classification.MAT)
    done = incoming_entry(province, 3)
    done.status = EntryStatus.DONE
    done.save()
    client.force_login(province.clerk.user)
    html = client.get(LIST).content.decode()
    assert "HỎA TỐC" in html and "badge-danger" in html and "MẬT" in html
    assert 'Tất cả <span class="badge">3</span>' in html
    assert 'Đã xử lý xong <span class="badge">1</span>' in html
    partial = client.get(LIST, {"trang_thai": "done"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "Công văn số 3" in partial and "Công văn số 1 " not in partial
    assert "Công văn số 2" in client.get(LIST, {"q": "số 2"}).content.decode()
    assert (
        "0 văn bản" in client.get(LIST, {"tu_ngay": "01/01/2020", "den_ngay": "02/01/2020"}).content.decode()
    )
    assert "dạng ngày/tháng/năm" in client.get(LIST, {"tu_ngay": "2020-13-45"}).content.decode()


def test_a_reader_without_clearance_does_not_see_classified_documents_in_the_list(client, province, books):
    incoming_entry(province, 1, actor=province.chief.user, organization=province.office)
    incoming_entry(
        province,
        2,
        actor=province.chief.user,
        organization=province.office,
        classification=Classification.MAT,
    )
    client.force_login(province.specialist.user)
    html = client.get(LIST).content.decode()
    assert "Công văn số 1" in html and "Công văn số 2" not in html


def test_the_list_costs_the_same_queries_for_one_or_fifty_documents(client, province, books):
    client.force_login(province.clerk.user)
    incoming_entry(province, 1)
    client.get(LIST)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    for n in range(2, 51):
        incoming_entry(province, n)
    with CaptureQueriesContext(connection) as fifty:
        client.get(LIST)
    assert len(fifty) == len(one)


def test_pending_work_for_the_clerk_the_leader_and_the_assignee(client, province, books):
    entry = incoming_entry(province, 1)
    incoming_entry(province, 2)
    clerk_groups = {g.key: g for g in pending_for(province.clerk.user)}
    assert clerk_groups["documents.to_present"].count == 2
    assert len(clerk_groups["documents.to_present"].items) == 2
    incoming_present(actor=province.clerk.user, entry=entry, to_person=province.leader)
    leader_groups = {g.key: g for g in pending_for(province.leader.user)}
    assert leader_groups["documents.to_direct"].count == 1
    assert leader_groups["documents.to_direct"].items[0][1] == reverse(
        "documents:entry_detail", args=[entry.pk]
    )
    incoming_direct(
        actor=province.leader.user,
        entry=entry,
        text="Giao chuyên viên tham mưu",
        assignments=[{"person": province.specialist, "role": "lead"}],
    )
    assert "documents.to_direct" not in {g.key for g in pending_for(province.leader.user)}
    assert {g.key: g.count for g in pending_for(province.specialist.user)}["documents.assigned"] == 1
    assert {g.key: g.count for g in pending_for(province.clerk.user)}["documents.to_present"] == 1
    client.force_login(province.leader.user)
    html = client.get(reverse("web:home")).content.decode()
    assert "Văn bản chờ cho ý kiến" not in html
    client.force_login(province.specialist.user)
    html = client.get(reverse("web:home")).content.decode()
    assert "Văn bản được giao xử lý" in html
    assert "Công văn số 1" in client.get(LIST, {"cua_toi": "giao"}).content.decode()
