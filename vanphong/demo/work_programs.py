"""A year of the Tỉnh ủy's work programmes, carried through the programme services as the
Văn phòng would: the Ban Thường vụ's programme for the year (about forty items, each prepared
by an agency, in a leader's charge, for a month), approved by the Bí thư so that every item is a
task of the engine; the quarterly and monthly programmes with the items carried down from the
longer one and approved; the current week's programme. The months already past have their
results: most items done (their tasks reported completed and confirmed), a few moved to the next
month with the reason, one or two dropped — the results roll up to the quarter and the year.

Runs after the demo tasks (their seed wants an empty task table), like the meetings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from vanphong.orgs.models import Organization, OrgKind, Person
from vanphong.programs import services
from vanphong.programs.models import ItemState, MeetingKind, Program, ProgramItem
from vanphong.programs.services.work_programs import month_end, period_end
from vanphong.tasks import services as tasks
from vanphong.tasks.models import Outcome

# (content, which agency prepares it: a word of its name, meeting kind); three or four a month.
TOPICS = (
    (
        "Kiểm điểm công tác lãnh đạo, chỉ đạo tháng; nhiệm vụ trọng tâm tháng tới",
        "Văn phòng",
        "hop_ban_thuong_vu",
    ),
    ("Báo cáo tình hình kinh tế - xã hội, quốc phòng - an ninh", "Văn phòng", "hop_ban_thuong_vu"),
    ("Công tác cán bộ: quy hoạch, luân chuyển, bổ nhiệm theo thẩm quyền", "Tổ chức", "hop_ban_thuong_vu"),
    ("Kết quả kiểm tra, giám sát chuyên đề của Ban Thường vụ", "Kiểm tra", "hop_ban_thuong_vu"),
    (
        "Tình hình tư tưởng trong cán bộ, đảng viên và nhân dân; công tác tuyên truyền",
        "Tuyên giáo",
        "giao_ban",
    ),
    ("Công tác phòng, chống tham nhũng, lãng phí, tiêu cực", "Nội chính", "hop_ban_thuong_vu"),
    (
        "Tiến độ thực hiện Nghị quyết 57-NQ/TW về chuyển đổi số trong các cơ quan đảng",
        "Văn phòng",
        "hop_thuong_truc",
    ),
    (
        "Nghiên cứu, đề xuất chính sách phát triển nông nghiệp công nghệ cao",
        "Chính sách",
        "hop_ban_thuong_vu",
    ),
    ("Sắp xếp, kiện toàn tổ chức bộ máy các cơ quan đảng, đoàn thể", "Tổ chức", "hoi_nghi_bch"),
    ("Làm việc với Ban Thường vụ các đảng ủy trực thuộc về tình hình cơ sở", "Văn phòng", "lam_viec"),
    ("Công tác dân vận, quy chế dân chủ ở cơ sở", "Tuyên giáo", "giao_ban"),
    ("Giải quyết đơn thư khiếu nại, tố cáo liên quan đến đảng viên", "Kiểm tra", "hop_thuong_truc"),
)
# Items of a quarter or the year (the month they close): sơ kết, tổng kết, conferences.
MILESTONES = {
    3: "Sơ kết công tác xây dựng Đảng và hệ thống chính trị quý I",
    6: "Hội nghị Ban Chấp hành Đảng bộ tỉnh sơ kết 6 tháng đầu năm",
    9: "Sơ kết công tác quý III; chuẩn bị nội dung tổng kết năm",
    12: "Hội nghị Ban Chấp hành Đảng bộ tỉnh tổng kết năm, phương hướng năm sau",
}
MOVE_REASONS = (
    "Chờ ý kiến của Trung ương về nội dung liên quan",
    "Cơ quan chuẩn bị đề nghị lùi để bổ sung số liệu",
    "Trùng lịch làm việc của đoàn công tác Trung ương",
)
DROP_REASONS = (
    "Nội dung đã được lồng ghép vào báo cáo sơ kết quý",
    "Trung ương đã có hướng dẫn mới thay thế",
)


def _person(username: str) -> Person:
    return Person.objects.select_related("user").get(user__username=username)


def _agency(agencies: list[Organization], word: str, office: Organization) -> Organization:
    if word == "Văn phòng":
        return office
    return next((a for a in agencies if word.lower() in a.name.lower()), office)


def _day_in(month: dt.date, n: int, today: dt.date) -> dt.date:
    """A weekday around the middle of ``month`` (before ``today``)."""
    day = month.replace(day=min(8 + 4 * (n % 4), 28))
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return min(day, today - dt.timedelta(days=1))


def _complete(actor: Any, item: ProgramItem) -> bool:
    """Report the item's task completed on the day it was done, and confirm it (the Bí thư
    directs the whole committee, so he may do both for the demo)."""
    if item.task_id is None or item.done_on is None:
        return False
    task = item.task
    assert task is not None
    if task.outcome != Outcome.OPEN:
        return False
    try:
        done = tasks.task_complete(
            actor=actor, task=task, text="Đã trình Ban Thường vụ cho ý kiến, kết luận.", on=item.done_on
        )
        tasks.task_confirm(actor=actor, task=done)
    except (ValidationError, PermissionDenied):
        return False
    return True


def seed_work_programs(*, today: dt.date | None = None) -> dict[str, int]:
    """The Ban Thường vụ's programmes of the current year; answers counts. Everything through
    ``programs.services``, in one transaction."""
    today = today or timezone.localdate()
    year = today.year
    committee = Organization.objects.get(slug="tinhuy")
    office = Organization.objects.get(parent=committee, is_office=True)
    agencies = list(
        Organization.objects.filter(parent=committee, hosted=True, active=True, kind=OrgKind.AGENCY).order_by(
            "path"
        )
    )
    chanhvp, bithu = _person("chanhvp"), _person("bithu")
    leaders = [_person(u) for u in ("bithu", "thuongtruc", "phobithu1", "phobithu2")]
    office_actor: Any = chanhvp.user
    leader_actor: Any = bithu.user
    counts = {"programs": 0, "items": 0, "tasks": 0, "done": 0, "moved": 0, "dropped": 0, "completed": 0}

    def programme(period: str, start: dt.date, title: str) -> Program:
        end = period_end(period, start)
        assert end is not None
        counts["programs"] += 1
        return services.program_create(
            actor=office_actor,
            organization=committee,
            body="ban_thuong_vu",
            period=period,
            start=start,
            end=end,
            title=title,
        )

    with transaction.atomic():
        # The year: three items a month (four in the months closing a quarter), then approved.
        annual = programme(
            "year", dt.date(year, 1, 1), f"Chương trình công tác năm {year} của Ban Thường vụ Tỉnh ủy"
        )
        n = 0
        for month in range(1, 13):
            first = dt.date(year, month, 1)
            rows = [TOPICS[(month * 3 + k) % len(TOPICS)] for k in range(3)]
            if month in MILESTONES:
                rows.append((MILESTONES[month], "Văn phòng", "hoi_nghi_bch"))
            for content, word, kind in rows:
                services.item_add(
                    actor=office_actor,
                    program=annual,
                    content=content,
                    preparing_organization=_agency(agencies, word, office),
                    leader=leaders[n % len(leaders)],
                    planned_month=first,
                    meeting_kind=kind if kind in MeetingKind.values else "",
                )
                n += 1
        counts["items"] += n
        services.program_approve(actor=leader_actor, program=annual)

        # The quarters and the months up to the current one, with the items carried down.
        months: dict[int, Program] = {}
        last_month = today.month
        for quarter in range(1, (last_month - 1) // 3 + 2):
            q_start = dt.date(year, 3 * quarter - 2, 1)
            q_program = programme(
                "quarter", q_start, f"Chương trình công tác quý {quarter}/{year} của Ban Thường vụ"
            )
            for item in annual.items.filter(
                planned_month__gte=q_start, planned_month__lte=period_end("quarter", q_start)
            ):
                services.item_carry_down(actor=office_actor, item=item, program=q_program)
                counts["items"] += 1
            services.program_approve(actor=leader_actor, program=q_program)
            for month in range(3 * quarter - 2, min(3 * quarter, last_month) + 1):
                m_start = dt.date(year, month, 1)
                m_program = programme(
                    "month", m_start, f"Chương trình công tác tháng {month}/{year} của Ban Thường vụ"
                )
                for item in q_program.items.filter(planned_month=m_start).order_by("order"):
                    services.item_carry_down(actor=office_actor, item=item, program=m_program)
                    counts["items"] += 1
                services.program_approve(
                    actor=office_actor, program=m_program
                )  # routine: the Chánh Văn phòng
                months[month] = m_program

        # The results of the months already past, in their order: a move lands in the next month.
        moved_so_far = dropped_so_far = 0
        for month in range(1, last_month):
            m_program = months[month]
            for k, item in enumerate(m_program.items.filter(state=ItemState.PLANNED).order_by("order")):
                if month % 4 == 2 and k == 1 and moved_so_far < len(MOVE_REASONS):
                    services.item_move(
                        actor=office_actor,
                        item=item,
                        program=months[month + 1],
                        reason=MOVE_REASONS[moved_so_far],
                    )
                    moved_so_far += 1
                    counts["moved"] += 1
                    continue
                if month in (5, 10) and k == 2 and dropped_so_far < len(DROP_REASONS):
                    services.item_set_state(
                        actor=office_actor, item=item, state="dropped", reason=DROP_REASONS[dropped_so_far]
                    )
                    dropped_so_far += 1
                    counts["dropped"] += 1
                    continue
                done_on = _day_in(dt.date(year, month, 1), k, today)
                services.item_set_state(actor=office_actor, item=item, state="done", done_on=done_on)
                counts["done"] += 1
                item.refresh_from_db()
                counts["completed"] += _complete(leader_actor, item)

        # The current week: two of the month's items, and the week's own.
        monday = today - dt.timedelta(days=today.weekday())
        week = programme(
            "week",
            monday,
            f"Chương trình công tác tuần từ {monday:%d/%m} đến {monday + dt.timedelta(days=6):%d/%m/%Y} "
            "của Thường trực, Ban Thường vụ",
        )
        current = months.get(today.month)
        if current is not None and month_end(current.start) >= monday:
            for item in current.items.filter(state=ItemState.PLANNED).order_by("order")[:2]:
                services.item_carry_down(actor=office_actor, item=item, program=week)
                counts["items"] += 1
        for offset, content in (
            (0, "Giao ban Thường trực Tỉnh ủy với các ban đảng"),
            (3, "Làm việc với Ban Thường vụ Đảng ủy các xã về tình hình cơ sở"),
        ):
            services.item_add(
                actor=office_actor,
                program=week,
                content=content,
                preparing_organization=office,
                leader=leaders[offset % len(leaders)],
                planned_date=monday + dt.timedelta(days=offset),
                meeting_kind="giao_ban" if offset == 0 else "lam_viec",
            )
            counts["items"] += 1
        services.program_approve(actor=office_actor, program=week)
        counts["tasks"] = (
            ProgramItem.objects.filter(program__organization=committee, task__isnull=False)
            .values("task_id")
            .distinct()
            .count()
        )
    return counts


def summary(counts: dict[str, int]) -> str:
    return (
        f"{counts['programs']} chương trình công tác ({counts['items']} nội dung; "
        f"{counts['done']} đã thực hiện, {counts['moved']} chuyển kỳ sau, "
        f"{counts['dropped']} không thực hiện), "
        f"{counts['tasks']} nhiệm vụ theo dõi chương trình ({counts['completed']} đã hoàn thành)"
    )
