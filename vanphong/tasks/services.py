"""Every change to a task, as plain functions taking explicit arguments. Each one checks who
may do it, validates with Vietnamese messages, writes the task, its history event, the
tally and the audit record in one transaction, and announces the event after commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Case, IntegerField, Model, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.audit.services import audit_record
from vanphong.documents.services.files import Spooled, Upload, spool_upload, store_spooled
from vanphong.orgs.access import Capability, compute_scope
from vanphong.orgs.models import Classification, Organization, Person, Unit
from vanphong.tasks import tally
from vanphong.tasks.access import may_assign_for, may_backdate, may_manage, may_work
from vanphong.tasks.calendar import WorkCalendar
from vanphong.tasks.models import (
    OPEN_STATES,
    EventKind,
    EvidenceFile,
    ExtensionRequest,
    ExtensionState,
    Frequency,
    Outcome,
    PartyRole,
    Priority,
    SourceKind,
    Task,
    TaskEvent,
    TaskParty,
    TaskSeries,
    TaskState,
)
from vanphong.tasks.signals import task_event

Target = Organization | Unit | Person
MAX_TITLE = 500


def _person(actor: Any) -> Person | None:
    if isinstance(actor, Person):
        return actor
    person = getattr(actor, "person", None) if getattr(actor, "is_authenticated", False) else None
    return person if isinstance(person, Person) else None


def _announce(task: Task, event: TaskEvent, actor: Any) -> None:
    transaction.on_commit(lambda: task_event.send(sender=Task, task=task, event=event, actor=actor))


def _audit(actor: Any, action: str, task: Task, before: dict[str, Any] | None, after: dict[str, Any]) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=task,
        organization_id=task.organization_id,
        before=before,
        after=after,
    )


def _state(task: Task) -> dict[str, Any]:
    return {
        "state": task.state,
        "progress": task.progress,
        "due_date": task.due_date,
        "completed_on": task.completed_on,
        "outcome": task.outcome,
    }


def _event(
    task: Task,
    kind: str,
    actor: Any,
    *,
    text: str = "",
    percent: int | None = None,
    documents: Iterable[Any] = (),
    files: Sequence[Spooled] = (),
) -> TaskEvent:
    event = TaskEvent.objects.create(task=task, kind=kind, actor=_person(actor), text=text, percent=percent)
    docs = list(documents)
    if docs:
        event.documents.set(docs)
    for spooled in files:
        evidence = EvidenceFile(
            event=event,
            original_name=spooled.original_name,
            content_type=spooled.content_type,
            size=spooled.size,
            sha256=spooled.sha256,
        )
        store_spooled(spooled, evidence.file)
        evidence.save()
    return event


def _spool_all(uploads: Iterable[Upload]) -> list[Spooled]:
    """Spool every upload before anything is written, so that a bad file loses nothing."""
    spooled: list[Spooled] = []
    try:
        for upload in uploads:
            spooled.append(spool_upload(upload))
    except BaseException:
        for s in spooled:
            s.discard()
        raise
    return spooled


def _discard(spooled: Iterable[Spooled]) -> None:
    for s in spooled:
        s.discard()


def _lead_columns(lead: Target) -> dict[str, Any]:
    if isinstance(lead, Organization):
        return {"lead_organization": lead, "lead_unit": None, "lead_person": None}
    if isinstance(lead, Unit):
        return {"lead_organization": lead.organization, "lead_unit": lead, "lead_person": None}
    if isinstance(lead, Person):
        return {"lead_organization": lead.organization, "lead_unit": lead.unit, "lead_person": lead}
    raise ValidationError({"lead": _("Hãy chọn cơ quan, phòng hoặc cán bộ chủ trì.")})


def _party(role: str, target: Target) -> TaskParty:
    if isinstance(target, Organization):
        return TaskParty(role=role, organization=target)
    if isinstance(target, Unit):
        return TaskParty(role=role, unit=target)
    return TaskParty(role=role, person=target)


def _is_active(target: Target) -> bool:
    return bool(getattr(target, "active", True))


def _key(target: Target) -> tuple[str, int]:
    return (type(target).__name__, target.pk)


def _rollup(task: Task) -> None:
    """Recompute the progress of ``task``'s ancestors from their children: a completed child
    counts 100%, a cancelled one not at all."""
    parent_id = task.parent_id
    while parent_id is not None:
        parent = Task.objects.select_for_update().get(pk=parent_id)
        average = (
            Task.objects.filter(parent_id=parent_id)
            .exclude(outcome=Outcome.CANCELLED)
            .aggregate(
                p=Avg(
                    Case(
                        When(outcome__in=[Outcome.ON_TIME, Outcome.LATE], then=Value(100)),
                        default="progress",
                        output_field=IntegerField(),
                    )
                )
            )["p"]
        )
        progress = 0 if average is None else round(average)
        if parent.outcome == Outcome.OPEN and progress >= 100:
            progress = 99  # the parent itself is done only when it is reported done
        if parent.outcome == Outcome.OPEN and parent.progress != progress:
            Task.objects.filter(pk=parent.pk).update(progress=progress)
        parent_id = parent.parent_id


# --- Creating --------------------------------------------------------------------------------


def task_create(
    *,
    actor: Any,
    organization: Organization,
    title: str,
    lead: Target | None,
    content: str = "",
    cooperating: Iterable[Target] = (),
    due_date: dt.date | None = None,
    priority: int = Priority.NORMAL,
    classification: int | None = None,
    source_kind: str = SourceKind.MANUAL,
    source: Model | None = None,
    source_document: Any = None,
    source_label: str = "",
    issued_by: Person | None = None,
    parent: Task | None = None,
    series: TaskSeries | None = None,
    assigned_on: dt.date | None = None,
    calendar: WorkCalendar | None = None,
    check_access: bool = True,
    created_by: Person | None = None,
) -> Task:
    """Give a task. ``lead`` is the organisation, unit or person in charge (chủ trì);
    ``cooperating`` the others (phối hợp). The classification is the source document's
    unless a higher one is given. ``check_access`` is False only for the engine itself
    (recurring occurrences, tasks born of a direction already checked)."""
    creator = _person(actor) or created_by
    if check_access and not may_assign_for(actor, organization):
        # The lead of a task may break it down, in the lead organisation's own name only.
        breaking_down = (
            parent is not None
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
    floor = Classification.NONE
    if source_document is not None:
        floor = max(floor, source_document.classification)
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
    if source_kind not in SourceKind.values:
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
    if errors:
        raise ValidationError(errors)
    calendar = calendar or WorkCalendar.load()
    with transaction.atomic():
        if parent is not None and _locked(parent).outcome != Outcome.OPEN:
            raise ValidationError({"parent": _("Nhiệm vụ cha đã kết thúc, không thêm nhiệm vụ con được.")})
        task = Task(
            title=title,
            content=(content or "").strip(),
            source_kind=source_kind,
            source_label=(source_label or "").strip()[:500],
            source_document=source_document,
            organization=organization,
            issued_by=issued_by or (creator if creator is not None else None),
            created_by=creator,
            parent=parent,
            series=series,
            priority=priority,
            classification=classification,
            assigned_on=assigned_on,
            original_due_date=due_date,
            due_date=due_date,
            effective_due=calendar.effective_due(due_date),
            **_lead_columns(lead),
        )
        if source is not None:
            task.source_type = ContentType.objects.get_for_model(source)
            task.source_id = source.pk
        task.save()
        parties = [_party(PartyRole.LEAD, lead), *(_party(PartyRole.COOPERATE, c) for c in cooperating)]
        for party in parties:
            party.task = task
        TaskParty.objects.bulk_create(parties)
        tally.move(None, tally.bucket(task))
        event = _event(task, EventKind.CREATED, actor, text=task.content)
        _rollup(task)
        _audit(
            actor,
            "task.create",
            task,
            None,
            {
                "title": title,
                "organization": organization.pk,
                "lead": str(lead),
                "cooperating": [str(c) for c in cooperating],
                "due_date": due_date,
                "classification": classification,
                "source": source_kind,
                "parent": parent.pk if parent else None,
            },
        )
        _announce(task, event, actor)
    return task


# --- The doer's side ---------------------------------------------------------------------------


def _locked(task: Task) -> Task:
    """The task's row, locked — after its ancestors' rows, root first, so that every change
    (a child reporting, which rolls up; a parent being cancelled, which goes down) takes
    the locks of one tree in the same order and two of them never wait on each other."""
    chain, parent_id = [], task.parent_id
    while parent_id is not None:
        chain.append(parent_id)
        parent_id = Task.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
    for ancestor in reversed(chain):
        Task.objects.select_for_update().filter(pk=ancestor).values_list("pk", flat=True).first()
    return (
        Task.objects.select_for_update().select_related("lead_organization", "organization").get(pk=task.pk)
    )


def _require_work(actor: Any, task: Task) -> None:
    if not may_work(actor, task):
        raise PermissionDenied(_("Bạn không phải nơi chủ trì thực hiện nhiệm vụ này."))


def _require_manage(actor: Any, task: Task) -> None:
    if not may_manage(actor, task):
        raise PermissionDenied(_("Chỉ người giao nhiệm vụ (hoặc Văn phòng theo dõi) mới làm được việc này."))


def _require_open(task: Task) -> None:
    if task.state not in OPEN_STATES:
        raise ValidationError(
            _("Nhiệm vụ đang ở trạng thái \u201c%(state)s\u201d, không thực hiện được thao tác này.")
            % {"state": task.get_state_display()}
        )


def _check_within_parent(task: Task, due_date: dt.date) -> None:
    parent_due = Task.objects.filter(pk=task.parent_id).values_list("due_date", flat=True).first()
    if parent_due is not None and due_date > parent_due:
        raise ValidationError(
            {
                "due_date": _("Hạn của nhiệm vụ con không được sau hạn của nhiệm vụ cha (%(day)s).")
                % {"day": f"{parent_due:%d/%m/%Y}"}
            }
        )


def _refresh(task: Task, fresh: Task) -> Task:
    """Copy a locked, changed row's fields back onto the caller's instance."""
    for f in Task._meta.concrete_fields:
        setattr(task, f.attname, getattr(fresh, f.attname))
    return task


def task_accept(*, actor: Any, task: Task) -> Task:
    """The lead acknowledges the task (tiếp nhận)."""
    _require_work(actor, task)
    with transaction.atomic():
        fresh = _locked(task)
        if fresh.state != TaskState.ASSIGNED:
            raise ValidationError(_("Nhiệm vụ đã được tiếp nhận."))
        before = _state(fresh)
        fresh.state = TaskState.ACCEPTED
        fresh.accepted_at = timezone.now()
        fresh.save(update_fields=["state", "accepted_at", "updated_at"])
        event = _event(fresh, EventKind.ACCEPTED, actor)
        _audit(actor, "task.accept", fresh, before, _state(fresh))
        _announce(fresh, event, actor)
    return _refresh(task, fresh)


def task_report_progress(
    *,
    actor: Any,
    task: Task,
    text: str,
    percent: int | None = None,
    documents: Iterable[Any] = (),
    uploads: Iterable[Upload] = (),
    completed: bool = False,
    result_document: Any = None,
    on: dt.date | None = None,
) -> Task:
    """A progress report: text, the percent done (computed from the subtasks when there
    are some) and evidence. With ``completed`` it is the completion report."""
    if completed:
        return task_complete(
            actor=actor,
            task=task,
            text=text,
            result_document=result_document,
            documents=documents,
            uploads=uploads,
            on=on,
        )
    _require_work(actor, task)
    text = (text or "").strip()
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = _("Hãy nhập nội dung báo cáo tiến độ.")
    has_children = Task.objects.filter(parent=task).exclude(outcome=Outcome.CANCELLED).exists()
    if percent is not None:
        if has_children:
            errors["percent"] = _("Tiến độ của nhiệm vụ có nhiệm vụ con được tính từ các nhiệm vụ con.")
        elif not isinstance(percent, int) or not 0 <= percent <= 100:
            errors["percent"] = _("Tiến độ là số phần trăm từ 0 đến 100.")
        elif percent == 100:
            errors["percent"] = _("Tiến độ 100% là đã hoàn thành: hãy chọn \u201cBáo cáo hoàn thành\u201d.")
    if errors:
        raise ValidationError(errors)
    spooled = _spool_all(uploads)
    try:
        with transaction.atomic():
            fresh = _locked(task)
            _require_open(fresh)
            before = _state(fresh)
            fresh.state = TaskState.IN_PROGRESS
            if percent is not None:
                fresh.progress = percent
            fresh.save(update_fields=["state", "progress", "updated_at"])
            event = _event(
                fresh,
                EventKind.PROGRESS,
                actor,
                text=text,
                percent=percent,
                documents=documents,
                files=spooled,
            )
            _rollup(fresh)
            _audit(actor, "task.progress", fresh, before, {**_state(fresh), "text": text})
            _announce(fresh, event, actor)
    finally:
        _discard(spooled)
    return _refresh(task, fresh)


def task_complete(
    *,
    actor: Any,
    task: Task,
    text: str,
    result_document: Any = None,
    documents: Iterable[Any] = (),
    uploads: Iterable[Upload] = (),
    on: dt.date | None = None,
) -> Task:
    """The lead reports the task done, with the result (and its document). On time when
    done by the working-day due date in force (extensions included). The completion date
    is the day of the report; only the assigner's side may record an earlier one (a task
    done before it was entered here), never the doer for themself."""
    _require_work(actor, task)
    today = timezone.localdate()
    on = on or today
    text = (text or "").strip()
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = _("Hãy nêu kết quả thực hiện.")
    if on > today:
        errors["on"] = _("Ngày hoàn thành không được sau hôm nay.")
    elif on < task.assigned_on:
        errors["on"] = _("Ngày hoàn thành không được trước ngày giao nhiệm vụ.")
    elif on < today and not may_backdate(actor, task):
        errors["on"] = _("Ngày hoàn thành là ngày báo cáo; chỉ người giao nhiệm vụ ghi được ngày sớm hơn.")
    if errors:
        raise ValidationError(errors)
    spooled = _spool_all(uploads)
    try:
        with transaction.atomic():
            fresh = _locked(task)
            _require_open(fresh)
            open_children = Task.objects.filter(parent=fresh, outcome=Outcome.OPEN).count()
            if open_children:
                raise ValidationError(
                    {"text": _("Còn %(n)s nhiệm vụ con chưa hoàn thành.") % {"n": open_children}}
                )
            before = _state(fresh)
            old_bucket = tally.bucket(fresh)
            fresh.state = TaskState.COMPLETED
            fresh.completed_on = on
            fresh.completed_at = timezone.now()
            fresh.progress = 100
            fresh.result = text
            fresh.result_document = result_document
            on_time = fresh.effective_due is None or on <= fresh.effective_due
            fresh.outcome = Outcome.ON_TIME if on_time else Outcome.LATE
            fresh.save(
                update_fields=[
                    "state",
                    "completed_on",
                    "completed_at",
                    "progress",
                    "result",
                    "result_document",
                    "outcome",
                    "updated_at",
                ]
            )
            ExtensionRequest.objects.filter(task=fresh, state=ExtensionState.PENDING).update(
                state=ExtensionState.REFUSED,
                decided_at=timezone.now(),
                decision_note=_("Nhiệm vụ đã hoàn thành."),
            )
            tally.move(old_bucket, tally.bucket(fresh))
            docs = list(documents)
            if result_document is not None and result_document not in docs:
                docs.append(result_document)
            event = _event(
                fresh, EventKind.COMPLETED, actor, text=text, percent=100, documents=docs, files=spooled
            )
            _rollup(fresh)
            _audit(actor, "task.complete", fresh, before, _state(fresh))
            _announce(fresh, event, actor)
    finally:
        _discard(spooled)
    return _refresh(task, fresh)


def extension_request(*, actor: Any, task: Task, new_due_date: dt.date, reason: str) -> ExtensionRequest:
    """Ask the assigner for a later due date, with the reason."""
    _require_work(actor, task)
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("Hãy nêu lý do xin gia hạn.")
    if task.due_date is None:
        errors["new_due_date"] = _("Nhiệm vụ không có hạn, không cần gia hạn.")
    elif new_due_date is None or new_due_date <= task.due_date:
        errors["new_due_date"] = _("Hạn đề nghị phải sau hạn hiện tại (%(day)s).") % {
            "day": f"{task.due_date:%d/%m/%Y}"
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        fresh = _locked(task)
        _require_open(fresh)
        if ExtensionRequest.objects.filter(task=fresh, state=ExtensionState.PENDING).exists():
            raise ValidationError({"new_due_date": _("Đã có một đề nghị gia hạn đang chờ quyết định.")})
        try:
            with transaction.atomic():
                request = ExtensionRequest.objects.create(
                    task=fresh,
                    requested_by=_person(actor),
                    current_due_date=fresh.due_date,
                    new_due_date=new_due_date,
                    reason=reason,
                )
        except IntegrityError:
            raise ValidationError(
                {"new_due_date": _("Đã có một đề nghị gia hạn đang chờ quyết định.")}
            ) from None
        event = _event(fresh, EventKind.EXTENSION_REQUESTED, actor, text=f"{new_due_date:%d/%m/%Y}: {reason}")
        _audit(actor, "task.extension_request", fresh, None, {"new_due_date": new_due_date, "reason": reason})
        _announce(fresh, event, actor)
    return request


# --- The assigner's side ----------------------------------------------------------------------


def extension_decide(
    *,
    actor: Any,
    request: ExtensionRequest,
    approve: bool,
    note: str = "",
    calendar: WorkCalendar | None = None,
) -> ExtensionRequest:
    """Approve (the task's due date moves; the original due date stays for the statistics)
    or refuse an extension request."""
    task = request.task
    _require_manage(actor, task)
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"note": _("Hãy nêu lý do không đồng ý gia hạn.")})
    calendar = calendar or WorkCalendar.load()
    with transaction.atomic():
        fresh = _locked(task)
        request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
        if request.state != ExtensionState.PENDING:
            raise ValidationError(_("Đề nghị gia hạn này đã được quyết định."))
        before = _state(fresh)
        request.state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
        request.decided_by = _person(actor)
        request.decided_at = timezone.now()
        request.decision_note = note
        request.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
        if approve:
            _require_open(fresh)
            if fresh.due_date is not None and request.new_due_date <= fresh.due_date:
                raise ValidationError(
                    {
                        "note": _("Hạn đề nghị (%(new)s) không còn sau hạn hiện tại (%(due)s).")
                        % {"new": f"{request.new_due_date:%d/%m/%Y}", "due": f"{fresh.due_date:%d/%m/%Y}"}
                    }
                )
            _check_within_parent(fresh, request.new_due_date)
            fresh.due_date = request.new_due_date
            fresh.effective_due = calendar.effective_due(fresh.due_date)
            fresh.save(update_fields=["due_date", "effective_due", "updated_at"])
        kind = EventKind.EXTENSION_APPROVED if approve else EventKind.EXTENSION_REFUSED
        text = f"{request.new_due_date:%d/%m/%Y}" + (f": {note}" if note else "")
        event = _event(fresh, kind, actor, text=text)
        _audit(
            actor,
            "task.extension_decide",
            fresh,
            before,
            {**_state(fresh), "approved": approve, "note": note},
        )
        _announce(fresh, event, actor)
    task.due_date, task.effective_due = fresh.due_date, fresh.effective_due
    return request


def task_confirm(*, actor: Any, task: Task, text: str = "") -> Task:
    """The assigner confirms a completed task."""
    _require_manage(actor, task)
    with transaction.atomic():
        fresh = _locked(task)
        if fresh.state != TaskState.COMPLETED:
            raise ValidationError(_("Chỉ xác nhận được nhiệm vụ đã báo cáo hoàn thành."))
        before = _state(fresh)
        fresh.state = TaskState.CONFIRMED
        fresh.confirmed_at = timezone.now()
        fresh.confirmed_by = _person(actor)
        fresh.save(update_fields=["state", "confirmed_at", "confirmed_by", "updated_at"])
        event = _event(fresh, EventKind.CONFIRMED, actor, text=(text or "").strip())
        _audit(actor, "task.confirm", fresh, before, _state(fresh))
        _announce(fresh, event, actor)
    return _refresh(task, fresh)


def task_return(*, actor: Any, task: Task, reason: str) -> Task:
    """The assigner sends a completion back: the task is open again (and counted so)."""
    _require_manage(actor, task)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy nêu lý do trả lại.")})
    with transaction.atomic():
        fresh = _locked(task)
        if fresh.state != TaskState.COMPLETED:
            raise ValidationError(_("Chỉ trả lại được nhiệm vụ đã báo cáo hoàn thành và chưa được xác nhận."))
        if (
            fresh.parent_id is not None
            and Task.objects.filter(pk=fresh.parent_id, outcome__in=[Outcome.ON_TIME, Outcome.LATE]).exists()
        ):
            raise ValidationError(_("Nhiệm vụ cha đã hoàn thành: hãy trả lại nhiệm vụ cha trước."))
        before = _state(fresh)
        old_bucket = tally.bucket(fresh)
        last = (
            TaskEvent.objects.filter(task=fresh, kind=EventKind.PROGRESS, percent__isnull=False)
            .order_by("-at", "-id")
            .values_list("percent", flat=True)
            .first()
        )
        fresh.state = TaskState.IN_PROGRESS
        fresh.outcome = Outcome.OPEN
        fresh.completed_on = None
        fresh.completed_at = None
        fresh.confirmed_at = None
        fresh.confirmed_by = None
        fresh.progress = last or 0
        fresh.save(
            update_fields=[
                "state",
                "outcome",
                "completed_on",
                "completed_at",
                "confirmed_at",
                "confirmed_by",
                "progress",
                "updated_at",
            ]
        )
        tally.move(old_bucket, tally.bucket(fresh))
        event = _event(fresh, EventKind.RETURNED, actor, text=reason)
        _rollup(fresh)
        _audit(actor, "task.return", fresh, before, {**_state(fresh), "reason": reason})
        _announce(fresh, event, actor)
    return _refresh(task, fresh)


def task_cancel(*, actor: Any, task: Task, reason: str) -> Task:
    """Withdraw a task (and its open subtasks); it leaves the counts."""
    _require_manage(actor, task)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy nêu lý do hủy nhiệm vụ.")})
    with transaction.atomic():
        fresh = _locked(task)
        _require_open(fresh)
        before = _state(fresh)
        stack, cancelled = [fresh], []
        while stack:
            current = stack.pop()
            old_bucket = tally.bucket(current)
            current.state = TaskState.CANCELLED
            current.outcome = Outcome.CANCELLED
            current.save(update_fields=["state", "outcome", "updated_at"])
            tally.move(old_bucket, tally.bucket(current))
            cancelled.append(current)
            stack.extend(Task.objects.select_for_update().filter(parent=current, outcome=Outcome.OPEN))
        ExtensionRequest.objects.filter(task__in=cancelled, state=ExtensionState.PENDING).update(
            state=ExtensionState.REFUSED, decided_at=timezone.now(), decision_note=_("Nhiệm vụ đã bị hủy.")
        )
        events = [(c, _event(c, EventKind.CANCELLED, actor, text=reason)) for c in cancelled]
        _rollup(fresh)
        _audit(
            actor,
            "task.cancel",
            fresh,
            before,
            {**_state(fresh), "reason": reason, "with": len(cancelled) - 1},
        )
        for c, event in events:
            _announce(c, event, actor)
    return _refresh(task, fresh)


def task_update(
    *,
    actor: Any,
    task: Task,
    title: str | None = None,
    content: str | None = None,
    priority: int | None = None,
    due_date: dt.date | None = None,
    calendar: WorkCalendar | None = None,
) -> Task:
    """Correct an open task's title, content, priority, or due date. A due date is corrected
    here only while no extension has been granted (the original due date moves with it);
    afterwards the due date changes only through extensions."""
    _require_manage(actor, task)
    errors: dict[str, str] = {}
    if title is not None:
        title = " ".join(title.split())
        if not title:
            errors["title"] = _("Hãy nhập tên nhiệm vụ.")
        elif len(title) > MAX_TITLE:
            errors["title"] = _("Tên nhiệm vụ dài quá %(n)s ký tự.") % {"n": MAX_TITLE}
    if priority is not None and priority not in Priority.values:
        errors["priority"] = _("Mức độ không hợp lệ.")
    if due_date is not None and due_date < task.assigned_on:
        errors["due_date"] = _("Hạn hoàn thành không được trước ngày giao.")
    if errors:
        raise ValidationError(errors)
    calendar = calendar or WorkCalendar.load()
    with transaction.atomic():
        fresh = _locked(task)
        _require_open(fresh)
        before = {"title": fresh.title, "content": fresh.content, "priority": fresh.priority, **_state(fresh)}
        old_bucket = tally.bucket(fresh)
        if title is not None:
            fresh.title = title
        if content is not None:
            fresh.content = content.strip()
        if priority is not None:
            fresh.priority = priority
        if due_date is not None and due_date != fresh.due_date:
            if fresh.extended or fresh.extensions.filter(state=ExtensionState.APPROVED).exists():
                raise ValidationError(
                    {"due_date": _("Nhiệm vụ đã được gia hạn; hạn chỉ thay đổi qua đề nghị gia hạn.")}
                )
            _check_within_parent(fresh, due_date)
            if (
                fresh.series_id is not None
                and Task.objects.filter(series_id=fresh.series_id, original_due_date=due_date)
                .exclude(pk=fresh.pk)
                .exists()
            ):
                raise ValidationError({"due_date": _("Kỳ này của nhiệm vụ định kỳ đã có (cùng hạn).")})
            fresh.due_date = fresh.original_due_date = due_date
            fresh.effective_due = calendar.effective_due(due_date)
        fresh.save()
        tally.move(old_bucket, tally.bucket(fresh))
        after = {"title": fresh.title, "content": fresh.content, "priority": fresh.priority, **_state(fresh)}
        event = _event(fresh, EventKind.CHANGED, actor, text=_("Điều chỉnh thông tin nhiệm vụ."))
        _audit(actor, "task.update", fresh, before, after)
        _announce(fresh, event, actor)
    return _refresh(task, fresh)


# --- Recurring tasks ----------------------------------------------------------------------------


def _month_add(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _day_in(year: int, month: int, day: int) -> dt.date:
    nxt_y, nxt_m = _month_add(year, month, 1)
    last = (dt.date(nxt_y, nxt_m, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day, last))


def occurrence_dates(series: TaskSeries, start: dt.date, end: dt.date) -> list[dt.date]:
    """The due dates of ``series`` within [start, end] (and within the series' own span).
    Periods are calendar months, quarters (Jan–Mar …), halves or years; the occurrence
    falls on ``day_of_month`` of the period's last month, or of its ``month_in_period``-th."""
    step = int(series.frequency)
    first = max(start, series.starts_on)
    last = min(end, series.ends_on) if series.ends_on else end
    if first > last:
        return []
    offset = step - 1 if series.month_in_period in (0, None) else min(series.month_in_period, step) - 1
    dates = []
    period_start_month = ((first.month - 1) // step) * step + 1
    year, month = first.year, period_start_month
    while True:
        y, m = _month_add(year, month, offset)
        day = _day_in(y, m, series.day_of_month)
        if day > last:
            break
        if day >= first:
            dates.append(day)
        year, month = _month_add(year, month, step)
    return dates


def series_create(
    *,
    actor: Any,
    frequency: int,
    day_of_month: int,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    month_in_period: int = 0,
    **task_fields: Any,
) -> TaskSeries:
    """A recurring task: the rule, and its first occurrence (the first due date on or after
    ``starts_on`` and today), made with ``task_create``'s checks. Later occurrences are made ahead by
    ``series_generate`` (a daily job), as copies of the latest one."""
    errors: dict[str, str] = {}
    if frequency not in Frequency.values:
        errors["frequency"] = _("Chu kỳ không hợp lệ.")
    if not isinstance(day_of_month, int) or not 1 <= day_of_month <= 31:
        errors["day_of_month"] = _("Ngày trong tháng từ 1 đến 31.")
    if frequency in Frequency.values and not 0 <= (month_in_period or 0) <= int(frequency):
        errors["month_in_period"] = _("Tháng trong kỳ không hợp lệ.")
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("Ngày kết thúc phải sau ngày bắt đầu.")
    if errors:
        raise ValidationError(errors)
    task_fields.pop("due_date", None)
    with transaction.atomic():
        series = TaskSeries.objects.create(
            frequency=frequency,
            day_of_month=day_of_month,
            month_in_period=month_in_period or 0,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        first = max(starts_on, timezone.localdate())  # no occurrence made already late
        dates = occurrence_dates(series, first, ends_on or first + dt.timedelta(days=2 * 366))
        if not dates:
            raise ValidationError({"ends_on": _("Khoảng thời gian không có kỳ nào đến hạn.")})
        task_create(actor=actor, series=series, due_date=dates[0], **task_fields)
    return series


def series_generate(
    series: TaskSeries, *, today: dt.date | None = None, calendar: WorkCalendar | None = None
) -> list[Task]:
    """Make the occurrences of ``series`` due within the horizon that do not exist yet, as
    copies of its latest one. Running it twice makes nothing more."""
    from django.conf import settings

    today = today or timezone.localdate()
    if not series.active:
        return []
    latest = series.tasks.order_by("-original_due_date", "-id").first()
    if latest is None or latest.original_due_date is None:
        return []
    horizon = today + dt.timedelta(days=settings.VANPHONG_TASK_SERIES_HORIZON_DAYS)
    dates = occurrence_dates(series, latest.original_due_date + dt.timedelta(days=1), horizon)
    if not dates:
        return []
    calendar = calendar or WorkCalendar.load()
    made = []
    cooperating = [
        p.target
        for p in latest.parties.filter(role=PartyRole.COOPERATE).select_related(
            "organization", "unit", "person"
        )
    ]
    lead = latest.lead_person or latest.lead_unit or latest.lead_organization
    for due in dates:
        if Task.objects.filter(series=series, original_due_date=due).exists():
            continue
        try:
            with transaction.atomic():
                made.append(
                    task_create(
                        actor=None,
                        organization=latest.organization,
                        title=latest.title,
                        content=latest.content,
                        lead=lead,
                        cooperating=cooperating,
                        due_date=due,
                        priority=latest.priority,
                        classification=latest.classification,
                        source_kind=latest.source_kind,
                        source=latest.source,
                        source_document=latest.source_document,
                        source_label=latest.source_label,
                        issued_by=latest.issued_by,
                        parent=latest.parent
                        if latest.parent and latest.parent.outcome == Outcome.OPEN
                        else None,
                        series=series,
                        assigned_on=min(today, due),
                        calendar=calendar,
                        check_access=False,
                        created_by=latest.created_by,
                    )
                )
        except IntegrityError:  # made meanwhile by another run: the unique (series, due) holds
            continue
    return made


def series_end(*, actor: Any, task: Task, reason: str) -> TaskSeries:
    """Stop a recurring task: no occurrence is made after today (those already made stay,
    to be done or cancelled one by one)."""
    _require_manage(actor, task)
    reason = (reason or "").strip()
    if task.series_id is None:
        raise ValidationError(_("Đây không phải nhiệm vụ định kỳ."))
    if not reason:
        raise ValidationError({"reason": _("Hãy nêu lý do dừng nhiệm vụ định kỳ.")})
    with transaction.atomic():
        series = TaskSeries.objects.select_for_update().get(pk=task.series_id)
        if not series.active:
            raise ValidationError(_("Nhiệm vụ định kỳ này đã dừng."))
        series.active = False
        series.ends_on = timezone.localdate()
        series.save(update_fields=["active", "ends_on"])
        event = _event(task, EventKind.CHANGED, actor, text=_("Dừng nhiệm vụ định kỳ: %(r)s") % {"r": reason})
        _audit(
            actor,
            "task.series_end",
            task,
            {"series": series.pk, "active": True},
            {"active": False, "reason": reason},
        )
        _announce(task, event, actor)
    return series


def series_generate_all(*, today: dt.date | None = None) -> int:
    calendar = WorkCalendar.load()
    return sum(
        len(series_generate(s, today=today, calendar=calendar))
        for s in TaskSeries.objects.filter(active=True)
    )


# --- The calendar ----------------------------------------------------------------------------


def effective_due_refresh(*, around: Iterable[dt.date] = (), calendar: WorkCalendar | None = None) -> int:
    """After the calendar changed: move the working-day due date of the open tasks due near
    the changed days (a run of days off is never longer than two months). Returns how many
    tasks changed."""
    days = sorted(set(around))
    if not days:
        return 0
    calendar = calendar or WorkCalendar.load()
    low, high = days[0] - dt.timedelta(days=62), days[-1]
    changed = 0
    dues = (
        Task.objects.filter(outcome=Outcome.OPEN, due_date__gte=low, due_date__lte=high)
        .values_list("due_date", flat=True)
        .distinct()
    )
    for due in list(dues):
        changed += (
            Task.objects.filter(outcome=Outcome.OPEN, due_date=due)
            .exclude(effective_due=calendar.effective_due(due))
            .update(effective_due=calendar.effective_due(due))
        )
    return changed
