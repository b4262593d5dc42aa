"""The incoming flow (văn bản đến): register → present to a leader → direction (bút phê) with
assignments → processed, with the reply linked.

Every function is keyword-only, takes the acting user as ``actor``, runs in one transaction
and writes its audit entry inside it: a registration that fails leaves no document, no
entry and no consumed number behind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.audit.services import audit_record, snapshot
from vanphong.core.textfold import fold
from vanphong.documents import doctypes
from vanphong.documents.access import entries_visible_to
from vanphong.documents.models import (
    Arrival,
    ArrivalState,
    Assignment,
    AssignmentRole,
    Direction,
    Document,
    DocumentLink,
    DocumentState,
    EntryStatus,
    FileKind,
    LinkKind,
    RegisterEntry,
    RegisterKind,
    Style,
    Urgency,
)
from vanphong.documents.services.indexing import document_metadata_changed
from vanphong.documents.services.registering import entry_register, register_for
from vanphong.documents.symbols import ParsedSymbol, parse_symbol
from vanphong.orgs.access import Capability, can, compute_scope
from vanphong.orgs.models import Classification, Organization, Person, Unit
from vanphong.orgs.selectors import party_refusal
from vanphong.tasks.models import SourceKind, Task
from vanphong.tasks.services import TaskSource, task_create

# Statuses in which an entry still waits for someone: the clerk (registered), the leader
# (presented), the assignees (directed, processing).
OPEN_STATUSES = (
    EntryStatus.REGISTERED,
    EntryStatus.PRESENTED,
    EntryStatus.DIRECTED,
    EntryStatus.PROCESSING,
)
CLOSED_STATUSES = (EntryStatus.DONE, EntryStatus.FILED)


# --- Reading what the clerk typed ----------------------------------------------------------------


@dataclass(frozen=True)
class SymbolReading:
    """What a typed symbol says, for the registration form and the API's ``parsed``."""

    typed: str
    parsed: ParsedSymbol | None

    @property
    def symbol(self) -> str:
        """The symbol as stored: the canonical form when it parses, else as typed (trimmed)."""
        return self.parsed.normalized if self.parsed else " ".join(self.typed.split())

    @property
    def warning(self) -> str:
        if self.parsed or not self.typed.strip():
            return ""
        return _(
            "Không đọc được số, ký hiệu “%(symbol)s” theo thể thức văn bản của Đảng (15-NQ/TU) hay "
            "văn bản nhà nước (15/QĐ-UBND). Văn bản vẫn được vào sổ với ký hiệu như đã nhập; "
            "hãy kiểm tra lại nếu gõ nhầm."
        ) % {"symbol": self.typed.strip()}

    def as_dict(self) -> dict[str, Any] | None:
        if self.parsed is None:
            return None
        return {
            "number": self.parsed.number,
            "doc_type": self.parsed.effective_doc_type,
            "issuer_abbreviation": self.parsed.issuer_abbreviation,
            "style": self.parsed.style,
        }


def symbol_read(symbol: str) -> SymbolReading:
    return SymbolReading(typed=symbol or "", parsed=parse_symbol(symbol) if symbol else None)


def issuer_resolve(*, abbreviation: str | None, organization: Organization) -> Organization | None:
    """The organisation a symbol's issuing-body code names, seen from the receiving one.

    Abbreviations repeat (every commune committee is "ĐU"), so: an ancestor of the receiver
    (or the receiver itself) carrying the code wins; "TW" is the centre (the root); then the
    one organisation outside the system with that code; then the only organisation at all
    with it. Anything still ambiguous answers None and the clerk's name for it is kept.
    """
    if not abbreviation:
        return None
    candidates = list(
        Organization.objects.filter(abbreviation=abbreviation, active=True).only(
            "pk", "name", "short_name", "abbreviation", "path", "parent_id", "hosted"
        )
    )
    if not candidates:
        return None
    lineage = [c for c in candidates if organization.path.startswith(c.path)]
    if len(lineage) == 1:
        return lineage[0]
    if lineage:  # the nearest one
        return max(lineage, key=lambda c: len(c.path))
    if abbreviation == "TW":
        roots = [c for c in candidates if c.parent_id is None]
        if len(roots) == 1:
            return roots[0]
    external = [c for c in candidates if not c.hosted]
    if len(external) == 1:
        return external[0]
    if len(candidates) == 1:
        return candidates[0]
    return None


def _names(*names: str) -> set[str]:
    return {fold(n) for n in names if n and n.strip()}


