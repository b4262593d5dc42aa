"""The panel of the document page listing the tasks taken from the document (registered
when the documents app is ready)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode

from vanphong.core.queries import first_with_total
from vanphong.documents import panels
from vanphong.tasks import selectors
from vanphong.tasks.access import may_give_tasks
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
