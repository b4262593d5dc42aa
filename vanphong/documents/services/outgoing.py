"""The outgoing flow (văn bản đi): draft, versions and comments, the approval circuit,
issue with number and date, and delivery to the hosted recipients.

Every service checks the actor's right in the access layer, validates, changes the rows and
writes its audit entry inside one transaction. ``actor`` is the signed-in account (a
``User``); errors are ``PermissionDenied`` (no right) or ``ValidationError`` with Vietnamese
messages, keyed by field where a field is at fault.

The circuit (NĐ 30 Điều 10–13; FACTS §1.5): stages run in order, the steps of one stage in
parallel — the department's opinion, the Văn phòng's appraisal of content and of format —
and the last stage is the signer alone. A return sends the draft back to the drafter: the
next submission is a new round, and the decisions of earlier rounds stay as history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from vanphong.audit.services import audit_record
from vanphong.documents import doctypes, symbols
from vanphong.documents.access import documents_visible_to
from vanphong.documents.models import (
    Document,
    DocumentState,
    DraftComment,
    DraftVersion,
    Recipient,
    RegisterCounter,
    RegisterEntry,
    RegisterKind,
    ReviewDecision,
    ReviewKind,
    ReviewStep,
    Style,
    Urgency,
)
from vanphong.documents.numbering import series_for
from vanphong.documents.services.files import file_attach
from vanphong.documents.services.registering import entry_register, register_for, registers_provision_defaults
from vanphong.orgs.access import Capability, can, compute_scope
from vanphong.orgs.models import (
    CLASSIFICATION_CODES,
    Classification,
    Organization,
    OrgKind,
    Person,
    RoleAssignment,
)
from vanphong.orgs.naming import issued_place

DELIVERY_CHANNEL = "nội bộ"
EDITABLE_STATES = frozenset({DocumentState.DRAFT})
COMMENTABLE_STATES = frozenset({DocumentState.DRAFT, DocumentState.IN_REVIEW, DocumentState.APPROVED})


# --- Signing authority and the signature block (FACTS §1.4, §1.5.4, §2.3) ----------------------


@dataclass(frozen=True)
class Authority:
    code: str
    label: str  # Vietnamese meaning, for forms
    party: str  # prefix as the Party writes it (with a slash)
    state: str  # prefix as NĐ 30 writes it (with a dot)
    over: str  # what the prefix stands before: "collective" or "head"


# T/M signs on behalf of a collective; K/T for the head (a deputy); T/L by order (the Chánh
# Văn phòng for the Standing Committee); TUQ by written authorisation; Q. acting head.
AUTHORITIES: dict[str, Authority] = {
    a.code: a
    for a in (
        Authority("TM", "Thay mặt tập thể (T/M)", "T/M", "TM.", "collective"),
        Authority("KT", "Ký thay người đứng đầu (K/T)", "K/T", "KT.", "head"),
        Authority("TL", "Thừa lệnh (T/L)", "T/L", "TL.", "collective"),
        Authority("TUQ", "Thừa ủy quyền (TUQ)", "TUQ.", "TUQ.", "head"),
        Authority("Q", "Quyền người đứng đầu (Q.)", "Q.", "Q.", "head"),
    )
}
AUTHORITY_CHOICES = [("", "Người đứng đầu ký trực tiếp"), *((a.code, a.label) for a in AUTHORITIES.values())]

# The collective a committee's documents are signed for, and the head of each kind of body.
# Agencies (Văn phòng, Ban...) have no fixed head title: it is read from the deputy's title.
COLLECTIVE_BY_KIND = {OrgKind.COMMITTEE: "Ban Thường vụ"}
HEAD_TITLE_BY_KIND = {OrgKind.COMMITTEE: "Bí thư", OrgKind.STATE: "Chủ tịch", OrgKind.FRONT: "Chủ tịch"}
_DEPUTY = "phó "
_TITLE_QUALIFIERS = (" thường trực",)


@dataclass(frozen=True)
class SignatureBlock:
    authority: str  # "T/M BAN THƯỜNG VỤ", "K/T BÍ THƯ" or ""
    title: str  # "BÍ THƯ", "PHÓ BÍ THƯ" or ""
    name: str

    @property
    def lines(self) -> list[str]:
        return [line for line in (self.authority, self.title) if line]


def _head_title(organization: Organization, signer_title: str) -> str:
    title = signer_title.strip()
    if title.lower().startswith(_DEPUTY):
        head = title[len(_DEPUTY) :]
        for qualifier in _TITLE_QUALIFIERS:
            if head.lower().endswith(qualifier):
                head = head[: -len(qualifier)]
        return head.strip()
    return HEAD_TITLE_BY_KIND.get(organization.kind, "") or title


def _collective(organization: Organization) -> str:
    return COLLECTIVE_BY_KIND.get(organization.kind, organization.short_name or organization.name)


def signature_block(document: Document) -> SignatureBlock:
    """The lines above the signature: authority prefix and what it stands for, then the
    signer's title, then the name — "T/M BAN THƯỜNG VỤ / BÍ THƯ / Nguyễn Văn A",
    "K/T BÍ THƯ / PHÓ BÍ THƯ / ...", "TL. CHỦ TỊCH / CHÁNH VĂN PHÒNG / ..." (state style)."""
    organization = document.organization
    title = document.signer_position.strip()
    authority = AUTHORITIES.get(document.signing_authority)
    line = ""
    if authority is not None:
        prefix = authority.party if document.style == Style.PARTY else authority.state
        if authority.over == "collective":
            target = _collective(organization)
        else:
            target = _head_title(organization, title)
        line = f"{prefix} {target.upper()}".strip()
        if authority.code == "Q":  # "Q. CHỦ TỊCH" already is the title
            title = ""
    return SignatureBlock(authority=line, title=title.upper(), name=document.signer_name)


def signer_title(signer: Person, organization: Organization) -> str:
    """The signer's title for this organisation: the title of a current role held in it (or
    in a committee above it), else their position."""
    candidates = [organization.pk, *organization.ancestors().values_list("pk", flat=True)]
    roles = (
        RoleAssignment.objects.current()
        .filter(person=signer, organization_id__in=candidates)
        .exclude(title="")
        .select_related("organization")
    )
    best = max(roles, key=lambda r: r.organization.depth, default=None)
    if best is not None:
        return best.title
    return signer.position.name if signer.position_id else ""


def suggest_authority(organization: Organization, signer: Person) -> str:
    """The usual authority for this signer: a committee's documents are signed on behalf of
    the Standing Committee (T/M); a deputy in an agency signs for the head (K/T); someone
    signing a committee's document from one of its agencies (the Chánh Văn phòng) signs by
    order (T/L); the head of an agency signs in their own name."""
    title = signer_title(signer, organization)
    holds_role_here = (
        RoleAssignment.objects.current().filter(person=signer, organization=organization).exists()
    )
    if organization.kind == OrgKind.COMMITTEE:
        if signer.organization_id != organization.pk and not holds_role_here:
            return "TL"
        return "TM"
    if title.lower().startswith(_DEPUTY):
        return "KT"
    return ""


# --- Shared checks -------------------------------------------------------------------------------


def _person_of(actor: Any) -> Person:
    person = getattr(actor, "person", None) if getattr(actor, "is_authenticated", False) else None
    if not isinstance(person, Person) or not person.active:
        raise PermissionDenied("Tài khoản của bạn chưa gắn với cán bộ nào đang công tác.")
    return person


def _require_visible(actor: Any, document: Document) -> None:
    if not documents_visible_to(actor).filter(pk=document.pk).exists():
        raise PermissionDenied("Bạn không có quyền xem văn bản này.")


def _require_outgoing(document: Document) -> None:
    if document.state == DocumentState.RECEIVED or document.original_id is not None:
        raise ValidationError("Đây không phải văn bản đi của cơ quan.")


def _require_drafter(actor: Any, document: Document) -> Person:
    person = _person_of(actor)
    if document.created_by_id != person.pk and not can(actor, Capability.WRITE, document.organization):
        raise PermissionDenied("Bạn không có quyền sửa dự thảo này.")
    return person


def _locked(document: Document) -> Document:
    """The document row, locked until the transaction ends (and re-read: another request may
    have changed it since the caller fetched it)."""
    return Document.objects.select_for_update().select_related("organization").get(pk=document.pk)


def _style_for(organization: Organization) -> str:
    try:
        return register_for(organization=organization, kind=RegisterKind.OUTGOING).style
    except ValidationError:
        return Style.STATE if organization.kind == OrgKind.STATE else Style.PARTY


def _clean_doc_type(raw: str, style: str) -> str | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    code = symbols.canonical_code(raw, style) or raw
    entry = doctypes.doc_type(code, style)
    if entry is None or entry.copy or entry.normative:
        return None
    return entry.code


def _check_signer(
    errors: dict[str, list[str]], signer: Person, organization: Organization, level: int
) -> None:
    if not signer.active:
        errors.setdefault("signer", []).append("Người ký đã thôi công tác.")
        return
    if not compute_scope(signer).reaches(Capability.DIRECT, organization):
        errors.setdefault("signer", []).append(
            f"{signer.full_name} không giữ vai trò lãnh đạo của {organization.name} "
            "nên không ký được văn bản này."
        )
    if signer.clearance < level:
        errors.setdefault("signer", []).append(
            f"{signer.full_name} chưa được tiếp cận bí mật ở độ {Classification(level).label.lower()}."
        )


def _recipient_pairs(recipients: Iterable[Any]) -> list[tuple[Organization, str]]:
    """Organisations, ``(organisation, purpose)`` pairs or ``{"organization", "purpose"}``."""
    pairs: list[tuple[Organization, str]] = []
    for item in recipients:
        if isinstance(item, Organization):
            pairs.append((item, ""))
        elif isinstance(item, Mapping):
            pairs.append((item["organization"], str(item.get("purpose") or "").strip()))
        else:
            org, purpose = item
            pairs.append((org, str(purpose or "").strip()))
    return pairs


def recipients_text(document: Document) -> str:
    """ "Nơi nhận" as printed: one line per recipient, then the archive copy."""
    lines = []
    for recipient in document.recipients.select_related("organization"):
        purpose = f" ({recipient.purpose})" if recipient.purpose else ""
        lines.append(f"- {recipient.organization.name}{purpose},")
    lines.append(f"- Lưu {_archive_keeper(document.organization)}.")
    return "\n".join(lines)


def _archive_keeper(organization: Organization) -> str:
    if organization.kind == OrgKind.AGENCY:
        return organization.short_name or organization.name
    office = (
        Organization.objects.filter(parent=organization, kind=OrgKind.AGENCY, name__istartswith="Văn phòng")
        .order_by("order", "pk")
        .first()
    )
    return office.name if office is not None else "văn thư cơ quan"


def _attach(actor: Any, document: Document, upload: Any) -> Any:
    # Storage (exact bytes, hash, type sniffing, clean-up on rollback) is the files service's.
    return file_attach(actor=actor, document=document, upload=upload, kind="draft")


# --- Draft, versions, comments -------------------------------------------------------------------


def outgoing_draft_create(
    *,
    actor: Any,
    organization: Organization,
    doc_type: str,
    subject: str,
    urgency: str = Urgency.NORMAL,
    classification: int = Classification.NONE,
    signer: Person | None = None,
    signing_authority: str | None = None,
    recipients: Iterable[Any] = (),
    body: str = "",
    files: Sequence[Any] = (),
    style: str | None = None,
) -> Document:
    """Start an outgoing document as a draft (version 1) of ``organization``.

    ``signing_authority`` None suggests one from the signer's role; "" means the head signs
    in their own name."""
    person = _person_of(actor)
    if not can(actor, Capability.WRITE, organization):
        raise PermissionDenied("Bạn không có quyền soạn thảo văn bản của cơ quan này.")
    style = style or _style_for(organization)
    errors: dict[str, list[str]] = {}
    if style not in Style.values:
        errors.setdefault("style", []).append("Thể thức phải là văn bản của Đảng hoặc văn bản nhà nước.")
        style = Style.PARTY
    code = _clean_doc_type(doc_type, style)
    if code is None:
        errors.setdefault("doc_type", []).append(
            f"Loại văn bản “{doc_type}” không dùng được cho văn bản đi theo thể thức này."
        )
    subject = (subject or "").strip()
    if not subject:
        errors.setdefault("subject", []).append("Cần ghi trích yếu nội dung.")
    if urgency not in Urgency.values:
        errors.setdefault("urgency", []).append("Độ khẩn không hợp lệ.")
    try:
        level = Classification(int(classification))
    except (TypeError, ValueError):
        errors.setdefault("classification", []).append("Độ mật không hợp lệ.")
        level = Classification.NONE
    if level > person.clearance:
        errors.setdefault("classification", []).append(
            "Bạn chưa được tiếp cận bí mật ở độ này nên không soạn được văn bản có độ mật đó."
        )
    if signer is not None:
        _check_signer(errors, signer, organization, level)
    if signing_authority is not None and signing_authority not in ("", *AUTHORITIES):
        errors.setdefault("signing_authority", []).append("Thẩm quyền ký không hợp lệ.")
    pairs = _recipient_pairs(recipients)
    seen: set[int] = set()
    for org, _purpose in pairs:
        if org.pk == organization.pk:
            errors.setdefault("recipients", []).append("Nơi nhận không thể là chính cơ quan ban hành.")
        elif org.pk in seen:
            errors.setdefault("recipients", []).append(f"{org.name} có tên hai lần trong nơi nhận.")
        elif not org.active:
            errors.setdefault("recipients", []).append(f"{org.name} không còn hoạt động.")
        seen.add(org.pk)
    if errors:
        raise ValidationError(errors)
    if signer is not None and signing_authority is None:
        signing_authority = suggest_authority(organization, signer)

    with transaction.atomic():
        document = Document.objects.create(
            organization=organization,
            state=DocumentState.DRAFT,
            style=style,
            doc_type=code,
            issuer=organization,
            issuer_name=organization.name,
            subject=subject,
            signer=signer,
            signer_name=signer.full_name if signer else "",
            signer_position=signer_title(signer, organization) if signer else "",
            signing_authority=signing_authority or "",
            urgency=urgency,
            classification=level,
            created_by=person,
        )
        Recipient.objects.bulk_create(
            Recipient(document=document, organization=org, purpose=purpose[:60]) for org, purpose in pairs
        )
        stored = [_attach(actor, document, upload) for upload in files]
        version = DraftVersion.objects.create(
            document=document,
            number=1,
            body=body or "",
            file=stored[0] if stored else None,
            created_by=person,
        )
        audit_record(
            actor=actor,
            action="outgoing.draft_create",
            target=document,
            after={
                "doc_type": code,
                "subject": subject,
                "urgency": urgency,
                "classification": CLASSIFICATION_CODES[level],
                "signer": signer.pk if signer else None,
                "signing_authority": signing_authority or "",
                "recipients": [org.pk for org, _ in pairs],
                "version": version.number,
                "files": [f.pk for f in stored],
            },
        )
    return document


def outgoing_version_add(
    *, actor: Any, document: Document, body: str = "", file: Any = None, note: str = ""
) -> DraftVersion:
    """A new version of a draft (a changed text, a new file): only while it is a draft."""
    _require_visible(actor, document)
    person = _require_drafter(actor, document)
    if not (body or "").strip() and file is None:
        raise ValidationError({"body": ["Phiên bản mới cần nội dung hoặc tệp dự thảo."]})
    with transaction.atomic():
        document = _locked(document)
        _require_outgoing(document)
        if document.state not in EDITABLE_STATES:
            raise ValidationError(
                "Chỉ sửa được văn bản ở trạng thái dự thảo; văn bản đang trình phải được trả lại trước."
            )
        number = (document.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        stored = _attach(actor, document, file) if file is not None else None
        version = DraftVersion.objects.create(
            document=document,
            number=number,
            body=body or "",
            file=stored,
            note=(note or "")[:255],
            created_by=person,
        )
        audit_record(
            actor=actor,
            action="outgoing.version_add",
            target=document,
            after={"version": number, "note": version.note, "file": stored.pk if stored else None},
        )
    return version


def outgoing_comment_add(
    *, actor: Any, document: Document, text: str, version: DraftVersion | None = None
) -> DraftComment:
    """A comment on a draft by anyone who can see it."""
    person = _person_of(actor)
    _require_visible(actor, document)
    _require_outgoing(document)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": ["Cần ghi nội dung góp ý."]})
    if document.state not in COMMENTABLE_STATES:
        raise ValidationError("Văn bản đã phát hành, không góp ý thêm được.")
    if version is not None and version.document_id != document.pk:
        raise ValidationError({"version": ["Phiên bản không thuộc văn bản này."]})
    if version is None:
        version = document.versions.order_by("-number").first()
    with transaction.atomic():
        comment = DraftComment.objects.create(document=document, version=version, author=person, text=text)
        audit_record(
            actor=actor,
            action="outgoing.comment_add",
            target=document,
            after={"comment": comment.pk, "version": version.number if version else None},
        )
    return comment


# --- The approval circuit ------------------------------------------------------------------------


def current_round(document: Document) -> int:
    return document.review_steps.aggregate(last=Max("round"))["last"] or 0


def current_stage(document: Document) -> int | None:
    """The stage whose steps are waiting now (the lowest one with a pending step), or None."""
    if document.state != DocumentState.IN_REVIEW:
        return None
    pending = document.review_steps.filter(decision=ReviewDecision.PENDING, round=current_round(document))
    return pending.order_by("stage").values_list("stage", flat=True).first()


def outgoing_submit(
    *, actor: Any, document: Document, steps: Sequence[Mapping[str, Any]]
) -> list[ReviewStep]:
    """Send a draft round the circuit. ``steps``: ``{"stage", "kind", "reviewer"}`` each;
    stages run in order (their numbers only give the order), the steps of a stage in
    parallel, and the last stage is a single "sign" step by the document's signer."""
    _require_visible(actor, document)
    _require_drafter(actor, document)
    errors: list[str] = []
    if not steps:
        raise ValidationError({"steps": ["Cần ít nhất bước ký ban hành của người ký."]})
    parsed: list[tuple[int, str, Person]] = []
    for i, step in enumerate(steps, start=1):
        kind, reviewer = step.get("kind"), step.get("reviewer")
        try:
            stage = int(step.get("stage"))
        except (TypeError, ValueError):
            stage = 0
        if stage < 1:
            errors.append(f"Bước {i}: thứ tự phải là số nguyên dương.")
        if kind not in ReviewKind.values:
            errors.append(f"Bước {i}: nội dung duyệt không hợp lệ.")
        if not isinstance(reviewer, Person):
            errors.append(f"Bước {i}: cần chọn người duyệt.")
            continue
        parsed.append((stage, kind, reviewer))
    if errors:
        raise ValidationError({"steps": errors})
    order = sorted({stage for stage, _k, _r in parsed})
    renumber = {stage: n for n, stage in enumerate(order, start=1)}
    parsed = [(renumber[stage], kind, reviewer) for stage, kind, reviewer in parsed]
    last = len(order)
    last_steps = [p for p in parsed if p[0] == last]

    with transaction.atomic():
        document = _locked(document)
        _require_outgoing(document)
        if document.state != DocumentState.DRAFT:
            raise ValidationError("Chỉ trình được văn bản đang ở trạng thái dự thảo.")
        if document.signer_id is None:
            errors.append("Dự thảo chưa có người ký: chọn người ký trước khi trình.")
        if len(last_steps) != 1 or last_steps[0][1] != ReviewKind.SIGN:
            errors.append("Bước cuối cùng phải là một bước duy nhất: người ký xem xét, ký ban hành.")
        elif last_steps[0][2].pk != document.signer_id:
            errors.append("Bước ký ban hành phải do người ký của văn bản thực hiện.")
        if any(kind == ReviewKind.SIGN for stage, kind, _r in parsed if stage != last):
            errors.append("Chỉ bước cuối cùng mới là bước ký ban hành.")
        seen: set[tuple[int, int]] = set()
        for stage, _kind, reviewer in parsed:
            if (stage, reviewer.pk) in seen:
                errors.append(f"{reviewer.full_name} có tên hai lần trong cùng một bước.")
            seen.add((stage, reviewer.pk))
            if not reviewer.active or reviewer.user_id is None:
                errors.append(f"{reviewer.full_name} không còn công tác hoặc chưa có tài khoản.")
            elif reviewer.clearance < document.classification:
                errors.append(f"{reviewer.full_name} chưa được tiếp cận bí mật ở độ mật của văn bản này.")
        if errors:
            raise ValidationError({"steps": errors})
        round_number = current_round(document) + 1
        ReviewStep.objects.bulk_create(
            ReviewStep(document=document, stage=stage, kind=kind, reviewer=reviewer, round=round_number)
            for stage, kind, reviewer in sorted(parsed, key=lambda p: p[0])
        )
        document.state = DocumentState.IN_REVIEW
        document.save(update_fields=["state", "updated_at"])
        audit_record(
            actor=actor,
            action="outgoing.submit",
            target=document,
            before={"state": DocumentState.DRAFT},
            after={
                "state": DocumentState.IN_REVIEW,
                "round": round_number,
                "steps": [[stage, kind, reviewer.pk] for stage, kind, reviewer in parsed],
            },
        )
    return list(document.review_steps.filter(round=round_number).order_by("stage", "id"))


