"""Pages of the outgoing flow: list, drafting form, the panel's actions, .docx, copies, pending."""

from __future__ import annotations

import io

import docx
import pytest
from django.urls import reverse

from vanphong.core.pending import pending_for
from vanphong.documents.models import Document, DocumentState, RegisterEntry, ReviewStep
from vanphong.documents.services.outgoing import outgoing_issue, outgoing_submit
from vanphong.documents.tests.test_outgoing_support import approve, make_draft, people_fixture  # noqa: F401
from vanphong.orgs.models import Classification


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    """Cleared people must use TOTP on the website; these tests are about the pages."""
    settings.VANPHONG_TOTP_REQUIRED = "none"


def _login(client, person):
    client.force_login(person.user)
    return client


def test_list_shows_state_tabs_with_counts_and_answers_htmx_with_the_partial(client, people):
    make_draft(people)
    approve(people, make_draft(people, subject="Nghị quyết chờ phát hành"))
    _login(client, people.leader)
    page = client.get(reverse("documents:outgoing_list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>Văn bản đi</h1>" in html and "Đã duyệt, chờ phát hành" in html
    assert 'id="outgoing-results"' in html
    partial = client.get(
        reverse("documents:outgoing_list"), {"trang_thai": "approved"}, HTTP_HX_REQUEST="true"
    )
    body = partial.content.decode()
    assert "<html" not in body
    assert "Nghị quyết chờ phát hành" in body and "Nghị quyết về phát triển kinh tế số tỉnh" not in body
    bad_date = client.get(reverse("documents:outgoing_list"), {"tu_ngay": "31/02/2026"})
    assert "không đúng dạng dd/mm/yyyy" in bad_date.content.decode()


def test_list_hides_classified_drafts_from_readers_without_clearance(client, people):
    make_draft(people, subject="Văn bản mật về nhân sự", classification=Classification.MAT)
    _login(client, people.specialist)
    assert "Văn bản mật về nhân sự" not in client.get(reverse("documents:outgoing_list")).content.decode()


def test_drafter_creates_a_draft_from_the_form(client, people):
    _login(client, people.drafter)
    form_page = client.get(reverse("documents:outgoing_create"))
    assert form_page.status_code == 200 and "Trích yếu nội dung" in form_page.content.decode()
    response = client.post(
        reverse("documents:outgoing_create"),
        {
            "organization": people.committee.pk,
            "doc_type": "KH",
            "subject": "Kế hoạch tổ chức hội nghị",
            "urgency": "thuong",
            "classification": "0",
            "signer": people.leader.pk,
            "signing_authority": "auto",
            "recipients": [people.commune_x.pk],
            "body": "Mục đích, yêu cầu.",
        },
    )
    document = Document.objects.get(subject="Kế hoạch tổ chức hội nghị")
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("documents:document_detail", args=[document.pk])
    )
    assert document.state == DocumentState.DRAFT and document.signing_authority == "TM"


def test_form_errors_from_the_service_show_next_to_fields(client, people):
    _login(client, people.drafter)
    response = client.post(
        reverse("documents:outgoing_create"),
        {
            "organization": people.committee.pk,
            "doc_type": "QyĐ",
            "subject": "Quy định sai thể thức",
            "urgency": "thuong",
            "classification": "0",
            "signing_authority": "auto",
        },
    )
    assert response.status_code == 200
    assert "không dùng được cho văn bản đi" in response.content.decode()
    assert not Document.objects.filter(subject="Quy định sai thể thức").exists()


def test_panel_actions_run_the_circuit_and_issue(client, people):
    document = make_draft(people)
    detail = reverse("documents:document_detail", args=[document.pk])
    _login(client, people.drafter)
    page = client.get(detail)
    assert page.status_code == 200
    assert 'id="panel-outgoing"' in page.content.decode() and "Trình duyệt" in page.content.decode()
    client.post(reverse("documents:outgoing_comment", args=[document.pk]), {"gop_y-text": "Xem lại Điều 3"})
    assert document.comments.count() == 1
    client.post(
        reverse("documents:outgoing_submit", args=[document.pk]), {"trinh-appraisal_content": people.chief.pk}
    )
    document.refresh_from_db()
    assert document.state == DocumentState.IN_REVIEW
    appraisal, sign = ReviewStep.objects.filter(document=document).order_by("stage")

    _login(client, people.chief)
    assert "Ý kiến của bạn" in client.get(detail).content.decode()
    client.post(
        reverse("documents:outgoing_decide", args=[document.pk, appraisal.pk]), {"duyet-decision": "approved"}
    )
    _login(client, people.leader)
    client.post(
        reverse("documents:outgoing_decide", args=[document.pk, sign.pk]), {"duyet-decision": "approved"}
    )
    document.refresh_from_db()
    assert document.state == DocumentState.APPROVED

    _login(client, people.clerk)
    assert "Cấp số và phát hành" in client.get(detail).content.decode()
    response = client.post(
        reverse("documents:outgoing_issue", args=[document.pk]), {"phat_hanh-issued_date": ""}
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.symbol == "01-NQ/TU"
    page = client.get(detail).content.decode()
    assert "Đã phát hành văn bản số 01-NQ/TU." in page
    assert "Chờ gửi liên thông" in page and "Đã chuyển" in page


def test_a_refused_action_says_why_and_changes_nothing(client, people):
    document = make_draft(people)
    _login(client, people.drafter)
    response = client.post(reverse("documents:outgoing_issue", args=[document.pk]), {}, follow=True)
    assert "Chỉ văn thư của cơ quan mới phát hành" in response.content.decode()
    document.refresh_from_db()
    assert document.state == DocumentState.DRAFT


def test_docx_download_and_404_outside_reach(client, people):
    document = make_draft(people, classification=Classification.MAT)
    _login(client, people.leader)
    response = client.get(reverse("documents:outgoing_docx", args=[document.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "NGHỊ QUYẾT" in [p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs]
    _login(client, people.specialist)
    assert client.get(reverse("documents:outgoing_docx", args=[document.pk])).status_code == 404
    _login(client, people.clerk_x)
    assert client.get(reverse("documents:document_detail", args=[document.pk])).status_code == 404


def test_copy_page_makes_a_copy_in_the_copy_register(client, people):
    document = approve(people, make_draft(people))
    outgoing_issue(actor=people.clerk.user, document=document)
    _login(client, people.clerk)
    url = reverse("documents:document_copy", args=[document.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"form": "TrS", "organization": people.committee.pk, "excerpt": "", "copies_count": "2"}
    )
    assert "Bản trích sao cần ghi phần nội dung được trích." in response.content.decode()
    response = client.post(
        url, {"form": "SY", "organization": people.committee.pk, "excerpt": "", "copies_count": "2"}
    )
    copy = Document.objects.get(original=document)
    assert response.status_code == 302 and copy.symbol == "01/SY-TU"
    assert RegisterEntry.objects.get(document=copy).copies_count == 2
    _login(client, people.drafter)
    assert client.get(url).status_code == 404


def test_pending_work_lists_my_reviews_and_documents_awaiting_issue(people):
    document = make_draft(people)
    outgoing_submit(
        actor=people.drafter.user,
        document=document,
        steps=[
            {"stage": 1, "kind": "appraisal_content", "reviewer": people.chief},
            {"stage": 2, "kind": "sign", "reviewer": people.leader},
        ],
    )
    groups = {g.key: g for g in pending_for(people.chief.user)}
    assert groups["documents.reviews"].count == 1
    assert "documents.reviews" not in {g.key for g in pending_for(people.leader.user)}  # not yet my turn
    approve_again = approve(people, make_draft(people, subject="Chờ phát hành"))
    assert approve_again.state == DocumentState.APPROVED
    clerk_groups = {g.key: g for g in pending_for(people.clerk.user)}
    assert clerk_groups["documents.to_issue"].count == 1
    assert clerk_groups["documents.to_issue"].items[0][0] == "Chờ phát hành"
    assert "documents.to_issue" not in {g.key for g in pending_for(people.drafter.user)}
