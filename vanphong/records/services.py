"""Every change of the records and the archive, as plain functions taking explicit arguments.
Each checks who may do it, validates with Vietnamese messages (``ValidationError`` keyed by
field), writes its rows, its tasks and its audit entry in one transaction.

* File plans: ``plan_create`` (empty, or with items), ``plan_carry_over`` (next year's from this
  year's), ``plan_set_items`` (a draft's lines), ``plan_approve`` (by the head).
* Records: ``record_open`` (from a plan item, or outside the plan with its own code and
  retention), ``record_file`` (a document, a meeting or a petition the filer may read; the
  record's classification rises with it), ``record_unfile``, ``record_close`` (its retention
  then runs from the year it closed; a file to be kept five years or more owes a transfer to the
  archive, a task of its unit due a year after the work ended — three months for construction
  files), ``record_reopen``, ``record_hold`` / ``record_release`` (a legal hold blocks disposal).
* Archive: ``transfer_create`` and ``transfer_hand_over`` (the archive receives: records become
  archived and their transfer tasks complete), ``request_create``, ``request_decide`` (a loan's
  return is a task of the borrower) and ``request_return``.
* ``disposal_execute``: only with a decision, never of a permanent, held, not-yet-expired or
  not-archived record; the records keep their metadata and the list is kept with its checksums.

Who: those holding WRITE in a record's organisation open, fill and close its records (the
Văn phòng's staff for a committee, by the office model of ``orgs.access``); the archive's keepers
(REGISTER) receive transfers, lend and execute disposals; the leaders (DIRECT, or DIRECT_ROUTINE:
a committee's Văn phòng leaders) approve plans and requests. The tasks are the organisation's own
work, so the engine's check of who may give them is this module's (``check_access=False``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from vanphong.audit.services import audit_record
from vanphong.core.textfold import fold
from vanphong.documents.access import documents_visible_to
from vanphong.documents.doctypes import lookup
from vanphong.documents.models import Document
from vanphong.orgs.access import Capability, can
from vanphong.orgs.actors import Actor, acting_person
from vanphong.orgs.models import Classification, Organization, Person, Unit
from vanphong.petitions.selectors import petitions_visible_to
from vanphong.programs.selectors.meetings import meetings_visible_to
from vanphong.records.models import (
    ArchiveRequest,
    Disposal,
    FilePlan,
    ItemKind,
    PlanItem,
    PlanState,
    Record,
    RecordFile,
    RecordItem,
    RecordState,
    RequestMode,
    RequestState,
    Transfer,
    TransferState,
    retention_label,
)
from vanphong.records.selectors import records_visible_to
from vanphong.tasks.models import OPEN_STATES, SourceKind, Task
from vanphong.tasks.services import TaskSource, task_cancel, task_complete, task_create
from vanphong.tasks.services.guards import CANCEL, COMPLETE

# Files kept this many years or more (or permanently) must go to the agency archive (NĐ 30 Điều 31).
TRANSFER_MIN_YEARS = 5
MAX_RETENTION = 200
MAX_ITEMS = 2000
MAX_LOAN_DAYS = 365
FIRST_YEAR = 1945
DIRECTING = (Capability.DIRECT, Capability.DIRECT_ROUTINE)

TRANSFER_GUARD = (
    "Nhiệm vụ nộp lưu hồ sơ {code} hoàn thành khi Lưu trữ cơ quan nhận hồ sơ (trang Lưu trữ), "
    "không đóng riêng được."
)
RETURN_GUARD = "Nhiệm vụ trả hồ sơ mượn hoàn thành khi Lưu trữ cơ quan nhận lại hồ sơ, không đóng riêng được."


# ---------------------------------------------------------------------------- permissions


def may_write(actor: Actor, organization: Organization) -> bool:
    return can(actor, Capability.WRITE, organization)


def may_keep_archive(actor: Actor, organization: Organization) -> bool:
    return can(actor, Capability.REGISTER, organization)


def may_direct(actor: Actor, organization: Organization) -> bool:
    return any(can(actor, capability, organization) for capability in DIRECTING)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# ---------------------------------------------------------------------------- helpers


def retention_until(closed_year: int, years: int | None) -> dt.date | None:
    """The last day a closed record must be kept: retention counts from the year it closed
    (TT 10/2022: "tính từ năm công việc kết thúc"); None for permanent."""
    if years is None:
        return None
    return dt.date(closed_year + years, 12, 31)


def transfer_due(end: dt.date, *, years: int | None, construction: bool) -> dt.date | None:
    """When a closed record must be in the agency archive: a year after its work ended, three
    months for construction files; None for one kept under five years (not transferred)."""
    if years is not None and years < TRANSFER_MIN_YEARS:
        return None
    months = 3 if construction else 12
    month = end.month - 1 + months
    year, month = end.year + month // 12, month % 12 + 1
    for day in (end.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _clean_retention(value: Any, errors: dict[str, list[str]], field: str = "retention_years") -> int | None:
    if value in (None, "", "vinh_vien"):
        return None
    try:
        years = int(value)
    except (TypeError, ValueError):
        errors.setdefault(field, []).append('Thời hạn bảo quản là số năm, hoặc "vinh_vien" (vĩnh viễn).')
        return None
    if not 1 <= years <= MAX_RETENTION:
        errors.setdefault(field, []).append(
            f"Thời hạn bảo quản từ 1 đến {MAX_RETENTION} năm, hoặc vĩnh viễn."
        )
    return years


def unit_allowed(unit: Unit, organization: Organization) -> bool:
    """A unit may make an organisation's files when it is one of its units or, for a committee,
    a unit of its Văn phòng (the office model: the office's units make the committee's files)."""
    if unit.organization_id == organization.pk:
        return True
    return Organization.objects.filter(
        pk=unit.organization_id, parent_id=organization.pk, is_office=True
    ).exists()


def _fold_record(record: Record) -> str:
    return fold(
        " ".join(part for part in (record.code, record.title, record.keywords, record.description) if part)
    )


def _fold_item(item: RecordItem) -> str:
    return fold(
        " ".join(part for part in (item.symbol, item.type_name, item.issuer_name, item.subject) if part)
    )


# ---------------------------------------------------------------------------- file plans


@dataclass(frozen=True)
class ItemSpec:
    code: str
    title: str
    retention_years: Any = None  # None or "vinh_vien": permanent
    heading: str = ""
    unit: Unit | None = None
    person: Person | None = None
    construction: bool = False
    note: str = ""


def _clean_items(organization: Organization, specs: Sequence[ItemSpec]) -> list[PlanItem]:
    errors: dict[str, list[str]] = {}
    rows: list[PlanItem] = []
    seen: set[str] = set()
    if len(specs) > MAX_ITEMS:
        raise ValidationError({"items": [f"Một danh mục có nhiều nhất {MAX_ITEMS} hồ sơ."]})
    for n, spec in enumerate(specs, start=1):
        code = (spec.code or "").strip()
        title = " ".join((spec.title or "").split())
        where = f"Dòng {n}"
        if not code or len(code) > 20:
            errors.setdefault("items", []).append(f"{where}: số và ký hiệu hồ sơ có từ 1 đến 20 ký tự.")
        elif code.casefold() in seen:
            errors.setdefault("items", []).append(f"{where}: số và ký hiệu {code} đã có trong danh mục.")
        seen.add(code.casefold())
        if not title or len(title) > 500:
            errors.setdefault("items", []).append(f"{where}: tiêu đề hồ sơ có từ 1 đến 500 ký tự.")
        item_errors: dict[str, list[str]] = {}
        years = _clean_retention(spec.retention_years, item_errors)
        for message in item_errors.get("retention_years", []):
            errors.setdefault("items", []).append(f"{where}: {message}")
        if spec.unit is not None and not unit_allowed(spec.unit, organization):
            errors.setdefault("items", []).append(
                f"{where}: đơn vị lập hồ sơ không thuộc {organization.short_name}."
            )
        if spec.person is not None and spec.person.organization_id != organization.pk:
            # Staff of a committee's Văn phòng make the committee's files.
            office = Organization.objects.filter(
                parent=organization, is_office=True, pk=spec.person.organization_id
            )
            if not office.exists():
                errors.setdefault("items", []).append(
                    f"{where}: người lập hồ sơ không thuộc {organization.short_name}."
                )
        rows.append(
            PlanItem(
                order=n,
                heading=" ".join((spec.heading or "").split())[:200],
                code=code,
                title=title[:500],
                retention_years=years,
                unit=spec.unit,
                person=spec.person,
                construction=bool(spec.construction),
                note=(spec.note or "").strip()[:500],
            )
        )
    if errors:
        raise ValidationError(errors)
    return rows


@transaction.atomic
def plan_create(
    *, actor: Actor, organization: Organization, year: int, items: Sequence[ItemSpec] = ()
) -> FilePlan:
    person = acting_person(actor)
    _require(may_write(actor, organization), "Bạn không lập được danh mục hồ sơ của cơ quan này.")
    if not FIRST_YEAR <= int(year) <= timezone.localdate().year + 1:
        raise ValidationError({"year": ["Năm của danh mục không hợp lệ."]})
    if FilePlan.objects.filter(organization=organization, year=year).exists():
        raise ValidationError({"year": [f"{organization.short_name} đã có danh mục hồ sơ năm {year}."]})
    rows = _clean_items(organization, items)
    try:
        with transaction.atomic():
            plan = FilePlan.objects.create(organization=organization, year=year, created_by=person)
    except IntegrityError:
        raise ValidationError(
            {"year": [f"{organization.short_name} đã có danh mục hồ sơ năm {year}."]}
        ) from None
    for row in rows:
        row.plan = plan
    PlanItem.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action="file_plan.create",
        target=plan,
        organization_id=organization.pk,
        after={"year": year, "items": len(rows)},
    )
    return plan


@transaction.atomic
def plan_carry_over(*, actor: Actor, plan: FilePlan) -> FilePlan:
    """Next year's plan, a draft, from this one: every line carried with its code, title,
    retention and maker (NĐ 30: the plan is made each year, usually from the last)."""
    person = acting_person(actor)
    organization = plan.organization
    _require(may_write(actor, organization), "Bạn không lập được danh mục hồ sơ của cơ quan này.")
    year = plan.year + 1
    if FilePlan.objects.filter(organization=organization, year=year).exists():
        raise ValidationError({"year": [f"{organization.short_name} đã có danh mục hồ sơ năm {year}."]})
    try:
        with transaction.atomic():
            new = FilePlan.objects.create(
                organization=organization, year=year, based_on=plan, created_by=person
            )
    except IntegrityError:
        raise ValidationError(
            {"year": [f"{organization.short_name} đã có danh mục hồ sơ năm {year}."]}
        ) from None
    PlanItem.objects.bulk_create(
        PlanItem(
            plan=new,
            order=item.order,
            heading=item.heading,
            code=item.code,
            title=item.title,
            retention_years=item.retention_years,
            unit=item.unit if item.unit is None or item.unit.active else None,
            person=item.person if item.person is None or item.person.active else None,
            construction=item.construction,
            note=item.note,
        )
        for item in plan.items.select_related("unit", "person")
    )
    audit_record(
        actor=actor,
        action="file_plan.carry_over",
        target=new,
        organization_id=organization.pk,
        after={"year": year, "from": plan.year},
    )
    return new


@transaction.atomic
def plan_set_items(*, actor: Actor, plan: FilePlan, items: Sequence[ItemSpec]) -> FilePlan:
    """Replace a draft plan's lines (an approved plan is changed by a new draft the head approves
    again; lines already used by a record stay, with their code)."""
    plan = FilePlan.objects.select_for_update().get(pk=plan.pk)
    _require(may_write(actor, plan.organization), "Bạn không sửa được danh mục hồ sơ của cơ quan này.")
    if plan.state != PlanState.DRAFT:
        raise ValidationError({"state": ["Danh mục đã ban hành; không sửa được."]})
    rows = _clean_items(plan.organization, items)
    used = {item.code.casefold(): item for item in plan.items.filter(records__isnull=False).distinct()}
    missing = sorted(code for code in used if code not in {row.code.casefold() for row in rows})
    if missing:
        raise ValidationError(
            {
                "items": [
                    f"Hồ sơ {used[code].code} đã được mở theo danh mục; không bỏ được." for code in missing
                ]
            }
        )
    existing = {item.code.casefold(): item for item in plan.items.all()}
    keep: list[int] = []
    for row in rows:
        old = existing.get(row.code.casefold())
        if old is not None:
            for field in (
                "order",
                "heading",
                "code",
                "title",
                "retention_years",
                "unit",
                "person",
                "construction",
                "note",
            ):
                setattr(old, field, getattr(row, field))
            old.save()
            keep.append(old.pk)
        else:
            row.plan = plan
            row.save()
            keep.append(row.pk)
    plan.items.exclude(pk__in=keep).delete()
    audit_record(
        actor=actor,
        action="file_plan.change",
        target=plan,
        organization_id=plan.organization_id,
        after={"items": len(rows)},
    )
    return plan


@transaction.atomic
def plan_approve(*, actor: Actor, plan: FilePlan) -> FilePlan:
    person = acting_person(actor)
    plan = FilePlan.objects.select_for_update().select_related("organization").get(pk=plan.pk)
    _require(may_direct(actor, plan.organization), "Chỉ lãnh đạo cơ quan mới ban hành danh mục hồ sơ.")
    if plan.state == PlanState.APPROVED:
        raise ValidationError({"state": ["Danh mục đã được ban hành."]})
    if not plan.items.exists():
        raise ValidationError({"items": ["Danh mục chưa có hồ sơ nào."]})
    plan.state = PlanState.APPROVED
    plan.approved_by = person
    plan.approved_at = timezone.now()
    plan.save(update_fields=["state", "approved_by", "approved_at"])
    audit_record(actor=actor, action="file_plan.approve", target=plan, organization_id=plan.organization_id)
    return plan


# ---------------------------------------------------------------------------- records


@transaction.atomic
def record_open(
    *,
    actor: Actor,
    organization: Organization | None = None,
    plan_item: PlanItem | None = None,
    title: str = "",
    code: str = "",
    retention_years: Any = None,
    year: int | None = None,
    unit: Unit | None = None,
    creator: Person | None = None,
    start_date: dt.date | None = None,
    keywords: str = "",
    description: str = "",
    construction: bool = False,
) -> Record:
    """Open a hồ sơ from a line of the plan (its code, retention and maker by default; the
    title may be made precise) or, outside the plan, with its own code and retention."""
    person = acting_person(actor)
    errors: dict[str, list[str]] = {}
    if plan_item is not None:
        plan = plan_item.plan
        if plan.state != PlanState.APPROVED:
            raise ValidationError(
                {
                    "plan_item": [
                        f"Danh mục hồ sơ năm {plan.year} chưa được ban hành: chưa mở hồ sơ theo danh mục."
                    ]
                }
            )
        organization = plan.organization
        year = plan.year
        code = plan_item.code
        years = plan_item.retention_years
        title = " ".join((title or plan_item.title).split())
        unit = unit or plan_item.unit
        creator = creator or plan_item.person
        construction = plan_item.construction
    else:
        if organization is None:
            raise ValidationError({"organization": ["Chọn cơ quan lập hồ sơ."]})
        code = (code or "").strip()
        title = " ".join((title or "").split())
        if not code or len(code) > 20:
            errors.setdefault("code", []).append("Số và ký hiệu hồ sơ có từ 1 đến 20 ký tự.")
        years = _clean_retention(retention_years, errors)
    assert organization is not None
    _require(may_write(actor, organization), "Bạn không lập được hồ sơ của cơ quan này.")
    year = int(year or timezone.localdate().year)
    if not FIRST_YEAR <= year <= timezone.localdate().year + 1:
        errors.setdefault("year", []).append("Năm hình thành hồ sơ không hợp lệ.")
    if not title or len(title) > 500:
        errors.setdefault("title", []).append("Tiêu đề hồ sơ có từ 1 đến 500 ký tự.")
    if unit is not None and not unit_allowed(unit, organization):
        errors.setdefault("unit", []).append("Đơn vị lập hồ sơ không thuộc cơ quan này.")
    if Record.objects.filter(organization=organization, year=year, code=code).exists():
        errors.setdefault("code", []).append(f"Hồ sơ {code} năm {year} đã được mở.")
    if errors:
        raise ValidationError(errors)
    record = Record(
        organization=organization,
        plan_item=plan_item,
        year=year,
        code=code,
        title=title,
        retention_years=years,
        construction=construction,
        unit=unit,
        creator=creator or person,
        start_date=start_date or timezone.localdate(),
        keywords=(keywords or "").strip()[:500],
        description=(description or "").strip()[:500],
        created_by=person,
    )
    record.folded_text = _fold_record(record)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        raise ValidationError({"code": [f"Hồ sơ {code} năm {year} đã được mở."]}) from None
    audit_record(
        actor=actor,
        action="record.open",
        target=record,
        organization_id=organization.pk,
        after={"code": code, "year": year, "retention": retention_label(years)},
    )
    return record


def _lock_open(record: Record) -> Record:
    locked = Record.objects.select_for_update().select_related("organization").get(pk=record.pk)
    if locked.state != RecordState.OPEN:
        raise ValidationError({"state": [f"Hồ sơ {locked.code} đã {locked.get_state_display().lower()}."]})
    return locked


def _describe_document(document: Document) -> dict[str, Any]:
    entry = lookup(document.doc_type) if document.doc_type else None
    return {
        "kind": ItemKind.DOCUMENT,
        "document": document,
        "type_name": entry.name if entry else "",
        "symbol": document.symbol,
        "issued_date": document.issued_date,
        "issuer_name": document.issuer_name or (document.issuer.short_name if document.issuer else ""),
        "subject": document.subject,
        "page_count": document.page_count,
        "classification": document.classification,
    }


def _describe_meeting(meeting: Any) -> dict[str, Any]:
    return {
        "kind": ItemKind.MEETING,
        "meeting": meeting,
        "type_name": "Biên bản, tài liệu cuộc họp",
        "symbol": "",
        "issued_date": timezone.localtime(meeting.start).date(),
        "issuer_name": meeting.organization.short_name,
        "subject": meeting.title,
        "page_count": None,
        "classification": Classification.NONE,
    }


def _describe_petition(petition: Any) -> dict[str, Any]:
    return {
        "kind": ItemKind.PETITION,
        "petition": petition,
        "type_name": f"Hồ sơ xử lý đơn {petition.get_kind_display().lower()}",
        "symbol": f"{petition.number}/{petition.year}",
        "issued_date": petition.received_date,
        "issuer_name": "",
        # Only what the letter is: its content (and a denouncer's identity) stays in the petitions
        # book, read there under its own rules.
        "subject": (
            f"Hồ sơ xử lý đơn {petition.get_kind_display().lower()} số {petition.number}/{petition.year}"
            + (f", lĩnh vực {petition.field}" if petition.field else "")
            + " (nội dung tại sổ đơn thư)"
        ),
        "page_count": None,
        "classification": Classification.NONE,
    }


@transaction.atomic
def record_file(
    *,
    actor: Actor,
    record: Record,
    document: Document | None = None,
    meeting: Any = None,
    petition: Any = None,
    note: str = "",
) -> RecordItem:
    """File one thing into an open record, at the end of its index. The filer must be able to
    read it; a classified document raises the record's classification to its own."""
    person = acting_person(actor)
    if sum(x is not None for x in (document, meeting, petition)) != 1:
        raise ValidationError(
            {"document": ["Chọn một văn bản, một cuộc họp hoặc một đơn thư để đưa vào hồ sơ."]}
        )
    record = _lock_open(record)
    _require(may_write(actor, record.organization), "Bạn không cập nhật được hồ sơ này.")
    if document is not None:
        document = documents_visible_to(actor).select_related("issuer").filter(pk=document.pk).first()
        if document is None:
            raise ValidationError({"document": ["Không tìm thấy văn bản."]})
        described = _describe_document(document)
        taken = record.items.filter(document=document)
    elif meeting is not None:
        meeting = meetings_visible_to(actor).select_related("organization").filter(pk=meeting.pk).first()
        if meeting is None:
            raise ValidationError({"meeting": ["Không tìm thấy cuộc họp."]})
        described = _describe_meeting(meeting)
        taken = record.items.filter(meeting=meeting)
    else:
        petition = petitions_visible_to(actor).filter(pk=petition.pk).first()
        if petition is None:
            raise ValidationError({"petition": ["Không tìm thấy đơn thư."]})
        described = _describe_petition(petition)
        taken = record.items.filter(petition=petition)
    if taken.exists():
        raise ValidationError({"document": ["Đã có trong hồ sơ này."]})
    if record.items.count() >= MAX_ITEMS:
        raise ValidationError({"document": [f"Một hồ sơ có nhiều nhất {MAX_ITEMS} văn bản."]})
    ordinal = (record.items.aggregate(m=Max("ordinal"))["m"] or 0) + 1
    item = RecordItem(
        record=record, ordinal=ordinal, added_by=person, note=(note or "").strip()[:500], **described
    )
    item.folded_text = _fold_item(item)
    item.save()
    if item.classification > record.classification:
        record.classification = item.classification
        record.save(update_fields=["classification"])
    audit_record(
        actor=actor,
        action="record.file",
        target=record,
        organization_id=record.organization_id,
        after={"item": item.ordinal, "kind": item.kind, "symbol": item.symbol},
    )
    return item


