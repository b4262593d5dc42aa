"""Working days and the derived status at its boundaries: due today, due on a holiday,
completed a day late, extended, due soon."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from vanphong.tasks import selectors, services
from vanphong.tasks.calendar import WorkCalendar, due_soon_until
from vanphong.tasks.models import CalendarDay, DayKind, Outcome, Status, Task
from vanphong.tasks.selectors import Today
from vanphong.tasks.tests.factories import TaskFactory

D = dt.date
# Quốc khánh 2026: Tuesday 1 and Wednesday 2 September; Saturday 5 September worked in this test.
CAL = WorkCalendar.of(holidays=[D(2026, 9, 1), D(2026, 9, 2)], working=[D(2026, 9, 5)])


def test_weekends_and_holidays_are_not_working_days_and_bridges_are():
    assert CAL.is_working_day(D(2026, 8, 31))  # Monday
    assert not CAL.is_working_day(D(2026, 9, 1))  # holiday
    assert not CAL.is_working_day(D(2026, 9, 6))  # Sunday
    assert CAL.is_working_day(D(2026, 9, 5))  # Saturday worked in exchange
    assert not WorkCalendar.of().is_working_day(D(2026, 9, 5))


def test_a_deadline_on_a_day_off_moves_to_the_next_working_day():
    assert CAL.effective_due(D(2026, 9, 1)) == D(2026, 9, 3)
    assert CAL.effective_due(D(2026, 8, 29)) == D(2026, 8, 31)  # Saturday → Monday
    assert CAL.effective_due(D(2026, 9, 3)) == D(2026, 9, 3)
    assert CAL.effective_due(None) is None


def test_adding_and_counting_working_days():
    assert CAL.add_working_days(D(2026, 8, 31), 1) == D(2026, 9, 3)
    assert CAL.add_working_days(D(2026, 8, 31), 3) == D(2026, 9, 5)  # the worked Saturday counts
    assert CAL.add_working_days(D(2026, 8, 31), 4) == D(2026, 9, 7)
    assert CAL.add_working_days(D(2026, 9, 3), -1) == D(2026, 8, 31)
    assert CAL.add_working_days(D(2026, 9, 1), 0) == D(2026, 9, 3)
    assert CAL.working_days_between(D(2026, 8, 31), D(2026, 9, 4)) == 2
    assert CAL.working_days_between(D(2026, 9, 4), D(2026, 8, 31)) == -2
    assert CAL.working_days_between(D(2026, 9, 4), D(2026, 9, 4)) == 0


@override_settings(VANPHONG_WEEKEND_DAYS=[6])
def test_the_weekend_is_a_setting(db):
    assert WorkCalendar.load().is_working_day(D(2030, 6, 1))  # a Saturday, worked when only Sunday is off


@override_settings(VANPHONG_TASK_DUE_SOON_DAYS=2)
def test_due_soon_window_is_counted_in_working_days():
    # Friday 28 August: two working days ahead skip the weekend and the holidays.
    assert due_soon_until(CAL, D(2026, 8, 28)) == D(2026, 9, 3)


def _task(province, due, *, assigned=None):
    return TaskFactory(
        province=province,
        title="Báo cáo sơ kết",
        due_date=due,
        assigned_on=assigned or due - dt.timedelta(days=20),
        calendar=CAL,
    )


def _status(task, today):
    t = Today(day=today, soon_until=CAL.add_working_days(today, 3))
    row = selectors.with_status(Task.objects.filter(pk=task.pk), t).get()
    assert selectors.status_of(row, t) == row.status  # Python and SQL agree
    return row.status


@pytest.mark.django_db
def test_due_today_is_due_soon_and_overdue_the_next_working_day(province):
    task = _task(province, D(2026, 8, 31))
    assert _status(task, D(2026, 8, 20)) == Status.NOT_DUE
    assert _status(task, D(2026, 8, 27)) == Status.DUE_SOON
    assert _status(task, D(2026, 8, 31)) == Status.DUE_SOON  # due today: not late yet
    assert _status(task, D(2026, 9, 1)) == Status.OVERDUE


@pytest.mark.django_db
def test_due_on_a_holiday_is_not_late_until_after_the_next_working_day(province):
    task = _task(province, D(2026, 9, 1))
    assert task.effective_due == D(2026, 9, 3)
    assert _status(task, D(2026, 9, 2)) == Status.DUE_SOON
    assert _status(task, D(2026, 9, 3)) == Status.DUE_SOON
    assert _status(task, D(2026, 9, 4)) == Status.OVERDUE


@pytest.mark.django_db
def test_completed_on_the_effective_due_is_on_time_and_a_day_later_is_late(province):
    on_time, late = _task(province, D(2026, 9, 1)), _task(province, D(2026, 9, 1))
    services.task_complete(actor=province.leader.user, task=on_time, text="Xong", on=D(2026, 9, 3))
    services.task_complete(actor=province.leader.user, task=late, text="Xong", on=D(2026, 9, 4))
    on_time.refresh_from_db()
    late.refresh_from_db()
    assert (on_time.outcome, late.outcome) == (Outcome.ON_TIME, Outcome.LATE)
    assert _status(on_time, D(2026, 9, 10)) == Status.DONE_ON_TIME
    assert _status(late, D(2026, 9, 10)) == Status.DONE_LATE
    assert selectors.days_late(late, Today(day=D(2026, 9, 10), soon_until=D(2026, 9, 15))) == 1


@pytest.mark.django_db
def test_an_extended_task_is_judged_by_its_new_date_and_keeps_the_original(province):
    task = _task(province, D(2026, 8, 31), assigned=D(2026, 8, 20))
    request = services.extension_request(
        actor=province.clerk_x.user, task=task, new_due_date=D(2026, 9, 15), reason="Chờ số liệu"
    )
    services.extension_decide(actor=province.leader.user, request=request, approve=True, calendar=CAL)
    task.refresh_from_db()
    assert (task.original_due_date, task.due_date, task.extended) == (D(2026, 8, 31), D(2026, 9, 15), True)
    assert _status(task, D(2026, 9, 7)) == Status.NOT_DUE
    services.task_complete(actor=province.leader.user, task=task, text="Xong", on=D(2026, 9, 14))
    task.refresh_from_db()
    assert task.outcome == Outcome.ON_TIME  # late against the original date, on time as extended


@pytest.mark.django_db
def test_a_new_holiday_moves_the_working_day_due_date_of_open_tasks(province):
    task = _task(province, D(2031, 3, 3))  # a Monday
    assert task.effective_due == D(2031, 3, 3)
    CalendarDay.objects.create(date=D(2031, 3, 3), kind=DayKind.HOLIDAY, name="Nghỉ bù")
    task.refresh_from_db()
    assert task.effective_due == D(2031, 3, 4)
    CalendarDay.objects.filter(date=D(2031, 3, 3)).delete()
    task.refresh_from_db()
    assert task.effective_due == D(2031, 3, 3)


@pytest.mark.django_db
def test_the_holidays_of_2025_and_2026_are_installed():
    calendar = WorkCalendar.load()
    assert not calendar.is_working_day(D(2026, 2, 17))  # mùng 1 Tết Bính Ngọ
    assert not calendar.is_working_day(D(2026, 9, 2))
    assert calendar.is_working_day(D(2025, 4, 26))  # the Saturday worked for 2 May 2025
