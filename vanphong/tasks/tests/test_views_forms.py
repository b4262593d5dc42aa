"""Every form of the task pages: the happy path through the service, and a refusal shown
next to its field, in Vietnamese, with what was typed kept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from vanphong.audit.models import AuditEvent
from vanphong.documents.services.incoming import incoming_register
from vanphong.documents.tests.factories import incoming_entry
from vanphong.orgs.models import Classification
from vanphong.tasks import services
from vanphong.tasks.models import (
    EventKind,
    EvidenceFile,
    ExtensionRequest,
    ExtensionState,
    Outcome,
    PartyRole,
    Priority,
    SourceKind,
    Task,
    TaskSeries,
    TaskState,
)
from vanphong.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PDF = b"%PDF-1.4 minh chung\n"


@pytest.fixture(autouse=True)
def _pages_without_second_factor(settings, tmp_path):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    settings.MEDIA_ROOT = tmp_path / "media"


def d(days: int) -> str:
    return f"{TODAY + dt.timedelta(days=days):%d/%m/%Y}"


def post(client, person, name, *args, data=None, **kwargs):
    client.force_login(person.user)
    response = client.post(reverse(name, args=args), data or {}, **kwargs)
    return response, response.content.decode()


def commune_document(province, symbol="07-BC/ĐU", subject="Báo cáo kết quả của xã"):
    """A document the commune's clerk registered in the commune's book (so they see it)."""
    return incoming_register(
        actor=province.clerk_x.user,
        organization=province.commune_x,
        symbol=symbol,
        subject=subject,
        issued_date=TODAY,
    ).document


# --- Giving a task --------------------------------------------------------------------------------


def create_data(province, **overrides):
    data = {
        "organization": province.committee.pk,
        "title": "Tổng kết công tác dân vận",
        "content": "Báo cáo Ban Thường vụ",
        "lead": f"organization:{province.commune_x.pk}",
        "cooperating": [f"organization:{province.commune_y.pk}", f"person:{province.specialist.pk}"],
        "due_date": d(15),
        "priority": str(Priority.HIGH),
        "classification": "",
        "source_kind": SourceKind.CONCLUSION,
        "source_label": "Thông báo kết luận số 3-TB/TU",
    }
    data.update(overrides)
    return data


def test_create_form_offers_the_giver_choices_and_gives_the_task(client, province):
    client.force_login(province.chief.user)
    html = client.get(reverse("tasks:create")).content.decode()
    assert f'<option value="{province.committee.pk}"' in html  # the Văn phòng gives for the committee
    assert (
        f'value="organization:{province.commune_x.pk}"' in html
        and f'value="person:{province.clerk_y.pk}"' in html
    )
    response, _ = post(client, province.chief, "tasks:create", data=create_data(province))
    task = Task.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("tasks:detail", args=[task.pk])
    assert task.organization == province.committee and task.lead_organization == province.commune_x
    assert task.created_by == province.chief and task.priority == Priority.HIGH
    assert task.due_date == TODAY + dt.timedelta(days=15) and task.source_kind == SourceKind.CONCLUSION
    cooperating = {p.target for p in task.parties.filter(role=PartyRole.COOPERATE)}
    assert cooperating == {province.commune_y, province.specialist}


def test_create_form_shows_the_services_errors_next_to_the_fields_and_keeps_the_input(client, province):
    data = create_data(province, due_date=d(-2), cooperating=[f"organization:{province.commune_x.pk}"])
    response, html = post(client, province.chief, "tasks:create", data=data)
    assert response.status_code == 400 and not Task.objects.exists()
    assert "Hạn hoàn thành không được trước ngày giao" in html
    assert "Nơi chủ trì không đồng thời là nơi phối hợp." in html
    assert 'value="Tổng kết công tác dân vận"' in html and "Báo cáo Ban Thường vụ" in html
    assert f'value="{d(-2)}"' in html and 'value="Thông báo kết luận số 3-TB/TU"' in html
    # A form-level error too (a lead must be chosen), in Vietnamese.
    response, html = post(client, province.chief, "tasks:create", data=create_data(province, lead=""))
    assert response.status_code == 400 and "Trường này là bắt buộc" in html


def test_someone_who_gives_no_task_cannot_open_the_form(client, province):
    client.force_login(province.clerk_x.user)
    assert client.get(reverse("tasks:create")).status_code == 404


def test_create_a_recurring_task(client, province):
    data = create_data(
        province,
        due_date="",
        repeat="on",
        frequency="1",
        day_of_month="20",
        month_in_period="0",
        starts_on=f"{TODAY:%d/%m/%Y}",
        ends_on="",
    )
    response, _ = post(client, province.leader, "tasks:create", data=data)
    assert response.status_code == 302
    series = TaskSeries.objects.get()
    task = series.tasks.get()
    assert series.frequency == 1 and series.day_of_month == 20
    assert task.due_date.day == 20 and task.due_date >= TODAY
    # Without the day, the form says so.
    data.update(day_of_month="")
    response, html = post(client, province.leader, "tasks:create", data=data)
    assert response.status_code == 400 and "Hãy nhập ngày đến hạn trong tháng." in html


def test_the_doer_adds_a_subtask_from_the_task_page(client, province):
    parent = TaskFactory(province=province, due_in=30, title="Nhiệm vụ lớn")
    client.force_login(province.clerk_x.user)
    html = client.get(reverse("tasks:detail", args=[parent.pk])).content.decode()
    assert f"?parent={parent.pk}" in html
    html = client.get(reverse("tasks:create"), {"parent": parent.pk}).content.decode()
    assert "Thêm nhiệm vụ con" in html and f'value="{d(30)}"' in html  # the parent's due date
    assert f'<option value="{province.commune_x.pk}" selected' in html  # given in the lead's name
    data = {
        "parent": parent.pk,
        "organization": province.commune_x.pk,
        "title": "Phần việc của Văn thư xã",
        "lead": f"person:{province.clerk_x.pk}",
        "due_date": d(40),  # after the parent's: refused
        "priority": "0",
        "source_kind": SourceKind.MANUAL,
    }
    response, html = post(client, province.clerk_x, "tasks:create", data=data)
    assert response.status_code == 400 and "không được sau hạn của nhiệm vụ cha" in html
    data["due_date"] = d(25)
    response, _ = post(client, province.clerk_x, "tasks:create", data=data)
    child = Task.objects.get(parent=parent)
    assert response.status_code == 302 and child.organization == province.commune_x
    assert child.lead_person == province.clerk_x


def test_create_from_a_document_starts_from_it_and_links_it(client, province, books):
    entry = incoming_entry(
        province,
        symbol="09-NQ/TU",
        subject="Nghị quyết về phát triển du lịch",
        issued_date=TODAY,
        classification=Classification.MAT,
    )
    client.force_login(province.leader.user)
    html = client.get(reverse("tasks:create"), {"source_document": entry.document_id}).content.decode()
    assert 'value="Nghị quyết về phát triển du lịch"' in html
    assert f'name="source_document" value="{entry.document_id}" checked' in html
    assert '<option value="resolution" selected' in html
    data = create_data(
        province,
        title="Xây dựng chương trình hành động",
        source_document=str(entry.document_id),
        source_kind=SourceKind.RESOLUTION,
        cooperating=[f"organization:{province.commune_y.pk}"],  # no one uncleared for Mật
    )
    response, _ = post(client, province.leader, "tasks:create", data=data)
    task = Task.objects.get()
    assert response.status_code == 302 and task.source_document_id == entry.document_id
    assert task.classification == Classification.MAT  # inherited from the document
    # The source document may also be typed by its symbol.
    data.pop("source_document")
    data["source_document_q"] = "09-nq/tu"
    post(client, province.leader, "tasks:create", data=data)
    assert Task.objects.filter(source_document_id=entry.document_id).count() == 2
    data["source_document_q"] = "99-NQ/TU"
    response, html = post(client, province.leader, "tasks:create", data=data)
    assert response.status_code == 400 and "Không tìm thấy văn bản “99-NQ/TU”" in html


def test_the_lead_pickers_follow_the_giving_organisation(client, province):
    client.force_login(province.leader.user)
    html = client.get(
        reverse("tasks:create_targets"), {"organization": province.commune_x.pk}
    ).content.decode()
    assert 'id="party-fields"' in html and f'value="person:{province.clerk_x.pk}"' in html
    assert f'value="person:{province.clerk_y.pk}"' not in html  # not under An Phú
    client.force_login(province.clerk_x.user)
    assert client.get(reverse("tasks:create_targets")).status_code == 404


def test_document_search_finds_only_documents_the_reader_may_see(client, province, books):
    mine = commune_document(province, symbol="07-BC/ĐU")
    other = incoming_register(
        actor=province.clerk_y.user,
        organization=province.commune_y,
        symbol="07-BC/ĐUBM",
        issuer_name="Đảng ủy xã Bình Minh",
        subject="Của xã khác",
        issued_date=TODAY,
    ).document
    client.force_login(province.clerk_x.user)
    html = client.get(
        reverse("tasks:document_search"), {"field": "documents", "documents_q": "07-", "multiple": "1"}
    ).content.decode()
    assert f'value="{mine.pk}"' in html and f'value="{other.pk}"' not in html
    assert 'type="checkbox" name="documents"' in html
    html = client.get(
        reverse("tasks:document_search"), {"field": "documents", "documents_q": "07-", "documents": mine.pk}
    ).content.decode()
    assert f'value="{mine.pk}"' not in html  # already picked
    assert client.get(reverse("tasks:document_search"), {"field": "x", "q": "07"}).status_code == 404


# --- The doer's side ----------------------------------------------------------------------------------


def test_accept(client, province):
    task = TaskFactory(province=province)
    response, _ = post(client, province.clerk_x, "tasks:accept", task.pk)
    task.refresh_from_db()
    assert response.status_code == 302 and task.state == TaskState.ACCEPTED
    response, _ = post(client, province.clerk_x, "tasks:accept", task.pk, follow=True)
    assert "Nhiệm vụ đã được tiếp nhận." in response.content.decode()


def test_progress_report_with_documents_and_files(client, province, books):
    task = TaskFactory(province=province)
    evidence = commune_document(province)
    data = {
        "text": "Đã họp triển khai",
        "percent": "30",
        "documents_q": "07-BC/ĐU",  # typed, not picked: resolved when exactly one matches
        "files": [SimpleUploadedFile("bien-ban.pdf", PDF)],
    }
    response, _ = post(client, province.clerk_x, "tasks:progress", task.pk, data=data)
    assert response.status_code == 302
    task.refresh_from_db()
    event = task.events.get(kind=EventKind.PROGRESS)
    assert task.progress == 30 and task.state == TaskState.IN_PROGRESS
    assert list(event.documents.all()) == [evidence] and event.files.get().original_name == "bien-ban.pdf"
    client.force_login(province.clerk_x.user)
    html = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "Đã họp triển khai" in html and "bien-ban.pdf" in html and "07-BC/ĐU" in html


def test_progress_report_errors_keep_what_was_typed(client, province, books):
    task = TaskFactory(province=province)
    evidence = commune_document(province)
    data = {"text": "", "percent": "130", "documents": [str(evidence.pk)]}
    response, html = post(client, province.clerk_x, "tasks:progress", task.pk, data=data)
    assert response.status_code == 400
    assert "Trường này là bắt buộc" in html and "Tiến độ từ 0 đến 99%" in html
    assert f'name="documents" value="{evidence.pk}" checked' in html  # the picked document stays
    assert 'value="130"' in html
    # A file the store refuses is reported next to the files field.
    data = {"text": "Có tệp", "files": [SimpleUploadedFile("virus.exe", b"MZ program")]}
    response, html = post(client, province.clerk_x, "tasks:progress", task.pk, data=data)
    assert response.status_code == 400 and "Không nhận loại tệp này" in html
    assert 'id="progress_files_error"' in html and "Có tệp" in html
    assert not task.events.filter(kind=EventKind.PROGRESS).exists()


def test_complete_with_result_document_and_a_service_refusal(client, province, books):
    task = TaskFactory(province=province)
    result = commune_document(province, symbol="15-BC/ĐU", subject="Báo cáo hoàn thành")
    before = f"{task.assigned_on - dt.timedelta(days=1):%d/%m/%Y}"
    data = {"text": "Đã xong", "on": before, "result_document": str(result.pk)}
    response, html = post(client, province.clerk_x, "tasks:complete", task.pk, data=data)
    assert response.status_code == 400 and "Ngày hoàn thành không được trước ngày giao nhiệm vụ." in html
    assert f'name="result_document" value="{result.pk}" checked' in html and "Đã xong" in html
    data["on"] = f"{TODAY:%d/%m/%Y}"
    response, _ = post(client, province.clerk_x, "tasks:complete", task.pk, data=data)
    task.refresh_from_db()
    assert response.status_code == 302 and task.state == TaskState.COMPLETED
    assert task.outcome == Outcome.ON_TIME and task.result_document == result and task.result == "Đã xong"


def test_extension_request_and_decision(client, province):
    task = TaskFactory(province=province, due_in=10)
    data = {"new_due_date": d(5), "reason": "Thiếu số liệu"}
    response, html = post(client, province.clerk_x, "tasks:extension_request", task.pk, data=data)
    assert response.status_code == 400 and "Hạn đề nghị phải sau hạn hiện tại" in html
    assert "Thiếu số liệu" in html
    data["new_due_date"] = d(25)
    response, _ = post(client, province.clerk_x, "tasks:extension_request", task.pk, data=data)
    request = ExtensionRequest.objects.get()
    assert response.status_code == 302 and request.state == ExtensionState.PENDING
    # The assigner decides; refusing needs a reason.
    client.force_login(province.leader.user)
    html = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "Quyết định đề nghị gia hạn" in html and "Thiếu số liệu" in html
    url_args = (task.pk, request.pk)
    response, html = post(
        client, province.leader, "tasks:extension_decide", *url_args, data={"decision": "refuse"}
    )
    assert response.status_code == 400 and "Hãy nêu lý do không đồng ý gia hạn." in html
    response, _ = post(
        client, province.leader, "tasks:extension_decide", *url_args, data={"decision": "approve"}
    )
    task.refresh_from_db()
    request.refresh_from_db()
    assert response.status_code == 302 and request.state == ExtensionState.APPROVED
    assert task.due_date == TODAY + dt.timedelta(days=25)
    assert task.original_due_date == TODAY + dt.timedelta(days=10)


# --- The assigner's side ---------------------------------------------------------------------------


def completed(province):
    task = TaskFactory(province=province)
    return services.task_complete(actor=province.clerk_x.user, task=task, text="Đã xong")


def test_confirm(client, province):
    task = completed(province)
    response, _ = post(client, province.chief, "tasks:confirm", task.pk, data={"text": "Tốt"})
    task.refresh_from_db()
    assert response.status_code == 302 and task.state == TaskState.CONFIRMED
    response, html = post(client, province.chief, "tasks:confirm", task.pk, data={"text": ""})
    assert response.status_code == 400 and "Chỉ xác nhận được nhiệm vụ đã báo cáo hoàn thành." in html


def test_return(client, province):
    task = completed(province)
    response, html = post(client, province.leader, "tasks:return", task.pk, data={"reason": " "})
    assert response.status_code == 400 and "Trường này là bắt buộc" in html
    response, _ = post(client, province.leader, "tasks:return", task.pk, data={"reason": "Thiếu phụ lục"})
    task.refresh_from_db()
    assert (
        response.status_code == 302 and task.state == TaskState.IN_PROGRESS and task.outcome == Outcome.OPEN
    )


def test_cancel(client, province):
    task = TaskFactory(province=province)
    response, html = post(client, province.leader, "tasks:cancel", task.pk, data={"reason": ""})
    assert response.status_code == 400 and "Trường này là bắt buộc" in html
    response, _ = post(client, province.leader, "tasks:cancel", task.pk, data={"reason": "Không còn cần"})
    task.refresh_from_db()
    assert response.status_code == 302 and task.outcome == Outcome.CANCELLED
    response, html = post(client, province.leader, "tasks:cancel", task.pk, data={"reason": "Lần nữa"})
    assert response.status_code == 400 and "Đã hủy" in html


def test_edit(client, province):
    task = TaskFactory(province=province, due_in=10)
    client.force_login(province.leader.user)
    html = client.get(reverse("tasks:edit", args=[task.pk])).content.decode()
    assert 'value="Nhiệm vụ thử"' in html and f'value="{d(10)}"' in html
    data = {"title": "Tên mới", "content": "Nội dung mới", "priority": "2", "due_date": d(-40)}
    response, html = post(client, province.leader, "tasks:edit", task.pk, data=data)
    assert response.status_code == 400 and "Hạn hoàn thành không được trước ngày giao." in html
    assert 'value="Tên mới"' in html
    data["due_date"] = d(12)
    response, _ = post(client, province.leader, "tasks:edit", task.pk, data=data)
    task.refresh_from_db()
    assert response.status_code == 302 and task.title == "Tên mới" and task.priority == 2
    assert task.due_date == task.original_due_date == TODAY + dt.timedelta(days=12)
    # The doer does not edit.
    client.force_login(province.clerk_x.user)
    assert client.get(reverse("tasks:edit", args=[task.pk])).status_code == 404


# --- Evidence files --------------------------------------------------------------------------------


def test_evidence_files_download_only_for_those_who_see_the_task(client, province):
    task = TaskFactory(province=province, classification=Classification.NONE)
    services.task_report_progress(
        actor=province.clerk_x.user, task=task, text="Ảnh hiện trường", uploads=[("anh.pdf", PDF)]
    )
    record = EvidenceFile.objects.get()
    client.force_login(province.leader.user)
    response = client.get(reverse("tasks:evidence_download", args=[record.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"] and response["X-Content-SHA256"] == record.sha256
    client.force_login(province.clerk_y.user)
    assert client.get(reverse("tasks:evidence_download", args=[record.pk])).status_code == 404


def test_classified_evidence_downloads_are_audited(client, province):
    task = TaskFactory(province=province, classification=Classification.MAT, lead=province.office)
    services.task_report_progress(
        actor=province.chief.user, task=task, text="Tài liệu", uploads=[("a.pdf", PDF)]
    )
    record = EvidenceFile.objects.get()
    client.force_login(province.chief.user)
    assert client.get(reverse("tasks:evidence_download", args=[record.pk])).status_code == 200
    assert AuditEvent.objects.filter(action="task.file_download", target_id=str(task.pk)).count() == 1
    client.force_login(province.specialist.user)  # no clearance
    assert client.get(reverse("tasks:evidence_download", args=[record.pk])).status_code == 404


def test_the_assigner_stops_a_recurring_task_from_its_page(client, province):
    from vanphong.accounts.tests.helpers import sign_in
    from vanphong.tasks.models import Frequency

    series = services.series_create(
        actor=province.leader.user,
        frequency=Frequency.MONTHLY,
        day_of_month=20,
        starts_on=timezone.localdate(),
        organization=province.committee,
        title="Báo cáo tình hình tháng",
        lead=province.commune_x,
    )
    task = series.tasks.get()
    sign_in(client, province.leader.user)
    page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "Dừng nhiệm vụ định kỳ" in page
    response = client.post(reverse("tasks:end_series", args=[task.pk]), {"reason": ""})
    assert response.status_code == 400 and 'aria-invalid="true"' in response.content.decode()
    series.refresh_from_db()
    assert series.active  # nothing done without a reason
    client.post(reverse("tasks:end_series", args=[task.pk]), {"reason": "Chuyển sang báo cáo quý"})
    series.refresh_from_db()
    assert not series.active
    sign_in(client, province.clerk_x.user)
    page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert reverse("tasks:end_series", args=[task.pk]) not in page  # stopped, and not theirs to stop
    assert "Dừng nhiệm vụ định kỳ: Chuyển sang báo cáo quý" in page  # in the history
