"""The leaders' weekly calendar: composed from meetings and programme items (never twice),
approved and published by the right people, changes after publication marked and told, the
iCalendar feeds (published events only, SEQUENCE and STATUS, dead once revoked), who sees
what, the PDF and the pages."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from vanphong.audit.models import AuditEvent
from vanphong.notifications.models import Notification
from vanphong.orgs.models import Role
from vanphong.orgs.tests.factories import make_actor
from vanphong.programs import selectors, services
from vanphong.programs.models import (
    CalendarEvent,
    CalendarFeed,
    CalendarState,
    ItemState,
    MeetingKind,
    MeetingState,
    Program,
    ProgramBody,
    ProgramItem,
    ProgramPeriod,
)
from vanphong.programs.tests.conftest import book

TZ = timezone.get_current_timezone()


@pytest.fixture(autouse=True)
def _pages_without_second_factor(settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"


def monday() -> dt.date:
    """Next week's Monday: everything the tests plan is ahead."""
    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday()) + dt.timedelta(days=7)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """``hour``:``minute`` on the ``day``-th day (0 = Monday) of next week."""
    return dt.datetime.combine(monday() + dt.timedelta(days=day), dt.time(hour, minute), tzinfo=TZ)


def program(province, **kwargs) -> Program:
    values = {
        "organization": province.committee,
        "body": ProgramBody.THUONG_TRUC,
        "period": ProgramPeriod.MONTH,
        "start": monday().replace(day=1),
        "end": monday().replace(day=1) + dt.timedelta(days=27),
        "title": "Chương trình công tác tháng của Thường trực Tỉnh ủy",
    }
    values.update(kwargs)
    return Program.objects.create(**values)


def item(prog: Program, order: int, content: str, **kwargs) -> ProgramItem:
    return ProgramItem.objects.create(program=prog, order=order, content=content, **kwargs)


@pytest.fixture
def planned(province, rooms):
    """Next week: a meeting on Tuesday 09:00 (the leader chairs, chief and specialist sit in),
    a cancelled one on Thursday, an item on Wednesday, one for the week, one done and one of
    the week after."""
    meeting = book(province, room=rooms[0], start=at(1, 9), end=at(1, 11)).meeting
    cancelled = book(province, title="Họp đã hủy", start=at(3, 9), end=at(3, 10), place="Hội trường").meeting
    type(cancelled).objects.filter(pk=cancelled.pk).update(state=MeetingState.CANCELLED)
    prog = program(province)
    on_day = item(
        prog,
        1,
        "Làm việc với Đảng ủy xã An Phú về chuyển đổi số",
        planned_date=monday() + dt.timedelta(days=2),
        leader=province.leader,
        preparing_organization=province.commune_x,
        meeting_kind=MeetingKind.LAM_VIEC,
    )
    for_week = item(prog, 2, "Cho ý kiến dự thảo báo cáo quý", planned_week=monday(), leader=province.leader)
    item(prog, 3, "Việc đã xong", planned_date=monday(), state=ItemState.DONE)
    item(prog, 4, "Việc của tuần sau nữa", planned_date=monday() + dt.timedelta(days=8))
    return {"meeting": meeting, "cancelled": cancelled, "on_day": on_day, "for_week": for_week}


def composed(province, planned):
    week = services.week_get_or_create(
        actor=province.chief.user, organization=province.committee, week_start=monday()
    )
    services.week_compose(actor=province.chief.user, week=week)
    return week


def published(province, planned, django_capture_on_commit_callbacks):
    week = composed(province, planned)
    services.week_approve(actor=province.leader.user, week=week)
    with django_capture_on_commit_callbacks(execute=True):
        services.week_publish(actor=province.chief.user, week=week)
    return week


# --- Composing -----------------------------------------------------------------------------------


