"""Signing our outgoing documents' PDF files: the signing credentials (PKCS#12 files of
people and of an organisation's seal) and the signing itself (``vanphong.core.signatures``).

A personal credential is added by its person, or by an administrator of the organisation;
a seal only by the organisation's văn thư (register keepers), who alone apply it. The
passphrase is never stored: it opens the file to check it on upload, and again at each
signature. A signature makes a new file of the document (``<name>.signed.pdf``, the exact
signed bytes); the unsigned file stays."""

from __future__ import annotations

import logging
from pathlib import PurePath
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from vanphong.audit.services import audit_record
from vanphong.core.files import PDF
from vanphong.core.signatures import (
    SEAL_FIELD_PREFIX,
    Pkcs12Signer,
    Placement,
    iso_vietnam,
    placement_for_seal,
    placement_for_signer,
    placement_top_right_first_page,
    sign_pdf,
    tsa_url_from_settings,
)
from vanphong.core.signatures.checks import PERSONAL_FIELD_PREFIX
from vanphong.core.signatures.placement import signature_placements
from vanphong.documents.access import get_document_for_user
from vanphong.documents.models import DocumentFile, DocumentState, FileKind
from vanphong.documents.services.files import file_attach, file_verify_signatures
from vanphong.exchange import audit_actions_signing  # noqa: F401  (declares this module's actions)
from vanphong.exchange.models import CredentialKind, SignedFile, SigningCredential
from vanphong.exchange.services import document_files_changed
from vanphong.orgs.access import Capability, can
from vanphong.orgs.actors import Actor, acting_person
from vanphong.orgs.models import Organization, Person

logger = logging.getLogger(__name__)

MAX_CREDENTIAL_BYTES = 256 * 1024  # a PKCS#12 file is a few kilobytes
SIGNABLE_STATES = (DocumentState.APPROVED, DocumentState.ISSUED)
SEAL_RED = (0.8, 0.0, 0.0)
WRONG_PASSPHRASE = "Mật khẩu chứng thư số không đúng."

CredentialUpload = UploadedFile | tuple[str, bytes | IO[bytes]]


def _read_upload(upload: CredentialUpload) -> tuple[str, bytes]:
    if isinstance(upload, UploadedFile):
        name = upload.name or "chung-thu.p12"
        if (upload.size or 0) > MAX_CREDENTIAL_BYTES:
            raise ValidationError("Tệp chứng thư số quá lớn.", code="too_large")
        data = upload.read()
    else:
        name, content = upload
        data = (
            bytes(content)
            if isinstance(content, bytes | bytearray)
            else content.read(MAX_CREDENTIAL_BYTES + 1)
        )
    if len(data) > MAX_CREDENTIAL_BYTES:
        raise ValidationError("Tệp chứng thư số quá lớn.", code="too_large")
    return PurePath(name).name or "chung-thu.p12", data


def _open(data: bytes, passphrase: str) -> Pkcs12Signer:
    """The key, or ValidationError with the reason in Vietnamese."""
    try:
        return Pkcs12Signer.load(data, passphrase)
    except ValueError as error:
        message = str(error)
        code = "wrong_passphrase" if message == WRONG_PASSPHRASE else "invalid_credential"
        raise ValidationError(message, code=code) from None


def credential_may_manage(actor: Actor, credential: SigningCredential) -> bool:
    """Who may deactivate a credential: its person or an administrator of its organisation
    (personal); the organisation's văn thư (seal)."""
    if credential.kind == CredentialKind.SEAL:
        return can(actor, Capability.REGISTER, credential.organization)
    person = getattr(actor, "person", None)
    if person is not None and credential.person_id == person.pk:
        return True
    return can(actor, Capability.MANAGE_PEOPLE, credential.organization)


def credential_add(
    *,
    actor: Actor,
    kind: str,
    organization: Organization,
    person: Person | None,
    upload: CredentialUpload,
    passphrase: str,
) -> SigningCredential:
    """Keep a PKCS#12 file as a signing credential, after opening it with ``passphrase``
    (which is not kept): its certificate's subject, issuer, serial and validity are recorded.
    Audited as ``exchange.credential_add``."""
    me = acting_person(actor)
    if kind not in CredentialKind.values:
        raise ValidationError("Loại chứng thư số không hợp lệ.", code="invalid_kind")
    if kind == CredentialKind.SEAL:
        if not can(actor, Capability.REGISTER, organization):
            raise PermissionDenied("Chỉ văn thư của cơ quan mới nạp được chứng thư số của cơ quan.")
        person = None
    else:
        person = person or me
        if person.pk != me.pk and not can(actor, Capability.MANAGE_PEOPLE, organization):
            raise PermissionDenied("Bạn chỉ nạp được chứng thư số của chính mình.")
    name, data = _read_upload(upload)
    signer = _open(data, passphrase)
    if signer.not_after < timezone.now():
        raise ValidationError("Chứng thư số đã hết hạn.", code="expired")
    credential = SigningCredential(
        kind=kind,
        person=person,
        organization=organization,
        subject=signer.subject[:300],
        issuer=signer.issuer[:300],
        serial=signer.serial[:80],
        not_before=signer.not_before,
        not_after=signer.not_after,
        created_by=me,
    )
    credential.file.save(name, ContentFile(data), save=False)
    stored = credential.file.name
    try:
        with transaction.atomic():
            credential.save(force_insert=True)
            audit_record(
                actor=actor,
                action="exchange.credential_add",
                target=credential,
                after={
                    "kind": kind,
                    "organization": organization.pk,
                    "person": person.pk if person else None,
                    "subject": credential.subject,
                    "serial": credential.serial,
                    "not_after": credential.not_after.isoformat(),
                },
            )
    except BaseException:
        credential.file.storage.delete(stored)
        raise
    return credential


