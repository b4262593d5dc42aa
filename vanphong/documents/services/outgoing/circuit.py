"""The approval circuit: submission, the stages and their steps, the reviewers' decisions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from vanphong.audit.services import audit_record
from vanphong.documents.models import (
    Document,
    DocumentState,
    ReviewDecision,
    ReviewKind,
    ReviewStep,
)
from vanphong.documents.services.indexing import document_metadata_changed
from vanphong.documents.services.outgoing.common import (
    _locked,
    _require_drafter,
    _require_outgoing,
    _require_visible,
)
from vanphong.documents.services.outgoing.signature import signer_title
from vanphong.orgs.actors import Actor, acting_person
from vanphong.orgs.models import (
    Person,
)

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
    *, actor: Actor, document: Document, steps: Sequence[Mapping[str, Any]]
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
        kind, reviewer = step.get("kind", ""), step.get("reviewer")
        try:
            stage = int(step.get("stage", ""))
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
        document_metadata_changed(document)
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


def outgoing_review_decide(*, actor: Actor, step: ReviewStep, decision: str, comment: str = "") -> ReviewStep:
    """The reviewer's decision on their step, while its stage is the current one. When every
    step of the stage has approved, the next stage opens; the signer's approval makes the
    document approved for issue. A return sends it back to the drafter (new round)."""
    person = acting_person(actor)
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
            signer = document.signer
            assert signer is not None  # the circuit ends with the signer's step
            document.signer_name = signer.full_name
            if not document.signer_position:
                document.signer_position = signer_title(signer, document.organization)
        if document.state != before_state:
            document.save(update_fields=["state", "signer_name", "signer_position", "updated_at"])
            document_metadata_changed(document)
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
