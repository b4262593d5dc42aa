"""Retention and disposal: nothing destroyed without a decision, never a permanent or held record,
never before its retention has run out; what is destroyed keeps its metadata and its list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vanphong.records import selectors, services
from vanphong.records.models import Record, RecordItem, RecordState
from vanphong.records.tests.conftest import document
from vanphong.tasks.models import TaskState

pytestmark = pytest.mark.django_db


def expired(province, code: str, retention=5) -> Record:
    """A record of 2015, closed that year: a five-year retention ran out on 31/12/2020."""
    record = services.record_open(
        actor=province.specialist.user,
        organization=province.committee,
        code=code,
        title=f"Hồ sơ thử {code}",
        retention_years=retention,
        year=2015,
        start_date=dt.date(2015, 1, 2),
    )
    services.record_file(
        actor=province.clerk.user, record=record, document=document(province, symbol=f"{code}-CV/TU")
    )
    return services.record_close(
        actor=province.specialist.user, record=record, end_date=dt.date(2015, 12, 30)
    )


def test_retention_counts_from_the_year_it_closed():
    assert services.retention_until(2015, 5) == dt.date(2020, 12, 31)
    assert services.retention_until(2026, None) is None
    assert services.transfer_due(dt.date(2026, 2, 28), years=10, construction=False) == dt.date(2027, 2, 28)
    assert services.transfer_due(dt.date(2024, 11, 30), years=10, construction=True) == dt.date(2025, 2, 28)
    assert services.transfer_due(dt.date(2026, 1, 1), years=2, construction=False) is None


def test_disposal_needs_a_decision(province):
    record = expired(province, "01.A")
    with pytest.raises(ValidationError) as refused:
        services.disposal_execute(
            actor=province.clerk.user, organization=province.committee, records=[record], decision="  "
        )
    assert "quyết định" in str(refused.value)
    record.refresh_from_db()
    assert record.state == RecordState.CLOSED and record.disposal is None


def test_a_permanent_record_is_never_proposed_nor_destroyed(province):
    permanent = expired(province, "02.P", retention=None)
    assert permanent not in selectors.due_for_review(province.clerk.user)
    with pytest.raises(ValidationError, match="vĩnh viễn"):
        services.disposal_execute(
            actor=province.clerk.user,
            organization=province.committee,
            records=[permanent],
            decision="Quyết định số 12-QĐ/TU ngày 01/12/2026",
        )


def test_a_held_record_is_not_destroyed_and_one_refusal_refuses_all(province):
    free = expired(province, "03.F")
    held = expired(province, "04.H")
    services.record_hold(actor=province.chief.user, record=held, reason="Đoàn thanh tra đang xác minh")
    assert set(selectors.due_for_review(province.clerk.user)) == {free, held}
    with pytest.raises(ValidationError, match="phong tỏa"):
        services.disposal_execute(
            actor=province.clerk.user,
            organization=province.committee,
            records=[free, held],
            decision="Quyết định số 12-QĐ/TU ngày 01/12/2026",
        )
    free.refresh_from_db()
    assert free.state == RecordState.CLOSED  # nothing destroyed
    with pytest.raises(PermissionDenied):
        services.record_hold(actor=province.clerk.user, record=free, reason="x")


def test_disposal_keeps_the_metadata_and_the_list(province):
    record = expired(province, "05.D")
    with pytest.raises(PermissionDenied):
        services.disposal_execute(
            actor=province.specialist.user,
            organization=province.committee,
            records=[record],
            decision="QĐ 12",
        )
    disposal = services.disposal_execute(
        actor=province.clerk.user,
        organization=province.committee,
        records=[record],
        decision="Quyết định số 12-QĐ/TU ngày 01/12/2026",
        council="Hội đồng xác định giá trị tài liệu Văn phòng Tỉnh ủy",
    )
    record.refresh_from_db()
    assert record.state == RecordState.DISPOSED and record.disposal == disposal
    item = RecordItem.objects.get(record=record)
    assert item.document is None and item.symbol == "05.D-CV/TU"  # the description stays
    assert disposal.listing[0]["code"] == "05.D" and disposal.listing[0]["items"][0]["symbol"] == "05.D-CV/TU"
    assert record not in selectors.due_for_review(province.clerk.user)
    with pytest.raises(ValidationError, match="đã hủy"):
        services.disposal_execute(
            actor=province.clerk.user, organization=province.committee, records=[record], decision="QĐ 13"
        )


def test_reopening_withdraws_the_transfer_task_and_closing_gives_it_again(province, plan):
    record = services.record_open(
        actor=province.specialist.user, plan_item=plan.items.get(code="02.TH"), start_date=dt.date(2026, 1, 2)
    )
    services.record_file(actor=province.clerk.user, record=record, document=document(province))
    record = services.record_close(
        actor=province.specialist.user, record=record, end_date=dt.date(2026, 6, 30)
    )
    first = record.transfer_task
    record = services.record_reopen(
        actor=province.specialist.user, record=record, reason="Thiếu báo cáo quý II"
    )
    first.refresh_from_db()
    assert first.state == TaskState.CANCELLED and record.transfer_task is None
    record = services.record_close(
        actor=province.specialist.user, record=record, end_date=dt.date(2026, 7, 15)
    )
    assert record.transfer_task.pk != first.pk and record.transfer_due == dt.date(2027, 7, 15)


def test_the_task_pages_cannot_close_a_transfer_task_alone(province, plan):
    from vanphong.tasks.services import source_refusal

    record = services.record_open(
        actor=province.specialist.user, plan_item=plan.items.get(code="02.TH"), start_date=dt.date(2026, 1, 2)
    )
    services.record_file(actor=province.clerk.user, record=record, document=document(province))
    record = services.record_close(
        actor=province.specialist.user, record=record, end_date=dt.date(2026, 6, 30)
    )
    assert "Lưu trữ cơ quan" in (source_refusal(record.transfer_task, "complete") or "")


def test_another_organisation_cannot_file_into_or_see_the_record(province, plan):
    record = services.record_open(actor=province.specialist.user, plan_item=plan.items.get(code="01.TH"))
    assert record not in selectors.records_visible_to(province.clerk_x.user)
    with pytest.raises(PermissionDenied):
        services.record_file(actor=province.clerk_x.user, record=record, document=document(province))


def test_filing_the_same_document_twice_is_refused(province, plan):
    record = services.record_open(actor=province.specialist.user, plan_item=plan.items.get(code="01.TH"))
    doc = document(province)
    services.record_file(actor=province.clerk.user, record=record, document=doc)
    with pytest.raises(ValidationError, match="Đã có"):
        services.record_file(actor=province.clerk.user, record=record, document=doc)


def test_a_draft_plan_opens_no_record_and_its_lines_may_change(province):
    from vanphong.records.services import ItemSpec

    plan = services.plan_create(
        actor=province.specialist.user,
        organization=province.committee,
        year=2026,
        items=[ItemSpec("01.TH", "Báo cáo năm", None), ItemSpec("02.TH", "Báo cáo tháng", 5)],
    )
    with pytest.raises(ValidationError, match="chưa được ban hành"):
        services.record_open(actor=province.specialist.user, plan_item=plan.items.get(code="01.TH"))
    services.plan_set_items(
        actor=province.specialist.user,
        plan=plan,
        items=[
            ItemSpec("01.TH", "Báo cáo năm của Tỉnh ủy", "vinh_vien"),
            ItemSpec("03.TH", "Lịch công tác", 5),
        ],
    )
    assert list(plan.items.values_list("code", "title")) == [
        ("01.TH", "Báo cáo năm của Tỉnh ủy"),
        ("03.TH", "Lịch công tác"),
    ]
