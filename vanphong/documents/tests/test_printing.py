import datetime as dt
import io
import os

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from vanphong.audit.models import AuditEvent
from vanphong.documents import printing
from vanphong.documents.models import (
    Assignment,
    AssignmentRole,
    Direction,
    Document,
    DocumentLink,
    DocumentState,
    EntryStatus,
    LinkKind,
    Recipient,
)
from vanphong.documents.services.registering import entry_register
from vanphong.documents.tests.factories import registered_entry
from vanphong.documents.tests.test_registers_pages import sign_in
from vanphong.orgs.models import Classification

YEAR = timezone.localdate().year
INCOMING_HEADERS = [
    "Ngày đến",
    "Số đến",
    "Tác giả",
    "Số, ký hiệu",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung",
    "Đơn vị hoặc người nhận",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
]


def _incoming(province, *, subject, symbol="", classification=0, doc_type="CV", issuer=None):
    return registered_entry(
        actor=province.clerk.user,
        organization=province.committee,
        received_at=timezone.now(),
        doc_type=doc_type,
        symbol=symbol,
        issuer=issuer or province.centre,
        issued_date=dt.date(YEAR, 1, 5),
        subject=subject,
        classification=classification,
    )


@pytest.fixture
def incoming(province, books):
    first = _incoming(province, subject="về việc tổng kết công tác văn thư năm", symbol="15-CV/VPTW")
    secret = _incoming(
        province,
        subject="về công tác bảo vệ chính trị nội bộ",
        symbol="03-NQ/TW",
        doc_type="NQ",
        classification=Classification.MAT,
    )
    direction = Direction.objects.create(entry=first, author=province.leader, text="Giao Văn phòng chủ trì.")
    Assignment.objects.create(
        direction=direction,
        entry=first,
        role=AssignmentRole.LEAD,
        organization=province.office,
        due_date=dt.date(YEAR, 1, 20),
    )
    Assignment.objects.create(
        direction=direction,
        entry=first,
        role=AssignmentRole.COOPERATE,
        person=province.specialist,
        due_date=dt.date(YEAR, 1, 25),
    )
    return first, secret


def _workbook_rows(output):
    wb = load_workbook(io.BytesIO(output.file.read()))
    ws = wb.active
    rows = list(ws.iter_rows(values_only=True))
    return ws, rows


def _print(actor, register, layout, fmt="xlsx", **period):
    start, end = printing.year_period(YEAR)
    return printing.register_print(
        actor=actor.user,
        register=register,
        layout=layout,
        fmt=fmt,
        date_from=period.get("date_from", start),
        date_to=period.get("date_to", end),
    )


def test_incoming_register_in_excel_has_the_official_columns_and_real_dates(province, books, incoming):
    first, _secret = incoming
    register = books["committee"]["Sổ văn bản đến"]
    ws, rows = _workbook_rows(_print(province.clerk, register, printing.Layout.INCOMING))
    assert rows[0][0] == "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"
    assert f"Năm {YEAR}" in rows[1][0] and "Tỉnh ủy Thử nghiệm" in rows[1][0]
    assert list(rows[2]) == INCOMING_HEADERS
    assert ws.freeze_panes == "A4"
    [row] = rows[3:]
    assert row[1] == 1 and row[2] == "Ban Chấp hành Trung ương" and row[3] == "15-CV/VPTW"
    assert isinstance(row[4], dt.datetime) and row[4].date() == dt.date(YEAR, 1, 5)
    assert row[5] == "Công văn về việc tổng kết công tác văn thư năm"
    assert row[6] == "Văn phòng (chủ trì); specialist (phối hợp)"
    assert isinstance(row[7], dt.datetime)
    assert ws.cell(row=4, column=1).number_format == "DD/MM/YYYY"
    assert ws.cell(row=3, column=1).font.b
    assert AuditEvent.objects.filter(action="register.print", target_id=str(register.pk)).get().after == {
        "layout": "den",
        "format": "xlsx",
        "from": f"{YEAR}-01-01",
        "to": f"{YEAR}-12-31",
        "rows": 1,
    }


