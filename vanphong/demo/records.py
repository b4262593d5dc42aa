"""The demo's records and archive (lập hồ sơ, lưu trữ), carried through the records services as
the offices would:

* every hosted organisation's file plan (danh mục hồ sơ) for last year and this year — this
  year's carried over from last year's and approved by its head — and the Tỉnh ủy's draft for
  next year;
* the Tỉnh ủy's records of this year still being made by the Văn phòng's specialists, its
  documents, meetings and petitions filed in them as the work went on;
* last year's records closed: a few already past their transfer date (their makers' transfer
  tasks overdue, and the văn thư's home lists them), the others due this month; a construction
  file closed in the spring (three months to transfer);
* older years in the agency archive: handed over with their transfer list, their contents the
  digitised paper files (descriptions only); some of them have outlived their retention and wait
  for the council's review, one is held for an inspection, and one was destroyed by a decision
  whose list is kept;
* requests to read the archive: one waiting for the Chánh Văn phòng, a loan out, one returned;
* two communes with their own records, one owing its transfer.

The services act today; the past is then written in as it happened (when a transfer was handed
over, a loan returned), as the other demo modules do."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from vanphong.core.textfold import fold
from vanphong.documents.access import documents_visible_to
from vanphong.orgs.models import Organization, Person, Role, RoleAssignment
from vanphong.petitions.selectors import petitions_visible_to
from vanphong.programs.models import Meeting
from vanphong.records import services
from vanphong.records.models import (
    ArchiveRequest,
    ItemKind,
    PlanItem,
    Record,
    RecordItem,
    Transfer,
)
from vanphong.records.services import ItemSpec
from vanphong.tasks import tally
from vanphong.tasks.models import Outcome, Task

SEED = 20261209

ITEMS = (
    ItemSpec("01.TH", "Nghị quyết, chỉ thị, kết luận của cấp ủy", None, heading="Tổng hợp"),
    ItemSpec("02.TH", "Chương trình công tác năm của cấp ủy", None, heading="Tổng hợp"),
    ItemSpec("03.TH", "Báo cáo tháng, quý về tình hình công tác xây dựng Đảng", 5, heading="Tổng hợp"),
    ItemSpec("04.TH", "Lịch công tác tuần của Thường trực", 5, heading="Tổng hợp"),
    ItemSpec("05.HN", "Hồ sơ các hội nghị Ban Chấp hành", None, heading="Hội nghị"),
    ItemSpec("06.HN", "Hồ sơ các cuộc họp Ban Thường vụ", None, heading="Hội nghị"),
    ItemSpec("07.HN", "Hồ sơ giao ban Thường trực với các ban, đơn vị", 10, heading="Hội nghị"),
    ItemSpec("08.TC", "Hồ sơ công tác cán bộ thuộc diện cấp ủy quản lý", 70, heading="Tổ chức, cán bộ"),
    ItemSpec("09.HC", "Sổ đăng ký văn bản đến, văn bản đi", 20, heading="Hành chính, quản trị"),
    ItemSpec(
        "10.HC",
        "Hồ sơ sửa chữa, cải tạo trụ sở làm việc",
        20,
        heading="Hành chính, quản trị",
        construction=True,
    ),
    ItemSpec("11.HC", "Tập lưu văn bản đi của cấp ủy", 50, heading="Hành chính, quản trị"),
    ItemSpec("12.DT", "Hồ sơ giải quyết đơn thư khiếu nại, tố cáo", 15, heading="Tiếp công dân, đơn thư"),
)

# Older years: the digitised paper files, described item by item (symbols of their time).
OLD_SUBJECTS = (
    ("NQ", "Nghị quyết", "về phương hướng, nhiệm vụ năm"),
    ("BC", "Báo cáo", "kết quả thực hiện nhiệm vụ chính trị quý"),
    ("CT", "Chương trình", "công tác toàn khóa"),
    ("TB", "Thông báo", "kết luận của Thường trực về công tác cán bộ"),
    ("KH", "Kế hoạch", "kiểm tra, giám sát năm"),
)


def _user(username: str) -> Any:
    return Person.objects.select_related("user").get(user__username=username).user


def _makers(organization: Organization) -> tuple[Any, Any] | None:
    """Who drafts an organisation's plan (WRITE) and who approves it (its head), among its people."""
    roles = list(
        RoleAssignment.objects.current()
        .filter(organization=organization, person__active=True, person__user__isnull=False)
        .select_related("person__user")
        .order_by("pk")
    )
    writer = next((r.person.user for r in roles if r.role in (Role.VAN_THU, Role.CHUYEN_VIEN)), None)
    head = next(
        (r.person.user for r in roles if r.role in (Role.LANH_DAO_CAP_UY, Role.LANH_DAO_VAN_PHONG)), None
    )
    if writer is None or head is None:
        return None
    return writer, head


