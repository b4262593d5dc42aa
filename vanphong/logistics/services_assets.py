"""Every change of the asset register (tài sản cố định), as plain functions: each checks who may
do it, validates with Vietnamese messages (``ValidationError`` keyed by field) and writes its
rows and its audit entry in one transaction.

Who (decided here; pages and API call these functions):

* **keep the register** (``may_keep_assets``: record, change, ask for a repair, count): the
  people holding WRITE in the asset's organisation, and the committee's Văn phòng — WRITE or
  DIRECT in the office — for the assets of the office itself, of its committee and of every
  agency whose parent is that committee (``selectors_assets.office_of``);
* **transfer** an asset (``may_transfer_assets``): the leaders — DIRECT in the office that
  manages the giving organisation, or DIRECT in the giving organisation for its own assets —
  and only between organisations managed by the same office;
* **repairs** are done by the office (``may_repair``: WRITE or DIRECT in the managing office):
  a request gives a task to the office's "Tài chính - Quản trị" unit (else the office), due in
  10 working days; starting, finishing (the task is completed) or refusing (the task is
  cancelled) the repair is the office's;
* **stock-takes** (kiểm kê) are opened, recorded and closed by the register's keepers; closing
  writes the assets not found off as LOST and lists the differences.

Depreciation follows ``vanphong.logistics.depreciation`` (the category's rate, or the asset's
own ``rate`` when the office approved another)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from vanphong.audit.services import audit_record
from vanphong.logistics import (
    audit_assets,  # noqa: F401  (registers the audit actions)
    depreciation,
)
from vanphong.logistics.models import (
    Asset,
    AssetState,
    AssetTransfer,
    RepairRequest,
    RepairState,
    StockTake,
    StockTakeLine,
    StockTakeState,
)
from vanphong.logistics.selectors_assets import asset_remaining, assets_to_count, office_of
from vanphong.orgs.access import Capability, can
from vanphong.orgs.actors import Actor, acting_person
from vanphong.orgs.models import Organization, Person, Unit
from vanphong.tasks.calendar import WorkCalendar
from vanphong.tasks.models import OPEN_STATES, SourceKind, Task
from vanphong.tasks.services import TaskSource, task_cancel, task_complete, task_create
from vanphong.tasks.services.guards import CANCEL, COMPLETE

MAX_VALUE = 10**15  # a thousand billion đồng: a typing error beyond that
REPAIR_WORKING_DAYS = 10
FINANCE_UNIT_WORDS = ("tài chính", "quản trị")


def _office_keeps(actor: Actor, organization: Organization) -> bool:
    office = office_of(organization)
    return can(actor, Capability.WRITE, office) or can(actor, Capability.DIRECT, office)


def may_keep_assets(actor: Actor, organization: Organization) -> bool:
    return can(actor, Capability.WRITE, organization) or _office_keeps(actor, organization)


def may_transfer_assets(actor: Actor, organization: Organization) -> bool:
    return can(actor, Capability.DIRECT, office_of(organization)) or can(
        actor, Capability.DIRECT, organization
    )


def may_repair(actor: Actor, asset: Asset) -> bool:
    return _office_keeps(actor, asset.organization)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _clean(value: Any, limit: int) -> str:
    return " ".join(str(value or "").split())[:limit]


def _money(value: Any, field: str, errors: dict[str, list[str]], label: str, *, zero: bool = False) -> int:
    try:
        number = (
            Decimal(str(value).replace(".", "").replace(" ", ""))
            if isinstance(value, str)
            else Decimal(value)
        )
    except (InvalidOperation, TypeError, ValueError):
        errors.setdefault(field, []).append(f"{label} phải là số tiền (đồng).")
        return 0
    if number != number.to_integral_value():
        errors.setdefault(field, []).append(f"{label} tính bằng đồng, không có phần lẻ.")
        return 0
    amount = int(number)
    if amount < 0 or (amount == 0 and not zero):
        errors.setdefault(field, []).append(f"{label} phải lớn hơn 0 đồng.")
    elif amount > MAX_VALUE:
        errors.setdefault(field, []).append(f"{label} quá lớn.")
    return amount


def _rate(value: Any, errors: dict[str, list[str]]) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        rate = Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        errors.setdefault("rate", []).append("Tỷ lệ hao mòn phải là số (%/năm).")
        return None
    if not rate.is_finite() or not 0 < rate <= 100 or rate != rate.quantize(Decimal("0.01")):
        errors.setdefault("rate", []).append(
            "Tỷ lệ hao mòn lớn hơn 0 và không quá 100 (%/năm), tối đa 2 chữ số lẻ."
        )
        return None
    return rate


def _holder(
    holder: Person | None, errors: dict[str, list[str]], field: str = "holder", *, organization: Organization
) -> Person | None:
    """The person using an asset: working, in an organisation the same Văn phòng manages."""
    if holder is not None and office_of(holder.organization).pk != office_of(organization).pk:
        errors.setdefault(field, []).append(
            "Người sử dụng phải là cán bộ của cơ quan do cùng Văn phòng quản lý."
        )
    if holder is not None and not holder.active:
        errors.setdefault(field, []).append("Người sử dụng không còn công tác.")
    return holder


def _validate(
    *,
    name: str,
    category: str,
    value: Any,
    in_use_on: dt.date | None,
    rate: Any,
    errors: dict[str, list[str]],
) -> tuple[str, int, Decimal | None]:
    name = _clean(name, 300)
    if not name:
        errors.setdefault("name", []).append("Nhập tên tài sản.")
    if category not in depreciation.CATEGORIES:
        errors.setdefault("category", []).append("Chọn loại tài sản trong danh mục hao mòn.")
    amount = _money(value, "value", errors, "Nguyên giá")
    if in_use_on is None:
        errors.setdefault("in_use_on", []).append("Nhập ngày đưa vào sử dụng.")
    elif in_use_on > timezone.localdate():
        errors.setdefault("in_use_on", []).append("Ngày đưa vào sử dụng không được sau hôm nay.")
    elif in_use_on.year < 1950:
        errors.setdefault("in_use_on", []).append("Ngày đưa vào sử dụng không hợp lệ.")
    return name, amount, _rate(rate, errors)


def _snapshot(asset: Asset) -> dict[str, Any]:
    return {
        "code": asset.code,
        "name": asset.name,
        "category": asset.category,
        "value": asset.value,
        "in_use_on": asset.in_use_on.isoformat(),
        "rate": str(asset.rate) if asset.rate is not None else None,
        "organization": asset.organization_id,
        "holder": asset.holder_id,
        "state": asset.state,
    }


@transaction.atomic
def asset_create(
    *,
    actor: Actor,
    organization: Organization,
    code: str,
    name: str,
    category: str,
    value: Any,
    in_use_on: dt.date | None,
    holder: Person | None = None,
    location: str = "",
    rate: Any = None,
    note: str = "",
) -> Asset:
    """Record an asset in an organisation's register (its code unique across the register)."""
    acting_person(actor)
    _require(may_keep_assets(actor, organization), "Bạn không ghi sổ được tài sản của cơ quan này.")
    errors: dict[str, list[str]] = {}
    code = _clean(code, 40).upper()
    if not code:
        errors.setdefault("code", []).append("Nhập mã tài sản.")
    elif Asset.objects.filter(code=code).exists():
        errors.setdefault("code", []).append(f"Mã tài sản {code} đã có trong sổ.")
    name, amount, chosen_rate = _validate(
        name=name, category=category, value=value, in_use_on=in_use_on, rate=rate, errors=errors
    )
    _holder(holder, errors, organization=organization)
    if errors:
        raise ValidationError(errors)
    assert in_use_on is not None
    asset = Asset(
        organization=organization,
        code=code,
        name=name,
        category=category,
        value=amount,
        in_use_on=in_use_on,
        rate=chosen_rate,
        holder=holder,
        location=_clean(location, 200),
        note=_clean(note, 500),
    )
    try:
        with transaction.atomic():
            asset.save()
    except IntegrityError:
        raise ValidationError({"code": [f"Mã tài sản {code} đã có trong sổ."]}) from None
    audit_record(
        actor=actor,
        action="asset.create",
        target=asset,
        organization_id=organization.pk,
        after=_snapshot(asset),
    )
    return asset


