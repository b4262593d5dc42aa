"""The demo's meetings and weekly calendars: made through the services, without a room booked
twice, the held ones with conclusions whose tasks exist, link back and are played out to every
state, visible to the demo leaders; the weeks composed from them, published, one changed."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from vanphong.audit.verify import verify_chain
from vanphong.demo import orgs as orgs_demo
from vanphong.demo.calendar import seed_calendar
from vanphong.demo.calendar import summary as calendar_summary
from vanphong.demo.meetings import WEEKS_BACK, plan, seed_meetings, summary
from vanphong.documents.tests.factories import DocumentFactory
from vanphong.notifications.models import Notification
from vanphong.orgs.models import Organization
from vanphong.programs import selectors
from vanphong.programs.models import (
    CalendarEvent,
    CalendarState,
    CalendarWeek,
    Conclusion,
    Meeting,
    MeetingKind,
    MeetingState,
)
from vanphong.programs.selectors import meetings_visible_to
from vanphong.tasks.calendar import WorkCalendar
from vanphong.tasks.models import SourceKind, Status, Task
from vanphong.tasks.selectors import Today, status_of


def test_a_year_of_meetings_is_about_190_as_the_seeds_count_them(db):
    slots = plan(timezone.localdate(), WorkCalendar.load(), weeks_back=WEEKS_BACK)
    assert 170 <= len(slots) <= 210
    kinds = {slot[4] for slot in slots}
    assert set(MeetingKind.values) - {MeetingKind.KHAC} <= kinds
    assert all(WorkCalendar.load().is_working_day(slot[1]) for slot in slots)


def test_the_demo_meetings_and_calendar(db, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    orgs_demo.seed_demo(scale=1)
    committee = Organization.objects.get(slug="tinhuy")
    for n in range(6):
        DocumentFactory(organization=committee, subject=f"Báo cáo số {n}", symbol=f"{n + 1}-BC/TU")
    counts = seed_meetings(weeks_back=12)  # the year is the same weeks, more of them
    assert counts["meetings"] > 40 and counts["rooms"] == 3 and counts["tasks"] >= 30
    assert f"{counts['meetings']} cuộc họp" in summary(counts)

    meetings = list(Meeting.objects.order_by("start"))
    for a, b in zip(meetings, meetings[1:], strict=False):  # no room holds two at once
        assert not (a.room_id == b.room_id and a.end > b.start)
    today = timezone.localdate()
    held = [m for m in meetings if timezone.localtime(m.start).date() < today]
    assert held and all(m.state == MeetingState.HELD and m.minutes for m in held)
    assert any(timezone.localtime(m.start).date() >= today for m in meetings)
    tasks = Task.objects.filter(source_kind=SourceKind.CONCLUSION)
    assert tasks.count() == counts["tasks"]
    assert {t.source for t in tasks} <= set(Conclusion.objects.filter(task__isnull=False))
    # Given on the meeting's day, then played out by their dates to every state.
    now = Today.now()
    statuses = {status_of(t, now) for t in tasks}
    assert {Status.DONE_ON_TIME, Status.DONE_LATE} <= statuses, statuses
    assert statuses & {Status.NOT_DUE, Status.DUE_SOON, Status.OVERDUE}, statuses
    for task in tasks.order_by("id")[:10]:
        assert task.assigned_on == timezone.localtime(task.source.meeting.start).date()
    assert Meeting.objects.filter(notice__isnull=False).count() == counts["notices"] > 0
    assert Meeting.objects.filter(agenda__documents__isnull=False).exists()

    users = get_user_model().objects
    for username in ("bithu", "thuongtruc", "chanhvp"):
        assert meetings_visible_to(users.get(username=username)).count() == counts["meetings"]

    # The weekly calendars: eight weeks back and this one published, next week waiting (the
    # seed makes a year of them, the same way).
    with django_capture_on_commit_callbacks(execute=True):
        weeks = seed_calendar(past_weeks=8)
    assert weeks["weeks"] == 10 and weeks["published"] == 9 and weeks["changed"] == 1
    assert weeks["from_meetings"] >= 20 and "10 lịch công tác tuần" in calendar_summary(weeks)
    this_monday = today - dt.timedelta(days=today.weekday())
    by_start = {w.week_start: w for w in CalendarWeek.objects.filter(organization=committee)}
    assert by_start[this_monday].state == CalendarState.PUBLISHED
    assert by_start[this_monday + dt.timedelta(days=7)].state == CalendarState.DRAFT
    assert by_start[this_monday + dt.timedelta(days=7)].events.exists()
    changed = CalendarEvent.objects.get(changed_after_publication=True)
    assert changed.week == by_start[this_monday] and changed.change_note.startswith("Đổi giờ")
    assert Notification.objects.filter(kind="calendar.change").exists()
    assert selectors.may_approve(users.get(username="chanhvp"), committee)
    assert verify_chain().ok
