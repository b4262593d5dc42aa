"""Between our documents and edXML packages: an issued document as the package's header
fields, and a received package as the fields of a document waiting to be registered.

The document type: QCVN 102 groups the types in tables whose codes differ between the SDK
samples (FACTS §5.1: Type=1 "Công văn" in one, Type=18 in another), so the package carries
our own type code in ``TypeDetail`` and the type's name in ``TypeName``, and a received one
is read from ``TypeDetail`` when it is one of our codes, else from ``TypeName``'s words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from vanphong.documents import doctypes
from vanphong.documents.models import Document, Urgency
from vanphong.documents.symbols import parse_symbol
from vanphong.exchange.edxml import BusinessKind, EdAttachment, EdDocument, Organ
from vanphong.orgs.models import Organization

# OtherInfo/Priority (FACTS §5.3): 0 Thường, 1 Khẩn, 2 Thượng khẩn, 3 Hỏa tốc, 4 Hỏa tốc hẹn giờ.
PRIORITY_OF_URGENCY = {Urgency.NORMAL: 0, Urgency.URGENT: 1, Urgency.VERY_URGENT: 2, Urgency.FLASH: 3}
URGENCY_OF_PRIORITY = {
    0: Urgency.NORMAL,
    1: Urgency.URGENT,
    2: Urgency.VERY_URGENT,
    3: Urgency.FLASH,
    4: Urgency.FLASH,
}

# Type numbers of QCVN 102's table of administrative documents (group B, FACTS §5.1) for the
# types that have one; the others travel with Type 0 and their code and name.
QCVN_TYPE = {
    "NQ": "1",
    "QĐ": "2",
    "CT": "3",
    "QC": "4",
    "QyĐ": "5",
    "TC": "6",
    "TB": "7",
    "HD": "8",
    "CTr": "9",
    "CV": "18",
    "CĐ": "19",
    "GM": "25",
    "GGT": "26",
}


def organ_of(organization: Organization) -> Organ:
    return Organ(
        organ_id=organization.electronic_id or f"slug:{organization.slug or organization.pk}",
        name=organization.name,
    )


def split_symbol(symbol: str, number: int | None) -> tuple[str, str]:
    """``15-NQ/TU`` → ("15", "NQ/TU"); ``1059/QĐ-TTg`` → ("1059", "QĐ-TTg")."""
    parsed = parse_symbol(symbol) if symbol else None
    text = parsed.number_text if parsed else (str(number) if number else "")
    if text and symbol.startswith(text) and len(symbol) > len(text) and symbol[len(text)] in "-/":
        return text, symbol[len(text) + 1 :]
    return text, symbol


def join_symbol(code_number: str, code_notation: str, document_id: str = "") -> str:
    """The symbol as printed, from the package's number and notation. A DocumentId's third part
    is the symbol itself when it starts with the number; else the form that reads as a symbol
    (Party ``15-NQ/TU`` or state ``1059/QĐ-TTg``)."""
    number, notation = code_number.strip(), code_notation.strip()
    parts = document_id.split(",")
    if len(parts) >= 3:
        candidate = ",".join(parts[2:]).strip()
        if number and candidate.startswith(number) and candidate[len(number) : len(number) + 1] in ("-", "/"):
            return candidate[:100]
    if not number:
        return notation[:100]
    if not notation:
        return number[:100]
    for joined in (f"{number}-{notation}", f"{number}/{notation}"):
        parsed = parse_symbol(joined)
        if parsed is not None and parsed.normalized.replace(" ", "") == joined.replace(" ", ""):
            return joined[:100]
    return f"{number}/{notation}"[:100]


def document_key(organization: Organization, issued: dt.date | None, symbol: str) -> str:
    """The package's DocumentId: ``<OrganId>,<yyyy/MM/dd>,<số/ký hiệu>`` (FACTS §5.1)."""
    day = issued.strftime("%Y/%m/%d") if issued else ""
    return f"{organ_of(organization).organ_id},{day},{symbol}"


@dataclass
class FileBytes:
    name: str
    content_type: str
    data: bytes


