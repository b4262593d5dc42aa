"""The asset register: depreciation of a registered asset, transfers with their handover
record, repairs tracked as tasks, stock-taking."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from vanphong.logistics import services_assets as services
from vanphong.logistics.models import AssetState, RepairState, StockTakeState
from vanphong.logistics.selectors_assets import asset_remaining, assets_visible_to, stocktake_differences
from vanphong.orgs.models import Unit
from vanphong.tasks.models import TaskState

pytestmark = pytest.mark.django_db


def car(province, **kwargs):
    values = {
        "actor": province.chief.user,
        "organization": province.office,
        "code": "OTO-01",
        "name": "Xe Toyota Innova",
        "category": "xe-o-to",
        "value": 800_000_000,
        "in_use_on": dt.date(2020, 3, 15),
    }
    values.update(kwargs)
    return services.asset_create(**values)


def test_a_car_in_use_since_2020_is_worth_240_million_in_2026(province):
    asset = car(province)
    assert asset_remaining(asset, 2026) == 240_000_000
    assert asset_remaining(asset, 2019) == 800_000_000
    other = car(province, code="OTO-02", rate="12.5")
    assert asset_remaining(other, 2026) == 800_000_000 - 7 * 100_000_000


def test_asset_create_validates_code_category_value(province):
    car(province)
    with pytest.raises(ValidationError) as caught:
        car(province, code="oto-01", category="khong-co", value=0)
    assert set(caught.value.message_dict) == {"code", "category", "value"}
    with pytest.raises(ValidationError) as caught:
        car(province, code="OTO-09", in_use_on=timezone.localdate() + dt.timedelta(days=2), rate="0")
    assert set(caught.value.message_dict) == {"in_use_on", "rate"}


def test_a_commune_clerk_keeps_only_the_communes_register(province):
    asset = car(province, actor=province.clerk_x.user, organization=province.commune_x, code="AP-01")
    with pytest.raises(PermissionDenied):
        car(province, actor=province.clerk_x.user, organization=province.commune_y, code="BM-01")
    assert assets_visible_to(province.clerk_x.user).filter(pk=asset.pk).exists()
    assert not assets_visible_to(province.clerk_y.user).filter(pk=asset.pk).exists()
    # The province's Văn phòng manages its committee's agencies, not a commune: a committee of its own.
    assert not assets_visible_to(province.specialist.user).filter(pk=asset.pk).exists()


def test_a_transfer_moves_the_asset_and_keeps_its_remaining_value(province, agency):
    asset = car(province)
    on = timezone.localdate()
    transfer = services.asset_transfer(
        actor=province.chief.user,
        asset=asset,
        to_organization=agency["organization"],
        to_holder=agency["clerk"],
        on=on,
        decision="Quyết định số 12-QĐ/VPTU",
        condition="Xe hoạt động tốt",
    )
    asset.refresh_from_db()
    assert asset.organization == agency["organization"]
    assert asset.holder == agency["clerk"]
    assert transfer.from_organization == province.office
    assert transfer.remaining_value == asset_remaining(asset, on.year)
    assert transfer.created_by == province.chief


def test_only_leaders_transfer_and_only_within_the_office(province):
    asset = car(province)
    with pytest.raises(PermissionDenied):
        services.asset_transfer(
            actor=province.specialist.user, asset=asset, to_organization=province.commune_x
        )
    with pytest.raises(ValidationError) as caught:
        services.asset_transfer(actor=province.chief.user, asset=asset, to_organization=province.centre)
    assert "to_organization" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.asset_transfer(actor=province.chief.user, asset=asset, to_organization=province.office)


def test_a_repair_gives_a_task_to_the_finance_unit_and_finishing_it_completes_the_task(province):
    unit = Unit.objects.create(organization=province.office, name="Phòng Tài chính - Quản trị")
    asset = car(province)
    repair = services.repair_request(actor=province.specialist.user, asset=asset, description="Hỏng điều hòa")
    task = repair.task
    assert task is not None and task.state == TaskState.ASSIGNED
    assert task.lead_unit_id == unit.pk
    assert task.due_date > timezone.localdate() + dt.timedelta(days=9)
    with pytest.raises(ValidationError):
        services.repair_request(actor=province.specialist.user, asset=asset, description="Lần nữa")
    services.repair_start(actor=province.chief.user, repair=repair)
    asset.refresh_from_db()
    assert asset.state == AssetState.REPAIRING
    with pytest.raises(PermissionDenied):
        services.repair_done(actor=province.clerk_x.user, repair=repair, cost=1, result="x")
    repair = services.repair_done(
        actor=province.chief.user, repair=repair, cost=3_500_000, result="Thay máy nén"
    )
    task.refresh_from_db()
    asset.refresh_from_db()
    assert repair.state == RepairState.DONE and repair.cost == 3_500_000
    assert task.state in (TaskState.COMPLETED, TaskState.CONFIRMED)
    assert asset.state == AssetState.IN_USE


def test_a_refused_repair_cancels_its_task(province):
    asset = car(province)
    repair = services.repair_request(actor=province.chief.user, asset=asset, description="Trầy sơn")
    with pytest.raises(ValidationError):
        services.repair_refuse(actor=province.chief.user, repair=repair, reason=" ")
    services.repair_refuse(actor=province.chief.user, repair=repair, reason="Còn bảo hành")
    assert repair.task is not None
    repair.task.refresh_from_db()
    assert repair.task.state == TaskState.CANCELLED


def test_a_stock_take_writes_off_the_asset_not_found(province):
    first = car(province)
    second = car(province, code="MT-01", name="Máy vi tính Dell", category="may-vi-tinh", value=20_000_000)
    take = services.stocktake_open(
        actor=province.chief.user, organization=province.office, members="Tổ 3 người"
    )
    lines = {line.asset_id: line for line in take.lines.all()}
    assert set(lines) == {first.pk, second.pk}
    assert lines[first.pk].book_value == asset_remaining(first, take.on.year)
    with pytest.raises(ValidationError):
        services.stocktake_open(actor=province.chief.user, organization=province.office)
    services.stocktake_record(actor=province.chief.user, line=lines[first.pk], found=True, condition="Tốt")
    with pytest.raises(ValidationError):
        services.stocktake_close(actor=province.chief.user, stock_take=take)
    services.stocktake_record(actor=province.chief.user, line=lines[second.pk], found=False)
    take = services.stocktake_close(actor=province.chief.user, stock_take=take)
    assert take.state == StockTakeState.CLOSED
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.state == AssetState.LOST and first.state == AssetState.IN_USE
    assert [line.asset_id for line in stocktake_differences(take)] == [second.pk]
    with pytest.raises(ValidationError):
        services.stocktake_record(actor=province.chief.user, line=lines[first.pk], found=False)
