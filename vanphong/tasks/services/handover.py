"""Handing a task to the person who will carry it: the lead organisation stays (its books
and counts are unchanged), the person named leads it for that organisation — the task is
theirs on their home page, in their reminders and in ``may_work``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vanphong.orgs.access import Capability, compute_scope
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import Person
from vanphong.tasks.models import EventKind, Task
from vanphong.tasks.services.access_rows import task_access_rebuild
from vanphong.tasks.services.common import _announce, _audit, _event, _locked, _require_manage, _require_open


def task_hand_to(*, actor: Actor, task: Task, person: Person, check_access: bool = True) -> Task:
    """Make ``person`` the lead person of the open ``task`` within its lead organisation.
    ``check_access=False`` is for a module whose own service checked who may hand it (as it
    checked who may give it)."""
    if check_access:
        _require_manage(actor, task)
    if not person.active:
        raise ValidationError({"lead": _("%(name)s không còn công tác.") % {"name": person.full_name}})
    lead = task.lead_organization
    if lead is not None and not compute_scope(person).reaches(Capability.WRITE, lead):
        raise ValidationError(
            {"lead": _("%(name)s không làm việc cho %(org)s.") % {"name": person.full_name, "org": lead.name}}
        )
    with transaction.atomic():
        fresh = _locked(task)
        _require_open(fresh)
        if fresh.lead_person_id == person.pk:
            return fresh
        before = {"lead_person": fresh.lead_person_id}
        fresh.lead_person = person
        fresh.save(update_fields=["lead_person", "updated_at"])
        task_access_rebuild([fresh.pk])
        event = _event(
            fresh, EventKind.CHANGED, actor, text=_("Giao %(name)s chủ trì.") % {"name": person.full_name}
        )
        _audit(actor, "task.update", fresh, before, {"lead_person": person.pk})
        _announce(fresh, event, actor)
    task.lead_person = person
    return fresh