@transaction.atomic
def record_unfile(*, actor: Actor, item: RecordItem) -> None:
    """Take an item out of an open record (a duplicate or a draft, NĐ 30 Điều 29); the index is
    renumbered and the classification recomputed."""
    record = _lock_open(item.record)
    _require(may_write(actor, record.organization), "Bạn không cập nhật được hồ sơ này.")
    item = RecordItem.objects.get(pk=item.pk, record=record)
    ordinal = item.ordinal
    item.delete()
    for n, row in enumerate(record.items.order_by("ordinal"), start=1):
        if row.ordinal != n:
            RecordItem.objects.filter(pk=row.pk).update(ordinal=n)
    top = record.items.aggregate(m=Max("classification"))["m"] or Classification.NONE
    if top != record.classification:
        record.classification = top
        record.save(update_fields=["classification"])
    audit_record(
        actor=actor,
        action="record.unfile",
        target=record,
        organization_id=record.organization_id,
        before={"item": ordinal},
    )


def _transfer_lead(record: Record) -> Any:
    if record.unit is not None and record.unit.active:
        return record.unit
    if record.creator is not None and record.creator.active:
        return record.creator
    return record.organization


@transaction.atomic
def record_close(
    *,
    actor: Actor,
    record: Record,
    end_date: dt.date | None = None,
    closing_note: str = "",
    retention_years: Any = "unchanged",
    page_total: int | None = None,
) -> Record:
    """Close a record when its matter ends (NĐ 30 Điều 29): the retention is checked again
    (it may be changed here), counted from the year it closed, and a record to be kept five
    years or more owes a transfer to the archive — a task of its unit, due a year after (three
    months for construction files)."""
    person = acting_person(actor)
    record = _lock_open(record)
    _require(may_write(actor, record.organization), "Bạn không cập nhật được hồ sơ này.")
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    end = end_date or today
    if end > today:
        errors.setdefault("end_date", []).append("Ngày kết thúc không được sau hôm nay.")
    if end < record.start_date:
        errors.setdefault("end_date", []).append("Ngày kết thúc không được trước ngày bắt đầu hồ sơ.")
    years = (
        record.retention_years
        if retention_years == "unchanged"
        else _clean_retention(retention_years, errors)
    )
    if not record.items.exists():
        errors.setdefault("items", []).append("Hồ sơ chưa có văn bản nào; không kết thúc được.")
    if page_total is not None and not 0 < int(page_total) < 1_000_000:
        errors.setdefault("page_total", []).append("Số trang không hợp lệ.")
    if errors:
        raise ValidationError(errors)
    pages = page_total
    if pages is None:
        pages = sum(item.page_count or 0 for item in record.items.all()) or None
    record.state = RecordState.CLOSED
    record.end_date = end
    record.retention_years = years
    record.closed_by = person
    record.closed_at = timezone.now()
    record.closing_note = (closing_note or "").strip()[:5000]
    record.retention_until = retention_until(end.year, years)
    record.transfer_due = transfer_due(end, years=years, construction=record.construction)
    record.page_total = pages
    if record.transfer_due is not None:
        record.transfer_task = task_create(
            actor=actor,
            organization=record.organization,
            title=f"Nộp lưu hồ sơ {record.code}: {record.title}"[:500],
            lead=_transfer_lead(record),
            content=(
                f"Nộp hồ sơ {record.code} ({record.retention_text}) vào Lưu trữ cơ quan trước ngày "
                f"{record.transfer_due:%d/%m/%Y} (Nghị định 30/2020/NĐ-CP, Điều 31)."
            ),
            due_date=record.transfer_due,
            classification=record.classification,
            source=TaskSource(
                kind=SourceKind.RECORD, label=f"Hồ sơ {record.code}/{record.year}"[:500], obj=record
            ),
            assigned_on=end if end <= today else today,
            check_access=False,
            created_by=person,
        )
    record.save()
    audit_record(
        actor=actor,
        action="record.close",
        target=record,
        organization_id=record.organization_id,
        after={
            "end_date": end.isoformat(),
            "retention": retention_label(years),
            "retention_until": record.retention_until.isoformat() if record.retention_until else None,
            "transfer_due": record.transfer_due.isoformat() if record.transfer_due else None,
        },
    )
    return record


