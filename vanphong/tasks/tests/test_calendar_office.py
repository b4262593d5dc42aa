"""The public holidays computed for any year, and the office's page for the Government's
yearly decisions (bridges, days off in lieu, Saturdays worked)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from vanphong.audit.models import AuditEvent
from vanphong.tasks.calendar import WorkCalendar
from vanphong.tasks.models import CalendarDay, DayKind
from vanphong.tasks.public_holidays import lunar_new_year, public_holiday_dates, public_holidays
from vanphong.tasks.tests.factories import TaskFactory

D = dt.date


@pytest.fixture(autouse=True)
def _pages_without_second_factor(settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"


def test_the_holidays_of_2027_are_computed():
    days = {h.date: h.name for h in public_holidays(2027)}
    # Tết Đinh Mùi: mùng 1 is Saturday 6/2/2027; the eve (29 tháng Chạp) and mùng 1–4, and
    # two days in lieu of mùng 1 and 2, which fall on the weekend (Art. 111(3)).
    assert [d for d in days if d.month == 2] == [D(2027, 2, d) for d in (5, 6, 7, 8, 9, 10, 11)]
    assert "Nghỉ bù" in days[D(2027, 2, 10)] and "Nghỉ bù" in days[D(2027, 2, 11)]
    assert "Nghỉ bù" in days[D(2027, 5, 3)]  # 1/5/2027 is a Saturday
    assert "Giỗ Tổ Hùng Vương" in days[D(2027, 4, 16)]  # 10/3 âm lịch
    assert {D(2027, 1, 1), D(2027, 4, 30), D(2027, 5, 1), D(2027, 9, 2)} <= set(days)
    assert D(2027, 9, 3) in days  # 2/9 a Thursday: the adjacent day joins the weekend


def test_the_lunar_calendar_is_the_vietnamese_one():
    # The new moon falls either side of midnight between UTC+7 and UTC+8 in these years.
    assert lunar_new_year(2007) == D(2007, 2, 17)  # China: 18/2/2007
    assert lunar_new_year(1985) == D(1985, 1, 21)  # China: 20/2/1985 (another leap month)
    assert lunar_new_year(2026) == D(2026, 2, 17)


def test_the_quoc_khanh_adjacent_day_follows_the_yearly_notices():
    # 2021 (Thu) 3/9; 2022 (Fri) 1/9; 2023 (Sat) 1/9; 2024 (Mon) 3/9; 2025 (Tue) 1/9; 2026 (Wed) 1/9.
    expected = {2021: 3, 2022: 1, 2023: 1, 2024: 3, 2025: 1, 2026: 1}
    for year, day in expected.items():
        assert D(year, 9, day) in public_holiday_dates(year), year


def test_outside_the_lunar_range_only_the_solar_holidays_count():
    days = [h for h in public_holidays(2101) if not h.name.startswith("Nghỉ bù")]
    assert len(days) == 5 and not any("Tết Nguyên đán" in h.name for h in days)


def test_a_holiday_on_the_weekend_gives_the_next_working_day_off():
    # 2026: Giỗ Tổ on Sunday 26/4 → Monday 27/4, as the Government's notice for 2026 has it.
    assert D(2026, 4, 27) in public_holiday_dates(2026)
    # 2101: 1/1 on a Saturday → Monday 3/1; never a weekend day or another holiday.
    assert D(2101, 1, 3) in public_holiday_dates(2101)


def test_a_plain_calendar_ignores_the_computed_holidays():
    assert WorkCalendar.of().is_working_day(D(2027, 2, 8))
    assert not WorkCalendar.of(computed=True).is_working_day(D(2027, 2, 8))


@pytest.mark.django_db
def test_a_due_date_on_tet_2027_moves_to_the_next_working_day(province):
    calendar = WorkCalendar.load()
    # Friday the eve → Friday 12/2 (Tết to Tuesday, then two days in lieu).
    assert calendar.effective_due(D(2027, 2, 5)) == D(2027, 2, 12)
    assert calendar.effective_due(D(2027, 2, 8)) == D(2027, 2, 12)
    task = TaskFactory(
        province=province, title="Báo cáo đầu năm", due_date=D(2027, 2, 8), assigned_on=D(2027, 1, 4)
    )
    assert task.effective_due == D(2027, 2, 12)


@pytest.mark.django_db
def test_an_office_row_wins_over_a_computed_holiday():
    CalendarDay.objects.create(date=D(2027, 2, 9), kind=DayKind.WORKING, name="Làm việc (thông báo)")
    assert WorkCalendar.load().is_working_day(D(2027, 2, 9))


# --- The page -----------------------------------------------------------------------------------


def _open(client, who, name, *args, **params):
    client.force_login(who.user)
    response = client.get(reverse(name, args=args), params)
    return response, response.content.decode()


@pytest.mark.django_db
def test_the_office_adds_a_bridge_day_and_the_open_tasks_move(client, province):
    task = TaskFactory(
        province=province, title="Báo cáo sau Tết", due_date=D(2027, 2, 12), assigned_on=D(2027, 1, 4)
    )
    assert task.effective_due == D(2027, 2, 12)

    response, html = _open(client, province.chief, "tasks:calendar", nam=2027)
    assert response.status_code == 200
    assert "Tết Nguyên đán (mùng 1)" in html and "Tính sẵn" in html

    response = client.post(
        reverse("tasks:calendar_add"),
        {"date": "12/02/2027", "kind": "holiday", "name": "Nghỉ hoán đổi (Thông báo số 01/TB-BNV)"},
    )
    assert response.status_code == 302 and response["Location"].endswith("?nam=2027")
    task.refresh_from_db()
    assert task.effective_due == D(2027, 2, 15)  # Monday
    day = CalendarDay.objects.get(date=D(2027, 2, 12))
    event = AuditEvent.objects.get(action="calendar_day.create", target_id=str(day.pk))
    assert event.actor_id == province.chief.user.pk
    assert event.after["tasks_moved"] == 1

    response = client.post(
        reverse("tasks:calendar_edit", args=[day.pk]),
        {"date": "12/02/2027", "kind": "working", "name": "Làm việc bình thường"},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.effective_due == D(2027, 2, 12)
    assert AuditEvent.objects.filter(action="calendar_day.update", target_id=str(day.pk)).exists()

    response = client.post(reverse("tasks:calendar_delete", args=[day.pk]))
    assert response.status_code == 302
    assert not CalendarDay.objects.filter(pk=day.pk).exists()
    assert AuditEvent.objects.filter(action="calendar_day.delete", target_id=str(day.pk)).exists()


@pytest.mark.django_db
def test_a_day_already_entered_is_refused_next_to_the_field(client, province):
    CalendarDay.objects.create(date=D(2027, 5, 3), name="Nghỉ bù")
    client.force_login(province.admin.user)
    response = client.post(
        reverse("tasks:calendar_add"), {"date": "03/05/2027", "kind": "holiday", "name": "Trùng"}
    )
    assert response.status_code == 400
    assert "đã có trong lịch" in response.content.decode()
    assert CalendarDay.objects.filter(date=D(2027, 5, 3)).count() == 1


@pytest.mark.django_db
def test_only_administrators_and_the_offices_leaders_keep_the_calendar(client, province):
    day = CalendarDay.objects.create(date=D(2027, 5, 3), name="Nghỉ bù")
    for who in (province.clerk_x, province.specialist):
        client.force_login(who.user)
        assert client.get(reverse("tasks:calendar")).status_code == 403
        response = client.post(
            reverse("tasks:calendar_add"), {"date": "04/05/2027", "kind": "holiday", "name": "Cầu"}
        )
        assert response.status_code == 403
        assert client.post(reverse("tasks:calendar_delete", args=[day.pk])).status_code == 403
    assert not CalendarDay.objects.filter(date=D(2027, 5, 4)).exists()
    assert CalendarDay.objects.filter(pk=day.pk).exists()
    _, html = _open(client, province.clerk_x, "tasks:list")
    assert "Lịch ngày nghỉ" not in html
    for who in (province.admin, province.chief):
        response, html = _open(client, who, "tasks:list")
        assert 'href="/nhiem-vu/lich-nghi/"' in html
        assert client.get(reverse("tasks:calendar")).status_code == 200
