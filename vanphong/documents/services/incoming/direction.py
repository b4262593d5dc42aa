"""Presenting an entry to a leader, the leader's direction (bút phê) and the task it gives,
and closing the entry when it has been dealt with."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.audit.services import audit_record, snapshot
from vanphong.documents.access import entries_visible_to
from vanphong.documents.models import (
    Assignment,
    AssignmentRole,
    Direction,
    Document,
    DocumentLink,
    DocumentState,
    EntryStatus,
    LinkKind,
    OfficeDirectionRule,
    RegisterEntry,
)
from vanphong.documents.services.incoming.reading import CLOSED_STATUSES
from vanphong.documents.signals import entry_progressed
from vanphong.orgs.access import Capability, can, compute_scope, scope_for
from vanphong.orgs.actors import Actor, person_of
from vanphong.orgs.models import Organization, Person, Unit
from vanphong.orgs.selectors import party_refusal
from vanphong.tasks.models import SourceKind, Task
from vanphong.tasks.services import TaskSource, task_create

# --- Presenting, directing, closing ----------------------------------------------------------------


def _may_see(person: Person, entry: RegisterEntry) -> bool:
    if person.user is None or not person.user.is_active:
        return False
    return entries_visible_to(person.user).filter(pk=entry.pk).exists()


def incoming_present(
    *, actor: Actor, entry: RegisterEntry, to_person: Person, note: str = ""
) -> RegisterEntry:
    """Present (trình) a registered document to a leader for direction."""
    if not can(actor, Capability.REGISTER, entry.organization):
        raise PermissionDenied(_("Chỉ văn thư giữ sổ mới trình văn bản đến."))
    if entry.status in CLOSED_STATUSES:
        raise ValidationError(_("Văn bản đã xử lý xong, không trình lại."))
    if not to_person.active:
        raise ValidationError({"to_person": _("Người được trình đã thôi công tác.")})
    if to_person.clearance < entry.classification:
        raise ValidationError({"to_person": _("Người được trình không được tiếp cận văn bản có độ mật này.")})
    to_scope = compute_scope(to_person)
    directs = to_scope.reaches(Capability.DIRECT, entry.organization) or to_scope.reaches(
        Capability.DIRECT_ROUTINE, entry.organization
    )
    if not directs and not _may_see(to_person, entry):
        raise ValidationError(
            {"to_person": _("Người được trình không có quyền xem, cho ý kiến văn bản này.")}
        )
    with transaction.atomic():
        before = snapshot(entry, fields=["status", "presented_to", "presented_at"])
        entry.presented_to = to_person
        entry.presented_at = timezone.now()
        if entry.status == EntryStatus.REGISTERED:
            entry.status = EntryStatus.PRESENTED
        entry.save(update_fields=["presented_to", "presented_at", "status"])
        audit_record(
            actor=actor,
            action="incoming.present",
            target=entry,
            before=before,
            after={
                **snapshot(entry, fields=["status", "presented_to", "presented_at"]),
                "note": note.strip(),
            },
        )
    return entry


def may_direct(user: Actor, entry: RegisterEntry) -> bool:
    """DIRECT in the entry's organisation (or above it), or the leader it was presented to;
    but the leaders of a committee's office (DIRECT_ROUTINE there) direct, presented or not,
    only the routine documents the committee's ``OfficeDirectionRule`` lets them — anything
    else they present on to the committee's leaders."""
    scope = scope_for(user)
    organization = entry.organization
    if scope.reaches(Capability.DIRECT, organization):
        return True
    if scope.reaches(Capability.DIRECT_ROUTINE, organization):
        if entry.classification > scope.clearance:
            return False
        rule = OfficeDirectionRule.objects.filter(committee=organization).first()
        return rule is not None and rule.allows(entry.document)
    person = person_of(user)
    return person is not None and entry.presented_to_id == person.pk


_TARGETS = ("organization", "unit", "person")


def _target(raw: Any, model: type[Any]) -> Any:
    if raw is None or raw == "":
        return None
    if isinstance(raw, model):
        return raw
    try:
        return model.objects.get(pk=int(raw))
    except (model.DoesNotExist, ValueError, TypeError):
        return False  # named, but no such record