def _plans(organization: Organization, writer: Any, head: Any, year: int) -> Any:
    last = services.plan_create(actor=writer, organization=organization, year=year - 1, items=ITEMS)
    services.plan_approve(actor=head, plan=last)
    this = services.plan_carry_over(actor=writer, plan=last)
    return services.plan_approve(actor=head, plan=this)


def _old_record(
    tinhuy: Organization,
    maker: Any,
    code: str,
    title: str,
    year: int,
    retention: int | None,
    rng: random.Random,
) -> Record:
    """A file of ``year`` from the paper archive: opened and closed in its year, its documents
    described (the digitised paper file), then written back as it was."""
    record = services.record_open(
        actor=maker,
        organization=tinhuy,
        code=code,
        title=title,
        retention_years="vinh_vien" if retention is None else retention,
        year=year,
        start_date=dt.date(year, 1, 5),
    )
    for n in range(1, rng.randint(4, 9)):
        abbr, type_name, words = OLD_SUBJECTS[rng.randrange(len(OLD_SUBJECTS))]
        symbol = f"{rng.randint(10, 320)}-{abbr}/TU"
        subject = f"{type_name} {words} {year}"
        RecordItem.objects.create(
            record=record,
            ordinal=n,
            kind=ItemKind.ARCHIVED,
            type_name=type_name,
            symbol=symbol,
            issued_date=dt.date(year, rng.randint(1, 12), rng.randint(1, 28)),
            issuer_name="Tỉnh ủy Lâm Đồng",
            subject=subject,
            page_count=rng.randint(2, 24),
            folded_text=fold(f"{symbol} {type_name} Tỉnh ủy Lâm Đồng {subject}"),
        )
    return record


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


def _handed_on(transfer: Transfer, handed: dt.datetime) -> None:
    """Write the history: the transfer handed over on ``handed``, its records' transfer tasks
    completed that day (on time: the paper files went to the archive within the year)."""
    Transfer.objects.filter(pk=transfer.pk).update(handed_over_at=handed, created_at=handed)
    day = timezone.localdate(handed)
    for task in Task.objects.filter(pk__in=transfer.records.values("transfer_task")):
        before = tally.bucket(task)
        task.completed_on = max(day, task.assigned_on)
        task.completed_at = handed
        task.outcome = (
            Outcome.LATE if task.effective_due and task.completed_on > task.effective_due else Outcome.ON_TIME
        )
        task.save(update_fields=["completed_on", "completed_at", "outcome"])
        tally.move(before, tally.bucket(task))


