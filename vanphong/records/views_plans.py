"""The file plans' pages (danh mục hồ sơ), under /ho-so/danh-muc/: the list, one plan laid out
as NĐ 30 PL V (large headings numbered I, II, …), its lines edited while a draft, approval by
the head, next year's plan carried over, and the printed plan. Reads go through the
selectors (404 outside reach); each change calls one service and shows its refusal on the
page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vanphong.core.forms import apply_errors
from vanphong.documents.access import one_or_404
from vanphong.records import printing, services
from vanphong.records.forms_records import (
    PlanCreateForm,
    PlanItemFormSet,
    default_organization,
    plan_item_initial,
    writing_organizations,
)
from vanphong.records.models import FilePlan, PlanState
from vanphong.records.selectors import plans_visible_to

NAV = "records"


def _get(request: HttpRequest, plan_id: int) -> FilePlan:
    return one_or_404(
        plans_visible_to(request.user).select_related(
            "organization", "approved_by", "created_by", "based_on"
        ),
        plan_id,
    )


@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    organizations = writing_organizations(user)
    plans = list(
        plans_visible_to(user)
        .select_related("organization")
        .annotate(item_count=Count("items", distinct=True))
        .order_by("organization__depth", "organization__path", "-year")[:500]
    )
    default = default_organization(user, organizations)
    form = (
        PlanCreateForm(organizations=organizations, initial={"organization": default.pk if default else None})
        if organizations
        else None
    )
    return render(
        request,
        "records/plan_list.html",
        {"plans": plans, "create_form": form, "nav_active": NAV, "tab": "plans"},
    )


@require_POST
def plan_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    organizations = writing_organizations(user)
    if not organizations:
        raise Http404
    form = PlanCreateForm(request.POST, organizations=organizations)
    if form.is_valid():
        try:
            plan = services.plan_create(
                actor=user, organization=form.chosen(), year=form.cleaned_data["year"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Đã lập danh mục hồ sơ năm {plan.year}; hãy thêm các hồ sơ.")
            return redirect("records:plan_edit", plan.pk)
    plans = list(
        plans_visible_to(user)
        .select_related("organization")
        .annotate(item_count=Count("items", distinct=True))
        .order_by("organization__depth", "organization__path", "-year")[:500]
    )
    return render(
        request,
        "records/plan_list.html",
        {"plans": plans, "create_form": form, "nav_active": NAV, "tab": "plans"},
        status=400,
    )


def _detail_context(request: HttpRequest, plan: FilePlan) -> dict[str, Any]:
    user = request.user
    may_write = services.may_write(user, plan.organization)
    return {
        "plan": plan,
        "sections": printing.plan_sections(plan),
        "may_write": may_write,
        "may_edit": may_write and plan.state == PlanState.DRAFT,
        "may_approve": plan.state == PlanState.DRAFT and services.may_direct(user, plan.organization),
        "may_open": may_write and plan.state == PlanState.APPROVED,
        "may_carry_over": may_write
        and not FilePlan.objects.filter(organization=plan.organization, year=plan.year + 1).exists(),
        "nav_active": NAV,
        "tab": "plans",
    }


@require_GET
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _get(request, plan_id)
    return render(request, "records/plan_detail.html", _detail_context(request, plan))


@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _get(request, plan_id)
    if not services.may_write(request.user, plan.organization):
        raise PermissionDenied("Bạn không sửa được danh mục hồ sơ của cơ quan này.")
    if plan.state != PlanState.DRAFT:
        messages.error(request, "Danh mục đã ban hành; không sửa được. Lập danh mục năm sau để thay đổi.")
        return redirect("records:plan_detail", plan.pk)
    errors: list[str] = []
    if request.method == "POST":
        formset = PlanItemFormSet(request.POST, organization=plan.organization, prefix="items")
        if formset.is_valid():
            try:
                services.plan_set_items(actor=request.user, plan=plan, items=formset.specs())
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(request, f"Đã lưu danh mục hồ sơ năm {plan.year}.")
                return redirect("records:plan_detail", plan.pk)
    else:
        formset = PlanItemFormSet(
            initial=plan_item_initial(plan), organization=plan.organization, prefix="items"
        )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "records/plan_edit.html",
        {"plan": plan, "formset": formset, "errors": errors, "nav_active": NAV, "tab": "plans"},
        status=status,
    )


@require_POST
def plan_approve(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _get(request, plan_id)
    try:
        services.plan_approve(actor=request.user, plan=plan)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Đã ban hành danh mục hồ sơ năm {plan.year}.")
    return redirect("records:plan_detail", plan.pk)


@require_POST
def plan_carry_over(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _get(request, plan_id)
    try:
        new = services.plan_carry_over(actor=request.user, plan=plan)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("records:plan_detail", plan.pk)
    messages.success(request, f"Đã lập dự thảo danh mục hồ sơ năm {new.year} từ danh mục năm {plan.year}.")
    return redirect("records:plan_edit", new.pk)


@require_GET
def plan_print(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _get(request, plan_id)
    fmt = request.GET.get("format", "docx")
    stem = printing.file_stem(f"danh-muc-ho-so-{plan.year}-{plan.organization.short_name}")
    try:
        if fmt == "pdf":
            return printing.download(printing.plan_pdf(plan), f"{stem}.pdf")
        if fmt == "docx":
            return printing.download(printing.plan_docx(plan), f"{stem}.docx")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("records:plan_detail", plan.pk)
    raise Http404
