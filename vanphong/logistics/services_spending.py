"""Spending under the internal spending rule (quy chế chi tiêu nội bộ), as plain functions: each
checks who may do it, validates with Vietnamese messages and writes its rows and its audit entry
in one transaction.

* ``kind_save``: a kind of spending of the rule, with its limit per claim unit (``per``:
  người/ngày, chuyến...). The rule is the committee's Văn phòng's: its kinds belong to the
  office (``selectors_assets.office_of``) and apply to all the committee's agencies;
* ``budget_line_save``: a line of an agency's budget for a year (dự toán được giao);
* ``expense_request``: an agency asks to spend or claims (giấy đề nghị thanh toán). Refused with
  ``OverLimit`` (code ``over_limit``) when the amount is above the kind's limit × quantity, and
  with ``OverBudget`` (code ``over_budget``) when approved + paid + this would pass the budget
  line (the line's row is locked, so two requests at once cannot both pass it);
* ``expense_decide``: approve (the budget is checked again) or refuse with a reason;
* ``expense_paid``: the office's accounts record the payment.

Who: the rule's kinds are kept by the office's leaders (DIRECT in the office); budget lines and
decisions on expenses by the leaders (DIRECT in the managing office, or DIRECT in the agency for
its own); requests by those who keep the agency's register (WRITE in the agency, or WRITE/DIRECT
in the managing office); payments by the office (WRITE or DIRECT in the office)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from vanphong.audit.services import audit_record
from vanphong.logistics import audit_assets  # noqa: F401  (registers the audit actions)
from vanphong.logistics.models import BudgetLine, Expense, ExpenseState, SpendingKind
from vanphong.logistics.money import format_vnd
from vanphong.logistics.selectors_assets import office_of
from vanphong.logistics.selectors_spending import used_on
from vanphong.orgs.access import Capability, can
from vanphong.orgs.actors import Actor, acting_person
from vanphong.orgs.models import Organization

MAX_AMOUNT = 10**15
MAX_QUANTITY = 100_000


class OverLimit(ValidationError):
    """Above the spending rule's limit for the kind (HTTP 400, ``over_limit``)."""


class OverBudget(ValidationError):
    """Above what remains of the budget line (HTTP 400, ``over_budget``)."""


def may_keep_rule(actor: Actor, organization: Organization) -> bool:
    return can(actor, Capability.DIRECT, office_of(organization))


def may_approve_spending(actor: Actor, organization: Organization) -> bool:
    return can(actor, Capability.DIRECT, office_of(organization)) or can(
        actor, Capability.DIRECT, organization
    )


def may_request_spending(actor: Actor, organization: Organization) -> bool:
    office = office_of(organization)
    return (
        can(actor, Capability.WRITE, organization)
        or can(actor, Capability.WRITE, office)
        or can(actor, Capability.DIRECT, office)
    )


def may_pay(actor: Actor, organization: Organization) -> bool:
    office = office_of(organization)
    return can(actor, Capability.WRITE, office) or can(actor, Capability.DIRECT, office)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _clean(value: Any, limit: int) -> str:
    return " ".join(str(value or "").split())[:limit]


def _whole(value: Any, field: str, label: str, errors: dict[str, list[str]], *, low: int, high: int) -> int:
    if isinstance(value, bool):
        value = None
    try:
        number = int(value)
        if number != value and str(number) != str(value).strip():
            raise ValueError
    except (TypeError, ValueError):
        errors.setdefault(field, []).append(f"{label} phải là số nguyên.")
        return 0
    if not low <= number <= high:
        errors.setdefault(field, []).append(f"{label} từ {format_vnd(low)} đến {format_vnd(high)}.")
    return number


