"""Full-text search: with or without diacritics, ranked, filtered, and never beyond reach."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection

from vanphong.documents.models import DocumentFile, DocumentState, RegisterKind
from vanphong.orgs.models import Classification, Role
from vanphong.orgs.tests.factories import make_actor
from vanphong.search.models import SearchEntry
from vanphong.search.selectors import Filters, search
from vanphong.search.services import search_index_documents
from vanphong.search.tests.conftest import add_text


def subjects(page) -> list[str]:
    return [r.subject for r in page.results]


def test_query_without_diacritics_finds_the_accented_subject(province, make_document):
    make_document("Nghị quyết về phát triển kinh tế số tỉnh", symbol="08-NQ/TU", doc_type="NQ")
    make_document("Công văn về việc chuẩn bị hội nghị", symbol="12-CV/TU")
    page = search(province.leader.user, "nghi quyet")
    assert page.count == 1
    assert subjects(page) == ["Nghị quyết về phát triển kinh tế số tỉnh"]


@pytest.mark.parametrize("query", ["dang uy", "Đảng ủy", "ĐẢNG ỦY", "đang uy", "DANG UY"])
def test_d_with_stroke_folds_to_d_in_every_spelling(province, make_document, query):
    make_document("Báo cáo của Đảng ủy xã An Phú về công tác quý I")
    page = search(province.leader.user, query)
    assert page.count == 1


def test_last_word_is_matched_as_a_prefix_while_typing(province, make_document):
    make_document("Kế hoạch triển khai chuyển đổi số")
    assert search(province.leader.user, "chuyen doi s").count == 1
    assert search(province.leader.user, "chuyen do").count == 1
    # A finished word (followed by a space) is matched whole.
    assert search(province.leader.user, "chuyen do ").count == 0


def test_symbol_is_found_as_typed(province, make_document):
    make_document("Nghị quyết về công tác cán bộ", symbol="08-NQ/TU", doc_type="NQ")
    make_document("Nghị quyết về công tác kiểm tra", symbol="09-NQ/TU", doc_type="NQ")
    page = search(province.leader.user, "08-NQ/TU")
    assert subjects(page) == ["Nghị quyết về công tác cán bộ"]


def test_subject_match_ranks_before_a_match_in_the_text(province, make_document):
    in_text = make_document(
        "Báo cáo tình hình tháng 3",
        text="Nội dung báo cáo. " * 20 + "Tiếp tục triển khai chuyển đổi số trong các cơ quan đảng. " * 2,
    )
    in_subject = make_document("Đề án chuyển đổi số của tỉnh")
    page = search(province.leader.user, "chuyen doi so")
    assert [r.id for r in page.results] == [in_subject.pk, in_text.pk]


def test_extracted_text_is_searchable_and_snippet_comes_from_the_original(province, make_document):
    make_document(
        "Công văn về việc báo cáo",
        text="Đề nghị các đơn vị báo cáo kết quả thực hiện Nghị quyết số 57-NQ/TW về khoa học công nghệ.",
    )
    page = search(province.leader.user, "khoa hoc cong nghe")
    assert page.count == 1
    snippet = page.results[0].snippet
    assert "<mark>khoa</mark> <mark>học</mark> <mark>công</mark> <mark>nghệ</mark>" in snippet


def test_snippet_marks_the_subject_and_escapes_html(province, make_document):
    make_document("Tờ trình <b>về</b> Nghị quyết & kế hoạch")
    page = search(province.leader.user, "nghi quyet")
    assert str(page.results[0].snippet) == (
        "Tờ trình &lt;b&gt;về&lt;/b&gt; <mark>Nghị</mark> <mark>quyết</mark> &amp; kế hoạch"
    )


def test_snippet_of_a_long_text_is_a_passage_around_the_match(province, make_document):
    middle = "Thực hiện nhiệm vụ sáp nhập đơn vị hành chính cấp xã. "
    text = "Mở đầu văn bản. " * 2000 + middle + "Kết thúc. " * 500
    make_document("Công văn số 15", text=text)
    snippet = str(search(province.leader.user, "sap nhap").results[0].snippet)
    assert "<mark>sáp</mark> <mark>nhập</mark>" in snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert len(snippet) < 400


def test_classified_document_is_hidden_from_readers_without_clearance_or_need(province, make_document):
    make_document("Kế hoạch bảo vệ bí mật nhà nước", classification=Classification.MAT)
    make_document("Kế hoạch tuyên truyền bảo vệ nền tảng tư tưởng")
    # Cleared, but not a keeper of the books nor named on it: no need to know.
    reader = make_actor("reader", province.committee, Role.CHUYEN_VIEN, clearance=Classification.MAT)
    # A keeper without the clearance: the Tối mật document stays out of reach.
    make_document("Kế hoạch phòng thủ khu vực", classification=Classification.TOI_MAT)

    assert search(province.leader.user, "ke hoach").count == 3
    assert search(province.clerk.user, "ke hoach").count == 2  # Mật clearance
    page = search(reader.user, "ke hoach")
    assert page.count == 1
    assert subjects(page) == ["Kế hoạch tuyên truyền bảo vệ nền tảng tư tưởng"]
    assert search(reader.user, "bi mat nha nuoc").count == 0


def test_documents_of_another_commune_are_out_of_reach(province, make_document):
    make_document("Báo cáo công tác dân vận xã An Phú", organization=province.commune_x)
    make_document("Báo cáo công tác dân vận xã Bình Minh", organization=province.commune_y)
    assert subjects(search(province.clerk_x.user, "dan van")) == ["Báo cáo công tác dân vận xã An Phú"]
    assert search(province.leader.user, "dan van").count == 2


def test_filters_narrow_the_results(province, make_document):
    make_document("Nghị quyết về kinh tế", symbol="01-NQ/TU", doc_type="NQ", issued_date=dt.date(2025, 11, 5))
    make_document("Kế hoạch về kinh tế", symbol="02-KH/TU", doc_type="KH", issued_date=dt.date(2026, 1, 6))
    issued = make_document(
        "Thông báo về kinh tế", doc_type="TB", kind=RegisterKind.OUTGOING, issuer=province.committee
    )
    make_document(
        "Báo cáo mật về kinh tế", doc_type="BC", classification=Classification.MAT, issuer=province.centre
    )
    user = province.leader.user
    assert search(user, "kinh te").count == 4
    assert subjects(search(user, "kinh te", filters=Filters(doc_type="NQ"))) == ["Nghị quyết về kinh tế"]
    assert subjects(search(user, "kinh te", filters=Filters(year=2025))) == ["Nghị quyết về kinh tế"]
    assert [r.id for r in search(user, "kinh te", filters=Filters(kind="outgoing")).results] == [issued.pk]
    assert search(user, "kinh te", filters=Filters(state=DocumentState.ISSUED)).count == 1
    assert search(user, "kinh te", filters=Filters(issuer=province.centre.pk)).count == 1
    assert search(user, "kinh te", filters=Filters(classification=Classification.MAT)).count == 1
    assert search(user, "kinh te", filters=Filters(status="registered")).count == 4
    assert search(user, "kinh te", filters=Filters(status="done")).count == 0
    assert search(user, "kinh te", filters=Filters(organization=province.commune_x.pk)).count == 0


def test_filters_without_a_query_list_newest_first_and_nothing_without_either(province, make_document):
    make_document("Nghị quyết thứ nhất", doc_type="NQ", issued_date=dt.date(2026, 1, 5))
    make_document("Nghị quyết thứ hai", doc_type="NQ", issued_date=dt.date(2026, 2, 5))
    page = search(province.leader.user, "", filters=Filters(doc_type="NQ"))
    assert subjects(page) == ["Nghị quyết thứ hai", "Nghị quyết thứ nhất"]
    assert search(province.leader.user, "   ").count == 0
    assert search(province.leader.user, "?!*\"'").count == 0


def test_pagination_counts_all_and_returns_one_page(province, make_document):
    for n in range(5):
        make_document(f"Giấy mời họp số {n}")
    page = search(province.leader.user, "giay moi", page=2, page_size=2)
    assert page.count == 5 and len(page.results) == 2 and page.num_pages == 3
    assert page.has_next and page.has_previous
    assert search(province.leader.user, "giay moi", page=9, page_size=2).results == []


def test_search_syntax_characters_are_plain_text(province, make_document):
    make_document("Quy chế làm việc (sửa đổi) của Ban Chấp hành")
    for query in ['quy che "lam viec', "quy che OR lam", "(sua doi) AND", "quy* che:", "ban-chap hanh"]:
        search(province.leader.user, query)  # never a syntax error
    assert search(province.leader.user, "(sua doi)").count == 1


def test_text_extracted_later_is_indexed_and_the_old_text_forgotten(province, make_document):
    document = make_document("Công văn về việc góp ý")
    file = add_text(document, "Góp ý dự thảo báo cáo chính trị đại hội")
    assert search(province.leader.user, "bao cao chinh tri").count == 1
    DocumentFile.objects.filter(pk=file.pk).update(text="Nội dung khác hẳn")
    from vanphong.documents.services.indexing import document_text_changed

    document_text_changed(document)
    assert search(province.leader.user, "bao cao chinh tri").count == 0
    assert search(province.leader.user, "noi dung khac").count == 1


def test_deleting_the_entry_removes_it_from_the_full_text_index(province, make_document):
    make_document("Thông báo kết luận của Ban Thường vụ")
    SearchEntry.objects.all().delete()
    assert search(province.leader.user, "thong bao ket luan").count == 0
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH 'thong'")
            assert cursor.fetchone()[0] == 0


def test_reindex_command_rebuilds_the_index_in_batches(province, make_document, capsys):
    for n in range(5):
        make_document(f"Chương trình công tác tháng {n + 1}")
    SearchEntry.objects.all().delete()
    call_command("reindex", "--batch", "2")
    assert search(province.leader.user, "chuong trinh cong tac").count == 5
    assert "5" in capsys.readouterr().out
    # Running it again rewrites the same rows, it does not duplicate them.
    ids = list(SearchEntry.objects.values_list("document_id", flat=True))
    assert search_index_documents(document_ids=ids) == 5
    assert SearchEntry.objects.count() == 5