def outgoing_review_decide(*, actor: Any, step: ReviewStep, decision: str, comment: str = "") -> ReviewStep:
    """The reviewer's decision on their step, while its stage is the current one. When every
    step of the stage has approved, the next stage opens; the signer's approval makes the
    document approved for issue. A return sends it back to the drafter (new round)."""
    person = _person_of(actor)
    if step.reviewer_id != person.pk:
        raise PermissionDenied("Bước duyệt này không giao cho bạn.")
    if decision not in (ReviewDecision.APPROVED, ReviewDecision.RETURNED):
        raise ValidationError({"decision": ["Chọn đồng ý hoặc trả lại."]})
    comment = (comment or "").strip()
    if decision == ReviewDecision.RETURNED and not comment:
        raise ValidationError({"comment": ["Cần ghi lý do trả lại để người soạn thảo sửa."]})
    with transaction.atomic():
        document = _locked(step.document)
        step = ReviewStep.objects.select_for_update().get(pk=step.pk)
        if document.state != DocumentState.IN_REVIEW or step.decision != ReviewDecision.PENDING:
            raise ValidationError("Bước duyệt này đã xong hoặc văn bản không còn đang trình.")
        if step.round != current_round(document):
            raise ValidationError("Bước duyệt này thuộc một lượt trình trước.")
        if step.stage != current_stage(document):
            raise ValidationError("Chưa đến lượt bạn: các bước trước chưa xong.")
        step.decision, step.comment, step.decided_at = decision, comment, timezone.now()
        step.save(update_fields=["decision", "comment", "decided_at"])
        before_state = document.state
        if decision == ReviewDecision.RETURNED:
            # Steps not reached in this round never happened; decisions taken stay as history.
            document.review_steps.filter(round=step.round, decision=ReviewDecision.PENDING).delete()
            document.state = DocumentState.DRAFT
        elif not document.review_steps.filter(round=step.round, decision=ReviewDecision.PENDING).exists():
            document.state = DocumentState.APPROVED
            document.signer_name = document.signer.full_name
            if not document.signer_position:
                document.signer_position = signer_title(document.signer, document.organization)
        if document.state != before_state:
            document.save(update_fields=["state", "signer_name", "signer_position", "updated_at"])
        audit_record(
            actor=actor,
            action="outgoing.review_decide",
            target=document,
            before={"state": before_state},
            after={
                "step": step.pk,
                "stage": step.stage,
                "kind": step.kind,
                "round": step.round,
                "decision": decision,
                "comment": comment,
                "state": document.state,
            },
        )
    return step


