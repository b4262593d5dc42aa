"""The document page: metadata, entries, directions, actions, panels and the whole history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from vanphong.audit.models import AuditEvent
from vanphong.documents.models import Assignment, Document, DocumentLink, DocumentState, EntryStatus
from vanphong.documents.services.incoming import incoming_direct, incoming_present
from vanphong.documents.tests.factories import incoming_entry
from vanphong.orgs.models import Classification


@pytest.fixture(autouse=True)
def _pages_without_second_factor(settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"


def entry_url(entry):
    return reverse("documents:entry_detail", args=[entry.pk])


def test_the_page_shows_metadata_entries_and_history(client, province, books):
    entry = incoming_entry(province)
    client.force_login(province.clerk.user)
    html = client.get(reverse("documents:document_detail", args=[entry.document_id])).content.decode()
    assert "15-NQ/TW" in html and "Nghị quyết về phát triển kinh tế số" in html and "03/11/2025" in html
    assert "Sổ văn bản đến số 1" in html
    assert "Tiếp nhận văn bản đến" in html and "Vào sổ văn bản" in html  # history, in Vietnamese
    assert "Trình lãnh đạo" in html and "leader" in html  # the clerk may present to the leader
    assert "Cho ý kiến chỉ đạo" not in html  # but not direct


def test_clerk_presents_and_leader_directs_from_the_page(client, province, books):
    entry = incoming_entry(province)
    client.force_login(province.clerk.user)
    response = client.post(
        reverse("documents:incoming_present", args=[entry.pk]), {"to_person": province.leader.pk, "note": ""}
    )
    assert response.status_code == 302
    client.force_login(province.leader.user)
    html = client.get(entry_url(entry)).content.decode()
    assert "Cho ý kiến chỉ đạo" in html and f'value="organization:{province.office.pk}"' in html
    due = (timezone.localdate() + dt.timedelta(days=5)).strftime("%d/%m/%Y")
    data = {
        "text": "Giao Văn phòng chủ trì tham mưu",
        "pc-TOTAL_FORMS": "3",
        "pc-INITIAL_FORMS": "0",
        "pc-0-target": f"organization:{province.office.pk}",
        "pc-0-role": "lead",
        "pc-0-due_date": due,
        "pc-1-target": f"person:{province.specialist.pk}",
        "pc-1-role": "inform",
        "pc-1-due_date": "",
        "pc-2-target": "",
        "pc-2-role": "lead",
        "pc-2-due_date": "",
    }
    response = client.post(reverse("documents:incoming_direct", args=[entry.pk]), data, follow=True)
    html = response.content.decode()
    assert "Đã ghi ý kiến chỉ đạo." in html and "Giao Văn phòng chủ trì tham mưu" in html
    assert "Chủ trì" in html and province.office.name in html
    entry.refresh_from_db()
    assert entry.status == EntryStatus.DIRECTED and Assignment.objects.count() == 2
    assert "Cho ý kiến chỉ đạo, phân công xử lý" in html  # in the history


def test_a_bad_direction_is_shown_with_its_errors_and_nothing_saved(client, province, books):
    entry = incoming_entry(province)
    client.force_login(province.leader.user)
    data = {
        "text": "Giao",
        "pc-TOTAL_FORMS": "1",
        "pc-INITIAL_FORMS": "0",
        "pc-0-target": f"organization:{province.office.pk}",
        "pc-0-role": "lead",
        "pc-0-due_date": "01/01/2020",
    }
    response = client.post(reverse("documents:incoming_direct", args=[entry.pk]), data)
    assert response.status_code == 400
    assert "hạn xử lý không được ở quá khứ" in response.content.decode()
    assert not Assignment.objects.exists()


def test_people_without_the_right_get_404_for_actions(client, province, books):
    entry = incoming_entry(province)
    client.force_login(province.specialist.user)  # cannot even see the Tỉnh ủy's book
    assert client.get(entry_url(entry)).status_code == 404
    assert (
        client.post(reverse("documents:incoming_direct", args=[entry.pk]), {"text": "x"}).status_code == 404
    )
    client.force_login(province.clerk_x.user)
    assert client.get(reverse("documents:document_detail", args=[entry.document_id])).status_code == 404
    client.force_login(province.clerk.user)  # sees it, may not direct
    response = client.post(
        reverse("documents:incoming_direct", args=[entry.pk]),
        {"text": "x", "pc-TOTAL_FORMS": "0", "pc-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 404 and not Assignment.objects.exists()


def test_marking_processed_with_the_reply_from_the_page(client, province, books):
    entry = incoming_entry(province)
    reply = Document.objects.create(
        organization=province.committee, state=DocumentState.ISSUED, symbol="20-BC/TU", subject="Báo cáo"
    )
    client.force_login(province.clerk.user)
    response = client.post(
        reverse("documents:incoming_processed", args=[entry.pk]),
        {"reply": reply.pk, "note": "Xong"},
        follow=True,
    )
    assert "Đã đánh dấu văn bản xử lý xong." in response.content.decode()
    assert DocumentLink.objects.filter(source=reply, target=entry.document).exists()
    assert "Kết thúc xử lý" not in response.content.decode()  # closed: no more actions


def test_viewing_a_classified_document_is_audited_once_per_view(client, province, books):
    entry = incoming_entry(province, classification=Classification.MAT)
    client.force_login(province.leader.user)
    assert client.get(entry_url(entry)).status_code == 200
    assert client.get(reverse("documents:document_detail", args=[entry.document_id])).status_code == 200
    views = AuditEvent.objects.filter(action="document.view", target_id=str(entry.document_id))
    assert views.count() == 2
    html = client.get(entry_url(entry)).content.decode()
    assert "Xem văn bản mật" in html  # the views are part of the history
    open_entry = incoming_entry(province, symbol="16-NQ/TW")
    client.get(entry_url(open_entry))
    assert AuditEvent.objects.filter(action="document.view").count() == 3
    client.force_login(province.specialist.user)
    assert client.get(entry_url(entry)).status_code == 404


def test_the_history_lists_the_whole_flow_in_time_order(client, province, books):
    entry = incoming_entry(province)
    incoming_present(actor=province.clerk.user, entry=entry, to_person=province.leader, note="Trình gấp")
    incoming_direct(actor=province.leader.user, entry=entry, text="Giao Văn phòng", assignments=[])
    client.force_login(province.leader.user)
    html = client.get(entry_url(entry)).content.decode()
    history = html[html.index('id="h-history"') :]
    positions = [
        history.index(label)
        for label in ("Tiếp nhận văn bản đến", "Vào sổ văn bản", "Trình văn bản đến", "Cho ý kiến chỉ đạo")
    ]
    assert positions == sorted(positions)
    assert "Trình gấp" in history and "“Giao Văn phòng”" in history
