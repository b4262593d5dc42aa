"""The one pager of the lists (core/_pagination.html): the Vietnamese labels and the total,
the list's other parameters kept, the page parameter and htmx target each list gives."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template.loader import render_to_string


def pager(**context):
    return render_to_string("core/_pagination.html", context)


def test_nothing_when_the_list_fits_on_one_page():
    assert pager(page=Paginator(range(5), 10).get_page(1)).strip() == ""


def test_a_middle_page_links_both_ways_keeps_the_filters_and_counts_all():
    html = pager(page=Paginator(range(2345), 10).get_page(3), query="q=kinh+t%E1%BA%BF&x=1", noun="văn bản")
    assert 'href="?q=kinh+t%E1%BA%BF&amp;x=1&amp;trang=2" rel="prev">‹ Trang trước</a>' in html
    assert 'href="?q=kinh+t%E1%BA%BF&amp;x=1&amp;trang=4" rel="next">Trang sau ›</a>' in html
    assert '<span class="current" aria-current="page">Trang 3/235</span>' in html
    assert "2.345 văn bản" in html
    assert "hx-get" not in html  # no target: plain links


def test_the_first_and_last_pages_link_one_way_only():
    first = pager(page=Paginator(range(30), 10).get_page(1))
    last = pager(page=Paginator(range(30), 10).get_page(3))
    assert 'rel="next"' in first and 'rel="prev"' not in first
    assert 'rel="prev"' in last and 'rel="next"' not in last
    assert "30 mục" in last  # the noun unless the list gives one


def test_the_list_names_its_page_parameter_its_url_and_its_htmx_target():
    html = pager(
        page=Paginator(range(30), 10).get_page(2),
        query="actor=nguoi",
        param="page",
        base="/nhiem-vu/",
        target="#task-results",
    )
    url = "/nhiem-vu/?actor=nguoi&amp;page=3"
    assert f'href="{url}" hx-get="{url}" hx-target="#task-results"' in html
    assert 'hx-push-url="true"' in html


def test_a_result_that_is_not_a_page_gives_its_numbers_and_a_capped_count():
    html = pager(number=2, num_pages=5, count=1000, capped=True, has_previous=True, has_next=True)
    assert "Trang 2</span>" in html and "Trang 2/5" not in html
    assert "hơn 1.000 mục" in html
    assert 'href="?trang=1"' in html and 'href="?trang=3"' in html
