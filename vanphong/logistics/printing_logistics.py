"""The printed forms of assets and spending, as .docx (python-docx, with ``core.docx``'s building
blocks) and as PDF (WeasyPrint, from an HTML template with A4 CSS, fetching nothing):

* "BIÊN BẢN BÀN GIAO TÀI SẢN" for a transfer: the parties (bên giao, bên nhận), the decision it
  follows, the asset (code, name, original value, remaining value in figures and in words),
  its condition, and the signatures;
* "GIẤY ĐỀ NGHỊ THANH TOÁN" for an expense: who asks, for what, the budget line, the amount in
  figures (``money.format_vnd``) and "Số tiền bằng chữ: …" (``money.amount_in_words``), and the
  signatures.

Both forms are built from one ``Form`` (the same words in the .docx and in the PDF)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from vanphong.core.docx import BODY_SIZE, add_line, new_page, to_bytes, two_columns
from vanphong.core.textfold import fold
from vanphong.documents.printing import load_weasyprint
from vanphong.logistics.depreciation import CATEGORIES
from vanphong.logistics.models import AssetTransfer, Expense
from vanphong.logistics.money import amount_in_words, format_vnd
from vanphong.orgs.models import Organization
from vanphong.orgs.naming import header_names

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


@dataclass
class Form:
    """A printed form: the header's names, its title, its lines (label, text) and its signers."""

    body_above: str
    body: str
    place_date: str
    title: str
    subtitle: str = ""
    lines: list[tuple[str, str]] = field(default_factory=list)
    signers: list[tuple[str, str]] = field(default_factory=list)


def _date_line(organization: Organization, day: Any) -> str:
    place = getattr(organization, "place_name", "") or ""
    when = f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"
    return f"{place}, {when}" if place else when.capitalize()


def _name(organization: Organization | None) -> str:
    return organization.name if organization is not None else ""


def transfer_form(transfer: AssetTransfer) -> Form:
    asset = transfer.asset
    above, body = header_names(transfer.from_organization)
    category = CATEGORIES.get(asset.category)
    receiver = _name(transfer.to_organization)
    if transfer.to_holder is not None:
        receiver += f" (người nhận sử dụng: {transfer.to_holder.full_name})"
    return Form(
        body_above=above,
        body=body,
        place_date=_date_line(transfer.from_organization, transfer.on),
        title="BIÊN BẢN BÀN GIAO TÀI SẢN",
        subtitle=f"Căn cứ {transfer.decision}" if transfer.decision else "",
        lines=[
            ("Bên giao", _name(transfer.from_organization)),
            ("Bên nhận", receiver),
            ("Ngày bàn giao", transfer.on.strftime("%d/%m/%Y")),
            ("Tài sản", f"{asset.code} – {asset.name}"),
            ("Loại tài sản", category.name if category else asset.category),
            ("Ngày đưa vào sử dụng", asset.in_use_on.strftime("%d/%m/%Y")),
            ("Nguyên giá", f"{format_vnd(asset.value)} đồng"),
            ("Giá trị còn lại", f"{format_vnd(transfer.remaining_value)} đồng"),
            ("Giá trị còn lại bằng chữ", amount_in_words(transfer.remaining_value)),
            ("Tình trạng khi bàn giao", transfer.condition or "—"),
        ],
        signers=[("ĐẠI DIỆN BÊN GIAO", ""), ("ĐẠI DIỆN BÊN NHẬN", "")],
    )


def expense_form(expense: Expense) -> Form:
    above, body = header_names(expense.organization)
    kind = expense.kind
    per = f" ({format_vnd(kind.limit)} đồng/{kind.per or 'lần'})" if kind.limit is not None else ""
    return Form(
        body_above=above,
        body=body,
        place_date=_date_line(expense.organization, expense.created_at.date()),
        title="GIẤY ĐỀ NGHỊ THANH TOÁN",
        subtitle=f"Kính gửi: Lãnh đạo {expense.organization.name}",
        lines=[
            ("Họ và tên người đề nghị", expense.requested_by.full_name),
            ("Cơ quan", expense.organization.name),
            ("Nội dung thanh toán", expense.description),
            ("Nội dung chi theo quy chế", f"{kind.name}{per}"),
            ("Số lượng", str(expense.quantity)),
            (
                "Dòng dự toán",
                f"{expense.budget_line.code} – {expense.budget_line.name} ({expense.budget_line.year})",
            ),
            ("Ngày chi", expense.spent_on.strftime("%d/%m/%Y")),
            ("Số tiền", f"{format_vnd(expense.amount)} đồng"),
            ("Số tiền bằng chữ", amount_in_words(expense.amount)),
        ],
        signers=[
            ("NGƯỜI ĐỀ NGHỊ", expense.requested_by.full_name),
            ("KẾ TOÁN", ""),
            ("THỦ TRƯỞNG ĐƠN VỊ", ""),
        ],
    )


def to_docx(form: Form) -> bytes:
    docx = new_page()
    left, right = two_columns(docx, 70, 95)
    add_line(left, form.body_above, 13, first=True)
    add_line(left, form.body, 13, bold=True)
    add_line(left, "*", 13)
    add_line(right, form.place_date, 13, italic=True, first=True)
    add_line(docx, "")
    add_line(docx, form.title, 14, bold=True)
    if form.subtitle:
        add_line(docx, form.subtitle, BODY_SIZE, italic=True)
    add_line(docx, "")
    for label, text in form.lines:
        paragraph = add_line(docx, f"{label}: {text}", BODY_SIZE, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        paragraph.paragraph_format.space_after = Pt(4)
    add_line(docx, "")
    table = docx.add_table(rows=2, cols=len(form.signers))
    for index, (role, name) in enumerate(form.signers):
        add_line(table.cell(0, index), role, 13, bold=True, first=True)
        add_line(table.cell(0, index), "(Ký, ghi rõ họ tên)", 12, italic=True)
        add_line(table.cell(1, index), "\n\n\n" + name, 13, bold=True, first=True)
    return to_bytes(docx)


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"Không tải tài nguyên bên ngoài khi in: {url}")


def to_pdf(form: Form) -> bytes:
    html_class = load_weasyprint()
    html = render_to_string("logistics/print_form.html", {"form": form, "printed_at": timezone.now()})
    return bytes(html_class(string=html, url_fetcher=_refuse_fetch).write_pdf())


def download(data: bytes, name: str) -> HttpResponse:
    """A printed form as an attachment, never kept by a shared cache."""
    response = HttpResponse(data, content_type=PDF if name.endswith(".pdf") else DOCX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def file_name(stem: str, extension: str) -> str:
    return f"{slugify(fold(stem)) or 'bieu-mau'}.{extension}"


def render(form: Form, stem: str, extension: str) -> HttpResponse:
    if extension not in ("docx", "pdf"):
        raise Http404
    data = to_pdf(form) if extension == "pdf" else to_docx(form)
    return download(data, file_name(stem, extension))
