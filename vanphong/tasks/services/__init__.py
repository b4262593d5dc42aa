"""Every change to a task, as plain functions taking explicit arguments. Each one checks who
may do it, validates with Vietnamese messages, writes the task, its history event, the
tally and the audit record in one transaction, and announces the event after commit.

One module per part of a task's life: ``create`` (giving a task), ``lifecycle`` (the doer's
and the assigner's actions), ``extensions``, ``handover`` (naming the person who leads),
``series`` (recurring tasks) and ``due_dates``;
``common`` holds what they share; ``guards`` lets the work app a task came from refuse
completing, returning or cancelling it while its own object is not in step; ``reading``
audits the reads of classified tasks and their evidence files. Callers import the actions
from here."""

from vanphong.tasks.services.create import TaskSource, task_create, task_validate
from vanphong.tasks.services.due_dates import effective_due_refresh
from vanphong.tasks.services.extensions import extension_decide, extension_grant, extension_request
from vanphong.tasks.services.guards import register_source_guard, source_refusal
from vanphong.tasks.services.handover import task_hand_to
from vanphong.tasks.services.lifecycle import (
    task_accept,
    task_cancel,
    task_complete,
    task_confirm,
    task_report_progress,
    task_return,
    task_update,
)
from vanphong.tasks.services.reading import evidence_open_for_user, task_viewed
from vanphong.tasks.services.series import (
    occurrence_dates,
    series_create,
    series_end,
    series_generate,
    series_generate_all,
)

__all__ = [
    "TaskSource",
    "effective_due_refresh",
    "evidence_open_for_user",
    "extension_decide",
    "extension_grant",
    "extension_request",
    "occurrence_dates",
    "register_source_guard",
    "series_create",
    "series_end",
    "series_generate",
    "series_generate_all",
    "source_refusal",
    "task_accept",
    "task_cancel",
    "task_complete",
    "task_confirm",
    "task_create",
    "task_hand_to",
    "task_report_progress",
    "task_return",
    "task_update",
    "task_validate",
    "task_viewed",
]