def test_classified_rows_are_printed_only_for_those_cleared_to_see_them(province, books, incoming):
    secret_register = books["committee"]["Sổ văn bản mật đến"]
    _ws, rows = _workbook_rows(_print(province.clerk, secret_register, printing.Layout.INCOMING))
    assert [r[3] for r in rows[3:]] == ["03-NQ/TW"]
    assert rows[3][9] == "Mật"
    # The administrator reaches the committee but may not read classified documents.
    _ws, rows = _workbook_rows(_print(province.admin, secret_register, printing.Layout.INCOMING))
    assert rows[3:] == []


def test_period_limits_the_rows(province, books, incoming):
    register = books["committee"]["Sổ văn bản đến"]
    _ws, rows = _workbook_rows(
        _print(
            province.clerk,
            register,
            printing.Layout.INCOMING,
            date_from=dt.date(YEAR - 1, 1, 1),
            date_to=dt.date(YEAR - 1, 12, 31),
        )
    )
    assert rows[3:] == []


def test_follow_up_register_shows_due_dates_progress_and_replies(province, books, incoming):
    first, _secret = incoming
    reply = Document.objects.create(
        organization=province.committee,
        state=DocumentState.ISSUED,
        doc_type="BC",
        symbol="120-BC/TU",
        subject="Báo cáo tổng kết",
    )
    DocumentLink.objects.create(
        source=reply, target=first.document, kind=LinkKind.REPLIES_TO, symbol="15-CV/VPTW"
    )
    first.status = EntryStatus.DONE
    first.processed_at = timezone.make_aware(dt.datetime(YEAR, 1, 18, 9, 0))
    first.save()
    register = books["committee"]["Sổ văn bản đến"]
    _ws, rows = _workbook_rows(_print(province.clerk, register, printing.Layout.FOLLOW_UP))
    assert rows[0][0] == "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN"
    assert list(rows[2]) == [h for h, _w, _k in printing.COLUMNS[printing.Layout.FOLLOW_UP]]
    [row] = rows[3:]
    assert row[0] == 1
    assert row[1] == f"Công văn số 15-CV/VPTW ngày 05/01/{YEAR} của Ban Chấp hành Trung ương"
    assert row[2] == "Văn phòng (chủ trì); specialist (phối hợp)"
    assert row[3].date() == dt.date(YEAR, 1, 20)
    assert row[4] == f"Đã xử lý xong ngày 18/01/{YEAR}"
    assert row[5] == "120-BC/TU"


def test_outgoing_register_lists_signer_recipients_and_copies(province, books):
    doc = Document.objects.create(
        organization=province.committee,
        state=DocumentState.ISSUED,
        doc_type="NQ",
        symbol="05-NQ/TU",
        issued_date=dt.date(YEAR, 2, 3),
        subject="về chuyển đổi số",
        signer_name="Nguyễn Văn Bí Thư",
        created_by=province.specialist,
    )
    Recipient.objects.create(document=doc, organization=province.commune_x, delivered_at=timezone.now())
    Recipient.objects.create(document=doc, organization=province.commune_y)
    register = books["committee"]["Sổ văn bản đi"]
    entry_register(actor=province.clerk.user, register=register, document=doc, copies_count=12)
    _ws, rows = _workbook_rows(_print(province.clerk, register, printing.Layout.OUTGOING))
    assert rows[0][0] == "SỔ ĐĂNG KÝ VĂN BẢN ĐI"
    assert rows[2][0] == "Số, ký hiệu" and rows[2][5] == "Đơn vị, người nhận bản lưu"
    [row] = rows[3:]
    assert row[:2] == ("05-NQ/TU", dt.datetime(YEAR, 2, 3))
    assert row[2] == "Nghị quyết về chuyển đổi số"
    assert row[3] == "Nguyễn Văn Bí Thư"
    assert row[4] == "ĐU An Phú, ĐU Bình Minh"
    assert row[5] == "specialist" and row[6] == 12
    assert isinstance(row[7], dt.datetime)


def test_a_layout_must_fit_the_register(province, books):
    with pytest.raises(ValidationError):
        _print(province.clerk, books["committee"]["Sổ văn bản đi"], printing.Layout.INCOMING)


