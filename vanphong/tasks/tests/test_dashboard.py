"""The task dashboards: their numbers are those of the selectors (and of the tally), every
number and bar links to the task list behind it, each dashboard is shown only to who may
see it, and the province dashboard costs the same queries with 10 tasks or 200."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.templatetags.static import static
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import html

from vanphong.orgs.models import Classification, Role
from vanphong.orgs.tests.factories import UnitFactory, make_actor
from vanphong.tasks import selectors, services, tally
from vanphong.tasks.calendar import WorkCalendar
from vanphong.tasks.dashboards import Period, add_months, month_end
from vanphong.tasks.models import Outcome, Task, TaskTally
from vanphong.tasks.selectors import TaskFilters, Today
from vanphong.tasks.services.access_rows import task_access_rebuild
from vanphong.tasks.tests.factories import TaskFactory

STATS = ("total", "done_on_time", "done_late", "overdue", "in_progress", "due_soon", "cancelled")


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"


@dataclass
class Seeded:
    today: dt.date
    unit: object
    tasks: dict[str, Task]


def _give(province, key, *, lead, due, assigned=None, **kwargs):
    today = timezone.localdate()
    return TaskFactory(
        province=province,
        title=f"Nhiệm vụ {key}",
        lead=lead,
        due_date=due,
        assigned_on=assigned or min(today, due or today) - dt.timedelta(days=30),
        **kwargs,
    )


@pytest.fixture
def seeded(province) -> Seeded:
    """Tasks in every status, given through the services: by the committee (the Bí thư),
    by the Chánh Văn phòng, and by a commune; led by communes, the office and one of its
    units; one classified, one extended, one cancelled, one with no due date."""
    today = timezone.localdate()
    day = dt.timedelta(days=1)
    calendar = WorkCalendar.load()

    def ago(n: int) -> dt.date:  # n working days ago: overdue whatever weekday today is
        return calendar.add_working_days(today, -n)

    leader = province.leader.user
    unit = UnitFactory(organization=province.office, name="Phòng Tổng hợp")
    t = {}
    t["overdue_x"] = _give(province, "overdue_x", lead=province.commune_x, due=ago(30))
    t["overdue_y"] = _give(province, "overdue_y", lead=province.commune_y, due=ago(8))
    t["secret_overdue_x"] = _give(
        province,
        "secret_overdue_x",
        lead=province.commune_x,
        due=ago(15),
        classification=Classification.MAT,
    )
    t["on_time_x"] = _give(province, "on_time_x", lead=province.commune_x, due=today - 5 * day)
    services.task_complete(actor=leader, task=t["on_time_x"], text="Đã xong", on=today - 8 * day)
    t["late_y"] = _give(province, "late_y", lead=province.commune_y, due=ago(20))
    services.task_complete(actor=leader, task=t["late_y"], text="Đã xong", on=today - 2 * day)
    t["cancelled_x"] = _give(province, "cancelled_x", lead=province.commune_x, due=today + 20 * day)
    services.task_cancel(actor=leader, task=t["cancelled_x"], reason="Không còn cần thiết")
    t["due_soon_unit"] = _give(province, "due_soon_unit", lead=unit, due=today)
    t["not_due_office"] = _give(
        province, "not_due_office", lead=province.office, due=today + 60 * day, cooperating=[unit]
    )
    t["no_due_y"] = _give(province, "no_due_y", lead=province.commune_y, due=None)
    # Given by the Chánh Văn phòng in the committee's name, led by the unit, done on time.
    t["chief_unit"] = _give(province, "chief_unit", lead=unit, due=today - 3 * day, actor=province.chief)
    services.task_complete(actor=province.chief.user, task=t["chief_unit"], text="Xong", on=today - 4 * day)
    # Extended: originally due 50 days ago, now in 90 days — counted in its original month.
    t["extended_x"] = _give(province, "extended_x", lead=province.commune_x, due=ago(35))
    request = services.extension_request(
        actor=province.clerk_x.user, task=t["extended_x"], new_due_date=today + 90 * day, reason="Chờ số liệu"
    )
    services.extension_decide(actor=leader, request=request, approve=True)
    # Given by commune X to commune Y: refused today (orgs.selectors.party_refusal), given
    # before the rule — still counted on both sides.
    bithu_x = make_actor("bithu_x", province.commune_x, Role.LANH_DAO_CAP_UY, clearance=Classification.MAT)
    t["x_to_y"] = _give(
        province,
        "x_to_y",
        lead=province.commune_y,
        due=ago(1),
        actor=bithu_x,
        organization=province.commune_x,
        check_access=False,
    )
    for key, task in t.items():
        t[key] = Task.objects.get(pk=task.pk)
    return Seeded(today=today, unit=unit, tasks=t)


def _page(client, user, url, **params):
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response, html.fromstring(response.content.decode())


def _blocks(tree) -> dict[str, object]:
    return {el.get("data-block"): el for el in tree.xpath("//*[@data-block]")}


def _numbers(block) -> dict[str, int]:
    found = {}
    for el in block.xpath(".//*[@data-stat]"):
        name = el.get("data-stat")
        if name in STATS and name not in found:
            found[name] = int(el.get("data-value"))
            assert el.text_content().strip().replace(".", "") == el.get("data-value")
    return found


def _as_numbers(counts: selectors.Counts) -> dict[str, int]:
    return {name: getattr(counts, name) for name in STATS}


def _link(block, stat: str) -> tuple[str, dict[str, list[str]]]:
    el = block.xpath(f'.//*[@data-stat="{stat}"]')[0]
    parts = urlsplit(el.get("href"))
    return parts.path, parse_qs(parts.query)


# --- Numbers ---------------------------------------------------------------------------------


def test_the_seeded_set_covers_every_status_and_the_tally_matches_the_tasks(seeded, province):
    today = Today.now()
    statuses = set(
        selectors.with_status(Task.objects.all(), today).values_list("status", flat=True).distinct()
    )
    assert statuses == {"not_due", "due_soon", "overdue", "done_on_time", "done_late", "cancelled"}
    assert tally.drift() == []
    # The tally, summed by outcome, is the tasks counted by outcome.
    by_outcome = {o: 0 for o in Outcome.values}
    for outcome, count in TaskTally.objects.values_list("outcome", "count"):
        by_outcome[outcome] += count
    for outcome in Outcome.values:
        assert by_outcome[outcome] == Task.objects.filter(outcome=outcome).count()


def test_province_numbers_are_the_selectors_counts(client, seeded, province):
    _, tree = _page(client, province.leader.user, reverse("tasks:dashboard_province"))
    block = _blocks(tree)["province"]
    shown = _numbers(block)
    # The Bí thư sees every task of the province (cleared Tuyệt mật): the tally's numbers
    # and the conditional counts over what he may see agree.
    assert shown == _as_numbers(selectors.counts(province.leader.user))
    assert shown == _as_numbers(selectors.tally_counts(None))
    assert shown == {
        "total": 11,
        "done_on_time": 2,
        "done_late": 1,
        "overdue": 4,
        "in_progress": 4,
        "due_soon": 1,
        "cancelled": 1,
    }
    assert block.xpath('.//*[@data-stat="on_time_rate"]')[0].get("data-value") == "66.7"


def test_the_entry_page_shows_the_province_to_a_committee_leader(client, seeded, province):
    _, tree = _page(client, province.leader.user, reverse("tasks:dashboard"))
    assert "province" in _blocks(tree)


def test_organisation_numbers_count_classified_tasks_but_the_list_hides_them(client, seeded, province):
    """Commune X's văn thư has no clearance: the classified overdue task is a number on his
    dashboard (from the tally) but not a row of its overdue list."""
    x = province.commune_x
    _, tree = _page(client, province.clerk_x.user, reverse("tasks:dashboard_org", args=[x.pk]))
    blocks = _blocks(tree)
    lead = _numbers(blocks["lead"])
    assert lead == _as_numbers(selectors.tally_counts([x.pk]))
    assert lead == _as_numbers(selectors.counts(province.leader.user, TaskFilters(lead_organization=x.pk)))
    assert lead["overdue"] == 2
    titles = [a.text_content() for a in blocks["lead"].xpath(".//table//td/a")]
    assert "Nhiệm vụ overdue_x" in titles
    assert "Nhiệm vụ secret_overdue_x" not in titles
    assert "secret_overdue_x" not in tree.text_content()
    # What commune X gave: one task, led by commune Y, overdue.
    assert _numbers(blocks["given"]) == _as_numbers(
        selectors.counts(province.leader.user, TaskFilters(giver=x.pk))
    )
    assert _numbers(blocks["given"])["overdue"] == 1


def test_the_committee_dashboard_has_the_tasks_it_gave_by_lead_organisation(client, seeded, province):
    committee = province.committee
    _, tree = _page(client, province.leader.user, reverse("tasks:dashboard_org", args=[committee.pk]))
    given = _blocks(tree)["given"]
    expected = selectors.counts(province.leader.user, TaskFilters(giver=committee.pk))
    assert _numbers(given) == _as_numbers(expected)
    rows = {
        tr.xpath("./th")[0].text_content().strip(): [td.text_content().strip() for td in tr.xpath("./td")]
        for tr in given.xpath('.//table[.//th[contains(., "Cơ quan chủ trì")]]/tbody/tr')
    }
    # Commune X leads overdue_x, secret_overdue_x, on_time_x and extended_x (cancelled_x not counted).
    assert rows["ĐU An Phú"][:2] == ["4", "2"]
    assert list(rows)[0] in ("ĐU An Phú", "ĐU Bình Minh")  # most overdue first (2 each)


def test_the_office_dashboard_breaks_its_tasks_down_by_unit(client, seeded, province):
    office = province.office
    _, tree = _page(client, province.chief.user, reverse("tasks:dashboard_org", args=[office.pk]))
    lead = _blocks(tree)["lead"]
    assert _numbers(lead) == _as_numbers(selectors.tally_counts([office.pk]))
    row = lead.xpath('.//table[.//th[contains(., "Phòng chủ trì")]]/tbody/tr')[0]
    assert row.xpath("./th")[0].text_content().strip() == "Phòng Tổng hợp"
    # The unit leads due_soon_unit and chief_unit and cooperates on not_due_office: the
    # number is that of the task list filtered by lead organisation and unit.
    expected = selectors.counts(
        province.chief.user, TaskFilters(lead_organization=office.pk, unit=seeded.unit.pk)
    )
    assert row.xpath("./td")[0].text_content().strip() == str(expected.total) == "3"
    href = row.xpath("./td/a")[0].get("href")
    assert parse_qs(urlsplit(href).query) == {
        "lead_organization": [str(office.pk)],
        "unit": [str(seeded.unit.pk)],
    }


def test_unit_numbers_are_the_selectors_counts(client, seeded, province):
    unit = seeded.unit
    _, tree = _page(client, province.chief.user, reverse("tasks:dashboard_unit", args=[unit.pk]))
    shown = _numbers(_blocks(tree)["unit"])
    assert shown == _as_numbers(selectors.counts(province.chief.user, TaskFilters(unit=unit.pk)))
    assert shown["total"] == 3
    assert shown["due_soon"] == 1
    assert shown["done_on_time"] == 1


def test_leader_numbers_are_the_tasks_they_issued(client, seeded, province):
    _, tree = _page(client, province.chief.user, reverse("tasks:dashboard_leader"))
    shown = _numbers(_blocks(tree)["leader"])
    assert shown == _as_numbers(
        selectors.counts(province.chief.user, TaskFilters(issued_by=province.chief.pk))
    )
    assert shown["total"] == 1 and shown["done_on_time"] == 1
    # The Bí thư's own: everything he gave.
    _, tree = _page(client, province.leader.user, reverse("tasks:dashboard_leader"))
    shown = _numbers(_blocks(tree)["leader"])
    assert shown == _as_numbers(
        selectors.counts(province.leader.user, TaskFilters(issued_by=province.leader.pk))
    )
    assert shown["total"] == 9


def test_a_period_counts_by_the_original_due_month(client, seeded, province):
    """The extended task, first due 50 days ago, stays in that month after its extension."""
    original = seeded.tasks["extended_x"].original_due_date
    month = original.replace(day=1)
    params = {"tu_thang": f"{month:%m/%Y}", "den_thang": f"{month:%m/%Y}"}
    _, tree = _page(client, province.leader.user, reverse("tasks:dashboard_province"), **params)
    shown = _numbers(_blocks(tree)["province"])
    filters = TaskFilters(period_from=month, period_to=month_end(month))
    assert shown == _as_numbers(selectors.counts(province.leader.user, filters))
    assert shown["total"] >= 1
    # And the same for a leader's (counted over visible tasks, not from the tally).
    _, tree = _page(client, province.leader.user, reverse("tasks:dashboard_leader"), **params)
    filters = TaskFilters(issued_by=province.leader.pk, period_from=month, period_to=month_end(month))
    assert _numbers(_blocks(tree)["leader"]) == _as_numbers(selectors.counts(province.leader.user, filters))


def test_a_month_that_cannot_be_read_is_reported_in_vietnamese(client, seeded, province):
    response, tree = _page(
        client,
        province.leader.user,
        reverse("tasks:dashboard_province"),
        tu_thang="tháng ba",
        den_thang="13/2026",
    )
    text = response.content.decode()
    assert text.count("Tháng không hợp lệ") == 2
    # Nothing was filtered: the numbers are those of every period.
    assert _numbers(_blocks(tree)["province"]) == _as_numbers(selectors.tally_counts(None))


def test_trend_rows_follow_the_tally_by_month(client, seeded, province):
    today = seeded.today
    _, tree = _page(client, province.leader.user, reverse("tasks:dashboard_province"))
    block = _blocks(tree)["province"]
    chart_id = block.xpath(".//canvas[@data-chart]")[0].get("data-chart")
    spec = json.loads(tree.xpath(f'//script[@id="{chart_id}"]')[0].text)
    first = add_months(today.replace(day=1), -11)
    assert spec["labels"][0] == f"{first:%m/%Y}" and spec["labels"][-1] == f"{today:%m/%Y}"
    rows = selectors.tally_by_month(None, first, today.replace(day=1))
    by_label = {d["label"]: d for d in spec["datasets"]}
    for i, row in enumerate(rows):
        assert by_label["Hoàn thành đúng hạn"]["data"][i] == row["done_on_time"]
        assert by_label["Hoàn thành quá hạn"]["data"][i] == row["done_late"]
        open_ = by_label["Quá hạn"]["data"][i] + by_label["Đang thực hiện trong hạn"]["data"][i]
        assert open_ == row["open"]
    assert sum(by_label["Quá hạn"]["data"]) <= selectors.tally_counts(None).overdue


# --- Drill-down ------------------------------------------------------------------------------


def test_every_number_links_to_the_task_list_with_its_filters(client, seeded, province):
    x = province.commune_x
    _, tree = _page(client, province.clerk_x.user, reverse("tasks:dashboard_org", args=[x.pk]))
    blocks = _blocks(tree)
    list_path = reverse("tasks:list")
    expected = {
        "total": None,
        "done_on_time": "done_on_time",
        "done_late": "done_late",
        "overdue": "overdue",
        "in_progress": "in_progress",
        "due_soon": "due_soon",
        "cancelled": "cancelled",
    }
    for stat, status in expected.items():
        path, query = _link(blocks["lead"], stat)
        assert path == list_path
        assert query.get("status") == ([status] if status else None)
        assert query["lead_organization"] == [str(x.pk)]
        path, query = _link(blocks["given"], stat)
        assert query["giver"] == [str(x.pk)]
    # Every number of every table is a link too.
    count_tables = tree.xpath('//table[not(.//caption[contains(., "quá hạn lâu nhất")])]')
    assert len(count_tables) == 3  # both trends, and what it gave by lead organisation (no units)
    for table in count_tables:
        for td in table.xpath('.//td[contains(@class, "num")][not(contains(., "%"))][not(contains(., "—"))]'):
            assert td.xpath("./a"), html.tostring(td)


def test_links_carry_the_period_and_the_month_of_a_bar(client, seeded, province):
    today = seeded.today
    month = today.replace(day=1)
    params = {"tu_thang": f"{add_months(month, -2):%m/%Y}", "den_thang": f"{month:%m/%Y}"}
    _, tree = _page(client, province.leader.user, reverse("tasks:dashboard_province"), **params)
    block = _blocks(tree)["province"]
    _, query = _link(block, "overdue")
    assert query == {
        "status": ["overdue"],
        "period_from": [add_months(month, -2).isoformat()],
        "period_to": [month_end(month).isoformat()],
    }
    chart_id = block.xpath(".//canvas[@data-chart]")[0].get("data-chart")
    spec = json.loads(tree.xpath(f'//script[@id="{chart_id}"]')[0].text)
    assert spec["labels"] == [f"{add_months(month, k):%m/%Y}" for k in (-2, -1, 0)]
    late = next(d for d in spec["datasets"] if d["label"] == "Hoàn thành quá hạn")
    parts = urlsplit(late["links"][1])
    assert parts.path == reverse("tasks:list")
    assert parse_qs(parts.query) == {
        "status": ["done_late"],
        "period_from": [add_months(month, -1).isoformat()],
        "period_to": [month_end(add_months(month, -1)).isoformat()],
    }
    # Breakdown bars: per lead organisation.
    chart_id = block.xpath(".//canvas[@data-chart]")[1].get("data-chart")
    spec = json.loads(tree.xpath(f'//script[@id="{chart_id}"]')[0].text)
    overdue = next(d for d in spec["datasets"] if d["label"] == "Quá hạn")
    assert all("lead_organization=" in url and "status=overdue" in url for url in overdue["links"])


def test_the_overdue_list_is_ordered_by_days_late_and_links_to_the_tasks(client, seeded, province):
    _, tree = _page(client, province.leader.user, reverse("tasks:dashboard_province"))
    block = _blocks(tree)["province"]
    table = block.xpath('.//table[.//caption[contains(., "quá hạn lâu nhất")]]')[0]
    links = [a.get("href") for a in table.xpath(".//td/a")]
    expected = list(selectors.overdue_list(province.leader.user).values_list("pk", flat=True))
    assert links == [reverse("tasks:detail", args=[pk]) for pk in expected]
    days = [int(b.text_content().split()[0]) for b in table.xpath(".//span[contains(@class, 'badge')]")]
    assert days == sorted(days, reverse=True) and days[0] >= 40  # 30 working days


# --- Access ----------------------------------------------------------------------------------


def test_a_commune_clerk_gets_404_on_the_province_and_on_another_commune(client, seeded, province):
    client.force_login(province.clerk_x.user)
    assert client.get(reverse("tasks:dashboard_province")).status_code == 404
    assert client.get(reverse("tasks:dashboard_org", args=[province.commune_y.pk])).status_code == 404
    assert client.get(reverse("tasks:dashboard_org", args=[province.commune_x.pk])).status_code == 200
    assert client.get(reverse("tasks:dashboard_unit", args=[seeded.unit.pk])).status_code == 404
    assert client.get(reverse("tasks:dashboard_leader", args=[province.chief.pk])).status_code == 404
    assert client.get(reverse("tasks:dashboard_org", args=[999999])).status_code == 404


def test_only_committee_leaders_have_the_province_dashboard(client, seeded, province):
    for person in (province.admin, province.chief, province.clerk):
        client.force_login(person.user)
        assert client.get(reverse("tasks:dashboard_province")).status_code == 404


def test_the_entry_page_shows_others_their_organisation_and_jumps_to_another(client, seeded, province):
    _, tree = _page(client, province.clerk_x.user, reverse("tasks:dashboard"))
    assert set(_blocks(tree)) == {"lead", "given"}
    assert tree.xpath(f'//a[@href="{reverse("tasks:dashboard_org", args=[province.commune_x.pk])}"]')
    client.force_login(province.leader.user)
    response = client.get(
        reverse("tasks:dashboard"), {"to_chuc": province.commune_y.pk, "tu_thang": "01/2026"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("tasks:dashboard_org", args=[province.commune_y.pk]) + (
        "?tu_thang=01%2F2026"
    )


def test_the_leader_dashboard_of_a_colleague_is_open_to_readers_of_their_organisation(
    client, seeded, province
):
    client.force_login(province.leader.user)
    assert client.get(reverse("tasks:dashboard_leader", args=[province.chief.pk])).status_code == 200
    client.force_login(province.specialist.user)
    assert client.get(reverse("tasks:dashboard_leader", args=[province.chief.pk])).status_code == 200


# --- Cost and assets --------------------------------------------------------------------------


def _bulk(province, n: int) -> None:
    """``n`` more tasks over the communes, with the tally rebuilt from them."""
    today = timezone.localdate()
    leads = [province.commune_x, province.commune_y, province.office]
    tasks = []
    for i in range(n):
        due = today + dt.timedelta(days=(i % 90) - 45)
        outcome = (Outcome.OPEN, Outcome.ON_TIME, Outcome.LATE)[i % 3]
        tasks.append(
            Task(
                title=f"Việc {i}",
                organization=province.committee,
                issued_by=province.leader,
                lead_organization=leads[i % 3],
                assigned_on=due - dt.timedelta(days=60),
                original_due_date=due,
                due_date=due,
                effective_due=due,
                outcome=outcome,
                state="in_progress" if outcome == Outcome.OPEN else "confirmed",
                completed_on=None if outcome == Outcome.OPEN else due,
            )
        )
    Task.objects.bulk_create(tasks)
    task_access_rebuild()  # written without the service: their reach too
    tally.recount()


@pytest.mark.django_db
def test_the_province_dashboard_query_count_does_not_grow_with_tasks(
    client, province, django_assert_max_num_queries
):
    _bulk(province, 10)
    client.force_login(province.leader.user)
    url = reverse("tasks:dashboard_province")
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _bulk(province, 190)
    assert Task.objects.count() == 200
    with django_assert_max_num_queries(len(small)):
        response = client.get(url)
    assert response.status_code == 200
    tree = html.fromstring(response.content.decode())
    assert _numbers(_blocks(tree)["province"])["total"] == 200
    # The organisation dashboard too.
    url = reverse("tasks:dashboard_org", args=[province.committee.pk])
    with CaptureQueriesContext(connection) as big:
        assert client.get(url).status_code == 200
    Task.objects.all().delete()
    tally.recount()
    _bulk(province, 10)
    with django_assert_max_num_queries(len(big)):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_the_office_dashboard_query_count_does_not_grow_with_units(
    client, province, django_assert_max_num_queries
):
    def units_with_tasks(n: int) -> None:
        for _ in range(n):
            unit = UnitFactory(organization=province.office)
            _give(province, unit.name, lead=unit, due=timezone.localdate() + dt.timedelta(days=5))

    units_with_tasks(2)
    client.force_login(province.chief.user)
    url = reverse("tasks:dashboard_org", args=[province.office.pk])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    units_with_tasks(6)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    tree = html.fromstring(response.content.decode())
    assert len(_blocks(tree)["lead"].xpath('.//table[.//th[contains(., "Phòng chủ trì")]]/tbody/tr')) == 8


def test_chart_js_is_vendored_and_the_page_loads_it_from_static(client, seeded, province):
    path = finders.find("vendor/chartjs/chart.umd.min.js")
    assert path is not None
    assert "Chart.js v4." in Path(path).read_text(encoding="utf-8")[:200]
    assert finders.find("vendor/chartjs/LICENSE.md") is not None
    assert finders.find("js/task-charts.js") is not None
    response, tree = _page(client, province.leader.user, reverse("tasks:dashboard_province"))
    sources = tree.xpath("//script/@src")
    assert static("vendor/chartjs/chart.umd.min.js") in sources
    assert static("js/task-charts.js") in sources
    assert all(src.startswith("/") for src in sources)  # nothing from another site
    # No inline script but the JSON data blocks.
    for script in tree.xpath("//script[not(@src)]"):
        assert script.get("type") == "application/json"


@pytest.mark.django_db(transaction=True)
def test_chart_js_is_served_by_the_site(live_server):
    import urllib.request

    with urllib.request.urlopen(f"{live_server.url}{static('vendor/chartjs/chart.umd.min.js')}") as reply:
        assert reply.status == 200
        assert b"Chart.js v4." in reply.read(200)


def test_period_trend_is_bounded():
    today = dt.date(2026, 11, 22)
    assert Period().trend(today) == (dt.date(2025, 12, 1), dt.date(2026, 11, 1))
    assert Period(month_from=dt.date(2020, 1, 1), month_to=dt.date(2026, 6, 1)).trend(today) == (
        dt.date(2023, 7, 1),
        dt.date(2026, 6, 1),
    )
    assert Period(month_from=dt.date(2027, 3, 1)).trend(today) == (dt.date(2027, 3, 1), dt.date(2027, 3, 1))
    assert Period(month_to=dt.date(2026, 3, 1)).trend(today) == (dt.date(2025, 4, 1), dt.date(2026, 3, 1))
