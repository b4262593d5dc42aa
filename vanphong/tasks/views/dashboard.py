"""Pages of the task dashboards (bảng điều hành, /nhiem-vu/tong-quan/): province-wide for
the Standing Committee, an organisation, a unit, a leader, and the entry page that picks
the right one for the reader.

Each view: check who may see it (404 otherwise, never 403), read the period, ask
``dashboards`` for the numbers, and turn them into cards, tables and chart data whose every
number links to the task list filtered to exactly those tasks."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from vanphong.orgs.access import Capability, scope_for
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import Organization, Person, Unit
from vanphong.tasks import dashboards
from vanphong.tasks.dashboards import Block, Period
from vanphong.tasks.selectors import Today

NAV = "task_dashboard"
PERIOD_FROM, PERIOD_TO = "tu_thang", "den_thang"  # the period filter's GET parameters
CHART_ROWS = 15  # organisations (units) drawn in a breakdown chart; the table has them all

_MONTH_RE = re.compile(r"^\s*(?:(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>\d{4})|(?P<iy>\d{4})-(?P<im>\d{1,2}))\s*$")


# --- Period ------------------------------------------------------------------------------------


def parse_month(text: str) -> dt.date:
    """ "03/2026", "3/2026", "3-2026" or "2026-03" → 1 March 2026; ValueError otherwise."""
    match = _MONTH_RE.match(text or "")
    if match is None:
        raise ValueError(text)
    year = int(match["y"] or match["iy"])
    month = int(match["m"] or match["im"])
    if not 1 <= month <= 12 or not 1900 <= year <= 2099:
        raise ValueError(text)
    return dt.date(year, month, 1)


def _period(request: HttpRequest) -> tuple[Period, dict[str, str], dict[str, str]]:
    """The period asked for, the raw values (to show back) and the errors (in Vietnamese);
    a value that cannot be read is left out of the period."""
    raw = {name: request.GET.get(name, "").strip()[:20] for name in (PERIOD_FROM, PERIOD_TO)}
    months: dict[str, dt.date | None] = {}
    errors: dict[str, str] = {}
    for name, value in raw.items():
        months[name] = None
        if value:
            try:
                months[name] = parse_month(value)
            except ValueError:
                errors[name] = "Tháng không hợp lệ: hãy nhập theo dạng mm/yyyy, ví dụ 03/2026."
    start, end = months[PERIOD_FROM], months[PERIOD_TO]
    if start is not None and end is not None and start > end:
        errors[PERIOD_TO] = "Tháng kết thúc phải cùng hoặc sau tháng bắt đầu."
        end = None
    return Period(month_from=start, month_to=end), raw, errors


def _period_query(period: Period) -> str:
    """The period as this page's own query string, for links between dashboards."""
    query = {}
    if period.month_from is not None:
        query[PERIOD_FROM] = f"{period.month_from:%m/%Y}"
    if period.month_to is not None:
        query[PERIOD_TO] = f"{period.month_to:%m/%Y}"
    return f"?{urlencode(query)}" if query else ""


# --- Drill-down links --------------------------------------------------------------------------

# Which task-list status each number stands for ("" = every status).
STAT_STATUS = {
    "total": "",
    "done_on_time": "done_on_time",
    "done_late": "done_late",
    "overdue": "overdue",
    "in_progress": "in_progress",
    "due_soon": "due_soon",
    "cancelled": "cancelled",
    "done": "done",
}


def list_url(
    params: dict[str, Any],
    *,
    status: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
    url_name: str = "tasks:list",
) -> str:
    """The task list (``tasks:list``, or the overdue list ``tasks:overdue``) showing the
    tasks behind a number: the block's filters, a status and the period of the original due
    date (``period_from`` / ``period_to``, ISO dates), the names the list page reads."""
    query: dict[str, Any] = {**params}
    if status:
        query["status"] = status
    if start is not None:
        query["period_from"] = start.isoformat()
    if end is not None:
        query["period_to"] = end.isoformat()
    url = reverse(url_name)
    return f"{url}?{urlencode(query)}" if query else url


# The cards, three by three (phones keep three columns): name, label, hint.
STATS = (
    ("total", "Tổng số nhiệm vụ", "không tính nhiệm vụ đã hủy"),
    ("overdue", "Quá hạn", "chưa hoàn thành, đã qua hạn"),
    ("on_time_rate", "Tỷ lệ hoàn thành đúng hạn", ""),
    ("in_progress", "Đang thực hiện trong hạn", "chưa đến hạn và sắp đến hạn"),
    ("due_soon", "Sắp đến hạn", "trong số đang thực hiện"),
    ("done", "Đã hoàn thành", "đúng hạn và quá hạn"),
    ("done_on_time", "Hoàn thành đúng hạn", ""),
    ("done_late", "Hoàn thành quá hạn", ""),
    ("cancelled", "Đã hủy", "không tính vào tổng số"),
)

