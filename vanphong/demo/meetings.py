"""The Tỉnh ủy's meetings of the past year and the next two weeks — about 190, as the seeds
count them ("gần 190 hội nghị, cuộc họp") — carried through the meeting services as the Văn
phòng would: the rooms of the Văn phòng; every week the Thường trực's briefing with the Party
agencies (Monday) and its own meeting (Tuesday afternoon), on Thursdays the Ban Thường vụ one
week and a working visit to a Đảng ủy the next, every other Friday the Văn phòng's briefing,
and a conference of the Ban Chấp hành each quarter; agenda items with documents of the Tỉnh
ủy's books. The meetings already held have their attendance, minutes and conclusions; each
conclusion naming a committee or an agency to lead it becomes a task of the engine, given on
the meeting's day, and is then played out by the tasks demo's story to the state its dates
call for (done on time or late, extended, returned, overdue, still open), so the meeting pages,
the task list and the dashboards show tasks in every state. The last weeks' meetings of the
Ban Thường vụ have their Thông báo kết luận drafted.

Runs after the demo tasks (their seed wants an empty task table) and the documents."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from vanphong.demo.tasks.cast import Cast
from vanphong.demo.tasks.story import Story
from vanphong.documents.access import documents_visible_to
from vanphong.orgs.models import Organization, OrgKind, Person
from vanphong.programs import services
from vanphong.programs.models import Attendance, ItemState, Meeting, MeetingKind, ProgramItem, Room
from vanphong.tasks.calendar import WorkCalendar, due_soon_until
from vanphong.tasks.models import Task

ROOMS = (
    ("Phòng họp Ban Thường vụ", 35, "Màn hình, hệ thống âm thanh, họp trực tuyến"),
    ("Hội trường Tỉnh ủy", 350, "Sân khấu, máy chiếu, hệ thống âm thanh"),
    ("Phòng họp số 2", 20, "Màn hình"),
)
BTV_ROOM, HALL, SMALL_ROOM = range(3)

AGENDA = (
    "Báo cáo tình hình kinh tế - xã hội, quốc phòng - an ninh",
    "Tiến độ thực hiện Nghị quyết 57-NQ/TW về chuyển đổi số",
    "Công tác cán bộ, kiện toàn tổ chức bộ máy",
    "Chuẩn bị nội dung hội nghị Ban Chấp hành",
    "Kết quả giải quyết đơn thư, tiếp công dân",
    "Công tác kiểm tra, giám sát của cấp ủy",
)

CONCLUSIONS = (
    "Xây dựng kế hoạch triển khai chuyển đổi số trong các cơ quan đảng, báo cáo Thường trực Tỉnh ủy",
    "Rà soát, đánh giá tình hình thực hiện các chỉ tiêu nghị quyết đại hội, đề xuất giải pháp",
    "Tổ chức kiểm tra, giám sát việc thực hiện quy chế dân chủ ở cơ sở",
    "Chuẩn bị báo cáo sơ kết công tác xây dựng Đảng quý này",
    "Hoàn thiện đề án sắp xếp, kiện toàn tổ chức bộ máy, trình Ban Thường vụ",
    "Giải quyết dứt điểm các vụ việc khiếu nại kéo dài, báo cáo kết quả",
    "Đôn đốc các cấp ủy trực thuộc hoàn thành chỉ tiêu kết nạp đảng viên",
)
AGREED = "Thống nhất thông qua các nội dung theo chương trình."

WEEKS_BACK = 52
WEEKS_AHEAD = 2
NOTICE_DAYS = 35  # the Ban Thường vụ's meetings of the last five weeks have their notice drafted
OLD_DAYS = 120  # conclusions older than this were settled long since


def _person(username: str) -> Person:
    return Person.objects.select_related("user").get(user__username=username)


def _week_plan(week: int, monday: dt.date) -> list[tuple[int, int, int, str, str, int]]:
    """(weekday, hour, hours, kind, title, room) of the meetings of one week."""
    plan: list[tuple[int, int, int, str, str, int]] = [
        (0, 8, 2, MeetingKind.GIAO_BAN, "Giao ban Thường trực Tỉnh ủy với các ban đảng", BTV_ROOM),
        (1, 14, 3, MeetingKind.HOP_THUONG_TRUC, "Họp Thường trực Tỉnh ủy", BTV_ROOM),
    ]
    if week % 2 == 0:
        plan.append((3, 8, 3, MeetingKind.HOP_BAN_THUONG_VU, "Họp Ban Thường vụ Tỉnh ủy thường kỳ", BTV_ROOM))
        plan.append((4, 14, 2, MeetingKind.GIAO_BAN, "Giao ban công tác Văn phòng Tỉnh ủy", SMALL_ROOM))
    else:
        plan.append((3, 8, 3, MeetingKind.LAM_VIEC, "Làm việc với Ban Thường vụ Đảng ủy", SMALL_ROOM))
    if monday.month in (1, 4, 7, 10) and monday.day <= 7:  # the first week of a quarter
        plan.append((2, 7, 10, MeetingKind.HOI_NGHI_BCH, "Hội nghị Ban Chấp hành Đảng bộ tỉnh", HALL))
    return plan


def plan(
    today: dt.date, calendar: WorkCalendar, *, weeks_back: int = WEEKS_BACK
) -> list[tuple[int, dt.date, int, int, str, str, int]]:
    """(week, day, hour, hours, kind, title, room) of every meeting from ``weeks_back`` weeks
    before this one to the end of the next two, on working days only."""
    this_monday = today - dt.timedelta(days=today.weekday())
    slots = []
    for week in range(-weeks_back, WEEKS_AHEAD):
        monday = this_monday + dt.timedelta(weeks=week)
        for weekday, hour, hours, kind, title, room in _week_plan(week, monday):
            day = monday + dt.timedelta(days=weekday)
            if calendar.is_working_day(day):
                slots.append((week, day, hour, hours, kind, title, room))
    return slots


def seed_meetings(
    *, today: dt.date | None = None, seed: int = 2026, weeks_back: int = WEEKS_BACK
) -> dict[str, int]:
    """Rooms, meetings, agenda, attendance, minutes, conclusions (tasks, played out) and
    notices of the ``weeks_back`` weeks before this one and the next two; answers counts.
    Everything through the services, in one transaction."""
    today = today or timezone.localdate()
    committee = Organization.objects.get(slug="tinhuy")
    office = Organization.objects.get(parent=committee, is_office=True)
    chanhvp, bithu, thuongtruc = _person("chanhvp"), _person("bithu"), _person("thuongtruc")
    staff = [_person(u) for u in ("chuyenvien", "truongphong.th", "vanthu")]
    actor: Any = chanhvp.user
    leads = list(
        Organization.objects.filter(parent=committee, hosted=True, active=True)
        .filter(kind__in=[OrgKind.COMMITTEE, OrgKind.AGENCY])
        .order_by("path")
    )
    communes = [o for o in leads if o.kind == OrgKind.COMMITTEE] or leads
    documents = list(
        documents_visible_to(actor).filter(organization=committee).order_by("-issued_date", "-pk")[:60]
    )
    calendar = WorkCalendar.load()
    rng = random.Random(seed)  # noqa: S311 (demo data)
    story = Story(
        cast=Cast.load(), today=today, rng=rng, calendar=calendar, soon_until=due_soon_until(calendar, today)
    )
    # The week programmes' items a meeting takes up: one planned for that day, of its kind.
    agenda_items = {
        (item.planned_date, item.meeting_kind): item
        for item in ProgramItem.objects.filter(
            program__organization=committee, state=ItemState.PLANNED, planned_date__isnull=False
        ).order_by("program__start", "-order")  # the shortest programme's item, written last, wins
    }
    counts = {"rooms": 0, "meetings": 0, "held": 0, "agenda": 0, "conclusions": 0, "tasks": 0, "notices": 0}
    tz = timezone.get_current_timezone()
    with transaction.atomic():
        rooms: list[Room] = []
        for name, capacity, equipment in ROOMS:
            rooms.append(
                services.room_create(
                    actor=None, organization=office, name=name, capacity=capacity, equipment=equipment
                )
            )
            counts["rooms"] += 1
        for _week, day, hour, hours, kind, title, room in plan(today, calendar, weeks_back=weeks_back):
            n = counts["meetings"]
            visited = communes[n % len(communes)] if communes else None
            if kind == MeetingKind.LAM_VIEC and visited is not None:
                title = f"{title} {visited.short_name or visited.name}"
            start = dt.datetime.combine(day, dt.time(hour, 0), tzinfo=tz)
            chair = chanhvp if title.startswith("Giao ban công tác Văn phòng") else (bithu, thuongtruc)[n % 2]
            meeting = services.meeting_create(
                actor=actor,
                organization=committee,
                title=title,
                kind=kind,
                start=start,
                end=start + dt.timedelta(hours=hours),
                room=rooms[room],
                chair=chair,
                participants=[p for p in (bithu, thuongtruc, chanhvp, *staff) if p != chair],
                program_item=agenda_items.pop((day, kind), None),
            ).meeting
            counts["meetings"] += 1
            for k in range(1 + n % 2):
                pack = documents[(2 * n + k) % len(documents) :][:2] if documents else []
                services.agenda_item_add(
                    actor=actor, meeting=meeting, title=AGENDA[(n + k) % len(AGENDA)], documents=pack
                )
                counts["agenda"] += 1
            if day >= today:
                continue
            _hold(actor, meeting, chair, chanhvp, staff[n % len(staff)], day)
            counts["held"] += 1
            if kind == MeetingKind.GIAO_BAN:
                services.conclusion_add(actor=actor, meeting=meeting, text=AGREED)
                counts["conclusions"] += 1
                continue
            for k in range(2):
                lead = (visited if kind == MeetingKind.LAM_VIEC and k == 0 else None) or (
                    leads[(n + k) % len(leads)] if leads else None
                )
                conclusion = services.conclusion_add(
                    actor=actor,
                    meeting=meeting,
                    text=CONCLUSIONS[(n + k) % len(CONCLUSIONS)],
                    lead=lead,
                    cooperating=[office] if lead is not None and lead != office else [],
                    due_date=day + dt.timedelta(days=rng.choice((15, 30, 30, 45, 60, 90)))
                    if lead is not None
                    else None,
                )
                counts["conclusions"] += 1
                if conclusion.task_id is not None:
                    story.play(Task.objects.get(pk=conclusion.task_id), _settled(rng, day, today))
                    counts["tasks"] += 1
            services.conclusion_add(actor=actor, meeting=meeting, text=AGREED)
            counts["conclusions"] += 1
            if kind == MeetingKind.HOP_BAN_THUONG_VU and (today - day).days <= NOTICE_DAYS:
                services.notice_draft(actor=actor, meeting=meeting, signer=chair)
                counts["notices"] += 1
    return counts


def _settled(rng: random.Random, day: dt.date, today: dt.date) -> str | None:
    """The fate of a conclusion's task: one from a meeting of more than four months ago was
    settled long since (done, mostly on time); a recent one's follows its dates (the story's
    own draw, overdue included)."""
    if (today - day).days <= OLD_DAYS:
        return None
    return rng.choices(("on_time", "late", "extend_done", "return_done", "cancel"), (70, 18, 6, 3, 3))[0]


def _hold(actor: Any, meeting: Meeting, chair: Person, present: Person, away: Person, day: dt.date) -> None:
    """Attendance and minutes of a meeting that took place."""
    if present != chair:
        services.attendance_set(actor=actor, meeting=meeting, person=present, attendance=Attendance.PRESENT)
    if away != chair:
        services.attendance_set(
            actor=actor,
            meeting=meeting,
            person=away,
            attendance=Attendance.EXCUSED,
            reason="Đi công tác cơ sở",
        )
    services.minutes_record(
        actor=actor,
        meeting=meeting,
        minutes=(
            f"{meeting.title}, ngày {day:%d/%m/%Y}. Đồng chí {chair.full_name} chủ trì. "
            "Hội nghị nghe báo cáo, thảo luận và thống nhất các nội dung theo chương trình."
        ),
    )


def summary(counts: dict[str, int]) -> str:
    return (
        f"{counts['rooms']} phòng họp, {counts['meetings']} cuộc họp ({counts['held']} đã họp, "
        f"{counts['agenda']} nội dung), {counts['conclusions']} kết luận, {counts['tasks']} nhiệm vụ từ "
        f"kết luận, {counts['notices']} dự thảo thông báo kết luận"
    )
