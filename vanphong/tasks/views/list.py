"""The task lists: every task the reader may see (``tasks:list``), and the overdue ones, the
most days late first (``tasks:overdue``). Filters are query parameters with stable names —
the dashboards link here with ``status``, ``organization``, ``lead_organization``, ``unit``,
``issued_by``, ``due_from``, ``due_to``, ``source_kind`` — counted and paginated in SQL."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from vanphong.core.forms import parse_date
from vanphong.core.http import HtmxHttpRequest
from vanphong.core.paging import CappedPaginator
from vanphong.orgs.access import ROLE_CAPABILITIES, Capability, organizations_with, scope_for
from vanphong.orgs.actors import Actor, person_of
from vanphong.orgs.models import Organization, Person, RoleAssignment, Unit
from vanphong.tasks import selectors
from vanphong.tasks.access import may_give_tasks
from vanphong.tasks.models import SourceKind, Status
from vanphong.tasks.selectors import STATUS_FILTERS, TaskFilters, Today
from vanphong.tasks.services.calendar_days import may_keep_calendar
from vanphong.tasks.views.common import parse_int

PER_PAGE = 50
MAX_CHOICES = 300

# The status tabs over the list, with the ``Counts`` attribute that counts each.
STATUS_TABS = [
    ("", "Tất cả", "all"),
    ("in_progress", "Đang thực hiện", "in_progress"),
    (Status.DUE_SOON.value, "Sắp đến hạn", "due_soon"),
    (Status.OVERDUE.value, "Quá hạn", "overdue"),
    (Status.DONE_ON_TIME.value, "Hoàn thành đúng hạn", "done_on_time"),
    (Status.DONE_LATE.value, "Hoàn thành quá hạn", "done_late"),
    (Status.CANCELLED.value, "Đã hủy", "cancelled"),
]
QUICK_TABS = [("", "Tất cả nhiệm vụ"), ("mine", "Việc của tôi"), ("given", "Việc tôi giao")]
# Query parameters kept from one page of the list to the next (and by the tabs).
KEPT = (
    "tab",
    "q",
    "organization",
    "giver",
    "lead_organization",
    "unit",
    "person",
    "issued_by",
    "source_kind",
    "due_from",
    "due_to",
    "period_from",
    "period_to",
    "source_document",
    "parent",
)
DATE_PARAMS = ("due_from", "due_to", "period_from", "period_to")
ID_PARAMS = (
    "organization",
    "giver",
    "lead_organization",
    "unit",
    "person",
    "issued_by",
    "source_document",
    "parent",
)


@dataclass
class ListQuery:
    """The list's query string, read once: the selector's filters and what the page shows."""

    filters: TaskFilters
    raw: dict[str, str]
    tab: str = ""
    errors: list[str] = field(default_factory=list)

    def keep(self, *, without: tuple[str, ...] = ()) -> dict[str, str]:
        return {k: v for k, v in self.raw.items() if v and k not in without}


def read_query(request: HttpRequest, *, overdue: bool = False) -> ListQuery:
    get = request.GET
    raw = {key: get.get(key, "").strip()[:100] for key in (*KEPT, "status")}
    errors = []
    status = raw["status"] if raw["status"] in STATUS_FILTERS else ""
    raw["status"] = "" if overdue else status
    ids: dict[str, int | None] = {}
    for key in ID_PARAMS:
        ids[key] = parse_int(raw[key])
        if raw[key] and ids[key] is None:
            raw[key] = ""
    dates = {}
    for key in DATE_PARAMS:
        dates[key] = parse_date(raw[key]) if raw[key] else None
        if raw[key] and dates[key] is None:
            errors.append("Ngày phải viết theo dạng ngày/tháng/năm, ví dụ 05/11/2025.")
    source_kind = raw["source_kind"] if raw["source_kind"] in SourceKind.values else ""
    raw["source_kind"] = source_kind
    me = person_of(request.user)
    tab = raw["tab"] if raw["tab"] in ("mine", "given") and me is not None else ""
    raw["tab"] = tab
    filters = TaskFilters(
        status="" if overdue else status,
        organization=ids["organization"],
        lead_organization=ids["lead_organization"],
        giver=ids["giver"],
        unit=ids["unit"],
        assignee=ids["person"],
        issued_by=ids["issued_by"],
        source_kind=source_kind,
        source_document=ids["source_document"],
        parent=ids["parent"],
        due_from=dates["due_from"],
        due_to=dates["due_to"],
        period_from=dates["period_from"],
        period_to=dates["period_to"],
        q=raw["q"],
        mine=me.pk if tab == "mine" and me else None,
        given_by=me.pk if tab == "given" and me else None,
    )
    return ListQuery(filters=filters, raw=raw, tab=tab, errors=sorted(set(errors)))


# --- The filters' choices ----------------------------------------------------------------------


def _with_selected(options: list[Any], model: Any, pk: int | None) -> list[Any]:
    """Keep a filter value that came from a link (a dashboard) selectable even when it is
    not among the first choices."""
    if pk is not None and all(o.pk != pk for o in options):
        extra = model.objects.filter(pk=pk).first()
        if extra is not None:
            options = [extra, *options]
    return options


def filter_choices(user: Actor, filters: TaskFilters) -> dict[str, list[Any]]:
    reach = organizations_with(user, Capability.READ)
    scope = scope_for(user)
    # Organisations: those the reader works in or under, and those above them (who give tasks).
    above: set[int] = set()
    for org in Organization.objects.filter(pk__in=[g.organization_id for g in scope.grants]):
        above.update(org.ancestors().values_list("pk", flat=True))
    organizations = list(
        Organization.objects.filter(Q(pk__in=reach.values("pk")) | Q(pk__in=above), hosted=True)
        .only("pk", "name", "short_name", "path")
        .order_by("path")[:MAX_CHOICES]
    )
    units = list(
        Unit.objects.filter(organization__in=reach, active=True)
        .select_related("organization")
        .order_by("organization__path", "order", "name")[:MAX_CHOICES]
    )
    people = list(
        Person.objects.active()
        .filter(organization__in=reach)
        .select_related("organization")
        .order_by("organization__path", "full_name")[:MAX_CHOICES]
    )
    directing = [role for role, caps in ROLE_CAPABILITIES.items() if Capability.DIRECT in caps]
    leaders = list(
        Person.objects.filter(
            pk__in=RoleAssignment.objects.current()
            .filter(role__in=directing)
            .filter(Q(organization__in=reach) | Q(organization_id__in=above))
            .values("person_id")
        )
        .select_related("organization")
        .order_by("organization__path", "full_name")[:MAX_CHOICES]
    )
    org_ids = [filters.organization, filters.giver, filters.lead_organization]
    for pk in org_ids:
        organizations = _with_selected(organizations, Organization, pk)
    return {
        "organizations": organizations,
        "units": _with_selected(units, Unit, filters.unit),
        "people": _with_selected(people, Person, filters.assignee),
        "leaders": _with_selected(leaders, Person, filters.issued_by),
    }


def hidden_filters(query: ListQuery, url: str) -> list[tuple[str, str]]:
    """The filters a link set that have no control on the page (the dashboards' period, a
    document, a parent task): said in words, each with a link that drops it."""
    f = query.filters
    status = {"status": f.status} if f.status else {}
    notes: list[tuple[str, tuple[str, ...]]] = []
    if f.period_from or f.period_to:
        start = f"từ {f.period_from:%d/%m/%Y} " if f.period_from else ""
        end = f"đến {f.period_to:%d/%m/%Y}" if f.period_to else ""
        text = f"Nhiệm vụ có hạn ban đầu (hoặc ngày giao, nếu không có hạn) {start}{end}".strip()
        notes.append((text, ("period_from", "period_to")))
    if f.source_document is not None:
        notes.append(("Nhiệm vụ giao từ một văn bản", ("source_document",)))
    if f.parent is not None:
        notes.append(("Nhiệm vụ con của một nhiệm vụ", ("parent",)))
    return [(text, f"{url}?{urlencode({**query.keep(without=keys), **status})}") for text, keys in notes]


# --- The pages -----------------------------------------------------------------------------------


def _annotate_rows(tasks: Iterable[Any], today: Today) -> None:
    for task in tasks:
        task.days_late = selectors.days_late(task, today)


def _list_page(request: HtmxHttpRequest, *, overdue: bool) -> HttpResponse:
    user = request.user
    query = read_query(request, overdue=overdue)
    today = Today.now()
    if overdue:
        tasks = selectors.overdue_list(user, query.filters, today=today)
    else:
        tasks = selectors.task_list(user, query.filters, today=today).order_by("-id")
    page = CappedPaginator(tasks, PER_PAGE).get_page(request.GET.get("trang"))
    _annotate_rows(page.object_list, today)
    # The counts per status over the list (the overdue list is one status: no tabs).
    counts = None if overdue else selectors.counts(user, query.filters, today=today)
    count_of = {**counts.as_dict(), "all": counts.total + counts.cancelled} if counts else {}
    url_name = "tasks:overdue" if overdue else "tasks:list"
    context: dict[str, Any] = {
        "overdue_mode": overdue,
        "url_name": url_name,
        "page": page,
        "counts": counts,
        "today": today,
        "status": query.filters.status,
        "raw": query.raw,
        "tab": query.tab,
        "errors": query.errors,
        "status_tabs": [(value, label, count_of[key]) for value, label, key in STATUS_TABS] if counts else [],
        "quick_tabs": QUICK_TABS if person_of(user) is not None else [],
        "status_choices": list(STATUS_FILTERS.items()),
        "source_kinds": SourceKind.choices,
        "choices": filter_choices(user, query.filters),
        # Pagination keeps everything; the status tabs everything but the status; the quick
        # tabs everything but themselves.
        "query": urlencode(
            {**query.keep(), **({"status": query.filters.status} if query.filters.status else {})}
        ),
        "tab_query": urlencode(query.keep()),
        "quick_query": urlencode(
            {
                **query.keep(without=("tab",)),
                **({"status": query.filters.status} if query.filters.status else {}),
            }
        ),
        "hidden_filters": hidden_filters(query, reverse(url_name)),
        "can_create": may_give_tasks(user),
        # Called by the full page only (not by the htmx results): the link to the office calendar.
        "can_keep_calendar": lambda: may_keep_calendar(user),
        "nav_active": "tasks",
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "tasks/_list_results.html", context)
    return render(request, "tasks/list.html", context)


@require_GET
def task_list(request: HtmxHttpRequest) -> HttpResponse:
    return _list_page(request, overdue=False)


@require_GET
def task_overdue(request: HtmxHttpRequest) -> HttpResponse:
    return _list_page(request, overdue=True)