@transaction.atomic
def record_reopen(*, actor: Actor, record: Record, reason: str) -> Record:
    """Reopen a closed record not yet in the archive (a document was missed); its transfer
    task is cancelled and given again when it closes."""
    record = Record.objects.select_for_update().select_related("organization").get(pk=record.pk)
    _require(may_write(actor, record.organization), "Bạn không cập nhật được hồ sơ này.")
    if record.state != RecordState.CLOSED:
        raise ValidationError({"state": ["Chỉ mở lại được hồ sơ đã kết thúc, chưa nộp lưu."]})
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": ["Nêu lý do mở lại hồ sơ."]})
    task = record.transfer_task
    if task is not None and task.state in OPEN_STATES:
        # The guard reads the record's state: reopened first, then the task may go.
        record.state = RecordState.OPEN
        record.save(update_fields=["state"])
        task_cancel(
            actor=actor,
            task=task,
            reason=f"Hồ sơ {record.code} được mở lại: {reason}"[:1000],
            recorded_by_source=True,
        )
    if record.transfer_id is not None:
        # On a transfer list not yet handed over (a handed-over one made it archived): off the
        # list, which the archive would otherwise receive as it stands.
        record.transfer = None
    record.state = RecordState.OPEN
    record.end_date = None
    record.closed_at = None
    record.closed_by = None
    record.retention_until = None
    record.transfer_due = None
    record.transfer_task = None
    record.save()
    audit_record(
        actor=actor,
        action="record.reopen",
        target=record,
        organization_id=record.organization_id,
        after={"reason": reason},
    )
    return record