def _clean_assignment(
    row: Mapping[str, Any], entry: RegisterEntry, today: dt.date
) -> tuple[dict[str, Any] | None, str]:
    named = [key for key in _TARGETS if row.get(key) not in (None, "")]
    if len(named) != 1:
        return None, _("chọn đúng một nơi nhận việc: một cơ quan, một phòng hoặc một cán bộ.")
    key = named[0]
    model = {"organization": Organization, "unit": Unit, "person": Person}[key]
    target = _target(row[key], model)
    if target is False or target is None:
        return None, {
            "organization": _("không có cơ quan này."),
            "unit": _("không có phòng này."),
            "person": _("không có cán bộ này."),
        }[key]
    # Who may be named: the rule of tasks (the giver is the organisation whose book holds the
    # entry), for every role — one named "for information" reads the document too. The task
    # made of the direction (``_follow_up_task``) relies on this check.
    refusal = party_refusal(entry.organization, target, classification=entry.classification)
    if refusal:
        return None, refusal
    role = row.get("role") or ""
    if role not in AssignmentRole.values:
        return None, _("vai trò phải là chủ trì, phối hợp hoặc để biết.")
    due_date = row.get("due_date")
    if isinstance(due_date, str) and due_date:
        try:
            due_date = dt.date.fromisoformat(due_date)
        except ValueError:
            return None, _("hạn xử lý không đúng dạng ngày.")
    if due_date is not None and not isinstance(due_date, dt.date):
        return None, _("hạn xử lý không đúng dạng ngày.")
    if due_date is not None and role != AssignmentRole.INFORM and due_date < today:
        return None, _("hạn xử lý không được ở quá khứ.")
    return {key: target, "role": role, "due_date": due_date or None}, ""


def _follow_up_task(direction: Direction, assignments: list[Assignment], *, actor: Actor) -> Task | None:
    """One task per direction that names someone to act: the lead assignment (or, with no
    lead, the first cooperating one) leads, the other cooperating ones cooperate; the due
    date is the lead's. "For information" assignments make no task."""
    acting = [a for a in assignments if a.role in (AssignmentRole.LEAD, AssignmentRole.COOPERATE)]
    if not acting:
        return None
    lead = next((a for a in acting if a.role == AssignmentRole.LEAD), acting[0])
    entry = direction.entry
    document = entry.document
    symbol = document.symbol or "không số"
    task = task_create(
        actor=actor,
        organization=entry.organization,
        title=" ".join(document.subject.split())[:500] or symbol,
        content=direction.text,
        lead=lead.target,
        cooperating=[a.target for a in acting if a is not lead],
        due_date=lead.due_date,
        source=TaskSource(
            kind=SourceKind.DIRECTION,
            obj=direction,
            document=document,
            label=f"Văn bản đến số {entry.number}, {symbol}: ý kiến chỉ đạo của {direction.author}",
        ),
        issued_by=direction.author,
        check_access=False,  # may_direct and party_refusal (_clean_assignment) were checked above
    )
    Assignment.objects.filter(pk__in=[a.pk for a in acting]).update(task=task)
    for a in acting:
        a.task = task
    return task