@transaction.atomic
def kind_save(
    *,
    actor: Actor,
    organization: Organization,
    code: str,
    name: str,
    limit: Any = None,
    per: str = "",
    active: bool = True,
    kind: SpendingKind | None = None,
) -> SpendingKind:
    """Add or change a kind of the office's spending rule (``organization``: the office)."""
    acting_person(actor)
    office = office_of(organization)
    _require(may_keep_rule(actor, office), "Chỉ lãnh đạo Văn phòng mới sửa được quy chế chi tiêu nội bộ.")
    errors: dict[str, list[str]] = {}
    code = _clean(code, 20).upper()
    name = _clean(name, 200)
    if not code:
        errors.setdefault("code", []).append("Nhập mã nội dung chi.")
    elif (
        SpendingKind.objects.filter(organization=office, code=code)
        .exclude(pk=kind.pk if kind else 0)
        .exists()
    ):
        errors.setdefault("code", []).append(f"Mã {code} đã có trong quy chế.")
    if not name:
        errors.setdefault("name", []).append("Nhập nội dung chi.")
    amount: int | None = None
    if limit not in (None, ""):
        amount = _whole(limit, "limit", "Mức chi tối đa", errors, low=1, high=MAX_AMOUNT)
    if errors:
        raise ValidationError(errors)
    before = None
    if kind is None:
        kind = SpendingKind(organization=office)
    else:
        kind = SpendingKind.objects.select_for_update().get(pk=kind.pk)
        if kind.organization_id != office.pk:
            raise PermissionDenied("Nội dung chi này thuộc quy chế của Văn phòng khác.")
        before = {"code": kind.code, "limit": kind.limit, "active": kind.active}
    kind.code, kind.name, kind.limit, kind.per, kind.active = (
        code,
        name,
        amount,
        _clean(per, 60),
        bool(active),
    )
    try:
        with transaction.atomic():
            kind.save()
    except IntegrityError:
        raise ValidationError({"code": [f"Mã {code} đã có trong quy chế."]}) from None
    audit_record(
        actor=actor,
        action="spending_kind.save",
        target=kind,
        organization_id=office.pk,
        before=before,
        after={"code": code, "limit": amount, "per": kind.per, "active": kind.active},
    )
    return kind


@transaction.atomic
def budget_line_save(
    *,
    actor: Actor,
    organization: Organization,
    year: Any,
    code: str,
    name: str,
    amount: Any,
    line: BudgetLine | None = None,
) -> BudgetLine:
    """Add or change a line of an organisation's budget for a year; its amount may not fall
    below what is already approved and paid on it."""
    acting_person(actor)
    _require(may_approve_spending(actor, organization), "Chỉ lãnh đạo mới giao được dự toán.")
    errors: dict[str, list[str]] = {}
    number_year = _whole(year, "year", "Năm", errors, low=2000, high=2100)
    code = _clean(code, 20).upper()
    name = _clean(name, 200)
    if not code:
        errors.setdefault("code", []).append("Nhập mã dòng dự toán.")
    if not name:
        errors.setdefault("name", []).append("Nhập nội dung dự toán.")
    total = _whole(amount, "amount", "Dự toán", errors, low=1, high=MAX_AMOUNT)
    if not errors:
        clash = BudgetLine.objects.filter(organization=organization, year=number_year, code=code)
        if clash.exclude(pk=line.pk if line else 0).exists():
            errors.setdefault("code", []).append(f"Dòng dự toán {code} năm {number_year} đã có.")
    before = None
    if line is not None and not errors:
        line = BudgetLine.objects.select_for_update().get(pk=line.pk)
        if line.organization_id != organization.pk:
            raise PermissionDenied("Dòng dự toán này thuộc cơ quan khác.")
        used = used_on(line)
        if total < used:
            errors.setdefault("amount", []).append(f"Đã duyệt chi {format_vnd(used)} đồng trên dòng này.")
        before = {"year": line.year, "code": line.code, "amount": line.amount}
    if errors:
        raise ValidationError(errors)
    if line is None:
        line = BudgetLine(organization=organization)
    line.year, line.code, line.name, line.amount = number_year, code, name, total
    try:
        with transaction.atomic():
            line.save()
    except IntegrityError:
        raise ValidationError({"code": [f"Dòng dự toán {code} năm {number_year} đã có."]}) from None
    audit_record(
        actor=actor,
        action="budget_line.save",
        target=line,
        organization_id=organization.pk,
        before=before,
        after={"year": number_year, "code": code, "amount": total},
    )
    return line


def _check_budget(line: BudgetLine, amount: int, *, exclude: Expense | None = None) -> None:
    used = used_on(line, exclude=exclude)
    if used + amount > line.amount:
        left = max(0, line.amount - used)
        raise OverBudget(
            {
                "amount": [
                    ValidationError(
                        f"Vượt dự toán: dòng {line.code} còn {format_vnd(left)} đồng "
                        f"(dự toán {format_vnd(line.amount)}, đã duyệt chi {format_vnd(used)}).",
                        code="over_budget",
                    )
                ]
            }
        )


