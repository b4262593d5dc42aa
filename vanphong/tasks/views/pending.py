"""The home page's groups of the reader's own tasks that are overdue or due soon (registered
in ``core.pending`` when the tasks app is ready)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode

from vanphong.core import pending
from vanphong.core.queries import first_with_total
from vanphong.orgs.actors import Actor, person_of
from vanphong.tasks import selectors
from vanphong.tasks.models import Status
from vanphong.tasks.selectors import TaskFilters, Today


def _my_group(user: Actor, key: str, title: str, status: str) -> pending.PendingGroup | None:
    me = person_of(user)
    if me is None:
        return None
    today = Today.now()
    tasks, total = first_with_total(
        selectors.task_list(user, TaskFilters(status=status, mine=me.pk), today=today).order_by(
            "effective_due", "id"
        )
    )
    items = tuple(
        (
            f"{t.title[:80]} — hạn {t.due_date:%d/%m/%Y}" if t.due_date else t.title[:90],
            reverse("tasks:detail", kwargs={"task_id": t.pk}),
        )
        for t in tasks
    )
    url = reverse("tasks:list") + "?" + urlencode({"tab": "mine", "status": status})
    return pending.PendingGroup(key, title, total, url, items)


@pending.register("tasks.overdue")
def pending_overdue(user: Actor) -> pending.PendingGroup | None:
    return _my_group(user, "tasks.overdue", "Nhiệm vụ quá hạn", Status.OVERDUE.value)


@pending.register("tasks.due_soon")
def pending_due_soon(user: Actor) -> pending.PendingGroup | None:
    return _my_group(user, "tasks.due_soon", "Nhiệm vụ sắp đến hạn", Status.DUE_SOON.value)
