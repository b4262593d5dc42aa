"""The agency archive's pages, under /ho-so/luu-tru/: the transfer of closed files (nộp lưu)
with its list and hand-over minutes, the archive's search, the requests to read, copy or
borrow archived files (phiếu yêu cầu khai thác), the disposal of files whose retention has run
out, and the preservation packages (BagIt) to download and import.

Each view reads through the selectors (404 outside the reader's reach, and for an action the
reader may not take on a thing they see), reads its form, calls one service and, when the
service says no, shows its Vietnamese reasons."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vanphong.core.forms import apply_errors
from vanphong.core.http import download_response
from vanphong.core.paging import CappedPaginator
from vanphong.core.textfold import FoldedText, fold_query
from vanphong.documents.access import one_or_404
from vanphong.orgs.access import Capability, organizations_with
from vanphong.orgs.actors import person_of
from vanphong.orgs.models import Organization
from vanphong.records import printing_archive, selectors, selectors_archive, services
from vanphong.records.forms_archive import (
    DecideForm,
    DisposalForm,
    HandOverForm,
    PackageImportForm,
    RequestForm,
    TransferCreateForm,
)
from vanphong.records.models import (
    ArchiveRequest,
    Record,
    RecordState,
    RequestMode,
    RequestState,
    Transfer,
    TransferState,
)

NAV = "records"
PER_PAGE = 30
MAX_DUE = 500
MAX_MATCHES = 5
ORG_PARAM = "co-quan"
YEAR_PARAM = "nam"
CLOSED_PARAM = "ca-da-ket-thuc"


def _messages_of(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [m for problems in error.message_dict.values() for m in problems]
    return list(error.messages)


def _flash(request: HttpRequest, error: ValidationError) -> None:
    for text in _messages_of(error):
        messages.error(request, text)


def _ids(values: Iterable[str]) -> list[int]:
    # An id fits a 64-bit integer: a longer one matches nothing (never a 500).
    return sorted({int(v) for v in values if str(v).isdigit() and len(str(v)) <= 18})


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


def _groups(records: Iterable[Record]) -> list[dict[str, Any]]:
    """Records grouped by their organisation, in the order they come."""
    groups: dict[int, dict[str, Any]] = {}
    for record in records:
        group = groups.setdefault(record.organization_id, {"organization": record.organization, "rows": []})
        group["rows"].append(record)
    return list(groups.values())


# ---------------------------------------------------------------------------- transfer


def _transfer_list_context(
    request: HttpRequest,
    *,
    chosen: set[int] | None = None,
    forms: dict[int, TransferCreateForm] | None = None,
) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    due = list(selectors.due_for_transfer(user).select_related("organization", "unit")[:MAX_DUE])
    writable = {o.pk for o in selectors_archive.writing_organizations(user)}
    groups = []
    for group in _groups(due):
        organization = group["organization"]
        rows = []
        for record in group["rows"]:
            late = (today - record.transfer_due).days if record.transfer_due < today else 0
            rows.append(
                {"record": record, "late": late, "checked": chosen is not None and record.pk in chosen}
            )
        may_create = organization.pk in writable
        form = (forms or {}).get(organization.pk) or TransferCreateForm(organization=organization)
        groups.append({"organization": organization, "rows": rows, "may_create": may_create, "form": form})
    transfers = (
        selectors.transfers_visible_to(user)
        .select_related("organization", "unit", "handed_by", "received_by")
        .annotate(record_count=Count("records"))
        .order_by("-created_at", "-id")
    )
    page = CappedPaginator(transfers, PER_PAGE).get_page(request.GET.get("trang"))
    return {
        "nav_active": NAV,
        "groups": groups,
        "due_total": len(due),
        "page": page,
        "today": today,
    }


@require_GET
def transfer_list(request: HttpRequest) -> HttpResponse:
    return render(request, "records/transfer_list.html", _transfer_list_context(request))


@require_http_methods(["GET", "POST"])
def transfer_create(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return redirect("records:transfer_list")
    user = request.user
    organization = next(
        (
            o
            for o in selectors_archive.writing_organizations(user)
            if str(o.pk) == request.POST.get("organization", "")
        ),
        None,
    )
    if organization is None:
        raise Http404
    ids = _ids(request.POST.getlist("records"))
    records = list(selectors.records_visible_to(user).filter(pk__in=ids))
    form = TransferCreateForm(request.POST, organization=organization)
    if form.is_valid():
        try:
            if len(records) != len(ids):
                raise ValidationError({"records": ["Có hồ sơ không tìm thấy hoặc bạn không được xem."]})
            transfer = services.transfer_create(
                actor=user,
                organization=organization,
                records=records,
                unit=form.cleaned_data["unit"],
                note=form.cleaned_data["note"],
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Đã lập mục lục nộp lưu gồm {len(records)} hồ sơ.")
            return redirect("records:transfer_detail", transfer.pk)
    context = _transfer_list_context(request, chosen=set(ids), forms={organization.pk: form})
    context["problems"] = [text for problems in form.errors.values() for text in problems]
    return render(request, "records/transfer_list.html", context, status=400)


def _transfer(request: HttpRequest, pk: int) -> Transfer:
    return one_or_404(
        selectors.transfers_visible_to(request.user).select_related(
            "organization", "unit", "handed_by", "received_by", "created_by"
        ),
        pk,
    )


def _transfer_detail(
    request: HttpRequest, transfer: Transfer, form: HandOverForm | None = None, *, status: int = 200
) -> HttpResponse:
    records = printing_archive.records_of(transfer)
    may_receive = transfer.state == TransferState.DRAFT and services.may_keep_archive(
        request.user, transfer.organization
    )
    received = None
    if form is not None and form.is_bound:
        received = set(_ids(request.POST.getlist("received")))
    rows = [
        {"row": row, "record": record, "received": received is None or record.pk in received}
        for row, record in zip(printing_archive.list_rows(transfer, records), records, strict=True)
    ]
    prints = [
        (
            label,
            reverse("records:transfer_print", args=[transfer.pk])
            + "?"
            + urlencode({"doc": doc, "format": fmt}),
        )
        for doc, name in (("list", "Mục lục nộp lưu"), ("minutes", "Biên bản giao nhận"))
        for fmt, label in (("docx", f"{name} (.docx)"), ("pdf", f"{name} (.pdf)"))
    ]
    return render(
        request,
        "records/transfer_detail.html",
        {
            "nav_active": NAV,
            "transfer": transfer,
            "rows": rows,
            "may_receive": may_receive,
            "form": form or HandOverForm(),
            "prints": prints,
            "party": printing_archive.handing_party(transfer),
            "span": printing_archive.time_span(records),
        },
        status=status,
    )


@require_GET
def transfer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _transfer_detail(request, _transfer(request, pk))


@require_POST
def transfer_hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = _transfer(request, pk)
    if not services.may_keep_archive(request.user, transfer.organization):
        raise Http404
    form = HandOverForm(request.POST)
    if form.is_valid():
        received = set(_ids(request.POST.getlist("received")))
        removed = [r for r in transfer.records.all() if r.pk not in received]
        try:
            services.transfer_hand_over(
                actor=request.user,
                transfer=transfer,
                boxes=form.cleaned_data["boxes"],
                condition=form.cleaned_data["condition"],
                removed=removed,
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            apply_errors(form, error)
        else:
            text = "Lưu trữ cơ quan đã nhận hồ sơ; các hồ sơ đã chuyển sang tình trạng “Đã nộp lưu”."
            if removed:
                text += f" {len(removed)} hồ sơ không nhận được đưa ra khỏi mục lục, vẫn ở đơn vị."
            messages.success(request, text)
            return redirect("records:transfer_detail", transfer.pk)
    return _transfer_detail(request, transfer, form, status=400)


@require_GET
def transfer_print(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = _transfer(request, pk)
    doc, fmt = request.GET.get("doc", "list"), request.GET.get("format", "docx")
    try:
        data, content_type, name = printing_archive.render(transfer, doc, fmt)
    except ValueError:
        raise Http404 from None
    except ValidationError as error:
        _flash(request, error)
        return redirect("records:transfer_detail", transfer.pk)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------------------- search


def highlight(text: str, query: str) -> SafeString:
    """``text`` escaped, with every term of ``query`` marked (<mark>), accents ignored."""
    terms = [t for t in fold_query(query).split() if t]
    if not terms or not text:
        return mark_safe(escape(text))  # noqa: S308 - escaped
    folded = FoldedText.of(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        start = folded.folded.find(term)
        while start >= 0:
            spans.append(folded.span(start, start + len(term)))
            start = folded.folded.find(term, start + len(term))
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        # Overlapping marks, or marks apart only by spaces ("kinh tế"), make one.
        if merged and (start <= merged[-1][1] or text[merged[-1][1] : start].isspace()):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out: list[str] = []
    at = 0
    for start, end in merged:
        out.append(escape(text[at:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        at = end
    out.append(escape(text[at:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped


@require_GET
def archive_search(request: HttpRequest) -> HttpResponse:
    user = request.user
    get = request.GET
    q = get.get("q", "").strip()[:200]
    include_closed = get.get(CLOSED_PARAM) == "1"
    organizations = selectors_archive.visible_organizations(user)
    organization_id = _int(get.get(ORG_PARAM))
    if organization_id not in {o.pk for o in organizations}:
        organization_id = None
    year = _int(get.get(YEAR_PARAM))
    filters = selectors.ArchiveFilters(
        q=q, organization=organization_id, year=year, archived_only=not include_closed
    )
    qs = selectors.record_list(user, filters)
    if include_closed:
        qs = qs.filter(state__in=(RecordState.ARCHIVED, RecordState.CLOSED))
    page = CappedPaginator(qs, PER_PAGE).get_page(get.get("trang"))
    rows = []
    for record in page.object_list:
        items = list(selectors.matching_items(record, q)[:MAX_MATCHES]) if q else []
        rows.append(
            {
                "record": record,
                "title": highlight(record.title, q),
                "items": [
                    {"item": i, "subject": highlight(i.subject, q), "symbol": highlight(i.symbol, q)}
                    for i in items
                ],
            }
        )
    keep = {
        key: value
        for key, value in (
            ("q", q),
            (ORG_PARAM, str(organization_id or "")),
            (YEAR_PARAM, str(year or "")),
            (CLOSED_PARAM, "1" if include_closed else ""),
        )
        if value
    }
    keeping = {o.pk for o in selectors_archive.keeping_organizations(user)}
    year_package_url = ""
    if organization_id and year:
        year_package_url = (
            reverse("records:year_package") + "?" + urlencode({"organization": organization_id, "year": year})
        )
    return render(
        request,
        "records/archive_search.html",
        {
            "nav_active": NAV,
            "q": q,
            "include_closed": include_closed,
            "organizations": organizations,
            "organization_id": organization_id,
            "years": selectors_archive.archive_years(user),
            "year": year,
            "page": page,
            "rows": rows,
            "query": urlencode(keep),
            "may_import": bool(keeping),
            "year_package_url": year_package_url,
            "archived": RecordState.ARCHIVED,
        },
    )


# ---------------------------------------------------------------------------- requests


def _with_records(qs: Any) -> Any:
    return qs.select_related("organization", "requester", "decided_by").prefetch_related(
        Prefetch("records", queryset=Record.objects.order_by("year", "code"))
    )


@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    person = person_of(user)
    visible = selectors.requests_visible_to(user)
    mine = (
        list(_with_records(visible.filter(requester_id=person.pk)).order_by("-created_at", "-id")[:100])
        if person is not None
        else []
    )
    directing = selectors_archive.directing_organization_ids(user)
    pending = list(
        _with_records(visible.filter(state=RequestState.PENDING, organization_id__in=directing)).order_by(
            "created_at", "id"
        )[:200]
    )
    keeping = {o.pk for o in selectors_archive.keeping_organizations(user)}
    loans = [
        {"request": r, "late": (today - r.return_due).days if r.return_due and r.return_due < today else 0}
        for r in _with_records(selectors.loans_out(user).filter(organization_id__in=keeping))[:200]
    ]
    return render(
        request,
        "records/request_list.html",
        {
            "nav_active": NAV,
            "mine": mine,
            "pending": pending,
            "loans": loans,
            "is_leader": bool(directing),
            "is_keeper": bool(keeping),
            "decide_form": DecideForm(),
            "today": today,
        },
    )


@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    source = request.POST if request.method == "POST" else request.GET
    ids = _ids(source.getlist("records") + source.getlist("record"))
    records = (
        selectors.records_visible_to(user)
        .filter(pk__in=ids, state=RecordState.ARCHIVED)
        .select_related("organization")
        .order_by("year", "code")
    )
    if request.method == "POST":
        form = RequestForm(request.POST, records=records)
        if form.is_valid():
            data = form.cleaned_data
            try:
                made = services.request_create(
                    actor=user,
                    records=list(data["records"]),
                    purpose=data["purpose"],
                    mode=data["mode"],
                    return_due=data["return_due"],
                )
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, f"Đã gửi phiếu yêu cầu khai thác số {made.pk}; chờ lãnh đạo duyệt.")
                return redirect("records:request_list")
    else:
        form = RequestForm(records=records, initial={"records": [r.pk for r in records]})
    return render(
        request,
        "records/request_create.html",
        {"nav_active": NAV, "form": form, "has_records": records.exists(), "borrow": RequestMode.BORROW},
        status=400 if form.is_bound and form.errors else 200,
    )


def _request(request: HttpRequest, pk: int) -> ArchiveRequest:
    return one_or_404(selectors.requests_visible_to(request.user).select_related("organization"), pk)


@require_POST
def request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    archive_request = _request(request, pk)
    if not services.may_direct(request.user, archive_request.organization):
        raise Http404
    form = DecideForm(request.POST)
    approve = "approve" in request.POST
    if form.is_valid():
        try:
            services.request_decide(
                actor=request.user, request=archive_request, approve=approve, note=form.cleaned_data["note"]
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            _flash(request, error)
        else:
            word = "duyệt" if approve else "từ chối"
            messages.success(request, f"Đã {word} phiếu yêu cầu khai thác số {archive_request.pk}.")
    else:
        for problems in form.errors.values():
            for text in problems:
                messages.error(request, str(text))
    return redirect("records:request_list")


@require_POST
def request_return(request: HttpRequest, pk: int) -> HttpResponse:
    archive_request = _request(request, pk)
    if not services.may_keep_archive(request.user, archive_request.organization):
        raise Http404
    try:
        services.request_return(actor=request.user, request=archive_request)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, f"Đã nhận lại hồ sơ của phiếu số {archive_request.pk}.")
    return redirect("records:request_list")


# ---------------------------------------------------------------------------- disposal


def _disposal_context(
    request: HttpRequest,
    *,
    chosen: set[int] | None = None,
    forms: dict[int, DisposalForm] | None = None,
) -> dict[str, Any]:
    user = request.user
    due = list(selectors.due_for_review(user).select_related("organization", "hold_by")[:MAX_DUE])
    keeping = {o.pk for o in selectors_archive.keeping_organizations(user)}
    groups = []
    for group in _groups(due):
        organization = group["organization"]
        groups.append(
            {
                "organization": organization,
                "rows": [
                    {
                        "record": r,
                        "held": bool(r.hold_reason),
                        "checked": chosen is not None and r.pk in chosen,
                    }
                    for r in group["rows"]
                ],
                "may_dispose": organization.pk in keeping,
                "form": (forms or {}).get(organization.pk) or DisposalForm(),
            }
        )
    page = CappedPaginator(
        selectors_archive.disposals_visible_to(user)
        .annotate(record_count=Count("records"))
        .order_by("-decided_on", "-id"),
        PER_PAGE,
    ).get_page(request.GET.get("trang"))
    return {"nav_active": NAV, "groups": groups, "due_total": len(due), "page": page}


@require_GET
def disposal_review(request: HttpRequest) -> HttpResponse:
    return render(request, "records/disposal_review.html", _disposal_context(request))


@require_http_methods(["GET", "POST"])
def disposal_execute(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return redirect("records:disposal_review")
    user = request.user
    organization = next(
        (
            o
            for o in selectors_archive.keeping_organizations(user)
            if str(o.pk) == request.POST.get("organization", "")
        ),
        None,
    )
    if organization is None:
        raise Http404
    ids = _ids(request.POST.getlist("records"))
    records = list(selectors.records_visible_to(user).filter(pk__in=ids))
    form = DisposalForm(request.POST)
    if form.is_valid():
        try:
            if len(records) != len(ids):
                raise ValidationError({"records": ["Có hồ sơ không tìm thấy hoặc bạn không được xem."]})
            disposal = services.disposal_execute(
                actor=user,
                organization=organization,
                records=records,
                decision=form.cleaned_data["decision"],
                decided_on=form.cleaned_data["decided_on"],
                council=form.council(),
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                f"Đã hủy {len(records)} hồ sơ theo {disposal.decision}; "
                "thông tin mô tả của hồ sơ vẫn được giữ.",
            )
            return redirect("records:disposal_detail", disposal.pk)
    context = _disposal_context(request, chosen=set(ids), forms={organization.pk: form})
    context["problems"] = [text for problems in form.errors.values() for text in problems]
    return render(request, "records/disposal_review.html", context, status=400)


@require_GET
def disposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    disposal = one_or_404(selectors_archive.disposals_visible_to(request.user), pk)
    return render(
        request,
        "records/disposal_detail.html",
        {"nav_active": NAV, "disposal": disposal, "listing": disposal.listing or []},
    )


# ---------------------------------------------------------------------------- packages


def _stream(made: Any) -> FileResponse:
    """The package's temporary file as a download: opened, then unlinked (the open handle
    keeps the bytes until the response is sent and closes it)."""
    path = Path(made.path)
    handle = path.open("rb")  # closed by the FileResponse
    path.unlink()
    return download_response(handle, name=made.filename, content_type="application/zip")


@require_GET
def record_package(request: HttpRequest, pk: int) -> HttpResponseBase:
    from vanphong.records import package

    record = one_or_404(selectors.records_visible_to(request.user).select_related("organization"), pk)
    try:
        made = package.record_package(actor=request.user, record=record)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        _flash(request, error)
        return redirect("records:archive_search")
    return _stream(made)


def _readable_organizations(user: Any) -> list[Organization]:
    found: dict[int, Organization] = {}
    for capability in (Capability.READ, Capability.WRITE, Capability.REGISTER):
        for organization in organizations_with(user, capability):
            found[organization.pk] = organization
    return list(found.values())


@require_GET
def year_package(request: HttpRequest) -> HttpResponseBase:
    from vanphong.records import package

    user = request.user
    wanted, year = _int(request.GET.get("organization")), _int(request.GET.get("year"))
    organization = next((o for o in _readable_organizations(user) if o.pk == wanted), None)
    if organization is None or year is None:
        raise Http404
    try:
        made = package.year_package(actor=user, organization=organization, year=year)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        _flash(request, error)
        return redirect(
            reverse("records:archive_search") + "?" + urlencode({ORG_PARAM: wanted, YEAR_PARAM: year})
        )
    return _stream(made)


@require_http_methods(["GET", "POST"])
def package_import(request: HttpRequest) -> HttpResponse:
    from vanphong.records import package

    user = request.user
    organizations = list(selectors_archive.keeping_organizations(user))
    if not organizations:
        raise Http404
    form = PackageImportForm(request.POST or None, request.FILES or None, organizations=organizations)
    refused_file = ""
    if request.method == "POST" and form.is_valid():
        try:
            imported = package.package_import(
                actor=user, organization=form.cleaned_data["organization"], upload=form.cleaned_data["file"]
            )
        except PermissionDenied:
            raise Http404 from None
        except package.PackageRefused as error:
            refused_file = str(getattr(error, "file", "") or "")
            texts = _messages_of(error)
            if refused_file and not any(refused_file in t for t in texts):
                texts = [f"{t} (tệp {refused_file})" for t in texts]
            form.add_error("file", texts)
        except ValidationError as error:
            apply_errors(form, error, aliases={"upload": "file"})
        else:
            names = ", ".join(f"{r.code}/{r.year}" for r in imported)
            messages.success(request, f"Đã nhập {len(imported)} hồ sơ từ gói lưu trữ: {names}.")
            return redirect("records:archive_search")
    return render(
        request,
        "records/archive_import.html",
        {"nav_active": NAV, "form": form, "refused_file": refused_file},
        status=400 if form.is_bound and form.errors else 200,
    )