@transaction.atomic
def expense_request(
    *,
    actor: Actor,
    organization: Organization,
    budget_line: BudgetLine,
    kind: SpendingKind,
    description: str,
    quantity: Any = 1,
    amount: Any,
    spent_on: dt.date | None = None,
) -> Expense:
    person = acting_person(actor)
    _require(may_request_spending(actor, organization), "Bạn không đề nghị chi được cho cơ quan này.")
    errors: dict[str, list[str]] = {}
    description = _clean(description, 500)
    if not description:
        errors.setdefault("description", []).append("Nhập diễn giải khoản chi.")
    count = _whole(quantity, "quantity", "Số lượng", errors, low=1, high=MAX_QUANTITY)
    total = _whole(amount, "amount", "Số tiền", errors, low=1, high=MAX_AMOUNT)
    spent_on = spent_on or timezone.localdate()
    if budget_line.organization_id != organization.pk:
        errors.setdefault("budget_line", []).append("Dòng dự toán không thuộc cơ quan này.")
    elif budget_line.year != spent_on.year:
        errors.setdefault("spent_on", []).append(f"Ngày chi phải trong năm {budget_line.year} của dự toán.")
    if kind.organization_id != office_of(organization).pk:
        errors.setdefault("kind", []).append("Nội dung chi không thuộc quy chế áp dụng cho cơ quan này.")
    elif not kind.active:
        errors.setdefault("kind", []).append("Nội dung chi này không còn áp dụng.")
    if errors:
        raise ValidationError(errors)
    if kind.limit is not None and total > kind.limit * count:
        per = f"/{kind.per}" if kind.per else ""
        raise OverLimit(
            {
                "amount": [
                    ValidationError(
                        f"Vượt mức chi theo quy chế chi tiêu nội bộ: {kind.name} tối đa "
                        f"{format_vnd(kind.limit)} đồng{per} × {count} = "
                        f"{format_vnd(kind.limit * count)} đồng.",
                        code="over_limit",
                    )
                ]
            }
        )
    line = BudgetLine.objects.select_for_update().get(pk=budget_line.pk)
    _check_budget(line, total)
    expense = Expense.objects.create(
        organization=organization,
        budget_line=line,
        kind=kind,
        description=description,
        quantity=count,
        amount=total,
        spent_on=spent_on,
        requested_by=person,
    )
    audit_record(
        actor=actor,
        action="expense.request",
        target=expense,
        organization_id=organization.pk,
        after={"amount": total, "kind": kind.code, "budget_line": line.code},
    )
    return expense


@transaction.atomic
def expense_decide(*, actor: Actor, expense: Expense, approve: bool, reason: str = "") -> Expense:
    person = acting_person(actor)
    expense = Expense.objects.select_for_update().select_related("organization").get(pk=expense.pk)
    _require(may_approve_spending(actor, expense.organization), "Chỉ lãnh đạo mới duyệt được khoản chi.")
    if expense.state != ExpenseState.REQUESTED:
        raise ValidationError({"state": ["Khoản chi này đã được quyết định."]})
    reason = _clean(reason, 500)
    if approve:
        line = BudgetLine.objects.select_for_update().get(pk=expense.budget_line_id)
        _check_budget(line, expense.amount, exclude=expense)
    elif not reason:
        raise ValidationError({"reason": ["Nêu lý do không duyệt."]})
    expense.state = ExpenseState.APPROVED if approve else ExpenseState.REFUSED
    expense.decided_by, expense.decided_at, expense.reason = person, timezone.now(), "" if approve else reason
    expense.save(update_fields=["state", "decided_by", "decided_at", "reason"])
    audit_record(
        actor=actor,
        action="expense.decide",
        target=expense,
        organization_id=expense.organization_id,
        after={"state": expense.state, "reason": expense.reason},
    )
    return expense


@transaction.atomic
def expense_paid(*, actor: Actor, expense: Expense) -> Expense:
    acting_person(actor)
    expense = Expense.objects.select_for_update().select_related("organization").get(pk=expense.pk)
    _require(may_pay(actor, expense.organization), "Chỉ Văn phòng mới ghi được việc thanh toán.")
    if expense.state != ExpenseState.APPROVED:
        raise ValidationError({"state": ["Chỉ ghi thanh toán được khoản chi đã duyệt."]})
    expense.state = ExpenseState.PAID
    expense.save(update_fields=["state"])
    audit_record(actor=actor, action="expense.paid", target=expense, organization_id=expense.organization_id)
    return expense
