"""The petitions statistics (selectors.stats), their page and workbook, and the book export:
counts by the database over what the reader may read, charts in the workbook, a denouncer
masked in the book for all but the handlers (each disclosure audited), queries constant in
the number of petitions."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from vanphong.audit.models import AuditEvent
from vanphong.petitions import exports, selectors, services
from vanphong.petitions.services import PetitionerSpec
from vanphong.petitions.tests.conftest import register

D = dt.date
BINH = PetitionerSpec("Trần Thị Bình", "Xóm Trại, xã Bình Minh")
CUONG = PetitionerSpec("Lê Văn Cường", "Tổ 3, phường Trung Tâm")
DUNG = PetitionerSpec("Phạm Văn Dũng", "Thôn Bắc, xã An Phú")
SPAN = {"start": D(2026, 1, 1), "end": D(2026, 12, 31)}
TODAY = D(2026, 12, 7)
STATS_URL = "/don-thu/thong-ke/"


@pytest.fixture(autouse=True)
def _pages_without_second_factor(settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"


@pytest.fixture
def book(province):
    """Eight letters: six in the Tỉnh ủy's book in 2026 (one of them a denunciation), one
    there in 2025, one in the book of the commune of Bình Minh."""
    clerk = province.clerk.user
    p1 = register(province, received_date=D(2026, 1, 10), locality="Xã An Phú")
    services.petition_decide(actor=clerk, petition=p1, action="accept", today=D(2026, 1, 12))
    services.petition_result(actor=clerk, petition=p1, result="dung", summary="Bồi thường bổ sung")
    # The same person on the same matter: linked to p1 (a duplicate).
    p2 = register(
        province, received_date=D(2026, 2, 13), field="đất  ĐAI", locality="xã an phú", channel="in_person"
    )
    assert list(p2.related.all()) == [p1]
    services.petition_decide(actor=clerk, petition=p2, action="transfer", to_organization=province.commune_x)
    p3 = register(
        province,
        received_date=D(2026, 2, 20),
        kind="to_cao",
        channel="online",
        field="Tham nhũng",
        locality="Xã Bình Minh",
        petitioners=[BINH],
        respondent="Chủ tịch UBND xã Bình Minh",
        content="Tố cáo Chủ tịch UBND xã nhận tiền của dân khi cấp giấy chứng nhận quyền sử dụng đất",
    )
    services.petition_decide(actor=clerk, petition=p3, action="accept", today=D(2026, 2, 24))
    p4 = register(
        province,
        received_date=D(2026, 3, 5),
        kind="phan_anh",
        channel="email",
        field="Môi trường",
        petitioners=[],
        content="Phản ánh cơ sở chăn nuôi xả thải ra kênh thủy lợi",
    )
    services.petition_decide(actor=clerk, petition=p4, action="file", reason="Nặc danh, đã chuyển thông tin")
    p5 = register(
        province,
        received_date=D(2026, 3, 15),
        kind="kien_nghi",
        petitioners=[CUONG],
        content="Kiến nghị sửa đường liên thôn bị sạt lở",
        locality="Phường Trung Tâm",
    )
    services.petition_decide(actor=clerk, petition=p5, action="guide")
    p6 = register(
        province,
        received_date=D(2026, 3, 20),
        kind="kien_nghi",
        petitioners=[DUNG],
        field="Giao thông",
        content="Kiến nghị lắp đèn chiếu sáng tuyến đường tỉnh",
    )
    old = register(province, received_date=D(2025, 12, 20), petitioners=[DUNG], content="Đơn năm trước")
    neighbour = register(
        province,
        actor=province.clerk_y.user,
        organization=province.commune_y,
        received_date=D(2026, 2, 1),
        petitioners=[CUONG],
        content="Đơn gửi Đảng ủy xã Bình Minh",
    )
    return {"p1": p1, "p2": p2, "p3": p3, "p4": p4, "p5": p5, "p6": p6, "old": old, "neighbour": neighbour}


def test_counts_by_kind_field_locality_result_month_match_the_book(province, book):
    stats = selectors.stats(province.chief.user, **SPAN, today=TODAY)
    assert stats["total"] == 6
    assert stats["by_kind"] == {"khieu_nai": 2, "to_cao": 1, "kien_nghi": 2, "phan_anh": 1}
    assert stats["by_field"] == {"Giao thông": 1, "Môi trường": 1, "Tham nhũng": 1, "Đất đai": 3}
    assert stats["by_locality"] == {"": 2, "Phường Trung Tâm": 1, "Xã An Phú": 2, "Xã Bình Minh": 1}
    assert stats["by_result"] == {"": 5, "dung": 1}
    assert stats["by_channel"] == {"post": 3, "in_person": 1, "transferred": 0, "online": 1, "email": 1}
    assert stats["by_action"] == {"accept": 2, "transfer": 1, "guide": 1, "file": 1, "": 1}
    assert stats["by_state"] == {
        "received": 1,
        "accepted": 1,
        "transferred": 1,
        "guided": 1,
        "filed": 1,
        "resolved": 1,
    }
    assert list(stats["by_month"]) == [f"2026-{m:02d}" for m in range(1, 13)]
    assert stats["by_month"]["2026-01"] == 1 and stats["by_month"]["2026-02"] == 2
    assert stats["by_month"]["2026-03"] == 3 and sum(stats["by_month"].values()) == 6
    assert stats["anonymous"] == 1
    assert stats["duplicates"] == 1
    # p6 waits for a decision past its processing time; p3 is accepted past its resolve_by.
    assert stats["overdue"] == {"processing": 1, "resolution": 1, "total": 2}
    assert stats["from"] == SPAN["start"] and stats["to"] == SPAN["end"]
    # Before the deadlines nothing is overdue.
    assert selectors.stats(province.chief.user, **SPAN, today=D(2026, 3, 20))["overdue"]["total"] == 0


def test_a_reader_counts_only_the_books_they_read(province, book):
    neighbour = selectors.stats(province.clerk_y.user, **SPAN)
    assert neighbour["total"] == 1 and neighbour["by_kind"]["khieu_nai"] == 1
    assert neighbour["by_field"] == {"Đất đai": 1}
    everything = selectors.stats(province.chief.user, start=None, end=None)
    assert everything["total"] == 7  # the 2025 letter too, never the commune's
    assert list(everything["by_month"])[0] == "2025-12" and len(everything["by_month"]) == 4
    one_book = selectors.stats(province.chief.user, **SPAN, organization=province.commune_y)
    assert one_book["total"] == 0


def test_a_denunciations_links_are_not_counted_for_who_does_not_handle_it(province, book):
    later = register(
        province,
        received_date=D(2026, 4, 2),
        kind="to_cao",
        petitioners=[BINH],
        respondent="Chủ tịch UBND xã Bình Minh",
        content=book["p3"].content,
    )
    assert list(later.related.all()) == [book["p3"]]
    assert selectors.stats(province.chief.user, **SPAN)["duplicates"] == 1  # p2 only
    assert selectors.stats(province.clerk.user, **SPAN)["duplicates"] == 2  # the clerk entered both


def test_stats_queries_do_not_grow_with_the_petitions(province, book, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as few:
        selectors.stats(province.chief.user, **SPAN)
    for n in range(6):
        register(province, received_date=D(2026, 5, 1 + n), petitioners=[], content=f"Phản ánh số {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        stats = selectors.stats(province.chief.user, **SPAN)
    assert stats["total"] == 12 and len(few.captured_queries) <= 8


def test_the_stats_page_shows_tables_and_charts(client, province, book):
    client.force_login(province.chief.user)
    response = client.get(STATS_URL, {"tu_ngay": "01/01/2026", "den_ngay": "31/12/2026"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Thống kê đơn thư" in html and "Tham nhũng" in html and "Xã An Phú" in html
    assert "Tỉnh ủy Thử nghiệm · Từ ngày 01/01/2026 đến ngày 31/12/2026" in html  # their only book
    main = html.split("<main", 1)[1]
    assert main.count('<svg class="stats-chart') == 4 and main.count("<title") == 4
    assert 'style="' not in main  # the CSP forbids style attributes
    assert "Trần Thị Bình" not in html and "Nguyễn Văn An" not in html
    quarter = client.get(STATS_URL, {"ky": "quy"})
    assert quarter.status_code == 200
    bad = client.get(STATS_URL, {"tu_ngay": "31/12/2026", "den_ngay": "01/01/2026"})
    assert "Ngày kết thúc không được trước ngày bắt đầu." in bad.content.decode()


def test_the_stats_page_refuses_a_book_the_reader_does_not_read(client, province, book):
    client.force_login(province.clerk_y.user)
    response = client.get(STATS_URL, {"co_quan": province.committee.pk})
    assert "Đồng chí không được xem sổ đơn thư của cơ quan này." in response.content.decode()
    response = client.get(f"{STATS_URL}xlsx", {"co_quan": province.committee.pk})
    assert response.status_code == 400


def test_the_stats_workbook_has_the_numbers_and_native_charts(client, province, book):
    client.force_login(province.chief.user)
    response = client.get(f"{STATS_URL}xlsx", {"tu_ngay": "01/01/2026", "den_ngay": "31/12/2026"})
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX
    assert "thong-ke-don-thu-2026-01-01-2026-12-31.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet["A1"].value == "THỐNG KÊ ĐƠN THƯ — TỈNH ỦY THỬ NGHIỆM"
    assert "01/01/2026" in sheet["A2"].value
    rows = [(r[0], r[1]) for r in sheet.iter_rows(values_only=True) if r and r[0]]
    assert ("Tổng số đơn (nhận trong kỳ)", 6) in rows and ("Đơn nặc danh (không rõ người gửi)", 1) in rows
    assert ("Khiếu nại", 2) in rows and ("Tố cáo", 1) in rows and ("Đất đai", 3) in rows
    assert ("Xã An Phú", 2) in rows and ("Đúng", 1) in rows and ("03/2026", 3) in rows
    kinds = {type(chart).__name__ for chart in sheet._charts}
    assert len(sheet._charts) == 6 and kinds == {"BarChart", "PieChart"}


def _book(user, **kwargs):
    file, count = exports.book_workbook(user, **SPAN, **kwargs)
    with file:
        sheet = load_workbook(file).active
        return count, [list(r) for r in sheet.iter_rows(min_row=5, values_only=True)]


def test_the_book_masks_a_denouncer_for_who_does_not_handle_it(province, book):
    before = AuditEvent.objects.filter(action="petition.identity_read").count()
    count, rows = _book(province.chief.user)
    assert count == 6 and len(rows) == 6
    by_number = {r[0]: r for r in rows}
    denunciation = by_number[f"{book['p3'].number}/2026"]
    assert denunciation[4] == "Danh tính được bảo vệ"
    assert "Trần Thị Bình" not in str(rows)
    assert by_number[f"{book['p4'].number}/2026"][4] == "Nặc danh"
    complaint = by_number[f"{book['p1'].number}/2026"]
    assert complaint[4].startswith("Nguyễn Văn An, Thôn Đông") and complaint[13].startswith("Đúng")
    assert complaint[1] == dt.datetime(2026, 1, 10)
    transferred = by_number[f"{book['p2'].number}/2026"]
    assert transferred[9] == "Chuyển cơ quan có thẩm quyền" and transferred[10] == province.commune_x.name
    assert AuditEvent.objects.filter(action="petition.identity_read").count() == before


def test_the_book_shows_the_denouncer_to_the_handler_and_audits_it(province, book):
    count, rows = _book(province.clerk.user)
    denunciation = next(r for r in rows if r[0] == f"{book['p3'].number}/2026")
    assert denunciation[4] == "Trần Thị Bình, Xóm Trại, xã Bình Minh"
    events = AuditEvent.objects.filter(action="petition.identity_read", target_id=str(book["p3"].pk))
    assert events.count() == 1 and events.get().actor == province.clerk.user


def test_the_book_download_and_its_queries_do_not_grow_with_rows(
    client, province, book, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as few:
        _book(province.chief.user)
    for n in range(5):
        register(
            province,
            received_date=D(2026, 6, 1 + n),
            petitioners=[PetitionerSpec(f"Người gửi {n}", "Xã An Phú")],
            content=f"Kiến nghị số {n}",
            kind="kien_nghi",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        count, _rows = _book(province.chief.user)
    assert count == 11
    client.force_login(province.chief.user)
    response = client.get(f"{STATS_URL}so-theo-doi.xlsx", {"ky": "nam"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    assert "so-theo-doi-don-thu-" in response["Content-Disposition"]


def test_the_book_of_one_organisation_only(province, book):
    count, rows = _book(province.clerk_y.user)
    assert count == 1 and rows[0][15] == province.commune_y.name
    count, _rows = _book(province.chief.user, organization=province.commune_y)
    assert count == 0


def test_quick_picks_are_the_reporting_periods():
    from vanphong.petitions.forms_stats import quick_span

    today = D(2026, 8, 14)
    assert quick_span("thang", today) == (D(2026, 8, 1), D(2026, 8, 31))
    assert quick_span("quy", today) == (D(2026, 7, 1), D(2026, 9, 30))
    assert quick_span("6thang", today) == (D(2026, 1, 1), D(2026, 6, 30))
    assert quick_span("9thang", today) == (D(2026, 1, 1), D(2026, 9, 30))
    assert quick_span("nam", today) == (D(2026, 1, 1), D(2026, 12, 31))


def test_the_figures_other_modules_read_by_code(province, book):
    figures = selectors.stats_figures(selectors.stats(province.chief.user, **SPAN, today=TODAY))
    assert figures["total"] == 6 and figures["kind.to_cao"] == 1 and figures["result.dung"] == 1
    assert figures["action.transfer"] == 1 and figures["overdue.total"] == 2 and figures["anonymous"] == 1
    assert set(figures) == set(selectors.stats_figure_labels())


def test_a_reader_of_no_petition_gets_an_empty_page(client, province, book):
    client.force_login(province.clerk_x.user)
    response = client.get(STATS_URL, {"ky": "thang"})
    html = response.content.decode()
    assert response.status_code == 200 and "Không có đơn thư nào" in html
    assert '<svg class="stats-chart' not in html