def _same_issuer(
    document: Document, issuer: Organization | None, issuer_name: str, org_names: dict[int, tuple[str, str]]
) -> bool:
    """Same organisation when both name one; otherwise the same name, ignoring case and diacritics."""
    if issuer is not None and document.issuer_id is not None:
        return document.issuer_id == issuer.pk
    mine = _names(issuer.name, issuer.short_name) if issuer is not None else _names(issuer_name)
    theirs = _names(document.issuer_name, *org_names.get(document.issuer_id or 0, ()))
    return bool(mine & theirs)


def incoming_find_duplicate(
    *,
    organization: Organization,
    symbol: str,
    issued_date: dt.date | None,
    issuer: Organization | None = None,
    issuer_name: str = "",
    exclude_entry: RegisterEntry | None = None,
) -> RegisterEntry | None:
    """The earliest incoming entry of ``organization`` for a document with the same issuer
    (the same organisation, or the same name ignoring case and diacritics), the same
    normalised symbol and the same date; None when there is none or the facts are incomplete."""
    reading = symbol_read(symbol)
    if not reading.symbol or issued_date is None:
        return None
    if issuer is None and not issuer_name.strip():
        issuer = issuer_resolve(
            abbreviation=reading.parsed.issuer_abbreviation if reading.parsed else None,
            organization=organization,
        )
        if issuer is None:
            return None
    candidates = (
        RegisterEntry.objects.filter(
            organization=organization,
            register__kind=RegisterKind.INCOMING,
            document__symbol=reading.symbol,
            document__issued_date=issued_date,
        )
        .select_related("document", "register")
        .defer("document__subject", "document__recipients_text")
        .order_by("registered_at", "pk")
    )
    if exclude_entry is not None:
        candidates = candidates.exclude(pk=exclude_entry.pk)
    candidates = list(candidates[:20])
    ids = {c.document.issuer_id for c in candidates if c.document.issuer_id}
    names = {
        pk: (name, short)
        for pk, name, short in Organization.objects.filter(pk__in=ids).values_list("pk", "name", "short_name")
    }
    for candidate in candidates:
        if _same_issuer(candidate.document, issuer, issuer_name.strip(), names):
            return candidate
    return None


# --- Registering ----------------------------------------------------------------------------------


def _person(actor: Any) -> Person | None:
    person = getattr(actor, "person", None) if getattr(actor, "is_authenticated", False) else None
    return person if isinstance(person, Person) else None


def _check_choices(*, doc_type: str, urgency: str, classification: int) -> dict[str, str]:
    errors: dict[str, str] = {}
    if doc_type and doctypes.lookup(doc_type) is None:
        errors["doc_type"] = _("Loại văn bản “%(code)s” không có trong danh mục.") % {"code": doc_type}
    if urgency not in Urgency.values:
        errors["urgency"] = _("Độ khẩn không hợp lệ.")
    if classification not in Classification.values:
        errors["classification"] = _("Độ mật không hợp lệ.")
    return errors


@dataclass(frozen=True)
class _ValidIncoming:
    """What ``incoming_validate`` found right, ready to be written."""

    symbol: str
    reading: SymbolReading
    subject: str
    issuer: Organization | None
    issuer_name: str
    doc_type: str
    now: dt.datetime