def credential_deactivate(*, actor: Actor, credential: SigningCredential) -> SigningCredential:
    """Stop using a credential (it stays, for the signatures made with it)."""
    if not credential_may_manage(actor, credential):
        raise PermissionDenied("Bạn không có quyền ngừng dùng chứng thư số này.")
    with transaction.atomic():
        credential = SigningCredential.objects.select_for_update().get(pk=credential.pk)
        if not credential.active:
            return credential
        credential.active = False
        credential.save(update_fields=["active"])
        audit_record(
            actor=actor,
            action="exchange.credential_deactivate",
            target=credential,
            before={"active": True},
            after={"active": False},
        )
    return credential


def _signed_name(original: str) -> str:
    stem = PurePath(original).stem or "van-ban"
    return f"{stem}.signed.pdf"[:255]


def _seal_placement(data: bytes) -> tuple[Placement, bool]:
    """Over the left third of the last personal signature, or top right of page 1 when the
    file has none (an attachment in a separate file): the placement, and whether it is the
    top-right one."""
    personal = [p for name, p in signature_placements(data) if not name.startswith(SEAL_FIELD_PREFIX)]
    if personal:
        return placement_for_seal(personal[-1]), False
    return placement_top_right_first_page(data), True


def file_sign(
    *,
    actor: Actor,
    file: DocumentFile,
    credential: SigningCredential,
    passphrase: str,
    as_seal: bool,
) -> DocumentFile:
    """Sign ``file`` (a PDF of an approved or issued document of the credential's
    organisation) with ``credential``: a person's own signature above their printed name, or
    the organisation's seal (văn thư only) over the left third of the last personal signature
    (top right of page 1 when there is none). The signed bytes become a new file of the
    document, verified at once; a ``SignedFile`` row and an audit entry
    (``exchange.file_sign``) record it. A wrong passphrase stores nothing."""
    me = acting_person(actor)
    document = get_document_for_user(actor, file.document_id)
    if not credential.active:
        raise ValidationError("Chứng thư số này đã ngừng sử dụng.", code="inactive")
    if as_seal != (credential.kind == CredentialKind.SEAL):
        raise ValidationError("Chứng thư số không đúng loại chữ ký đã chọn.", code="wrong_kind")
    if credential.kind == CredentialKind.SEAL:
        if not can(actor, Capability.REGISTER, credential.organization):
            raise PermissionDenied("Chỉ văn thư của cơ quan mới được ký số bằng chứng thư của cơ quan.")
    elif credential.person_id != me.pk:
        raise PermissionDenied("Bạn chỉ được ký bằng chứng thư số của chính mình.")
    if file.content_type != PDF:
        raise ValidationError("Chỉ ký số được tệp PDF.", code="not_pdf")
    if document.organization_id != credential.organization_id:
        raise ValidationError("Văn bản không phải của cơ quan trong chứng thư số.", code="wrong_organization")
    if document.state not in SIGNABLE_STATES:
        raise ValidationError("Chỉ ký số văn bản đi đã được duyệt hoặc đã phát hành.", code="not_signable")
    now = timezone.now()
    if not (credential.not_before <= now <= credential.not_after):
        raise ValidationError("Chứng thư số đã hết hạn hoặc chưa có hiệu lực.", code="expired")
    with credential.file.open("rb") as fh:
        key_data = fh.read()
    signer = _open(key_data, passphrase)
    with file.file.open("rb") as fh:
        data = fh.read()
    signed_at_text = iso_vietnam(now)
    if credential.kind == CredentialKind.SEAL:
        placement, top_right = _seal_placement(data)
        agency = credential.organization.name
        if top_right:
            lines = [f"Số: {document.symbol}" if document.symbol else "", agency, signed_at_text]
        else:
            lines = [agency, signed_at_text]
        signed = sign_pdf(
            data,
            signer=signer,
            placement=placement,
            reason="Chữ ký số của cơ quan",
            location=document.issued_place,
            stamp_lines=[line for line in lines if line],
            tsa_url=tsa_url_from_settings(),
            field_prefix=SEAL_FIELD_PREFIX,
            border_color=SEAL_RED,
            align="left",
        )
    else:
        name = document.signer_name or me.full_name
        signed = sign_pdf(
            data,
            signer=signer,
            placement=placement_for_signer(data, name),
            reason="Ký ban hành văn bản",
            location=document.issued_place,
            stamp_lines=[f"Ký bởi: {signer.common_name}", signed_at_text],
            tsa_url=tsa_url_from_settings(),
            field_prefix=PERSONAL_FIELD_PREFIX,
        )
    with transaction.atomic():
        result = file_attach(
            actor=actor,
            document=document,
            upload=(_signed_name(file.original_name), signed),
            kind=FileKind.ORIGINAL,
        )
        SignedFile.objects.create(
            source=file, result=result, credential=credential, signed_by=me, signed_at=now
        )
        audit_record(
            actor=actor,
            action="exchange.file_sign",
            target=document,
            after={
                "source": file.pk,
                "file": result.pk,
                "credential": credential.pk,
                "kind": credential.kind,
                "serial": credential.serial,
                "sha256": result.sha256,
            },
        )
    file_verify_signatures(result)
    if document.state == DocumentState.ISSUED:
        # Signed after issue (the seal): the recipients get the signed file through the exchange.
        document_files_changed(actor=actor, document=document)
    return result


def signing_summary(result: DocumentFile) -> dict[str, Any]:
    """What the page tells after signing: how many signatures and whether all are valid."""
    checks = result.signatures or []
    return {"count": len(checks), "valid": bool(checks) and all(c.get("valid") for c in checks)}
