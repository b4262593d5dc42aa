"""The demo's reporting year (``vanphong.demo.reporting``) on a small province: two requests, a
year of reports with some late, missing and returned, and this period's still to send."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from vanphong.demo.reporting import seed_reporting, summary
from vanphong.orgs.models import Role
from vanphong.orgs.tests.factories import make_actor
from vanphong.reporting import selectors
from vanphong.reporting.models import ReportRequest, ReportSubmission, SubmissionState
from vanphong.tasks.models import Outcome, SourceKind, Task


def test_the_demo_year_of_reports(province):
    make_actor("chuyenvien", province.office, Role.CHUYEN_VIEN)
    make_actor("chanhvp", province.office, Role.LANH_DAO_VAN_PHONG)
    make_actor("vanthu.anphu", province.commune_x, Role.VAN_THU)
    make_actor("vanthu.binhminh", province.commune_y, Role.VAN_THU)
    today = timezone.localdate()
    counts = seed_reporting(today=today)
    assert counts["requests"] == ReportRequest.objects.count() == 2
    monthly = ReportRequest.objects.get(frequency="monthly")
    periods = set(monthly.submissions.values_list("period", flat=True))
    assert len(periods) >= 13  # a year back and the coming periods
    reports = ReportSubmission.objects.all()
    assert counts["reports"] == reports.count()
    assert counts["on_time"] and counts["late"] and counts["missing"]
    # late reports are late for the engine too, and sent on their day
    for s in reports.filter(state=SubmissionState.SUBMITTED):
        assert s.task.outcome == (Outcome.LATE if s.late else Outcome.ON_TIME)
        assert s.submitted_at.date() <= today
        assert s.late == (timezone.localtime(s.submitted_at).date() > s.due_date)
    # this period is still open: the clerks' tasks are open, due ahead
    coming = reports.filter(due_date__gte=today)
    assert coming.exists() and not coming.filter(state=SubmissionState.SUBMITTED).exists()
    assert all(s.task.outcome == Outcome.OPEN for s in coming)
    assert Task.objects.filter(
        source_kind=SourceKind.REPORT_REQUEST, lead_organization=province.commune_x
    ).exists()
    past = reports.filter(due_date__lt=today - dt.timedelta(days=1)).exclude(state=SubmissionState.SUBMITTED)
    statuses = {selectors.board_status(s, today) for s in past}
    assert statuses <= {"overdue", "returned"} and "overdue" in statuses
    assert "yêu cầu báo cáo" in summary(counts)
