"""The petitions statistics (/don-thu/thong-ke/): the page with its tables and charts, the same
figures as an Excel workbook, and the book (sổ theo dõi xử lý đơn thư) for the span. Every
figure comes from ``selectors.stats`` over the petitions the reader may read; the book masks a
denouncer's identity from all but the handlers (``exports.book_workbook``)."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from vanphong.core.http import download_response
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import Organization
from vanphong.petitions import charts, exports, selectors
from vanphong.petitions.forms_stats import QUICK_PICKS, StatsForm

NAV = "petitions"


def readable_books(user: Actor | None) -> QuerySet[Organization]:
    """The organisations whose petitions the reader reads (at least one)."""
    held = selectors.petitions_visible_to(user).order_by().values("organization_id")
    return Organization.objects.filter(pk__in=held).order_by("depth", "path")


def _form(request: HttpRequest) -> StatsForm:
    form = StatsForm(request.GET, organizations=readable_books(request.user), today=timezone.localdate())
    form.is_valid()
    return form


def _span(form: StatsForm) -> tuple[dt.date | None, dt.date | None, Organization | None]:
    """The span and the book chosen; the reader's only book when they read one (the same
    figures, with its name on the page and in the workbooks)."""
    data = form.cleaned_data if form.is_valid() else {}
    organization = data.get("co_quan")
    if organization is None and form.is_valid():
        books = list(form.fields["co_quan"].queryset[:2])  # type: ignore[attr-defined]
        organization = books[0] if len(books) == 1 else None
    return data.get("tu_ngay"), data.get("den_ngay"), organization


def _query(form: StatsForm) -> str:
    start, end, organization = _span(form)
    params = {
        "tu_ngay": f"{start:%d/%m/%Y}" if start else "",
        "den_ngay": f"{end:%d/%m/%Y}" if end else "",
        "co_quan": organization.pk if organization else "",
    }
    return urlencode({k: v for k, v in params.items() if v})


def _short(label: str, rows: list[tuple[str, int]]) -> str:
    """A month's label under its column: "T3" within one year, "03/26" across years."""
    if not re.fullmatch(r"\d\d/\d{4}", label):
        return label
    if len({other[-4:] for other, _n in rows}) == 1:
        return f"T{int(label[:2])}"
    return f"{label[:3]}{label[-2:]}"


def _page_tables(stats: dict[str, Any]) -> list[dict[str, Any]]:
    """The tables of the page, each with its share of the total and its chart (if any)."""
    total = stats["total"]
    out: list[dict[str, Any]] = []
    for title, heading, rows, kind in exports.stats_tables(stats):
        lines = [
            (label, n, f"{100 * n / total:.1f}".replace(".", ",") if total else "0") for label, n in rows
        ]
        chart: Any = None
        if kind == "column" and rows:
            chart = charts.column_chart(title, [(_short(label, rows), n) for label, n in rows])
        elif kind == "bar" and any(n for _l, n in rows):
            chart = charts.row_chart(title, dict(rows))
        out.append(
            {
                "title": title,
                "heading": heading,
                "rows": lines,
                "chart": chart,
                "wide": heading == "Tháng" and len(rows) > 12,
                "kind": kind,
                "slug": f"t{len(out)}",
            }
        )
    return out


@require_GET
def stats_page(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    valid = form.is_valid()
    start, end, organization = _span(form)
    stats = selectors.stats(request.user, start=start, end=end, organization=organization) if valid else None
    books = readable_books(request.user)
    typed = bool(request.GET.get("tu_ngay") or request.GET.get("den_ngay"))
    active_pick = form.cleaned_data.get("ky", "") if valid and not typed else ""
    picks = []
    for key, label in QUICK_PICKS:
        params: dict[str, Any] = {"ky": key}
        if organization is not None:
            params["co_quan"] = organization.pk
        picks.append((key, label, urlencode(params)))
    if valid:
        # The span as it was understood (a quick pick, or this year by default) in the boxes.
        initial = {
            "tu_ngay": f"{start:%d/%m/%Y}" if start else "",
            "den_ngay": f"{end:%d/%m/%Y}" if end else "",
            "co_quan": organization.pk if organization else None,
        }
        form = StatsForm(initial=initial, organizations=books, today=timezone.localdate())
    return render(
        request,
        "petitions/stats_page.html",
        {
            "form": form,
            "stats": stats,
            "tables": _page_tables(stats) if stats else [],
            "figures": exports.figures(stats) if stats else [],
            "span": exports.span_words(start, end),
            "book": exports.book_words(organization),
            "organization": organization,
            "several_books": books.count() > 1,
            "quick_picks": picks,
            "active_pick": active_pick,
            "query": _query(form),
            "nav_active": NAV,
        },
        status=200 if valid else 400,
    )


@require_GET
def stats_xlsx(request: HttpRequest) -> HttpResponseBase:
    form = _form(request)
    if not form.is_valid():
        return render(request, "petitions/stats_page.html", {"form": form, "nav_active": NAV}, status=400)
    start, end, organization = _span(form)
    stats = selectors.stats(request.user, start=start, end=end, organization=organization)
    data = exports.stats_workbook(stats, organization=organization)
    return download_response(
        io.BytesIO(data), name=exports.filename("thong-ke-don-thu", start, end), content_type=exports.XLSX
    )


@require_GET
def book_xlsx(request: HttpRequest) -> HttpResponseBase:
    form = _form(request)
    if form.is_valid():
        start, end, organization = _span(form)
        try:
            file, _rows = exports.book_workbook(request.user, start=start, end=end, organization=organization)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            return download_response(
                file, name=exports.filename("so-theo-doi-don-thu", start, end), content_type=exports.XLSX
            )
    return render(request, "petitions/stats_page.html", {"form": form, "nav_active": NAV}, status=400)