# --- Issue and delivery --------------------------------------------------------------------------


def outgoing_entry(document: Document) -> RegisterEntry | None:
    return (
        RegisterEntry.objects.filter(
            document=document, organization_id=document.organization_id, register__kind=RegisterKind.OUTGOING
        )
        .select_related("register")
        .first()
    )


def _incoming_register(recipient: Organization, classification: int) -> Any:
    try:
        return register_for(organization=recipient, kind=RegisterKind.INCOMING, classification=classification)
    except ValidationError:
        registers_provision_defaults(organization=recipient, style=_style_for(recipient))
        return register_for(organization=recipient, kind=RegisterKind.INCOMING, classification=classification)


def _lock_counters(document: Document, targets: Iterable[Any], on: dt.date) -> None:
    """Lock every counter this issue will advance, in one fixed order, before anything is
    numbered or audited. The audit chain's head row is locked by every audited transaction
    until it commits, so a counter first locked *after* an audit entry could deadlock with a
    registration in a recipient's book that holds that counter and waits for the head."""
    keys = sorted(
        {
            (
                register.pk,
                series_for(
                    register, doc_type=document.doc_type, classification=document.classification, on=on
                ),
            )
            for register in targets
        }
    )
    for register_id, series in keys:
        RegisterCounter.objects.get_or_create(register_id=register_id, series=series)
        RegisterCounter.objects.select_for_update().get(register_id=register_id, series=series)


