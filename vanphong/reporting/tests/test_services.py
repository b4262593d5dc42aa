"""The reporting services: a request gives each recipient's report as a task; drafts, submit,
return and resubmit with the task following; late and on time; the board; aggregation with
comparisons; the summary draft; who may do what."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from vanphong.audit.models import AuditEvent
from vanphong.documents.models import Document, DraftVersion
from vanphong.reporting import periods, selectors, services
from vanphong.reporting.models import ReportSubmission, SubmissionState
from vanphong.reporting.tests.conftest import make_request, past, row
from vanphong.tasks.models import Outcome, SourceKind, TaskState
from vanphong.tasks.sources import source_link

FULL = {"dang_vien_moi": 3, "don_thu": "12"}
TEXT = {"Tình hình chung": "Ổn định.", "Kết quả thực hiện nhiệm vụ": "Hoàn thành các chỉ tiêu tháng."}


def test_a_monthly_request_gives_a_task_per_recipient_for_the_current_and_next_period(province):
    today = timezone.localdate()
    request = make_request(province)
    rows = list(request.submissions.order_by("period", "organization__path"))
    assert len(rows) == 4
    keys = sorted({r.period for r in rows})
    first = periods.open_periods("monthly", 20, today, _calendar())[0]
    assert keys == [first.key, first.next().key]
    for r in rows:
        assert r.state == SubmissionState.PENDING
        task = r.task
        assert task.source_kind == SourceKind.REPORT_REQUEST
        assert task.lead_organization_id == r.organization_id
        assert task.organization_id == province.committee.pk
        assert task.due_date == r.due_date >= today
        assert task.source_id == request.pk
    assert AuditEvent.objects.filter(action="report_request.create").count() == 1


def _calendar():
    from vanphong.tasks.calendar import WorkCalendar

    return WorkCalendar.load()


def test_the_task_links_back_to_the_request_for_those_who_see_it(province):
    request = make_request(province)
    task = row(request, province.commune_x).task
    link = source_link(province.clerk_x.user, task)
    assert link is not None and link[0].endswith(f"/bao-cao/{request.pk}/")


def test_a_one_off_request_gives_one_report_with_the_due_date_moved_off_a_weekend(province):
    today = timezone.localdate()
    saturday = today + dt.timedelta(days=(5 - today.weekday()) % 7 or 7)
    request = make_request(province, frequency="once", due_day=None, due_date=saturday)
    rows = list(request.submissions.all())
    assert len(rows) == 2 and {r.period for r in rows} == {""}
    assert all(r.due_date.weekday() < 5 and r.due_date > saturday for r in rows)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"frequency": "fortnightly"}, "frequency"),
        ({"due_day": 32}, "due_day"),
        ({"frequency": "weekly", "due_day": 8}, "due_day"),
        ({"frequency": "once", "due_date": None}, "due_date"),
        ({"recipients": []}, "recipients"),
        ({"indicators": [services.IndicatorSpec("a b", "Tên")]}, "indicators"),
        (
            {"indicators": [services.IndicatorSpec("x", "Một"), services.IndicatorSpec("X", "Hai")]},
            "indicators",
        ),
        ({"indicators": [services.IndicatorSpec("x", "Một", "", Decimal(5), Decimal(1))]}, "indicators"),
        ({"sections": ["A", "a"]}, "sections"),
        ({"indicators": [], "sections": []}, "indicators"),
    ],
)
def test_a_request_with_a_slip_is_refused_field_by_field(province, changes, field):
    with pytest.raises(ValidationError) as caught:
        make_request(province, **changes)
    assert field in caught.value.message_dict
    assert not ReportSubmission.objects.exists()


def test_recipients_must_be_below_the_requester(province):
    with pytest.raises(ValidationError) as caught:
        make_request(province, recipients=[province.centre])
    assert "cấp dưới" in caught.value.message_dict["recipients"][0]
    with pytest.raises(ValidationError):
        make_request(
            province,
            actor=province.clerk_x.user,
            organization=province.commune_x,
            recipients=[province.commune_y],
        )


def test_only_those_who_write_for_the_requester_may_request(province):
    with pytest.raises(PermissionDenied):
        make_request(province, actor=province.clerk_x.user)


def test_draft_then_submit_on_time_completes_the_task(province):
    request = make_request(province)
    submission = row(request, province.commune_x)
    services.submission_save(actor=province.clerk_x.user, submission=submission, values={"dang_vien_moi": 2})
    submission.refresh_from_db()
    assert submission.state == SubmissionState.DRAFT
    assert submission.task.state == TaskState.ASSIGNED
    # a second post updates the draft, keeping what it does not name
    services.submission_save(
        actor=province.clerk_x.user, submission=submission, values={"don_thu": 7}, text=TEXT, submit=True
    )
    submission.refresh_from_db()
    assert submission.state == SubmissionState.SUBMITTED and not submission.late
    assert submission.submitted_by == province.clerk_x
    assert {v.indicator.code: v.value for v in submission.values.all()} == {
        "dang_vien_moi": Decimal(2),
        "don_thu": Decimal(7),
    }
    task = submission.task
    assert task.state == TaskState.COMPLETED and task.outcome == Outcome.ON_TIME
    board = selectors.board(province.specialist.user, request, submission.period)
    statuses = {r.submission.organization_id: r.status for r in board.rows}
    assert statuses == {province.commune_x.pk: "submitted", province.commune_y.pk: "pending"}


def test_submitting_needs_every_number_and_checks_the_bounds(province):
    request = make_request(province)
    submission = row(request, province.commune_x)
    with pytest.raises(ValidationError) as caught:
        services.submission_save(
            actor=province.clerk_x.user, submission=submission, values={"dang_vien_moi": 1}, submit=True
        )
    assert "Số đơn thư tiếp nhận" in caught.value.message_dict["values"][0]
    with pytest.raises(ValidationError) as caught:
        services.submission_save(
            actor=province.clerk_x.user, submission=submission, values={"dang_vien_moi": 501, "don_thu": "x"}
        )
    messages = " ".join(caught.value.message_dict["values"])
    assert "không được lớn hơn 500" in messages and "hãy nhập một số" in messages
    with pytest.raises(ValidationError) as caught:
        services.submission_save(actor=province.clerk_x.user, submission=submission, values={"khac": 1})
    assert "khac" in caught.value.message_dict["values"][0]
    submission.refresh_from_db()
    assert submission.state == SubmissionState.PENDING and not submission.values.exists()


def test_a_number_typed_the_vietnamese_way_is_read(province):
    request = make_request(province)
    submission = row(request, province.commune_x)
    services.submission_save(
        actor=province.clerk_x.user,
        submission=submission,
        values={"dang_vien_moi": "12,5", "don_thu": "1.234.567,5"},
    )
    values = {v.indicator.code: v.value for v in submission.values.all()}
    assert values == {"dang_vien_moi": Decimal("12.5"), "don_thu": Decimal("1234567.5")}
    services.submission_save(actor=province.clerk_x.user, submission=submission, values={"don_thu": "1 200"})
    assert submission.values.get(indicator__code="don_thu").value == 1200
    with pytest.raises(ValidationError):
        services.submission_save(
            actor=province.clerk_x.user, submission=submission, values={"don_thu": "1,2.3"}
        )


def test_a_report_sent_cannot_be_changed_until_returned_then_resubmitted(province):
    request = make_request(province)
    submission = row(request, province.commune_x)
    services.submission_save(actor=province.clerk_x.user, submission=submission, values=FULL, submit=True)
    with pytest.raises(services.SubmissionConflict):
        services.submission_save(actor=province.clerk_x.user, submission=submission, values={"don_thu": 1})
    # the neighbour's clerk and the commune may not return it; the requester's creator may
    with pytest.raises(PermissionDenied):
        services.submission_return(actor=province.clerk_x.user, submission=submission, reason="Sai số")
    with pytest.raises(ValidationError):
        services.submission_return(actor=province.specialist.user, submission=submission, reason=" ")
    services.submission_return(
        actor=province.specialist.user, submission=submission, reason="Số đơn thư chưa khớp sổ tiếp dân"
    )
    submission.refresh_from_db()
    assert submission.state == SubmissionState.RETURNED
    assert submission.returned_reason == "Số đơn thư chưa khớp sổ tiếp dân"
    assert submission.task.state == TaskState.IN_PROGRESS and submission.task.outcome == Outcome.OPEN
    board = selectors.board(province.chief.user, request, submission.period)
    assert {r.submission.pk: r.status for r in board.rows}[submission.pk] == "returned"
    # a draft keeps it returned; submitting again completes the task again
    services.submission_save(actor=province.clerk_x.user, submission=submission, values={"don_thu": 11})
    submission.refresh_from_db()
    assert submission.state == SubmissionState.RETURNED
    services.submission_save(actor=province.clerk_x.user, submission=submission, submit=True)
    submission.refresh_from_db()
    assert submission.state == SubmissionState.SUBMITTED
    assert submission.task.state == TaskState.COMPLETED
    with pytest.raises(ValidationError):
        services.submission_return(
            actor=province.chief.user, submission=row(request, province.commune_y), reason="x"
        )


def test_a_report_sent_after_the_due_date_is_late_and_a_missing_one_overdue(province):
    first_of_month = timezone.localdate().replace(day=1)
    start = (first_of_month - dt.timedelta(days=1)).replace(day=1) - dt.timedelta(days=1)
    # made two months ago: the period then current is long due
    request = make_request(province, today=start.replace(day=1))
    old = min(request.submissions.values_list("period", flat=True))
    late = row(request, province.commune_x, old)
    assert late.due_date < past(1)
    services.submission_save(actor=province.clerk_x.user, submission=late, values=FULL, submit=True)
    late.refresh_from_db()
    assert late.late and late.task.outcome == Outcome.LATE
    board = selectors.board(province.specialist.user, request, old)
    statuses = {r.submission.organization_id: r.status for r in board.rows}
    assert statuses == {province.commune_x.pk: "submitted_late", province.commune_y.pk: "overdue"}
    assert board.due_date == late.due_date


def test_a_draft_shows_as_draft_until_the_due_date(province):
    request = make_request(province)
    submission = row(request, province.commune_y)
    services.submission_save(
        actor=province.clerk_y.user, submission=submission, text={"Tình hình chung": "Đang soạn"}
    )
    board = selectors.board(province.specialist.user, request, submission.period)
    assert {r.submission.pk: r.status for r in board.rows}[submission.pk] == "draft"
    after_due = submission.due_date + dt.timedelta(days=1)
    board = selectors.board(province.specialist.user, request, submission.period, today=after_due)
    assert {r.submission.pk: r.status for r in board.rows}[submission.pk] == "overdue"


def test_a_recipient_sees_only_its_own_row_and_report(province):
    request = make_request(province)
    mine = row(request, province.commune_x)
    theirs = row(request, province.commune_y)
    board = selectors.board(province.clerk_x.user, request, mine.period)
    assert [r.submission.pk for r in board.rows] == [mine.pk]
    visible = set(selectors.submissions_visible_to(province.clerk_x.user).values_list("pk", flat=True))
    assert mine.pk in visible and theirs.pk not in visible
    assert selectors.requests_visible_to(province.clerk_y.user).filter(pk=request.pk).exists()
    with pytest.raises(PermissionDenied):
        services.submission_save(actor=province.clerk_y.user, submission=mine, values={"don_thu": 1})


def test_the_job_gives_the_coming_periods_once(province):
    request = make_request(province, today=timezone.localdate() - dt.timedelta(days=70))
    given = set(request.submissions.values_list("period", flat=True))
    open_keys = {p.key for p in periods.open_periods("monthly", 20, timezone.localdate(), _calendar())}
    assert not open_keys & given
    made = services.periods_ensure_all().made
    assert made == 2 * len(open_keys) == 4
    assert set(request.submissions.values_list("period", flat=True)) == given | open_keys
    assert services.periods_ensure_all().made == 0
    assert all(s.task_id for s in request.submissions.all())


def _submit(province, request, organization, period, values, clerk):
    submission = row(request, organization, period)
    services.submission_save(actor=clerk.user, submission=submission, values=values, text=TEXT, submit=True)
    return submission


def _request_with_history(province):
    """A monthly request made 13 months ago, with every period since given by the job."""
    today = timezone.localdate()
    start = today.replace(day=1) - dt.timedelta(days=400)
    request = make_request(province, today=start)
    day = start
    while day <= today:
        services.periods_ensure(request, today=day)
        day += dt.timedelta(days=28)
    return request


def test_aggregation_sums_by_organisation_and_compares(province):
    request = _request_with_history(province)
    keys = sorted(set(request.submissions.values_list("period", flat=True)))
    current = periods.parse("monthly", keys[-3])
    previous, last_year = current.previous().key, current.same_period_last_year().key
    assert previous in keys and last_year in keys
    x, y = province.commune_x, province.commune_y
    _submit(province, request, x, current.key, {"dang_vien_moi": 3, "don_thu": 10}, province.clerk_x)
    _submit(province, request, y, current.key, {"dang_vien_moi": 4, "don_thu": "2,5"}, province.clerk_y)
    _submit(province, request, x, previous, {"dang_vien_moi": 1, "don_thu": 4}, province.clerk_x)
    _submit(province, request, y, last_year, {"dang_vien_moi": 9, "don_thu": 0}, province.clerk_y)
    # a draft does not count
    services.submission_save(
        actor=province.clerk_y.user, submission=row(request, y, previous), values={"dang_vien_moi": 100}
    )
    result = selectors.aggregate(request, current.key)
    data = {i.indicator.code: i.as_json() for i in result.indicators}
    assert data["dang_vien_moi"]["total"] == 7
    assert data["dang_vien_moi"]["previous"] == 1
    assert data["dang_vien_moi"]["same_period_last_year"] == 9
    assert data["dang_vien_moi"]["by_organization"] == {str(x.pk): 3, str(y.pk): 4}
    assert data["don_thu"]["total"] == 12.5
    assert result.submitted == 2 and result.expected == 2


def test_the_summary_collects_the_sections_into_one_outgoing_draft(province):
    request = make_request(province)
    key = row(request, province.commune_x).period
    with pytest.raises(ValidationError):
        services.summary_draft(actor=province.specialist.user, request=request, period=key)
    _submit(province, request, province.commune_x, key, FULL, province.clerk_x)
    with pytest.raises(PermissionDenied):
        services.summary_draft(actor=province.clerk_x.user, request=request, period=key)
    document = services.summary_draft(actor=province.specialist.user, request=request, period=key)
    assert isinstance(document, Document) and document.doc_type == "BC"
    assert document.organization_id == province.committee.pk
    body = DraftVersion.objects.get(document=document, number=1).body
    assert "Đảng ủy xã An Phú: Ổn định." in body
    assert "Số đảng viên mới kết nạp: 3 người" in body and "II. TÌNH HÌNH CHUNG" in body
    with pytest.raises(services.SubmissionConflict):
        services.summary_draft(actor=province.specialist.user, request=request, period=key)


def test_the_daily_job_and_the_command_give_the_coming_periods(province):
    from django.core.management import call_command

    from vanphong.reporting.jobs import give_report_periods

    request = make_request(province, today=timezone.localdate() - dt.timedelta(days=70))
    before = request.submissions.count()
    result = give_report_periods()
    assert result["made"] == 4 and request.submissions.count() == before + 4
    call_command("give_report_periods")
    assert request.submissions.count() == before + 4