@transaction.atomic
def asset_update(
    *,
    actor: Actor,
    asset: Asset,
    name: str,
    category: str,
    value: Any,
    in_use_on: dt.date | None,
    holder: Person | None = None,
    location: str = "",
    rate: Any = None,
    note: str = "",
) -> Asset:
    """Correct an asset's entry (its code and organisation do not change here: a transfer moves
    it)."""
    acting_person(actor)
    asset = Asset.objects.select_for_update().select_related("organization").get(pk=asset.pk)
    _require(may_keep_assets(actor, asset.organization), "Bạn không sửa được tài sản này.")
    if asset.state in (AssetState.LIQUIDATED, AssetState.LOST):
        raise ValidationError({"state": ["Tài sản đã thanh lý hoặc đã ghi mất không sửa được."]})
    errors: dict[str, list[str]] = {}
    name, amount, chosen_rate = _validate(
        name=name, category=category, value=value, in_use_on=in_use_on, rate=rate, errors=errors
    )
    _holder(holder, errors, organization=asset.organization)
    if errors:
        raise ValidationError(errors)
    assert in_use_on is not None
    before = _snapshot(asset)
    asset.name, asset.category, asset.value, asset.in_use_on = name, category, amount, in_use_on
    asset.rate, asset.holder = chosen_rate, holder
    asset.location, asset.note = _clean(location, 200), _clean(note, 500)
    asset.save()
    audit_record(
        actor=actor,
        action="asset.update",
        target=asset,
        organization_id=asset.organization_id,
        before=before,
        after=_snapshot(asset),
    )
    return asset


