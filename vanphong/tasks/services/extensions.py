"""Asking for more time, and the assigner's decision; the original due date is kept."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.orgs.actors import Actor
from vanphong.tasks.calendar import WorkCalendar
from vanphong.tasks.models import (
    EventKind,
    ExtensionRequest,
    ExtensionState,
    Task,
)
from vanphong.tasks.services.common import (
    _announce,
    _audit,
    _check_within_parent,
    _event,
    _locked,
    _person,
    _require_manage,
    _require_open,
    _require_work,
    _state,
)


def extension_request(*, actor: Actor, task: Task, new_due_date: dt.date, reason: str) -> ExtensionRequest:
    """Ask the assigner for a later due date, with the reason."""
    _require_work(actor, task)
    requester = _person(actor)
    assert requester is not None  # _require_work passed: a working person acts
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
                    requested_by=requester,
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


def extension_decide(
    *,
    actor: Actor,
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


def extension_grant(
    *,
    actor: Actor,
    task: Task,
    new_due_date: dt.date,
    reason: str,
    calendar: WorkCalendar | None = None,
    check_access: bool = True,
) -> ExtensionRequest:
    """The assigner extends the task on its own decision (a rule's extension for a complex
    case, decided by the one who set the deadline): recorded as an approved extension, the
    original due date kept for the statistics. ``check_access=False`` is for a module whose
    own service has checked who may extend (as it checked who may give the task)."""
    if check_access:
        _require_manage(actor, task)
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("Hãy nêu lý do gia hạn.")
    if task.due_date is None:
        errors["new_due_date"] = _("Nhiệm vụ không có hạn, không cần gia hạn.")
    elif new_due_date is None or new_due_date <= task.due_date:
        errors["new_due_date"] = _("Hạn mới phải sau hạn hiện tại (%(day)s).") % {
            "day": f"{task.due_date:%d/%m/%Y}"
        }
    if errors:
        raise ValidationError(errors)
    calendar = calendar or WorkCalendar.load()
    person = _person(actor)
    if person is None:
        raise PermissionDenied(_("Chỉ cán bộ có tài khoản mới gia hạn nhiệm vụ."))
    with transaction.atomic():
        fresh = _locked(task)
        _require_open(fresh)
        before = _state(fresh)
        _check_within_parent(fresh, new_due_date)
        # A pending request is answered by this decision.
        ExtensionRequest.objects.filter(task=fresh, state=ExtensionState.PENDING).update(
            state=ExtensionState.REFUSED,
            decided_by=person,
            decided_at=timezone.now(),
            decision_note=_("Đã gia hạn theo quyết định của người giao."),
        )
        request = ExtensionRequest.objects.create(
            task=fresh,
            requested_by=person,
            current_due_date=fresh.due_date,
            new_due_date=new_due_date,
            reason=reason,
            state=ExtensionState.APPROVED,
            decided_by=person,
            decided_at=timezone.now(),
        )
        fresh.due_date = new_due_date
        fresh.effective_due = calendar.effective_due(new_due_date)
        fresh.save(update_fields=["due_date", "effective_due", "updated_at"])
        event = _event(fresh, EventKind.EXTENSION_APPROVED, actor, text=f"{new_due_date:%d/%m/%Y}: {reason}")
        _audit(
            actor, "task.extension_decide", fresh, before, {**_state(fresh), "approved": True, "note": reason}
        )
        _announce(fresh, event, actor)
    task.due_date, task.effective_due = fresh.due_date, fresh.effective_due
    return request
