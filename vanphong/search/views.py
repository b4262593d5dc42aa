"""The search page: /tra-cuu/?q=… — a GET form whose results refresh as one types (htmx,
the same URL answering the results partial)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vanphong.core.dbrouter import reading_from_replica
from vanphong.core.http import HtmxHttpRequest
from vanphong.orgs.access import scope_for
from vanphong.orgs.models import Organization
from vanphong.search.forms import SearchForm
from vanphong.search.selectors import SearchPage, search

PAGE_SIZE = 20


def _issuers() -> list[tuple[int, str]]:
    return list(
        Organization.objects.filter(issued_documents__isnull=False)
        .distinct()
        .order_by("name")
        .values_list("pk", "name")[:300]
    )


def _page_number(request: HttpRequest) -> int:
    value = request.GET.get("trang", "1")
    return min(int(value), 10_000) if value.isdigit() and int(value) > 0 else 1


def search_view(request: HtmxHttpRequest) -> HttpResponse:
    user = request.user
    form = SearchForm(request.GET or None, issuers=_issuers(), clearance=scope_for(user).clearance)
    result = SearchPage(count=0, results=[], page=1, page_size=PAGE_SIZE)
    searched = False
    if form.is_bound and form.is_valid():
        filters = form.filters()
        q = form.cleaned_data["q"]
        searched = bool(q.strip()) or filters.any()
        with reading_from_replica():  # the scope was read above, from the primary
            result = search(user, q, filters=filters, page=_page_number(request), page_size=PAGE_SIZE)
    query = request.GET.copy()
    query.pop("trang", None)
    context = {
        "form": form,
        "result": result,
        "searched": searched,
        "query": query.urlencode(),
        "nav_active": "search",
    }
    if request.htmx:
        return render(request, "search/_results.html", context)
    return render(request, "search/search.html", context)
