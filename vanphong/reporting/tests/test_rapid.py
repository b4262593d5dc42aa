"""Rapid situation reporting (issue 13 §5): an urgent request (a storm) answered daily or every
few hours by the communes — its validation, the rows and tasks it gives (the day or slot under
way and the next; the hourly job the following ones), the slot's end as its deadline, ending a
request, the live board, the home page of the commune's văn thư."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from vanphong.audit.models import AuditEvent
from vanphong.reporting import periods, selectors, services
from vanphong.reporting.models import ReportRequest, ReportSubmission, SubmissionState
from vanphong.reporting.services import IndicatorSpec
from vanphong.tasks.models import Outcome, Priority, TaskState

STORM_INDICATORS = [
    IndicatorSpec("ho_so_tan", "Số hộ phải sơ tán", "hộ", Decimal(0), None),
    IndicatorSpec("nguoi_bi_thuong", "Số người bị thương", "người", Decimal(0), None),
    IndicatorSpec("nha_hu_hong", "Số nhà bị hư hỏng", "nhà", Decimal(0), None),
    IndicatorSpec("lua_ngap", "Diện tích lúa bị ngập", "ha", Decimal(0), None),
]


def make_rapid(province: Any, **kwargs: Any) -> ReportRequest:
    """An urgent request of the Tỉnh ủy to both communes, every 2 hours for 3 days."""
    today = timezone.localtime(kwargs.get("now") or timezone.now()).date()
    values: dict[str, Any] = {
        "actor": province.specialist.user,
        "organization": province.committee,
        "title": "Báo cáo nhanh tình hình mưa lũ do bão số 9",
        "frequency": "hourly",
        "interval_hours": 2,
        "urgent": True,
        "ends_on": today + dt.timedelta(days=3),
        "recipients": [province.commune_x, province.commune_y],
        "indicators": STORM_INDICATORS,
        "sections": ["Tình hình và công tác ứng phó"],
    }
    values.update(kwargs)
    return services.request_create(**values)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return periods.at(day, hour) + dt.timedelta(minutes=minute)


def today() -> dt.date:
    return timezone.localdate()


# --- Making a rapid request ------------------------------------------------------------------


def test_an_hourly_urgent_request_gives_the_slot_under_way_and_the_next_as_urgent_tasks(province):
    now = at(today(), 8, 30)  # 1 h 30 of the slot 08–10 remain: more than half
    request = make_rapid(province, now=now)
    assert request.urgent and request.interval_hours == 2 and request.starts_on == today()
    rows = list(request.submissions.order_by("period", "organization__path"))
    key = f"{today().isoformat()}T"
    assert sorted({r.period for r in rows}) == [key + "08", key + "10"]
    for r in rows:
        assert r.due_date == today()
        task = r.task
        assert task.priority == Priority.URGENT and task.due_date == today()
        assert task.title.startswith("Báo cáo nhanh ")
    first = next(r for r in rows if r.period.endswith("T08"))
    assert "08:00–10:00" in first.task.title
    assert "trước 10:00 ngày" in first.task.content


@pytest.mark.parametrize(("hour", "minute"), [(9, 1), (9, 30), (9, 59)])
def test_a_request_made_late_in_a_slot_starts_with_the_next_slot(province, hour, minute):
    request = make_rapid(province, now=at(today(), hour, minute))  # less than half of 08–10 remains
    key = f"{today().isoformat()}T"
    assert sorted(set(request.submissions.values_list("period", flat=True))) == [key + "10", key + "12"]
    # the job does not give the slot skipped afterwards: it is before the request's first one
    assert services.periods_ensure(request, now=at(today(), hour, minute)) == 0
    assert not request.submissions.filter(period=key + "08").exists()


def test_a_request_made_at_the_middle_of_a_slot_starts_with_it(province):
    request = make_rapid(province, now=at(today(), 9))  # exactly half of 08–10 remains
    key = f"{today().isoformat()}T"
    assert sorted(set(request.submissions.values_list("period", flat=True))) == [key + "08", key + "10"]


def test_a_period_s_task_content_is_built_once_for_all_recipients(province, monkeypatch):
    calls: list[str] = []
    real = services._task_content

    def counting(request: ReportRequest, key: str, due: dt.date) -> str:
        calls.append(key)
        return real(request, key, due)

    monkeypatch.setattr(services, "_task_content", counting)
    request = make_rapid(province, now=at(today(), 8, 30))
    assert request.submissions.count() == 4  # two recipients × two slots
    assert sorted(calls) == sorted({r.period for r in request.submissions.all()})
    row = request.submissions.get(organization=province.commune_y, period=f"{today().isoformat()}T08")
    assert "Số liệu: Số hộ phải sơ tán;" in row.task.content


def test_a_daily_request_is_due_on_the_day_itself_even_on_a_weekend(province):
    saturday = today() + dt.timedelta(days=(5 - today().weekday()) % 7 or 7)
    request = make_rapid(
        province,
        frequency="daily",
        interval_hours=None,
        starts_on=saturday,
        ends_on=saturday + dt.timedelta(days=10),
    )
    rows = list(request.submissions.order_by("period"))
    sunday = saturday + dt.timedelta(days=1)
    assert [r.period for r in rows[::2]] == [saturday.isoformat(), sunday.isoformat()]
    assert {r.due_date for r in rows} == {saturday, sunday}
    row = rows[0]
    assert row.task.due_date == saturday  # not moved to Monday
    assert selectors.due_in_force(row) == saturday
    assert selectors.board_status(row, today=saturday) == "pending"
    assert selectors.board_status(row, today=sunday) == "overdue"


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"interval_hours": 5}, "interval_hours", "1, 2, 3, 4, 6, 8 hoặc 12"),
        ({"interval_hours": None}, "interval_hours", "Số giờ"),
        ({"ends_on": None}, "ends_on", "ngày kết thúc"),
        ({"frequency": "daily", "interval_hours": None, "ends_on": None}, "ends_on", "90 ngày"),
        ({"ends_on": "+91"}, "ends_on", "90 ngày"),
        ({"starts_on": "-1"}, "starts_on", "trước hôm nay"),
        ({"starts_on": "+400", "ends_on": "+401"}, "starts_on", "một năm"),
        ({"starts_on": "+5", "ends_on": "+4"}, "ends_on", "trước ngày bắt đầu"),
        ({"frequency": "monthly", "due_day": 20}, "urgent", "một lần, hằng ngày hoặc theo giờ"),
        (
            {"indicators": [IndicatorSpec(f"c{n}", f"Chỉ tiêu {n}") for n in range(13)]},
            "indicators",
            "nhiều nhất 12",
        ),
        ({"sections": ["A", "B", "C", "D"]}, "sections", "nhiều nhất 3"),
    ],
)
def test_a_rapid_request_with_a_slip_is_refused_in_vietnamese(province, changes, field, words):
    for name in ("starts_on", "ends_on"):
        if isinstance(changes.get(name), str):
            changes = {**changes, name: today() + dt.timedelta(days=int(changes[name]))}
    with pytest.raises(ValidationError) as caught:
        make_rapid(province, **changes)
    assert field in caught.value.message_dict, caught.value.message_dict
    assert words in " ".join(caught.value.message_dict[field])
    assert not ReportSubmission.objects.exists()


def test_a_daily_request_not_urgent_may_run_without_an_end(province):
    request = make_rapid(province, frequency="daily", interval_hours=None, urgent=False, ends_on=None)
    assert request.ends_on is None
    assert {r.task.priority for r in request.submissions.all()} == {Priority.NORMAL}


def test_no_period_is_given_after_the_end(province):
    now = at(today(), 22, 10)
    request = make_rapid(province, now=now, ends_on=today())
    # 22:00–24:00 only: the next slot is tomorrow, after the end
    assert set(request.submissions.values_list("period", flat=True)) == {f"{today().isoformat()}T22"}
    assert services.periods_ensure(request, now=now + dt.timedelta(hours=2)) == 0


# --- Deadlines: the slot's end ---------------------------------------------------------------


def test_an_hourly_report_is_overdue_after_its_slot_and_late_when_sent_after_it(province):
    now = timezone.now()
    made = periods.slot_at(now - dt.timedelta(hours=3), 1).starts_at  # as its slot began
    request = make_rapid(province, interval_hours=1, now=made)
    first = min(request.submissions.values_list("period", flat=True))
    slot = selectors.request_period(request, first)
    assert slot.ends_at <= now - dt.timedelta(hours=2)
    x = request.submissions.get(organization=province.commune_x, period=first)
    y = request.submissions.get(organization=province.commune_y, period=first)
    assert selectors.board_status(x, now=slot.ends_at - dt.timedelta(minutes=1)) == "pending"
    assert selectors.board_status(x, now=slot.ends_at + dt.timedelta(minutes=1)) == "overdue"
    services.submission_save(
        actor=province.clerk_x.user,
        submission=x,
        values={"ho_so_tan": 12, "nguoi_bi_thuong": 0, "nha_hu_hong": 3, "lua_ngap": "4,5"},
        submit=True,
    )
    x.refresh_from_db()
    assert x.late and x.state == SubmissionState.SUBMITTED
    assert x.task.state == TaskState.COMPLETED
    board = selectors.board(province.specialist.user, request, first)
    statuses = {r.submission.organization_id: r.status for r in board.rows}
    assert statuses == {province.commune_x.pk: "submitted_late", province.commune_y.pk: "overdue"}
    assert board.due_at == slot.ends_at and board.due_date == slot.date
    assert selectors.board_status(y, now=now) == "overdue"


def test_an_hourly_report_sent_within_its_slot_is_on_time(province):
    slot = periods.slot_at(timezone.now(), 12)
    request = make_rapid(province, interval_hours=12, now=slot.starts_at)
    current = slot.key
    row = request.submissions.get(organization=province.commune_x, period=current)
    services.submission_save(
        actor=province.clerk_x.user,
        submission=row,
        values={"ho_so_tan": 1, "nguoi_bi_thuong": 0, "nha_hu_hong": 0, "lua_ngap": 0},
        submit=True,
    )
    row.refresh_from_db()
    assert not row.late and selectors.board_status(row) == "submitted"
    assert row.task.outcome == Outcome.ON_TIME


# --- The hourly job ----------------------------------------------------------------------------


def test_the_hourly_job_gives_each_next_slot_before_it_opens_and_backfills_what_it_missed(province):
    day = today()
    request = make_rapid(province, interval_hours=2, now=at(day, 7))
    key = f"{day.isoformat()}T"
    assert set(request.submissions.values_list("period", flat=True)) == {key + "06", key + "08"}
    # at 09:50 the slot 10–12 is given, ten minutes before it opens
    result = services.periods_ensure_all(now=at(day, 9, 50), rapid_only=True)
    assert result.made == 2 and result.failed == []
    assert request.submissions.filter(period=key + "10").count() == 2
    # the job did not run from 10:00 to 17:00: at 17:50 the slots 16 and 18 come, and the two
    # before them (12, 14) late; none before (the job looks back two slots)
    result = services.periods_ensure_all(now=at(day, 17, 50), rapid_only=True)
    assert result.made == 8
    keys = sorted(set(request.submissions.values_list("period", flat=True)))
    assert keys == [key + h for h in ("06", "08", "10", "12", "14", "16", "18")]
    assert services.periods_ensure_all(now=at(day, 17, 55), rapid_only=True).made == 0
    audit = AuditEvent.objects.filter(action="report_request.periods").order_by("-id").first()
    assert audit is not None and audit.after["made"] == 8


def test_the_hourly_job_leaves_calendar_requests_to_the_daily_one(province):
    from vanphong.reporting.jobs import give_rapid_report_periods
    from vanphong.reporting.tests.conftest import make_request

    monthly = make_request(province, today=today() - dt.timedelta(days=70))
    before = monthly.submissions.count()
    result = give_rapid_report_periods()
    assert result["failed"] == 0 and monthly.submissions.count() == before


def test_the_hourly_job_is_on_the_beat_schedule(settings):
    from vanphong.core.schedule import beat_schedule

    entry = beat_schedule()["give-rapid-report-periods"]
    assert entry["task"] == "vanphong.reporting.jobs.give_rapid_report_periods"
    assert entry["schedule"].minute == {50} and len(entry["schedule"].hour) == 24
    settings.VANPHONG_SCHEDULE_RAPID_REPORT_PERIODS = "*/20 * * * *"
    assert beat_schedule()["give-rapid-report-periods"]["schedule"].minute == {0, 20, 40}


# --- Ending a request --------------------------------------------------------------------------


def _storm_with_history(province):
    """Every hour since five hours ago; the job then ran now (so: the slots from 5 and 4
    hours ago, those from 2 and 1 hour ago backfilled, the one under way and the next)."""
    now = timezone.now()
    made = periods.slot_at(now - dt.timedelta(hours=5), 1).starts_at  # as its slot began
    request = make_rapid(province, interval_hours=1, now=made)
    services.periods_ensure(request, now=now)
    return request, now


def test_ending_a_request_withdraws_the_reports_not_yet_due_and_cancels_their_tasks(province):
    request, now = _storm_with_history(province)
    current = periods.slot_at(now, 1)
    upcoming = {current.key, current.next().key}
    assert request.submissions.filter(period__in=upcoming).count() == 4
    draft = request.submissions.get(organization=province.commune_x, period=current.key)
    services.submission_save(actor=province.clerk_x.user, submission=draft, values={"ho_so_tan": 4})
    tasks = {s.task_id for s in request.submissions.filter(period__in=upcoming)}
    overdue = set(request.submissions.exclude(period__in=upcoming).values_list("pk", flat=True))
    assert len(overdue) == 8
    with pytest.raises(PermissionDenied):  # a commune does not end the Tỉnh ủy's request
        services.request_close(actor=province.clerk_x.user, request=request, reason="Hết bão")
    with pytest.raises(ValidationError) as caught:
        services.request_close(actor=province.specialist.user, request=request, reason="  ")
    assert "lý do" in caught.value.message_dict["reason"][0]
    services.request_close(actor=province.specialist.user, request=request, reason="Bão đã tan.")
    request.refresh_from_db()
    assert not request.active and request.closed_at and request.closed_reason == "Bão đã tan."
    # withdrawn: the empty ones removed, the draft begun kept (read-only, without its task)
    assert list(request.submissions.filter(period__in=upcoming).values_list("pk", flat=True)) == [draft.pk]
    draft.refresh_from_db()
    assert draft.state == SubmissionState.DRAFT and draft.task_id is None
    assert [v.value for v in draft.values.all()] == [Decimal(4)]
    assert selectors.is_withdrawn(draft) and selectors.board_status(draft) == "withdrawn"
    assert draft.pk not in {r.pk for r in selectors.submissions_to_answer(province.clerk_x.user)}
    with pytest.raises(ValidationError) as caught:
        services.submission_save(actor=province.clerk_x.user, submission=draft, values={"ho_so_tan": 5})
    assert "đã được rút lại" in caught.value.message_dict["request"][0]
    assert [v.value for v in draft.values.all()] == [Decimal(4)]
    assert set(request.submissions.values_list("pk", flat=True)) == overdue | {
        draft.pk
    }  # owed before the end
    from vanphong.tasks.models import Task

    cancelled = Task.objects.filter(pk__in=tasks)
    assert {t.state for t in cancelled} == {TaskState.CANCELLED} and cancelled.count() == 4
    entry = AuditEvent.objects.get(action="report_request.close")
    assert len(entry.after["withdrawn"]) == 4 and entry.after["reason"] == "Bão đã tan."
    assert [w["kept"] for w in entry.after["withdrawn"]].count(True) == 1
    # no more periods; the reports owed before the end are still taken; none after it
    assert services.periods_ensure(request, now=now + dt.timedelta(hours=3)) == 0
    owed = request.submissions.filter(organization=province.commune_y).order_by("period").first()
    assert owed is not None and owed.pk in overdue
    services.submission_save(
        actor=province.clerk_y.user,
        submission=owed,
        values={"ho_so_tan": 1, "nguoi_bi_thuong": 0, "nha_hu_hong": 0, "lua_ngap": 0},
        submit=True,
    )
    with pytest.raises(ValidationError) as caught:
        services.find_submission(request, province.commune_x, current.next().key)
    assert "đã kết thúc lúc" in caught.value.message_dict["request"][0]
    with pytest.raises(ValidationError) as caught:
        services.request_close(actor=province.specialist.user, request=request, reason="Lần nữa")
    assert "đã kết thúc" in caught.value.message_dict["request"][0]


def test_a_leader_of_the_office_may_end_a_request_a_clerk_may_not(province):
    request = make_rapid(province)
    with pytest.raises(PermissionDenied):
        services.request_close(actor=province.clerk.user, request=request, reason="Hết bão")
    services.request_close(actor=province.chief.user, request=request, reason="Hết bão")
    assert not ReportRequest.objects.get(pk=request.pk).active


def test_ending_a_monthly_request_withdraws_the_coming_months(province):
    from vanphong.reporting.tests.conftest import make_request

    request = make_request(province)
    assert request.submissions.count() == 4
    services.request_close(actor=province.specialist.user, request=request, reason="Thôi yêu cầu")
    assert request.submissions.count() == 0
    assert services.periods_ensure_all().made == 0


# --- The live board ----------------------------------------------------------------------------


def test_the_live_board_of_a_day_slot_by_slot_with_the_latest_figures(province, monkeypatch):
    day = today()
    # sent at 09:20, after the 04–08 slot's end: late, whatever the hour the test runs
    monkeypatch.setattr(timezone, "now", lambda: at(day, 9, 20))
    request = make_rapid(province, interval_hours=4, now=at(day, 5))
    services.periods_ensure(request, now=at(day, 9))
    key = f"{day.isoformat()}T"
    sent = request.submissions.get(organization=province.commune_x, period=key + "04")
    services.submission_save(
        actor=province.clerk_x.user,
        submission=sent,
        values={"ho_so_tan": 120, "nguoi_bi_thuong": 2, "nha_hu_hong": 15, "lua_ngap": "30,5"},
        text={"Tình hình và công tác ứng phó": "Đã sơ tán 120 hộ."},
        submit=True,
    )
    draft = request.submissions.get(organization=province.commune_y, period=key + "08")
    services.submission_save(actor=province.clerk_y.user, submission=draft, values={"ho_so_tan": 999})
    live = selectors.live_board(province.specialist.user, request, day, now=at(day, 9, 30))
    assert [p.key for p in live.columns] == [key + h for h in ("00", "04", "08", "12", "16", "20")]
    assert live.focus.key == key + "08" and live.hourly
    rows = {r.organization.pk: r for r in live.rows}
    x = [(c.period.key[-2:], c.status) for c in rows[province.commune_x.pk].cells]
    y = [(c.period.key[-2:], c.status) for c in rows[province.commune_y.pk].cells]
    sent.refresh_from_db()
    assert sent.late
    assert x[:4] == [("00", None), ("04", "submitted_late"), ("08", "pending"), ("12", "pending")]
    assert y[:4] == [("00", None), ("04", "overdue"), ("08", "draft"), ("12", "pending")]
    assert [c.current for c in rows[province.commune_x.pk].cells] == [False, False, True, False, False, False]
    # the key figures: the first three indicators of the latest report sent; a draft is no figure
    assert [i.code for i in live.indicators] == ["ho_so_tan", "nguoi_bi_thuong", "nha_hu_hong"]
    assert [v for _, v in rows[province.commune_x.pk].figures] == [120, 2, 15]
    assert [v for _, v in rows[province.commune_y.pk].figures] == [None, None, None]
    assert [(t.total, t.count) for t in live.totals] == [(120, 1), (2, 1), (15, 1)]
    assert dict((s, n) for s, _, n in live.focus_counts) == {"pending": 1, "draft": 1}
    # a commune sees its own row only
    own = selectors.live_board(province.clerk_y.user, request, day, now=at(day, 9, 30))
    assert [r.organization.pk for r in own.rows] == [province.commune_y.pk]


def test_the_live_board_of_a_daily_request_is_one_column(province):
    request = make_rapid(province, frequency="daily", interval_hours=None)
    live = selectors.live_board(province.chief.user, request, today())
    assert [p.key for p in live.columns] == [today().isoformat()] and not live.hourly
    assert [c.status for r in live.rows for c in r.cells] == ["pending", "pending"]
    assert live.previous_day is None and live.next_day is None


# --- The home page of the commune's văn thư --------------------------------------------------


def test_an_urgent_report_due_today_is_on_the_communes_home_page(client, province, settings):
    from django.urls import reverse

    from vanphong.reporting.tests.conftest import make_request

    settings.VANPHONG_TOTP_REQUIRED = "none"
    make_request(province)  # a monthly report: not urgent, not in the group
    request = make_rapid(province, frequency="daily", interval_hours=None)
    row = request.submissions.get(organization=province.commune_x, period=today().isoformat())
    client.force_login(province.clerk_x.user)
    html = client.get(reverse("web:home")).content.decode()
    assert "Báo cáo nhanh khẩn phải gửi" in html
    assert reverse("reporting:submission", args=[row.pk]) in html and "KHẨN" in html
    services.submission_save(
        actor=province.clerk_x.user,
        submission=row,
        values={"ho_so_tan": 0, "nguoi_bi_thuong": 0, "nha_hu_hong": 0, "lua_ngap": 0},
        submit=True,
    )
    html = client.get(reverse("web:home")).content.decode()
    assert "Báo cáo nhanh khẩn phải gửi" not in html
    client.force_login(province.specialist.user)  # the requester side sends nothing
    assert "Báo cáo nhanh khẩn phải gửi" not in client.get(reverse("web:home")).content.decode()


# --- Ending a request: what survives is owed; a report saved while the request ends ----------


def _current_slot_request(province):
    """Every 12 hours, made as the slot under way began: its report is not due yet now."""
    slot = periods.slot_at(timezone.now(), 12)
    request = make_rapid(province, interval_hours=12, now=slot.starts_at)
    return request, request.submissions.get(organization=province.commune_x, period=slot.key)


FULL = {"ho_so_tan": 3, "nguoi_bi_thuong": 0, "nha_hu_hong": 1, "lua_ngap": 2}


def test_a_returned_report_not_yet_due_is_still_taken_after_the_end(province):
    request, row = _current_slot_request(province)
    services.submission_save(actor=province.clerk_x.user, submission=row, values=FULL, submit=True)
    services.submission_return(actor=province.specialist.user, submission=row, reason="Sai số hộ")
    services.request_close(actor=province.specialist.user, request=request, reason="Bão đã tan.")
    row = ReportSubmission.objects.get(pk=row.pk)  # kept: returned before the end
    assert row.state == SubmissionState.RETURNED and row.task.state == TaskState.IN_PROGRESS
    services.submission_save(
        actor=province.clerk_x.user, submission=row, values={**FULL, "ho_so_tan": 4}, submit=True
    )
    row.refresh_from_db()
    assert row.state == SubmissionState.SUBMITTED and row.task.state == TaskState.COMPLETED
    assert not row.late


def test_saving_a_report_the_end_just_withdrew_is_refused_in_vietnamese(province):
    request, row = _current_slot_request(province)
    stale = ReportSubmission.objects.select_related("request").get(pk=row.pk)  # the page, read before
    services.request_close(actor=province.specialist.user, request=request, reason="Bão đã tan.")
    assert not ReportSubmission.objects.filter(pk=row.pk).exists()
    for submit in (False, True):
        with pytest.raises(ValidationError) as caught:
            services.submission_save(
                actor=province.clerk_x.user, submission=stale, values=FULL, submit=submit
            )
        assert "không còn" in caught.value.message_dict["request"][0]
    with pytest.raises(ValidationError) as caught:
        services.submission_return(actor=province.specialist.user, submission=stale, reason="Sai")
    assert "không còn" in caught.value.message_dict["request"][0]


def test_a_kept_draft_is_not_edited_from_a_page_read_before_the_end(province):
    request, row = _current_slot_request(province)
    services.submission_save(
        actor=province.clerk_x.user, submission=row, text={"Tình hình và công tác ứng phó": "Mưa to"}
    )
    stale = ReportSubmission.objects.select_related("request").get(pk=row.pk)
    assert stale.request.closed_at is None
    services.request_close(actor=province.specialist.user, request=request, reason="Bão đã tan.")
    with pytest.raises(ValidationError) as caught:
        services.submission_save(actor=province.clerk_x.user, submission=stale, values=FULL, submit=True)
    assert "đã được rút lại" in caught.value.message_dict["request"][0]
    row.refresh_from_db()
    assert row.state == SubmissionState.DRAFT and row.text == {"Tình hình và công tác ứng phó": "Mưa to"}
    assert not row.values.exists()


# --- After a return: the requester reads what was sent, never the corrections being drafted --


def test_the_live_board_totals_count_sent_reports_only_and_corrections_stay_the_recipients(province):
    request, row = _current_slot_request(province)
    services.submission_save(actor=province.clerk_x.user, submission=row, values=FULL, submit=True)
    day = timezone.localdate()
    live = selectors.live_board(province.specialist.user, request, day)
    assert [(t.total, t.count) for t in live.totals] == [(3, 1), (0, 1), (1, 1)]
    services.submission_return(actor=province.specialist.user, submission=row, reason="Sai số hộ")
    row = ReportSubmission.objects.get(pk=row.pk)
    # just returned: the requester still reads what was sent
    assert selectors.contents_visible(province.specialist.user, row)
    services.submission_save(actor=province.clerk_x.user, submission=row, values={"ho_so_tan": 999})
    row = ReportSubmission.objects.get(pk=row.pk)
    assert row.state == SubmissionState.RETURNED
    assert not selectors.contents_visible(province.specialist.user, row)
    assert selectors.contents_visible(province.clerk_x.user, row)
    live = selectors.live_board(province.specialist.user, request, day)
    figures = {r.organization.pk: [v for _, v in r.figures] for r in live.rows}
    assert figures[province.commune_x.pk] == [None, None, None]
    assert [(t.total, t.count) for t in live.totals] == [(None, 0), (None, 0), (None, 0)]
