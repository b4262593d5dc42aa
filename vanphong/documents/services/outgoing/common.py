"""The checks every step of the outgoing flow shares: who acts, on which document, its lock,
its style and type, the signer, the recipients."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from vanphong.documents import doctypes, symbols
from vanphong.documents.access import documents_visible_to
from vanphong.documents.models import (
    Document,
    DocumentState,
    RegisterKind,
    Style,
)
from vanphong.documents.services.files import file_attach
from vanphong.documents.services.registering import register_for
from vanphong.orgs.access import Capability, can, compute_scope
from vanphong.orgs.actors import Actor, acting_person
from vanphong.orgs.models import (
    Classification,
    Organization,
    OrgKind,
    Person,
)

# --- Shared checks -------------------------------------------------------------------------------


def _require_visible(actor: Actor, document: Document) -> None:
    if not documents_visible_to(actor).filter(pk=document.pk).exists():
        raise PermissionDenied("Bạn không có quyền xem văn bản này.")


def _require_outgoing(document: Document) -> None:
    if document.state == DocumentState.RECEIVED or document.original_id is not None:
        raise ValidationError("Đây không phải văn bản đi của cơ quan.")


def _require_drafter(actor: Actor, document: Document) -> Person:
    person = acting_person(actor)
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


def _attach(actor: Actor, document: Document, upload: Any) -> Any:
    # Storage (exact bytes, hash, type sniffing, clean-up on rollback) is the files service's.
    return file_attach(actor=actor, document=document, upload=upload, kind="draft")