def test_compose_takes_the_weeks_meetings_and_programme_items_once(province, planned):
    week = services.week_get_or_create(
        actor=province.specialist.user, organization=province.committee, week_start=monday()
    )
    added = services.week_compose(actor=province.specialist.user, week=week)
    assert len(added) == 3
    events = {e.title: e for e in CalendarEvent.objects.filter(week=week)}
    meeting_event = events["Họp Ban Thường vụ thường kỳ"]
    assert meeting_event.meeting == planned["meeting"]
    assert (meeting_event.start, meeting_event.end) == (at(1, 9), at(1, 11))
    assert meeting_event.place == "Phòng họp số 1, Trụ sở Tỉnh ủy"
    assert list(meeting_event.leaders.all()) == [province.leader]  # the chair, a leader of the Tỉnh ủy
    assert "chief" in meeting_event.participants and "specialist" in meeting_event.participants
    visit = events["Làm việc với Đảng ủy xã An Phú về chuyển đổi số"]
    assert visit.start == at(2, 8) and visit.end is None and visit.kind == MeetingKind.LAM_VIEC
    assert visit.program_item == planned["on_day"] and visit.preparing_organization == province.commune_x
    assert list(visit.leaders.all()) == [province.leader]
    assert events["Cho ý kiến dự thảo báo cáo quý"].start == at(0, 8)
    assert "Họp đã hủy" not in events and "Việc đã xong" not in events

    assert services.week_compose(actor=province.chief.user, week=week) == []
    assert CalendarEvent.objects.filter(week=week).count() == 3
    assert AuditEvent.objects.filter(action="calendar.compose").count() == 2


def test_a_meeting_from_a_programme_item_is_one_event(province, planned, rooms):
    planned["meeting"].program_item = planned["on_day"]
    planned["meeting"].save(update_fields=["program_item"])
    week = composed(province, planned)
    events = list(CalendarEvent.objects.filter(week=week))
    assert len(events) == 2
    linked = next(e for e in events if e.meeting_id)
    assert linked.program_item == planned["on_day"] and linked.preparing_organization == province.commune_x


def test_who_may_compose_and_the_week_must_start_on_a_monday(province):
    with pytest.raises(PermissionDenied):
        services.week_get_or_create(
            actor=province.clerk_x.user, organization=province.committee, week_start=monday()
        )
    with pytest.raises(PermissionDenied):
        services.week_get_or_create(
            actor=province.admin.user, organization=province.committee, week_start=monday()
        )
    with pytest.raises(ValidationError) as error:
        services.week_get_or_create(
            actor=province.chief.user,
            organization=province.committee,
            week_start=monday() + dt.timedelta(days=1),
        )
    assert "thứ Hai" in error.value.message_dict["week_start"][0]
    first = services.week_get_or_create(
        actor=province.chief.user, organization=province.committee, week_start=monday()
    )
    again = services.week_get_or_create(
        actor=province.clerk.user, organization=province.committee, week_start=monday()
    )
    assert first.pk == again.pk and first.state == CalendarState.DRAFT


def test_an_event_is_checked_in_vietnamese(province):
    week = services.week_get_or_create(
        actor=province.chief.user, organization=province.committee, week_start=monday()
    )
    with pytest.raises(ValidationError) as error:
        services.event_add(actor=province.chief.user, week=week, start=at(7, 8), title="")
    assert set(error.value.message_dict) == {"title", "start"}
    assert "Hãy nhập nội dung" in error.value.message_dict["title"][0]
    with pytest.raises(ValidationError) as error:
        services.event_add(
            actor=province.chief.user, week=week, start=at(1, 8), end=at(1, 7), title="Tiếp khách"
        )
    assert error.value.message_dict["end"] == ["Thời gian kết thúc phải sau thời gian bắt đầu."]
    event = services.event_add(
        actor=province.chief.user,
        week=week,
        start=at(4, 14),
        end=at(4, 16),
        title="Tiếp đoàn công tác của Trung ương",
        kind=MeetingKind.LAM_VIEC,
        leaders=[province.leader],
        participants="Lãnh đạo Văn phòng Tỉnh ủy",
        place="Trụ sở Tỉnh ủy",
        preparing_organization=province.office,
    )
    assert list(event.leaders.all()) == [province.leader] and not event.changed_after_publication


# --- Approval and publication --------------------------------------------------------------------


