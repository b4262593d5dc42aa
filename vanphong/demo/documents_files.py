"""A demo set of document first pages with known fields: the same 36 documents as DOCX
(python-docx) and as PDF (WeasyPrint), laid out as Party (HD 36) and state (NĐ 30)
documents are: header block, number, place and date, stamps, type and subject or "V/v",
body, recipients and signature. Used by the capture accuracy benchmark, its tests and the
demo data. Every value is invented; names are common Vietnamese names.
"""

from __future__ import annotations

import datetime as dt
import html
import io
from dataclasses import dataclass, field
from typing import Any

from vanphong.core.vndate import format_vn_date
from vanphong.documents.doctypes import name_of

PLACE = "Lâm Đồng"


@dataclass(frozen=True)
class Issuer:
    header: tuple[str, ...]  # the header lines as printed, top to bottom
    name: str  # what capture should read: the issuing body
    abbreviation: str
    party: bool


ISSUERS = (
    Issuer(("ĐẢNG BỘ TỈNH LÂM ĐỒNG", "TỈNH ỦY"), "TỈNH ỦY LÂM ĐỒNG", "TU", True),
    Issuer(("TỈNH ỦY LÂM ĐỒNG", "VĂN PHÒNG"), "VĂN PHÒNG TỈNH ỦY LÂM ĐỒNG", "VPTU", True),
    Issuer(("TỈNH ỦY LÂM ĐỒNG", "BAN TỔ CHỨC"), "BAN TỔ CHỨC TỈNH ỦY LÂM ĐỒNG", "BTCTU", True),
    Issuer(("ĐẢNG BỘ TỈNH LÂM ĐỒNG", "ĐẢNG ỦY XÃ AN PHÚ"), "ĐẢNG ỦY XÃ AN PHÚ", "ĐU", True),
    Issuer(("ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG"), "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "UBND", False),
    Issuer(("UBND TỈNH LÂM ĐỒNG", "SỞ NỘI VỤ"), "SỞ NỘI VỤ TỈNH LÂM ĐỒNG", "SNV", False),
)

SIGNERS = (
    # (authority line or "", position, name)
    ("T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Nguyễn Văn Hùng"),
    ("K/T BÍ THƯ", "PHÓ BÍ THƯ", "Trần Thị Mai Hương"),
    ("", "CHÁNH VĂN PHÒNG", "Lê Quang Minh"),
    ("K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Phạm Đức Thắng"),
    ("T/M ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Hoàng Minh Tuấn"),
    ("K/T GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Đặng Thị Thu Hà"),
)

SUBJECTS = (
    "về tăng cường công tác chuyển đổi số trong các cơ quan đảng",
    "về lãnh đạo thực hiện nhiệm vụ phát triển kinh tế - xã hội năm 2027",
    "tổ chức Hội nghị sơ kết 6 tháng đầu năm",
    "về công tác bảo vệ bí mật nhà nước trong tình hình mới",
    "triển khai Chỉ thị số 35-CT/TW của Bộ Chính trị về đại hội đảng bộ các cấp",
    "về việc kiện toàn Ban Chỉ đạo phòng, chống tham nhũng, tiêu cực",
    "thực hiện chế độ báo cáo định kỳ về công tác văn thư, lưu trữ",
    "về đẩy mạnh cải cách hành chính và nâng cao chỉ số hài lòng của người dân",
    "chuẩn bị nội dung kỳ họp thường lệ cuối năm",
)
VV_SUBJECTS = (
    "V/v góp ý dự thảo báo cáo chính trị",
    "V/v chuẩn bị nội dung làm việc với Đoàn kiểm tra",
    "V/v đôn đốc thực hiện chế độ báo cáo tháng",
    "V/v cử cán bộ tham dự lớp bồi dưỡng nghiệp vụ văn thư",
)

PARTY_TYPES = ("NQ", "CT", "KL", "QĐ", "TB", "KH", "BC", "HD", "CV")
STATE_TYPES = ("QĐ", "KH", "BC", "TB", "CV", "TTr")
URGENCIES = (None, None, "khan", None, "thuong_khan", None, "hoa_toc")
SECRECIES = (None, None, None, "mat", None, "toi_mat", None, None, "tuyet_mat")
STAMP_TEXT = {
    "khan": "KHẨN",
    "thuong_khan": "THƯỢNG KHẨN",
    "hoa_toc": "HỎA TỐC",
    "mat": "MẬT",
    "toi_mat": "TỐI MẬT",
    "tuyet_mat": "TUYỆT MẬT",
}
BODY = (
    "Căn cứ Điều lệ Đảng và Quy chế làm việc của Ban Chấp hành Đảng bộ tỉnh khóa XII, "
    "nhiệm kỳ 2025 - 2030; thực hiện Nghị quyết số 08-NQ/TU ngày 30/7/2025 của Tỉnh ủy, "
    "các cơ quan, đơn vị tập trung lãnh đạo, chỉ đạo thực hiện tốt các nội dung sau:",
    "1. Quán triệt đầy đủ, sâu sắc mục tiêu, nhiệm vụ, giải pháp đã đề ra; xây dựng kế hoạch "
    "cụ thể, phân công rõ người, rõ việc, rõ thời gian, rõ kết quả.",
    "2. Định kỳ hằng quý báo cáo kết quả thực hiện về Ban Thường vụ Tỉnh ủy (qua Văn phòng "
    "Tỉnh ủy) để theo dõi, tổng hợp.",
)
RECIPIENTS = ("- Như trên,", "- Thường trực Tỉnh ủy,", "- Lưu Văn phòng Tỉnh ủy.")


@dataclass(frozen=True)
class DemoDocument:
    key: str
    issuer: Issuer
    doc_type: str
    number: int
    issued_date: dt.date
    subject: str
    signer: tuple[str, str, str]
    urgency: str | None
    classification: str | None
    body: tuple[str, ...] = field(default=BODY)
    # The demo data's documents carry their own symbol, place, addressee and recipients.
    printed_symbol: str = ""
    place: str = PLACE
    addressee: str = "Các đảng ủy trực thuộc Tỉnh ủy"
    recipients: tuple[str, ...] = RECIPIENTS

    @property
    def party(self) -> bool:
        return self.issuer.party

    @property
    def symbol(self) -> str:
        if self.printed_symbol:
            return self.printed_symbol
        number = f"{self.number:02d}"
        if self.party:
            return f"{number}-{self.doc_type}/{self.issuer.abbreviation}"
        if self.doc_type == "CV":
            return f"{number}/{self.issuer.abbreviation}-VP"
        return f"{number}/{self.doc_type}-{self.issuer.abbreviation}"

    @property
    def is_letter(self) -> bool:
        return self.doc_type == "CV"

    @property
    def type_name(self) -> str:
        return (name_of(self.doc_type, "party" if self.party else "state") or "").upper()

    def expected(self) -> dict[str, Any]:
        """The fields capture should read, in the API's shape."""
        return {
            "symbol": self.symbol,
            "doc_type": self.doc_type,
            "issuer_name": self.issuer.name,
            "place": self.place,
            "issued_date": self.issued_date.isoformat(),
            "subject": self.subject,
            "signer_name": self.signer[2],
            "signer_position": self.signer[1],
            "urgency": self.urgency,
            "classification": self.classification,
        }

    # --- rendering ---------------------------------------------------------------------------

    def number_line(self) -> str:
        return f"Số {self.symbol}" if self.party else f"Số: {self.symbol}"

    def national_header(self) -> list[str]:
        if self.party:
            return ["ĐẢNG CỘNG SẢN VIỆT NAM"]
        return ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]

    def place_date(self) -> str:
        return f"{self.place}, {format_vn_date(self.issued_date, long=True)}"

    def stamps(self) -> list[str]:
        return [STAMP_TEXT[s] for s in (self.classification, self.urgency) if s]

    def text_lines(self) -> list[str]:
        """The page's text in reading order, one line per block (what a text layer holds)."""
        lines = [*self.issuer.header, self.number_line()]
        if self.is_letter:
            lines.append(self.subject)
        lines += [*self.national_header(), self.place_date(), *self.stamps()]
        if self.is_letter:
            lines.append(f"Kính gửi: {self.addressee}")
        else:
            lines += [self.type_name, self.subject]
        lines += [*self.body, "Nơi nhận:", *self.recipients]
        authority, position, name = self.signer
        return lines + [line for line in (authority, position) if line] + ["(Đã ký)", name]