def incoming_direct(
    *, actor: Actor, entry: RegisterEntry, text: str, assignments: Sequence[Mapping[str, Any]]
) -> Direction:
    """Record a leader's direction (bút phê) and who must act on it, by when.

    Each assignment names exactly one organisation, unit or person (an instance or its id)
    that the entry's organisation may name (``orgs.selectors.party_refusal``: its subtree,
    the units and people of it and of the organisations directly under it, people cleared
    for the entry), a role (lead, cooperate, inform) and an optional due date. Lead and cooperating
    assignments are followed as one task of the task engine, made here in the same
    transaction (``_follow_up_task``) and kept on each of them (``Assignment.task``).
    """
    if not may_direct(actor, entry):
        raise PermissionDenied(_("Bạn không có quyền cho ý kiến chỉ đạo văn bản này."))
    text = (text or "").strip()
    errors: dict[str, Any] = {}
    if not text:
        errors["text"] = _("Hãy nhập ý kiến chỉ đạo.")
    if entry.status in CLOSED_STATUSES:
        errors["text"] = _("Văn bản đã xử lý xong, không thể cho thêm ý kiến chỉ đạo.")
    today = timezone.localdate()
    cleaned: list[dict[str, Any]] = []
    row_errors: list[str] = []
    for index, row in enumerate(assignments or [], start=1):
        value, problem = _clean_assignment(row, entry, today)
        if problem or value is None:
            row_errors.append(_("Phân công thứ %(n)s: %(problem)s") % {"n": index, "problem": problem})
        else:
            cleaned.append(value)
    if sum(1 for a in cleaned if a["role"] == AssignmentRole.LEAD) > 1:
        row_errors.append(_("Chỉ giao một nơi chủ trì."))
    if row_errors:
        errors["assignments"] = row_errors
    if errors:
        raise ValidationError(errors)
    author = person_of(actor)
    if author is None:
        raise PermissionDenied(_("Tài khoản chưa gắn với cán bộ nào."))
    with transaction.atomic():
        direction = Direction.objects.create(entry=entry, author=author, text=text)
        created = [
            Assignment.objects.create(direction=direction, entry=entry, **assignment)
            for assignment in cleaned
        ]
        _follow_up_task(direction, created, actor=actor)
        before = snapshot(entry, fields=["status"])
        if entry.status in (EntryStatus.REGISTERED, EntryStatus.PRESENTED):
            entry.status = EntryStatus.DIRECTED
            entry.save(update_fields=["status"])
        if created:
            entry_progressed.send(sender=RegisterEntry, entry=entry, stage="directed")
        audit_record(
            actor=actor,
            action="incoming.direct",
            target=entry,
            before=before,
            after={
                "status": entry.status,
                "direction": direction.pk,
                "text": text,
                "assignments": [
                    {
                        "role": a.role,
                        "organization": a.organization_id,
                        "unit": a.unit_id,
                        "person": a.person_id,
                        "due_date": a.due_date,
                    }
                    for a in created
                ],
            },
        )
    return direction


def may_mark_processed(user: Actor, entry: RegisterEntry) -> bool:
    if can(user, Capability.REGISTER, entry.organization) or can(user, Capability.DIRECT, entry.organization):
        return True
    person = person_of(user)
    return (
        person is not None
        and entry.assignments.filter(person=person).exclude(role=AssignmentRole.INFORM).exists()
    )


def incoming_mark_processed(
    *, actor: Actor, entry: RegisterEntry, reply: Document | None = None, note: str = ""
) -> RegisterEntry:
    """Close an incoming document: processed, with the reply (an outgoing document of the same
    organisation) linked to it when there is one."""
    if not may_mark_processed(actor, entry):
        raise PermissionDenied(_("Bạn không có quyền kết thúc xử lý văn bản này."))
    if entry.status in CLOSED_STATUSES:
        raise ValidationError(_("Văn bản đã được đánh dấu xử lý xong."))
    if reply is not None and (
        reply.organization_id != entry.organization_id
        or reply.state == DocumentState.RECEIVED
        or reply.pk == entry.document_id
    ):
        raise ValidationError({"reply": _("Văn bản trả lời phải là văn bản đi của cùng cơ quan.")})
    note = note.strip()
    with transaction.atomic():
        before = snapshot(entry, fields=["status", "processed_at"])
        entry.status = EntryStatus.DONE
        entry.processed_at = timezone.now()
        fields = ["status", "processed_at"]
        if note:
            entry.notes = f"{entry.notes}\n{note}".strip()
            fields.append("notes")
        entry.save(update_fields=fields)
        entry_progressed.send(sender=RegisterEntry, entry=entry, stage="done")
        link = None
        if reply is not None:
            link, _created = DocumentLink.objects.get_or_create(
                source=reply,
                kind=LinkKind.REPLIES_TO,
                symbol=entry.document.symbol,
                defaults={
                    "target": entry.document,
                    "doc_type": entry.document.doc_type,
                    "referenced_date": entry.document.issued_date,
                },
            )
            if link.target_id != entry.document_id:
                link.target = entry.document
                link.save(update_fields=["target"])
        audit_record(
            actor=actor,
            action="incoming.process",
            target=entry,
            before=before,
            after={
                **snapshot(entry, fields=["status", "processed_at"]),
                "reply": reply.pk if reply is not None else None,
                "link": link.pk if link is not None else None,
                "note": note,
            },
        )
    return entry