@transaction.atomic
def record_hold(*, actor: Actor, record: Record, reason: str) -> Record:
    """A legal hold (phong tỏa: an inspection, a case in court) blocks disposal until released."""
    person = acting_person(actor)
    record = Record.objects.select_for_update().select_related("organization").get(pk=record.pk)
    _require(may_direct(actor, record.organization), "Chỉ lãnh đạo cơ quan mới phong tỏa được hồ sơ.")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": ["Nêu lý do phong tỏa hồ sơ."]})
    if record.state == RecordState.DISPOSED:
        raise ValidationError({"state": ["Hồ sơ đã hủy."]})
    record.hold_reason = reason[:500]
    record.hold_by = person
    record.save(update_fields=["hold_reason", "hold_by"])
    audit_record(
        actor=actor,
        action="record.hold",
        target=record,
        organization_id=record.organization_id,
        after={"reason": reason},
    )
    return record


@transaction.atomic
def record_release(*, actor: Actor, record: Record) -> Record:
    record = Record.objects.select_for_update().select_related("organization").get(pk=record.pk)
    _require(may_direct(actor, record.organization), "Chỉ lãnh đạo cơ quan mới gỡ phong tỏa hồ sơ.")
    if not record.hold_reason:
        raise ValidationError({"state": ["Hồ sơ không bị phong tỏa."]})
    before = record.hold_reason
    record.hold_reason = ""
    record.hold_by = None
    record.save(update_fields=["hold_reason", "hold_by"])
    audit_record(
        actor=actor,
        action="record.release",
        target=record,
        organization_id=record.organization_id,
        before={"reason": before},
    )
    return record


