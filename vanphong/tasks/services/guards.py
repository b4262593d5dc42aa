"""Checks a work app puts on the life of the tasks it gives, without the engine importing it.

A task given from a work app's object (a report request's report, say) may have to follow
that object: completed only when the report is sent, sent back only when the report is
returned. The work app registers one guard per source kind when it starts (its
``AppConfig.ready``); the engine asks it, inside the action's transaction and after the
task's row is locked, before it completes, returns or cancels such a task. A guard answers
None to let the action go on, or the Vietnamese words that say why not (the engine raises
them as a ``ValidationError``)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError

from vanphong.tasks.models import Task

COMPLETE = "complete"
RETURN = "return"
CANCEL = "cancel"
ACTIONS = (COMPLETE, RETURN, CANCEL)

SourceGuard = Callable[[Task, str], str | None]
_guards: dict[str, SourceGuard] = {}


def register_source_guard(source_kind: str, guard: SourceGuard) -> None:
    """Ask ``guard(task, action)`` before completing, returning or cancelling a task of
    ``source_kind`` (one guard per kind: registering again replaces it)."""
    _guards[source_kind] = guard


def unregister_source_guard(source_kind: str) -> SourceGuard | None:
    """Take the guard of ``source_kind`` away (for tests); answers the one taken."""
    return _guards.pop(source_kind, None)


def source_refusal(task: Task, action: str) -> str | None:
    """Why the work app the task came from refuses ``action`` now, or None."""
    guard = _guards.get(task.source_kind)
    return guard(task, action) if guard is not None else None


def require_source_allows(task: Task, action: str) -> None:
    refusal = source_refusal(task, action)
    if refusal:
        raise ValidationError(refusal)
