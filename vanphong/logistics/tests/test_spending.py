"""Spending under the internal spending rule: limits per kind, the budget line, decisions, the
summary per line."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.utils import timezone

from vanphong.audit.tests.support import clear_audit_trail
from vanphong.logistics import services_spending as services
from vanphong.logistics.models import BudgetLine, ExpenseState
from vanphong.logistics.selectors_spending import budget_summary, expenses_visible_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def rule(province, agency):
    chief = province.chief.user
    per_diem = services.kind_save(
        actor=chief,
        organization=province.office,
        code="ct-phi",
        name="Phụ cấp lưu trú",
        limit=200_000,
        per="người/ngày",
    )
    line = services.budget_line_save(
        actor=chief,
        organization=agency["organization"],
        year=timezone.localdate().year,
        code="6700",
        name="Công tác phí",
        amount=1_000_000,
    )
    return {"kind": per_diem, "line": line, "agency": agency}


def ask(province, rule, amount, quantity=1, actor=None):
    return services.expense_request(
        actor=actor or rule["agency"]["clerk"].user,
        organization=rule["agency"]["organization"],
        budget_line=rule["line"],
        kind=rule["kind"],
        description="Công tác huyện 2 người",
        quantity=quantity,
        amount=amount,
        spent_on=timezone.localdate(),
    )


def test_exactly_at_the_limit_is_accepted_one_dong_over_is_refused(province, rule):
    assert rule["kind"].code == "CT-PHI" and rule["kind"].organization == province.office
    expense = ask(province, rule, 400_000, quantity=2)
    assert expense.state == ExpenseState.REQUESTED
    with pytest.raises(services.OverLimit) as caught:
        ask(province, rule, 400_001, quantity=2)
    assert caught.value.error_dict["amount"][0].code == "over_limit"
    assert "200.000" in caught.value.message_dict["amount"][0]


def test_a_kind_without_limit_takes_any_amount_within_the_budget(province, rule, agency):
    free = services.kind_save(
        actor=province.chief.user, organization=agency["organization"], code="VPP", name="Văn phòng phẩm"
    )
    assert free.organization == province.office and free.limit is None
    rule = {**rule, "kind": free}
    assert ask(province, rule, 1_000_000).amount == 1_000_000


def test_over_the_budget_line_is_refused_counting_approved_and_paid(province, rule):
    chief = province.chief.user
    first = ask(province, rule, 400_000, quantity=2)
    second = ask(province, rule, 400_000, quantity=2)
    services.expense_decide(actor=chief, expense=first, approve=True)
    services.expense_decide(actor=chief, expense=second, approve=True)
    services.expense_paid(actor=chief, expense=second)
    rest = ask(province, rule, 200_000)  # 800 000 used: exactly the rest may be asked
    third = ask(province, rule, 200_000)  # pending requests do not count
    services.expense_decide(actor=chief, expense=rest, approve=True)
    with pytest.raises(services.OverBudget):
        services.expense_decide(actor=chief, expense=third, approve=True)
    with pytest.raises(services.OverBudget) as caught:
        ask(province, rule, 1)
    assert caught.value.error_dict["amount"][0].code == "over_budget"
    (summary,) = budget_summary(BudgetLine.objects.all())
    assert (summary.amount, summary.used, summary.pending, summary.remaining) == (
        1_000_000,
        1_000_000,
        200_000,
        0,
    )


def test_who_requests_and_who_decides(province, rule, agency):
    with pytest.raises(PermissionDenied):
        ask(province, rule, 100_000, actor=province.clerk_y.user)
    with pytest.raises(PermissionDenied):
        services.kind_save(actor=agency["clerk"].user, organization=province.office, code="X", name="X")
    expense = ask(province, rule, 100_000)
    with pytest.raises(PermissionDenied):
        services.expense_decide(actor=agency["clerk"].user, expense=expense, approve=True)
    with pytest.raises(ValidationError):
        services.expense_decide(actor=province.chief.user, expense=expense, approve=False, reason="")
    with pytest.raises(ValidationError):
        services.expense_paid(actor=province.chief.user, expense=expense)
    assert expenses_visible_to(agency["clerk"].user).filter(pk=expense.pk).exists()
    assert expenses_visible_to(province.chief.user).filter(pk=expense.pk).exists()
    assert not expenses_visible_to(province.clerk_y.user).filter(pk=expense.pk).exists()


def test_bad_requests_are_refused_with_their_fields(province, rule, agency):
    with pytest.raises(ValidationError) as caught:
        services.expense_request(
            actor=agency["clerk"].user,
            organization=agency["organization"],
            budget_line=rule["line"],
            kind=rule["kind"],
            description=" ",
            quantity=0,
            amount=-5,
            spent_on=dt.date(timezone.localdate().year - 1, 12, 31),
        )
    assert set(caught.value.message_dict) == {"description", "quantity", "amount", "spent_on"}
    with pytest.raises(ValidationError) as caught:
        services.budget_line_save(
            actor=province.chief.user,
            organization=agency["organization"],
            year=timezone.localdate().year,
            code="6700",
            name="Trùng",
            amount=5,
        )
    assert "code" in caught.value.message_dict


@pytest.fixture
def audit_trail_cleared_after(transactional_db):
    yield
    clear_audit_trail()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the row locks being tested are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_two_leaders_approving_at_once_cannot_both_pass_the_budget(audit_trail_cleared_after, province, rule):
    expenses = [
        ask(province, rule, 400_000, quantity=2) for _ in range(3)
    ]  # 1 200 000 asked, 1 000 000 given
    barrier = threading.Barrier(len(expenses))
    won: list[int] = []
    lost: list[int] = []
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            services.expense_decide(actor=province.chief.user, expense=expenses[n], approve=True)
            won.append(n)
        except services.OverBudget:
            lost.append(n)
        except BaseException as exc:  # re-raised in the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(len(expenses))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert len(won) == 2 and len(lost) == 1
    (summary,) = budget_summary(BudgetLine.objects.all())
    assert summary.used == 800_000 and summary.remaining == 200_000