def test_approve_and_publish_rules(province, planned, django_capture_on_commit_callbacks):
    week = composed(province, planned)
    with pytest.raises(ValidationError) as error:
        services.week_publish(actor=province.chief.user, week=week)
    assert error.value.message_dict["state"] == ["Lịch tuần cần được duyệt trước khi công bố."]
    with pytest.raises(PermissionDenied):
        services.week_approve(actor=province.specialist.user, week=week)
    services.week_approve(actor=province.chief.user, week=week)  # the head of the office
    assert (week.state, week.approved_by) == (CalendarState.APPROVED, province.chief)
    with pytest.raises(ValidationError):
        services.week_approve(actor=province.leader.user, week=week)

    # A change to an approved week sends it back to be approved.
    event = CalendarEvent.objects.filter(week=week, meeting__isnull=True).first()
    services.event_update(actor=province.specialist.user, event=event, place="Phòng họp số 2")
    week.refresh_from_db()
    assert week.state == CalendarState.DRAFT and week.approved_by is None

    services.week_approve(actor=province.leader.user, week=week)
    with django_capture_on_commit_callbacks(execute=True):
        services.week_publish(actor=province.specialist.user, week=week)
    week.refresh_from_db()
    assert week.state == CalendarState.PUBLISHED and week.published_at is not None
    # The leader is named on all three events and told once.
    told = Notification.objects.filter(kind="calendar.publish")
    assert [n.recipient for n in told] == [province.leader]
    assert "Đã công bố lịch công tác tuần" in told[0].title
    with pytest.raises(ValidationError):
        services.week_publish(actor=province.chief.user, week=week)


def test_a_change_after_publication_is_marked_and_told(province, planned, django_capture_on_commit_callbacks):
    week = published(province, planned, django_capture_on_commit_callbacks)
    Notification.objects.all().delete()
    event = CalendarEvent.objects.get(week=week, meeting=planned["meeting"])
    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(actor=province.chief.user, event=event, start=at(1, 14), end=at(1, 16))
    event.refresh_from_db()
    assert event.changed_after_publication and event.sequence == 1
    assert event.change_note == "Đổi giờ từ 09:00 sang 14:00"
    # The event's leader and the meeting's participants, not the person who made the change.
    told = Notification.objects.filter(kind="calendar.change")
    assert {n.recipient for n in told} == {province.leader, province.specialist}
    assert all("Đổi giờ từ 09:00 sang 14:00" in n.body for n in told)

    other = CalendarEvent.objects.get(week=week, program_item=planned["for_week"])
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(
            actor=province.chief.user, event=other, reason="Đồng chí Bí thư đi công tác Trung ương"
        )
    other.refresh_from_db()
    assert other.cancelled and other.sequence == 1
    assert other.change_note == "Hủy: Đồng chí Bí thư đi công tác Trung ương"
    with pytest.raises(ValidationError):
        services.event_update(actor=province.chief.user, event=other, title="Đổi")

    # Nothing changed: nothing marked, nobody told.
    count = Notification.objects.count()
    services.event_update(actor=province.chief.user, event=event, start=at(1, 14))
    event.refresh_from_db()
    assert event.sequence == 1 and Notification.objects.count() == count


def test_a_change_before_publication_is_not_marked(province, planned):
    week = composed(province, planned)
    event = CalendarEvent.objects.get(week=week, meeting=planned["meeting"])
    services.event_update(actor=province.chief.user, event=event, start=at(1, 14), end=at(1, 16))
    event.refresh_from_db()
    assert not event.changed_after_publication and event.sequence == 0 and event.change_note == ""
    assert not Notification.objects.filter(kind__startswith="calendar.").exists()


# --- Who sees what -------------------------------------------------------------------------------


def test_a_draft_week_is_seen_by_its_composers_and_approvers_only(
    province, planned, django_capture_on_commit_callbacks
):
    week = composed(province, planned)
    start, end = at(0, 0), at(7, 0)
    for person in (province.chief, province.specialist, province.clerk, province.leader):
        assert selectors.calendar_events(person.user, start, end).count() == 3, person
    for person in (province.admin, province.clerk_x):
        assert selectors.calendar_events(person.user, start, end).count() == 0, person
        assert selectors.week_of(person.user, province.committee, monday()) is None
    # Someone outside, seated in the meeting, sees that event once the week is published.
    outsider = make_actor("khach", province.commune_y, Role.CHUYEN_VIEN)
    planned["meeting"].participants.create(person=outsider)
    assert selectors.calendar_events(outsider.user, start, end).count() == 0
    services.week_approve(actor=province.leader.user, week=week)
    with django_capture_on_commit_callbacks(execute=True):
        services.week_publish(actor=province.chief.user, week=week)
    assert selectors.calendar_events(province.admin.user, start, end).count() == 3
    assert [e.meeting for e in selectors.calendar_events(outsider.user, start, end)] == [planned["meeting"]]
    assert selectors.calendar_events(province.clerk_x.user, start, end).count() == 0
    assert [e.title for e in selectors.calendar_events(province.chief.user, start, end, person=outsider)] == [
        "Họp Ban Thường vụ thường kỳ"
    ]


