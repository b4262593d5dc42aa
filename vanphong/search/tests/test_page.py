"""The search page /tra-cuu/: full page, live results partial, filters, empty states."""

from __future__ import annotations

from django.urls import reverse

from vanphong.accounts.tests.helpers import sign_in


def signed_in(client, person):
    sign_in(client, person.user)
    return client


def test_page_finds_documents_without_diacritics_and_marks_the_words(client, province, make_document):
    make_document("Kế hoạch triển khai Nghị quyết về kinh tế số", symbol="15-KH/TU", doc_type="KH")
    response = signed_in(client, province.leader).get(reverse("search:search"), {"q": "kinh te so"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Tra cứu văn bản" in html
    assert "Tìm thấy 1 văn bản" in html
    assert "<mark>kinh</mark> <mark>tế</mark> <mark>số</mark>" in html
    assert "15-KH/TU" in html


def test_htmx_request_gets_only_the_results(client, province, make_document):
    make_document("Thông báo kết luận hội nghị")
    response = signed_in(client, province.leader).get(
        reverse("search:search"), {"q": "thong bao"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<html" not in html and "Tìm thấy 1 văn bản" in html


def test_empty_states(client, province, make_document):
    c = signed_in(client, province.leader)
    html = c.get(reverse("search:search")).content.decode()
    assert "Nhập từ khóa hoặc chọn điều kiện lọc" in html
    html = c.get(reverse("search:search"), {"q": "khong co van ban nao"}).content.decode()
    assert "Không tìm thấy văn bản nào khớp “khong co van ban nao”" in html
    html = c.get(reverse("search:search"), {"q": "x", "nam": "abc"}).content.decode()
    assert "Điều kiện tìm kiếm chưa hợp lệ" in html


def test_filters_on_the_page(client, province, make_document):
    make_document("Nghị quyết về văn hóa", doc_type="NQ")
    make_document("Kế hoạch về văn hóa", doc_type="KH")
    html = signed_in(client, province.leader).get(reverse("search:search"), {"q": "van hoa", "loai": "KH"})
    html = html.content.decode()
    assert "Tìm thấy 1 văn bản" in html and "Nghị quyết về" not in html


def test_page_escapes_what_was_typed(client, province):
    html = signed_in(client, province.leader).get(reverse("search:search"), {"q": "<script>x</script>"})
    assert "<script>x</script>" not in html.content.decode()


def test_page_requires_sign_in(client, db):
    response = client.get(reverse("search:search"), {"q": "a"})
    assert response.status_code == 302
