"""The rows of ``TaskAccess``: who a task reaches, written with the task.

``task_access_rows`` builds them for a task being created (from the objects in hand: no
query); ``task_access_rebuild`` writes them in SQL for tasks written in bulk (the benchmark
and demo loaders, and the migration that introduced the table)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection

from vanphong.tasks.models import Task, TaskAccess, TaskParty


def task_access_rows(task: Task, parties: Iterable[TaskParty]) -> list[TaskAccess]:
    """The giver (marked), the lead organisation, every party's organisation (a unit's
    organisation for a unit), and the lead person, giver, author and named people."""
    organizations: set[tuple[int, bool]] = {(task.organization_id, True)}
    people: set[int] = set()
    if task.lead_organization_id is not None:
        organizations.add((task.lead_organization_id, False))
    for person_id in (task.lead_person_id, task.issued_by_id, task.created_by_id):
        if person_id is not None:
            people.add(person_id)
    for party in parties:
        if party.organization_id is not None:
            organizations.add((party.organization_id, False))
        elif party.unit is not None:
            organizations.add((party.unit.organization_id, False))
        elif party.person_id is not None:
            people.add(party.person_id)
    rows = [TaskAccess(task=task, organization_id=org, giver=giver) for org, giver in sorted(organizations)]
    return rows + [TaskAccess(task=task, person_id=person) for person in sorted(people)]


# Every reach of the tasks that ``{tasks}`` / ``{parties}`` select, as the rows above.
REBUILD_SQL = """
INSERT INTO tasks_taskaccess (task_id, organization_id, person_id, giver)
SELECT t.id, t.organization_id, CAST(NULL AS BIGINT), TRUE FROM tasks_task t WHERE {tasks}
UNION SELECT t.id, t.lead_organization_id, NULL, FALSE FROM tasks_task t
    WHERE t.lead_organization_id IS NOT NULL AND {tasks}
UNION SELECT p.task_id, p.organization_id, NULL, FALSE FROM tasks_taskparty p
    WHERE p.organization_id IS NOT NULL AND {parties}
UNION SELECT p.task_id, u.organization_id, NULL, FALSE FROM tasks_taskparty p
    JOIN orgs_unit u ON u.id = p.unit_id WHERE {parties}
UNION SELECT t.id, CAST(NULL AS BIGINT), t.lead_person_id, FALSE FROM tasks_task t
    WHERE t.lead_person_id IS NOT NULL AND {tasks}
UNION SELECT t.id, NULL, t.issued_by_id, FALSE FROM tasks_task t
    WHERE t.issued_by_id IS NOT NULL AND {tasks}
UNION SELECT t.id, NULL, t.created_by_id, FALSE FROM tasks_task t
    WHERE t.created_by_id IS NOT NULL AND {tasks}
UNION SELECT p.task_id, NULL, p.person_id, FALSE FROM tasks_taskparty p
    WHERE p.person_id IS NOT NULL AND {parties}
"""


def task_access_rebuild(
    task_ids: Sequence[int] | None = None, *, id_range: tuple[int, int] | None = None
) -> None:
    """Rewrite the reach of the tasks named (``task_ids``), of a range of ids (inclusive), or
    of every task: for rows written without the service (bulk loads)."""
    params: list[int] = []
    marks = ""
    if task_ids is not None:
        if not task_ids:
            return
        marks = ", ".join(["%s"] * len(task_ids))
        tasks, parties = f"t.id IN ({marks})", f"p.task_id IN ({marks})"
        params = list(task_ids)
    elif id_range is not None:
        tasks, parties = "t.id BETWEEN %s AND %s", "p.task_id BETWEEN %s AND %s"
        params = list(id_range)
    else:
        tasks = parties = "1 = 1"
    sql = REBUILD_SQL.format(tasks=tasks, parties=parties)
    per_query = sql.count("%s") // max(1, len(params)) if params else 0
    with connection.cursor() as cursor:
        if task_ids is not None:
            cursor.execute(f"DELETE FROM tasks_taskaccess WHERE task_id IN ({marks})", params)  # noqa: S608 - placeholders only
        elif id_range is not None:
            cursor.execute("DELETE FROM tasks_taskaccess WHERE task_id BETWEEN %s AND %s", params)
        else:
            cursor.execute("DELETE FROM tasks_taskaccess")
        cursor.execute(sql, params * per_query)
