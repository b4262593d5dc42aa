"""The demo documents' files: a first page in the official layout (``demo.documents_files``)
made from a document's own fields, rendered as PDF, and kept as the files service keeps an
upload (exact bytes under ``documents/…/<sha256>/``, the hash and size recorded)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.utils.text import get_valid_filename

from vanphong.core.files import PDF
from vanphong.demo.documents_files import BODY, DemoDocument, Issuer
from vanphong.documents.doctypes import name_of
from vanphong.documents.models import DocumentFile, ExtractionState, FileKind, Style, Urgency
from vanphong.orgs.models import CLASSIFICATION_CODES, Classification

PROVINCE = "TỈNH LÂM ĐỒNG"
PARTY_PROVINCE = "ĐẢNG BỘ TỈNH LÂM ĐỒNG"

# The header printed by each body that writes to the demo province (abbreviation → lines).
_HEADERS: dict[str, tuple[tuple[str, ...], bool]] = {
    "TW": (("BAN CHẤP HÀNH TRUNG ƯƠNG", "*"), True),
    "BTCTW": (("BAN CHẤP HÀNH TRUNG ƯƠNG", "BAN TỔ CHỨC"), True),
    "VPTW": (("BAN CHẤP HÀNH TRUNG ƯƠNG", "VĂN PHÒNG"), True),
    "UBND": (("ỦY BAN NHÂN DÂN", PROVINCE), False),
    "MTTQ": (("ỦY BAN MTTQ VIỆT NAM", PROVINCE), False),
    "CAT": (("BỘ CÔNG AN", "CÔNG AN " + PROVINCE), False),
    "TU": ((PARTY_PROVINCE, "TỈNH ỦY"), True),
}
# Who signs for them (invented names).
_SIGNERS: dict[str, tuple[str, str, str]] = {
    "TW": ("T/M BAN BÍ THƯ", "", "Trần Văn Quang"),
    "BTCTW": ("K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Nguyễn Thanh Bình"),
    "VPTW": ("K/T CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG", "Lê Minh Đức"),
    "UBND": ("T/M ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Hoàng Minh Tuấn"),
    "MTTQ": ("T/M BAN THƯỜNG TRỰC", "CHỦ TỊCH", "Đặng Thị Thu Hà"),
    "CAT": ("", "GIÁM ĐỐC", "Võ Quốc Hùng"),
}
_SECRETARY = "Phạm Quang Vinh"  # the Bí thư's name in the demo province


@dataclass(frozen=True)
class Page:
    """A document to print: its fields as the page shows them."""

    document_id: int
    symbol: str
    doc_type: str
    style: str
    subject: str
    issuer_abbreviation: str  # as printed in the symbol ("BTCTW" for a TW organ's guide)
    issuer_name: str
    issued_date: dt.date
    urgency: str = Urgency.NORMAL
    classification: int = Classification.NONE
    signer_name: str = ""
    committee: bool = False  # issued by a Party committee of the province (its own header)
    to_province: bool = True  # written to the Tỉnh ủy (else by the Tỉnh ủy, or to a commune)


def _printed_subject(page: Page, party: bool) -> str:
    """The subject as printed under the type's name: without the name itself ("Nghị quyết
    về …" under "NGHỊ QUYẾT"); a letter's "V/v …"."""
    subject = page.subject
    if page.doc_type == "CV":
        for prefix in ("Công văn về việc ", "Về việc "):
            if subject.startswith(prefix):
                return "V/v " + subject[len(prefix) :]
        return subject if subject.startswith("V/v") else f"V/v {subject[0].lower()}{subject[1:]}"
    type_name = name_of(page.doc_type, "party" if party else "state") or ""
    if type_name and subject.lower().startswith(type_name.lower() + " "):
        return subject[len(type_name) + 1 :]
    return subject


def _issuer(page: Page) -> Issuer:
    abbreviation = page.issuer_abbreviation
    if abbreviation in _HEADERS:
        header, party = _HEADERS[abbreviation]
    elif page.committee:  # a Party committee of the province
        header, party = (PARTY_PROVINCE, page.issuer_name.upper()), True
    else:
        header, party = (page.issuer_name.upper(),), page.style == Style.PARTY
    return Issuer(header, page.issuer_name.upper(), abbreviation, party)


