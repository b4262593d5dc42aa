"""The Tỉnh ủy's meetings of the last five weeks and the next two, carried through the meeting
services as the Văn phòng would: the rooms of the Văn phòng, meetings of every kind chaired by
the Bí thư or the Phó Bí thư Thường trực, agenda items with documents of the Tỉnh ủy's books, and
for the meetings already held their attendance, minutes and conclusions — each conclusion
naming a committee or an agency to lead it becomes a task of the engine, so the demo leaders
see them on the meeting pages, the task list and the dashboards. A few held meetings have their
Thông báo kết luận drafted.

Runs after the demo tasks (their seed wants an empty task table) and the documents."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from vanphong.documents.access import documents_visible_to
from vanphong.orgs.models import Organization, OrgKind, Person
from vanphong.programs import services
from vanphong.programs.models import Attendance, MeetingKind, Room

ROOMS = (
    ("Phòng họp Ban Thường vụ", 35, "Màn hình, hệ thống âm thanh, họp trực tuyến"),
    ("Hội trường Tỉnh ủy", 350, "Sân khấu, máy chiếu, hệ thống âm thanh"),
    ("Phòng họp số 2", 20, "Màn hình"),
)

# (kind, title); the topics rotate over the meetings.
TOPICS = (
    (MeetingKind.HOP_BAN_THUONG_VU, "Họp Ban Thường vụ Tỉnh ủy thường kỳ"),
    (MeetingKind.GIAO_BAN, "Giao ban Thường trực Tỉnh ủy với các ban đảng"),
    (MeetingKind.HOP_THUONG_TRUC, "Họp Thường trực Tỉnh ủy"),
    (MeetingKind.LAM_VIEC, "Làm việc với Ban Thường vụ Đảng ủy về tình hình cơ sở"),
    (MeetingKind.HOI_NGHI_BCH, "Hội nghị Ban Chấp hành Đảng bộ tỉnh"),
    (MeetingKind.GIAO_BAN, "Giao ban công tác Văn phòng"),
)

AGENDA = (
    "Báo cáo tình hình kinh tế - xã hội, quốc phòng - an ninh",
    "Tiến độ thực hiện Nghị quyết 57-NQ/TW về chuyển đổi số",
    "Công tác cán bộ, kiện toàn tổ chức bộ máy",
    "Chuẩn bị nội dung hội nghị Ban Chấp hành",
)

CONCLUSIONS = (
    "Xây dựng kế hoạch triển khai chuyển đổi số trong các cơ quan đảng, báo cáo Thường trực Tỉnh ủy",
    "Rà soát, đánh giá tình hình thực hiện các chỉ tiêu nghị quyết đại hội, đề xuất giải pháp",
    "Tổ chức kiểm tra, giám sát việc thực hiện quy chế dân chủ ở cơ sở",
    "Chuẩn bị báo cáo sơ kết công tác xây dựng Đảng quý này",
    "Hoàn thiện đề án sắp xếp, kiện toàn tổ chức bộ máy, trình Ban Thường vụ",
)

MEETINGS = 30  # two a working day, morning and afternoon
PAST_DAYS = 11  # working days before today with meetings (held); the others are to come


def _working_days(start: dt.date, count: int) -> list[dt.date]:
    days: list[dt.date] = []
    day = start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _person(username: str) -> Person:
    return Person.objects.select_related("user").get(user__username=username)


def seed_meetings(*, today: dt.date | None = None) -> dict[str, int]:
    """Rooms, meetings, agenda, attendance, minutes, conclusions (tasks) and notices; answers
    counts. Everything through ``programs.services``, in one transaction."""
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
    documents = list(
        documents_visible_to(actor).filter(organization=committee).order_by("-issued_date", "-pk")[:60]
    )
    counts = {"rooms": 0, "meetings": 0, "agenda": 0, "conclusions": 0, "tasks": 0, "notices": 0}
    tz = timezone.get_current_timezone()
    # Two meetings a working day: the last PAST_DAYS working days before today, then from today on.
    first = today - dt.timedelta(days=PAST_DAYS * 7 // 5 + 7)
    past = [d for d in _working_days(first, PAST_DAYS + 10) if d < today][-PAST_DAYS:]
    days = past + _working_days(today, (MEETINGS + 1) // 2 - len(past))
    with transaction.atomic():
        rooms: list[Room] = []
        for name, capacity, equipment in ROOMS:
            rooms.append(
                services.room_create(
                    actor=None, organization=office, name=name, capacity=capacity, equipment=equipment
                )
            )
            counts["rooms"] += 1
        for i in range(MEETINGS):
            day = days[i // 2]
            hour, length = (8, 2) if i % 2 == 0 else (14, 3)
            kind, title = TOPICS[i % len(TOPICS)]
            start = dt.datetime.combine(day, dt.time(hour, 0), tzinfo=tz)
            chair = bithu if i % 3 else thuongtruc
            booked = services.meeting_create(
                actor=actor,
                organization=committee,
                title=title,
                kind=kind,
                start=start,
                end=start + dt.timedelta(hours=length),
                room=rooms[i % len(rooms)],
                chair=chair,
                participants=[p for p in (bithu, thuongtruc, chanhvp, *staff) if p != chair],
            )
            meeting = booked.meeting
            counts["meetings"] += 1
            for n in range(1 + i % 2):
                pack = documents[(2 * i + n) % len(documents) :][:2] if documents else []
                services.agenda_item_add(
                    actor=actor, meeting=meeting, title=AGENDA[(i + n) % len(AGENDA)], documents=pack
                )
                counts["agenda"] += 1
            if day >= today:
                continue
            services.attendance_set(
                actor=actor, meeting=meeting, person=chanhvp, attendance=Attendance.PRESENT
            )
            absent = staff[i % len(staff)]
            services.attendance_set(
                actor=actor,
                meeting=meeting,
                person=absent,
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
            for n in range(2):
                lead = leads[(i + n) % len(leads)] if leads else None
                services.conclusion_add(
                    actor=actor,
                    meeting=meeting,
                    text=CONCLUSIONS[(i + n) % len(CONCLUSIONS)],
                    lead=lead,
                    cooperating=[office] if lead is not None and lead != office else [],
                    due_date=today + dt.timedelta(days=7 + 5 * ((i + n) % 10)) if lead is not None else None,
                )
                counts["conclusions"] += 1
                counts["tasks"] += lead is not None
            services.conclusion_add(
                actor=actor, meeting=meeting, text="Thống nhất thông qua các nội dung theo chương trình."
            )
            counts["conclusions"] += 1
            if i % 5 == 0:
                services.notice_draft(actor=actor, meeting=meeting, signer=chair)
                counts["notices"] += 1
    return counts


def summary(counts: dict[str, int]) -> str:
    return (
        f"{counts['rooms']} phòng họp, {counts['meetings']} cuộc họp ({counts['agenda']} nội dung), "
        f"{counts['conclusions']} kết luận, {counts['tasks']} nhiệm vụ từ kết luận, "
        f"{counts['notices']} dự thảo thông báo kết luận"
    )
