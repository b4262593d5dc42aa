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
left (size 12, the recipients in size 11) and the signature block on the right. A draft
carries "DỰ THẢO" and blanks where number and date go.

The optional boxes, printed only when given (NĐ 30 PL I §III.2c and §III.3; HD 36 boxes 11a
and 12; FACTS §1.4, §2.5): the circulation scope ("LƯU HÀNH NỘI BỘ") in bold capitals, size
13, framed by a single-line rectangle, under the place and date — box 11 (11a), beside the
draft mark of box 11b; the typist's initials in capitals and the number of copies in Arabic
digits, size 11, upright, under "Nơi nhận" — box 12, as NĐ 30's example "PL.(300)" (just
"Số bản: 20." when no initials are given; the copies default to the outgoing register entry's).
HD 36's own wording for these boxes is not in FACTS (only their numbers, [S]), so a Party
document prints them as NĐ 30 does.

The pieces are ``core.docx``'s, shared with every other document the system writes; the
names in the header are ``orgs.naming``'s.
"""

from __future__ import annotations

import re
import unicodedata

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from vanphong.core.docx import (
    BODY_SIZE,
    CELL_PADDING_MM,
    DRAFT_MARK,
    MARK_SIZE,
    add_line,
    add_rule,
    caps_width_mm,
    new_page,
    set_border,
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
# The heading of a part, a Roman numeral and its title in capitals ("II. KẾT QUẢ THỰC HIỆN"):
# bold, as a report's parts are printed.
_PART_HEADING = re.compile(r"^(?=[IVXL])(XL|L?X{0,3})(IX|IV|V?I{0,3})\.\s+\S")
# Purposes that make a recipient one the công văn is not addressed to, only sent for.
_NOT_ADDRESSED = ("biết", "báo cáo", "phối hợp", "lưu")


def _addressed(purpose: str) -> bool:
    """A recipient the letter is addressed to: sent "để thực hiện" (even "để thực hiện và báo
    cáo kết quả"), or with no purpose other than to know, report, cooperate or file."""
    text = purpose.lower()
    return "thực hiện" in text or not any(word in text for word in _NOT_ADDRESSED)


def addressees(document: Document) -> list[str]:
    """Whom a công văn is addressed to ("Kính gửi:"): its recipients to carry it out — with no
    purpose, or "để thực hiện" —, not those it is sent to "để biết", "để báo cáo" or "để phối
    hợp"; all of them when every one has such a purpose."""
    recipients = list(document.recipients.select_related("organization"))
    main = [r for r in recipients if _addressed(r.purpose)]
    return [r.organization.name for r in (main or recipients)]


_FRAME_INSET_MM = 2.0


def circulation_mark(document: Document) -> str:
    """Box 11 (HD 36: 11a): the circulation scope as printed, in capitals ("LƯU HÀNH NỘI BỘ")."""
    return " ".join(document.circulation.split()).upper()


def copies_of(document: Document) -> int | None:
    """The number of copies issued: the document's own, else its outgoing register entry's."""
    if document.copies_count:
        return document.copies_count
    entry = outgoing_entry(document) if document.pk else None
    return entry.copies_count if entry is not None and entry.copies_count else None


def typist_line(document: Document) -> str:
    """Box 12: the typist's initials and the number of copies, "TH.(20)" (NĐ 30 PL I's example
    "PL.(300)"); the initials alone, or "Số bản: 20." when only one of them is known."""
    initials = document.typist_initials.strip().upper()
    copies = copies_of(document)
    if initials:
        return f"{initials}.({copies})" if copies else initials
    return f"Số bản: {copies}." if copies else ""


def _write_circulation(docx: DocxDocument, document: Document) -> None:
    """The circulation scope, framed, in the header's right column under the place and date
    and above "DỰ THẢO" (boxes 11a and 11b)."""
    text = circulation_mark(document)
    if not text:
        return
    dating = docx.tables[0].rows[-1].cells[1]
    cell_mm = dating.width.mm if dating.width else 95.0
    # As core.docx's add_framed, but never flush with the cell's edges: a long scope wraps
    # inside the frame, whose sides would otherwise fall into the cell's margins, unprinted.
    length = min(caps_width_mm(text, MARK_SIZE) + 8, cell_mm - CELL_PADDING_MM - 2 * _FRAME_INSET_MM)
    side = max((cell_mm - CELL_PADDING_MM - length) / 2, _FRAME_INSET_MM)
    paragraph = add_line(dating, text, MARK_SIZE, bold=True)
    paragraph.paragraph_format.space_before = Pt(4)
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = Mm(side)
    set_border(paragraph, "top", "left", "bottom", "right", space_pt=1)
    draft = next((p for p in dating.paragraphs[:-1] if p.text == DRAFT_MARK), None)
    if draft is not None:
        draft._p.addprevious(paragraph._p)


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
    _write_circulation(docx, document)

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
        elif _PART_HEADING.match(text) and text == text.upper():
            paragraph = add_line(docx, text, BODY_SIZE, bold=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
            paragraph.paragraph_format.first_line_indent = Mm(10)
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
        notes=[line] if (line := typist_line(document)) else [],
    )
    return to_bytes(docx)
