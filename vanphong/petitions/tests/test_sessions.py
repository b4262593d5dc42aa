"""The reception schedule (``sessions``): a session by the office for a leader of the
organisation, the year's regular days moved off days off and never twice, cancelling with a
reason, and the office's page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from vanphong.audit.models import AuditEvent
from vanphong.orgs.models import Role
from vanphong.orgs.tests.factories import make_actor
from vanphong.petitions import sessions
from vanphong.petitions.models import ReceptionSession
from vanphong.tasks.calendar import WorkCalendar

TODAY = dt.date(2026, 1, 5)
# Saturday and Sunday off, and 2 September 2026 (a Wednesday) a holiday.
CALENDAR = WorkCalendar.of(weekend=(5, 6), holidays=[dt.date(2026, 9, 2)])


def create(province, **kwargs):
    values = {
        "actor": province.clerk.user,
        "organization": province.committee,
        "leader": province.leader,
        "date": dt.date(2026, 1, 20),
        "start": dt.time(8, 0),
        "end": dt.time(11, 30),
        "place": "Trụ sở Tiếp công dân tỉnh",
        "kind": "adhoc",
        "today": TODAY,
    }
    values.update(kwargs)
    return sessions.session_create(**values)


def plan(province, **kwargs):
    values = {
        "actor": province.specialist.user,
        "organization": province.committee,
        "leader": province.leader,
        "year": 2026,
        "days_of_month": [15],
        "start": dt.time(7, 30),
        "end": dt.time(11, 30),
        "place": "Trụ sở Tiếp công dân tỉnh",
        "calendar": CALENDAR,
        "today": TODAY,
    }
    values.update(kwargs)
    return sessions.plan_regular(**values)


def test_the_office_adds_a_session_of_a_leader(province):
    session = create(province)
    assert session.leader == province.leader and session.published and session.created_by == province.clerk
    assert AuditEvent.objects.filter(action="reception_session.create").count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"date": dt.date(2026, 1, 2)}, "date"),
        ({"end": dt.time(7, 0)}, "end"),
        ({"place": " "}, "place"),
        ({"kind": "khac"}, "kind"),
    ],
)
def test_a_session_is_checked(province, change, field):
    with pytest.raises(ValidationError) as error:
        create(province, **change)
    assert field in error.value.message_dict


def test_only_a_leader_of_the_organisation_receives_and_only_its_office_plans(province):
    with pytest.raises(ValidationError) as error:
        create(province, leader=province.chief)
    assert "leader" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        create(province, actor=province.clerk_x.user)
    create(province)
    with pytest.raises(ValidationError) as error:
        create(province)
    assert "cùng ngày, cùng giờ" in error.value.message_dict["date"][0]


def test_planning_the_year_moves_days_off_and_skips_what_is_there(province):
    create(province, date=dt.date(2026, 4, 15), kind="regular")  # already planned by hand
    created = plan(province)
    days = [s.date for s in created]
    assert len(days) == 11  # twelve months less April, already there
    assert dt.date(2026, 1, 15) in days  # a Thursday
    assert dt.date(2026, 2, 16) in days and dt.date(2026, 2, 15) not in days  # Sunday → Monday
    assert dt.date(2026, 3, 16) in days  # Sunday → Monday
    assert dt.date(2026, 8, 17) in days  # Saturday → Monday
    assert dt.date(2026, 4, 15) not in days
    assert all(CALENDAR.is_working_day(d) for d in days)
    assert plan(province) == []  # twice: nothing more
    assert ReceptionSession.objects.filter(leader=province.leader).count() == 12


def test_a_holiday_moves_the_day_and_past_days_are_not_planned(province):
    created = plan(province, days_of_month=[2], today=dt.date(2026, 6, 10))
    days = [s.date for s in created]
    assert days[0] == dt.date(2026, 7, 2)
    assert dt.date(2026, 9, 3) in days and dt.date(2026, 9, 2) not in days


def test_a_commune_secretary_receives_at_least_two_days_a_month(province):
    secretary = make_actor("bithu_x", province.commune_x, Role.LANH_DAO_CAP_UY)
    with pytest.raises(ValidationError) as error:
        plan(province, actor=province.clerk_x.user, organization=province.commune_x, leader=secretary)
    assert "ít nhất 2 ngày" in error.value.message_dict["days_of_month"][0]
    created = plan(
        province,
        actor=province.clerk_x.user,
        organization=province.commune_x,
        leader=secretary,
        days_of_month=[5, 20],
    )
    assert len(created) == 24


def test_cancelling_needs_a_reason_and_takes_the_session_off_the_public_schedule(province):
    session = create(province, date=dt.date(2099, 1, 20), today=None)
    with pytest.raises(ValidationError):
        sessions.session_cancel(actor=province.clerk.user, session=session, reason=" ")
    assert session in sessions.published_sessions()
    sessions.session_cancel(actor=province.clerk.user, session=session, reason="Đồng chí Bí thư đi công tác")
    session.refresh_from_db()
    assert session.cancelled and "đi công tác" in session.note
    assert session not in sessions.published_sessions()


def test_the_office_page_plans_adds_and_cancels(client, province, settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    client.force_login(province.clerk.user)
    response = client.get(reverse("petitions:session_list"))
    assert response.status_code == 200 and "Lập lịch tiếp định kỳ cả năm" in response.content.decode()
    year = dt.date.today().year + 1
    response = client.post(
        reverse("petitions:session_plan"),
        {
            "organization": province.committee.pk,
            "leader": province.leader.pk,
            "year": year,
            "days_of_month": "15",
            "start": "07:30",
            "end": "11:30",
            "place": "Trụ sở Tiếp công dân tỉnh",
            "published": "on",
        },
    )
    assert response.status_code == 302
    assert ReceptionSession.objects.filter(date__year=year).count() == 12
    session = ReceptionSession.objects.filter(date__year=year).first()
    response = client.post(reverse("petitions:session_cancel", args=[session.pk]), {"reason": ""})
    assert response.status_code == 400
    response = client.post(
        reverse("petitions:session_cancel", args=[session.pk]), {"reason": "Trùng lịch họp"}
    )
    assert response.status_code == 302
    client.force_login(province.clerk_x.user)
    assert (
        client.post(reverse("petitions:session_cancel", args=[session.pk]), {"reason": "x"}).status_code
        == 404
    )