@transaction.atomic
def asset_transfer(
    *,
    actor: Actor,
    asset: Asset,
    to_organization: Organization,
    to_holder: Person | None = None,
    on: dt.date | None = None,
    decision: str = "",
    condition: str = "",
) -> AssetTransfer:
    """Điều chuyển: the asset moves to another organisation (and holder) managed by the same
    office; the handover record keeps its remaining value at the end of the handover's year."""
    person = acting_person(actor)
    asset = Asset.objects.select_for_update().select_related("organization").get(pk=asset.pk)
    _require(may_transfer_assets(actor, asset.organization), "Chỉ lãnh đạo mới điều chuyển được tài sản này.")
    errors: dict[str, list[str]] = {}
    on = on or timezone.localdate()
    if asset.state in (AssetState.LIQUIDATED, AssetState.LOST):
        errors.setdefault("asset", []).append("Tài sản đã thanh lý hoặc đã ghi mất không điều chuyển được.")
    if to_organization.pk == asset.organization_id and (to_holder is None or to_holder.pk == asset.holder_id):
        errors.setdefault("to_organization", []).append("Chọn cơ quan hoặc người nhận khác với hiện nay.")
    elif office_of(to_organization).pk != office_of(asset.organization).pk:
        errors.setdefault("to_organization", []).append(
            "Chỉ điều chuyển giữa các cơ quan do cùng một Văn phòng quản lý tài sản."
        )
    if not to_organization.active:
        errors.setdefault("to_organization", []).append("Cơ quan nhận không còn hoạt động.")
    _holder(to_holder, errors, "to_holder", organization=to_organization)
    if on > timezone.localdate():
        errors.setdefault("on", []).append("Ngày bàn giao không được sau hôm nay.")
    elif on < asset.in_use_on:
        errors.setdefault("on", []).append("Ngày bàn giao không được trước ngày đưa vào sử dụng.")
    if errors:
        raise ValidationError(errors)
    before = _snapshot(asset)
    transfer = AssetTransfer.objects.create(
        asset=asset,
        from_organization=asset.organization,
        to_organization=to_organization,
        to_holder=to_holder,
        on=on,
        decision=_clean(decision, 300),
        remaining_value=asset_remaining(asset, on.year),
        condition=_clean(condition, 500),
        created_by=person,
    )
    asset.organization = to_organization
    asset.holder = to_holder
    if asset.state == AssetState.UNUSED:
        asset.state = AssetState.IN_USE
    asset.save(update_fields=["organization", "holder", "state"])
    audit_record(
        actor=actor,
        action="asset.transfer",
        target=asset,
        organization_id=transfer.from_organization_id,
        before=before,
        after={**_snapshot(asset), "transfer": transfer.pk, "remaining_value": transfer.remaining_value},
    )
    return transfer