def test_a_pdf_of_too_many_rows_asks_to_narrow_the_period(province, books, incoming, monkeypatch):
    monkeypatch.setattr(printing, "PDF_MAX_ROWS", 0)
    with pytest.raises(ValidationError) as exc:
        _print(province.clerk, books["committee"]["Sổ văn bản đến"], printing.Layout.INCOMING, fmt="pdf")
    assert "thu hẹp khoảng thời gian" in exc.value.message_dict["date_from"][0]
    assert not AuditEvent.objects.filter(action="register.print").exists()


def _weasyprint_or_skip():
    try:
        printing.load_weasyprint()
    except ValidationError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("WeasyPrint cannot load its system libraries (pango) on this machine")


def _printed_html(monkeypatch, actor, register, layout):
    """The HTML the PDF is made from, WeasyPrint replaced by a recorder."""
    seen = []

    class Recorder:
        def __init__(self, *, string, url_fetcher):
            seen.append(string)

        def write_pdf(self, *, target):
            target.write(b"%PDF-")

    monkeypatch.setattr(printing, "load_weasyprint", lambda: Recorder)
    _print(actor, register, layout, fmt="pdf")
    return seen[0]


def test_a_classified_book_is_printed_with_the_secret_mark(province, books, monkeypatch):
    registered_entry(
        actor=province.clerk.user,
        organization=province.committee,
        subject="Kế hoạch mật",
        classification=Classification.MAT,
    )
    secret = _printed_html(
        monkeypatch, province.clerk, books["committee"]["Sổ văn bản mật đến"], printing.Layout.INCOMING
    )
    assert '<div class="mark">MẬT</div>' in secret  # on the cover
    assert 'content: "MẬT"' in secret  # at the top of every page
    ordinary = _printed_html(
        monkeypatch, province.clerk, books["committee"]["Sổ văn bản đến"], printing.Layout.INCOMING
    )
    assert "MẬT" not in ordinary


def test_pdf_is_a_real_pdf_with_the_headers_and_vietnamese_text(province, books, incoming):
    _weasyprint_or_skip()
    from pypdf import PdfReader

    output = _print(province.clerk, books["committee"]["Sổ văn bản đến"], printing.Layout.INCOMING, fmt="pdf")
    data = output.file.read()
    assert data.startswith(b"%PDF-")
    assert output.filename.endswith(".pdf") and output.content_type == "application/pdf"
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 2  # the title page, then the table
    cover = reader.pages[0].extract_text()
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in cover and f"Năm {YEAR}" in cover and "TỈNH ỦY THỬ NGHIỆM" in cover
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages[1:])
    for header in ("Ngày đến", "Số đến", "Tác giả", "Tên loại và trích yếu nội dung", "Ký nhận", "Ghi chú"):
        assert header in text
    assert "tổng kết công tác văn thư" in text
    assert "Trang 2/2" in text or "Trang 2/" in text


def test_print_page_downloads_excel_and_pdf(client, province, books, incoming):
    sign_in(client, province.clerk)
    register = books["committee"]["Sổ văn bản đến"]
    url = reverse("documents:register_print", args=[register.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Sổ theo dõi giải quyết văn bản đến" in page.content.decode()
    response = client.get(
        url, {"layout": "den", "date_from": f"01/01/{YEAR}", "date_to": f"31/12/{YEAR}", "fmt": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(list(wb.active.iter_rows(min_row=4))) == 1


def test_print_page_shows_errors_in_vietnamese(client, province, books):
    sign_in(client, province.clerk)
    register = books["committee"]["Sổ văn bản đến"]
    url = reverse("documents:register_print", args=[register.pk])
    response = client.get(
        url, {"layout": "den", "date_from": "31/12/2026", "date_to": "01/01/2026", "fmt": "pdf"}
    )
    assert response.status_code == 200
    assert "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu." in response.content.decode()


def test_registers_outside_reach_cannot_be_printed(client, province, books):
    sign_in(client, province.clerk_x)
    register = books["committee"]["Sổ văn bản đến"]
    assert client.get(reverse("documents:register_print", args=[register.pk])).status_code == 404