def demo_documents() -> list[DemoDocument]:
    """36 documents: every issuer with its types, stamps spread across them."""
    documents = []
    start = dt.date(2026, 1, 5)
    index = 0
    for issuer in ISSUERS:
        types = PARTY_TYPES if issuer.party else STATE_TYPES
        for k in range(6):
            doc_type = types[(index + k) % len(types)]
            if doc_type == "CV":
                subject = VV_SUBJECTS[index % len(VV_SUBJECTS)]
            else:
                subject = SUBJECTS[index % len(SUBJECTS)]
            signer = SIGNERS[index % len(SIGNERS)]
            documents.append(
                DemoDocument(
                    key=f"demo-{index + 1:02d}",
                    issuer=issuer,
                    doc_type=doc_type,
                    number=(index * 7) % 97 + 1,
                    issued_date=start + dt.timedelta(days=index * 9),
                    subject=subject,
                    signer=signer,
                    urgency=URGENCIES[index % len(URGENCIES)],
                    classification=SECRECIES[index % len(SECRECIES)],
                )
            )
            index += 1
    return documents


def render_docx(doc: DemoDocument) -> bytes:
    from docx import Document as DocxDocument
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    out = DocxDocument()
    style = out.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)

    header = out.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.text = ""
    lines = [*doc.issuer.header, "*", doc.number_line()]
    if doc.is_letter:
        lines.append(doc.subject)
    for i, line in enumerate(lines):
        p = left.paragraphs[0] if i == 0 else left.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(line).bold = i == len(doc.issuer.header) - 1
    for i, line in enumerate([*doc.national_header(), doc.place_date()]):
        p = right.paragraphs[0] if i == 0 else right.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(line)
        run.italic = i == len(doc.national_header())
    for stamp in doc.stamps():
        out.add_paragraph().add_run(stamp).bold = True
    if not doc.is_letter:
        title = out.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.add_run(doc.type_name).bold = True
        sub = out.add_paragraph()
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
        sub.add_run(doc.subject).bold = True
        out.add_paragraph("-----").alignment = WD_ALIGN_PARAGRAPH.CENTER
    else:
        out.add_paragraph(f"Kính gửi: {doc.addressee}")
    for paragraph in doc.body:
        out.add_paragraph(paragraph)
    sign = out.add_table(rows=1, cols=2)
    left, right = sign.rows[0].cells
    left.paragraphs[0].add_run("Nơi nhận:").bold = True
    for line in doc.recipients:
        left.add_paragraph(line)
    authority, position, name = doc.signer
    block = [line for line in (authority, position) if line] + ["(Đã ký)", name]
    for i, line in enumerate(block):
        p = right.paragraphs[0] if i == 0 else right.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(line).bold = line != "(Đã ký)"
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