# ---------------------------------------------------------------------------- transfer


@transaction.atomic
def transfer_create(
    *,
    actor: Actor,
    organization: Organization,
    records: Iterable[Record],
    unit: Unit | None = None,
    note: str = "",
) -> Transfer:
    """The transfer list (mục lục hồ sơ nộp lưu): closed records of ``organization`` not yet
    in the archive nor in another list."""
    person = acting_person(actor)
    _require(may_write(actor, organization), "Bạn không lập được mục lục nộp lưu của cơ quan này.")
    ids = sorted({r.pk for r in records})
    if not ids:
        raise ValidationError({"records": ["Chọn hồ sơ nộp lưu."]})
    rows = list(
        Record.objects.select_for_update()
        .filter(pk__in=ids, organization=organization)
        .order_by("year", "code")
    )
    errors = [
        f"Hồ sơ {r.code}/{r.year} chưa kết thúc hoặc đã nộp lưu."
        for r in rows
        if r.state != RecordState.CLOSED or r.transfer_id is not None
    ]
    if len(rows) != len(ids):
        errors.append("Có hồ sơ không thuộc cơ quan này.")
    if errors:
        raise ValidationError({"records": errors})
    if unit is not None and not unit_allowed(unit, organization):
        raise ValidationError({"unit": ["Đơn vị nộp không thuộc cơ quan này."]})
    transfer = Transfer.objects.create(
        organization=organization,
        unit=unit,
        handed_by=person,
        created_by=person,
        note=(note or "").strip()[:5000],
    )
    Record.objects.filter(pk__in=ids).update(transfer=transfer)
    audit_record(
        actor=actor,
        action="transfer.create",
        target=transfer,
        organization_id=organization.pk,
        after={"records": [f"{r.code}/{r.year}" for r in rows]},
    )
    return transfer


