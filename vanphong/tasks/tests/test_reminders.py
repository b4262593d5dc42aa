"""Reminders and escalation: when they go (working days, a holiday in the way), to whom,
once only (a second run, two workers at once), and never after the task is done."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection, connections

from vanphong.notifications.models import Notification
from vanphong.orgs.models import Classification, Role, RoleAssignment
from vanphong.orgs.tests.factories import RoleAssignmentFactory, UnitFactory, make_actor
from vanphong.tasks import jobs, services
from vanphong.tasks.access import visible_tasks
from vanphong.tasks.calendar import WorkCalendar
from vanphong.tasks.models import CalendarDay, ReminderKind, ReminderLog
from vanphong.tasks.reminders import Recipients, send_reminders
from vanphong.tasks.services import TaskSource
from vanphong.tasks.services.access_rows import task_access_rebuild
from vanphong.tasks.tests.factories import TaskFactory, give_task

D = dt.date
# Tuesday 30/4 and Wednesday 1/5/2024 are holidays; the weekend is Saturday and Sunday.
HOLIDAYS = [D(2024, 4, 30), D(2024, 5, 1)]
CAL = WorkCalendar.of(holidays=HOLIDAYS)
DUE = D(2024, 4, 30)  # on the holiday: the working-day due date is Thursday 2/5
ASSIGNED = D(2024, 4, 1)

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


@pytest.fixture
def people(province):
    """The commune's head (Bí thư) besides the fixture's people; addresses for e-mail."""
    head_x = make_actor("head_x", province.commune_x, Role.LANH_DAO_CAP_UY)
    for person, email in ((head_x, "head_x@example.vn"), (province.chief, "chief@example.vn")):
        person.email = email
        person.save(update_fields=["email"])
    province.clerk_x.email = "clerk_x@example.vn"
    province.clerk_x.save(update_fields=["email"])
    return province, head_x


def give(province, *, lead=None, due=DUE, classification=None, title="Báo cáo kết quả chuyển đổi số"):
    return TaskFactory(
        province=province,
        actor=province.chief,
        title=title,
        lead=lead or province.clerk_x,
        due_date=due,
        assigned_on=ASSIGNED,
        classification=classification,
        calendar=CAL,
    )


def received(person, **filters):
    return list(
        Notification.objects.filter(recipient=person, kind__startswith="task.", **filters)
        .exclude(kind="task.created")
        .order_by("id")
        .values_list("kind", flat=True)
    )


def days(start, end):
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


# --- When ------------------------------------------------------------------------------------------


def test_reminders_follow_the_working_days_around_a_holiday(people):
    province, head_x = people
    task = give(province)
    assert task.effective_due == D(2024, 5, 2)
    log: dict[dt.date, list[tuple[str, str]]] = {}
    for day in days(D(2024, 4, 22), D(2024, 5, 17)):
        report = send_reminders(day, calendar=CAL)
        assert report.skipped == (not CAL.is_working_day(day))
        sent = (
            ReminderLog.objects.filter(day=day)
            .order_by("person__user__username")
            .values_list("person__user__username", "kind")
        )
        if sent:
            log[day] = list(sent)
    assert log == {
        D(2024, 4, 25): [("clerk_x", "before")],  # 3 working days before: 29/4, 2/5 ... and 25/4
        D(2024, 4, 29): [("clerk_x", "before")],  # 1 working day before (30/4, 1/5 are off)
        D(2024, 5, 2): [("clerk_x", "due")],
        D(2024, 5, 3): [("clerk_x", "overdue"), ("head_x", "escalate_head")],  # 1 working day late
        D(2024, 5, 9): [("chief", "escalate_office"), ("specialist", "escalate_office")],  # 5 late
        D(2024, 5, 10): [("clerk_x", "overdue")],  # 6 late: 1 + 5
        D(2024, 5, 17): [("clerk_x", "overdue")],  # 11 late
    }
    titles = list(Notification.objects.filter(recipient=province.clerk_x).values_list("title", flat=True))
    assert "Còn 3 ngày làm việc đến hạn: Báo cáo kết quả chuyển đổi số" in titles
    assert "Hôm nay đến hạn: Báo cáo kết quả chuyển đổi số" in titles
    assert "Quá hạn 6 ngày làm việc: Báo cáo kết quả chuyển đổi số" in titles
    body = Notification.objects.filter(recipient=province.clerk_x).first().body
    assert "30/04/2024 (trùng ngày nghỉ, tính đến 02/05/2024)" in body
    url = Notification.objects.filter(recipient=province.clerk_x).first().url
    assert url.endswith(f"/{task.pk}/")


def test_nothing_is_sent_on_a_day_off(people):
    province, _ = people
    give(province, due=D(2024, 5, 1))  # effective 2/5
    for day in (D(2024, 4, 27), D(2024, 4, 30), D(2024, 5, 1)):  # Saturday, two holidays
        assert send_reminders(day, calendar=CAL).skipped
    assert not Notification.objects.exists()


def test_the_before_days_come_from_the_settings(people, settings):
    province, _ = people
    settings.VANPHONG_TASK_REMIND_BEFORE_DAYS = [2]
    give(province)
    sent = [d for d in days(D(2024, 4, 22), D(2024, 5, 2)) if send_reminders(d, calendar=CAL).total]
    assert sent == [D(2024, 4, 26), D(2024, 5, 2)]  # 2 working days before 2/5 is Friday 26/4


# --- Once only -------------------------------------------------------------------------------------


def test_running_the_job_twice_sends_once(people, django_capture_on_commit_callbacks):
    province, head_x = people
    give(province)
    give(province, title="Tổng kết công tác dân vận")
    escalation_day = D(2024, 5, 3)
    with django_capture_on_commit_callbacks(execute=True):
        first = send_reminders(escalation_day, calendar=CAL)
    notifications, outbox = Notification.objects.count(), len(mail.outbox)
    assert first.total == 4 and notifications == 4
    assert outbox == 2  # the escalations to the head are e-mailed at once; reminders wait
    assert {m.to[0] for m in mail.outbox} == {"head_x@example.vn"}
    assert "quá hạn 1 ngày làm việc" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        second = send_reminders(escalation_day, calendar=CAL)
    assert second.total == 0 and second.already == 4
    assert Notification.objects.count() == notifications
    assert len(mail.outbox) == outbox


def test_the_job_entry_point_runs_once_a_day(people, django_capture_on_commit_callbacks):
    province, _ = people
    CalendarDay.objects.get_or_create(date=D(2024, 4, 30), defaults={"name": "Ngày Chiến thắng"})
    CalendarDay.objects.get_or_create(date=D(2024, 5, 1), defaults={"name": "Quốc tế Lao động"})
    give(province)
    assert jobs.send_task_reminders.delay("2024-05-02").get()["sent"]["due"] == 1
    assert jobs.send_task_reminders.delay("2024-05-02").get()["already"] == 1
    assert jobs.send_task_reminders.delay("2024-05-01").get()["skipped"] is True
    assert received(province.clerk_x) == ["task.remind_due"]


@on_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_reminder_once(people):
    province, _ = people
    for n in range(12):
        give(province, title=f"Nhiệm vụ {n}")
    barrier = threading.Barrier(2)
    reports, errors = [], []

    def worker():
        try:
            barrier.wait(timeout=10)
            reports.append(send_reminders(D(2024, 5, 3), calendar=CAL))
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert sum(r.total for r in reports) == 24  # 12 overdue to clerk_x, 12 escalations to head_x
    assert sum(r.already for r in reports) == 24
    assert Notification.objects.filter(kind="task.remind_overdue").count() == 12
    assert Notification.objects.filter(kind="task.escalate_head").count() == 12
    assert ReminderLog.objects.count() == 24


# --- Escalation -----------------------------------------------------------------------------------


def test_escalation_thresholds_come_from_the_settings(people, settings):
    province, head_x = people
    settings.VANPHONG_TASK_ESCALATE_HEAD_DAYS = 2
    settings.VANPHONG_TASK_ESCALATE_OFFICE_DAYS = 3
    give(province)
    heads = {
        d
        for d in days(D(2024, 5, 3), D(2024, 5, 20))
        if send_reminders(d, calendar=CAL).sent["escalate_head"]
    }
    assert heads == {D(2024, 5, 6)}  # 2 working days after Thursday 2/5
    office = set(ReminderLog.objects.filter(kind=ReminderKind.ESCALATE_OFFICE).values_list("day", flat=True))
    assert office == {D(2024, 5, 7)}
    assert set(
        ReminderLog.objects.filter(kind=ReminderKind.ESCALATE_OFFICE).values_list(
            "person__user__username", flat=True
        )
    ) == {"chief", "specialist"}


def test_a_missed_escalation_is_caught_up_within_the_window_only(people):
    province, head_x = people
    give(province)
    # The job did not run on 3/5 (1 working day late): the next run escalates.
    assert send_reminders(D(2024, 5, 6), calendar=CAL).sent["escalate_head"] == 1
    assert send_reminders(D(2024, 5, 7), calendar=CAL).sent["escalate_head"] == 0
    late = give(province, title="Việc bị bỏ sót", due=D(2024, 4, 10))  # 15 working days late on 2/5
    assert send_reminders(D(2024, 5, 2), calendar=CAL).sent["escalate_head"] == 0
    assert not ReminderLog.objects.filter(task=late, kind=ReminderKind.ESCALATE_HEAD).exists()


def test_an_extended_task_that_is_late_again_escalates_again(people):
    province, head_x = people
    task = give(province)
    send_reminders(D(2024, 5, 3), calendar=CAL)
    request = services.extension_request(
        actor=province.clerk_x.user, task=task, new_due_date=D(2024, 5, 10), reason="Chờ số liệu"
    )
    services.extension_decide(actor=province.chief.user, request=request, approve=True, calendar=CAL)
    send_reminders(D(2024, 5, 10), calendar=CAL)
    send_reminders(D(2024, 5, 13), calendar=CAL)
    assert received(head_x) == ["task.escalate_head", "task.escalate_head"]
    assert received(province.clerk_x) == ["task.remind_overdue", "task.remind_due", "task.remind_overdue"]


def test_the_head_of_the_lead_unit_is_told_before_the_organisations(people):
    province, head_x = people
    unit = UnitFactory(organization=province.commune_x, name="Ban Tuyên giáo")
    unit_head = make_actor("unit_head", province.commune_x, Role.LANH_DAO_PHONG)
    RoleAssignment.objects.filter(person=unit_head).update(unit=unit)
    worker = make_actor("worker", province.commune_x, Role.CHUYEN_VIEN)
    worker.unit = unit
    worker.save(update_fields=["unit"])
    give(province, lead=unit)
    send_reminders(D(2024, 5, 3), calendar=CAL)
    assert received(worker) == ["task.remind_overdue"]
    assert received(unit_head) == ["task.escalate_head"]  # head of the unit, once (not also reminded)
    assert received(head_x) == []
    assert received(province.clerk_x) == []  # the commune's văn thư: not of that unit


def test_without_a_vanphong_the_givers_leaders_are_told(people):
    province, head_x = people
    make_actor("commune_y_head", province.commune_y, Role.LANH_DAO_CAP_UY)
    give_task(
        actor=head_x.user,
        organization=province.commune_x,
        title="Rà soát đảng viên",
        lead=province.clerk_x,
        due_date=DUE,
        assigned_on=ASSIGNED,
        calendar=CAL,
    )
    send_reminders(D(2024, 5, 9), calendar=CAL)  # 5 working days late
    assert received(head_x) == ["task.escalate_office"]  # the commune's own leader
    assert received(province.chief) == []


def test_a_classified_task_reaches_only_those_who_may_see_it(people):
    province, head_x = people
    head_x.clearance = Classification.MAT
    head_x.save(update_fields=["clearance"])
    clerk_x = province.clerk_x
    clerk_x.clearance = Classification.MAT  # cleared when named lead (the party rule) ...
    clerk_x.save(update_fields=["clearance"])
    task = give(province, classification=Classification.MAT)
    clerk_x.clearance = Classification.NONE  # ... withdrawn since
    clerk_x.save(update_fields=["clearance"])
    send_reminders(D(2024, 5, 3), calendar=CAL)
    send_reminders(D(2024, 5, 9), calendar=CAL)
    told = set(ReminderLog.objects.values_list("person__user__username", flat=True))
    assert told == {"head_x", "chief"}  # clerk_x (uncleared) and specialist (not a keeper) are not
    for username in told:
        person = ReminderLog.objects.filter(person__user__username=username).first().person
        assert visible_tasks(person.user).filter(pk=task.pk).exists()
    assert not visible_tasks(province.specialist.user).filter(pk=task.pk).exists()


def test_people_who_left_are_not_reminded(people):
    province, head_x = people
    RoleAssignment.objects.filter(person=head_x).update(ends_on=D(2020, 1, 1), starts_on=D(2019, 1, 1))
    give(province)
    send_reminders(D(2024, 5, 3), calendar=CAL)
    assert received(head_x) == []


def test_a_delegate_holds_the_heads_place(people):
    from django.utils import timezone

    from vanphong.orgs.models import Delegation

    province, head_x = people
    deputy = make_actor("deputy", province.commune_x, Role.CHUYEN_VIEN)
    Delegation.objects.create(
        role_assignment=RoleAssignment.objects.get(person=head_x),
        delegate=deputy,
        starts_at=timezone.now() - dt.timedelta(days=1),
        ends_at=timezone.now() + dt.timedelta(days=1),
        reason="Đi học",
        created_by=head_x,
    )
    give(province)
    send_reminders(D(2024, 5, 3), calendar=CAL)
    assert received(deputy) == ["task.escalate_head"]


# --- They stop -------------------------------------------------------------------------------------


def test_no_reminders_after_completion(people):
    province, _ = people
    task = give(province, due=D(2024, 5, 2))
    services.task_complete(actor=province.clerk_x.user, task=task, text="Đã gửi báo cáo")
    for day in days(D(2024, 4, 25), D(2024, 5, 17)):
        send_reminders(day, calendar=CAL)
    assert not Notification.objects.exists()


def test_no_reminders_after_cancellation_and_they_resume_when_returned(people):
    province, _ = people
    cancelled = give(province, title="Bị hủy")
    services.task_cancel(actor=province.chief.user, task=cancelled, reason="Không còn cần thiết")
    returned = give(province, title="Bị trả lại")
    services.task_complete(actor=province.clerk_x.user, task=returned, text="Xong")
    send_reminders(D(2024, 5, 2), calendar=CAL)
    assert not Notification.objects.exists()
    services.task_return(actor=province.chief.user, task=returned, reason="Thiếu số liệu")
    send_reminders(D(2024, 5, 3), calendar=CAL)
    assert list(Notification.objects.values_list("title", flat=True).order_by("id")) == [
        "Quá hạn 1 ngày làm việc: Bị trả lại",
        "Báo lãnh đạo đơn vị chủ trì — nhiệm vụ quá hạn 1 ngày làm việc: Bị trả lại",
    ]


# --- Who the assignees are -------------------------------------------------------------------------


def test_an_organisation_lead_means_its_van_thu_and_its_leaders(people):
    province, head_x = people
    make_actor("worker_x", province.commune_x, Role.CHUYEN_VIEN)
    task = give(province, lead=province.commune_x)
    ids = Recipients().assignees(task)
    assert ids == sorted([province.clerk_x.pk, head_x.pk])


def test_a_unit_with_nobody_falls_back_to_the_organisation(people):
    province, head_x = people
    unit = UnitFactory(organization=province.commune_x, name="Ban trống")
    task = give(province, lead=unit)
    assert Recipients().assignees(task) == sorted([province.clerk_x.pk, head_x.pk])


def test_a_classified_task_of_a_unit_nobody_there_may_see_goes_to_the_organisations_keepers(people):
    province, head_x = people
    unit = UnitFactory(organization=province.commune_x, name="Ban Tuyên giáo")
    worker = make_actor("worker_u", province.commune_x, Role.CHUYEN_VIEN, clearance=Classification.MAT)
    RoleAssignment.objects.filter(person=worker).update(unit=unit)
    for person in (head_x, province.clerk_x):
        person.clearance = Classification.MAT
        person.save(update_fields=["clearance"])
    task = give(province, lead=unit, classification=Classification.MAT)
    # The unit's chuyên viên is cleared but neither keeps the books nor is named: not them.
    assert Recipients().assignees(task) == sorted([province.clerk_x.pk, head_x.pk])


def test_a_person_holding_two_roles_there_is_counted_once(people):
    province, head_x = people
    RoleAssignmentFactory(person=head_x, organization=province.commune_x, role=Role.VAN_THU)
    task = give(province, lead=province.commune_x)
    assert Recipients().assignees(task) == sorted([province.clerk_x.pk, head_x.pk])


# --- Jobs and their schedule --------------------------------------------------------------------------


def test_the_task_jobs_are_registered_and_scheduled(settings):
    from celery.schedules import crontab

    from config.celery import app
    from vanphong.core.schedule import beat_schedule

    app.loader.import_default_modules()
    schedule = beat_schedule()
    expected = {
        "generate-recurring-tasks": ("vanphong.tasks.jobs.generate_recurring_tasks", crontab("30", "0")),
        "send-daily-digests": ("vanphong.tasks.jobs.send_daily_digests", crontab("0", "7")),
        "send-task-reminders": ("vanphong.tasks.jobs.send_task_reminders", crontab("30", "6")),
    }
    for key, (name, cron) in expected.items():
        assert schedule[key]["task"] == name
        assert name in app.tasks
        assert schedule[key]["schedule"] == cron
        assert schedule[key]["options"]["expires"] > 0
    assert "vanphong.notifications.jobs.email_notification" in app.tasks
    settings.VANPHONG_SCHEDULE_TASK_REMINDERS = "15 7 * * 1-6"
    assert beat_schedule()["send-task-reminders"]["schedule"] == crontab("15", "7", day_of_week="1-6")


@pytest.mark.parametrize(
    "name",
    [
        "VANPHONG_SCHEDULE_TASK_REMINDERS",
        "VANPHONG_SCHEDULE_DAILY_DIGEST",
        "VANPHONG_SCHEDULE_RECURRING_TASKS",
    ],
)
def test_a_bad_cron_string_for_a_task_job_is_refused(settings, name):
    from django.core.exceptions import ImproperlyConfigured

    from vanphong.core.schedule import beat_schedule

    setattr(settings, name, "7 every morning")
    with pytest.raises(ImproperlyConfigured, match=name):
        beat_schedule()


def test_the_recurring_job_makes_the_occurrences_within_the_horizon(people, settings):
    from django.utils import timezone

    from vanphong.tasks.models import Frequency, Task

    province, _ = people
    settings.VANPHONG_TASK_SERIES_HORIZON_DAYS = 100
    today = timezone.localdate()
    series = services.series_create(
        actor=province.chief.user,
        frequency=Frequency.MONTHLY,
        day_of_month=20,
        starts_on=today,
        organization=province.committee,
        title="Báo cáo tháng",
        lead=province.clerk_x,
    )
    first = Task.objects.get(series=series).due_date
    result = jobs.generate_recurring_tasks.delay(today.isoformat()).get()
    dues = list(Task.objects.filter(series=series).order_by("due_date").values_list("due_date", flat=True))
    assert result["made"] == len(dues) - 1 >= 2  # 100 days hold at least two more 20ths
    assert dues[0] == first and all(d.day == 20 for d in dues)
    assert dues[-1] <= today + dt.timedelta(days=100)
    assert jobs.generate_recurring_tasks.delay(today.isoformat()).get()["made"] == 0


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("VANPHONG_TASK_REMIND_BEFORE_DAYS", "3,tomorrow", "VANPHONG_TASK_REMIND_BEFORE_DAYS is a list"),
        ("VANPHONG_TASK_REMIND_BEFORE_DAYS", "3,0", "of at least 1"),
        ("VANPHONG_TASK_ESCALATE_OFFICE_DAYS", "0", "VANPHONG_TASK_ESCALATE_OFFICE_DAYS must be at least 1"),
        (
            "VANPHONG_SCHEDULE_TASK_REMINDERS",
            "0 25 * * *",
            "VANPHONG_SCHEDULE_TASK_REMINDERS is not a valid cron",
        ),
    ],
)
def test_a_bad_reminder_setting_stops_the_start(tmp_path, name, value, message):
    from vanphong.core.tests.test_settings import production_env, vanphong

    result = vanphong("check", env=production_env(tmp_path, **{name: value}))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_batches_cover_every_task_due_the_same_day(people):
    from vanphong.tasks.reminders import digest_sections

    province, head_x = people
    for n in range(5):
        give(province, title=f"Việc {n}")
    report = send_reminders(D(2024, 5, 3), calendar=CAL, chunk=2)
    assert report.tasks == 5 and report.sent["overdue"] == 5 and report.sent["escalate_head"] == 5
    give(province, title="Việc sắp đến hạn", due=D(2024, 5, 7))
    sections = digest_sections(D(2024, 5, 3), calendar=CAL)
    overdue, soon = sections[province.clerk_x.pk]
    assert (overdue.total, soon.total) == (5, 1)
    assert [i.label for i in overdue.items] == [f"Việc {n}" for n in range(5)]
    assert overdue.items[0].note == "quá hạn 1 ngày làm việc, hạn 02/05/2024"
    assert head_x.pk not in sections  # the head is told by escalation, not listed as an assignee


# --- Classified tasks by e-mail ----------------------------------------------------------------------

SECRET_TITLE = "Phương án bảo vệ mục tiêu trọng yếu"
SECRET_CONTENT = "Bố trí lực lượng tại kho K15"
SECRET_SOURCE = "Công văn mật số 15-CV/TU"


def emails_text(messages):
    """Everything a mail client shows of ``messages``: subject, text and HTML bodies."""
    return [
        " ".join([m.subject, m.body, *(content for content, _mime in getattr(m, "alternatives", []))])
        for m in messages
    ]


def test_a_classified_task_is_never_named_in_an_email(people, settings, django_capture_on_commit_callbacks):
    from vanphong.notifications.services import send_digests

    settings.VANPHONG_SITE_URL = "https://vp.example.vn"
    province, head_x = people
    head_x.clearance = Classification.MAT
    head_x.save(update_fields=["clearance"])
    with django_capture_on_commit_callbacks(execute=True):
        task = give_task(
            actor=province.chief.user,
            organization=province.committee,
            title=SECRET_TITLE,
            content=SECRET_CONTENT,
            source=TaskSource(label=SECRET_SOURCE),
            lead=province.commune_x,
            issued_by=province.leader,
            due_date=DUE,
            assigned_on=ASSIGNED,
            classification=Classification.MAT,
            calendar=CAL,
        )
    # In the application (behind sign-in, to a cleared recipient) the notification names it.
    created = Notification.objects.get(recipient=head_x, kind="task.created")
    assert SECRET_TITLE in created.title and SECRET_CONTENT in created.body
    assert created.classification == Classification.MAT
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(D(2024, 5, 3), calendar=CAL)  # 1 working day late: the head (head_x)
        send_reminders(D(2024, 5, 9), calendar=CAL)  # 5 late: the Văn phòng (chief)
    immediate = list(mail.outbox)
    assert sorted(m.to[0] for m in immediate) == ["chief@example.vn", "head_x@example.vn"]
    assert send_digests(D(2024, 5, 9)).sent == 1  # head_x: the new task and the overdue list
    digest = mail.outbox[len(immediate) :]
    assert [m.to[0] for m in digest] == ["head_x@example.vn"]

    neutral = "Có nhiệm vụ mật cần xử lý (hạn 30/04/2024), xem trên hệ thống"
    link = f"https://vp.example.vn/nhiem-vu/{task.pk}/"
    for message in immediate:
        assert message.subject == f"[Văn phòng số] {neutral}"
        assert neutral in message.body and link in message.body
    digest_body = digest[0].body
    assert f"- {neutral} (" in digest_body  # the new-task notification
    assert "- Có nhiệm vụ mật cần xử lý, xem trên hệ thống (quá hạn 5 ngày làm việc, hạn 02/05/2024)" in (
        digest_body
    )
    assert link in digest_body
    for text in emails_text(mail.outbox):
        for secret in (SECRET_TITLE, SECRET_CONTENT, SECRET_SOURCE, "Tỉnh ủy Thử nghiệm", "An Phú", "leader"):
            assert secret not in text


def test_an_ordinary_task_is_still_named_in_its_emails(people, settings, django_capture_on_commit_callbacks):
    from vanphong.notifications.services import send_digests

    province, head_x = people
    give(province, lead=province.commune_x)
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(D(2024, 5, 3), calendar=CAL)
    assert "Báo cáo kết quả chuyển đổi số" in mail.outbox[0].subject
    assert "Chủ trì: Đảng ủy xã An Phú." in mail.outbox[0].body
    send_digests(D(2024, 5, 3))
    assert "- Báo cáo kết quả chuyển đổi số (quá hạn 1 ngày làm việc" in mail.outbox[-1].body


# --- The digest's task sections, counted in SQL ------------------------------------------------------


@pytest.fixture
def rows_read(monkeypatch):
    """Counts the rows the database hands to Python (every fetch goes through the cursor
    wrapper)."""
    from django.db.backends.utils import CursorWrapper

    read = {"rows": 0}

    def fetchone(self):
        row = self.cursor.fetchone()
        read["rows"] += row is not None
        return row

    def fetchmany(self, *args, **kwargs):
        rows = self.cursor.fetchmany(*args, **kwargs)
        read["rows"] += len(rows)
        return rows

    def fetchall(self):
        rows = self.cursor.fetchall()
        read["rows"] += len(rows)
        return rows

    for name, fn in (("fetchone", fetchone), ("fetchmany", fetchmany), ("fetchall", fetchall)):
        monkeypatch.setattr(CursorWrapper, name, fn, raising=False)
    return read


def test_the_digest_reads_a_constant_number_of_queries_and_rows(
    people, django_assert_max_num_queries, rows_read
):
    from django.test.utils import CaptureQueriesContext

    from vanphong.tasks.reminders import DIGEST_ITEMS, digest_sections

    province, head_x = people
    for n in range(5):
        give(province, title=f"Việc {n:02d}", due=D(2024, 4, 1) + dt.timedelta(days=n))
    give(province, title="Việc sắp đến hạn", due=D(2024, 5, 7))
    rows_read["rows"] = 0
    with CaptureQueriesContext(connection) as five:
        sections = digest_sections(D(2024, 5, 3), calendar=CAL)
    rows_for_five = rows_read["rows"]
    assert [s.total for s in sections[province.clerk_x.pk]] == [5, 1]
    for n in range(5, 50):
        give(province, title=f"Việc {n:02d}", due=D(2024, 4, 1) + dt.timedelta(days=n % 30))
    rows_read["rows"] = 0
    with django_assert_max_num_queries(len(five)):
        sections = digest_sections(D(2024, 5, 3), calendar=CAL)
    # 50 overdue tasks read no more rows than 5 but the few more a section lists
    assert rows_read["rows"] <= rows_for_five + DIGEST_ITEMS - 5
    overdue, soon = sections[province.clerk_x.pk]
    assert (overdue.total, soon.total) == (50, 1)
    assert len(overdue.items) == DIGEST_ITEMS
    # most late first (oldest due date), then the order they were given in
    assert [i.label for i in overdue.items] == [
        "Việc 00",
        "Việc 30",
        "Việc 01",
        "Việc 31",
        "Việc 02",
        "Việc 32",
        "Việc 03",
        "Việc 33",
        "Việc 04",
        "Việc 34",
    ]


def test_the_digest_lists_what_each_assignee_is_given(people):
    """The grouped count gives every person the same tasks as ``Recipients.assignees`` task
    by task: persons, units, organisations, classified tasks seen only when named."""
    from vanphong.tasks.models import Outcome, Task, TaskParty
    from vanphong.tasks.reminders import DIGEST_ITEMS, digest_sections

    province, head_x = people
    head_x.clearance = Classification.MAT
    head_x.save(update_fields=["clearance"])
    unit = UnitFactory(organization=province.commune_x, name="Ban Tổ chức")
    unit_head = make_actor("unit_head", province.commune_x, Role.LANH_DAO_PHONG, clearance=Classification.MAT)
    RoleAssignment.objects.filter(person=unit_head).update(unit=unit)
    workers = []
    for name in ("named_worker", "other_worker"):
        worker = make_actor(name, province.commune_x, Role.CHUYEN_VIEN, clearance=Classification.MAT)
        worker.unit = unit
        worker.save(update_fields=["unit"])
        workers.append(worker)
    named_worker, other_worker = workers
    # clerk_x is named on classified tasks while cleared (the party rule), then loses the clearance.
    province.clerk_x.clearance = Classification.MAT
    province.clerk_x.save(update_fields=["clearance"])
    due_days = [D(2024, 4, 15), D(2024, 4, 22), D(2024, 5, 2), D(2024, 5, 3), D(2024, 5, 6)]
    n = 0
    for lead in (province.clerk_x, province.commune_x, unit, head_x):
        for classification in (Classification.NONE, Classification.MAT):
            for due in due_days:
                n += 1
                task = give(
                    province, lead=lead, due=due, classification=classification, title=f"Việc {n:02d}"
                )
                if lead == unit and classification and due.day % 2 == 0:
                    TaskParty.objects.create(task=task, role="cooperate", person=named_worker)
                    task_access_rebuild([task.pk])
    province.clerk_x.clearance = Classification.NONE
    province.clerk_x.save(update_fields=["clearance"])
    for extra in range(12):  # more than a section lists, for the unit's people
        give(province, lead=unit, due=D(2024, 4, 10), title=f"Việc thêm {extra:02d}")
    day = D(2024, 5, 3)
    sections = digest_sections(day, calendar=CAL)

    recipients = Recipients()
    expected: dict[int, tuple[list, list]] = {}
    tasks = (
        Task.objects.filter(outcome=Outcome.OPEN)
        .select_related("lead_person")
        .order_by("effective_due", "pk")
    )
    soon_until = D(2024, 5, 8)
    for task in tasks:
        if task.effective_due > soon_until:
            continue
        for person in recipients.assignees(task):
            lists = expected.setdefault(person, ([], []))
            lists[0 if task.effective_due < day else 1].append(task)
    assert named_worker.pk in expected and other_worker.pk in expected
    assert set(sections) == set(expected)
    for person, (overdue, soon) in expected.items():
        got = {s.key: s for s in sections[person]}
        for key, listed in (("tasks.overdue", overdue), ("tasks.due_soon", soon)):
            if not listed:
                assert key not in got
                continue
            assert got[key].total == len(listed)
            labels = [
                t.title if t.classification == 0 else "Có nhiệm vụ mật cần xử lý, xem trên hệ thống"
                for t in listed[:DIGEST_ITEMS]
            ]
            assert [i.label for i in got[key].items] == labels
            assert [i.url for i in got[key].items] == [f"/nhiem-vu/{t.pk}/" for t in listed[:DIGEST_ITEMS]]
    # the named chuyên viên has the classified tasks naming them; the other one has none
    named_classified = {s.key: s.total for s in sections[named_worker.pk]}
    other = {s.key: s.total for s in sections[other_worker.pk]}
    assert sum(named_classified.values()) - sum(other.values()) == 3  # 22/4, 2/5 and 6/5