def package_of(
    document: Document,
    *,
    recipients: list[Organization],
    files: list[FileBytes],
    kind: BusinessKind = BusinessKind.NEW,
    reason: str = "",
    replaces: list[str] | None = None,
) -> EdDocument:
    """An issued ``document`` as an edXML package header and its files."""
    organization = document.organization
    number, notation = split_symbol(document.symbol, document.number)
    code = document.doc_type or ""
    name = doctypes.name_of(code, document.style) or code
    signer = document.signer_name or (document.signer.full_name if document.signer_id else "")  # type: ignore[union-attr]
    return EdDocument(
        sender=organ_of(organization),
        recipients=[organ_of(r) for r in recipients],
        document_id=document_key(organization, document.issued_date, document.symbol),
        code_number=number,
        code_notation=notation,
        place=document.issued_place,
        promulgation_date=document.issued_date,
        type_code=QCVN_TYPE.get(code, "0"),
        type_detail=code,
        type_name=name,
        subject=document.subject,
        signer_competence=document.signing_authority,
        signer_position=document.signer_position,
        signer_name=signer,
        to_places=[
            line.strip(" -–+") for line in document.recipients_text.splitlines() if line.strip(" -–+")
        ],
        priority=PRIORITY_OF_URGENCY.get(Urgency(document.urgency), 0),
        sphere="Liên thông văn bản",
        typer_notation=document.typist_initials,
        promulgation_amount=document.copies_count,
        page_amount=document.page_count,
        business_kind=kind,
        business_reason=reason,
        replaces=list(replaces or []),
        trace=[(organ_of(organization).organ_id, timezone.localtime().replace(tzinfo=None))],
        attachments=[EdAttachment(name=f.name, content_type=f.content_type, data=f.data) for f in files],
    )


def doc_type_of(package: EdDocument, style: str | None = None) -> str:
    detail = (package.type_detail or "").strip()
    if detail and doctypes.lookup(detail) is not None:
        return detail
    if package.type_name:
        return doctypes.code_for_type_word(package.type_name.strip()) or ""
    return ""


def issuer_of(package: EdDocument) -> Organization | None:
    organ_id = package.sender.organ_id.strip()
    if not organ_id:
        return None
    if organ_id.startswith("slug:"):
        return Organization.objects.filter(slug=organ_id[5:]).first()
    return Organization.objects.filter(electronic_id=organ_id).order_by("-active", "pk").first()


def described_fields(package: EdDocument) -> dict[str, Any]:
    """The document a received package describes, as ``Document`` field values."""
    symbol = join_symbol(package.code_number, package.code_notation, package.document_id)
    parsed = parse_symbol(symbol)
    issuer = issuer_of(package)
    signer_position = package.signer_position.strip()
    if package.signer_competence.strip() and not signer_position.upper().startswith(
        package.signer_competence.strip().upper()
    ):
        signer_position = f"{package.signer_competence.strip()} {signer_position}".strip()
    return {
        "symbol": symbol,
        "number": parsed.number if parsed else None,
        "style": parsed.style if parsed else "party",
        "doc_type": doc_type_of(package) or (parsed.effective_doc_type if parsed else "") or "",
        "issuer": issuer,
        "issuer_name": (package.sender.name or (issuer.name if issuer else ""))[:255],
        "issued_date": package.promulgation_date,
        "issued_place": package.place[:120],
        "subject": package.subject.strip(),
        "signer_name": package.signer_name.strip()[:120],
        "signer_position": signer_position[:120],
        "urgency": URGENCY_OF_PRIORITY.get(package.priority, Urgency.NORMAL),
        "page_count": package.page_amount
        if package.page_amount and 0 < package.page_amount < 32767
        else None,
        "recipients_text": "\n".join(package.to_places),
    }


def proposal_of(fields: dict[str, Any]) -> dict[str, Any]:
    """The registration form's prefill (``Arrival.proposal``) from the described fields."""
    return {
        "symbol": fields["symbol"],
        "doc_type": fields["doc_type"],
        "issuer_name": fields["issuer_name"],
        "issuer": fields["issuer"].pk if fields["issuer"] is not None else None,
        "place": fields["issued_place"],
        "issued_date": fields["issued_date"].isoformat() if fields["issued_date"] else None,
        "subject": fields["subject"],
        "signer_name": fields["signer_name"],
        "signer_position": fields["signer_position"],
        "urgency": fields["urgency"] if fields["urgency"] != Urgency.NORMAL else None,
        "classification": None,
    }
