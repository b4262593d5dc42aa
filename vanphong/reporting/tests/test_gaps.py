"""Known gaps of the reporting regime, closed and pinned:

1. a report's task is not completed, returned or cancelled from the task pages or the task API
   while its report says otherwise (the engine's source guard);
2. the board and the overdue test follow the task's due date in force (extensions);
3. the requester side sees that a report is being drafted, not what the draft says;
4. one request failing does not stop the daily job; periods missed while it was down are given;
5. only the committees below the requester are asked, never an office."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from vanphong.api.tests.helpers import assert_error, bearer
from vanphong.reporting import periods, selectors, services
from vanphong.reporting.models import SubmissionState
from vanphong.reporting.tests.conftest import make_request, row
from vanphong.tasks import services as tasks
from vanphong.tasks.calendar import WorkCalendar
from vanphong.tasks.models import TaskState

FULL = {"dang_vien_moi": 3, "don_thu": 12}
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _pages_without_second_factor(settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"


# --- 1. The task follows its report ------------------------------------------------------------


def test_a_report_task_is_not_completed_from_the_task_pages_before_the_report_is_sent(client, province):
    request = make_request(province)
    submission = row(request, province.commune_x)
    task = submission.task
    with pytest.raises(ValidationError) as caught:
        tasks.task_complete(actor=province.clerk_x.user, task=task, text="Đã gửi qua email")
    assert caught.value.messages == ["Việc này hoàn thành khi báo cáo được gửi: mở báo cáo để gửi."]
    client.force_login(province.clerk_x.user)
    response = client.post(
        reverse("tasks:complete", args=[task.pk]),
        {"text": "Đã gửi", "on": timezone.localdate().strftime("%d/%m/%Y")},
    )
    assert response.status_code == 400
    assert "Việc này hoàn thành khi báo cáo được gửi" in response.content.decode()
    response = client.post(
        f"/api/v1/tasks/{task.pk}/progress/",
        {"text": "Xong", "completed": True},
        content_type="application/json",
        **bearer(province.clerk_x.user),
    )
    error = assert_error(response, 400, "invalid")
    assert "mở báo cáo để gửi" in error["message"]
    task.refresh_from_db()
    assert task.state == TaskState.ASSIGNED
    # sending the report completes it
    services.submission_save(actor=province.clerk_x.user, submission=submission, values=FULL, submit=True)
    task.refresh_from_db()
    assert task.state == TaskState.COMPLETED


def test_a_report_task_is_returned_with_its_report_not_alone(client, province):
    request = make_request(province)
    submission = row(request, province.commune_x)
    services.submission_save(actor=province.clerk_x.user, submission=submission, values=FULL, submit=True)
    task = submission.task
    task.refresh_from_db()
    response = client.post(
        f"/api/v1/tasks/{task.pk}/return/",
        {"reason": "Sai số"},
        content_type="application/json",
        **bearer(province.specialist.user),
    )
    error = assert_error(response, 400, "invalid")
    assert "trang báo cáo" in error["message"]
    task.refresh_from_db()
    assert task.state == TaskState.COMPLETED
    services.submission_return(actor=province.specialist.user, submission=submission, reason="Sai số")
    task.refresh_from_db()
    submission.refresh_from_db()
    assert task.state == TaskState.IN_PROGRESS and submission.state == SubmissionState.RETURNED


def test_a_report_task_is_cancelled_only_by_ending_the_request(province):
    request = make_request(province)
    task = row(request, province.commune_x).task
    with pytest.raises(ValidationError) as caught:
        tasks.task_cancel(actor=province.specialist.user, task=task, reason="Không cần nữa")
    assert "kết thúc yêu cầu báo cáo" in caught.value.messages[0]
    services.request_close(actor=province.specialist.user, request=request, reason="Không cần nữa")
    task.refresh_from_db()
    assert task.state == TaskState.CANCELLED


def test_a_subtask_of_a_report_task_is_the_engines_alone(province):
    request = make_request(province)
    parent = row(request, province.commune_x).task
    child = tasks.task_create(
        actor=province.clerk_x.user,
        organization=province.commune_x,
        title="Tổng hợp số đơn thư",
        lead=province.commune_x,
        parent=parent,
        due_date=parent.due_date,
        source=tasks.TaskSource(kind=parent.source_kind),
    )
    tasks.task_complete(actor=province.clerk_x.user, task=child, text="Xong")
    assert child.state == TaskState.COMPLETED


# --- 2. Extensions -----------------------------------------------------------------------------


def test_the_board_follows_an_extension_granted(client, province):
    request = make_request(province)
    submission = row(request, province.commune_x)
    due = submission.due_date
    new_due = WorkCalendar.load().next_working_day(due + dt.timedelta(days=10))
    extension = tasks.extension_request(
        actor=province.clerk_x.user, task=submission.task, new_due_date=new_due, reason="Chờ số liệu"
    )
    tasks.extension_decide(actor=province.specialist.user, request=extension, approve=True)
    submission = selectors.submission_detail(province.specialist.user).get(pk=submission.pk)
    assert selectors.due_in_force(submission) == new_due
    after_due = due + dt.timedelta(days=1)
    assert selectors.board_status(submission, today=after_due) == "pending"
    assert selectors.board_status(submission, today=new_due + dt.timedelta(days=1)) == "overdue"
    other = row(request, province.commune_y, submission.period)
    assert selectors.board_status(other, today=after_due) == "overdue"
    board = selectors.board(province.specialist.user, request, submission.period, today=after_due)
    assert {r.submission.organization_id: (r.status, r.due_date) for r in board.rows} == {
        province.commune_x.pk: ("pending", new_due),
        province.commune_y.pk: ("overdue", due),
    }
    body = client.get(
        f"/api/v1/report-requests/{request.pk}/board/",
        {"period": submission.period},
        **bearer(province.specialist.user),
    ).json()
    rows = {r["organization"]: r for r in body["rows"]}
    assert rows[province.commune_x.pk]["due_date"] == new_due.isoformat()
    assert body["due_date"] == due.isoformat()


# --- 3. Drafts are the recipient's until sent --------------------------------------------------


def test_the_requester_sees_a_draft_is_being_written_not_what_it_says(client, province):
    request = make_request(province)
    submission = row(request, province.commune_x)
    services.submission_save(
        actor=province.clerk_x.user,
        submission=submission,
        values={"dang_vien_moi": 377},
        text={"Tình hình chung": "Bản nháp chưa duyệt"},
        uploads=[SimpleUploadedFile("nhap.pdf", PDF, content_type="application/pdf")],
    )
    file_id = submission.files.get().pk
    for who in (province.specialist, province.leader):
        client.force_login(who.user)
        html = client.get(reverse("reporting:submission", args=[submission.pk])).content.decode()
        assert "Đang soạn" in html and "377" not in html and "Bản nháp chưa duyệt" not in html
        assert "nhap.pdf" not in html
        download = client.get(reverse("reporting:submission_file", args=[submission.pk, file_id]))
        assert download.status_code == 404
        body = client.get(f"/api/v1/report-submissions/{submission.pk}/", **bearer(who.user)).json()
        assert body["status"] == "draft" and body["contents_visible"] is False
        assert body["values"] == {} and body["text"] == {} and body["files"] == []
    # the Tỉnh ủy's leaders reach the commune down the tree, but do not write its report
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.submission_save(actor=province.leader.user, submission=submission, values={"don_thu": 1})
    # the commune reads its own draft
    client.force_login(province.clerk_x.user)
    assert "377" in client.get(reverse("reporting:submission", args=[submission.pk])).content.decode()
    body = client.get(f"/api/v1/report-submissions/{submission.pk}/", **bearer(province.clerk_x.user)).json()
    assert body["values"] == {"dang_vien_moi": 377} and body["contents_visible"] is True
    assert selectors.aggregate(request, submission.period).indicators[0].total is None
    # once sent, the requester reads it, and still after returning it
    services.submission_save(
        actor=province.clerk_x.user, submission=submission, values={"don_thu": 1}, submit=True
    )
    services.submission_return(actor=province.specialist.user, submission=submission, reason="Bổ sung")
    client.force_login(province.specialist.user)
    html = client.get(reverse("reporting:submission", args=[submission.pk])).content.decode()
    assert "377" in html and "Bản nháp chưa duyệt" in html
    assert client.get(reverse("reporting:submission_file", args=[submission.pk, file_id])).status_code == 200
    body = client.get(
        f"/api/v1/report-submissions/{submission.pk}/", **bearer(province.specialist.user)
    ).json()
    assert body["contents_visible"] is True and body["values"]["dang_vien_moi"] == 377
    # the commune saves its corrections: they are its own until sent again — the requester reads
    # neither them nor what was sent before (page and API alike)
    services.submission_save(
        actor=province.clerk_x.user,
        submission=submission,
        values={"dang_vien_moi": 421},
        text={"Tình hình chung": "Bản sửa chưa gửi"},
    )
    html = client.get(reverse("reporting:submission", args=[submission.pk])).content.decode()
    assert "Báo cáo đang được sửa" in html and "Bản sửa chưa gửi" not in html
    assert "Bản nháp chưa duyệt" not in html and "nhap.pdf" not in html
    assert client.get(reverse("reporting:submission_file", args=[submission.pk, file_id])).status_code == 404
    body = client.get(
        f"/api/v1/report-submissions/{submission.pk}/", **bearer(province.specialist.user)
    ).json()
    assert body["status"] == "returned" and body["contents_visible"] is False
    assert body["values"] == {} and body["text"] == {} and body["files"] == []
    client.force_login(province.clerk_x.user)
    assert (
        "Bản sửa chưa gửi"
        in client.get(reverse("reporting:submission", args=[submission.pk])).content.decode()
    )
    assert selectors.aggregate(request, submission.period).indicators[0].total is None


# --- 4. The daily job ---------------------------------------------------------------------------


def test_one_request_failing_does_not_stop_the_job(province, monkeypatch, caplog):
    from vanphong.reporting.jobs import give_report_periods

    long_ago = timezone.localdate() - dt.timedelta(days=70)
    broken = make_request(province, today=long_ago)
    sound = make_request(province, today=long_ago, title="Báo cáo công tác tuyên giáo")
    original = services._give_period

    def give(request, *args, **kwargs):
        if request.pk == broken.pk:
            raise RuntimeError("disk full")
        return original(request, *args, **kwargs)

    monkeypatch.setattr(services, "_give_period", give)
    before = broken.submissions.count()
    with caplog.at_level(logging.ERROR, logger="vanphong.reporting"):
        result = give_report_periods()
    assert result["failed"] == 1 and result["failed_requests"] == [broken.pk]
    assert result["made"] == 4 and sound.submissions.count() == 8
    assert broken.submissions.count() == before  # its transaction rolled back
    assert f"request {broken.pk}" in caplog.text


def test_periods_missed_while_the_job_was_down_are_given_late(province):
    today = timezone.localdate()
    calendar = WorkCalendar.load()
    start = today - dt.timedelta(days=100)
    request = make_request(province, today=start)
    made_with = set(request.submissions.values_list("period", flat=True))
    services.periods_ensure(request)
    keys = set(request.submissions.values_list("period", flat=True))
    first_open = periods.open_periods("monthly", 20, today, calendar)[0]
    missed = {first_open.previous().key, first_open.previous().previous().key}
    open_keys = {first_open.key, first_open.next().key}
    assert keys == made_with | open_keys | missed
    assert min(keys) == min(made_with)  # nothing before the request was made
    late = row(request, province.commune_x, first_open.previous().key)
    assert late.due_date < today and selectors.board_status(late) == "overdue"
    assert late.task.assigned_on == late.due_date <= today


# --- 5. The committees below, never an office ------------------------------------------------


def test_an_office_is_neither_asked_nor_asks(province):
    with pytest.raises(ValidationError) as caught:
        make_request(province, recipients=[province.commune_x, province.office])
    assert "Văn phòng Tỉnh ủy" in caught.value.message_dict["recipients"][0]
    assert "giúp việc" in caught.value.message_dict["recipients"][0]
    with pytest.raises(ValidationError) as caught:
        make_request(province, organization=province.office)
    assert "nhân danh Tỉnh ủy Thử nghiệm" in caught.value.message_dict["organization"][0]


def test_the_tree_is_read_from_the_database_not_from_the_objects_given(province):
    stale = type(province.centre).objects.get(pk=province.centre.pk)
    stale.path = province.committee.path + "999999."  # as if it were below
    with pytest.raises(ValidationError) as caught:
        make_request(province, recipients=[stale])
    assert "không phải cơ quan, tổ chức cấp dưới" in caught.value.message_dict["recipients"][0]