def _signer(page: Page) -> tuple[str, str, str]:
    if page.issuer_abbreviation == "TU":
        name = page.signer_name or _SECRETARY
        if name == _SECRETARY:
            return ("T/M BAN THƯỜNG VỤ", "BÍ THƯ", name)
        return ("K/T BÍ THƯ", "PHÓ BÍ THƯ", name)
    if page.issuer_abbreviation not in _SIGNERS and page.committee:
        return ("T/M BAN THƯỜNG VỤ", "BÍ THƯ", page.signer_name or "Nguyễn Văn Lực")
    return _SIGNERS.get(
        page.issuer_abbreviation, ("", "THỦ TRƯỞNG CƠ QUAN", page.signer_name or "Ngô Văn Hòa")
    )


def demo_page(page: Page) -> DemoDocument:
    """The first page of ``page``'s document in the official layout."""
    issuer = _issuer(page)
    subject = _printed_subject(page, issuer.party)
    lowered = page.subject[0].lower() + page.subject[1:]
    opening = (
        f"Căn cứ chức năng, nhiệm vụ được giao; thực hiện chương trình công tác năm {page.issued_date.year}, "
        f"{page.issuer_name} {'trao đổi' if page.doc_type == 'CV' else 'ban hành'} {lowered}."
    )
    if page.to_province and page.issuer_abbreviation != "TU":
        addressee = "Ban Thường vụ Tỉnh ủy Lâm Đồng"
        recipients: tuple[str, ...] = ("- Như trên,", "- Lưu VT.")
    elif page.committee and page.issuer_abbreviation not in _HEADERS:
        addressee = "Các chi bộ trực thuộc"
        recipients = ("- Thường trực Tỉnh ủy,", "- Các chi bộ trực thuộc,", "- Lưu Văn phòng Đảng ủy.")
    else:
        addressee = "Các đảng ủy trực thuộc Tỉnh ủy"
        recipients = (
            "- Các đảng ủy trực thuộc Tỉnh ủy,",
            "- Thường trực Tỉnh ủy,",
            "- Lưu Văn phòng Tỉnh ủy.",
        )
    code = CLASSIFICATION_CODES.get(page.classification, "none")
    return DemoDocument(
        key=f"document-{page.document_id}",
        issuer=issuer,
        doc_type=page.doc_type,
        number=0,
        issued_date=page.issued_date,
        subject=subject,
        signer=_signer(page),
        urgency=None if page.urgency == Urgency.NORMAL else page.urgency,
        classification=None if code == "none" else code,
        body=(opening, *BODY[1:]),
        printed_symbol=page.symbol,
        place="Hà Nội" if issuer.header[0].endswith("TRUNG ƯƠNG") else "Lâm Đồng",
        addressee=addressee,
        recipients=recipients,
    )


def file_name(symbol: str) -> str:
    """The PDF's name from the document's symbol ("12-KL/TU" → "12-KL_TU.pdf")."""
    return (get_valid_filename(symbol.replace("/", "_")) or "van-ban") + ".pdf"


def stored_file_row(
    *,
    document_id: int,
    data: bytes,
    name: str,
    text: str,
    uploaded_at: dt.datetime,
    uploaded_by_id: int | None,
) -> dict[str, Any]:
    """Store ``data`` as the files service stores an upload (same ``upload_to``, never over an
    existing file) and answer the ``DocumentFile`` row for it, its text already read: the
    page's own lines, which is what the extraction of this PDF gives."""
    sha256 = hashlib.sha256(data).hexdigest()
    record = DocumentFile(document_id=document_id, sha256=sha256)
    record.file.save(name, ContentFile(data), save=False)
    return {
        "document_id": document_id,
        "kind": FileKind.ORIGINAL,
        "file": record.file.name,
        "original_name": name,
        "content_type": PDF,
        "size": len(data),
        "sha256": sha256,
        "extraction": ExtractionState.DONE,
        "text": text,
        "page_count": 1,
        "uploaded_at": uploaded_at,
        "uploaded_by_id": uploaded_by_id,
    }
