"""The records' rules: plan carry-over, filing, closing and retention, transfer, lending, disposal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vanphong.orgs.models import Classification
from vanphong.records import services
from vanphong.records.models import PlanState, RecordState, RequestState, TransferState
from vanphong.records.tests.conftest import document, open_record
from vanphong.tasks.models import TaskState

pytestmark = pytest.mark.django_db


def test_plan_carries_over_to_the_next_year_as_a_draft(province, plan):
    nxt = services.plan_carry_over(actor=province.specialist.user, plan=plan)
    assert (nxt.year, nxt.state, nxt.based_on_id) == (2027, PlanState.DRAFT, plan.pk)
    assert [(i.code, i.title, i.retention_years, i.construction) for i in nxt.items.all()] == [
        (i.code, i.title, i.retention_years, i.construction) for i in plan.items.all()
    ]
    with pytest.raises(ValidationError):
        services.plan_carry_over(actor=province.specialist.user, plan=plan)


def test_only_the_leaders_approve_a_plan(province):
    made = services.plan_create(actor=province.specialist.user, organization=province.committee, year=2025)
    with pytest.raises(PermissionDenied):
        services.plan_approve(actor=province.specialist.user, plan=made)


def test_closing_counts_retention_from_the_year_it_closed_and_owes_a_transfer(province, plan):
    record = open_record(province, plan, "03.HC")
    services.record_file(actor=province.clerk.user, record=record, document=document(province))
    closed = services.record_close(
        actor=province.specialist.user, record=record, end_date=dt.date(2026, 3, 10)
    )
    assert closed.state == RecordState.CLOSED
    assert closed.retention_until == dt.date(2046, 12, 31)
    assert closed.transfer_due == dt.date(2026, 6, 10)  # construction: three months
    assert closed.transfer_task.state == TaskState.ASSIGNED


def test_permanent_records_have_no_retention_end(province, plan):
    record = open_record(province, plan, "01.TH")
    services.record_file(actor=province.clerk.user, record=record, document=document(province))
    closed = services.record_close(
        actor=province.specialist.user, record=record, end_date=dt.date(2026, 1, 31)
    )
    assert closed.retention_until is None
    assert closed.transfer_due == dt.date(2027, 1, 31)


def test_short_retention_is_not_transferred(province, plan):
    record = open_record(province, plan, "04.HC")
    services.record_file(actor=province.clerk.user, record=record, document=document(province))
    closed = services.record_close(actor=province.specialist.user, record=record)
    assert closed.transfer_due is None and closed.transfer_task is None


def test_a_classified_document_raises_the_record(province, plan):
    record = open_record(province, plan)
    services.record_file(
        actor=province.clerk.user,
        record=record,
        document=document(province, classification=Classification.MAT),
    )
    record.refresh_from_db()
    assert record.classification == Classification.MAT


def test_transfer_lending_and_disposal(province, plan):
    record = open_record(province, plan, "02.TH")
    services.record_file(actor=province.clerk.user, record=record, document=document(province))
    services.record_close(actor=province.specialist.user, record=record, end_date=dt.date(2026, 1, 5))
    transfer = services.transfer_create(
        actor=province.specialist.user, organization=province.committee, records=[record]
    )
    with pytest.raises(PermissionDenied):
        services.transfer_hand_over(actor=province.specialist.user, transfer=transfer)
    transfer = services.transfer_hand_over(actor=province.clerk.user, transfer=transfer, boxes=1)
    record.refresh_from_db()
    assert transfer.state == TransferState.HANDED_OVER and record.state == RecordState.ARCHIVED
    assert record.transfer_task.state == TaskState.COMPLETED

    loan = services.request_create(
        actor=province.specialist.user,
        records=[record],
        purpose="Tổng hợp báo cáo",
        mode="borrow",
        return_due=dt.date.today() + dt.timedelta(days=10),
    )
    loan = services.request_decide(actor=province.chief.user, request=loan, approve=True)
    assert loan.return_task is not None
    loan = services.request_return(actor=province.clerk.user, request=loan)
    assert loan.state == RequestState.RETURNED

    with pytest.raises(ValidationError, match="chưa hết thời hạn"):
        services.disposal_execute(
            actor=province.clerk.user, organization=province.committee, records=[record], decision="QĐ 12"
        )
