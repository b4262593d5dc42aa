"""The .docx of an outgoing document, laid out as the Party's presentation rules ask
(HD 36-HD/VPTW; FACTS §2.5), or NĐ 30's for a state-style document (FACTS §1.4).

A4, margins top and bottom 20 mm, left 30 mm, right 15 mm, Times New Roman 14. From the
top: a header table — on the left the body above (the Đảng bộ, or the committee an agency
serves), the issuing body in bold and "*" (a short rule under it for a state document); on
the right "ĐẢNG CỘNG SẢN VIỆT NAM" bold and underlined (or the Quốc hiệu on one line and the
Tiêu ngữ with a rule as long as it); under them, on one line, "Số 15-NQ/TU" and the place and
date in italics (one line, never wrapped); the secrecy and urgency marks framed under the
number. Then the type name in bold capitals and the subject under it — or, for a công văn,
its "V/v" under the number and "Kính gửi:" with its addressees —, the body justified (a line
ending "QUYẾT NGHỊ:" or "QUYẾT ĐỊNH:" centred and bold), then a table with "Nơi nhận:" on the
left (size 12, the recipients in size 11, the number of copies when the register gives it)
and the signature block on the right. A draft carries "DỰ THẢO" and blanks where number and
date go.

The pieces are ``core.docx``'s, shared with every other document the system writes; the
names in the header are ``orgs.naming``'s.
"""

from __future__ import annotations

import re
import unicodedata

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from vanphong.core.docx import (
    BODY_SIZE,
    add_line,
    add_rule,
    caps_width_mm,
    new_page,
    to_bytes,
    write_addressees,
    write_closing,
    write_header,
)
from vanphong.core.vndate import format_vn_date
from vanphong.documents import doctypes
from vanphong.documents.models import Document, DocumentState, Style, Urgency
from vanphong.documents.services.outgoing import outgoing_entry, recipients_text, signature_block
from vanphong.orgs.naming import CLASSIFICATION_MARKS, header_names, issued_place

URGENCY_MARKS: dict[str, str] = {
    Urgency.URGENT: "KHẨN",
    Urgency.VERY_URGENT: "THƯỢNG KHẨN",
    Urgency.FLASH: "HỎA TỐC",
}


# "V/v", "v/v", "V/V:", "Về việc" … typed by the drafter at the start of a công văn's subject.
_LEADING_VV = re.compile(r"^\s*(?:v\s*/\s*v|về\s+việc)(?:\s*[.:,\-–]\s*|\s+|$)", re.IGNORECASE)


def letter_subject_line(subject: str) -> str:
    """A công văn's subject line under its number: "V/v" once, whether or not the drafter
    typed it ("V/v góp ý dự thảo" and "góp ý dự thảo" both give "V/v góp ý dự thảo")."""
    text = " ".join(subject.split())
    text = _LEADING_VV.sub("", unicodedata.normalize("NFC", text), count=1).strip()
    return f"V/v {text}" if text else ""


def number_line(document: Document) -> str:
    """ "Số 15-NQ/TU" (Party, no colon) or "Số: 15/QĐ-UBND" (state); blanks on a draft."""
    label = "Số" if document.style == Style.PARTY else "Số:"
    if document.symbol:
        return f"{label} {document.symbol}"
    abbreviation = document.organization.abbreviation
    if document.style == Style.PARTY:
        return f"{label}      -{document.doc_type}/{abbreviation}"
    entry = doctypes.doc_type(document.doc_type, Style.STATE)
    code = f"{document.doc_type}-" if entry is not None and entry.in_symbol else ""
    return f"{label}      /{code}{abbreviation}"


def place_and_date(document: Document) -> str:
    """ "Lâm Đồng, ngày 21 tháng 11 năm 2026" (NĐ 30 leading zeros), or blanks on a draft."""
    place = document.issued_place or issued_place(document.organization)
    if document.issued_date:
        date = format_vn_date(document.issued_date, long=True)
    else:
        date = "ngày      tháng      năm 20"
    return f"{place}, {date}" if place else date[0].upper() + date[1:]


def _body_text(document: Document) -> str:
    version = document.versions.order_by("-number").first()
    return version.body if version is not None else ""


# The enacting line of a resolution or decision: "BAN THƯỜNG VỤ TỈNH ỦY QUYẾT NGHỊ:".
_ENACTING = ("QUYẾT NGHỊ:", "QUYẾT ĐỊNH:")
# Purposes that make a recipient one the công văn is not addressed to, only sent for.
_NOT_ADDRESSED = ("biết", "báo cáo", "phối hợp", "lưu")


def addressees(document: Document) -> list[str]:
    """Whom a công văn is addressed to ("Kính gửi:"): its recipients to carry it out — with no
    purpose, or "để thực hiện" —, not those it is sent to "để biết", "để báo cáo" or "để phối
    hợp"; all of them when every one has such a purpose."""
    recipients = list(document.recipients.select_related("organization"))
    main = [r for r in recipients if not any(word in r.purpose.lower() for word in _NOT_ADDRESSED)]
    return [r.organization.name for r in (main or recipients)]


def _copies_line(document: Document) -> list[str]:
    entry = outgoing_entry(document) if document.pk else None
    if entry is None or not entry.copies_count:
        return []
    return [f"Số bản: {entry.copies_count}."]


def render_outgoing_docx(document: Document) -> bytes:
    docx = new_page()
    above, body = header_names(document.organization)
    party = document.style == Style.PARTY
    is_letter = document.doc_type == "CV"
    write_header(
        docx,
        above=above,
        body=body,
        number=number_line(document),
        place_date=place_and_date(document),
        party=party,
        subject_line=letter_subject_line(document.subject) if is_letter else "",
        marks=(CLASSIFICATION_MARKS.get(document.classification), URGENCY_MARKS.get(document.urgency)),
        draft=document.state != DocumentState.ISSUED,
        number_beside_date=True,
    )

    docx.add_paragraph()
    if is_letter:
        write_addressees(docx, addressees(document), party=party)
        docx.add_paragraph()
    else:
        name = (doctypes.name_of(document.doc_type, document.style) or document.doc_type).strip().upper()
        add_line(docx, name, 16 if party else 14, bold=True)
        add_line(docx, document.subject, 14, bold=True)
        if party:
            add_line(docx, "-----", 14)
        else:  # NĐ 30: a short solid rule under the subject
            add_rule(docx, 165, min(max(caps_width_mm(name, 14) * 0.5, 25), 60))
    for text in _body_text(document).splitlines():
        text = text.strip()
        if not text:
            continue
        if text.endswith(_ENACTING):
            paragraph = add_line(docx, text, BODY_SIZE, bold=True)
            paragraph.paragraph_format.space_before = Pt(6)
        else:
            paragraph = add_line(docx, text, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
            paragraph.paragraph_format.first_line_indent = Mm(10)
        paragraph.paragraph_format.space_after = Pt(6)

    docx.add_paragraph()
    block = signature_block(document)
    write_closing(
        docx,
        recipients=(document.recipients_text or recipients_text(document)).splitlines(),
        signature_lines=block.lines,
        signer_name=block.name,
        party=party,
        notes=_copies_line(document),
    )
    return to_bytes(docx)
