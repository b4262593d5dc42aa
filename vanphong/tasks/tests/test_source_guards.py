"""The engine's source guards (``tasks.services.guards``): a work app registers, per source
kind, the question the engine asks before it completes, returns or cancels one of that app's
tasks — without the engine importing the app. Here with a guard of the tests' own, on the
kind ``petition``; the reporting app's own guard is tested in reporting/tests/test_gaps.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError

from vanphong.tasks import services
from vanphong.tasks.models import Outcome, SourceKind, TaskState
from vanphong.tasks.services import guards
from vanphong.tasks.tests.factories import TaskFactory

KIND = SourceKind.PETITION


@pytest.fixture
def asked() -> Iterator[list[tuple[int, str, str]]]:
    """A guard on ``KIND`` that refuses while the task's title says "chưa xong" and records
    every question (task id, action, the state of the task as the guard sees it)."""
    calls: list[tuple[int, str, str]] = []

    def guard(task, action):
        calls.append((task.pk, action, task.state))
        return "Đơn thư chưa giải quyết xong: chưa kết thúc được." if "chưa xong" in task.title else None

    previous = guards.unregister_source_guard(KIND)
    services.register_source_guard(KIND, guard)
    yield calls
    guards.unregister_source_guard(KIND)
    if previous is not None:
        services.register_source_guard(KIND, previous)


def test_a_guard_refuses_completing_returning_and_cancelling(province, asked):
    task = TaskFactory(province=province, title="Đơn thư chưa xong", source_kind=KIND)
    for action in (
        lambda: services.task_complete(actor=province.clerk_x.user, task=task, text="Đã xong"),
        lambda: services.task_cancel(actor=province.leader.user, task=task, reason="Thôi"),
    ):
        with pytest.raises(ValidationError) as caught:
            action()
        assert caught.value.messages == ["Đơn thư chưa giải quyết xong: chưa kết thúc được."]
    task.refresh_from_db()
    assert task.state == TaskState.ASSIGNED and task.outcome == Outcome.OPEN
    assert [a for _, a, _ in asked] == [guards.COMPLETE, guards.CANCEL]
    # the guard is asked with the task's locked, current row
    assert all(pk == task.pk and state == TaskState.ASSIGNED for pk, _, state in asked)


def test_a_guard_that_answers_none_lets_the_action_go_on(province, asked):
    task = TaskFactory(province=province, title="Đơn thư đã giải quyết", source_kind=KIND)
    services.task_complete(actor=province.clerk_x.user, task=task, text="Đã trả lời công dân")
    assert task.state == TaskState.COMPLETED
    services.task_return(actor=province.leader.user, task=task, reason="Bổ sung biên bản")
    assert task.state == TaskState.IN_PROGRESS
    assert [a for _, a, _ in asked] == [guards.COMPLETE, guards.RETURN]


def test_a_return_is_asked_too(province, asked):
    task = TaskFactory(province=province, title="Đơn thư", source_kind=KIND)
    services.task_complete(actor=province.clerk_x.user, task=task, text="Đã xong")
    task.title = "Đơn thư chưa xong"  # the guard reads what it is given: the locked row
    type(task).objects.filter(pk=task.pk).update(title=task.title)
    with pytest.raises(ValidationError):
        services.task_return(actor=province.leader.user, task=task, reason="Sai")
    task.refresh_from_db()
    assert task.state == TaskState.COMPLETED


def test_tasks_of_other_kinds_are_not_asked(province, asked):
    task = TaskFactory(province=province, title="Việc chưa xong", source_kind=SourceKind.MANUAL)
    services.task_complete(actor=province.clerk_x.user, task=task, text="Xong")
    assert task.state == TaskState.COMPLETED and asked == []
    assert guards.source_refusal(task, guards.COMPLETE) is None
