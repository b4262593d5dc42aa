"""The one pager of the lists (core/_pagination.html): the Vietnamese labels and the total,
the list's other parameters kept, the page parameter and htmx target each list gives."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.paginator import EmptyPage, Paginator
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from vanphong.core.paging import CappedPaginator


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


# --- Counts that stop at a cap (vanphong.core.paging) -------------------------------------------


@pytest.mark.django_db
def test_a_capped_count_asks_for_one_row_more_than_the_cap_and_pages_on_past_it():
    permissions = Permission.objects.order_by("pk")
    total = permissions.count()
    assert total > 40
    paginator = CappedPaginator(permissions, 10, cap=25)
    with CaptureQueriesContext(connection) as queries:
        assert (paginator.count, paginator.capped, paginator.num_pages) == (25, True, 3)
    assert len(queries) == 1 and "LIMIT 26" in queries[0]["sql"].upper()
    # Page 4 lies past the counted pages: it is served (it has rows) and says whether
    # another follows, asked of the database.
    last = -(-total // 10)
    fourth = paginator.page(4)
    assert list(fourth) == list(permissions[30:40])
    assert fourth.has_next() is (last > 4) and fourth.has_previous()
    assert not paginator.page(last).has_next()
    with pytest.raises(EmptyPage):
        paginator.page(last + 1)
    # A page number out of range on the pages falls back to the last counted one.
    assert paginator.get_page(last + 5).number == 3


@pytest.mark.django_db
def test_below_the_cap_the_count_is_exact_and_nothing_changes():
    permissions = Permission.objects.order_by("pk")
    total = permissions.count()
    paginator = CappedPaginator(permissions, 10, cap=total)
    assert (paginator.count, paginator.capped) == (total, False)
    with pytest.raises(EmptyPage):
        paginator.page(paginator.num_pages + 1)
    assert CappedPaginator(list(range(7)), 5, cap=100).count == 7


def test_the_pager_says_more_than_the_capped_count(settings):
    settings.VANPHONG_LIST_COUNT_CAP = 20
    html = pager(page=CappedPaginator(list(range(95)), 10).get_page(2), noun="văn bản")
    assert "Trang 2</span>" in html and "Trang 2/" not in html
    assert "hơn 20 văn bản" in html and 'rel="next"' in html