def outgoing_issue(*, actor: Any, document: Document, issued_date: dt.date | None = None) -> RegisterEntry:
    """Issue an approved document: the next number of the organisation's outgoing register
    and the date, taken in one transaction under a lock on the document (two clerks pressing
    the button get one number), the symbol written, and the document registered at once in
    the incoming book of every hosted recipient. Issuing again answers the same entry."""
    _person_of(actor)
    organization = document.organization
    if not can(actor, Capability.REGISTER, organization):
        raise PermissionDenied("Chỉ văn thư của cơ quan mới phát hành được văn bản.")
    today = timezone.localdate()
    if issued_date is not None and issued_date > today:
        raise ValidationError({"issued_date": ["Ngày ban hành không được sau ngày hôm nay."]})
    with transaction.atomic():
        document = _locked(document)
        _require_outgoing(document)
        if document.state == DocumentState.ISSUED:
            entry = outgoing_entry(document)
            if entry is None:  # pragma: no cover - an issued document always has its entry
                raise ValidationError("Văn bản đã phát hành nhưng không tìm thấy mục sổ văn bản đi.")
            return entry
        if document.state != DocumentState.APPROVED:
            raise ValidationError("Chỉ phát hành được văn bản đã được người ký duyệt.")
        on = issued_date or today
        register = register_for(
            organization=organization, kind=RegisterKind.OUTGOING, classification=document.classification
        )
        recipients = list(document.recipients.select_related("organization"))
        hosted = [r for r in recipients if r.organization.hosted and r.organization.active]
        incoming = {r.pk: _incoming_register(r.organization, document.classification) for r in hosted}
        _lock_counters(document, [register], on)
        delivered_on = timezone.localdate()
        _lock_counters(document, incoming.values(), delivered_on)

        entry = entry_register(actor=actor, register=register, document=document, on=on)
        try:
            symbol = symbols.format_symbol(
                style=document.style,
                number=entry.number,
                doc_type=document.doc_type,
                issuer_abbreviation=organization.abbreviation,
            )
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        before = {"state": document.state}
        document.number, document.symbol = entry.number, symbol
        document.issued_date, document.issued_place = on, issued_place(organization)
        document.state = DocumentState.ISSUED
        document.recipients_text = document.recipients_text or recipients_text(document)
        document.save(
            update_fields=[
                "number",
                "symbol",
                "issued_date",
                "issued_place",
                "state",
                "recipients_text",
                "updated_at",
            ]
        )
        now = timezone.now()
        delivered = []
        for recipient in hosted:
            delivery = entry_register(
                actor=actor,
                register=incoming[recipient.pk],
                document=document,
                on=delivered_on,
                received_at=now,
                channel=DELIVERY_CHANNEL,
                source_entry=entry,
            )
            recipient.delivered_entry, recipient.delivered_at = delivery, now
            recipient.save(update_fields=["delivered_entry", "delivered_at"])
            delivered.append(recipient.organization_id)
        audit_record(
            actor=actor,
            action="outgoing.issue",
            target=document,
            before=before,
            after={
                "state": DocumentState.ISSUED,
                "number": entry.number,
                "symbol": symbol,
                "issued_date": on,
                "entry": entry.pk,
                "delivered_to": delivered,
                "awaiting_exchange": [r.organization_id for r in recipients if r not in hosted],
            },
        )
    return entry
