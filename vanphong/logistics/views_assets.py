"""The asset pages, under /hau-can/tai-san/: the register with its filters, this year's remaining
values and totals; one asset with its depreciation schedule, transfers and repairs; the transfer
form and its handover record (BIÊN BẢN BÀN GIAO TÀI SẢN, .docx/PDF); repairs; stock-takes.

Reads go through ``selectors_assets`` (an asset outside the reader's reach is a 404); each change
calls one service: its ``ValidationError`` is shown next to the form's fields, its
``PermissionDenied`` is the 403 page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vanphong.core.forms import apply_errors
from vanphong.core.paging import CappedPaginator
from vanphong.documents.access import one_or_404
from vanphong.logistics import depreciation, printing_logistics, services_assets
from vanphong.logistics.forms_assets import (
    AssetFilterForm,
    AssetForm,
    ReasonForm,
    RepairDoneForm,
    RepairForm,
    StockLineForm,
    StockTakeOpenForm,
    TransferForm,
)
from vanphong.logistics.models import (
    Asset,
    AssetState,
    RepairRequest,
    RepairState,
    StockTakeLine,
    StockTakeState,
)
from vanphong.logistics.selectors_assets import (
    asset_remaining,
    asset_rows,
    assets_visible_to,
    organizations_for_assets,
    stocktake_differences,
    stocktakes_visible_to,
)

PER_PAGE = 50
STATE_BADGES: dict[str, str] = {
    AssetState.IN_USE: "badge-ok",
    AssetState.REPAIRING: "badge-warn",
    AssetState.UNUSED: "",
    AssetState.LIQUIDATED: "",
    AssetState.LOST: "badge-danger",
}


def _keepable(request: HttpRequest) -> Any:
    """The organisations whose register the user may keep (the forms' choices)."""
    organizations = organizations_for_assets(request.user)
    keep = [o.pk for o in organizations if services_assets.may_keep_assets(request.user, o)]
    return organizations.filter(pk__in=keep)


# ---------------------------------------------------------------------------- the register


@require_GET
def asset_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    organizations = organizations_for_assets(user)
    form = AssetFilterForm(request.GET or None, organizations=organizations)
    assets = assets_visible_to(user)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            assets = assets.filter(Q(code__icontains=data["q"]) | Q(name__icontains=data["q"]))
        if data["co_quan"]:
            assets = assets.filter(organization=data["co_quan"])
        if data["loai"]:
            assets = assets.filter(category=data["loai"])
        if data["tinh_trang"]:
            assets = assets.filter(state=data["tinh_trang"])
    year = timezone.localdate().year
    table = asset_rows(assets, year)
    page = CappedPaginator(table.rows, PER_PAGE).get_page(request.GET.get("trang"))
    keep = request.GET.copy()
    keep.pop("trang", None)
    return render(
        request,
        "logistics/asset_list.html",
        {
            "form": form,
            "page": page,
            "rows": page.object_list,
            "table": table,
            "year": year,
            "query": keep.urlencode(),
            "badges": STATE_BADGES,
            "may_create": _keepable(request).exists(),
        },
    )


@require_http_methods(["GET", "POST"])
def asset_create(request: HttpRequest) -> HttpResponse:
    organizations = _keepable(request)
    if not organizations.exists():
        raise Http404
    form = AssetForm(
        request.POST or None, organizations=organizations, initial={"in_use_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            asset = services_assets.asset_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Đã ghi sổ tài sản {asset.code}.")
            return redirect("logistics:asset_detail", pk=asset.pk)
    return render(request, "logistics/asset_form.html", {"form": form, "asset": None})


@require_http_methods(["GET", "POST"])
def asset_edit(request: HttpRequest, pk: int) -> HttpResponse:
    asset = one_or_404(assets_visible_to(request.user), pk)
    organizations = _keepable(request)
    initial = {
        "name": asset.name,
        "category": asset.category,
        "value": asset.value,
        "in_use_on": asset.in_use_on,
        "rate": asset.rate,
        "holder": asset.holder,
        "location": asset.location,
        "note": asset.note,
    }
    form = AssetForm(request.POST or None, organizations=organizations, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services_assets.asset_update(actor=request.user, asset=asset, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Đã cập nhật tài sản.")
            return redirect("logistics:asset_detail", pk=asset.pk)
    return render(request, "logistics/asset_form.html", {"form": form, "asset": asset})


@require_GET
def asset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    asset = one_or_404(assets_visible_to(user), pk)
    year = timezone.localdate().year
    schedule = []
    if asset.category in depreciation.CATEGORIES:
        schedule = depreciation.schedule(asset.value, asset.category, asset.in_use_on, year, rate=asset.rate)
    repairs = list(asset.repairs.select_related("requested_by", "task"))
    return render(
        request,
        "logistics/asset_detail.html",
        {
            "asset": asset,
            "category": depreciation.CATEGORIES.get(asset.category),
            "remaining": asset_remaining(asset, year),
            "year": year,
            "schedule": schedule,
            "transfers": asset.transfers.select_related("from_organization", "to_organization", "to_holder"),
            "repairs": repairs,
            "open_repair": next(
                (r for r in repairs if r.state in (RepairState.REQUESTED, RepairState.IN_PROGRESS)), None
            ),
            "badge": STATE_BADGES.get(asset.state, ""),
            "may_keep": services_assets.may_keep_assets(user, asset.organization),
            "may_transfer": services_assets.may_transfer_assets(user, asset.organization),
            "may_repair": services_assets.may_repair(user, asset),
            "repair_form": RepairForm(),
            "done_form": RepairDoneForm(),
            "reason_form": ReasonForm(),
        },
    )


@require_http_methods(["GET", "POST"])
def asset_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    asset = one_or_404(assets_visible_to(request.user), pk)
    if not services_assets.may_transfer_assets(request.user, asset.organization):
        raise Http404
    organizations = organizations_for_assets(request.user)
    form = TransferForm(
        request.POST or None, organizations=organizations, initial={"on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            transfer = services_assets.asset_transfer(actor=request.user, asset=asset, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Đã điều chuyển tài sản sang {transfer.to_organization}.")
            return redirect("logistics:asset_detail", pk=asset.pk)
    return render(
        request,
        "logistics/asset_transfer.html",
        {"asset": asset, "form": form, "remaining": asset_remaining(asset)},
    )


@require_GET
def transfer_print(request: HttpRequest, pk: int, transfer_pk: int, fmt: str) -> HttpResponse:
    asset = one_or_404(assets_visible_to(request.user), pk)
    transfer = one_or_404(
        asset.transfers.select_related("asset", "from_organization", "to_organization", "to_holder"),
        transfer_pk,
    )
    form = printing_logistics.transfer_form(transfer)
    return printing_logistics.render(form, f"bien-ban-ban-giao-{asset.code}-{transfer.pk}", fmt)


# ---------------------------------------------------------------------------- repairs


def _repair(request: HttpRequest, pk: int, repair_pk: int) -> tuple[Asset, RepairRequest]:
    asset = one_or_404(assets_visible_to(request.user), pk)
    return asset, one_or_404(asset.repairs.all(), repair_pk)


def _done(
    request: HttpRequest, asset: Asset, form: Any, error: ValidationError | None, text: str
) -> HttpResponse:
    if error is not None:
        for problems in error.message_dict.values() if hasattr(error, "error_dict") else [error.messages]:
            for problem in problems:
                messages.error(request, problem)
    elif form is not None and not form.is_valid():
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, problem)
    else:
        messages.success(request, text)
    return redirect("logistics:asset_detail", pk=asset.pk)


@require_POST
def repair_request(request: HttpRequest, pk: int) -> HttpResponse:
    asset = one_or_404(assets_visible_to(request.user), pk)
    form = RepairForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services_assets.repair_request(actor=request.user, asset=asset, **form.cleaned_data)
        except ValidationError as caught:
            error = caught
    return _done(request, asset, form, error, "Đã gửi đề nghị sửa chữa; Văn phòng nhận nhiệm vụ xử lý.")


@require_POST
def repair_start(request: HttpRequest, pk: int, repair_pk: int) -> HttpResponse:
    asset, repair = _repair(request, pk, repair_pk)
    error = None
    try:
        services_assets.repair_start(actor=request.user, repair=repair)
    except ValidationError as caught:
        error = caught
    return _done(request, asset, None, error, "Đã ghi bắt đầu sửa chữa.")


@require_POST
def repair_done(request: HttpRequest, pk: int, repair_pk: int) -> HttpResponse:
    asset, repair = _repair(request, pk, repair_pk)
    form = RepairDoneForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services_assets.repair_done(actor=request.user, repair=repair, **form.cleaned_data)
        except ValidationError as caught:
            error = caught
    return _done(request, asset, form, error, "Đã ghi sửa xong; nhiệm vụ được hoàn thành.")


@require_POST
def repair_refuse(request: HttpRequest, pk: int, repair_pk: int) -> HttpResponse:
    asset, repair = _repair(request, pk, repair_pk)
    form = ReasonForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services_assets.repair_refuse(
                actor=request.user, repair=repair, reason=form.cleaned_data["reason"]
            )
        except ValidationError as caught:
            error = caught
    return _done(request, asset, form, error, "Đã ghi không sửa chữa; nhiệm vụ được hủy.")


# ---------------------------------------------------------------------------- stock-taking


@require_http_methods(["GET", "POST"])
def stocktake_list(request: HttpRequest) -> HttpResponse:
    organizations = _keepable(request)
    form = StockTakeOpenForm(
        request.POST or None, organizations=organizations, initial={"on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            take = services_assets.stocktake_open(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Đã mở đợt kiểm kê.")
            return redirect("logistics:stocktake_detail", pk=take.pk)
    page = CappedPaginator(stocktakes_visible_to(request.user), PER_PAGE).get_page(request.GET.get("trang"))
    return render(
        request,
        "logistics/stocktake_list.html",
        {
            "page": page,
            "takes": page.object_list,
            "form": form,
            "may_open": organizations.exists(),
            "query": "",
        },
    )


@require_GET
def stocktake_detail(request: HttpRequest, pk: int) -> HttpResponse:
    take = one_or_404(stocktakes_visible_to(request.user), pk)
    lines = take.lines.select_related("asset")
    return render(
        request,
        "logistics/stocktake_detail.html",
        {
            "take": take,
            "lines": lines,
            "differences": stocktake_differences(take),
            "is_open": take.state == StockTakeState.OPEN,
            "may_keep": services_assets.may_keep_assets(request.user, take.organization),
            "left": sum(1 for line in lines if line.found is None),
        },
    )


@require_POST
def stocktake_record(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    take = one_or_404(stocktakes_visible_to(request.user), pk)
    line: StockTakeLine = one_or_404(take.lines.all(), line_pk)
    form = StockLineForm(request.POST)
    if form.is_valid():
        try:
            services_assets.stocktake_record(actor=request.user, line=line, **form.cleaned_data)
        except ValidationError as error:
            for problem in error.messages:
                messages.error(request, problem)
    else:
        messages.error(request, "Chọn có hoặc không có khi kiểm kê.")
    return redirect("logistics:stocktake_detail", pk=take.pk)


@require_POST
def stocktake_close(request: HttpRequest, pk: int) -> HttpResponse:
    take = one_or_404(stocktakes_visible_to(request.user), pk)
    try:
        services_assets.stocktake_close(actor=request.user, stock_take=take)
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
    else:
        messages.success(request, "Đã khóa sổ kiểm kê; tài sản không có khi kiểm kê được ghi mất, thiếu.")
    return redirect("logistics:stocktake_detail", pk=take.pk)
