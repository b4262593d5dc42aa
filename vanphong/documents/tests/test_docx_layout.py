"""Where things land on the page: each type of outgoing document rendered to PDF by
LibreOffice and read back line by line with the place of each line (``office.pdf_lines``)
and the horizontal lines drawn (``office.pdf_rules``), against the layout rules of
HD 36-HD/VPTW (Party) and NĐ 30/2020/NĐ-CP (state): FACTS §1.4, §2.5.

One conversion per document type; each test checks several things on its PDF."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from vanphong.documents.docx_render import addressees, render_outgoing_docx
from vanphong.documents.models import Document, Style
from vanphong.documents.services.outgoing import outgoing_entry, outgoing_issue, signature_block
from vanphong.documents.services.outgoing.signature import bare_title
from vanphong.documents.tests.office import Line, Rule, docx_to_pdf, pdf_lines, pdf_rules
from vanphong.documents.tests.test_outgoing_support import approve, make_draft, people_fixture  # noqa: F401
from vanphong.orgs.models import Classification

MM = 72 / 25.4  # points in a millimetre
LEFT, RIGHT = 30 * MM, 195 * MM  # the text area: A4 less the left (30 mm) and right (15 mm) margins
CENTRE = (LEFT + RIGHT) / 2
CELL_PADDING = 1.905 * MM  # the header table's cell margin, each side
DATE = "Lâm Đồng, ngày 21 tháng 11 năm 2026"

OPENING = (
    "Căn cứ Điều lệ Đảng; căn cứ Quy chế làm việc của Tỉnh ủy khóa XII, nhiệm kỳ 2025 - 2030; "
    "xét đề nghị của Văn phòng Tỉnh ủy về việc đẩy mạnh chuyển đổi số trong các cơ quan đảng, "
    "bảo đảm an toàn thông tin và bảo vệ bí mật nhà nước trên môi trường mạng,"
)
CLOSING = (
    "Giao Văn phòng Tỉnh ủy chủ trì, phối hợp với các ban đảng, các cơ quan liên quan theo dõi, "
    "đôn đốc, kiểm tra việc thực hiện và định kỳ báo cáo Ban Thường vụ Tỉnh ủy kết quả."
)


@pytest.fixture
def lam_dong(people):
    committee = people.committee
    committee.name, committee.place_name = "Tỉnh ủy Lâm Đồng", "Lâm Đồng"
    committee.save()
    committee.level.name = "Cấp tỉnh"
    committee.level.save()
    return people


@dataclass(frozen=True)
class Case:
    doc_type: str
    authority: str
    position: str  # the signer's title as stored, with the body's name where people type it
    signature: tuple[str, str]  # the two lines printed above the signature
    type_name: str = ""  # the type name line; none for a công văn
    enacting: str = ""
    urgency: str = "thuong"
    classification: int = Classification.NONE
    style: str = Style.PARTY

    @property
    def marks(self) -> list[str]:
        names = {"khan": "KHẨN", "thuong_khan": "THƯỢNG KHẨN", "hoa_toc": "HỎA TỐC"}
        secret = {Classification.MAT: "MẬT"}.get(self.classification)
        return [mark for mark in (secret, names.get(self.urgency)) if mark]


CASES = {
    "NQ": Case(
        "NQ",
        "TM",
        "Bí thư Tỉnh ủy",
        ("T/M BAN THƯỜNG VỤ", "BÍ THƯ"),
        "NGHỊ QUYẾT",
        "BAN THƯỜNG VỤ TỈNH ỦY QUYẾT NGHỊ:",
        urgency="hoa_toc",
        classification=Classification.MAT,
    ),
    "QĐ": Case(
        "QĐ",
        "TM",
        "Bí thư",
        ("T/M BAN THƯỜNG VỤ", "BÍ THƯ"),
        "QUYẾT ĐỊNH",
        "BAN THƯỜNG VỤ TỈNH ỦY QUYẾT ĐỊNH:",
        urgency="khan",
    ),
    "CV": Case(
        "CV",
        "KT",
        "Phó Bí thư Thường trực Tỉnh ủy",
        ("K/T BÍ THƯ", "PHÓ BÍ THƯ THƯỜNG TRỰC"),
        urgency="thuong_khan",
    ),
    "TB": Case("TB", "TL", "Chánh Văn phòng Tỉnh ủy", ("T/L BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG"), "THÔNG BÁO"),
    "BC": Case("BC", "TM", "Bí thư", ("T/M BAN THƯỜNG VỤ", "BÍ THƯ"), "BÁO CÁO"),
    "KL": Case("KL", "TM", "Bí thư Tỉnh ủy", ("T/M BAN THƯỜNG VỤ", "BÍ THƯ"), "KẾT LUẬN"),
    "QĐ-state": Case(
        "QĐ",
        "TM",
        "Bí thư Tỉnh ủy",
        ("TM. BAN THƯỜNG VỤ", "BÍ THƯ"),
        "QUYẾT ĐỊNH",
        "BAN THƯỜNG VỤ TỈNH ỦY QUYẾT ĐỊNH:",
        style=Style.STATE,
        classification=Classification.MAT,
    ),
}


@dataclass
class Rendered:
    document: Document
    docx: docx.document.Document
    lines: list[Line]
    rules: list[Rule]

    def line(self, text: str) -> Line:
        found = [line for line in self.lines if line.text == text]
        assert found, f"no line is exactly {text!r}: {[line.text for line in self.lines]}"
        return found[0]

    def starting(self, text: str) -> Line:
        found = [line for line in self.lines if line.text.startswith(text)]
        assert found, f"no line starts {text!r}: {[line.text for line in self.lines]}"
        return found[0]

    def after(self, line: Line) -> Line:
        """The next line down in the same column (starting within 80 pt of this one's start)."""
        below = [other for other in self.lines if other.y > line.y + 2 and abs(other.x0 - line.x0) < 80]
        return min(below, key=lambda other: other.y)

    def paragraph(self, text: str):
        for paragraph in _all_paragraphs(self.docx):
            if paragraph.text == text:
                return paragraph
        raise AssertionError(f"no paragraph {text!r}")


def _all_paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def _render(people, tmp_path: Path, case: Case) -> Rendered:
    body = "\n".join(part for part in (OPENING, case.enacting, CLOSING, CLOSING) if part)
    subject = (
        "triển khai chuyển đổi số" if case.doc_type == "CV" else "về chuyển đổi số trong các cơ quan đảng"
    )
    document = approve(
        people,
        make_draft(
            people,
            doc_type=case.doc_type,
            style=case.style,
            subject=subject,
            body=body,
            urgency=case.urgency,
            classification=case.classification,
        ),
    )
    outgoing_issue(actor=people.clerk.user, document=document, issued_date=dt.date(2026, 11, 21))
    Document.objects.filter(pk=document.pk).update(
        signing_authority=case.authority, signer_position=case.position
    )
    document.refresh_from_db()
    data = render_outgoing_docx(document)
    pdf = docx_to_pdf(data, tmp_path, "van-ban")
    rules = pdf_rules(pdf) if case.marks or case.style == Style.STATE else []
    return Rendered(document, docx.Document(io.BytesIO(data)), pdf_lines(pdf), rules)


def _assert_centred(line: Line, centre: float = CENTRE, within: float = 5 * MM) -> None:
    assert abs(line.middle - centre) <= within, (line, centre)


def _assert_justified_body(page: Rendered) -> None:
    """Body paragraphs: first line indented 10 mm, the full lines reaching both edges."""
    first = page.starting("Căn cứ Điều lệ Đảng")
    assert abs(first.x0 - (LEFT + 10 * MM)) <= 2, first
    full = [line for line in page.lines if abs(line.x0 - LEFT) <= 1.5 and line.x1 > RIGHT - 15]
    assert len(full) >= 3, page.lines
    assert max(line.x1 for line in full) - min(line.x1 for line in full) <= 2, full
    assert all(abs(line.x1 - RIGHT) <= 2 for line in full), full


def _assert_framed(page: Rendered, mark: str) -> None:
    paragraph = page.paragraph(mark)
    assert paragraph.runs[0].bold
    borders = paragraph._p.pPr.find(qn("w:pBdr"))
    assert borders is not None, f"{mark} has no frame"
    assert {child.tag.split("}")[1] for child in borders} == {"top", "left", "bottom", "right"}
    line = page.line(mark)
    above = [r for r in page.rules if r.x0 < line.x0 and r.x1 > line.x1 and line.y - 8 <= r.y <= line.y + 1]
    below = [
        r
        for r in page.rules
        if r.x0 < line.x0 and r.x1 > line.x1 and line.bottom - 1 <= r.y <= line.bottom + 8
    ]
    assert above and below, f"no frame drawn around {mark}: {line}"


@pytest.mark.parametrize("code", list(CASES))
def test_layout_of_each_document_type(lam_dong, tmp_path, code):
    case = CASES[code]
    page = _render(lam_dong, tmp_path, case)
    party = case.style == Style.PARTY

    # The place and date whole on one line, level with the number.
    dating = page.line(DATE)
    number = page.starting("Số")
    assert number.text.startswith("Số 01-" if party else "Số: 01/"), number
    assert abs(dating.y - number.y) <= 2, (dating, number)
    assert number.x1 < dating.x0

    if party:
        header = page.line("ĐẢNG CỘNG SẢN VIỆT NAM")
        assert abs(header.x1 - (RIGHT - CELL_PADDING)) <= 3, header  # right-aligned, as the date
        assert abs(dating.x1 - header.x1) <= 2, (dating, header)
        assert header.y < dating.y

    # Framed marks under the number, in the left column.
    for mark in case.marks:
        line = page.line(mark)
        assert line.y > number.y and line.x1 < dating.x0, line
        _assert_framed(page, mark)

    # The type name and subject centred (none for a công văn), the body justified.
    if case.type_name:
        _assert_centred(page.line(case.type_name))
        assert page.line(case.type_name).y > dating.y
    else:
        assert not any(line.text == "CÔNG VĂN" for line in page.lines)
    _assert_justified_body(page)

    # The enacting line centred and bold, not indented.
    if case.enacting:
        enacting = page.line(case.enacting)
        _assert_centred(enacting)
        paragraph = page.paragraph(case.enacting)
        assert all(run.bold for run in paragraph.runs)
        assert paragraph.paragraph_format.first_line_indent is None

    # The signature: the authority line, then the title alone on its line.
    authority, title = case.signature
    authority_line, title_line = page.line(authority), page.line(title)
    assert title_line.y > authority_line.y
    assert abs(title_line.middle - authority_line.middle) <= 3
    assert not any(
        "TỈNH ỦY" in line.text for line in page.lines if line.x0 > CENTRE and line.y >= authority_line.y
    )


def test_a_letter_is_addressed_under_its_header(lam_dong, tmp_path):
    page = _render(lam_dong, tmp_path, CASES["CV"])
    number = page.line("Số 01-CV/TU")
    subject = page.line("V/v triển khai chuyển đổi số")
    assert subject.y > number.y and abs(subject.middle - number.middle) <= 3  # centred under the number

    addressed = page.line("Kính gửi: - Đảng ủy xã An Phú,")
    second = page.after(page.line("- Đảng ủy xã Bình Minh,"))
    assert second.text == "- Ban Chấp hành Trung ương."
    assert page.line("- Đảng ủy xã Bình Minh,").y > addressed.y
    assert page.line("- Đảng ủy xã Bình Minh,").y - addressed.y < 25  # the very next line
    # The recipients under the first one, after "Kính gửi:", which stands on its own.
    assert page.line("- Đảng ủy xã Bình Minh,").x0 > addressed.x0 + 15 * MM
    assert addressed.y > subject.y
    assert addressed.y < page.starting("Căn cứ Điều lệ Đảng").y


def test_a_state_document_has_the_national_header_and_its_rules(lam_dong, tmp_path):
    page = _render(lam_dong, tmp_path, CASES["QĐ-state"])
    national = page.line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")  # whole, on one line
    motto = page.line("Độc lập - Tự do - Hạnh phúc")
    assert motto.y > national.y and abs(motto.middle - national.middle) <= 2
    assert page.paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").runs[0].font.size.pt in (12, 13)
    assert page.paragraph("Độc lập - Tự do - Hạnh phúc").runs[0].font.size.pt in (13, 14)
    dating = page.line(DATE)
    assert abs(dating.middle - motto.middle) <= 3  # centred under the national header

    # A solid rule as long as the motto under it...
    under_motto = [r for r in page.rules if motto.bottom - 1 <= r.y <= motto.bottom + 6]
    assert any(abs(r.x0 - motto.x0) <= 3 * MM and abs(r.x1 - motto.x1) <= 3 * MM for r in under_motto), (
        motto,
        under_motto,
    )
    # ... and a shorter one centred under the issuing body.
    body = page.line("TỈNH ỦY")
    under_body = [r for r in page.rules if body.bottom - 1 <= r.y <= body.bottom + 10]
    length = body.x1 - body.x0
    assert any(
        abs((r.x0 + r.x1) / 2 - body.middle) <= 3 and length / 4 <= r.x1 - r.x0 <= length * 0.6
        for r in under_body
    ), (body, under_body)
    # The subject has its short rule too.
    subject = page.line("về chuyển đổi số trong các cơ quan đảng")
    assert any(
        subject.bottom - 1 <= r.y <= subject.bottom + 12 and abs((r.x0 + r.x1) / 2 - CENTRE) <= 3
        for r in page.rules
    )


# --- Without LibreOffice -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "printed"),
    [
        ("Bí thư Tỉnh ủy", "Bí thư"),
        ("Bí thư Tỉnh uỷ Lâm Đồng", "Bí thư"),
        ("Chánh Văn phòng Tỉnh ủy", "Chánh Văn phòng"),
        ("Phó Bí thư Thường trực Thành ủy", "Phó Bí thư Thường trực"),
        ("Bí thư Đảng ủy xã An Phú", "Bí thư"),
        ("Phó Chủ tịch UBND tỉnh Lâm Đồng", "Phó Chủ tịch"),
        ("Chủ tịch Ủy ban nhân dân huyện", "Chủ tịch"),
        ("Bí thư Huyện ủy", "Bí thư"),
        ("Phó Chánh Văn phòng", "Phó Chánh Văn phòng"),
        ("Tỉnh ủy viên", "Tỉnh ủy viên"),
        ("Ủy viên Ban Thường vụ Tỉnh ủy, Chánh Văn phòng Tỉnh ủy", "Chánh Văn phòng"),
        ("BÍ THƯ TỈNH UỶ", "BÍ THƯ"),
    ],
)
def test_bare_title_drops_the_bodys_name(stored, printed):
    assert bare_title(stored) == printed


