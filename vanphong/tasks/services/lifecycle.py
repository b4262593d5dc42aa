"""The life of a task after it is given: the doer accepts, reports progress with evidence and
completes it; the assigner confirms, returns, cancels or corrects it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.core.files import Upload
from vanphong.orgs.actors import Actor
from vanphong.tasks import tally
from vanphong.tasks.access import may_backdate
from vanphong.tasks.calendar import WorkCalendar
from vanphong.tasks.models import (
    EventKind,
    ExtensionRequest,
    ExtensionState,
    Outcome,
    Priority,
    Task,
    TaskEvent,
    TaskState,
)
from vanphong.tasks.services.common import (
    MAX_TITLE,
    _announce,
    _audit,
    _check_within_parent,
    _discard,
    _event,
    _locked,
    _person,
    _refresh,
    _require_manage,
    _require_open,
    _require_work,
    _rollup,
    _spool_all,
    _state,
)
from vanphong.tasks.services.guards import CANCEL, COMPLETE, RETURN, require_source_allows


def task_accept(*, actor: Actor, task: Task) -> Task:
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
    actor: Actor,
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
    actor: Actor,
    task: Task,
    text: str,
    result_document: Any = None,
    documents: Iterable[Any] = (),
    uploads: Iterable[Upload] = (),
    on: dt.date | None = None,
    recorded_by_source: bool = False,
) -> Task:
    """The lead reports the task done, with the result (and its document). On time when
    done by the working-day due date in force (extensions included). The completion date
    is the day of the report; only the assigner's side may record an earlier one (a task
    done before it was entered here), never the doer for themself.

    ``recorded_by_source``: the module that gave the task records that what it asked for was
    done there (the archive received the file the task asked the unit to hand over), by a
    person that module has checked; the lead's own check is then the module's."""
    if not recorded_by_source:
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
            require_source_allows(fresh, COMPLETE)
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


def task_confirm(*, actor: Actor, task: Task, text: str = "") -> Task:
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


def task_return(*, actor: Actor, task: Task, reason: str) -> Task:
    """The assigner sends a completion back: the task is open again (and counted so)."""
    _require_manage(actor, task)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy nêu lý do trả lại.")})
    with transaction.atomic():
        fresh = _locked(task)
        if fresh.state != TaskState.COMPLETED:
            raise ValidationError(_("Chỉ trả lại được nhiệm vụ đã báo cáo hoàn thành và chưa được xác nhận."))
        require_source_allows(fresh, RETURN)
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


def task_cancel(*, actor: Actor, task: Task, reason: str, recorded_by_source: bool = False) -> Task:
    """Withdraw a task (and its open subtasks); it leaves the counts. ``recorded_by_source``:
    the module that gave it withdraws it because its reason is gone there (a closed record
    reopened), by a person that module has checked."""
    if not recorded_by_source:
        _require_manage(actor, task)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy nêu lý do hủy nhiệm vụ.")})
    with transaction.atomic():
        fresh = _locked(task)
        _require_open(fresh)
        require_source_allows(fresh, CANCEL)
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
    actor: Actor,
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