@transaction.atomic
def seed_records(*, today: dt.date | None = None) -> dict[str, int]:
    """The plans, records, transfers, requests and the disposal; answers counts."""
    today = today or timezone.localdate()
    rng = random.Random(SEED)  # noqa: S311 (demo data)
    year = today.year
    tinhuy = Organization.objects.get(slug="tinhuy")
    clerk = _user("vanthu")
    chief = _user("chanhvp")
    makers = [_user("chuyenvien"), _user("cv.th")]
    counts = {"plans": 0, "records": 0, "open": 0, "closed": 0, "archived": 0, "expired": 0, "requests": 0}

    plans: dict[int, Any] = {}
    for organization in Organization.objects.filter(hosted=True, active=True, dissolved_on__isnull=True):
        people = _makers(organization)
        if organization.pk == tinhuy.pk:
            people = (makers[0], chief)
        if people is None:
            continue
        plans[organization.pk] = _plans(organization, *people, year)
        counts["plans"] += 2
    services.plan_carry_over(actor=makers[0], plan=plans[tinhuy.pk])  # next year's, a draft
    counts["plans"] += 1

    # This year's files, still being made, filled as the work went on.
    this_year = plans[tinhuy.pk]
    documents = list(
        documents_visible_to(clerk)
        .filter(organization=tinhuy, issued_date__year=year)
        .exclude(symbol="")
        .order_by("issued_date", "pk")
        .only("pk")
    )
    rng.shuffle(documents)
    meetings = list(
        Meeting.objects.filter(organization=tinhuy, start__year=year, state="held").order_by("start")[:4]
    )
    petitions = list(petitions_visible_to(clerk).filter(organization=tinhuy, year=year, state="resolved")[:3])
    for index, code in enumerate(("01.TH", "02.TH", "03.TH", "06.HN", "12.DT")):
        maker = makers[index % len(makers)]
        record = services.record_open(
            actor=maker, plan_item=this_year.items.get(code=code), start_date=dt.date(year, 1, 2)
        )
        if code == "06.HN":
            for meeting in meetings:
                services.record_file(actor=clerk, record=record, meeting=meeting)
        elif code == "12.DT":
            for petition in petitions:
                services.record_file(actor=clerk, record=record, petition=petition)
        for _ in range(rng.randint(3, 7) if code != "12.DT" else 1):
            if documents:
                services.record_file(actor=clerk, record=record, document=documents.pop())
        counts["open"] += 1

    # A construction file of this year, closed in the spring: three months to hand it over.
    repair = services.record_open(
        actor=_user("cv.tcqt"),
        plan_item=this_year.items.get(code="10.HC"),
        start_date=dt.date(year, 1, 2),
    )
    if documents:
        services.record_file(actor=clerk, record=repair, document=documents.pop())
    else:  # a demo without documents: the paper decision, described
        RecordItem.objects.create(
            record=repair,
            ordinal=1,
            kind=ItemKind.ARCHIVED,
            type_name="Quyết định",
            symbol="215-QĐ/VPTU",
            issued_date=min(dt.date(year, 4, 20), today),
            issuer_name="Văn phòng Tỉnh ủy",
            subject="Quyết định phê duyệt quyết toán công trình sửa chữa trụ sở",
            page_count=3,
            folded_text=fold("215-QĐ/VPTU Quyết định Văn phòng Tỉnh ủy phê duyệt quyết toán sửa chữa trụ sở"),
        )
    services.record_close(
        actor=makers[0],
        record=repair,
        end_date=min(dt.date(year, 4, 28), today),
        closing_note="Đã quyết toán.",
    )
    counts["closed"] += 1

    # Last year's files: closed; a few past their transfer date, the others due this month.
    last_year = PlanItem.objects.filter(plan__organization=tinhuy, plan__year=year - 1)
    for index, code in enumerate(("01.TH", "02.TH", "05.HN", "07.HN", "11.HC")):
        maker = makers[index % len(makers)]
        record = services.record_open(
            actor=maker, plan_item=last_year.get(code=code), start_date=dt.date(year - 1, 1, 2)
        )
        for n in range(rng.randint(3, 6)):
            RecordItem.objects.create(
                record=record,
                ordinal=n + 1,
                kind=ItemKind.ARCHIVED,
                type_name="Báo cáo",
                symbol=f"{rng.randint(100, 400)}-BC/TU",
                issued_date=dt.date(year - 1, rng.randint(1, 11), rng.randint(1, 28)),
                issuer_name="Tỉnh ủy Lâm Đồng",
                subject=f"Báo cáo {record.title.lower()} năm {year - 1}",
                page_count=rng.randint(2, 12),
                folded_text=fold(f"Báo cáo Tỉnh ủy Lâm Đồng {record.title} {year - 1}"),
            )
        late = index < 2
        end = (
            today - dt.timedelta(days=365 + 20 + index)
            if late
            else today - dt.timedelta(days=365 - 10 - index)
        )
        services.record_close(actor=maker, record=record, end_date=max(end, dt.date(year - 1, 1, 2)))
        counts["closed"] += 1

    # Older years: handed to the archive, two transfers a year apart.
    archived: list[Record] = []
    for back, codes in ((2, ("01.TH", "02.TH", "05.HN", "06.HN", "08.TC")), (3, ("01.TH", "03.TH", "06.HN"))):
        old_year = year - back
        batch = [
            _old_record(
                tinhuy, makers[0], code, f"{item.title} năm {old_year}", old_year, item.retention_years, rng
            )
            for code in codes
            for item in (next(i for i in ITEMS if i.code == code),)
        ]
        for record in batch:
            services.record_close(actor=makers[0], record=record, end_date=dt.date(old_year, 12, 28))
        transfer = services.transfer_create(actor=makers[0], organization=tinhuy, records=batch)
        services.transfer_hand_over(
            actor=clerk, transfer=transfer, boxes=len(batch) // 2 + 1, condition="Tài liệu đầy đủ, còn tốt."
        )
        handed = _at(dt.date(old_year + 1, 10, 15))
        _handed_on(transfer, handed)
        archived += batch
    counts["archived"] = len(archived)

    # Files that outlived their retention: waiting for the council, one held, one destroyed.
    for code, title, old_year, retention in (
        ("03.TH", "Báo cáo tháng, quý năm", 2012, 5),
        ("04.TH", "Lịch công tác tuần của Thường trực năm", 2013, 5),
        ("07.HN", "Hồ sơ giao ban năm", 2010, 10),
        ("03.TH", "Báo cáo tháng, quý năm", 2011, 5),
    ):
        record = _old_record(tinhuy, makers[1], code, f"{title} {old_year}", old_year, retention, rng)
        services.record_close(actor=makers[1], record=record, end_date=dt.date(old_year, 12, 28))
        transfer = services.transfer_create(actor=makers[1], organization=tinhuy, records=[record])
        services.transfer_hand_over(actor=clerk, transfer=transfer, boxes=1, condition="Tài liệu còn tốt.")
        _handed_on(transfer, _at(dt.date(old_year + 1, 9, 20)))
        counts["expired"] += 1
        if old_year == 2010:
            services.record_hold(
                actor=chief,
                record=record,
                reason="Đoàn kiểm tra của Trung ương đang xác minh vụ việc liên quan.",
            )
        if old_year == 2011:
            services.disposal_execute(
                actor=clerk,
                organization=tinhuy,
                records=[record],
                decision=f"Quyết định số 45-QĐ/TU ngày 20/11/{year - 1} của Ban Thường vụ Tỉnh ủy",
                decided_on=dt.date(year - 1, 11, 20),
                council="Hội đồng xác định giá trị tài liệu Văn phòng Tỉnh ủy (Chánh Văn phòng chủ tịch, "
                "Trưởng phòng Hành chính - Lưu trữ, chuyên viên lưu trữ, đại diện Phòng Tổng hợp).",
            )
            counts["expired"] -= 1

    # Reading the archive.
    reader = makers[1]
    pending = services.request_create(
        actor=reader,
        records=[archived[0], archived[1]],
        purpose="Tổng hợp số liệu xây dựng báo cáo tổng kết nhiệm kỳ",
        mode="read",
    )
    loan = services.request_create(
        actor=makers[0],
        records=[archived[2]],
        purpose="Nghiên cứu phục vụ chuẩn bị Hội nghị Ban Chấp hành cuối năm",
        mode="borrow",
        return_due=today + dt.timedelta(days=6),
    )
    services.request_decide(actor=chief, request=loan, approve=True, note="Đồng ý cho mượn.")
    returned = services.request_create(
        actor=reader,
        records=[archived[3]],
        purpose="Thẩm định hồ sơ cán bộ phục vụ công tác quy hoạch",
        mode="borrow",
        return_due=today + dt.timedelta(days=3),
    )
    services.request_decide(actor=chief, request=returned, approve=True)
    services.request_return(actor=clerk, request=returned)
    counts["requests"] = ArchiveRequest.objects.filter(pk__in=[pending.pk, loan.pk, returned.pk]).count()

    # Two communes: this year's file being made, last year's owing its transfer.
    for slug in ("phuquy", "lacduong"):
        commune = Organization.objects.filter(slug=slug).first()
        if commune is None or commune.pk not in plans:
            continue
        writer = _user(f"vanthu.{slug}")
        plan = plans[commune.pk]
        record = services.record_open(
            actor=writer, plan_item=plan.items.get(code="01.TH"), start_date=dt.date(year, 1, 2)
        )
        for document in documents_visible_to(writer).filter(organization=commune).order_by("-pk")[:3]:
            services.record_file(actor=writer, record=record, document=document)
        old = services.record_open(
            actor=writer,
            plan_item=PlanItem.objects.get(plan__organization=commune, plan__year=year - 1, code="03.TH"),
            start_date=dt.date(year - 1, 1, 2),
        )
        RecordItem.objects.create(
            record=old,
            ordinal=1,
            kind=ItemKind.ARCHIVED,
            type_name="Báo cáo",
            symbol=f"12-BC/ĐU{commune.abbreviation or ''}"[:100],
            issued_date=dt.date(year - 1, 12, 15),
            issuer_name=commune.short_name,
            subject=f"Báo cáo công tác xây dựng Đảng năm {year - 1}",
            page_count=6,
            folded_text=fold(f"Báo cáo công tác xây dựng Đảng năm {year - 1} {commune.short_name}"),
        )
        services.record_close(actor=writer, record=old, end_date=today - dt.timedelta(days=370))
        counts["closed"] += 1
        counts["open"] += 1

    counts["records"] = Record.objects.count()
    return counts


def summary(counts: dict[str, int]) -> str:
    return (
        f"{counts['plans']} danh mục hồ sơ, {counts['records']} hồ sơ ({counts['open']} đang lập, "
        f"{counts['closed']} đã kết thúc chờ nộp lưu, {counts['archived']} trong kho lưu trữ, "
        f"{counts['expired']} hết thời hạn bảo quản), {counts['requests']} phiếu khai thác"
    )
