"""Notifications on task events: the assignees when a task is given, the assigner when it is
reported done or more time is asked, the lead on the answer — never the one who acted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from vanphong.accounts.tests.helpers import sign_in
from vanphong.notifications.models import Notification
from vanphong.orgs.models import Classification, Role
from vanphong.orgs.tests.factories import make_actor
from vanphong.tasks import services
from vanphong.tasks.calendar import WorkCalendar
from vanphong.tasks.models import EventKind, Task, TaskEvent
from vanphong.tasks.notify import notify_event
from vanphong.tasks.tests.factories import TaskFactory

CAL = WorkCalendar.of()
DUE = dt.date.today() + dt.timedelta(days=30)


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run the receivers of ``task_event`` (sent after commit) inside the test."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def told(person):
    return list(Notification.objects.filter(recipient=person).order_by("id").values_list("kind", "title"))


def kinds(person):
    return [kind for kind, _title in told(person)]


def give(province, run, **kwargs):
    """The Chánh Văn phòng gives An Phú's clerk a task of the Tỉnh ủy, receivers run."""
    fields = {"actor": province.chief, "lead": province.clerk_x, "due_date": DUE, "calendar": CAL}
    fields["title"] = "Chuẩn bị báo cáo sơ kết 6 tháng"
    return run(TaskFactory, province=province, **{**fields, **kwargs})


def test_a_new_task_tells_its_assignees_and_cooperating_parties_not_the_giver(province, run_on_commit):
    head_y = make_actor("head_y", province.commune_y, Role.LANH_DAO_CAP_UY)
    give(province, run_on_commit, cooperating=[province.commune_y], issued_by=province.leader)
    assert told(province.clerk_x) == [("task.created", "Được giao chủ trì: Chuẩn bị báo cáo sơ kết 6 tháng")]
    assert kinds(province.clerk_y) == ["task.cooperate"]
    assert kinds(head_y) == ["task.cooperate"]
    assert told(province.chief) == []  # who gave it
    assert told(province.leader) == []  # who issued it is not an assignee
    body = Notification.objects.get(recipient=province.clerk_x).body
    assert "Cơ quan giao: Tỉnh ủy Thử nghiệm, leader." in body


def test_the_actor_is_not_told_about_their_own_action(province, run_on_commit):
    give(province, run_on_commit, lead=province.office)  # the office's leader is the chief himself
    assert told(province.chief) == []
    assert not Notification.objects.exists()


def test_completion_and_extension_requests_go_to_the_assigner(province, run_on_commit):
    task = give(province, run_on_commit, issued_by=province.leader)
    Notification.objects.all().delete()
    run_on_commit(
        services.extension_request,
        actor=province.clerk_x.user,
        task=task,
        new_due_date=DUE + dt.timedelta(days=10),
        reason="Chờ số liệu của các ban",
    )
    run_on_commit(
        services.task_complete, actor=province.clerk_x.user, task=task, text="Đã hoàn thành báo cáo"
    )
    assert kinds(province.leader) == ["task.ext_requested", "task.completed"]
    assert kinds(province.chief) == ["task.ext_requested", "task.completed"]  # who entered it
    assert told(province.clerk_x) == []
    title, body = Notification.objects.filter(recipient=province.leader, kind="task.completed").values_list(
        "title", "body"
    )[0]
    assert title == "Báo cáo hoàn thành: Chuẩn bị báo cáo sơ kết 6 tháng"
    assert "Kết quả: Đã hoàn thành báo cáo" in body


def test_the_answers_go_back_to_the_lead(province, run_on_commit):
    task = give(province, run_on_commit)
    request = run_on_commit(
        services.extension_request,
        actor=province.clerk_x.user,
        task=task,
        new_due_date=DUE + dt.timedelta(days=10),
        reason="Chờ số liệu",
    )
    run_on_commit(
        services.extension_decide, actor=province.chief.user, request=request, approve=True, calendar=CAL
    )
    run_on_commit(services.task_complete, actor=province.clerk_x.user, task=task, text="Xong")
    run_on_commit(services.task_return, actor=province.chief.user, task=task, reason="Thiếu phụ lục")
    run_on_commit(services.task_complete, actor=province.clerk_x.user, task=task, text="Đã bổ sung")
    run_on_commit(services.task_confirm, actor=province.chief.user, task=task)
    assert kinds(province.clerk_x) == ["task.created", "task.ext_approved", "task.returned", "task.confirmed"]
    returned = Notification.objects.get(recipient=province.clerk_x, kind="task.returned")
    assert "Thiếu phụ lục" in returned.body


def test_a_refusal_and_a_cancellation_reach_the_lead(province, run_on_commit):
    task = give(province, run_on_commit)
    request = run_on_commit(
        services.extension_request,
        actor=province.clerk_x.user,
        task=task,
        new_due_date=DUE + dt.timedelta(days=10),
        reason="Chờ số liệu",
    )
    run_on_commit(
        services.extension_decide,
        actor=province.chief.user,
        request=request,
        approve=False,
        note="Đã đủ thời gian",
    )
    run_on_commit(
        services.task_cancel, actor=province.chief.user, task=task, reason="Đã có văn bản khác thay thế"
    )
    assert kinds(province.clerk_x) == ["task.created", "task.ext_refused", "task.cancelled"]