_PAGE_CSS = """
@page { size: A4; margin: 20mm 15mm 20mm 30mm; }
body { font-family: "DejaVu Serif", "Liberation Serif", serif; font-size: 13pt; line-height: 1.3; }
table { width: 100%; border-collapse: collapse; }
td { vertical-align: top; text-align: center; width: 50%; padding: 0; }
p { margin: 0 0 6pt 0; }
.title { text-align: center; font-weight: bold; margin-top: 14pt; }
.stamp { font-weight: bold; border: 1px solid #000; display: inline-block;
         padding: 1pt 6pt; margin: 8pt 0 0 0; }
.body p { text-align: justify; text-indent: 1cm; }
.sign { margin-top: 18pt; }
.sign td.left { text-align: left; font-size: 11pt; }
"""


def _page(doc: DemoDocument) -> str:
    e = html.escape
    left = "".join(
        f"<div>{'<b>' + e(line) + '</b>' if i else e(line)}</div>" for i, line in enumerate(doc.issuer.header)
    )
    left += f"<div>*</div><div>{e(doc.number_line())}</div>"
    if doc.is_letter:
        left += f"<div>{e(doc.subject)}</div>"
    right = "".join(f"<div><b>{e(line)}</b></div>" for line in doc.national_header())
    right += f"<div><i>{e(doc.place_date())}</i></div>"
    stamps = "".join(f'<div><span class="stamp">{e(s)}</span></div>' for s in doc.stamps())
    if doc.is_letter:
        title = f"<p>Kính gửi: {e(doc.addressee)}</p>"
    else:
        title = (
            f'<p class="title">{e(doc.type_name)}</p>'
            f'<p class="title" style="margin-top:0">{e(doc.subject)}</p>'
            '<p style="text-align:center">-----</p>'
        )
    body = "".join(f"<p>{e(p)}</p>" for p in doc.body)
    authority, position, name = doc.signer
    signature = "".join(f"<div><b>{e(x)}</b></div>" for x in (authority, position) if x)
    signature += f"<div><i>(Đã ký)</i></div><div><b>{e(name)}</b></div>"
    recipients = "<div><b>Nơi nhận:</b></div>" + "".join(f"<div>{e(r)}</div>" for r in doc.recipients)
    return (
        f"<table><tr><td>{left}</td><td>{right}</td></tr></table>{stamps}{title}"
        f"<div class='body'>{body}</div>"
        f"<table class='sign'><tr><td class='left'>{recipients}</td><td>{signature}</td></tr></table>"
    )


def _html(pages: str, css: str = "") -> str:
    return (
        f"<!doctype html><html lang='vi'><head><meta charset='utf-8'><style>{_PAGE_CSS}{css}</style></head>"
        f"<body>{pages}</body></html>"
    )


def render_html(doc: DemoDocument) -> str:
    return _html(_page(doc))


def render_pdf(doc: DemoDocument) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(doc)).write_pdf()


def render_pdfs(docs: list[DemoDocument]) -> list[bytes]:
    """One PDF per document, as ``render_pdf`` lays it out, made in one pass: the pages are
    laid out together and split apart, so the fonts are subset once instead of once per
    document (which is most of WeasyPrint's time). A document that would not fit on its one
    page is rendered on its own."""
    if len(docs) < 2:
        return [render_pdf(doc) for doc in docs]
    from pypdf import PdfReader, PdfWriter
    from weasyprint import HTML

    pages = "".join(f'<section style="break-after: page">{_page(doc)}</section>' for doc in docs[:-1])
    # The columns are half the width each: a fixed table layout gives the same widths
    # without measuring every cell's content first.
    combined = HTML(string=_html(pages + _page(docs[-1]), "table { table-layout: fixed; }")).write_pdf()
    reader = PdfReader(io.BytesIO(combined))
    if len(reader.pages) != len(docs):
        return [render_pdf(doc) for doc in docs]
    out = []
    for page in reader.pages:
        writer = PdfWriter()
        writer.add_page(page)
        buffer = io.BytesIO()
        writer.write(buffer)
        out.append(buffer.getvalue())
    return out