@transaction.atomic
def transfer_hand_over(
    *, actor: Actor, transfer: Transfer, boxes: int = 0, condition: str = "", removed: Iterable[Record] = ()
) -> Transfer:
    """The archive receives the files (biên bản giao nhận): checked against the list — a file
    not received is taken off it and stays with its unit — then archived, their transfer tasks
    completed."""
    person = acting_person(actor)
    transfer = Transfer.objects.select_for_update().select_related("organization").get(pk=transfer.pk)
    _require(
        may_keep_archive(actor, transfer.organization),
        "Chỉ người làm lưu trữ của cơ quan mới nhận hồ sơ nộp lưu.",
    )
    if transfer.state != TransferState.DRAFT:
        raise ValidationError({"state": ["Đợt nộp lưu đã giao nhận xong."]})
    if not 0 <= int(boxes) <= 10_000:
        raise ValidationError({"boxes": ["Số hộp không hợp lệ."]})
    removed_ids = {r.pk for r in removed}
    if removed_ids:
        Record.objects.filter(pk__in=removed_ids, transfer=transfer).update(transfer=None)
    records = list(transfer.records.select_for_update(of=("self",)).select_related("transfer_task"))
    if not records:
        raise ValidationError({"records": ["Không còn hồ sơ nào trong đợt nộp lưu."]})
    unfit = [
        f"Hồ sơ {r.code}/{r.year} {r.get_state_display().lower()}."
        for r in records
        if r.state != RecordState.CLOSED
    ]
    if unfit:
        raise ValidationError({"records": [*unfit, "Bỏ hồ sơ đó khỏi đợt nộp lưu rồi giao nhận."]})
    now = timezone.now()
    Record.objects.filter(pk__in=[r.pk for r in records]).update(state=RecordState.ARCHIVED)
    transfer.state = TransferState.HANDED_OVER
    transfer.received_by = person
    transfer.handed_over_at = now
    transfer.boxes = int(boxes)
    transfer.condition = (condition or "").strip()[:500]
    transfer.save()
    for record in records:
        task = record.transfer_task
        if task is not None and task.state in OPEN_STATES:
            _complete_for(actor, task, f"Lưu trữ cơ quan đã nhận hồ sơ (đợt nộp lưu #{transfer.pk}).")
    audit_record(
        actor=actor,
        action="transfer.hand_over",
        target=transfer,
        organization_id=transfer.organization_id,
        after={"records": len(records), "boxes": transfer.boxes, "removed": len(removed_ids)},
    )
    return transfer


def _complete_for(actor: Actor, task: Task, text: str) -> None:
    """Complete a task this module gave when what it asked for is done here (the archive
    received the file, the loan came back), recorded by the archive's keeper."""
    for child in Task.objects.filter(parent=task, state__in=OPEN_STATES):
        # What the unit split the task into is done with it: the archive has the file.
        task_cancel(actor=actor, task=child, reason=text, recorded_by_source=True)
    task_complete(actor=actor, task=task, text=text, recorded_by_source=True)


# ---------------------------------------------------------------------------- lending