def test_the_one_who_asked_hears_the_answer_even_when_not_an_assignee(province, run_on_commit):
    worker = make_actor("worker_x", province.commune_x, Role.CHUYEN_VIEN)
    task = give(province, run_on_commit, lead=province.commune_x)
    assert kinds(worker) == []  # an organisation's task goes to its văn thư and leaders
    request = run_on_commit(
        services.extension_request,
        actor=worker.user,
        task=task,
        new_due_date=DUE + dt.timedelta(days=10),
        reason="Chờ số liệu",
    )
    run_on_commit(
        services.extension_decide, actor=province.chief.user, request=request, approve=True, calendar=CAL
    )
    assert kinds(worker) == ["task.ext_approved"]
    assert kinds(province.clerk_x) == ["task.created", "task.ext_approved"]


def test_progress_reports_tell_nobody(province, run_on_commit):
    task = give(province, run_on_commit)
    Notification.objects.all().delete()
    run_on_commit(services.task_accept, actor=province.clerk_x.user, task=task)
    run_on_commit(
        services.task_report_progress, actor=province.clerk_x.user, task=task, text="Đã thu thập", percent=40
    )
    assert not Notification.objects.exists()


def test_an_uncleared_assignee_is_not_told_about_a_classified_task(province, run_on_commit):
    give(province, run_on_commit, lead=province.commune_x, classification=Classification.MAT)
    assert told(province.clerk_x) == []  # van thư of the commune, not cleared for Mật


def test_no_event_notification_is_e_mailed_by_default(province, run_on_commit):
    province.clerk_x.email = "clerk_x@example.vn"
    province.clerk_x.save(update_fields=["email"])
    give(province, run_on_commit)
    assert Notification.objects.filter(recipient=province.clerk_x).exists()
    assert mail.outbox == []


def test_a_kind_configured_as_immediate_is_e_mailed_after_commit(province, run_on_commit, settings):
    settings.VANPHONG_NOTIFY_IMMEDIATE_KINDS = ["task.created"]
    settings.VANPHONG_SITE_URL = "https://vanphong.tinhuy.example.vn"
    province.clerk_x.user.email = "clerk_x@example.vn"
    province.clerk_x.user.save(update_fields=["email"])
    task = give(province, run_on_commit)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["clerk_x@example.vn"]
    assert message.subject == "[Văn phòng số] Được giao chủ trì: Chuẩn bị báo cáo sơ kết 6 tháng"
    assert f"https://vanphong.tinhuy.example.vn/nhiem-vu/{task.pk}/" in message.body
    assert Notification.objects.get(recipient=province.clerk_x).emailed_at is not None


def test_a_failure_to_notify_does_not_reach_the_person_who_acted(province, run_on_commit, caplog):
    task = give(province, run_on_commit)
    event = TaskEvent.objects.get(task=task, kind=EventKind.CREATED)
    task.pk = task.pk + 10_000  # a task that is gone by the time the receiver runs
    from vanphong.tasks.notify import on_task_event

    on_task_event(sender=None, task=task, event=event, actor=None)
    assert "could not notify task event" in caplog.text
    with pytest.raises(Task.DoesNotExist):  # the same call without the guard fails
        notify_event(task, event, None)


def test_a_cooperating_unit_tells_people_who_may_open_the_task(province, run_on_commit, client):
    """A unit named as cooperating: its organisation's people are told (the unit has nobody
    of its own) and may open the task — the notification's link leads somewhere."""
    from vanphong.orgs.tests.factories import UnitFactory

    unit = UnitFactory(organization=province.commune_y, name="Ban Tuyên giáo")
    task = give(province, run_on_commit, cooperating=[unit])
    notification = Notification.objects.get(recipient=province.clerk_y)
    assert notification.kind == "task.cooperate"
    assert notification.url == f"/nhiem-vu/{task.pk}/"
    sign_in(client, province.clerk_y.user)
    assert client.get(notification.url).status_code == 200
    assert kinds(province.clerk_x) == ["task.created"]  # the lead, as before


def test_a_cooperating_unit_of_a_classified_task_tells_only_those_who_may_open_it(
    province, run_on_commit, client
):
    from vanphong.orgs.models import RoleAssignment
    from vanphong.orgs.tests.factories import UnitFactory

    unit = UnitFactory(organization=province.commune_y, name="Ban Tổ chức")
    unit_head = make_actor(
        "unit_head_y", province.commune_y, Role.LANH_DAO_PHONG, clearance=Classification.MAT
    )
    RoleAssignment.objects.filter(person=unit_head).update(unit=unit)
    worker_y = make_actor("worker_y", province.commune_y, Role.CHUYEN_VIEN, clearance=Classification.MAT)
    worker_y.unit = unit
    worker_y.save(update_fields=["unit"])
    task = give(
        province, run_on_commit, lead=province.leader, cooperating=[unit], classification=Classification.MAT
    )
    # The unit's head leads there and is cleared: told, and may open it. Its chuyên viên is
    # cleared but neither leads nor keeps the books: not shown the task, so not told.
    assert kinds(unit_head) == ["task.cooperate"]
    assert kinds(worker_y) == [] and kinds(province.clerk_y) == []
    sign_in(client, unit_head.user)  # cleared for Mật: signed in with a second factor
    assert client.get(f"/nhiem-vu/{task.pk}/").status_code == 200
    client.logout()
    sign_in(client, worker_y.user)
    assert client.get(f"/nhiem-vu/{task.pk}/").status_code == 404
