"""Giving a task: ``task_create`` checks everything first (``task_validate``: who gives it,
in whose name, to whom, by when, at which classification) and then writes the task, its
parties, its history event, the tally and the audit entry in one transaction
(``_task_persist``). Every module that gives work calls it in its own transaction, with a
``TaskSource`` saying where the task comes from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.orgs.access import Capability, compute_scope
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import Classification, Organization, Person
from vanphong.orgs.selectors import party_refusal
from vanphong.tasks import tally
from vanphong.tasks.access import may_assign_for, may_work
from vanphong.tasks.calendar import WorkCalendar
from vanphong.tasks.models import (
    EventKind,
    Outcome,
    PartyRole,
    Priority,
    SourceKind,
    Task,
    TaskAccess,
    TaskParty,
    TaskSeries,
)
from vanphong.tasks.services.access_rows import task_access_rows
from vanphong.tasks.services.common import (
    MAX_TITLE,
    Target,
    _announce,
    _audit,
    _event,
    _is_active,
    _key,
    _lead_columns,
    _locked,
    _party,
    _person,
    _rollup,
)


@dataclass(frozen=True)
class TaskSource:
    """Where a task comes from, as the engine keeps it without knowing the module that gave
    it: the kind (``SourceKind``), the words that say it ("Văn bản đến số 12, 15-CV/TU: ý kiến
    chỉ đạo của …"), the object it was taken from (a direction, a meeting's conclusion, a
    report request…, kept as a generic link back) and the document it rests on, if any (its
    classification is the task's floor)."""

    kind: str = SourceKind.MANUAL
    label: str = ""
    obj: Model | None = None
    document: Any = None


@dataclass(frozen=True)
class _Valid:
    """What ``task_validate`` found right, ready to be written."""

    creator: Person | None
    title: str
    cooperating: list[Target]
    assigned_on: dt.date
    classification: int


def task_validate(
    *,
    actor: Actor | None,
    organization: Organization,
    title: str,
    lead: Target | None,
    cooperating: Iterable[Target] = (),
    due_date: dt.date | None = None,
    priority: int = Priority.NORMAL,
    classification: int | None = None,
    source: TaskSource = TaskSource(),
    issued_by: Person | None = None,
    parent: Task | None = None,
    assigned_on: dt.date | None = None,
    check_access: bool = True,
    created_by: Person | None = None,
) -> _Valid:
    """Every check ``task_create`` makes before it writes: ``PermissionDenied`` when ``actor``
    may not give a task in ``organization``'s name, else ``ValidationError`` with a
    Vietnamese message per field. Writes nothing."""
    creator = _person(actor) or created_by
    if check_access and (actor is None or not may_assign_for(actor, organization)):
        # The lead of a task may break it down, in the lead organisation's own name only.
        breaking_down = (
            parent is not None
            and actor is not None
            and may_work(actor, parent)
            and organization.pk == parent.lead_organization_id
            and issued_by in (None, creator)
        )
        if not breaking_down:
            raise PermissionDenied(
                _("Bạn không có quyền giao nhiệm vụ thay mặt %(org)s.") % {"org": organization.name}
            )
    assigned_on = assigned_on or timezone.localdate()
    title = " ".join((title or "").split())
    cooperating = list(cooperating)
    errors: dict[str, Any] = {}
    if not title:
        errors["title"] = _("Hãy nhập tên nhiệm vụ.")
    elif len(title) > MAX_TITLE:
        errors["title"] = _("Tên nhiệm vụ dài quá %(n)s ký tự.") % {"n": MAX_TITLE}
    if lead is None:
        errors["lead"] = _("Hãy chọn cơ quan, phòng hoặc cán bộ chủ trì.")
    elif not _is_active(lead):
        errors["lead"] = _("%(name)s không còn hoạt động.") % {"name": lead}
    if lead is not None and any(_key(c) == _key(lead) for c in cooperating):
        errors["cooperating"] = _("Nơi chủ trì không đồng thời là nơi phối hợp.")
    elif len({_key(c) for c in cooperating}) != len(cooperating):
        errors["cooperating"] = _("Một nơi phối hợp được chọn hai lần.")
    elif any(not _is_active(c) for c in cooperating):
        errors["cooperating"] = _("Có nơi phối hợp không còn hoạt động.")
    if due_date is not None and due_date < assigned_on:
        errors["due_date"] = _("Hạn hoàn thành không được trước ngày giao (%(day)s).") % {
            "day": f"{assigned_on:%d/%m/%Y}"
        }
    if priority not in Priority.values:
        errors["priority"] = _("Mức độ không hợp lệ.")
    floor: int = Classification.NONE
    if source.document is not None:
        floor = max(floor, source.document.classification)
    if parent is not None:
        floor = max(floor, parent.classification)
        if parent.outcome != Outcome.OPEN:
            errors["parent"] = _("Nhiệm vụ cha đã kết thúc, không thêm nhiệm vụ con được.")
        elif parent.due_date and due_date and due_date > parent.due_date:
            errors["due_date"] = _("Hạn của nhiệm vụ con không được sau hạn của nhiệm vụ cha (%(day)s).") % {
                "day": f"{parent.due_date:%d/%m/%Y}"
            }
    if classification is None:
        classification = floor
    elif classification not in Classification.values:
        errors["classification"] = _("Độ mật không hợp lệ.")
    elif classification < floor:
        errors["classification"] = _("Độ mật không được thấp hơn độ mật của văn bản, nhiệm vụ nguồn.")
    if source.kind not in SourceKind.values:
        errors["source_kind"] = _("Nguồn giao không hợp lệ.")
    if (
        check_access
        and creator is not None
        and classification is not None
        and classification > creator.clearance
    ):
        errors["classification"] = _(
            "Bạn không được giao nhiệm vụ có độ mật cao hơn mức được tiếp cận của mình."
        )
    # Entered on a leader's behalf: the leader named must direct in that organisation.
    if (
        check_access
        and issued_by is not None
        and issued_by != creator
        and (not issued_by.active or not compute_scope(issued_by).reaches(Capability.DIRECT, organization))
    ):
        errors["issued_by"] = _("%(name)s không phải lãnh đạo có quyền giao nhiệm vụ của %(org)s.") % {
            "name": issued_by.full_name,
            "org": organization.name,
        }
    # Who may be named is decided once, in orgs (``party_refusal``), for tasks and directions.
    # Without ``check_access`` the caller vouches for it: a direction's assignments were
    # checked by the documents service (``incoming_direct``), a recurring occurrence copies
    # the parties its series was given with.
    if check_access:
        level = classification if classification in Classification.values else floor
        if "lead" not in errors and lead is not None:
            refusal = party_refusal(organization, lead, classification=level, outside_bodies=True)
            if refusal:
                errors["lead"] = refusal
        if "cooperating" not in errors:
            refusals = [
                refusal
                for c in cooperating
                if (refusal := party_refusal(organization, c, classification=level, outside_bodies=True))
            ]
            if refusals:
                errors["cooperating"] = refusals
    if errors:
        raise ValidationError(errors)
    return _Valid(
        creator=creator,
        title=title,
        cooperating=cooperating,
        assigned_on=assigned_on,
        classification=classification,
    )


def task_create(
    *,
    actor: Actor | None,
    organization: Organization,
    title: str,
    lead: Target | None,
    content: str = "",
    cooperating: Iterable[Target] = (),
    due_date: dt.date | None = None,
    priority: int = Priority.NORMAL,
    classification: int | None = None,
    source: TaskSource = TaskSource(),
    issued_by: Person | None = None,
    parent: Task | None = None,
    series: TaskSeries | None = None,
    assigned_on: dt.date | None = None,
    calendar: WorkCalendar | None = None,
    check_access: bool = True,
    created_by: Person | None = None,
) -> Task:
    """Give a task. ``lead`` is the organisation, unit or person in charge (chủ trì);
    ``cooperating`` the others (phối hợp); ``source`` where it comes from. The
    classification is the source document's unless a higher one is given. Who may be named
    lead or cooperating party is ``orgs.selectors.party_refusal``'s rule, with ``organization``
    as the giver. ``check_access`` is False only where the caller has checked who acts and
    whom they name (recurring occurrences, a direction whose leader and assignments the
    documents service checked)."""
    valid = task_validate(
        actor=actor,
        organization=organization,
        title=title,
        lead=lead,
        cooperating=cooperating,
        due_date=due_date,
        priority=priority,
        classification=classification,
        source=source,
        issued_by=issued_by,
        parent=parent,
        assigned_on=assigned_on,
        check_access=check_access,
        created_by=created_by,
    )
    assert lead is not None  # task_validate refuses a task without a lead
    return _task_persist(
        valid,
        actor=actor,
        organization=organization,
        lead=lead,
        content=content,
        due_date=due_date,
        priority=priority,
        source=source,
        issued_by=issued_by,
        parent=parent,
        series=series,
        calendar=calendar or WorkCalendar.load(),
    )


def _task_persist(
    valid: _Valid,
    *,
    actor: Actor | None,
    organization: Organization,
    lead: Target,
    content: str,
    due_date: dt.date | None,
    priority: int,
    source: TaskSource,
    issued_by: Person | None,
    parent: Task | None,
    series: TaskSeries | None,
    calendar: WorkCalendar,
) -> Task:
    """Write a validated task with its parties, history event, tally and audit entry, in one
    transaction (the caller's, when it has one); announce it after commit."""
    with transaction.atomic():
        if parent is not None and _locked(parent).outcome != Outcome.OPEN:
            raise ValidationError({"parent": _("Nhiệm vụ cha đã kết thúc, không thêm nhiệm vụ con được.")})
        task = Task(
            title=valid.title,
            content=(content or "").strip(),
            source_kind=source.kind,
            source_label=(source.label or "").strip()[:500],
            source_document=source.document,
            organization=organization,
            issued_by=issued_by or valid.creator,
            created_by=valid.creator,
            parent=parent,
            series=series,
            priority=priority,
            classification=valid.classification,
            assigned_on=valid.assigned_on,
            original_due_date=due_date,
            due_date=due_date,
            effective_due=calendar.effective_due(due_date),
            **_lead_columns(lead),
        )
        if source.obj is not None:
            task.source_type = ContentType.objects.get_for_model(source.obj)
            task.source_id = source.obj.pk
        task.save()
        parties = [_party(PartyRole.LEAD, lead), *(_party(PartyRole.COOPERATE, c) for c in valid.cooperating)]
        for party in parties:
            party.task = task
        TaskParty.objects.bulk_create(parties)
        TaskAccess.objects.bulk_create(task_access_rows(task, parties))
        tally.move(None, tally.bucket(task))
        event = _event(task, EventKind.CREATED, actor, text=task.content)
        _rollup(task)
        _audit(
            actor,
            "task.create",
            task,
            None,
            {
                "title": valid.title,
                "organization": organization.pk,
                "lead": str(lead),
                "cooperating": [str(c) for c in valid.cooperating],
                "due_date": due_date,
                "classification": valid.classification,
                "source": source.kind,
                "parent": parent.pk if parent else None,
            },
        )
        _announce(task, event, actor)
    return task
