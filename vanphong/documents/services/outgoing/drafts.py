"""A draft, its versions and its comments."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from vanphong.audit.services import audit_record
from vanphong.documents.models import (
    Document,
    DocumentState,
    DraftComment,
    DraftVersion,
    Recipient,
    Style,
    Urgency,
)
from vanphong.documents.services.indexing import document_metadata_changed
from vanphong.documents.services.outgoing.common import (
    _attach,
    _check_signer,
    _clean_doc_type,
    _locked,
    _recipient_pairs,
    _require_drafter,
    _require_outgoing,
    _require_visible,
    _style_for,
)
from vanphong.documents.services.outgoing.signature import (
    AUTHORITIES,
    signer_title,
    suggest_authority,
)
from vanphong.documents.services.registering import clearance_error
from vanphong.orgs.access import Capability, can
from vanphong.orgs.actors import Actor, acting_person
from vanphong.orgs.models import (
    CLASSIFICATION_CODES,
    Classification,
    Organization,
    Person,
)

# --- Draft, versions, comments -------------------------------------------------------------------


EDITABLE_STATES = frozenset({DocumentState.DRAFT})
COMMENTABLE_STATES = frozenset({DocumentState.DRAFT, DocumentState.IN_REVIEW, DocumentState.APPROVED})

CIRCULATION_MAX = 200
TYPIST_INITIALS_MAX = 10
COPIES_MAX = 1000


def _clean_boxes(
    errors: dict[str, list[str]], circulation: str, typist_initials: str, copies_count: Any
) -> tuple[str, str, int | None]:
    """The optional boxes printed on the document (NĐ 30 PL I boxes 11 and 12, HD 36 boxes 11a
    and 12): the circulation scope on one line; the typist's initials in capitals, letters
    only (NĐ 30: "ký hiệu bằng chữ in hoa"); the number of copies 1..1000."""
    circulation = " ".join(unicodedata.normalize("NFC", circulation or "").split())
    if len(circulation) > CIRCULATION_MAX:
        errors.setdefault("circulation", []).append(
            f"Phạm vi lưu hành dài quá {CIRCULATION_MAX} ký tự (hiện có {len(circulation)})."
        )
    initials = unicodedata.normalize("NFC", (typist_initials or "").strip()).upper()
    if initials and not initials.isalpha():
        errors.setdefault("typist_initials", []).append(
            "Ký hiệu người đánh máy chỉ gồm chữ cái, không có số, dấu cách hay dấu chấm (ví dụ: TH)."
        )
    elif len(initials) > TYPIST_INITIALS_MAX:
        errors.setdefault("typist_initials", []).append(
            f"Ký hiệu người đánh máy không quá {TYPIST_INITIALS_MAX} chữ cái."
        )
    copies: int | None = None
    if copies_count not in (None, ""):
        try:
            copies = int(copies_count)
            if isinstance(copies_count, float) and copies != copies_count:
                raise ValueError(copies_count)
        except (TypeError, ValueError):
            errors.setdefault("copies_count", []).append("Số lượng bản phải là một số nguyên.")
        else:
            if not 1 <= copies <= COPIES_MAX:
                errors.setdefault("copies_count", []).append(f"Số lượng bản phải từ 1 đến {COPIES_MAX}.")
    return circulation, initials, copies


def outgoing_draft_create(
    *,
    actor: Actor,
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
    circulation: str = "",
    typist_initials: str = "",
    copies_count: int | None = None,
) -> Document:
    """Start an outgoing document as a draft (version 1) of ``organization``.

    ``signing_authority`` None suggests one from the signer's role; "" means the head signs
    in their own name. ``circulation``, ``typist_initials`` and ``copies_count`` are the
    optional boxes the document prints when given (``_clean_boxes``)."""
    person = acting_person(actor)
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
    if refusal := clearance_error(actor, level, doing="soạn"):
        errors.setdefault("classification", []).append(refusal)
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
    circulation, typist_initials, copies = _clean_boxes(errors, circulation, typist_initials, copies_count)
    if errors:
        raise ValidationError(errors)
    assert code is not None  # an unknown type was refused above
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
            circulation=circulation,
            typist_initials=typist_initials,
            copies_count=copies,
            created_by=person,
        )
        Recipient.objects.bulk_create(
            Recipient(document=document, organization=org, purpose=purpose[:60]) for org, purpose in pairs
        )
        stored = [_attach(actor, document, upload) for upload in files]
        document_metadata_changed(document)
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
                "circulation": circulation,
                "typist_initials": typist_initials,
                "copies_count": copies,
                "version": version.number,
                "files": [f.pk for f in stored],
            },
        )
    return document


def outgoing_version_add(
    *, actor: Actor, document: Document, body: str = "", file: Any = None, note: str = ""
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
    *, actor: Actor, document: Document, text: str, version: DraftVersion | None = None
) -> DraftComment:
    """A comment on a draft by anyone who can see it."""
    person = acting_person(actor)
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
