"""The task lifecycle, breakdown and roll-up, recurrence, the tally and who may do what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from vanphong.audit.models import AuditEvent
from vanphong.orgs.models import Classification
from vanphong.orgs.tests.factories import UnitFactory
from vanphong.tasks import selectors, services, tally
from vanphong.tasks.access import may_manage, may_work
from vanphong.tasks.models import (
    EventKind,
    ExtensionState,
    Frequency,
    Outcome,
    PartyRole,
    Task,
    TaskSeries,
    TaskState,
)
from vanphong.tasks.signals import task_event
from vanphong.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = timezone.localdate()


def test_the_whole_lifecycle_with_history_audit_and_events(province, django_capture_on_commit_callbacks):
    seen = []
    task_event.connect(
        lambda sender, task, event, actor, **kw: seen.append(event.kind), weak=False, dispatch_uid="t"
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            task = TaskFactory(province=province, cooperating=[province.commune_y])
            services.task_accept(actor=province.clerk_x.user, task=task)
            services.task_report_progress(
                actor=province.clerk_x.user, task=task, text="Đã họp triển khai", percent=40
            )
            services.task_complete(actor=province.clerk_x.user, task=task, text="Đã ban hành kế hoạch")
            services.task_confirm(actor=province.leader.user, task=task)
    finally:
        task_event.disconnect(dispatch_uid="t")
    task.refresh_from_db()
    assert (task.state, task.outcome, task.progress) == (TaskState.CONFIRMED, Outcome.ON_TIME, 100)
    assert task.completed_on == TODAY and task.confirmed_by == province.leader
    kinds = list(task.events.values_list("kind", flat=True))
    assert kinds == ["created", "accepted", "progress", "completed", "confirmed"] == seen
    assert list(task.parties.values_list("role", "organization")) == [
        (PartyRole.COOPERATE, province.commune_y.pk),
        (PartyRole.LEAD, province.commune_x.pk),
    ]
    actions = set(AuditEvent.objects.filter(target_id=str(task.pk)).values_list("action", flat=True))
    assert {"task.create", "task.accept", "task.progress", "task.complete", "task.confirm"} <= actions
    assert tally.drift() == []


def test_returning_a_completion_reopens_the_task_and_the_counts(province):
    task = TaskFactory(province=province)
    services.task_report_progress(actor=province.clerk_x.user, task=task, text="Một nửa", percent=50)
    services.task_complete(actor=province.clerk_x.user, task=task, text="Xong")
    assert selectors.tally_counts(None).done_on_time == 1
    with pytest.raises(ValidationError) as err:
        services.task_return(actor=province.leader.user, task=task, reason="")
    assert "lý do" in str(err.value)
    services.task_return(actor=province.leader.user, task=task, reason="Kế hoạch thiếu phân công")
    task.refresh_from_db()
    assert (task.state, task.outcome, task.progress, task.completed_on) == (
        TaskState.IN_PROGRESS,
        Outcome.OPEN,
        50,
        None,
    )
    counts = selectors.tally_counts(None)
    assert (counts.done_on_time, counts.in_progress) == (0, 1)
    assert tally.drift() == []


def test_who_may_act(province):
    task = TaskFactory(province=province)
    assert may_work(province.clerk_x.user, task) and not may_manage(province.clerk_x.user, task)
    assert not may_work(province.clerk_y.user, task) and not may_manage(province.clerk_y.user, task)
    assert may_manage(province.chief.user, task)  # the Văn phòng follows up for the committee
    with pytest.raises(PermissionDenied):
        services.task_accept(actor=province.clerk_y.user, task=task)
    with pytest.raises(PermissionDenied):
        services.task_confirm(actor=province.clerk_x.user, task=task)
    with pytest.raises(PermissionDenied):
        TaskFactory(province=province, actor=province.clerk_x.user)  # a commune gives no Tỉnh ủy task
    # The Văn phòng's specialist enters the committee's conclusions on its behalf.
    entered = TaskFactory(province=province, actor=province.specialist.user, issued_by=province.leader)
    assert entered.created_by == province.specialist and entered.issued_by == province.leader
    with pytest.raises(ValidationError) as err:  # nor in the name of someone who does not lead
        TaskFactory(province=province, actor=province.specialist.user, issued_by=province.clerk_x)
    assert "không phải lãnh đạo" in err.value.message_dict["issued_by"][0]


def test_bad_input_is_refused_in_vietnamese_and_leaves_nothing(province):
    before = Task.objects.count()
    with pytest.raises(ValidationError) as err:
        TaskFactory(
            province=province,
            title="  ",
            lead=None,
            due_date=TODAY - dt.timedelta(days=1),
            cooperating=[province.commune_x],
        )
    messages = err.value.message_dict
    assert set(messages) >= {"title", "lead", "due_date"}
    assert "Hãy nhập tên nhiệm vụ." in messages["title"]
    with pytest.raises(ValidationError) as err:
        TaskFactory(province=province, cooperating=[province.commune_x])
    assert "Nơi chủ trì không đồng thời là nơi phối hợp." in err.value.message_dict["cooperating"]
    assert Task.objects.count() == before
    task = TaskFactory(province=province)
    for percent, message in ((100, "hoàn thành"), (120, "từ 0 đến 100")):
        with pytest.raises(ValidationError) as err:
            services.task_report_progress(actor=province.clerk_x.user, task=task, text="x", percent=percent)
        assert message in str(err.value)
    with pytest.raises(ValidationError):
        services.task_complete(
            actor=province.clerk_x.user, task=task, text="Xong", on=TODAY + dt.timedelta(days=1)
        )
    services.task_complete(actor=province.clerk_x.user, task=task, text="Xong")
    with pytest.raises(ValidationError):
        services.task_report_progress(actor=province.clerk_x.user, task=task, text="Thêm", percent=10)


def test_a_bad_evidence_file_loses_nothing(province):
    task = TaskFactory(province=province)
    with pytest.raises(ValidationError):
        services.task_report_progress(
            actor=province.clerk_x.user, task=task, text="Kèm tệp", percent=30, uploads=[("rong.pdf", b"")]
        )
    task.refresh_from_db()
    assert task.progress == 0 and task.events.count() == 1


def test_evidence_files_are_kept_with_their_hash(province):
    task = TaskFactory(province=province)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    services.task_report_progress(
        actor=province.clerk_x.user,
        task=task,
        text="Biên bản họp",
        percent=30,
        uploads=[("bien-ban.pdf", pdf)],
    )
    evidence = task.events.get(kind=EventKind.PROGRESS).files.get()
    import hashlib

    assert evidence.sha256 == hashlib.sha256(pdf).hexdigest() and evidence.size == len(pdf)
    assert evidence.file.read() == pdf


def test_extension_requests_one_at_a_time_and_refusal_needs_a_reason(province):
    task = TaskFactory(province=province)
    new = task.due_date + dt.timedelta(days=10)
    with pytest.raises(ValidationError):
        services.extension_request(
            actor=province.clerk_x.user, task=task, new_due_date=task.due_date, reason="x"
        )
    first = services.extension_request(
        actor=province.clerk_x.user, task=task, new_due_date=new, reason="Chờ số liệu"
    )
    with pytest.raises(ValidationError) as err:
        services.extension_request(actor=province.clerk_x.user, task=task, new_due_date=new, reason="Lần hai")
    assert "đang chờ" in str(err.value)
    with pytest.raises(ValidationError):
        services.extension_decide(actor=province.leader.user, request=first, approve=False)
    services.extension_decide(
        actor=province.leader.user, request=first, approve=False, note="Không có căn cứ"
    )
    first.refresh_from_db()
    task.refresh_from_db()
    assert first.state == ExtensionState.REFUSED and task.due_date == task.original_due_date
    with pytest.raises(ValidationError):
        services.extension_decide(actor=province.leader.user, request=first, approve=True)


def test_breakdown_rolls_progress_up_and_the_parent_waits_for_its_children(province):
    parent = TaskFactory(
        province=province,
        title="Chương trình hành động thực hiện Nghị quyết 57-NQ/TW",
        lead=province.commune_x,
    )
    # The lead breaks its task down (it may, as the doer of the parent).
    a = TaskFactory(
        province=province,
        actor=province.clerk_x.user,
        organization=province.commune_x,
        parent=parent,
        title="Hạ tầng số",
    )
    b = TaskFactory(
        province=province,
        actor=province.clerk_x.user,
        organization=province.commune_x,
        parent=parent,
        title="Nhân lực số",
    )
    with pytest.raises(ValidationError) as err:
        TaskFactory(province=province, parent=parent, due_date=parent.due_date + dt.timedelta(days=1))
    assert "nhiệm vụ con" in str(err.value)
    services.task_report_progress(actor=province.clerk_x.user, task=a, text="Đang làm", percent=60)
    parent.refresh_from_db()
    assert parent.progress == 30
    services.task_complete(actor=province.clerk_x.user, task=a, text="Xong")
    parent.refresh_from_db()
    assert parent.progress == 50
    with pytest.raises(ValidationError) as err:
        services.task_complete(actor=province.clerk_x.user, task=parent, text="Xong")
    assert "Còn 1 nhiệm vụ con" in str(err.value)
    with pytest.raises(ValidationError):
        services.task_report_progress(actor=province.clerk_x.user, task=parent, text="x", percent=10)
    services.task_cancel(actor=province.leader.user, task=b, reason="Gộp vào nhiệm vụ khác")
    parent.refresh_from_db()
    assert parent.progress == 99  # every remaining child done, the parent itself not yet reported
    services.task_complete(actor=province.clerk_x.user, task=parent, text="Hoàn thành chương trình")
    parent.refresh_from_db()
    assert parent.outcome == Outcome.ON_TIME and parent.progress == 100
    assert tally.drift() == []


def test_cancelling_a_parent_cancels_its_open_children(province):
    parent = TaskFactory(province=province)
    child = TaskFactory(province=province, parent=parent, lead=province.commune_y)
    services.task_cancel(actor=province.leader.user, task=parent, reason="Không còn phù hợp")
    child.refresh_from_db()
    assert child.outcome == Outcome.CANCELLED and child.state == TaskState.CANCELLED
    assert selectors.tally_counts(None).total == 0 and tally.drift() == []


def test_classification_is_inherited_and_never_lowered(province):
    parent = TaskFactory(province=province, classification=Classification.MAT)
    child = TaskFactory(province=province, parent=parent)
    assert child.classification == Classification.MAT
    with pytest.raises(ValidationError):
        TaskFactory(province=province, parent=parent, classification=Classification.NONE)


def test_correcting_the_due_date_moves_the_original_until_an_extension_is_granted(province):
    task = TaskFactory(province=province)
    later = task.due_date + dt.timedelta(days=31)
    services.task_update(actor=province.leader.user, task=task, due_date=later, title="Tên mới")
    task.refresh_from_db()
    assert (task.title, task.due_date, task.original_due_date) == ("Tên mới", later, later)
    assert tally.drift() == []
    request = services.extension_request(
        actor=province.clerk_x.user,
        task=task,
        new_due_date=later + dt.timedelta(days=5),
        reason="Cần thêm thời gian",
    )
    services.extension_decide(actor=province.leader.user, request=request, approve=True)
    with pytest.raises(ValidationError):
        services.task_update(actor=province.leader.user, task=task, due_date=later + dt.timedelta(days=9))


# --- Recurrence ------------------------------------------------------------------------------


def series(**kw):
    fields = {
        "frequency": Frequency.MONTHLY,
        "day_of_month": 31,
        "starts_on": D(2027, 1, 1),
        "month_in_period": 0,
    }
    fields.update(kw)
    return TaskSeries(**fields)


def test_monthly_occurrences_clip_to_the_month_end():
    got = services.occurrence_dates(series(), D(2027, 1, 1), D(2027, 4, 30))
    assert got == [D(2027, 1, 31), D(2027, 2, 28), D(2027, 3, 31), D(2027, 4, 30)]


def test_quarterly_occurrences_fall_in_the_last_or_the_chosen_month_of_the_quarter():
    last = services.occurrence_dates(
        series(frequency=Frequency.QUARTERLY, day_of_month=15), D(2027, 2, 1), D(2027, 12, 31)
    )
    assert last == [D(2027, 3, 15), D(2027, 6, 15), D(2027, 9, 15), D(2027, 12, 15)]
    first = services.occurrence_dates(
        series(frequency=Frequency.QUARTERLY, day_of_month=10, month_in_period=1),
        D(2027, 1, 1),
        D(2027, 7, 31),
    )
    assert first == [D(2027, 1, 10), D(2027, 4, 10), D(2027, 7, 10)]
    ended = services.occurrence_dates(series(ends_on=D(2027, 2, 15)), D(2027, 1, 1), D(2027, 12, 31))
    assert ended == [D(2027, 1, 31)]


@override_settings(VANPHONG_TASK_SERIES_HORIZON_DAYS=70)
def test_a_series_makes_its_occurrences_ahead_once(province):
    start = TODAY.replace(day=1)
    made = services.series_create(
        actor=province.leader.user,
        frequency=Frequency.MONTHLY,
        day_of_month=20,
        starts_on=start,
        organization=province.committee,
        title="Báo cáo tình hình tháng",
        lead=province.commune_x,
        cooperating=[province.commune_y],
    )
    first = made.tasks.get()
    expected = D(start.year, start.month, 20)
    if expected < TODAY:  # this month's is past: the first one is next month's
        expected = D(start.year + start.month // 12, start.month % 12 + 1, 20)
    assert first.due_date == expected
    created = services.series_generate(made, today=TODAY)
    again = services.series_generate(made, today=TODAY)
    assert len(created) >= 1 and again == []
    dues = list(made.tasks.order_by("due_date").values_list("due_date", flat=True))
    assert all(d.day == 20 for d in dues) and len(set(dues)) == len(dues)
    copy = made.tasks.order_by("-due_date").first()
    assert copy.title == first.title and copy.lead_organization == province.commune_x
    assert list(copy.parties.filter(role=PartyRole.COOPERATE).values_list("organization", flat=True)) == [
        province.commune_y.pk
    ]
    assert tally.drift() == []


def test_a_unit_or_a_person_may_lead(province):
    unit = UnitFactory(organization=province.office, name="Phòng Tổng hợp")
    by_unit = TaskFactory(province=province, lead=unit)
    assert (by_unit.lead_organization, by_unit.lead_unit, by_unit.lead_person) == (
        province.office,
        unit,
        None,
    )
    by_person = TaskFactory(province=province, lead=province.specialist)
    assert by_person.lead_person == province.specialist and by_person.lead_organization == province.office
    assert may_work(province.specialist.user, by_person)


def test_tasks_recount_finds_and_fixes_a_drift(province):
    from django.core.management import CommandError, call_command

    from vanphong.tasks.models import TaskTally

    TaskFactory(province=province)
    call_command("tasks_recount")  # in step
    TaskTally.objects.update(count=7)
    with pytest.raises(CommandError):
        call_command("tasks_recount")
    call_command("tasks_recount", "--fix")
    assert tally.drift() == [] and TaskTally.objects.get().count == 1


def test_the_admin_lists_tasks_and_keeps_the_calendar(province, client):
    from vanphong.accounts.tests.helpers import sign_in
    from vanphong.orgs.tests.factories import UserFactory

    TaskFactory(province=province)
    sign_in(client, UserFactory(username="root", is_staff=True, is_superuser=True))
    assert client.get("/quan-tri-he-thong/tasks/task/").status_code == 200
    assert client.get("/quan-tri-he-thong/tasks/calendarday/").status_code == 200


def test_no_one_gives_a_task_classified_above_their_own_clearance(province):
    # The Văn phòng's specialist (no clearance) may give the committee's tasks, not secret ones.
    with pytest.raises(ValidationError) as err:
        TaskFactory(province=province, actor=province.specialist.user, classification=Classification.MAT)
    assert "độ mật cao hơn" in err.value.message_dict["classification"][0]
    assert (
        TaskFactory(
            province=province, actor=province.chief.user, classification=Classification.TOI_MAT
        ).classification
        == 2
    )


# --- Rules found in review -------------------------------------------------------------------


def test_breaking_a_task_down_is_done_in_the_lead_organisations_name_only(province):
    parent = TaskFactory(province=province, lead=province.commune_x)
    with pytest.raises(PermissionDenied):  # not in the committee's name, nor the Bí thư's
        TaskFactory(province=province, actor=province.clerk_x.user, parent=parent, issued_by=province.leader)
    with pytest.raises(PermissionDenied):
        TaskFactory(
            province=province, actor=province.clerk_x.user, organization=province.commune_y, parent=parent
        )
    child = TaskFactory(
        province=province, actor=province.clerk_x.user, organization=province.commune_x, parent=parent
    )
    assert child.organization == province.commune_x and child.issued_by == province.clerk_x


def test_the_office_specialist_enters_tasks_but_does_not_decide_on_them(province):
    task = TaskFactory(province=province)
    assert not may_manage(province.specialist.user, task) and may_manage(province.chief.user, task)
    request = services.extension_request(
        actor=province.clerk_x.user,
        task=task,
        new_due_date=task.due_date + dt.timedelta(days=60),
        reason="Chờ",
    )
    with pytest.raises(PermissionDenied):
        services.extension_decide(actor=province.specialist.user, request=request, approve=True)


def test_the_lead_cannot_date_its_completion_back_but_the_office_can_for_an_outside_body(province):
    from vanphong.orgs.tests.factories import OrganizationFactory

    past = TODAY - dt.timedelta(days=40)
    task = TaskFactory(province=province, assigned_on=past, due_date=past + dt.timedelta(days=5))
    with pytest.raises(ValidationError) as err:
        services.task_complete(
            actor=province.clerk_x.user, task=task, text="Xong", on=past + dt.timedelta(days=3)
        )
    assert "ngày báo cáo" in err.value.message_dict["on"][0]
    outside = OrganizationFactory(
        name="Ban cán sự đảng UBND tỉnh", short_name="BCS UBND", parent=province.committee, hosted=False
    )
    theirs = TaskFactory(
        province=province, lead=outside, assigned_on=past, due_date=past + dt.timedelta(days=5)
    )
    assert may_work(province.specialist.user, theirs)  # the Văn phòng reports for a body not on the system
    services.task_complete(
        actor=province.specialist.user,
        task=theirs,
        text="Theo Báo cáo số 15-BC/BCS",
        on=past + dt.timedelta(days=4),
    )
    theirs.refresh_from_db()
    assert theirs.outcome == Outcome.ON_TIME


def test_a_confirmed_task_or_a_child_under_a_finished_parent_is_not_returned(province):
    parent = TaskFactory(province=province)
    child = TaskFactory(province=province, parent=parent, lead=province.commune_y)
    services.task_complete(actor=province.clerk_y.user, task=child, text="Xong")
    services.task_complete(actor=province.clerk_x.user, task=parent, text="Xong")
    with pytest.raises(ValidationError) as err:
        services.task_return(actor=province.leader.user, task=child, reason="Chưa đạt")
    assert "nhiệm vụ cha" in str(err.value)
    services.task_confirm(actor=province.leader.user, task=parent)
    with pytest.raises(ValidationError):
        services.task_return(actor=province.leader.user, task=parent, reason="Chưa đạt")


def test_an_approval_never_shortens_and_a_cancel_closes_pending_requests(province):
    task = TaskFactory(province=province)
    request = services.extension_request(
        actor=province.clerk_x.user,
        task=task,
        new_due_date=task.due_date + dt.timedelta(days=5),
        reason="Chờ",
    )
    services.task_update(
        actor=province.leader.user, task=task, due_date=task.due_date + dt.timedelta(days=20)
    )
    with pytest.raises(ValidationError) as err:
        services.extension_decide(actor=province.leader.user, request=request, approve=True)
    assert "không còn sau hạn hiện tại" in str(err.value)
    services.task_cancel(actor=province.leader.user, task=task, reason="Không cần nữa")
    request.refresh_from_db()
    assert request.state == ExtensionState.REFUSED


def test_a_child_due_date_stays_within_its_parent_when_corrected_or_extended(province):
    parent = TaskFactory(province=province)
    child = TaskFactory(province=province, parent=parent, due_date=parent.due_date - dt.timedelta(days=5))
    with pytest.raises(ValidationError):
        services.task_update(
            actor=province.leader.user, task=child, due_date=parent.due_date + dt.timedelta(days=1)
        )
    request = services.extension_request(
        actor=province.clerk_x.user,
        task=child,
        new_due_date=parent.due_date + dt.timedelta(days=3),
        reason="Chờ",
    )
    with pytest.raises(ValidationError):
        services.extension_decide(actor=province.leader.user, request=request, approve=True)


@override_settings(VANPHONG_TASK_SERIES_HORIZON_DAYS=120)
def test_a_series_can_be_stopped_and_its_occurrences_keep_who_entered_them(province):
    made = services.series_create(
        actor=province.specialist.user,
        frequency=Frequency.MONTHLY,
        day_of_month=25,
        starts_on=TODAY,
        organization=province.committee,
        title="Báo cáo tháng",
        lead=province.commune_x,
        issued_by=province.leader,
    )
    first = made.tasks.get()
    occurrences = services.series_generate(made, today=TODAY)
    assert occurrences and all(t.created_by == province.specialist for t in occurrences)
    duplicate = occurrences[0].original_due_date
    with pytest.raises(ValidationError) as err:
        services.task_update(actor=province.leader.user, task=first, due_date=duplicate)
    assert "định kỳ" in str(err.value)
    services.series_end(actor=province.leader.user, task=first, reason="Đã thay bằng báo cáo quý")
    made.refresh_from_db()
    assert not made.active
    assert services.series_generate(made, today=TODAY + dt.timedelta(days=200)) == []


def test_moving_a_holiday_refreshes_the_old_and_the_new_day(province):
    from vanphong.tasks.models import CalendarDay, DayKind

    task = TaskFactory(province=province, due_date=D(2031, 3, 3), assigned_on=D(2031, 1, 5))
    holiday = CalendarDay.objects.create(date=D(2031, 3, 3), kind=DayKind.HOLIDAY, name="Nghỉ bù")
    task.refresh_from_db()
    assert task.effective_due == D(2031, 3, 4)
    holiday.date = D(2031, 3, 10)
    holiday.save()
    task.refresh_from_db()
    assert task.effective_due == D(2031, 3, 3)
