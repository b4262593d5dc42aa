"""Work programmes through their services and selectors: creating with the period's span,
approval giving tasks due on the office calendar's working days, carry-down, the roll-up
through year → month → week, moving with the reason kept (old task cancelled, new one given),
dropping, items out of the programme's time, who may do what, the CTr draft, the report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vanphong.audit.models import AuditEvent
from vanphong.documents.models import DocumentState
from vanphong.programs import selectors, services
from vanphong.programs.models import ItemState, ProgramItem, ProgramState
from vanphong.tasks.models import CalendarDay, DayKind, Outcome, SourceKind, Task

Y = 2030  # a year to come: every due date is after the day the tests run


def make(province, period="year", start=dt.date(Y, 1, 1), end=dt.date(Y, 12, 31), who=None, **kwargs):
    values = {
        "actor": (who or province.chief).user,
        "organization": province.committee,
        "body": "ban_thuong_vu",
        "period": period,
        "start": start,
        "end": end,
        "title": f"Chương trình công tác {period} {start:%d/%m/%Y} của Ban Thường vụ",
    }
    values.update(kwargs)
    return services.program_create(**values)


def add(province, program, content="Báo cáo tình hình", who=None, **kwargs):
    return services.item_add(actor=(who or province.chief).user, program=program, content=content, **kwargs)


@pytest.fixture
def ladder(province):
    """The year, March and the week of 11/3 (Monday) of the Ban Thường vụ, and one year item
    for March carried down into both."""
    year = make(province)
    march = make(province, "month", dt.date(Y, 3, 1), dt.date(Y, 3, 31))
    week = make(province, "week", dt.date(Y, 3, 11), dt.date(Y, 3, 17))
    item = add(
        province,
        year,
        "Sơ kết công tác quý I",
        preparing_organization=province.office,
        leader=province.leader,
        planned_month=dt.date(Y, 3, 1),
        meeting_kind="hop_ban_thuong_vu",
    )
    in_march = services.item_carry_down(actor=province.chief.user, item=item, program=march)
    in_week = services.item_carry_down(actor=province.chief.user, item=in_march, program=week)
    return year, march, week, item, in_march, in_week


def refresh(*items):
    for item in items:
        item.refresh_from_db()


# --- Creating ----------------------------------------------------------------------------------------


def test_create_checks_the_span_of_the_period_and_refuses_a_second_one(province):
    program = make(province)
    assert program.state == ProgramState.DRAFT and program.created_by == province.chief
    assert AuditEvent.objects.filter(action="program.create").count() == 1
    with pytest.raises(services.ProgramConflict) as error:
        make(province)
    assert "đã có chương trình công tác năm" in error.value.message_dict["start"][0]
    cases = [
        ("week", dt.date(Y, 3, 12), dt.date(Y, 3, 18), "thứ Hai đến Chủ nhật"),
        ("month", dt.date(Y, 3, 1), dt.date(Y, 3, 30), "ngày cuối của một tháng"),
        ("quarter", dt.date(Y, 2, 1), dt.date(Y, 4, 30), "một quý"),
        ("year", dt.date(Y, 1, 1), dt.date(Y, 6, 30), "31/12"),
        ("term", dt.date(Y, 10, 1), dt.date(Y + 9, 9, 30), "nhiệm kỳ"),
    ]
    for period, start, end, words in cases:
        with pytest.raises(ValidationError) as error:
            make(province, period, start, end)
        assert words in " ".join(error.value.messages), period
    with pytest.raises(ValidationError) as error:
        make(province, "year", dt.date(Y, 1, 1), dt.date(Y, 12, 31), body="ban_chi_dao", title="")
    assert set(error.value.message_dict) == {"title", "steering_name"}
    # A steering committee's programme is told apart by its name.
    make(province, body="ban_chi_dao", steering_name="Ban Chỉ đạo chuyển đổi số")
    make(province, body="ban_chi_dao", steering_name="Ban Chỉ đạo phòng, chống tham nhũng")
    assert make(province, "term", dt.date(Y, 10, 1), dt.date(Y + 5, 9, 30)).period == "term"


def test_a_commune_clerk_cannot_create_the_committee_programme_and_outsiders_do_not_see_it(province):
    with pytest.raises(PermissionDenied):
        make(province, who=province.clerk_x)
    program = make(province)
    assert selectors.programs_visible_to(province.clerk_x.user).count() == 0
    assert selectors.program_detail(province.leader.user).filter(pk=program.pk).exists()
    # The specialist composes it (WRITE through the office) and so sees it.
    assert selectors.programs_visible_to(province.specialist.user).filter(pk=program.pk).exists()


def test_an_item_time_outside_the_programme_is_refused(province):
    march = make(province, "month", dt.date(Y, 3, 1), dt.date(Y, 3, 31))
    for kwargs, field in [
        ({"planned_date": dt.date(Y, 4, 2)}, "planned_date"),
        ({"planned_month": dt.date(Y, 4, 1)}, "planned_month"),
        ({"planned_week": dt.date(Y, 4, 8)}, "planned_week"),
        ({"planned_week": dt.date(Y, 3, 12)}, "planned_week"),  # not a Monday
        ({"planned_date": dt.date(Y, 3, 5), "planned_month": dt.date(Y, 3, 1)}, "planned_month"),
    ]:
        with pytest.raises(ValidationError) as error:
            add(province, march, **kwargs)
        assert field in error.value.message_dict, kwargs
    assert "nằm ngoài thời gian của chương trình" in " ".join(
        ValidationError_messages(lambda: add(province, march, planned_date=dt.date(Y, 4, 2)))
    )
    # A week straddling the end of the month belongs to it.
    assert add(province, march, planned_week=dt.date(Y, 3, 25)).planned_week == dt.date(Y, 3, 25)
    assert [i.order for i in march.items.all()] == [1]


def ValidationError_messages(call):  # noqa: N802
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.messages


def test_a_parent_must_be_an_item_of_a_longer_programme_of_the_same_organisation(province):
    year = make(province)
    march = make(province, "month", dt.date(Y, 3, 1), dt.date(Y, 3, 31))
    other = services.program_create(
        actor=province.clerk_x.user,
        organization=province.commune_x,
        body="ban_thuong_vu",
        period="year",
        start=dt.date(Y, 1, 1),
        end=dt.date(Y, 12, 31),
        title="Chương trình năm của Đảng ủy xã",
    )
    sibling = add(province, march, planned_date=dt.date(Y, 3, 3))
    foreign = services.item_add(actor=province.clerk_x.user, program=other, content="Việc của xã")
    for parent in (sibling, foreign):
        with pytest.raises(ValidationError) as error:
            add(province, march, parent=parent)
        assert "parent" in error.value.message_dict
    in_june = add(province, year, planned_month=dt.date(Y, 6, 1))
    with pytest.raises(ValidationError):
        add(province, march, planned_date=dt.date(Y, 3, 3), parent=in_june)  # not the parent's time
    assert add(province, march, parent=add(province, year)).parent is not None


# --- Approval and tasks ---------------------------------------------------------------------------------


def test_approval_gives_tasks_due_on_the_last_working_day_of_the_week_or_month(province):
    # 31/3/2030 is a Sunday, 29/3 a Friday the office declared a day off.
    CalendarDay.objects.create(date=dt.date(Y, 3, 29), kind=DayKind.HOLIDAY, name="Nghỉ bù")
    year = make(province)
    by_month = add(
        province, year, "Tháng", preparing_organization=province.office, planned_month=dt.date(Y, 3, 1)
    )
    week = make(province, "week", dt.date(Y, 9, 2), dt.date(Y, 9, 8))
    by_week = add(
        province, week, "Tuần", preparing_organization=province.commune_x, planned_week=dt.date(Y, 9, 2)
    )
    by_day = add(
        province, year, "Ngày", preparing_organization=province.office, planned_date=dt.date(Y, 5, 14)
    )
    no_agency = add(province, year, "Không giao", planned_month=dt.date(Y, 4, 1))
    no_time = add(province, year, "Không thời gian", preparing_organization=province.office)
    assert by_month.task is None  # a draft gives no task
    with pytest.raises(PermissionDenied):
        services.program_approve(actor=province.specialist.user, program=year)
    with pytest.raises(PermissionDenied):  # the Chánh Văn phòng approves the routine ones only
        services.program_approve(actor=province.chief.user, program=year)
    services.program_approve(actor=province.leader.user, program=year)
    services.program_approve(actor=province.chief.user, program=week)  # a week: routine
    refresh(by_month, by_week, by_day, no_agency, no_time)
    year.refresh_from_db()
    assert year.state == ProgramState.APPROVED and year.approved_by == province.leader
    assert by_month.task.due_date == dt.date(Y, 3, 28)  # 29/3 off, 30–31/3 the weekend
    assert by_month.task.lead_organization == province.office
    assert by_month.task.source_kind == SourceKind.PROGRAM
    assert by_month.task.source_label.startswith("Chương trình công tác năm: ")
    assert by_month.task.source_id == by_month.pk
    assert by_week.task.due_date == dt.date(Y, 9, 6)  # Friday of that week; 2/9 is Quốc khánh
    assert by_day.task.due_date == dt.date(Y, 5, 14)
    assert no_agency.task is None and no_time.task is None
    assert Task.objects.count() == 3
    # An item added afterwards gets its task at once.
    late = add(
        province, year, "Bổ sung", preparing_organization=province.office, planned_date=dt.date(Y, 6, 3)
    )
    assert late.task is not None and late.task.due_date == dt.date(Y, 6, 3)
    with pytest.raises(ValidationError):
        services.program_approve(actor=province.leader.user, program=year)


# --- Carry-down and roll-up -------------------------------------------------------------------------------


def test_carry_down_narrows_the_time_refuses_twice_and_follows_the_parent_task(province, ladder):
    year, march, week, item, in_march, in_week = ladder
    assert in_march.parent == item and in_march.planned_month == dt.date(Y, 3, 1)
    assert in_week.parent == in_march and in_week.planned_week == dt.date(Y, 3, 11)
    assert in_week.preparing_organization == province.office and in_week.leader == province.leader
    assert in_week.meeting_kind == "hop_ban_thuong_vu"
    with pytest.raises(ValidationError) as error:
        services.item_carry_down(actor=province.chief.user, item=item, program=march)
    assert "đã có trong chương trình" in error.value.messages[0]
    with pytest.raises(ValidationError):  # upward is no carry-down
        services.item_carry_down(actor=province.chief.user, item=in_week, program=march)
    april = make(province, "month", dt.date(Y, 4, 1), dt.date(Y, 4, 30))
    with pytest.raises(ValidationError):  # planned for March
        services.item_carry_down(actor=province.chief.user, item=item, program=april)
    assert {i.pk for i in selectors.carry_candidates(province.chief.user, march)} == set()
    june = add(province, year, planned_month=dt.date(Y, 6, 1))
    assert june not in selectors.carry_candidates(province.chief.user, march)
    free = add(province, year, "Không hẹn thời gian")
    assert free in selectors.carry_candidates(province.chief.user, march)
    # Approved: the year item's task, the carried-down items follow it (one matter, one task).
    services.program_approve(actor=province.leader.user, program=year)
    services.program_approve(actor=province.leader.user, program=march)
    refresh(item, in_march)
    assert item.task is not None and in_march.task == item.task
    services.program_approve(actor=province.chief.user, program=week)
    in_week.refresh_from_db()
    assert in_week.task == item.task and Task.objects.count() == 1


def test_the_roll_up_runs_year_month_week(province, ladder):
    year, march, week, item, in_march, in_week = ladder
    services.item_set_state(
        actor=province.chief.user, item=in_week, state="done", done_on=dt.date(2026, 3, 12)
    )
    refresh(item, in_march, in_week)
    assert (in_week.state, in_march.state, item.state) == ("done", "done", "done")
    assert item.done_on == dt.date(2026, 3, 12)
    # Back to planned: the parents follow.
    services.item_set_state(actor=province.chief.user, item=in_week, state="planned")
    refresh(item, in_march)
    assert (in_march.state, item.state) == ("planned", "planned")
    # Dropped: every chain dropped, the child's reason goes up.
    services.item_set_state(
        actor=province.chief.user, item=in_week, state="dropped", reason="Trung ương đã hướng dẫn"
    )
    refresh(item, in_march)
    assert (in_march.state, item.state) == ("dropped", "dropped")
    assert item.reason == in_march.reason == "Trung ương đã hướng dẫn"
    assert AuditEvent.objects.filter(action="program.item_state").count() >= 7


def test_moving_keeps_the_reason_cancels_the_old_task_and_gives_a_new_one(province):
    march = make(province, "month", dt.date(Y, 3, 1), dt.date(Y, 3, 31))
    april = make(province, "month", dt.date(Y, 4, 1), dt.date(Y, 4, 30))
    item = add(
        province,
        march,
        "Hội nghị chuyên đề",
        preparing_organization=province.office,
        planned_date=dt.date(Y, 3, 20),
    )
    services.program_approve(actor=province.chief.user, program=march)
    services.program_approve(actor=province.chief.user, program=april)
    item.refresh_from_db()
    old_task = item.task
    with pytest.raises(ValidationError) as error:
        services.item_move(actor=province.chief.user, item=item, program=april, reason=" ")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:  # earlier, not later
        services.item_move(actor=province.chief.user, item=item, program=march, reason="Lùi")
    assert "program" in error.value.message_dict
    new = services.item_move(
        actor=province.chief.user, item=item, program=april, reason="Chờ ý kiến Trung ương"
    )
    item.refresh_from_db()
    old_task.refresh_from_db()
    assert item.state == ItemState.MOVED and item.reason == "Chờ ý kiến Trung ương"
    assert new.moved_from == item and new.program == april and new.state == ItemState.PLANNED
    assert new.planned_month == dt.date(Y, 4, 1)  # the date left March: the target's month
    assert old_task.outcome == Outcome.CANCELLED
    assert "Chờ ý kiến Trung ương" in old_task.events.order_by("-id").first().text
    assert (
        new.task is not None and new.task != old_task and new.task.due_date == dt.date(Y, 4, 29)
    )  # 30/4 a holiday
    with pytest.raises(ValidationError):  # moved once: recorded in the new programme
        services.item_set_state(actor=province.chief.user, item=item, state="done")
    with pytest.raises(ValidationError):
        services.item_set_state(actor=province.chief.user, item=new, state="moved")


def test_moving_a_week_item_out_of_the_month_moves_the_parents_and_their_task(province, ladder):
    year, march, week, item, in_march, in_week = ladder
    for p in (year, march):
        services.program_approve(actor=province.leader.user, program=p)
    services.program_approve(actor=province.chief.user, program=week)
    item.refresh_from_db()
    shared = item.task
    next_week = make(province, "week", dt.date(Y, 3, 18), dt.date(Y, 3, 24))
    services.program_approve(actor=province.chief.user, program=next_week)
    inside = services.item_move(
        actor=province.chief.user, item=in_week, program=next_week, reason="Trùng lịch"
    )
    refresh(item, in_march)
    shared.refresh_from_db()
    assert in_march.state == "planned" and inside.parent == in_march
    assert shared.outcome == Outcome.CANCELLED and inside.task.outcome == Outcome.OPEN
    assert inside.task.due_date == dt.date(Y, 3, 22)  # the Friday of the new week
    assert item.task == in_march.task == inside.task  # the year and the month follow the new task
    shared = inside.task
    april_week = make(province, "week", dt.date(Y, 4, 1), dt.date(Y, 4, 7))
    services.program_approve(actor=province.chief.user, program=april_week)
    out = services.item_move(
        actor=province.chief.user, item=inside, program=april_week, reason="Chưa đủ số liệu"
    )
    refresh(item, in_march)
    shared.refresh_from_db()
    assert (in_march.state, in_march.reason) == ("moved", "Chưa đủ số liệu")
    assert item.state == "planned"  # the month moved within the year
    assert shared.outcome == Outcome.CANCELLED
    assert out.task is not None and out.task != shared and out.task.outcome == Outcome.OPEN
    assert item.task == out.task  # the year's item, still planned, follows the matter to April
    # Done in April: the chain is done, and so are the month (moved there) and the year.
    services.item_set_state(actor=province.chief.user, item=out, state="done", done_on=dt.date(2026, 4, 2))
    refresh(item, in_march)
    assert item.state == "done" and in_march.state == "done"


def test_dropping_cancels_the_task_with_the_reason_and_planning_again_gives_a_new_one(province):
    march = make(province, "month", dt.date(Y, 3, 1), dt.date(Y, 3, 31))
    item = add(province, march, preparing_organization=province.office, planned_date=dt.date(Y, 3, 20))
    services.program_approve(actor=province.chief.user, program=march)
    item.refresh_from_db()
    task = item.task
    with pytest.raises(ValidationError) as error:
        services.item_set_state(actor=province.chief.user, item=item, state="dropped")
    assert "reason" in error.value.message_dict
    with pytest.raises(PermissionDenied):  # the specialist may not cancel the chief's task
        services.item_set_state(actor=province.specialist.user, item=item, state="dropped", reason="Thôi")
    services.item_set_state(actor=province.chief.user, item=item, state="dropped", reason="Không còn phù hợp")
    item.refresh_from_db()
    task.refresh_from_db()
    assert item.state == "dropped" and item.reason == "Không còn phù hợp"
    assert task.outcome == Outcome.CANCELLED
    services.item_set_state(actor=province.chief.user, item=item, state="planned")
    item.refresh_from_db()
    assert item.reason == "" and item.task != task and item.task.outcome == Outcome.OPEN
    with pytest.raises(PermissionDenied):
        services.item_set_state(actor=province.clerk_x.user, item=item, state="done")


def test_a_meeting_held_on_an_item_makes_it_done(province, ladder):
    _year, _march, _week, item, in_march, in_week = ladder
    services.item_meeting_held(item=in_week, on_date=dt.date(2026, 3, 14), actor=province.chief.user)
    refresh(item, in_march, in_week)
    assert in_week.state == "done" and in_week.done_on == dt.date(2026, 3, 14)
    assert item.state == "done"
    services.item_meeting_held(item=in_week, on_date=dt.date(2026, 3, 15), actor=province.chief.user)
    in_week.refresh_from_db()
    assert in_week.done_on == dt.date(2026, 3, 14)  # already done: left as it is


# --- Issue, visibility, report ----------------------------------------------------------------------------


def test_the_ctr_draft_goes_through_the_outgoing_flow(province):
    year = make(province)
    add(
        province,
        year,
        "Hội nghị Ban Chấp hành giữa năm",
        preparing_organization=province.office,
        planned_month=dt.date(Y, 7, 1),
    )
    with pytest.raises(ValidationError):  # not approved yet
        services.program_issue_draft(actor=province.chief.user, program=year)
    services.program_approve(actor=province.leader.user, program=year)
    document = services.program_issue_draft(actor=province.chief.user, program=year, signer=province.leader)
    year.refresh_from_db()
    assert year.document == document and document.doc_type == "CTr" and document.state != DocumentState.ISSUED
    body = document.versions.order_by("-number").first()
    text = body.body
    assert "Hội nghị Ban Chấp hành giữa năm" in text and "tháng 07/" in text
    assert (
        selectors.program_state(selectors.program_detail(province.chief.user).get(pk=year.pk)) == "approved"
    )
    with pytest.raises(ValidationError):
        services.program_issue_draft(actor=province.chief.user, program=year)
    type(document).objects.filter(pk=document.pk).update(state=DocumentState.ISSUED)
    shown = selectors.program_detail(province.chief.user).get(pk=year.pk)
    assert selectors.program_state(shown) == "issued"
    assert selectors.program_list(province.chief.user, period="year").get().shown_state == "issued"


def test_the_preparing_agency_sees_only_the_items_that_concern_it(province):
    year = make(province)
    mine = add(province, year, "Việc của xã An Phú", preparing_organization=province.commune_x)
    add(province, year, "Việc của Văn phòng", preparing_organization=province.office)
    assert list(selectors.program_items(province.clerk_x.user, year)) == [mine]
    assert selectors.program_items(province.leader.user, year).count() == 2
    assert selectors.programs_visible_to(province.clerk_y.user).count() == 0
    assert selectors.program_report(province.clerk_x.user, year).totals.total == 1


def test_the_report_counts_by_agency_with_the_reasons(province, django_assert_max_num_queries):
    march = make(province, "month", dt.date(Y, 3, 1), dt.date(Y, 3, 31))
    april = make(province, "month", dt.date(Y, 4, 1), dt.date(Y, 4, 30))
    office_items = [
        add(province, march, f"Việc {n}", preparing_organization=province.office) for n in range(4)
    ]
    commune = add(province, march, "Việc của xã", preparing_organization=province.commune_x)
    add(province, march, "Chưa giao")
    services.item_set_state(
        actor=province.chief.user, item=office_items[0], state="done", done_on=dt.date(2026, 3, 2)
    )
    services.item_set_state(actor=province.chief.user, item=office_items[1], state="done")
    services.item_move(actor=province.chief.user, item=office_items[2], program=april, reason="Chờ số liệu")
    services.item_set_state(actor=province.chief.user, item=commune, state="dropped", reason="Đã lồng ghép")
    with django_assert_max_num_queries(2):
        report = selectors.program_report(province.chief.user, march)
    rows = {r.name: r for r in report.rows}
    office = rows[province.office.name]
    assert (office.total, office.done, office.moved, office.planned, office.dropped) == (4, 2, 1, 1, 0)
    assert office.percent_done == 50.0
    assert [(i.content, i.reason) for i in office.closed] == [("Việc 2", "Chờ số liệu")]
    assert office.closed[0].moved_to_program_id == april.pk
    assert rows[province.commune_x.name].closed[0].reason == "Đã lồng ghép"
    assert rows["Chưa giao cơ quan chuẩn bị"].total == 1
    assert report.rows[-1].organization_id is None
    assert (report.totals.total, report.totals.done) == (6, 2)


# --- Pages ------------------------------------------------------------------------------------------------


@pytest.fixture
def pages(settings, client):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    return client


def test_the_pages_render_for_the_office_and_hide_from_outsiders(pages, province, ladder):
    from django.urls import reverse

    year, march, week, item, in_march, in_week = ladder
    add(
        province,
        march,
        "Việc được chuyển",
        preparing_organization=province.office,
        planned_date=dt.date(Y, 3, 5),
    )
    services.item_set_state(
        actor=province.chief.user, item=in_week, state="done", done_on=dt.date(2026, 3, 12)
    )
    pages.force_login(province.chief.user)
    html = pages.get(reverse("programs:program_list"), {"nam": Y}).content.decode()
    assert year.title in html and march.title in html and 'data-label="Chương trình"' in html
    assert "Lập chương trình" in html
    response = pages.get(reverse("programs:program_detail", args=[march.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sơ kết công tác quý I" in html and "Đã thực hiện" in html and "tháng 03/2030" in html
    assert "Lấy từ chương trình dài hơn" not in html  # nothing more of the year falls in March
    assert 'data-label="Chuẩn bị, phụ trách"' in html and "Duyệt chương trình" in html
    response = pages.get(reverse("programs:program_report", args=[march.pk]))
    assert response.status_code == 200 and "Theo cơ quan chuẩn bị" in response.content.decode()
    assert pages.get(reverse("programs:program_create")).status_code == 200
    pages.force_login(province.clerk_y.user)
    assert pages.get(reverse("programs:program_detail", args=[march.pk])).status_code == 404
    assert pages.get(reverse("programs:program_report", args=[march.pk])).status_code == 404
    assert pages.get(reverse("programs:program_create")).status_code == 200  # their own Đảng ủy's


def test_the_pages_create_add_carry_move_and_record(pages, province):
    from django.urls import reverse

    pages.force_login(province.chief.user)
    response = pages.post(
        reverse("programs:program_create"),
        {
            "organization": province.committee.pk,
            "body": "ban_thuong_vu",
            "period": "year",
            "start": f"01/01/{Y}",
            "end": "",
            "title": f"Chương trình công tác năm {Y}",
        },
    )
    from vanphong.programs.models import Program

    year = Program.objects.get(period="year")
    assert response.status_code == 302 and year.end == dt.date(Y, 12, 31)
    bad = pages.post(
        reverse("programs:program_item_add", args=[year.pk]), {"content": "X", "planned_month": f"13/{Y}"}
    )
    assert bad.status_code == 400 and "Tháng viết theo dạng" in bad.content.decode()
    pages.post(
        reverse("programs:program_item_add", args=[year.pk]),
        {
            "content": "Hội nghị sơ kết",
            "preparing_organization": province.office.pk,
            "planned_month": f"03/{Y}",
        },
    )
    item = year.items.get()
    assert item.planned_month == dt.date(Y, 3, 1) and item.preparing_organization == province.office
    march = make(province, "month", dt.date(Y, 3, 1), dt.date(Y, 3, 31))
    april = make(province, "month", dt.date(Y, 4, 1), dt.date(Y, 4, 30))
    html = pages.get(reverse("programs:program_detail", args=[march.pk])).content.decode()
    assert "Lấy từ chương trình dài hơn (1 nội dung" in html
    pages.post(reverse("programs:program_carry_down", args=[march.pk]), {"items": [item.pk]})
    child = march.items.get()
    assert child.parent == item
    refused = pages.post(
        reverse("programs:program_item_move", args=[child.pk]),
        {"program": april.pk, "reason": ""},
        follow=True,
    )
    assert "Hãy nêu lý do chuyển sang kỳ sau." in refused.content.decode()
    pages.post(
        reverse("programs:program_item_move", args=[child.pk]), {"program": april.pk, "reason": "Lùi lịch"}
    )
    child.refresh_from_db()
    assert child.state == "moved" and child.reason == "Lùi lịch"
    moved = april.items.get()
    done = pages.post(
        reverse("programs:program_item_state", args=[moved.pk]),
        {"state": "done", "done_on": "", "reason": ""},
        follow=True,
    )
    assert "Đã ghi kết quả nội dung số 1: Đã thực hiện." in done.content.decode()
    item.refresh_from_db()
    assert item.state == "done"
    pages.post(reverse("programs:program_approve", args=[april.pk]))
    april.refresh_from_db()
    assert april.state == "approved"
    response = pages.post(reverse("programs:program_issue_draft", args=[april.pk]))
    april.refresh_from_db()
    assert response.status_code == 302 and april.document is not None


# --- Demo ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("today", [dt.date(2026, 12, 7), dt.date(2026, 2, 18)])
def test_the_demo_year_of_programmes(db, settings, tmp_path, today):
    from vanphong.audit.verify import verify_chain
    from vanphong.demo import orgs as orgs_demo
    from vanphong.demo.work_programs import seed_work_programs, summary
    from vanphong.programs.models import Program

    settings.MEDIA_ROOT = tmp_path
    orgs_demo.seed_demo(scale=1)
    counts = seed_work_programs(today=today)
    assert "chương trình công tác" in summary(counts)
    annual = Program.objects.get(period="year")
    assert annual.items.count() >= 40 and annual.state == ProgramState.APPROVED
    months = Program.objects.filter(period="month")
    assert months.count() == today.month and Program.objects.filter(period="week").count() == 1
    assert not Program.objects.filter(state=ProgramState.DRAFT).exists()
    if today.month == 12:
        assert counts["moved"] >= 2 and counts["dropped"] == 2 and counts["done"] > 25
        assert counts["completed"] == counts["done"]
        assert annual.items.filter(state=ItemState.DONE).count() > 25
        assert annual.items.filter(state=ItemState.DROPPED).count() >= 1
        assert ProgramItem.objects.filter(moved_from__isnull=False).count() == counts["moved"]
        # Moved and dropped leave no open task behind; every planned item with a task follows an open one.
        for item in ProgramItem.objects.filter(state=ItemState.PLANNED, task__isnull=False).select_related(
            "task"
        ):
            assert item.task.outcome == Outcome.OPEN, item
    assert counts["tasks"] >= 40
    assert verify_chain().ok
