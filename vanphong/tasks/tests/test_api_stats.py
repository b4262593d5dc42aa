"""GET /api/v1/tasks/stats/: the numbers, the period, and the proof that the maintained tally
(used for whole organisations over whole months) and the conditional counts over the tasks
agree."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vanphong.api.tests.helpers import assert_error, bearer
from vanphong.orgs.models import Classification
from vanphong.tasks import services, tally
from vanphong.tasks.selectors import TaskFilters, Today, counts, organization_counts, tally_counts
from vanphong.tasks.tests.test_api_support import days, give, soon, today

URL = "/api/v1/tasks/stats/"


def month_start(day: dt.date, back: int = 0) -> dt.date:
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(first: dt.date) -> dt.date:
    return month_start(first + dt.timedelta(days=32)) - dt.timedelta(days=1)


@pytest.fixture
def tasks(province):
    """Tasks led by the commune An Phú in two past months A and B (and now), one of each kind,
    plus the commune Bình Minh's and a classified one."""
    a, b = month_start(today(), 2), month_start(today(), 1)
    clerk, chief = province.clerk_x.user, province.chief.user
    x = province.commune_x

    def past(first, due_day, **kwargs):
        return give(province, x, assigned_on=first, due_date=first + dt.timedelta(days=due_day - 1), **kwargs)

    made = {
        "on_time": past(a, 10),
        "late": past(a, 15),
        "overdue": past(b, 5),
        "cancelled": past(b, 8),
        "extended": past(a, 25),
        "secret_overdue": past(b, 12, actor=province.leader, classification=Classification.MAT),
        "not_due": give(province, x, due_date=days(60)),
        "due_soon": give(province, x, due_date=soon()),
        "no_due": give(province, x, due_date=None),
        "other_org": give(province, province.commune_y, assigned_on=b, due_date=b + dt.timedelta(days=4)),
    }
    services.task_complete(
        actor=province.leader.user, task=made["on_time"], text="Xong", on=a + dt.timedelta(days=7)
    )
    services.task_complete(
        actor=province.leader.user, task=made["late"], text="Xong", on=a + dt.timedelta(days=24)
    )
    services.task_cancel(actor=chief, task=made["cancelled"], reason="Không cần nữa")
    extension = services.extension_request(
        actor=clerk, task=made["extended"], new_due_date=days(20), reason="Chờ ý kiến"
    )
    services.extension_decide(actor=chief, request=extension, approve=True)
    assert tally.drift() == []
    return {"a": a, "b": b, **made}


def stats(client, person, **params):
    response = client.get(URL, params, **bearer(person.user))
    assert response.status_code == 200, response.content[:500]
    return response.json()


NUMBERS = (
    "total",
    "done_on_time",
    "done_late",
    "overdue",
    "in_progress",
    "due_soon",
    "cancelled",
    "on_time_rate",
)


def numbers(body):
    return {k: body[k] for k in NUMBERS}


def test_the_numbers_of_an_organisation_over_whole_months(client, province, tasks):
    a, b = tasks["a"], tasks["b"]
    params = {"organization": province.commune_x.pk, "from": a.isoformat(), "to": month_end(b).isoformat()}
    body = stats(client, province.leader, **params)
    assert numbers(body) == {
        "total": 5,  # on time, late, overdue, extended (counted in its original month), secret
        "done_on_time": 1,
        "done_late": 1,
        "overdue": 2,
        "in_progress": 1,  # the extended one: due later now, still counted in month A
        "due_soon": 0,
        "cancelled": 1,
        "on_time_rate": 50.0,
    }
    assert body["as_of"] == today().isoformat() and body["organization"] == province.commune_x.pk
    assert body["period_from"] == a.isoformat() and body["period_to"] == month_end(b).isoformat()


def test_the_tally_and_the_counts_over_the_tasks_agree(client, province, tasks):
    """For whole months of an organisation the leader may read, the API reads the tally; the
    same question asked of ``selectors.counts`` (the tasks themselves) answers the same."""
    x = province.commune_x.pk
    a, end_b = tasks["a"], month_end(tasks["b"])
    for start, end in ((a, end_b), (None, None), (tasks["b"], None), (None, month_end(a))):
        params = {"organization": x}
        if start:
            params["from"] = start.isoformat()
        if end:
            params["to"] = end.isoformat()
        with CaptureQueriesContext(connection) as ctx:
            body = stats(client, province.leader, **params)
        sql = " ".join(q["sql"] for q in ctx.captured_queries)
        assert "tasks_tasktally" in sql, params  # the maintained tally answered
        over_tasks = counts(
            province.leader.user, TaskFilters(lead_organization=x, period_from=start, period_to=end)
        ).as_dict()
        from_tally = tally_counts([x], month_from=start, month_to=end).as_dict()
        whole = organization_counts([x], period_from=start, period_to=end).as_dict()
        assert numbers(body) == over_tasks == from_tally == whole, params
    everything = numbers(stats(client, province.leader, organization=x))
    assert everything["total"] == 8 and everything["due_soon"] == 1 and everything["in_progress"] == 4