@transaction.atomic
def request_create(
    *,
    actor: Actor,
    records: Sequence[Record],
    purpose: str,
    mode: str = RequestMode.READ,
    return_due: dt.date | None = None,
) -> ArchiveRequest:
    """Phiếu yêu cầu khai thác: the requester names archived records they may read, the purpose,
    and for a loan the date they will return them."""
    person = acting_person(actor)
    ids = sorted({r.pk for r in records})
    found = list(
        records_visible_to(actor)
        .filter(pk__in=ids, state=RecordState.ARCHIVED)
        .select_related("organization")
    )
    errors: dict[str, list[str]] = {}
    if not ids or len(found) != len(ids):
        errors.setdefault("records", []).append("Chọn hồ sơ đã nộp lưu mà bạn được khai thác.")
    orgs = {r.organization_id for r in found}
    if len(orgs) > 1:
        errors.setdefault("records", []).append("Mỗi phiếu khai thác hồ sơ của một cơ quan.")
    purpose = " ".join((purpose or "").split())
    if not purpose:
        errors.setdefault("purpose", []).append("Nêu mục đích khai thác.")
    if mode not in RequestMode.values:
        errors.setdefault("mode", []).append("Hình thức khai thác không hợp lệ.")
    today = timezone.localdate()
    if mode == RequestMode.BORROW:
        if return_due is None:
            errors.setdefault("return_due", []).append("Mượn hồ sơ phải có ngày trả.")
        elif not today <= return_due <= today + dt.timedelta(days=MAX_LOAN_DAYS):
            errors.setdefault("return_due", []).append("Ngày trả từ hôm nay đến tối đa một năm.")
    else:
        return_due = None
    if errors:
        raise ValidationError(errors)
    request = ArchiveRequest.objects.create(
        organization=found[0].organization,
        requester=person,
        purpose=purpose[:500],
        mode=mode,
        return_due=return_due,
    )
    request.records.set(found)
    audit_record(
        actor=actor,
        action="archive_request.create",
        target=request,
        organization_id=request.organization_id,
        after={"records": [f"{r.code}/{r.year}" for r in found], "mode": mode},
    )
    return request


@transaction.atomic
def request_decide(*, actor: Actor, request: ArchiveRequest, approve: bool, note: str = "") -> ArchiveRequest:
    """The leaders approve or refuse; an approved loan's return becomes the borrower's task."""
    person = acting_person(actor)
    request = (
        ArchiveRequest.objects.select_for_update()
        .select_related("organization", "requester")
        .get(pk=request.pk)
    )
    _require(may_direct(actor, request.organization), "Chỉ lãnh đạo cơ quan mới duyệt phiếu khai thác hồ sơ.")
    if request.state != RequestState.PENDING:
        raise ValidationError({"state": ["Phiếu đã được xử lý."]})
    note = " ".join((note or "").split())[:500]
    if not approve and not note:
        raise ValidationError({"decision_note": ["Nêu lý do từ chối."]})
    request.state = RequestState.APPROVED if approve else RequestState.REFUSED
    request.decided_by = person
    request.decided_at = timezone.now()
    request.decision_note = note
    if approve and request.mode == RequestMode.BORROW and request.return_due is not None:
        records = list(request.records.order_by("year", "code"))
        request.return_task = task_create(
            actor=actor,
            organization=request.organization,
            title=f"Trả hồ sơ mượn: {', '.join(r.code for r in records)}"[:500],
            lead=request.requester,
            content=f"Trả hồ sơ đã mượn cho Lưu trữ cơ quan trước ngày {request.return_due:%d/%m/%Y}.",
            due_date=request.return_due,
            classification=max((r.classification for r in records), default=Classification.NONE),
            source=TaskSource(
                kind=SourceKind.RECORD, label=f"Phiếu khai thác hồ sơ #{request.pk}", obj=request
            ),
            check_access=False,
            created_by=person,
        )
    request.save()
    audit_record(
        actor=actor,
        action="archive_request.decide",
        target=request,
        organization_id=request.organization_id,
        after={"state": request.state, "note": note},
    )
    return request


@transaction.atomic
def request_return(*, actor: Actor, request: ArchiveRequest) -> ArchiveRequest:
    person = acting_person(actor)
    request = (
        ArchiveRequest.objects.select_for_update(of=("self",))
        .select_related("organization", "return_task")
        .get(pk=request.pk)
    )
    _require(
        may_keep_archive(actor, request.organization), "Chỉ người làm lưu trữ của cơ quan mới nhận lại hồ sơ."
    )
    if request.state != RequestState.APPROVED or request.mode != RequestMode.BORROW:
        raise ValidationError({"state": ["Phiếu không có hồ sơ đang cho mượn."]})
    request.state = RequestState.RETURNED
    request.returned_at = timezone.now()
    request.received_back_by = person
    request.save(update_fields=["state", "returned_at", "received_back_by"])
    task = request.return_task
    if task is not None and task.state in OPEN_STATES:
        _complete_for(actor, task, "Lưu trữ cơ quan đã nhận lại hồ sơ cho mượn.")
    audit_record(
        actor=actor, action="archive_request.return", target=request, organization_id=request.organization_id
    )
    return request


# ---------------------------------------------------------------------------- disposal


def disposal_refusal(record: Record, today: dt.date) -> str | None:
    """Why ``record`` may not be destroyed today, or None."""
    name = f"Hồ sơ {record.code}/{record.year}"
    if record.state == RecordState.DISPOSED:
        return f"{name} đã hủy."
    if record.retention_years is None:
        return f"{name} bảo quản vĩnh viễn; không bao giờ được hủy."
    if record.hold_reason:
        return f"{name} đang bị phong tỏa ({record.hold_reason}); không được hủy."
    if record.state not in (RecordState.CLOSED, RecordState.ARCHIVED) or record.retention_until is None:
        return f"{name} chưa kết thúc."
    if not record.retention_runs_out(today):
        return f"{name} chưa hết thời hạn bảo quản (đến {record.retention_until:%d/%m/%Y})."
    if record.transfer_id is not None and record.state == RecordState.CLOSED:
        return f"{name} đang trong một đợt nộp lưu chưa giao nhận."
    if record.requests.filter(state=RequestState.APPROVED, mode=RequestMode.BORROW).exists():
        return f"{name} đang được cho mượn."
    return None


