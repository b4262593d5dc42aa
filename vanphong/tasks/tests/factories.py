"""Tasks for the tests, given through the engine's own service (never written to the table
directly, so that parties, tally, history and audit are as in real use)."""

from __future__ import annotations

from typing import Any

from vanphong.tasks import services
from vanphong.tasks.models import SourceKind, Task
from vanphong.tasks.services import TaskSource


def give_task(**fields: Any) -> Task:
    """``services.task_create(**fields)``. A test may name the source by its parts
    (``source_kind``, ``source_label``, ``source_document``, and ``source`` for the object
    it came from) or pass a ``TaskSource``."""
    source = fields.pop("source", None)
    if not isinstance(source, TaskSource):
        source = TaskSource(
            kind=fields.pop("source_kind", SourceKind.MANUAL),
            label=fields.pop("source_label", ""),
            obj=source,
            document=fields.pop("source_document", None),
        )
    return services.task_create(source=source, **fields)
