"""The task pages: the lists and their drill-down filters, the task page for the right
people only, the document page's panel, the home page's groups and the navigation."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from vanphong.audit.models import AuditEvent
from vanphong.documents.tests.factories import incoming_entry
from vanphong.orgs.models import Classification
from vanphong.orgs.tests.factories import UnitFactory
from vanphong.tasks import services
from vanphong.tasks.models import SourceKind, Task
from vanphong.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _pages_without_second_factor(settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"


def give(province, lead, *, due=20, **kw):
    return TaskFactory(province=province, lead=lead, due_in=due, **kw)


def backdate(task, *, due_days_ago):
    """Make ``task`` overdue: given earlier, due ``due_days_ago`` days ago (a row edit, as
    time passing would do; the services refuse a due date in the past)."""
    due = TODAY - dt.timedelta(days=due_days_ago)
    Task.objects.filter(pk=task.pk).update(
        assigned_on=due - dt.timedelta(days=30), due_date=due, original_due_date=due, effective_due=due
    )
    task.refresh_from_db()
    return task


def titles(html):
    return re.findall(r'href="/nhiem-vu/\d+/"(?: title="[^"]*")?>([^<]+)</a>', html)


def get(client, who, name, *args, **params):
    client.force_login(who.user)
    response = client.get(reverse(name, args=args), params)
    return response, response.content.decode()


# --- The list ------------------------------------------------------------------------------------


def test_list_shows_counts_status_in_words_days_late_and_progress(client, province):
    late = backdate(give(province, province.commune_x, title="Báo cáo sơ kết quý"), due_days_ago=4)
    soon = give(province, province.commune_x, title="Chuẩn bị hội nghị", due=1)
    done = give(province, province.commune_x, title="Rà soát đảng viên")
    services.task_complete(actor=province.clerk_x.user, task=done, text="Đã rà soát xong")
    services.task_report_progress(actor=province.clerk_x.user, task=soon, text="Đang làm", percent=40)
    response, html = get(client, province.leader, "tasks:list")
    assert response.status_code == 200
    assert set(titles(html)) == {late.title, soon.title, done.title}
    assert "Quá hạn 4 ngày" in html and "badge-danger" in html  # colour and words
    assert "Sắp đến hạn" in html and "Hoàn thành đúng hạn" in html
    assert 'value="40"' in html and "40%" in html  # the progress bar and its number
    # The counts on top: all 3, overdue 1, done on time 1.
    assert re.search(r"Tất cả <span class=\"badge\">3</span>", html)
    assert re.search(r"Quá hạn <span class=\"badge\">1</span>", html)
    assert re.search(r"Hoàn thành đúng hạn <span class=\"badge\">1</span>", html)
    _, html = get(client, province.leader, "tasks:list", status="overdue")
    assert titles(html) == [late.title]


def test_drill_down_parameters_filter_the_list(client, province):
    unit = UnitFactory(organization=province.commune_x, name="Ban Xây dựng Đảng xã")
    to_x = give(province, province.commune_x, title="Giao An Phú", source_kind=SourceKind.CONCLUSION)
    to_unit = give(province, unit, title="Giao Ban Xây dựng Đảng", due=40)
    to_y = give(province, province.commune_y, title="Giao Bình Minh", actor=province.chief)
    late = backdate(give(province, province.commune_y, title="Bình Minh quá hạn"), due_days_ago=2)
    from_x = give(
        province,
        province.commune_y,
        title="An Phú giao Bình Minh",
        actor=province.chief,  # the Văn phòng enters it; the commune gives it
        organization=province.committee,
        issued_by=province.leader,
    )
    to_person = give(province, province.clerk_y, title="Giao cán bộ Bình Minh", due=50)

    def listed(**params):
        _, html = get(client, province.leader, "tasks:list", **params)
        return set(titles(html))

    assert listed(status="overdue") == {late.title}
    assert listed(status="in_progress") == {
        to_x.title,
        to_unit.title,
        to_y.title,
        from_x.title,
        to_person.title,
    }
    assert listed(lead_organization=province.commune_x.pk) == {to_x.title, to_unit.title}
    assert listed(organization=province.commune_y.pk) == {
        to_y.title,
        late.title,
        from_x.title,
        to_person.title,
    }
    assert listed(person=province.clerk_y.pk) == {to_person.title}
    assert len(listed(giver=province.committee.pk)) == 6 and listed(giver=province.commune_x.pk) == set()
    assert listed(unit=unit.pk) == {to_unit.title}
    assert listed(issued_by=province.chief.pk) == {to_y.title}
    assert listed(source_kind="conclusion") == {to_x.title}
    in_30 = TODAY + dt.timedelta(days=30)
    assert listed(due_from=TODAY.isoformat(), due_to=in_30.isoformat()) == {
        to_x.title,
        to_y.title,
        from_x.title,
    }
    assert listed(due_from=f"{in_30:%d/%m/%Y}") == {to_unit.title, to_person.title}
    assert listed(status="overdue", lead_organization=province.commune_x.pk) == set()
    # A drill-down link lands with its filters selected and its counts.
    _, html = get(client, province.leader, "tasks:list", lead_organization=province.commune_y.pk)
    assert re.search(rf'<option value="{province.commune_y.pk}" selected>ĐU Bình Minh', html)
    assert re.search(r"Quá hạn <span class=\"badge\">1</span>", html)
    # The dashboards' period (of the original due date) is said in words, and can be dropped.
    _, html = get(
        client, province.leader, "tasks:list", period_from=TODAY.isoformat(), period_to=in_30.isoformat()
    )
    assert set(titles(html)) == {to_x.title, to_y.title, from_x.title}  # not the one due 2 days ago
    assert f"từ {TODAY:%d/%m/%Y} đến {in_30:%d/%m/%Y}" in html and "Bỏ điều kiện này" in html
    # A bad date says so, in Vietnamese, and filters nothing out.
    _, html = get(client, province.leader, "tasks:list", due_from="31/02/2025")
    assert "Ngày phải viết theo dạng ngày/tháng/năm" in html and len(titles(html)) == 6


def test_quick_tabs_mine_and_given(client, province):
    to_x = give(province, province.commune_x, title="Việc của An Phú")
    give(province, province.commune_y, title="Việc của Bình Minh")
    by_chief = give(province, province.commune_x, title="Văn phòng giao", actor=province.chief)
    _, html = get(client, province.clerk_x, "tasks:list", tab="mine")
    assert set(titles(html)) == {to_x.title, by_chief.title}
    _, html = get(client, province.chief, "tasks:list", tab="given")
    assert titles(html) == [by_chief.title]
    assert 'aria-current="page">Việc tôi giao' in html


def test_list_is_paginated_and_htmx_gets_the_results_only(client, province, monkeypatch):
    monkeypatch.setattr("vanphong.tasks.views.list.PER_PAGE", 2)
    for n in range(5):
        give(province, province.commune_x, title=f"Nhiệm vụ số {n}")
    _, html = get(client, province.leader, "tasks:list", lead_organization=province.commune_x.pk)
    assert len(titles(html)) == 2 and "Trang 1/3" in html
    assert f"lead_organization={province.commune_x.pk}&amp;trang=2" in html  # filters kept
    client.force_login(province.leader.user)
    response = client.get(reverse("tasks:list"), {"trang": "3"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and titles(html) == ["Nhiệm vụ số 0"]


def test_overdue_list_puts_the_most_days_late_first(client, province):
    a = backdate(give(province, province.commune_x, title="Trễ hai ngày"), due_days_ago=2)
    b = backdate(give(province, province.commune_y, title="Trễ mười ngày"), due_days_ago=10)
    give(province, province.commune_x, title="Chưa đến hạn")
    response, html = get(client, province.leader, "tasks:overdue")
    assert response.status_code == 200
    assert titles(html) == [b.title, a.title]
    assert "Số ngày quá hạn" in html and "<strong>10</strong>" in html
    _, html = get(client, province.clerk_x, "tasks:overdue")
    assert titles(html) == [a.title]  # an organisation sees its own


# --- The task page: who sees it --------------------------------------------------------------------


def test_task_page_for_the_right_people_and_404_for_the_others(client, province):
    task = give(province, province.commune_x, title="Giao An Phú", cooperating=[province.office])
    for person in (province.leader, province.chief, province.specialist, province.clerk_x):
        response, html = get(client, person, "tasks:detail", task.pk)
        assert response.status_code == 200, person
        assert "Giao An Phú" in html and "Đảng ủy xã An Phú" in html and "Văn phòng Tỉnh ủy" in html
    response, _ = get(client, province.clerk_y, "tasks:detail", task.pk)
    assert response.status_code == 404
    # What each sees to do: the lead's clerk acts, the giver's side manages.
    _, html = get(client, province.clerk_x, "tasks:detail", task.pk)
    assert "Tiếp nhận nhiệm vụ" in html and "Báo cáo tiến độ" in html and "Hủy nhiệm vụ" not in html
    _, html = get(client, province.chief, "tasks:detail", task.pk)
    assert "Hủy nhiệm vụ" in html and "Điều chỉnh" in html and "Báo cáo tiến độ" not in html
    # The Văn phòng's specialist follows it up but decides nothing: that is for those who direct.
    _, html = get(client, province.specialist, "tasks:detail", task.pk)
    assert "Hủy nhiệm vụ" not in html
    # Acting without the right is refused, and acting on an unseen task is a 404.
    client.force_login(province.clerk_x.user)
    assert client.post(reverse("tasks:cancel", args=[task.pk]), {"reason": "x"}).status_code == 403
    client.force_login(province.clerk_y.user)
    assert client.post(reverse("tasks:accept", args=[task.pk])).status_code == 404


def test_a_classified_task_is_404_for_an_uncleared_reader_and_its_reading_is_audited(client, province):
    secret = give(province, province.commune_x, title="Việc mật", classification=Classification.MAT)
    response, _ = get(client, province.clerk_x, "tasks:detail", secret.pk)
    assert response.status_code == 404  # the commune's clerk has no clearance
    _, html = get(client, province.clerk_x, "tasks:list")
    assert "Việc mật" not in html
    response, html = get(client, province.leader, "tasks:detail", secret.pk)
    assert response.status_code == 200 and "MẬT" in html
    event = AuditEvent.objects.filter(action="task.view").get()
    assert event.target_id == str(secret.pk) and event.actor == province.leader.user
    plain = give(province, province.commune_x, title="Việc thường")
    get(client, province.leader, "tasks:detail", plain.pk)
    assert AuditEvent.objects.filter(action="task.view").count() == 1


def test_task_page_shows_source_dates_subtasks_and_history(client, province, books):
    entry = incoming_entry(
        province,
        symbol="12-TB/TU",
        subject="Thông báo kết luận của Ban Thường vụ",
        issued_date=TODAY - dt.timedelta(days=3),
    )
    task = give(
        province,
        province.commune_x,
        title="Thực hiện kết luận",
        source_document=entry.document,
        source_kind=SourceKind.CONCLUSION,
        source_label="Thông báo 12-TB/TU",
        due=30,
    )
    child = give(province, province.commune_x, title="Phần việc thứ nhất", parent=task, due=10)
    services.task_report_progress(actor=province.clerk_x.user, task=child, text="Được một nửa", percent=50)
    request = services.extension_request(
        actor=province.clerk_x.user,
        task=task,
        new_due_date=TODAY + dt.timedelta(days=40),
        reason="Chờ số liệu",
    )
    services.extension_decide(actor=province.leader.user, request=request, approve=True)
    _, html = get(client, province.leader, "tasks:detail", task.pk)
    assert reverse("documents:document_detail", args=[entry.document_id]) in html and "12-TB/TU" in html
    assert f"hạn ban đầu {(TODAY + dt.timedelta(days=30)):%d/%m/%Y}" in html
    assert "Phần việc thứ nhất" in html and "50%" in html  # the subtask, and the roll-up
    assert "Xin gia hạn" in html and "Đồng ý gia hạn" in html and "Chờ số liệu" in html
    _, html = get(client, province.clerk_x, "tasks:detail", task.pk)
    assert "Văn bản nguồn (bạn không được xem)" in html  # the commune does not see the committee's book


def test_a_due_date_on_a_holiday_shows_the_working_day_it_moves_to(client, province):
    from vanphong.tasks.models import CalendarDay

    day = TODAY + dt.timedelta(days=10)
    while day.weekday() >= 4:  # a Monday to Thursday, so that the next day is worked
        day += dt.timedelta(days=1)
    CalendarDay.objects.create(date=day, name="Nghỉ bù")
    task = TaskFactory(province=province, title="Hạn ngày nghỉ", due_date=day)
    _, html = get(client, province.leader, "tasks:detail", task.pk)
    assert f"tính đến hết ngày {(day + dt.timedelta(days=1)):%d/%m/%Y}" in html


# --- Around the pages ---------------------------------------------------------------------------------


def test_document_page_lists_the_tasks_from_the_document(client, province, books):
    entry = incoming_entry(
        province,
        symbol="05-NQ/TU",
        subject="Nghị quyết về chuyển đổi số",
        issued_date=TODAY,
    )
    visible = give(province, province.office, title="Xây dựng kế hoạch", source_document=entry.document)
    give(
        province,
        province.office,
        title="Phần mật",
        source_document=entry.document,
        classification=Classification.TUYET_MAT,
    )
    response, html = get(client, province.clerk, "documents:document_detail", entry.document_id)
    assert response.status_code == 200
    assert "Nhiệm vụ theo dõi" in html and visible.title in html
    assert "Phần mật" not in html  # beyond the clerk's clearance
    assert f"?source_document={entry.document_id}" not in html  # the clerk gives no tasks
    _, html = get(client, province.leader, "documents:document_detail", entry.document_id)
    assert "Phần mật" in html
    assert f"?source_document={entry.document_id}" in html  # give a task from this document


def test_home_page_shows_my_overdue_and_due_soon_tasks(client, province):
    late = backdate(give(province, province.commune_x, title="Việc trễ của xã"), due_days_ago=3)
    give(province, province.commune_x, title="Việc sắp đến hạn", due=1)
    give(province, province.commune_y, title="Việc của xã khác", due=1)
    response, html = get(client, province.clerk_x, "web:home")
    assert response.status_code == 200
    assert "Nhiệm vụ quá hạn" in html and late.title in html
    assert "Nhiệm vụ sắp đến hạn" in html and "Việc sắp đến hạn" in html
    assert "Việc của xã khác" not in html
    assert "tab=mine&amp;status=overdue" in html


def test_home_page_shows_a_task_as_soon_as_it_is_given(client, province):
    """A task given today, due in a month, shows on its assignee's home page until they
    accept it; a long title is cut with "…"."""
    title = "Xây dựng kế hoạch thực hiện chuyển đổi số trong các cơ quan đảng của xã giai đoạn 2026 - 2030"
    task = give(province, province.commune_x, title=title, due=30)
    give(province, province.commune_y, title="Việc của xã khác", due=30)
    _, html = get(client, province.clerk_x, "web:home")
    assert "Nhiệm vụ mới giao, chưa tiếp nhận" in html
    assert f"{title[:79]}… — hạn {task.due_date:%d/%m/%Y}" in html
    assert f'href="{reverse("tasks:detail", args=[task.pk])}"' in html
    assert "Việc của xã khác" not in html
    _, html = get(client, province.leader, "web:home")  # the one who gave it
    assert "Nhiệm vụ mới giao" not in html
    services.task_accept(actor=province.clerk_x.user, task=task)
    _, html = get(client, province.clerk_x, "web:home")
    assert "Nhiệm vụ mới giao" not in html and title[:40] not in html


def test_navigation_has_the_tasks_item(client, province):
    _, html = get(client, province.clerk_x, "web:home")
    assert f'<a href="{reverse("tasks:list")}"' in html and ">Nhiệm vụ</a>" in html
