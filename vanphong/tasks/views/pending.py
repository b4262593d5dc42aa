"""The home page's groups of the reader's own tasks: newly given (not yet accepted), overdue,
due soon (registered in ``core.pending`` when the tasks app is ready)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import Truncator

from vanphong.core import pending
from vanphong.core.queries import first_with_total
from vanphong.orgs.actors import Actor, person_of
from vanphong.tasks import selectors
from vanphong.tasks.models import Status, Task, TaskState
from vanphong.tasks.selectors import TaskFilters, Today


def _items(tasks: list[Task]) -> tuple[tuple[str, str], ...]:
    """Each task's title, cut with "…" past 80 characters, and its due date."""
    return tuple(
        (
            f"{Truncator(t.title).chars(80)} — hạn {t.due_date:%d/%m/%Y}"
            if t.due_date
            else Truncator(t.title).chars(90),
            reverse("tasks:detail", kwargs={"task_id": t.pk}),
        )
        for t in tasks
    )


def _mine(user: Actor, status: str = "") -> QuerySet[Task] | None:
    """The reader's own tasks ("Việc của tôi"), with ``status`` when given; None for an
    account that is nobody's."""
    me = person_of(user)
    if me is None:
        return None
    return selectors.task_list(user, TaskFilters(status=status, mine=me.pk), today=Today.now())


def _group(key: str, title: str, tasks: QuerySet[Task], query: dict[str, str]) -> pending.PendingGroup:
    first, total = first_with_total(tasks)
    url = reverse("tasks:list") + "?" + urlencode(query)
    return pending.PendingGroup(key, title, total, url, _items(first))


@pending.register("tasks.new")
def pending_new(user: Actor) -> pending.PendingGroup | None:
    """Tasks given to the reader and not accepted yet, the newest first: a task shows on its
    assignee's home page from the moment it is given, whatever its due date."""
    tasks = _mine(user)
    if tasks is None:
        return None
    new = tasks.filter(state=TaskState.ASSIGNED).order_by("-assigned_on", "-id")
    return _group("tasks.new", "Nhiệm vụ mới giao, chưa tiếp nhận", new, {"tab": "mine"})


def _due_group(user: Actor, key: str, title: str, status: str) -> pending.PendingGroup | None:
    tasks = _mine(user, status)
    if tasks is None:
        return None
    return _group(key, title, tasks.order_by("effective_due", "id"), {"tab": "mine", "status": status})


@pending.register("tasks.overdue")
def pending_overdue(user: Actor) -> pending.PendingGroup | None:
    return _due_group(user, "tasks.overdue", "Nhiệm vụ quá hạn", Status.OVERDUE.value)


@pending.register("tasks.due_soon")
def pending_due_soon(user: Actor) -> pending.PendingGroup | None:
    return _due_group(user, "tasks.due_soon", "Nhiệm vụ sắp đến hạn", Status.DUE_SOON.value)