COLORS = {"done_on_time": "ok", "done_late": "warn", "overdue": "accent", "in_progress": "link", "done": "ok"}
TREND_SERIES = (
    ("done_on_time", "Hoàn thành đúng hạn"),
    ("done_late", "Hoàn thành quá hạn"),
    ("overdue", "Quá hạn"),
    ("in_progress", "Đang thực hiện trong hạn"),
)
# The breakdown chart shows the work still open, and where it is late; the table has the rest.
BREAKDOWN_SERIES = (
    ("overdue", "Quá hạn"),
    ("in_progress", "Đang thực hiện trong hạn"),
)


def _row_name(row: dict[str, Any]) -> str:
    obj = row.get("object")
    if obj is None:
        return f"#{row['id']}"
    return obj.short_name or obj.name


def _present(block: Block, period: Period, index: int, user: Actor) -> dict[str, Any]:
    """Everything the block template needs, with a drill-down link on every number."""
    scope = scope_for(user)
    start, end = period.start, period.end
    counts = block.counts

    def link(status: str, extra: dict[str, Any] | None = None, **dates: Any) -> str:
        params = {**block.params, **(extra or {})}
        return list_url(params, status=status, start=dates.get("start", start), end=dates.get("end", end))

    stats = []
    for name, label, hint in STATS:
        if name == "on_time_rate":
            stats.append(
                {"name": name, "label": label, "hint": "trong số đã hoàn thành", "rate": counts.on_time_rate}
            )
        else:
            value = getattr(counts, name)
            stats.append(
                {"name": name, "label": label, "hint": hint, "value": value, "url": link(STAT_STATUS[name])}
            )

    months = []
    for row in block.months:
        m_start, m_end = row["month"], dashboards.month_end(row["month"])
        months.append(
            {
                **row,
                "label": f"{row['month']:%m/%Y}",
                "links": {
                    name: link(STAT_STATUS[name], start=m_start, end=m_end)
                    for name in ("total", "done_on_time", "done_late", "overdue", "in_progress")
                },
            }
        )

    breakdown = []
    for row in block.breakdown:
        obj = row.get("object")
        extra = {block.breakdown_param: row["id"]}
        dashboard_url = ""
        if isinstance(obj, Organization) and scope.reaches(Capability.READ, obj):
            dashboard_url = reverse("tasks:dashboard_org", args=[obj.pk]) + _period_query(period)
        elif isinstance(obj, Unit) and scope.reaches(Capability.READ, obj.organization):
            dashboard_url = reverse("tasks:dashboard_unit", args=[obj.pk]) + _period_query(period)
        done = row["done_on_time"] + row["done_late"]
        breakdown.append(
            {
                **row,
                "name": _row_name(row),
                "done": done,
                "in_progress": row["open"] - row["overdue"],
                "dashboard_url": dashboard_url,
                "links": {
                    name: link(STAT_STATUS[name], extra)
                    for name in ("total", "done_on_time", "done_late", "overdue", "in_progress", "done")
                },
            }
        )

    overdue = [
        {"task": task, "days_late": task.days_late, "url": reverse("tasks:detail", args=[task.pk])}
        for task in block.overdue
    ]

    prefix = f"b{index}-{block.key}"
    trend_chart = {
        "type": "bar",
        "stacked": True,
        "horizontal": False,
        "label": f"{block.title}: số nhiệm vụ theo tháng đến hạn",
        "labels": [m["label"] for m in months],
        "datasets": [
            {
                "label": label,
                "color": COLORS[name],
                "data": [m[name] for m in months],
                "links": [m["links"][name] for m in months],
            }
            for name, label in TREND_SERIES
        ],
    }
    charted = breakdown[:CHART_ROWS]
    breakdown_chart = {
        "type": "bar",
        "stacked": True,
        "horizontal": True,
        "label": f"{block.title}: việc chưa hoàn thành theo {block.breakdown_label.lower()}",
        "labels": [r["name"] for r in charted],
        "datasets": [
            {
                "label": label,
                "color": COLORS[name],
                "data": [r[name] for r in charted],
                "links": [r["links"][name] for r in charted],
            }
            for name, label in BREAKDOWN_SERIES
        ],
    }
    return {
        "block": block,
        "key": block.key,
        "prefix": prefix,
        "title": block.title,
        "empty": block.empty,
        "counts": counts,
        "stats": stats,
        "overdue": overdue,
        "overdue_more": counts.overdue > len(overdue),
        "overdue_url": list_url(block.params, start=start, end=end, url_name="tasks:overdue"),
        "months": months,
        "breakdown": breakdown,
        "breakdown_label": block.breakdown_label,
        "breakdown_charted": len(charted),
        "trend_chart": trend_chart,
        "trend_chart_id": f"{prefix}-trend",
        "breakdown_chart": breakdown_chart,
        "breakdown_chart_id": f"{prefix}-breakdown",
        "from_tally": block.from_tally,
    }


# --- Pages -------------------------------------------------------------------------------------


