"""The Tỉnh ủy's weekly calendars (lịch công tác tuần của Thường trực), composed through the
calendar services as the Văn phòng would: for the past year and this week, composed
from the demo's meetings (and any programme items planned then), with the requests the
leaders' offices sent in by hand, approved by the Phó Bí thư Thường trực or the Chánh Văn
phòng and published; this week has one event moved after publication (marked "Thay đổi" and
told to its leaders). Next week is composed but not approved, so the Chánh Văn phòng's
calendar has work waiting.

Runs after the meetings (``demo.meetings.seed_meetings``), whose meetings it picks up."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from vanphong.orgs.models import Organization, OrgKind, Person
from vanphong.programs import services
from vanphong.programs.models import CalendarEvent, MeetingKind

PAST_WEEKS = 51  # a year with this week

# Requests entered by hand: (weekday, hour, minutes long, kind, title, leader, participants, place).
REQUESTS = (
    (
        0,
        14,
        120,
        MeetingKind.LAM_VIEC,
        "Làm việc với Ban Thường vụ Đảng ủy {unit} về tình hình thực hiện nhiệm vụ chính trị",
        "thuongtruc",
        "Đại diện lãnh đạo các ban đảng, Văn phòng Tỉnh ủy",
        "Trụ sở Đảng ủy {unit}",
    ),
    (
        3,
        8,
        180,
        MeetingKind.KHAC,
        "Tiếp công dân định kỳ tại Trụ sở tiếp công dân tỉnh",
        "bithu",
        "Lãnh đạo Ban Nội chính, Ủy ban Kiểm tra Tỉnh ủy, Thanh tra tỉnh",
        "Trụ sở tiếp công dân tỉnh",
    ),
    (
        4,
        7,
        150,
        MeetingKind.KHAC,
        "Dự hội nghị trực tuyến toàn quốc quán triệt nghị quyết của Trung ương",
        "bithu",
        "Ủy viên Ban Thường vụ Tỉnh ủy; lãnh đạo các ban đảng",
        "Hội trường Tỉnh ủy (điểm cầu trực tuyến)",
    ),
)


def _person(username: str) -> Person:
    return Person.objects.select_related("user").get(user__username=username)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=timezone.get_current_timezone())


def seed_calendar(*, today: dt.date | None = None, past_weeks: int = PAST_WEEKS) -> dict[str, int]:
    """The weeks, their events, the change after publication; answers counts. Everything
    through ``programs.services``, in one transaction."""
    today = today or timezone.localdate()
    committee = Organization.objects.get(slug="tinhuy")
    chanhvp, bithu, thuongtruc = _person("chanhvp"), _person("bithu"), _person("thuongtruc")
    leaders = {"bithu": bithu, "thuongtruc": thuongtruc}
    office_actor: Any = chanhvp.user
    units = list(
        Organization.objects.filter(
            parent=committee, hosted=True, active=True, kind=OrgKind.COMMITTEE
        ).order_by("path")[:12]
    )
    office = Organization.objects.filter(parent=committee, is_office=True).first()
    this_monday = today - dt.timedelta(days=today.weekday())
    counts = {"weeks": 0, "published": 0, "events": 0, "from_meetings": 0, "changed": 0}
    with transaction.atomic():
        for n in range(-past_weeks, 2):
            monday = this_monday + dt.timedelta(days=7 * n)
            week = services.week_get_or_create(actor=office_actor, organization=committee, week_start=monday)
            counts["weeks"] += 1
            added = services.week_compose(actor=office_actor, week=week)
            counts["from_meetings"] += sum(1 for e in added if e.meeting_id)
            counts["events"] += len(added)
            for i, (weekday, hour, minutes, kind, title, leader, participants, place) in enumerate(REQUESTS):
                if (n + i) % 3 == 2:  # not every request every week
                    continue
                unit = units[(n + i) % len(units)] if units else None
                unit_name = (unit.short_name or unit.name) if unit is not None else "cơ sở"
                start = _at(monday + dt.timedelta(days=weekday), hour)
                services.event_add(
                    actor=office_actor,
                    week=week,
                    start=start,
                    end=start + dt.timedelta(minutes=minutes),
                    title=title.format(unit=unit_name),
                    kind=kind,
                    leaders=[leaders[leader]],
                    participants=participants,
                    place=place.format(unit=unit_name),
                    preparing_organization=unit if "{unit}" in title else office,
                )
                counts["events"] += 1
            if n == 1:
                continue  # next week: composed, waiting for approval
            approver: Any = (thuongtruc if n % 2 else chanhvp).user
            services.week_approve(actor=approver, week=week)
            services.week_publish(actor=office_actor, week=week)
            counts["published"] += 1
            if n == 0:
                moved = (
                    CalendarEvent.objects.filter(week=week, cancelled=False, meeting__isnull=True)
                    .order_by("-start", "id")
                    .first()
                )
                if moved is not None:
                    start = timezone.localtime(moved.start)
                    later = start.replace(hour=14) if start.hour < 12 else start.replace(hour=8)
                    length = (moved.end - moved.start) if moved.end else dt.timedelta(hours=2)
                    services.event_update(actor=office_actor, event=moved, start=later, end=later + length)
                    counts["changed"] += 1
    return counts


def summary(counts: dict[str, int]) -> str:
    return (
        f"{counts['weeks']} lịch công tác tuần ({counts['published']} đã công bố), "
        f"{counts['events']} sự kiện ({counts['from_meetings']} từ lịch họp), "
        f"{counts['changed']} thay đổi sau khi công bố"
    )
