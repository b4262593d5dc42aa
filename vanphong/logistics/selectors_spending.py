"""Reading the spending side: budget lines, the spending rule's kinds and the expenses, with
access in SQL (the same reach as the asset register: READ in the organisation, or WRITE/DIRECT
in the Văn phòng that manages it; the requester always sees their own expenses), and the
budget summary per line computed by the database."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from vanphong.logistics.models import BudgetLine, Expense, ExpenseState, SpendingKind
from vanphong.logistics.selectors_assets import managed_org_q, office_of
from vanphong.orgs.access import scope_for
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import Organization

USED_STATES = (ExpenseState.APPROVED, ExpenseState.PAID)


def expenses_visible_to(user: Actor | None) -> QuerySet[Expense]:
    q = managed_org_q(user)
    person_id = scope_for(user).person_id
    if person_id is not None:
        q |= Q(requested_by_id=person_id)
    return Expense.objects.filter(q).select_related("organization", "budget_line", "kind", "requested_by")


def budget_lines_visible_to(user: Actor | None) -> QuerySet[BudgetLine]:
    return BudgetLine.objects.filter(managed_org_q(user)).select_related("organization")


def kinds_for(organization: Organization, *, active_only: bool = True) -> QuerySet[SpendingKind]:
    """The kinds of the spending rule that applies to an organisation (its office's)."""
    kinds = SpendingKind.objects.filter(organization=office_of(organization))
    return kinds.filter(active=True) if active_only else kinds


def kinds_visible_to(user: Actor | None) -> QuerySet[SpendingKind]:
    return SpendingKind.objects.filter(managed_org_q(user)).select_related("organization")


def used_on(line: BudgetLine, *, exclude: Expense | None = None) -> int:
    """Approved and paid on a budget line (the expense ``exclude`` left out)."""
    expenses = line.expenses.filter(state__in=USED_STATES)
    if exclude is not None:
        expenses = expenses.exclude(pk=exclude.pk)
    return int(expenses.aggregate(total=Coalesce(Sum("amount"), 0))["total"])


@dataclass(frozen=True)
class LineSummary:
    line: BudgetLine
    amount: int
    used: int
    pending: int

    @property
    def remaining(self) -> int:
        return self.amount - self.used

    @property
    def used_percent(self) -> int:
        return min(100, round(self.used * 100 / self.amount)) if self.amount else 0


def budget_summary(lines: QuerySet[BudgetLine]) -> list[LineSummary]:
    """Per budget line: its amount, used (approved + paid), pending (asked, not yet decided) and
    remaining (amount − used)."""
    rows = lines.annotate(
        used_total=Coalesce(Sum("expenses__amount", filter=Q(expenses__state__in=USED_STATES)), 0),
        pending_total=Coalesce(Sum("expenses__amount", filter=Q(expenses__state=ExpenseState.REQUESTED)), 0),
    )
    return [LineSummary(row, int(row.amount), int(row.used_total), int(row.pending_total)) for row in rows]
