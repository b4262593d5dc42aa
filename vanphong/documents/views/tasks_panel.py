"""The task engine on other modules' pages: the panel of the document page listing the
tasks taken from the document, and the home page's groups of the reader's own tasks that
are overdue or due soon. Imported when the app is ready (``apps.TasksConfig``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode

from vanphong.core import pending
from vanphong.documents import panels
from vanphong.documents.selectors.incoming import first_with_total
from vanphong.orgs.actors import Actor, person_of
from vanphong.tasks import selectors
from vanphong.tasks.access import may_give_tasks
from vanphong.tasks.models import Status
from vanphong.tasks.selectors import TaskFilters, Today

PANEL_LIMIT = 50


@panels.register("tasks", order=25)
def tasks_panel(request: HttpRequest, document: Any) -> panels.Panel | None:
    user = request.user
    today = Today.now()
    tasks, total = first_with_total(
        selectors.task_list(user, TaskFilters(source_document=document.pk), today=today).order_by(
            "effective_due", "id"
        ),
        PANEL_LIMIT,
    )
    for task in tasks:
        task.days_late = selectors.days_late(task, today)
    may_give = may_give_tasks(user)
    if not tasks and not may_give:
        return None
    return panels.Panel(
        key="tasks",
        title="Nhiệm vụ theo dõi",
        template="tasks/_document_panel.html",
        context={
            "document": document,
            "tasks": tasks,
            "total": total,
            "more_url": reverse("tasks:list") + "?" + urlencode({"source_document": document.pk}),
            "may_give": may_give,
        },
    )


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
