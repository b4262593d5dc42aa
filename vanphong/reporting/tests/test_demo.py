"""The demo's reporting year (``vanphong.demo.reporting``) on a small province: two requests, a
year of reports with some late, missing and returned, and this period's still to send; and the
storm's urgent request, answered every four hours since yesterday."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from vanphong.demo.reporting import seed_reporting, summary
from vanphong.orgs.models import Role
from vanphong.orgs.tests.factories import make_actor
from vanphong.reporting import periods, selectors
from vanphong.reporting.models import ReportRequest, ReportSubmission, SubmissionState
from vanphong.tasks.models import Outcome, SourceKind, Task


def test_the_demo_year_of_reports(province):
    make_actor("chuyenvien", province.office, Role.CHUYEN_VIEN)
    make_actor("chanhvp", province.office, Role.LANH_DAO_VAN_PHONG)
    make_actor("vanthu.anphu", province.commune_x, Role.VAN_THU)
    make_actor("vanthu.binhminh", province.commune_y, Role.VAN_THU)
    today = timezone.localdate()
    now = timezone.now()
    counts = seed_reporting(today=today, now=now)
    assert counts["requests"] == ReportRequest.objects.count() == 3
    monthly = ReportRequest.objects.get(frequency="monthly")
    keys = set(monthly.submissions.values_list("period", flat=True))
    assert len(keys) >= 13  # a year back and the coming periods
    reports = ReportSubmission.objects.filter(request__urgent=False)
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
    assert "yêu cầu báo cáo" in summary(counts) and "bão số 9" in summary(counts)


def test_the_demo_storm_is_answered_every_four_hours(province):
    make_actor("chuyenvien", province.office, Role.CHUYEN_VIEN)
    make_actor("vanthu.anphu", province.commune_x, Role.VAN_THU)
    make_actor("vanthu.binhminh", province.commune_y, Role.VAN_THU)
    make_actor("chanhvp", province.office, Role.LANH_DAO_VAN_PHONG)
    now = timezone.now()
    counts = seed_reporting(now=now)
    storm = ReportRequest.objects.get(urgent=True)
    assert storm.frequency == "hourly" and storm.interval_hours == 4 and storm.active
    rows = list(storm.submissions.all())
    first = periods.slot_at(timezone.localtime(storm.created_at), 4)
    current = periods.slot_at(now, 4)
    keys = {r.period for r in rows}
    # every slot since it was made, the one under way and the next, for both communes
    expected, slot = set(), first
    while slot <= current.next():
        expected.add(slot.key)
        slot = slot.next()
    assert keys == expected and len(rows) == 2 * len(expected)
    sent = [r for r in rows if r.state == SubmissionState.SUBMITTED]
    assert len(sent) == counts["storm_reports"] > 0
    for r in sent:
        slot = periods.parse("hourly", r.period, hours=4)
        assert r.submitted_at <= now and r.late == (r.submitted_at > slot.ends_at)
        assert r.submitted_at >= slot.starts_at
    assert not any(r.state == SubmissionState.SUBMITTED for r in rows if r.period == current.next().key)
    statuses = {selectors.board_status(r, now=now) for r in rows}
    assert {"submitted", "pending"} <= statuses