# ---------------------------------------------------------------------------- repairs


def repair_lead(office: Organization) -> Organization | Unit:
    """The office's "Tài chính - Quản trị" unit (a unit whose name says both), else the office."""
    for unit in Unit.objects.filter(organization=office, active=True):
        name = unit.name.lower()
        if all(word in name for word in FINANCE_UNIT_WORDS):
            return unit
    return office


@transaction.atomic
def repair_request(*, actor: Actor, asset: Asset, description: str) -> RepairRequest:
    person = acting_person(actor)
    asset = Asset.objects.select_for_update().select_related("organization").get(pk=asset.pk)
    _require(
        may_keep_assets(actor, asset.organization) or asset.holder_id == person.pk,
        "Bạn không đề nghị sửa chữa được tài sản này.",
    )
    description = _clean(description, 1000)
    if not description:
        raise ValidationError({"description": ["Nêu hư hỏng và đề nghị sửa chữa."]})
    if asset.state in (AssetState.LIQUIDATED, AssetState.LOST):
        raise ValidationError({"description": ["Tài sản đã thanh lý hoặc đã ghi mất."]})
    if asset.repairs.filter(state__in=(RepairState.REQUESTED, RepairState.IN_PROGRESS)).exists():
        raise ValidationError({"description": ["Tài sản đang có đề nghị sửa chữa chưa xong."]})
    repair = RepairRequest.objects.create(asset=asset, requested_by=person, description=description)
    office = office_of(asset.organization)
    today = timezone.localdate()
    repair.task = task_create(
        actor=actor,
        organization=office,
        title=f"Sửa chữa tài sản {asset.code}: {asset.name}"[:500],
        lead=repair_lead(office),
        content=f"{asset.organization} đề nghị: {description}"[:5000],
        due_date=WorkCalendar.load().add_working_days(today, REPAIR_WORKING_DAYS),
        source=TaskSource(
            kind=SourceKind.LOGISTICS, label=f"Đề nghị sửa chữa tài sản {asset.code}"[:500], obj=repair
        ),
        check_access=False,
        created_by=person,
    )
    repair.save(update_fields=["task"])
    audit_record(
        actor=actor,
        action="asset.repair_request",
        target=repair,
        organization_id=asset.organization_id,
        after={"asset": asset.code, "task": repair.task.pk},
    )
    return repair


def _locked_repair(repair: RepairRequest) -> RepairRequest:
    return (
        RepairRequest.objects.select_for_update(of=("self",))
        .select_related("asset__organization", "task")
        .get(pk=repair.pk)
    )


@transaction.atomic
def repair_start(*, actor: Actor, repair: RepairRequest) -> RepairRequest:
    acting_person(actor)
    repair = _locked_repair(repair)
    _require(may_repair(actor, repair.asset), "Chỉ Văn phòng mới ghi được việc sửa chữa.")
    if repair.state != RepairState.REQUESTED:
        raise ValidationError({"state": ["Chỉ bắt đầu sửa được đề nghị đang chờ xử lý."]})
    repair.state = RepairState.IN_PROGRESS
    repair.save(update_fields=["state"])
    Asset.objects.filter(pk=repair.asset_id).update(state=AssetState.REPAIRING)
    audit_record(
        actor=actor, action="asset.repair_start", target=repair, organization_id=repair.asset.organization_id
    )
    return repair


def _open_task(task: Task | None) -> bool:
    return task is not None and task.state in OPEN_STATES


