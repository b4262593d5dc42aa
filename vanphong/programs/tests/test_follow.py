"""The parts held together: the weekly calendar following the meetings and the programme items
it was composed from, and a programme item's result when it was carried down."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from vanphong.api.tests.helpers import bearer
from vanphong.programs import selectors, services
from vanphong.programs.models import CalendarEvent, ItemState, Meeting
from vanphong.programs.tests.test_work_programs import Y, add, ladder, make, refresh  # noqa: F401

MONDAY = dt.date(Y, 3, 11)


def at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def meeting(province, day=MONDAY + dt.timedelta(days=1), hour=8, **kwargs) -> Meeting:
    values = {
        "actor": province.chief.user,
        "organization": province.committee,
        "title": "Họp Ban Thường vụ",
        "kind": "hop_ban_thuong_vu",
        "start": at(day, hour),
        "end": at(day, hour + 2),
        "chair": province.leader,
        "participants": [province.chief],
        "place": "Trụ sở Tỉnh ủy",
    }
    values.update(kwargs)
    return services.meeting_create(**values).meeting


def published(province, monday=MONDAY):
    week = services.week_get_or_create(
        actor=province.chief.user, organization=province.committee, week_start=monday
    )
    services.week_compose(actor=province.chief.user, week=week)
    services.event_add(
        actor=province.chief.user,
        week=week,
        start=at(monday + dt.timedelta(days=4), 8),
        title="Tiếp công dân",
    )
    services.week_approve(actor=province.leader.user, week=week)
    services.week_publish(actor=province.leader.user, week=week)
    return week


def live(m: Meeting):
    return list(CalendarEvent.objects.filter(meeting=m, cancelled=False))


def test_a_meeting_moved_out_of_its_week_and_back_comes_back_to_the_calendar(province, rooms):
    m = meeting(province, room=rooms[0], place="Trụ sở Tỉnh ủy")
    week = published(province)
    following = published(province, MONDAY + dt.timedelta(days=7))
    [event] = live(m)
    assert event.place == "Phòng họp số 1, Trụ sở Tỉnh ủy"
    # A new title only: the place is written as composing wrote it, nothing else is marked.
    services.meeting_update(actor=province.chief.user, meeting=m, title="Họp Ban Thường vụ (mở rộng)")
    event.refresh_from_db()
    assert (event.title, event.place) == ("Họp Ban Thường vụ (mở rộng)", "Phòng họp số 1, Trụ sở Tỉnh ủy")
    assert "nội dung" in event.change_note.lower()
    # Into the next week (composed already): cancelled here, added there, marked as added.
    services.meeting_update(
        actor=province.chief.user,
        meeting=m,
        start=at(MONDAY + dt.timedelta(days=8), 8),
        end=at(MONDAY + dt.timedelta(days=8), 10),
    )
    [there] = live(m)
    assert there.week == following and there.change_note == "Bổ sung sau khi công bố lịch"
    # And back: here again, there cancelled.
    services.meeting_update(
        actor=province.chief.user,
        meeting=m,
        start=at(MONDAY + dt.timedelta(days=2), 8),
        end=at(MONDAY + dt.timedelta(days=2), 10),
    )
    [back] = live(m)
    assert back.week == week and back.start == at(MONDAY + dt.timedelta(days=2), 8)
    # Composing again adds nothing twice.
    assert services.week_compose(actor=province.chief.user, week=week) == []


def test_a_new_chair_and_a_leader_who_left_are_followed_not_refused(province, rooms):
    m = meeting(province)
    published(province)
    [event] = live(m)
    assert province.leader in event.leaders.all()
    province.leader.active = False  # retired after the week was published
    province.leader.save(update_fields=["active"])
    services.meeting_update(
        actor=province.chief.user,
        meeting=m,
        chair=province.chief,
        start=at(MONDAY + dt.timedelta(days=1), 14),
        end=at(MONDAY + dt.timedelta(days=1), 16),
    )
    event.refresh_from_db()
    assert event.start == at(MONDAY + dt.timedelta(days=1), 14) and event.changed_after_publication
    assert province.leader not in event.leaders.all()


def test_an_items_line_is_taken_by_the_meeting_set_for_it_later(province, ladder):  # noqa: F811
    _year, _march, _week, _item, _in_march, in_week = ladder
    services.program_approve(actor=province.leader.user, program=_week)
    week = published(province)
    [line] = CalendarEvent.objects.filter(week=week, program_item=in_week)
    assert line.meeting is None
    m = meeting(province, day=MONDAY + dt.timedelta(days=3), hour=14, program_item=in_week)
    services.week_compose(actor=province.chief.user, week=week)
    line.refresh_from_db()
    assert line.meeting == m and line.start == at(MONDAY + dt.timedelta(days=3), 14)
    assert CalendarEvent.objects.filter(week=week, program_item=in_week, cancelled=False).count() == 1
    services.meeting_cancel(actor=province.chief.user, meeting=m, reason="Hoãn")
    line.refresh_from_db()
    assert line.cancelled


def test_a_moved_items_parent_does_not_come_back_onto_the_calendar(province, ladder):  # noqa: F811
    _year, march, week_programme, _item, in_march, in_week = ladder
    in_march.planned_week, in_march.planned_month = MONDAY, None  # the month's copy names the week too
    in_march.save(update_fields=["planned_week", "planned_month"])
    later = make(province, "week", MONDAY + dt.timedelta(days=7), MONDAY + dt.timedelta(days=13))
    services.item_move(actor=province.chief.user, item=in_week, program=later, reason="Chờ số liệu quý")
    refresh(in_march)
    assert in_march.state == ItemState.PLANNED
    week = services.week_get_or_create(
        actor=province.chief.user, organization=province.committee, week_start=MONDAY
    )
    services.week_compose(actor=province.chief.user, week=week)
    assert not CalendarEvent.objects.filter(week=week, program_item__in=[in_march, in_week]).exists()


def test_a_carried_down_items_result_is_its_childrens(province, ladder):  # noqa: F811
    year, _march, _week, item, in_march, in_week = ladder
    with pytest.raises(ValidationError) as caught:
        services.item_set_state(actor=province.chief.user, item=item, state="done")
    assert "tổng hợp lên" in caught.value.message_dict["state"][0]
    # A meeting held on the year's item carries out its open copy below; the year's follows.
    services.item_meeting_held(item=item, on_date=dt.date(Y, 3, 12), actor=province.chief.user)
    refresh(item, in_march, in_week)
    assert (in_week.state, in_march.state, item.state) == (ItemState.DONE,) * 3


def test_a_partial_reader_counts_only_the_items_they_see(province, ladder):  # noqa: F811
    year = ladder[0]
    add(
        province,
        year,
        "Việc của Ban khác",
        preparing_organization=province.commune_y,
        planned_month=dt.date(Y, 5, 1),
    )
    add(
        province,
        year,
        "Việc của xã",
        preparing_organization=province.commune_x,
        planned_month=dt.date(Y, 6, 1),
    )
    whole = selectors.program_list(province.chief.user).get(pk=year.pk)
    assert whole.item_count == 3
    part = selectors.program_list(province.clerk_x.user).get(pk=year.pk)
    assert part.item_count == 1


def test_api_a_programme_is_the_callers_committees_by_default(client, province):
    response = client.post(
        "/api/v1/programs/",
        {
            "body": "thuong_truc",
            "period": "month",
            "start": f"{Y}-04-01",
            "end": f"{Y}-04-30",
            "title": "Chương trình công tác tháng 4",
        },
        content_type="application/json",
        **bearer(province.chief.user),
    )
    assert response.status_code == 201, response.content
    assert response.json()["organization"] == province.committee.pk


def test_a_meeting_takes_up_only_a_planned_item(province, ladder):  # noqa: F811
    item = ladder[3]
    dropped = add(province, ladder[0], "Bỏ", planned_month=dt.date(Y, 7, 1))
    services.item_set_state(actor=province.chief.user, item=dropped, state="dropped", reason="Không cần")
    with pytest.raises(ValidationError) as caught:
        meeting(province, program_item=dropped)
    assert "không còn để họp" in caught.value.message_dict["program_item"][0]
    assert meeting(province, program_item=item).program_item == item