@pytest.mark.parametrize(
    ("authority", "position", "lines"),
    [
        ("TM", "Bí thư Tỉnh ủy", ["T/M BAN THƯỜNG VỤ", "BÍ THƯ"]),
        ("KT", "Phó Bí thư Tỉnh ủy", ["K/T BÍ THƯ", "PHÓ BÍ THƯ"]),
        ("TL", "Chánh Văn phòng Tỉnh ủy", ["T/L BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG"]),
    ],
)
def test_the_signature_block_names_the_body_once(lam_dong, authority, position, lines):
    document = make_draft(lam_dong)
    document.signing_authority, document.signer_position = authority, position
    assert signature_block(document).lines == lines


def test_a_letter_to_one_body_is_addressed_on_one_line(lam_dong):
    people = lam_dong
    document = make_draft(
        people,
        doc_type="CV",
        subject="báo cáo tình hình",
        recipients=[people.centre, (people.commune_x, "để biết")],
    )
    assert addressees(document) == ["Ban Chấp hành Trung ương"]  # not those sent "để biết"
    both = make_draft(
        people,
        doc_type="CV",
        subject="kiểm tra",
        recipients=[(people.commune_x, "để thực hiện và báo cáo kết quả"), (people.commune_y, "để báo cáo")],
    )
    assert addressees(both) == ["Đảng ủy xã An Phú"]
    result = docx.Document(io.BytesIO(render_outgoing_docx(document)))
    texts = [paragraph.text for paragraph in result.paragraphs]
    assert "Kính gửi: Ban Chấp hành Trung ương" in texts


def test_the_number_of_copies_prints_when_the_register_has_it(lam_dong):
    people = lam_dong
    document = approve(people, make_draft(people))
    outgoing_issue(actor=people.clerk.user, document=document, issued_date=dt.date(2026, 11, 21))
    document.refresh_from_db()
    result = docx.Document(io.BytesIO(render_outgoing_docx(document)))
    assert not any(paragraph.text.startswith("Số bản") for paragraph in _all_paragraphs(result))
    entry = outgoing_entry(document)
    assert entry is not None
    entry.copies_count = 40
    entry.save(update_fields=["copies_count"])
    result = docx.Document(io.BytesIO(render_outgoing_docx(document)))
    assert "Số bản: 40." in [paragraph.text for paragraph in _all_paragraphs(result)]