@transaction.atomic
def repair_done(
    *, actor: Actor, repair: RepairRequest, cost: Any, result: str, done_on: dt.date | None = None
) -> RepairRequest:
    """The repair is done: its cost and result kept, the asset back in use, the task completed."""
    acting_person(actor)
    repair = _locked_repair(repair)
    _require(may_repair(actor, repair.asset), "Chỉ Văn phòng mới ghi được việc sửa chữa.")
    errors: dict[str, list[str]] = {}
    if repair.state not in (RepairState.REQUESTED, RepairState.IN_PROGRESS):
        errors.setdefault("state", []).append("Đề nghị này đã xử lý xong.")
    amount = _money(cost if cost not in (None, "") else 0, "cost", errors, "Chi phí", zero=True)
    result = _clean(result, 1000)
    if not result:
        errors.setdefault("result", []).append("Nêu kết quả sửa chữa.")
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        errors.setdefault("done_on", []).append("Ngày xong không được sau hôm nay.")
    if errors:
        raise ValidationError(errors)
    repair.state, repair.cost, repair.result, repair.done_on = RepairState.DONE, amount, result, done_on
    repair.save(update_fields=["state", "cost", "result", "done_on"])
    Asset.objects.filter(pk=repair.asset_id, state=AssetState.REPAIRING).update(state=AssetState.IN_USE)
    if _open_task(repair.task):
        assert repair.task is not None
        task_complete(
            actor=actor, task=repair.task, text=f"Đã sửa xong: {result}"[:5000], recorded_by_source=True
        )
    audit_record(
        actor=actor,
        action="asset.repair_done",
        target=repair,
        organization_id=repair.asset.organization_id,
        after={"cost": amount, "result": result},
    )
    return repair


@transaction.atomic
def repair_refuse(*, actor: Actor, repair: RepairRequest, reason: str) -> RepairRequest:
    """No repair (not worth it, under warranty...): the reason kept, the task cancelled."""
    acting_person(actor)
    repair = _locked_repair(repair)
    _require(may_repair(actor, repair.asset), "Chỉ Văn phòng mới ghi được việc sửa chữa.")
    reason = _clean(reason, 1000)
    if repair.state not in (RepairState.REQUESTED, RepairState.IN_PROGRESS):
        raise ValidationError({"state": ["Đề nghị này đã xử lý xong."]})
    if not reason:
        raise ValidationError({"reason": ["Nêu lý do không sửa chữa."]})
    repair.state, repair.result = RepairState.REFUSED, reason
    repair.save(update_fields=["state", "result"])
    Asset.objects.filter(pk=repair.asset_id, state=AssetState.REPAIRING).update(state=AssetState.IN_USE)
    if _open_task(repair.task):
        assert repair.task is not None
        task_cancel(
            actor=actor, task=repair.task, reason=f"Không sửa chữa: {reason}"[:1000], recorded_by_source=True
        )
    audit_record(
        actor=actor,
        action="asset.repair_refuse",
        target=repair,
        organization_id=repair.asset.organization_id,
        after={"reason": reason},
    )
    return repair


# ---------------------------------------------------------------------------- stock-taking


@transaction.atomic
def stocktake_open(
    *, actor: Actor, organization: Organization, on: dt.date | None = None, members: str = ""
) -> StockTake:
    """Open a stock-take: one line for every asset on the organisation's books, with its book
    (remaining) value at the end of the stock-take's year."""
    person = acting_person(actor)
    _require(may_keep_assets(actor, organization), "Bạn không kiểm kê được tài sản của cơ quan này.")
    on = on or timezone.localdate()
    if on > timezone.localdate() + dt.timedelta(days=31):
        raise ValidationError({"on": ["Ngày kiểm kê quá xa."]})
    # One count at a time per organisation: the organisation's row is the lock two keepers
    # opening a count at once wait on, so the second sees the first's.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    if StockTake.objects.filter(organization=organization, state=StockTakeState.OPEN).exists():
        raise ValidationError({"on": ["Cơ quan đang có đợt kiểm kê chưa khóa sổ."]})
    assets = list(assets_to_count(organization).select_for_update())
    if not assets:
        raise ValidationError({"organization": ["Cơ quan chưa có tài sản nào trong sổ để kiểm kê."]})
    stock_take = StockTake.objects.create(
        organization=organization, on=on, members=_clean(members, 1000), created_by=person
    )
    StockTakeLine.objects.bulk_create(
        StockTakeLine(stock_take=stock_take, asset=asset, book_value=asset_remaining(asset, on.year))
        for asset in assets
    )
    audit_record(
        actor=actor,
        action="stocktake.open",
        target=stock_take,
        organization_id=organization.pk,
        after={"on": on.isoformat(), "assets": len(assets)},
    )
    return stock_take