def _render(
    request: HttpRequest,
    *,
    kind: str,
    heading: str,
    subheading: str,
    blocks: list[Block],
    period: Period,
    raw: dict[str, str],
    errors: dict[str, str],
    current: Any = None,
) -> HttpResponse:
    choices = dashboards.choices_for(request.user)
    query = _period_query(period)
    context = {
        "nav_active": NAV,
        "kind": kind,
        "heading": heading,
        "subheading": subheading,
        "blocks": [_present(b, period, i, request.user) for i, b in enumerate(blocks)],
        "any_tally": any(b.from_tally for b in blocks),
        "period": period,
        "period_raw": raw,
        "period_errors": errors,
        "period_from_name": PERIOD_FROM,
        "period_to_name": PERIOD_TO,
        "period_query": query,
        "choices": choices,
        "current": current,
        "form_action": request.path,
    }
    return render(request, "tasks/dashboard.html", context)


def _period_label(period: Period) -> str:
    if period.month_from and period.month_to:
        return f"hạn từ tháng {period.month_from:%m/%Y} đến tháng {period.month_to:%m/%Y}"
    if period.month_from:
        return f"hạn từ tháng {period.month_from:%m/%Y}"
    if period.month_to:
        return f"hạn đến hết tháng {period.month_to:%m/%Y}"
    return "mọi thời hạn"


def _province(request: HttpRequest) -> HttpResponse:
    organizations = dashboards.province_organizations(request.user)
    if not organizations:
        raise Http404
    period, raw, errors = _period(request)
    today = Today.now()
    roots = dashboards.province_roots(request.user, organizations)
    names = ", ".join(o.name for o in roots)
    return _render(
        request,
        kind="province",
        heading="Bảng điều hành nhiệm vụ toàn đảng bộ",
        subheading=f"{names} và các tổ chức trực thuộc: nhiệm vụ do các tổ chức này chủ trì, "
        f"{_period_label(period)}.",
        blocks=dashboards.province_dashboard(request.user, organizations, period, today),
        period=period,
        raw=raw,
        errors=errors,
    )


def _organization(request: HttpRequest, organization: Organization) -> HttpResponse:
    if not dashboards.may_see_organization(request.user, organization):
        raise Http404
    period, raw, errors = _period(request)
    today = Today.now()
    return _render(
        request,
        kind="organization",
        heading=f"Bảng điều hành nhiệm vụ: {organization.name}",
        subheading=f"Nhiệm vụ {organization.short_name or organization.name} chủ trì và đã giao, "
        f"{_period_label(period)}.",
        blocks=dashboards.organization_dashboard(request.user, organization, period, today),
        period=period,
        raw=raw,
        errors=errors,
        current=organization,
    )


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The entry page: the province dashboard for a committee's leaders, else the reader's
    organisation; ``?to_chuc=`` / ``?phong=`` jump to another organisation or unit."""
    period, _raw, _errors = _period(request)
    for param, name in (("to_chuc", "tasks:dashboard_org"), ("phong", "tasks:dashboard_unit")):
        value = request.GET.get(param, "")
        if value:
            if not value.isdigit():
                raise Http404
            return redirect(reverse(name, args=[int(value)]) + _period_query(period))
    if dashboards.province_paths(request.user):
        return _province(request)
    organization = dashboards.home_organization(request.user)
    if organization is not None:
        return _organization(request, organization)
    if scope_for(request.user).person_id is not None:
        return leader(request)
    raise Http404


@require_GET
def province(request: HttpRequest) -> HttpResponse:
    return _province(request)


@require_GET
def organization(request: HttpRequest, pk: int) -> HttpResponse:
    return _organization(request, get_object_or_404(Organization, pk=pk))


@require_GET
def unit(request: HttpRequest, pk: int) -> HttpResponse:
    the_unit = get_object_or_404(Unit.objects.select_related("organization"), pk=pk)
    if not dashboards.may_see_organization(request.user, the_unit.organization):
        raise Http404
    period, raw, errors = _period(request)
    today = Today.now()
    return _render(
        request,
        kind="unit",
        heading=f"Bảng điều hành nhiệm vụ: {the_unit.name}",
        subheading=f"{the_unit.organization.name}: nhiệm vụ phòng chủ trì hoặc phối hợp, "
        f"{_period_label(period)}.",
        blocks=dashboards.unit_dashboard(request.user, the_unit, period, today),
        period=period,
        raw=raw,
        errors=errors,
        current=the_unit,
    )


@require_GET
def leader(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    scope = scope_for(request.user)
    if pk is None:
        if scope.person_id is None:
            raise Http404
        pk = scope.person_id
    person = get_object_or_404(Person.objects.select_related("organization"), pk=pk)
    if not dashboards.may_see_leader(request.user, person):
        raise Http404
    period, raw, errors = _period(request)
    today = Today.now()
    own = person.pk == scope.person_id
    return _render(
        request,
        kind="leader",
        heading="Nhiệm vụ tôi đã giao" if own else f"Nhiệm vụ do {person.full_name} giao",
        subheading=f"{person.full_name}, {person.organization.name}: {_period_label(period)}.",
        blocks=dashboards.leader_dashboard(request.user, person, period, today),
        period=period,
        raw=raw,
        errors=errors,
        current=person,
    )