def incoming_validate(
    *,
    actor: Any,
    organization: Organization,
    symbol: str,
    subject: str,
    issuer: Organization | None = None,
    issuer_name: str = "",
    issued_date: dt.date | None = None,
    doc_type: str = "",
    urgency: str = Urgency.NORMAL,
    classification: int = Classification.NONE,
    received_at: dt.datetime | None = None,
    page_count: int | None = None,
    arrival: Arrival | None = None,
) -> _ValidIncoming:
    """Every check ``incoming_register`` makes before it writes: ``PermissionDenied`` when
    ``actor`` does not keep ``organization``'s books, else ``ValidationError`` with a
    Vietnamese message per field; reads the symbol and resolves the issuer. Writes nothing."""
    if not can(actor, Capability.REGISTER, organization):
        raise PermissionDenied(_("Bạn không giữ sổ văn bản của %(org)s.") % {"org": organization.name})
    symbol, subject = (symbol or "").strip(), " ".join((subject or "").split())
    issuer_name = " ".join((issuer_name or "").split())
    errors = _check_choices(doc_type=doc_type, urgency=urgency, classification=classification)
    if not symbol:
        errors["symbol"] = _("Hãy nhập số, ký hiệu của văn bản.")
    if not subject:
        errors["subject"] = _("Hãy nhập trích yếu nội dung.")
    now = timezone.now()
    if received_at is not None and received_at > now + dt.timedelta(minutes=5):
        errors["received_at"] = _("Ngày đến không được ở tương lai.")
    if issued_date is not None and issued_date > timezone.localdate(now):
        errors["issued_date"] = _("Ngày văn bản không được sau ngày hôm nay.")
    if page_count is not None and page_count < 1:
        errors["page_count"] = _("Số trang phải là số dương.")
    if arrival is not None and (
        arrival.organization_id != organization.pk or arrival.state != ArrivalState.WAITING
    ):
        errors["arrival"] = _("Văn bản chờ vào sổ này không thuộc cơ quan hoặc đã được xử lý.")
    if errors:
        raise ValidationError(errors)

    reading = symbol_read(symbol)
    parsed = reading.parsed
    if issuer is None:
        issuer = issuer_resolve(
            abbreviation=parsed.issuer_abbreviation if parsed else None, organization=organization
        )
        if (
            issuer is not None
            and issuer_name
            and fold(issuer_name)
            not in {
                fold(issuer.name),
                fold(issuer.short_name),
                fold(issuer.abbreviation),
            }
        ):
            issuer = None  # the clerk named someone else: trust the name typed
    if issuer is not None and not issuer_name:
        issuer_name = issuer.name
    if issuer is None and not issuer_name:
        raise ValidationError({"issuer_name": _("Hãy cho biết cơ quan ban hành văn bản.")})
    return _ValidIncoming(
        symbol=symbol,
        reading=reading,
        subject=subject,
        issuer=issuer,
        issuer_name=issuer_name,
        doc_type=doc_type or (parsed.effective_doc_type if parsed else None) or "",
        now=now,
    )


def incoming_register(
    *,
    actor: Any,
    organization: Organization,
    symbol: str,
    subject: str,
    issuer: Organization | None = None,
    issuer_name: str = "",
    issued_date: dt.date | None = None,
    doc_type: str = "",
    urgency: str = Urgency.NORMAL,
    classification: int = Classification.NONE,
    received_at: dt.datetime | None = None,
    channel: str = "",
    signer_name: str = "",
    signer_position: str = "",
    page_count: int | None = None,
    files: Iterable[Any] = (),
    arrival: Arrival | None = None,
    notes: str = "",
) -> RegisterEntry:
    """Register a received document in ``organization``'s incoming book with the next number.

    The symbol is parsed to fill the type, number and style (a symbol that does not parse
    is kept as typed); the issuer is resolved from the symbol's body code when not given;
    a classified document goes to the classified book; an earlier registration of the same
    document is recorded in ``duplicate_of`` (the document is still registered: the clerk
    has been warned by the form, and a second paper copy is a fact worth recording).
    Checks first (``incoming_validate``), then writes (``_incoming_persist``).
    """
    valid = incoming_validate(
        actor=actor,
        organization=organization,
        symbol=symbol,
        subject=subject,
        issuer=issuer,
        issuer_name=issuer_name,
        issued_date=issued_date,
        doc_type=doc_type,
        urgency=urgency,
        classification=classification,
        received_at=received_at,
        page_count=page_count,
        arrival=arrival,
    )
    return _incoming_persist(
        valid,
        actor=actor,
        organization=organization,
        issued_date=issued_date,
        urgency=urgency,
        classification=classification,
        received_at=received_at,
        channel=channel,
        signer_name=signer_name,
        signer_position=signer_position,
        page_count=page_count,
        files=files,
        arrival=arrival,
        notes=notes,
    )


