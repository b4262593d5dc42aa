"""The spending pages, under /hau-can/chi-tieu/: the budget lines of the year with used and
remaining bars and the expenses with their states; a request; one expense with its decision,
its payment and its printed claim (GIẤY ĐỀ NGHỊ THANH TOÁN, .docx/PDF); the spending rule's
kinds and the budget lines.

Reads go through ``selectors_spending`` (an expense outside the reader's reach is a 404); each
change calls one service: its ``ValidationError`` is shown next to the form's fields, its
``PermissionDenied`` is the 403 page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vanphong.core.forms import apply_errors
from vanphong.core.paging import CappedPaginator
from vanphong.documents.access import one_or_404
from vanphong.logistics import printing_logistics, services_spending
from vanphong.logistics.forms_spending import BudgetLineForm, DecideForm, ExpenseForm, KindForm
from vanphong.logistics.models import ExpenseState, SpendingKind
from vanphong.logistics.money import amount_in_words
from vanphong.logistics.selectors_assets import office_of, organizations_for_assets
from vanphong.logistics.selectors_spending import (
    budget_lines_visible_to,
    budget_summary,
    expenses_visible_to,
    kinds_visible_to,
)
from vanphong.orgs.models import Organization

PER_PAGE = 50
STATE_BADGES: dict[str, str] = {
    ExpenseState.REQUESTED: "badge-warn",
    ExpenseState.APPROVED: "badge-ok",
    ExpenseState.REFUSED: "badge-danger",
    ExpenseState.PAID: "badge-accent",
}


def _year(raw: str | None) -> int:
    raw = (raw or "").strip()
    year = int(raw) if raw.isdigit() and len(raw) == 4 else 0
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _orgs(request: HttpRequest, allowed: Any) -> Any:
    organizations = organizations_for_assets(request.user)
    return organizations.filter(pk__in=[o.pk for o in organizations if allowed(request.user, o)])


@require_GET
def expense_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    year = _year(request.GET.get("nam"))
    state = request.GET.get("tinh_trang", "")
    expenses = expenses_visible_to(user).filter(spent_on__year=year)
    if state in ExpenseState.values:
        expenses = expenses.filter(state=state)
    page = CappedPaginator(expenses, PER_PAGE).get_page(request.GET.get("trang"))
    keep = request.GET.copy()
    keep.pop("trang", None)
    return render(
        request,
        "logistics/expense_list.html",
        {
            "year": year,
            "years": range(timezone.localdate().year + 1, timezone.localdate().year - 5, -1),
            "state": state,
            "states": ExpenseState.choices,
            "summary": budget_summary(budget_lines_visible_to(user).filter(year=year)),
            "page": page,
            "expenses": page.object_list,
            "badges": STATE_BADGES,
            "query": keep.urlencode(),
            "may_request": _orgs(request, services_spending.may_request_spending).exists(),
        },
    )


@require_http_methods(["GET", "POST"])
def expense_create(request: HttpRequest) -> HttpResponse:
    organizations = _orgs(request, services_spending.may_request_spending)
    if not organizations.exists():
        raise Http404
    offices = {office_of(o).pk for o in organizations}
    form = ExpenseForm(
        request.POST or None,
        organizations=organizations,
        lines=budget_lines_visible_to(request.user)
        .filter(organization__in=organizations)
        .order_by("-year", "code"),
        kinds=SpendingKind.objects.filter(organization_id__in=offices, active=True),
        initial={"spent_on": timezone.localdate(), "quantity": 1},
    )
    if request.method == "POST" and form.is_valid():
        try:
            expense = services_spending.expense_request(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Đã gửi đề nghị chi.")
            return redirect("logistics:expense_detail", pk=expense.pk)
    return render(request, "logistics/expense_form.html", {"form": form})


@require_GET
def expense_detail(request: HttpRequest, pk: int) -> HttpResponse:
    expense = one_or_404(expenses_visible_to(request.user).select_related("decided_by"), pk)
    (line,) = budget_summary(budget_lines_visible_to(request.user).filter(pk=expense.budget_line_id)) or (
        None,
    )
    return render(
        request,
        "logistics/expense_detail.html",
        {
            "expense": expense,
            "words": amount_in_words(expense.amount),
            "line": line,
            "badge": STATE_BADGES.get(expense.state, ""),
            "may_decide": expense.state == ExpenseState.REQUESTED
            and services_spending.may_approve_spending(request.user, expense.organization),
            "may_pay": expense.state == ExpenseState.APPROVED
            and services_spending.may_pay(request.user, expense.organization),
            "decide_form": DecideForm(),
        },
    )


@require_POST
def expense_decide(request: HttpRequest, pk: int) -> HttpResponse:
    expense = one_or_404(expenses_visible_to(request.user), pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Chọn duyệt chi hoặc không duyệt.")
        return redirect("logistics:expense_detail", pk=expense.pk)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services_spending.expense_decide(
            actor=request.user, expense=expense, approve=approve, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
    else:
        messages.success(request, "Đã duyệt chi." if approve else "Đã ghi không duyệt.")
    return redirect("logistics:expense_detail", pk=expense.pk)


@require_POST
def expense_paid(request: HttpRequest, pk: int) -> HttpResponse:
    expense = one_or_404(expenses_visible_to(request.user), pk)
    try:
        services_spending.expense_paid(actor=request.user, expense=expense)
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
    else:
        messages.success(request, "Đã ghi thanh toán.")
    return redirect("logistics:expense_detail", pk=expense.pk)


@require_GET
def expense_print(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    expense = one_or_404(
        expenses_visible_to(request.user).select_related("kind", "budget_line", "requested_by"), pk
    )
    form = printing_logistics.expense_form(expense)
    return printing_logistics.render(form, f"giay-de-nghi-thanh-toan-{expense.pk}", fmt)


# ---------------------------------------------------------------------------- the rule, the budget


def _offices(request: HttpRequest) -> list[Organization]:
    seen: dict[int, Organization] = {}
    for organization in organizations_for_assets(request.user):
        office = office_of(organization)
        if office.pk not in seen and services_spending.may_keep_rule(request.user, office):
            seen[office.pk] = office
    return list(seen.values())


@require_http_methods(["GET", "POST"])
def kind_list(request: HttpRequest) -> HttpResponse:
    offices = _offices(request)
    form = KindForm(request.POST or None)
    if request.method == "POST":
        if not offices:
            raise Http404
        if form.is_valid():
            try:
                services_spending.kind_save(actor=request.user, organization=offices[0], **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "Đã thêm nội dung chi vào quy chế.")
                return redirect("logistics:kind_list")
    return render(
        request,
        "logistics/budget_kinds.html",
        {"kinds": kinds_visible_to(request.user), "form": form, "may_edit": bool(offices)},
    )


@require_http_methods(["GET", "POST"])
def kind_edit(request: HttpRequest, pk: int) -> HttpResponse:
    kind = one_or_404(kinds_visible_to(request.user), pk)
    if not services_spending.may_keep_rule(request.user, kind.organization):
        raise Http404
    initial = {
        "code": kind.code,
        "name": kind.name,
        "limit": kind.limit,
        "per": kind.per,
        "active": kind.active,
    }
    form = KindForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services_spending.kind_save(
                actor=request.user, organization=kind.organization, kind=kind, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Đã cập nhật nội dung chi.")
            return redirect("logistics:kind_list")
    return render(
        request, "logistics/budget_form.html", {"form": form, "title": f"Sửa nội dung chi {kind.code}"}
    )


@require_http_methods(["GET", "POST"])
def budget_list(request: HttpRequest) -> HttpResponse:
    organizations = _orgs(request, services_spending.may_approve_spending)
    year = _year(request.GET.get("nam"))
    form = BudgetLineForm(request.POST or None, organizations=organizations, initial={"year": year})
    if request.method == "POST":
        if not organizations.exists():
            raise Http404
        if form.is_valid():
            try:
                services_spending.budget_line_save(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "Đã giao dòng dự toán.")
                return redirect(f"{request.path}?nam={form.cleaned_data['year']}")
    return render(
        request,
        "logistics/budget_list.html",
        {
            "year": year,
            "summary": budget_summary(budget_lines_visible_to(request.user).filter(year=year)),
            "form": form,
            "may_edit": organizations.exists(),
        },
    )


@require_http_methods(["GET", "POST"])
def budget_edit(request: HttpRequest, pk: int) -> HttpResponse:
    line = one_or_404(budget_lines_visible_to(request.user), pk)
    if not services_spending.may_approve_spending(request.user, line.organization):
        raise Http404
    organizations = Organization.objects.filter(pk=line.organization_id)
    initial = {
        "organization": line.organization,
        "year": line.year,
        "code": line.code,
        "name": line.name,
        "amount": line.amount,
    }
    form = BudgetLineForm(request.POST or None, organizations=organizations, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services_spending.budget_line_save(actor=request.user, line=line, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Đã cập nhật dòng dự toán.")
            return redirect(f"{reverse('logistics:budget_list')}?nam={line.year}")
    return render(
        request, "logistics/budget_form.html", {"form": form, "title": f"Sửa dòng dự toán {line.code}"}
    )
