"""Tasks for the tests, given through the engine's own service (never written to the table
directly, so that parties, tally, history and audit are as in real use)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from vanphong.orgs.models import Person
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


class TaskFactory(factory.Factory):
    """A task given through ``give_task`` (so through the service), with sensible defaults:
    the Bí thư gives, for the Tỉnh ủy, "Nhiệm vụ thử" to Đảng ủy xã An Phú, due in 20 days.

    ``province`` (the root conftest's fixture) supplies the defaults that are people or
    organisations; a test that names the actor, the organisation and the lead need not pass
    it. ``due_in`` counts days from today (None: no due date); ``due_date`` wins over it.
    ``actor`` may be a user or a ``Person`` (its account acts). Any other field of
    ``task_create`` or of ``give_task`` (``cooperating``, ``calendar``, ``source_kind``…) is
    passed on as given. Only ``create`` makes sense: there is no task without the service."""

    class Meta:
        model = Task

    class Params:
        province = None
        due_in = 20

    actor = factory.LazyAttribute(lambda o: o.province.leader.user)
    organization = factory.LazyAttribute(lambda o: o.province.committee)
    title = "Nhiệm vụ thử"
    lead = factory.LazyAttribute(lambda o: o.province.commune_x)
    due_date = factory.LazyAttribute(
        lambda o: None if o.due_in is None else timezone.localdate() + dt.timedelta(days=o.due_in)
    )

    @classmethod
    def _create(cls, model_class: type[Task], *args: Any, **fields: Any) -> Task:
        if isinstance(fields["actor"], Person):
            fields["actor"] = fields["actor"].user
        return give_task(**fields)