# --- iCalendar feeds -----------------------------------------------------------------------------


def parse(response) -> Calendar:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def vevents(calendar: Calendar) -> dict[str, dict]:
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


def test_the_feed_carries_published_events_with_their_changes(
    client, province, planned, django_capture_on_commit_callbacks
):
    week = composed(province, planned)
    feed, token = services.feed_for(actor=province.leader.user, person=province.leader)
    url = reverse("programs:calendar_feed", args=[token])
    assert feed.token_hash != token and len(feed.token_hash) == 64
    assert vevents(parse(client.get(url))) == {}  # a draft week is in no feed

    services.week_approve(actor=province.leader.user, week=week)
    with django_capture_on_commit_callbacks(execute=True):
        services.week_publish(actor=province.chief.user, week=week)
    calendar = parse(client.get(url))
    assert str(calendar["X-WR-CALNAME"]) == "Lịch công tác của leader"
    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Ho_Chi_Minh" and str(calendar["VERSION"]) == "2.0"
    events = vevents(calendar)
    assert set(events) == {
        "Họp Ban Thường vụ thường kỳ",
        "Làm việc với Đảng ủy xã An Phú về chuyển đổi số",
        "Cho ý kiến dự thảo báo cáo quý",
    }
    meeting = events["Họp Ban Thường vụ thường kỳ"]
    event = CalendarEvent.objects.get(week=week, meeting=planned["meeting"])
    assert str(meeting["UID"]) == f"event-{event.pk}@testserver"
    assert meeting.decoded("DTSTART") == at(1, 9) and meeting.decoded("DTEND") == at(1, 11)
    assert str(meeting["LOCATION"]) == "Phòng họp số 1, Trụ sở Tỉnh ủy" and int(meeting["SEQUENCE"]) == 0
    assert str(meeting["STATUS"]) == "CONFIRMED" and "Lãnh đạo dự: leader" in str(meeting["DESCRIPTION"])

    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(actor=province.chief.user, event=event, start=at(1, 14), end=at(1, 16))
        services.event_cancel(
            actor=province.chief.user,
            event=CalendarEvent.objects.get(week=week, program_item=planned["for_week"]),
            reason="Lùi sang tuần sau",
        )
    events = vevents(parse(client.get(url)))
    meeting = events["Họp Ban Thường vụ thường kỳ"]
    assert meeting.decoded("DTSTART") == at(1, 14) and int(meeting["SEQUENCE"]) == 1
    assert "Đổi giờ từ 09:00 sang 14:00" in str(meeting["DESCRIPTION"])
    cancelled = events["Cho ý kiến dự thảo báo cáo quý"]
    assert str(cancelled["STATUS"]) == "CANCELLED" and int(cancelled["SEQUENCE"]) == 1

    # The same link again while it lives; dead once revoked, and a new one works.
    assert services.feed_for(actor=province.leader.user, person=province.leader)[1] == token
    services.feed_revoke(actor=province.leader.user, feed=feed)
    gone = client.get(url)
    assert gone.status_code == 404 and "thu hồi" in gone.content.decode()
    _feed, new = services.feed_for(actor=province.leader.user, person=province.leader)
    assert new != token and len(new) >= 43
    assert len(vevents(parse(client.get(reverse("programs:calendar_feed", args=[new]))))) == 3
    assert client.get(reverse("programs:calendar_feed", args=["x" * 43])).status_code == 404
    assert AuditEvent.objects.filter(action="calendar.feed_revoke").count() == 1


