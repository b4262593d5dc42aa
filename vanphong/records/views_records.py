"""The records' pages (hồ sơ), under /ho-so/: the list with its accent-insensitive search, opening
a record (from a line of an approved plan, or outside the plan), one record with its index
(mục lục văn bản) and the actions its reader may take — file a document, a meeting or a
petition, take an item out, close it (with the chứng từ kết thúc), reopen it, hold and release
it — and its printed index and cover.

Reads go through the selectors (a record outside the reader's reach, or above their clearance,
is a 404); each change calls one service: its ``ValidationError`` is shown next to the form's
fields, its ``PermissionDenied`` is the 403 page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vanphong.core.forms import apply_errors
from vanphong.core.paging import CappedPaginator
from vanphong.documents.access import documents_visible_to, one_or_404
from vanphong.orgs.actors import person_of
from vanphong.orgs.models import Organization
from vanphong.petitions.selectors import petitions_visible_to
from vanphong.programs.selectors.meetings import meetings_visible_to
from vanphong.records import printing, services
from vanphong.records.forms_records import (
    CloseForm,
    FileForm,
    FileSearchForm,
    ReasonForm,
    RecordOpenForm,
    default_organization,
    open_plan_items,
    units_of,
    writing_organizations,
)
from vanphong.records.models import Record, RecordItem, RecordState
from vanphong.records.selectors import ArchiveFilters, records_visible_to
from vanphong.records.selectors import record_list as select_records

NAV = "records"
PER_PAGE = 50
SEARCH_LIMIT = 20
STATE_BADGES = {
    RecordState.OPEN: "badge-ok",
    RecordState.CLOSED: "",
    RecordState.ARCHIVED: "badge-accent",
    RecordState.DISPOSED: "badge-warn",
}


# ---------------------------------------------------------------------------- the list


def _int(value: str | None, digits: int | None = None) -> int | None:
    value = (value or "").strip()
    if not value.isdigit() or len(value) > 18 or (digits is not None and len(value) != digits):
        return None  # an id fits a 64-bit integer: a longer one matches nothing (never a 500)
    return int(value)


@require_GET
def record_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    get = request.GET
    filters = ArchiveFilters(
        q=get.get("q", "").strip()[:100],
        organization=_int(get.get("co_quan")),
        year=_int(get.get("nam"), 4),
        state=get.get("tinh_trang", "") if get.get("tinh_trang", "") in RecordState.values else "",
        maker=getattr(person_of(user), "pk", None) if get.get("cua_toi") == "1" else None,
    )
    records = select_records(user, filters).annotate(item_count=Count("items"))
    page = CappedPaginator(records, PER_PAGE).get_page(get.get("trang"))
    keep = {
        key: value
        for key, value in (
            ("q", filters.q),
            ("co_quan", str(filters.organization or "")),
            ("nam", str(filters.year or "")),
            ("tinh_trang", filters.state),
            ("cua_toi", "1" if filters.maker else ""),
        )
        if value
    }
    rows = list(page.object_list)
    for row in rows:
        row.badge = STATE_BADGES.get(RecordState(row.state), "")
    visible = records_visible_to(user)
    context = {
        "page": page,
        "records": rows,
        "filters": filters,
        "states": RecordState.choices,
        "organizations": Organization.objects.filter(pk__in=visible.values("organization_id")).order_by(
            "depth", "path"
        ),
        "years": sorted(set(visible.values_list("year", flat=True).distinct()), reverse=True)[:50],
        "query": urlencode(keep),
        "may_open": bool(writing_organizations(user)),
        "nav_active": NAV,
        "tab": "records",
    }
    if getattr(request, "htmx", False):
        return render(request, "records/record_list_results.html", context)
    return render(request, "records/record_list.html", context)


# ---------------------------------------------------------------------------- opening


def _open_form(request: HttpRequest, data: Any = None) -> RecordOpenForm:
    user = request.user
    organizations = writing_organizations(user)
    if not organizations:
        raise Http404
    items = list(open_plan_items(user)[:2000])
    default = default_organization(user, organizations)
    unit_org: Organization | None = default
    if data is not None:
        chosen_item = next((i for i in items if str(i.pk) == data.get("plan_item")), None)
        chosen_org = next((o for o in organizations if str(o.pk) == data.get("organization")), None)
        unit_org = chosen_item.plan.organization if chosen_item else (chosen_org or default)
    initial: dict[str, Any] = {"organization": default.pk if default else None}
    wanted = request.GET.get("muc")
    if wanted and any(str(i.pk) == wanted for i in items):
        initial["plan_item"] = int(wanted)
        unit_org = next(i for i in items if str(i.pk) == wanted).plan.organization
    units = units_of(unit_org) if unit_org is not None else units_of(organizations[0])
    return RecordOpenForm(data, items=items, organizations=organizations, units=units, initial=initial)


@require_http_methods(["GET", "POST"])
def record_open(request: HttpRequest) -> HttpResponse:
    posted = request.POST if request.method == "POST" else None
    form = _open_form(request, posted)
    if posted is not None and form.is_valid():
        try:
            record = services.record_open(actor=request.user, **form.service_kwargs())
        except ValidationError as error:
            apply_errors(form, error, aliases={"retention_years": "retention"})
        else:
            messages.success(request, f"Đã mở hồ sơ {record.code}: {record.title}.")
            return redirect("records:record_detail", record.pk)
    return render(
        request,
        "records/record_open.html",
        {"form": form, "nav_active": NAV, "tab": "records"},
        status=400 if posted is not None else 200,
    )


# ---------------------------------------------------------------------------- one record


_DETAIL = (
    "organization",
    "unit",
    "creator",
    "closed_by",
    "hold_by",
    "plan_item",
    "plan_item__plan",
    "transfer",
    "transfer_task",
)


def _get(request: HttpRequest, record_id: int) -> Record:
    return one_or_404(records_visible_to(request.user).select_related(*_DETAIL), record_id)


def _item_links(request: HttpRequest, items: list[RecordItem]) -> dict[int, str]:
    """The page each item links to, when the reader may open it (three queries at most)."""
    user = request.user
    links: dict[int, str] = {}
    documents = {i.document_id for i in items if i.document_id}
    meetings = {i.meeting_id for i in items if i.meeting_id}
    petitions = {i.petition_id for i in items if i.petition_id}
    readable_documents = (
        set(documents_visible_to(user).filter(pk__in=documents).values_list("pk", flat=True))
        if documents
        else set()
    )
    readable_meetings = (
        set(meetings_visible_to(user).filter(pk__in=meetings).values_list("pk", flat=True))
        if meetings
        else set()
    )
    readable_petitions = (
        set(petitions_visible_to(user).filter(pk__in=petitions).values_list("pk", flat=True))
        if petitions
        else set()
    )
    for item in items:
        if item.document_id in readable_documents:
            links[item.pk] = reverse("documents:document_detail", args=[item.document_id])
        elif item.meeting_id in readable_meetings:
            links[item.pk] = reverse("programs:meeting_detail", args=[item.meeting_id])
        elif item.petition_id in readable_petitions:
            links[item.pk] = reverse("petitions:petition_detail", args=[item.petition_id])
    return links


def _search_documents(request: HttpRequest, record: Record, query: str) -> list[Any]:
    query = " ".join(query.split())
    if not query:
        return []
    filed = record.items.filter(document__isnull=False).values("document_id")
    return list(
        documents_visible_to(request.user)
        .filter(Q(symbol__icontains=query) | Q(subject__icontains=query))
        .exclude(pk__in=filed)
        .select_related("issuer")
        .order_by("-issued_date", "-pk")[:SEARCH_LIMIT]
    )


def _package_url(record: Record) -> str:
    try:
        return reverse("records:record_package", args=[record.pk])
    except NoReverseMatch:
        return ""


def _render_detail(request: HttpRequest, record: Record, *, status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    items = list(record.items.order_by("ordinal"))
    links = _item_links(request, items)
    may_write = services.may_write(user, record.organization)
    may_direct = services.may_direct(user, record.organization)
    is_open = record.state == RecordState.OPEN
    search = FileSearchForm(request.GET or None)
    query = search.cleaned_data.get("tim", "") if search.is_valid() else ""
    context = {
        "record": record,
        "rows": [(item, links.get(item.pk, "")) for item in items],
        "mark": printing.classification_mark(record.classification),
        "badge": STATE_BADGES.get(RecordState(record.state), ""),
        "may_write": may_write,
        "may_file": may_write and is_open,
        "may_direct": may_direct,
        "search_form": search,
        "query": query,
        "found": _search_documents(request, record, query) if may_write and is_open else [],
        "file_form": forms.get("file_form") or (FileForm() if may_write and is_open else None),
        "close_form": forms.get("close_form") or (CloseForm() if may_write and is_open else None),
        "reopen_form": forms.get("reopen_form")
        or (ReasonForm() if may_write and record.state == RecordState.CLOSED else None),
        "hold_form": forms.get("hold_form")
        or (
            ReasonForm()
            if may_direct and not record.hold_reason and record.state != RecordState.DISPOSED
            else None
        ),
        "package_url": _package_url(record),
        "nav_active": NAV,
        "tab": "records",
    }
    return render(request, "records/record_detail.html", context, status=status)


@require_GET
def record_detail(request: HttpRequest, record_id: int) -> HttpResponse:
    return _render_detail(request, _get(request, record_id))


def _safe_next(request: HttpRequest, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=False
    ):
        return value
    return ""


def _lookup(request: HttpRequest, record: Record, form: FileForm) -> dict[str, Any] | None:
    """The thing to file, looked up among what the filer may read; None (with the form's error)
    when not found."""
    user = request.user
    data = form.cleaned_data
    if data.get("document"):
        document = documents_visible_to(user).filter(pk=data["document"]).first()
        if document is None:
            form.add_error(None, "Không tìm thấy văn bản (hoặc đồng chí không được xem).")
            return None
        return {"document": document}
    if data.get("meeting"):
        meeting = meetings_visible_to(user).filter(pk=data["meeting"]).first()
        if meeting is None:
            form.add_error("meeting", "Không tìm thấy cuộc họp này (hoặc đồng chí không được xem).")
            return None
        return {"meeting": meeting}
    number, year = data["petition"]
    found = list(petitions_visible_to(user).filter(number=number, year=year)[:20])
    petition = next((p for p in found if p.organization_id == record.organization_id), None) or (
        found[0] if len(found) == 1 else None
    )
    if petition is None:
        form.add_error("petition", "Không tìm thấy đơn số này (hoặc đồng chí không được xem).")
        return None
    return {"petition": petition}


@require_POST
def record_file(request: HttpRequest, record_id: int) -> HttpResponse:
    record = _get(request, record_id)
    form = FileForm(request.POST)
    back = _safe_next(request, request.POST.get("next", ""))
    target = form.is_valid() and _lookup(request, record, form)
    if target:
        try:
            item = services.record_file(
                actor=request.user, record=record, note=form.cleaned_data["note"], **target
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, f"Đã đưa vào hồ sơ {record.code} (số thứ tự {item.ordinal}): {item.subject[:120]}"
            )
            return redirect(back or reverse("records:record_detail", args=[record.pk]))
    if back:
        problems = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, " ".join(problems) or "Không đưa được vào hồ sơ.")
        return redirect(back)
    return _render_detail(request, record, status=400, file_form=form)


@require_POST
def record_file_chosen(request: HttpRequest) -> HttpResponse:
    """The document page's panel: the record is chosen in the form (``record``)."""
    record_id = _int(request.POST.get("record"))
    if record_id is None:
        raise Http404
    return record_file(request, record_id)


@require_POST
def record_unfile(request: HttpRequest, record_id: int, item_id: int) -> HttpResponse:
    record = _get(request, record_id)
    item = record.items.filter(pk=item_id).first()
    if item is None:
        raise Http404
    try:
        services.record_unfile(actor=request.user, item=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"Đã bỏ văn bản số thứ tự {item.ordinal} khỏi hồ sơ; mục lục đã đánh số lại."
        )
    return redirect("records:record_detail", record.pk)


@require_POST
def record_close(request: HttpRequest, record_id: int) -> HttpResponse:
    record = _get(request, record_id)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            closed = services.record_close(actor=request.user, record=record, **form.service_kwargs())
        except ValidationError as error:
            apply_errors(form, error, aliases={"retention_years": "retention"})
        else:
            text = f"Đã kết thúc hồ sơ {closed.code} ({closed.retention_text})."
            if closed.transfer_due:
                text += f" Hạn nộp lưu: {closed.transfer_due:%d/%m/%Y}."
            messages.success(request, text)
            return redirect("records:record_detail", record.pk)
    return _render_detail(request, record, status=400, close_form=form)


@require_POST
def record_reopen(request: HttpRequest, record_id: int) -> HttpResponse:
    record = _get(request, record_id)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.record_reopen(actor=request.user, record=record, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Đã mở lại hồ sơ {record.code}.")
            return redirect("records:record_detail", record.pk)
    return _render_detail(request, record, status=400, reopen_form=form)


@require_POST
def record_hold(request: HttpRequest, record_id: int) -> HttpResponse:
    record = _get(request, record_id)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.record_hold(actor=request.user, record=record, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Đã phong tỏa hồ sơ {record.code}.")
            return redirect("records:record_detail", record.pk)
    return _render_detail(request, record, status=400, hold_form=form)


@require_POST
def record_release(request: HttpRequest, record_id: int) -> HttpResponse:
    record = _get(request, record_id)
    try:
        services.record_release(actor=request.user, record=record)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Đã gỡ phong tỏa hồ sơ {record.code}.")
    return redirect("records:record_detail", record.pk)


# ---------------------------------------------------------------------------- printed forms


def _print(request: HttpRequest, record_id: int, what: str) -> HttpResponse:
    record = _get(request, record_id)
    fmt = request.GET.get("format", "docx")
    if fmt not in ("docx", "pdf"):
        raise Http404
    makers = {
        ("index", "docx"): printing.index_docx,
        ("index", "pdf"): printing.index_pdf,
        ("cover", "docx"): printing.cover_docx,
        ("cover", "pdf"): printing.cover_pdf,
    }
    label = "muc-luc" if what == "index" else "bia"
    stem = printing.file_stem(f"{label} ho so {record.code} {record.year}")
    try:
        data = makers[(what, fmt)](record)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("records:record_detail", record.pk)
    return printing.download(data, f"{stem}.{fmt}")


@require_GET
def record_index(request: HttpRequest, record_id: int) -> HttpResponse:
    return _print(request, record_id, "index")


@require_GET
def record_cover(request: HttpRequest, record_id: int) -> HttpResponse:
    return _print(request, record_id, "cover")