def _listing_row(record: Record) -> dict[str, Any]:
    return {
        "id": record.pk,
        "file_code": record.file_code,
        "code": record.code,
        "year": record.year,
        "title": record.title,
        "retention": record.retention_text,
        "start_date": record.start_date.isoformat(),
        "end_date": record.end_date.isoformat() if record.end_date else None,
        "retention_until": record.retention_until.isoformat() if record.retention_until else None,
        "items": [
            {
                "ordinal": item.ordinal,
                "symbol": item.symbol,
                "issued_date": item.issued_date.isoformat() if item.issued_date else None,
                "subject": item.subject[:500],
                "files": [
                    {"name": f.original_name, "sha256": f.sha256, "size": f.size} for f in item.files.all()
                ],
            }
            for item in record.items.prefetch_related("files").order_by("ordinal")
        ],
    }


@transaction.atomic
def disposal_execute(
    *,
    actor: Actor,
    organization: Organization,
    records: Sequence[Record],
    decision: str,
    decided_on: dt.date | None = None,
    council: str = "",
) -> Disposal:
    """Destroy records whose retention has run out, by the decision of the head on the council's
    advice (hội đồng xác định giá trị tài liệu). Refused as a whole — nothing destroyed — when a
    record is permanent, held, lent out, not yet expired, or when no decision is given. What is
    destroyed: the archive's own copies of the items (their files) and the links to the
    registers' documents; what is kept: each record and each item's description, and the list
    with every file's name and checksum on the ``Disposal``."""
    person = acting_person(actor)
    _require(
        may_keep_archive(actor, organization), "Chỉ người làm lưu trữ của cơ quan mới thực hiện hủy tài liệu."
    )
    decision = " ".join((decision or "").split())
    errors: dict[str, list[str]] = {}
    if not decision:
        errors.setdefault("decision", []).append(
            "Hủy tài liệu phải có quyết định của người đứng đầu cơ quan (số, ngày)."
        )
    today = timezone.localdate()
    decided_on = decided_on or today
    if decided_on > today:
        errors.setdefault("decided_on", []).append("Ngày quyết định không được sau hôm nay.")
    ids = sorted({r.pk for r in records})
    rows = list(Record.objects.select_for_update().filter(pk__in=ids).select_related("organization"))
    if not ids:
        errors.setdefault("records", []).append("Chọn hồ sơ hủy.")
    if len(rows) != len(ids) or any(r.organization_id != organization.pk for r in rows):
        errors.setdefault("records", []).append("Có hồ sơ không thuộc cơ quan này.")
    for record in rows:
        refusal = disposal_refusal(record, today)
        if refusal:
            errors.setdefault("records", []).append(refusal)
    if errors:
        raise ValidationError(errors)
    listing = [_listing_row(r) for r in sorted(rows, key=lambda r: (r.year, r.code))]
    disposal = Disposal.objects.create(
        organization=organization,
        decision=decision[:300],
        decided_on=decided_on,
        council=(council or "").strip()[:5000],
        listing=listing,
        created_by=person,
    )
    files = list(RecordFile.objects.filter(item__record__in=rows))
    RecordItem.objects.filter(record__in=rows).update(document=None, meeting=None, petition=None)
    RecordFile.objects.filter(pk__in=[f.pk for f in files]).delete()
    Record.objects.filter(pk__in=ids).update(state=RecordState.DISPOSED, disposal=disposal)
    # A record destroyed before it reached the archive owes no transfer any more.
    for task in Task.objects.filter(pk__in=[r.transfer_task_id for r in rows if r.transfer_task_id]):
        if task.state in OPEN_STATES:
            task_cancel(
                actor=actor, task=task, reason=f"Hồ sơ đã hủy theo {decision}"[:1000], recorded_by_source=True
            )
    names = [f.file.name for f in files if f.file]
    if names:
        transaction.on_commit(lambda: _delete_blobs(names))
    audit_record(
        actor=actor,
        action="disposal.execute",
        target=disposal,
        organization_id=organization.pk,
        after={"decision": decision, "records": [f"{r.code}/{r.year}" for r in rows], "files": len(files)},
    )
    return disposal


def _delete_blobs(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


# ---------------------------------------------------------------------------- the engine's question


def record_task_guard(task: Task, action: str) -> str | None:
    """Before a task this module gave is completed or cancelled from the task pages: a
    transfer task closes when the archive receives the file, a return task when the loan comes
    back; neither is closed apart from them."""
    if action not in (COMPLETE, CANCEL):
        return None
    record = Record.objects.filter(transfer_task_id=task.pk).only("pk", "code", "state").first()
    if record is not None and record.state == RecordState.CLOSED:
        return TRANSFER_GUARD.format(code=record.code)
    if ArchiveRequest.objects.filter(return_task_id=task.pk, state=RequestState.APPROVED).exists():
        return RETURN_GUARD
    return None


__all__ = [
    "ItemSpec",
    "disposal_execute",
    "disposal_refusal",
    "may_direct",
    "may_keep_archive",
    "may_write",
    "plan_approve",
    "plan_carry_over",
    "plan_create",
    "plan_set_items",
    "record_close",
    "record_file",
    "record_hold",
    "record_open",
    "record_release",
    "record_reopen",
    "record_unfile",
    "request_create",
    "request_decide",
    "request_return",
    "retention_until",
    "transfer_create",
    "transfer_due",
    "transfer_hand_over",
]