def _incoming_persist(
    valid: _ValidIncoming,
    *,
    actor: Any,
    organization: Organization,
    issued_date: dt.date | None,
    urgency: str,
    classification: int,
    received_at: dt.datetime | None,
    channel: str,
    signer_name: str,
    signer_position: str,
    page_count: int | None,
    files: Iterable[Any],
    arrival: Arrival | None,
    notes: str,
) -> RegisterEntry:
    """Write a validated registration in one transaction: the duplicate looked up, the
    document, its audit entry, the register entry with the next number (taken under the
    register's row lock, ``entry_register``), the search index, the arrival marked and the
    files attached. A failure leaves nothing behind, no number consumed."""
    parsed = valid.reading.parsed
    with transaction.atomic():
        duplicate = incoming_find_duplicate(
            organization=organization,
            symbol=valid.symbol,
            issued_date=issued_date,
            issuer=valid.issuer,
            issuer_name=valid.issuer_name,
        )
        document = Document.objects.create(
            organization=organization,
            state=DocumentState.RECEIVED,
            style=parsed.style if parsed else Style.PARTY,
            doc_type=valid.doc_type,
            number=parsed.number if parsed else None,
            symbol=valid.reading.symbol,
            issuer=valid.issuer,
            issuer_name=valid.issuer_name,
            issued_date=issued_date,
            subject=valid.subject,
            signer_name=signer_name.strip(),
            signer_position=signer_position.strip(),
            page_count=page_count,
            urgency=urgency,
            classification=classification,
            created_by=_person(actor),
        )
        audit_record(
            actor=actor,
            action="document.receive",
            target=document,
            after=snapshot(document, fields=_DOCUMENT_AUDIT_FIELDS),
        )
        register = register_for(
            organization=organization, kind=RegisterKind.INCOMING, classification=classification
        )
        entry = entry_register(
            actor=actor,
            register=register,
            document=document,
            received_at=received_at or valid.now,
            channel=channel or (arrival.channel if arrival is not None else ""),
            duplicate_of=duplicate,
            notes=notes.strip(),
        )
        # Search and reference links follow the new document, in this same transaction.
        document_metadata_changed(document)
        if arrival is not None:
            from vanphong.documents.services.arrivals import arrival_mark_registered

            arrival_mark_registered(actor=actor, arrival=arrival, entry=entry)
        if files:
            from vanphong.documents.services.files import file_attach

            for upload in files:
                file_attach(actor=actor, document=document, upload=upload, kind=FileKind.ORIGINAL)
    return entry


_DOCUMENT_AUDIT_FIELDS = [
    "organization",
    "style",
    "doc_type",
    "number",
    "symbol",
    "issuer",
    "issuer_name",
    "issued_date",
    "subject",
    "signer_name",
    "signer_position",
    "urgency",
    "classification",
]


# --- Presenting, directing, closing ----------------------------------------------------------------


def _may_see(person: Person, entry: RegisterEntry) -> bool:
    if person.user is None or not person.user.is_active:
        return False
    return entries_visible_to(person.user).filter(pk=entry.pk).exists()


def incoming_present(*, actor: Any, entry: RegisterEntry, to_person: Person, note: str = "") -> RegisterEntry:
    """Present (trình) a registered document to a leader for direction."""
    if not can(actor, Capability.REGISTER, entry.organization):
        raise PermissionDenied(_("Chỉ văn thư giữ sổ mới trình văn bản đến."))
    if entry.status in CLOSED_STATUSES:
        raise ValidationError(_("Văn bản đã xử lý xong, không trình lại."))
    if not to_person.active:
        raise ValidationError({"to_person": _("Người được trình đã thôi công tác.")})
    if to_person.clearance < entry.classification:
        raise ValidationError({"to_person": _("Người được trình không được tiếp cận văn bản có độ mật này.")})
    directs = compute_scope(to_person).reaches(Capability.DIRECT, entry.organization)
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


def may_direct(user: Any, entry: RegisterEntry) -> bool:
    person = _person(user)
    presented_to_me = person is not None and entry.presented_to_id == person.pk
    return presented_to_me or can(user, Capability.DIRECT, entry.organization)


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


def _follow_up_task(direction: Direction, assignments: list[Assignment], *, actor: Any) -> Task | None:
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
    *, actor: Any, entry: RegisterEntry, text: str, assignments: list[Mapping[str, Any]]
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
    cleaned, row_errors = [], []
    for index, row in enumerate(assignments or [], start=1):
        value, problem = _clean_assignment(row, entry, today)
        if problem:
            row_errors.append(_("Phân công thứ %(n)s: %(problem)s") % {"n": index, "problem": problem})
        else:
            cleaned.append(value)
    if sum(1 for a in cleaned if a["role"] == AssignmentRole.LEAD) > 1:
        row_errors.append(_("Chỉ giao một nơi chủ trì."))
    if row_errors:
        errors["assignments"] = row_errors
    if errors:
        raise ValidationError(errors)
    author = _person(actor)
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


def may_mark_processed(user: Any, entry: RegisterEntry) -> bool:
    if can(user, Capability.REGISTER, entry.organization) or can(user, Capability.DIRECT, entry.organization):
        return True
    person = _person(user)
    return (
        person is not None
        and entry.assignments.filter(person=person).exclude(role=AssignmentRole.INFORM).exists()
    )


def incoming_mark_processed(
    *, actor: Any, entry: RegisterEntry, reply: Document | None = None, note: str = ""
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