def test_the_organisation_feed_and_who_may_have_one(
    client, province, planned, django_capture_on_commit_callbacks
):
    published(province, planned, django_capture_on_commit_callbacks)
    _feed, token = services.feed_for(actor=province.admin.user, organization=province.committee)
    response = client.get(reverse("programs:calendar_feed", args=[token]))
    calendar = parse(response)
    assert str(calendar["X-WR-CALNAME"]) == "Lịch công tác tuần của Tỉnh ủy Thử nghiệm"
    assert len(vevents(calendar)) == 3
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies
    assert client.post(reverse("programs:calendar_feed", args=[token])).status_code == 405
    with pytest.raises(PermissionDenied):
        services.feed_for(actor=province.clerk_x.user, organization=province.committee)
    with pytest.raises(PermissionDenied):
        services.feed_for(actor=province.chief.user, person=province.leader)
    # The owner who leaves takes the link with them.
    province.admin.active = False
    province.admin.save(update_fields=["active"])
    assert client.get(reverse("programs:calendar_feed", args=[token])).status_code == 404
    assert CalendarFeed.objects.filter(revoked_at__isnull=True).count() == 1


# --- The PDF and the pages -----------------------------------------------------------------------


def test_the_pdf_is_the_weeks_table(client, province, planned, tmp_path):
    composed(province, planned)
    client.force_login(province.chief.user)
    response = client.get(
        reverse("programs:calendar_pdf"),
        {"week": monday().isoformat(), "organization": province.committee.pk},
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    path = tmp_path / "lich.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "LỊCH CÔNG TÁC TUẦN CỦA THƯỜNG TRỰC TỈNH ỦY THỬ NGHIỆM" in text
    end = monday() + dt.timedelta(days=6)
    assert f"(Từ ngày {monday():%d/%m/%Y} đến ngày {end:%d/%m/%Y})" in text
    assert "Họp Ban Thường vụ thường kỳ" in text and "Phòng họp số 1" in text
    client.force_login(province.clerk_x.user)
    assert (
        client.get(
            reverse("programs:calendar_pdf"),
            {"week": monday().isoformat(), "organization": province.committee.pk},
        ).status_code
        == 404
    )


def get(client, who, name, *args, **params):
    client.force_login(who.user)
    response = client.get(reverse(name, args=args), params)
    return response, response.content.decode()


def test_the_office_composes_approves_and_publishes_on_the_pages(
    client, province, planned, django_capture_on_commit_callbacks
):
    params = {"week": monday().isoformat(), "organization": province.committee.pk}
    response, html = get(client, province.chief, "programs:calendar_week", **params)
    assert response.status_code == 200 and "Lịch công tác tuần này chưa được lập." in html
    assert "Lấy từ chương trình và lịch họp" in html and "Thêm sự kiện" in html

    response = client.post(reverse("programs:calendar_compose"), params)
    assert response.status_code == 302
    week = selectors.week_of(province.chief.user, province.committee, monday())
    assert week.events.count() == 3

    response = client.post(
        f"{reverse('programs:calendar_event_add')}?organization={province.committee.pk}&week={monday().isoformat()}",
        {
            "organization": province.committee.pk,
            "week": monday().isoformat(),
            "day": f"{monday() + dt.timedelta(days=4):%d/%m/%Y}",
            "start_time": "14:00",
            "end_time": "13:00",
            "title": "Tiếp đoàn công tác",
            "kind": MeetingKind.LAM_VIEC,
        },
    )
    assert response.status_code == 400
    assert "Thời gian kết thúc phải sau thời gian bắt đầu." in response.content.decode()
    response = client.post(
        reverse("programs:calendar_event_add"),
        {
            "organization": province.committee.pk,
            "week": monday().isoformat(),
            "day": f"{monday() + dt.timedelta(days=4):%d/%m/%Y}",
            "start_time": "14:00",
            "end_time": "16:30",
            "title": "Tiếp đoàn công tác",
            "kind": MeetingKind.LAM_VIEC,
            "leaders": [province.leader.pk],
            "place": "Trụ sở Tỉnh ủy",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    added = CalendarEvent.objects.get(title="Tiếp đoàn công tác")
    assert (added.start, added.end) == (at(4, 14), at(4, 16, 30))

    assert client.post(reverse("programs:calendar_approve", args=[week.pk])).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("programs:calendar_publish", args=[week.pk])).status_code == 302
    week.refresh_from_db()
    assert week.state == CalendarState.PUBLISHED

    event = CalendarEvent.objects.get(meeting=planned["meeting"])
    response, html = get(client, province.chief, "programs:calendar_event_edit", event.pk)
    assert response.status_code == 200 and "Ghi chú thay đổi" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("programs:calendar_event_edit", args=[event.pk]),
            {
                "day": f"{monday() + dt.timedelta(days=1):%d/%m/%Y}",
                "start_time": "14:00",
                "end_time": "16:00",
                "title": event.title,
                "kind": event.kind,
                "leaders": [province.leader.pk],
                "participants": event.participants,
                "place": event.place,
                "note": "",
            },
        )
    assert response.status_code == 302
    response, html = get(client, province.chief, "programs:calendar_week", **params)
    assert (
        'data-week-state="published"' in html and "Thay đổi" in html and "Đổi giờ từ 09:00 sang 14:00" in html
    )
    assert "Thứ Ba" in html and 'data-label="Lãnh đạo dự"' in html

    response = client.post(reverse("programs:calendar_event_cancel", args=[added.pk]), {"reason": ""})
    assert response.status_code == 400 and "Hãy ghi lý do hủy." in response.content.decode()
    response = client.post(
        reverse("programs:calendar_event_cancel", args=[added.pk]), {"reason": "Đoàn hoãn chuyến"}
    )
    assert response.status_code == 302
    _response, html = get(client, province.chief, "programs:calendar_week", **params)
    assert 'class="is-cancelled"' in html and "Hủy: Đoàn hoãn chuyến" in html

    response, html = get(
        client,
        province.chief,
        "programs:calendar_month",
        month=f"{at(1, 0):%Y-%m}",
        organization=province.committee.pk,
    )
    assert response.status_code == 200 and "Họp Ban Thường vụ thường kỳ" in html


def test_the_home_page_shows_weeks_waiting(client, province, planned):
    from vanphong.core.pending import pending_for
    from vanphong.programs.views import calendar  # noqa: F401  (registers its group; apps.py should)

    week = composed(province, planned)
    assert not [g for g in pending_for(province.specialist.user) if g.key == "programs.calendar"]
    group = next(g for g in pending_for(province.chief.user) if g.key == "programs.calendar")
    assert group.count == 1 and group.items[0][0].startswith("Chờ duyệt: tuần")
    services.week_approve(actor=province.leader.user, week=week)
    group = next(g for g in pending_for(province.specialist.user) if g.key == "programs.calendar")
    assert group.items[0][0].startswith("Chờ công bố")
    _response, html = get(client, province.chief, "web:home")
    assert "Lịch công tác tuần chờ duyệt, công bố" in html


def test_readers_and_outsiders_on_the_pages(client, province, planned):
    composed(province, planned)
    params = {"week": monday().isoformat(), "organization": province.committee.pk}
    response, html = get(client, province.admin, "programs:calendar_week", **params)
    assert response.status_code == 200 and "Lịch công tác tuần này chưa được công bố." in html
    assert "Họp Ban Thường vụ thường kỳ" not in html and "Lấy từ chương trình" not in html
    response, html = get(client, province.clerk_x, "programs:calendar_week", **params)
    assert response.status_code == 200 and "Đảng ủy xã An Phú" in html and "Họp Ban Thường vụ" not in html
    event = CalendarEvent.objects.first()
    assert get(client, province.admin, "programs:calendar_event_edit", event.pk)[0].status_code == 404
    assert get(client, province.clerk_x, "programs:calendar_event_cancel", event.pk)[0].status_code == 404
    client.force_login(province.leader.user)
    assert (
        client.post(
            reverse("programs:calendar_compose"), {**params, "organization": province.commune_x.pk}
        ).status_code
        == 302
    )


def test_the_subscription_page_shows_and_revokes_links(client, province):
    response, html = get(client, province.chief, "programs:calendar_feeds")
    assert response.status_code == 200
    assert html.count("/lich-tuan/ical/") >= 2 and "Thu hồi" in html and "webcal://" in html
    feeds = CalendarFeed.objects.filter(owner=province.chief, revoked_at__isnull=True)
    assert {f.organization for f in feeds} == {None, province.committee}
    old = next(f for f in feeds if f.person_id)
    response = client.post(reverse("programs:calendar_feed_revoke"), {"kind": "person"})
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.revoked_at is not None
    get(client, province.chief, "programs:calendar_feeds")
    assert CalendarFeed.objects.filter(owner=province.chief, revoked_at__isnull=True).count() == 2