@transaction.atomic
def stocktake_record(
    *, actor: Actor, line: StockTakeLine, found: bool, condition: str = "", note: str = ""
) -> StockTakeLine:
    acting_person(actor)
    line = (
        StockTakeLine.objects.select_for_update()
        .select_related("stock_take__organization", "asset")
        .get(pk=line.pk)
    )
    stock_take = line.stock_take
    _require(
        may_keep_assets(actor, stock_take.organization), "Bạn không kiểm kê được tài sản của cơ quan này."
    )
    if stock_take.state != StockTakeState.OPEN:
        raise ValidationError({"found": ["Đợt kiểm kê đã khóa sổ."]})
    note = _clean(note, 500)
    if not found and not note:
        note = "Không có khi kiểm kê"
    line.found, line.condition, line.note = bool(found), _clean(condition, 300), note
    line.save(update_fields=["found", "condition", "note"])
    audit_record(
        actor=actor,
        action="stocktake.record",
        target=stock_take,
        organization_id=stock_take.organization_id,
        after={"asset": line.asset.code, "found": line.found, "note": note},
    )
    return line


@transaction.atomic
def stocktake_close(*, actor: Actor, stock_take: StockTake) -> StockTake:
    """Close the count: every line must be recorded; the assets not found are written off as
    LOST (the differences stay listed on the stock-take, ``selectors_assets.stocktake_differences``)."""
    acting_person(actor)
    stock_take = StockTake.objects.select_for_update().select_related("organization").get(pk=stock_take.pk)
    _require(
        may_keep_assets(actor, stock_take.organization), "Bạn không kiểm kê được tài sản của cơ quan này."
    )
    if stock_take.state != StockTakeState.OPEN:
        raise ValidationError({"state": ["Đợt kiểm kê đã khóa sổ."]})
    left = stock_take.lines.filter(found__isnull=True).count()
    if left:
        raise ValidationError({"state": [f"Còn {left} tài sản chưa ghi kết quả kiểm kê."]})
    missing = list(stock_take.lines.filter(found=False).values_list("asset_id", flat=True))
    # Only what is still this organisation's and still counted: an asset transferred or written
    # off while the count was open is not written off here.
    Asset.objects.filter(
        pk__in=missing,
        organization_id=stock_take.organization_id,
        state__in=(AssetState.IN_USE, AssetState.REPAIRING, AssetState.UNUSED),
    ).update(state=AssetState.LOST)
    stock_take.state = StockTakeState.CLOSED
    stock_take.closed_at = timezone.now()
    stock_take.save(update_fields=["state", "closed_at"])
    audit_record(
        actor=actor,
        action="stocktake.close",
        target=stock_take,
        organization_id=stock_take.organization_id,
        after={"lost": len(missing)},
    )
    return stock_take


def repair_task_guard(task: Task, action: str) -> str | None:
    """The engine's question before a repair's task is completed or cancelled from the task
    pages (registered for ``SourceKind.LOGISTICS`` when the app starts): it closes with the
    repair (done, or refused), not apart from it."""
    if action not in (COMPLETE, CANCEL):
        return None
    repair = RepairRequest.objects.filter(task_id=task.pk).select_related("asset").first()
    if repair is None or repair.state in (RepairState.DONE, RepairState.REFUSED):
        return None
    return (
        f"Nhiệm vụ sửa chữa tài sản {repair.asset.code} hoàn thành khi ghi kết quả sửa chữa "
        "(trang tài sản), không đóng riêng được."
    )