def test_a_period_that_is_not_whole_months_is_counted_over_the_tasks(client, province, tasks):
    a = tasks["a"]
    start = a + dt.timedelta(days=11)  # after the on-time task's original due date (day 10)
    period = {"from": start.isoformat(), "to": month_end(tasks["b"]).isoformat()}
    with CaptureQueriesContext(connection) as ctx:
        body = stats(client, province.leader, organization=province.commune_x.pk, **period)
    assert "tasks_tasktally" not in " ".join(q["sql"] for q in ctx.captured_queries)
    # The whole organisation's numbers whatever the period: the commune's clerk, who may not read
    # the classified task, counts it too, as on whole months.
    assert numbers(stats(client, province.clerk_x, organization=province.commune_x.pk, **period)) == numbers(
        body
    )
    over_tasks = counts(
        province.leader.user,
        TaskFilters(
            lead_organization=province.commune_x.pk, period_from=start, period_to=month_end(tasks["b"])
        ),
    )
    assert numbers(body) == over_tasks.as_dict()
    assert numbers(body) == {
        "total": 4,
        "done_on_time": 0,
        "done_late": 1,
        "overdue": 2,
        "in_progress": 1,
        "due_soon": 0,
        "cancelled": 1,
        "on_time_rate": 0.0,
    }


def test_without_an_organisation_the_caller_counts_the_tasks_it_may_see(client, province, tasks):
    a, end_b = tasks["a"], month_end(tasks["b"])
    period = {"from": a.isoformat(), "to": end_b.isoformat()}
    # The commune's clerk: its own tasks, not the classified one (no clearance), not the other commune's.
    body = stats(client, province.clerk_x, **period)
    assert numbers(body) == {
        "total": 4,
        "done_on_time": 1,
        "done_late": 1,
        "overdue": 1,
        "in_progress": 1,
        "due_soon": 0,
        "cancelled": 1,
        "on_time_rate": 50.0,
    }
    assert body["organization"] is None
    assert stats(client, province.clerk_y, **period)["total"] == 1  # Bình Minh's one task
    everything = stats(client, province.leader, **period)
    assert everything["total"] == 6 and everything["overdue"] == 3
    # A commune asking about another one it may not read counts only what it sees of it: nothing.
    assert stats(client, province.clerk_x, organization=province.commune_y.pk, **period)["total"] == 0


def test_an_organisation_reads_its_whole_numbers_classified_tasks_included_as_numbers(
    client, province, tasks
):
    period = {"from": tasks["a"].isoformat(), "to": month_end(tasks["b"]).isoformat()}
    own = stats(client, province.clerk_x, organization=province.commune_x.pk, **period)
    assert own["total"] == 5 and own["overdue"] == 2  # the classified task counted, never listed
    listed = client.get("/api/v1/tasks/", {"status": "overdue"}, **bearer(province.clerk_x.user)).json()
    assert listed["count"] == 1


def test_bad_parameters_answer_400(client, province):
    headers = bearer(province.leader.user)
    error = assert_error(
        client.get(URL, {"from": "2026-03-01", "to": "2026-02-01"}, **headers), 400, "invalid"
    )
    assert error["fields"] == {"to": ["Ngày cuối kỳ không được trước ngày đầu kỳ."]}
    assert_error(client.get(URL, {"from": "hôm-qua"}, **headers), 400, "invalid")
    error = assert_error(client.get(URL, {"organization": 999999}, **headers), 400, "invalid")
    assert error["fields"] == {"organization": ["Không tìm thấy cơ quan."]}
    assert_error(client.get(URL), 401, "not_authenticated")


def test_no_tasks_means_zeros_and_no_rate(client, province):
    body = stats(client, province.chief)
    assert numbers(body) == {
        "total": 0,
        "done_on_time": 0,
        "done_late": 0,
        "overdue": 0,
        "in_progress": 0,
        "due_soon": 0,
        "cancelled": 0,
        "on_time_rate": None,
    }


def test_a_reader_who_sees_every_task_is_answered_from_the_tally(client, province, tasks):
    """The Bí thư (Tuyệt mật, directing the whole province, which gave every task) sees every
    task: the statistics and the list's counts come from the tally, and are the numbers the
    tasks themselves give."""
    from vanphong.tasks.access import sees_every_task
    from vanphong.tasks.selectors import _conditional_counts, task_list

    leader = province.leader.user
    assert sees_every_task(leader)
    live = _conditional_counts(task_list(leader, TaskFilters(), today=Today.now()), Today.now())
    with CaptureQueriesContext(connection) as queries:
        body = stats(client, province.leader)
    aggregates = [q["sql"] for q in queries if "COUNT" in q["sql"].upper() or "SUM(" in q["sql"].upper()]
    assert any("tasks_tasktally" in sql for sql in aggregates)
    assert not any('FROM "tasks_task" ' in sql and "FILTER" in sql for sql in aggregates)
    assert body["total"] == live.total and body["overdue"] == live.overdue
    assert body["done_on_time"] == live.done_on_time and body["cancelled"] == live.cancelled
    assert counts(leader) == live
    a, b = tasks["a"], tasks["b"]
    months = TaskFilters(period_from=a, period_to=month_end(b))
    assert counts(leader, months) == _conditional_counts(
        task_list(leader, months, today=Today.now()), Today.now()
    )


def test_the_tally_is_not_used_for_a_reader_who_may_miss_a_task(province, tasks):
    """Below the highest clearance, or when an organisation the reader does not direct has
    given a task, the counts are taken over the tasks the reader may see."""
    from vanphong.tasks.access import sees_every_task
    from vanphong.tasks.models import TaskTally

    assert not sees_every_task(province.chief.user)  # Tối mật
    assert not sees_every_task(province.clerk_x.user)
    TaskTally.objects.create(
        giver=province.centre, organization=province.commune_x, month=tasks["a"], outcome=0, count=1
    )
    from vanphong.orgs.access import forget_scope

    leader = province.leader.user
    forget_scope(leader)
    assert not sees_every_task(leader)
