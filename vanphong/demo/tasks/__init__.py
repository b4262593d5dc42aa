"""Demo tasks for the demo province (``orgs.demo``), in two modes.

**The demo** (``seed_tasks(today=...)``): a few hundred tasks of a provincial Party
committee's year, each given and carried through *the services* — so the history events,
the tally, the audit trail, the roll-up of subtasks and the recurring series are exactly
what real use would leave:

* tasks born of the leaders' directions on incoming documents (the seeded directions and
  their assignments when ``documents.demo`` ran, whose ``task_id`` is then filled; else tasks
  linked to the incoming documents; else with a readable source only);
* the conclusions of the Standing Committee's meetings (Thông báo kết luận), several tasks
  each, with cooperating organisations;
* two action programmes implementing central resolutions, broken down into tasks and
  subtasks (the parent's progress rolls up);
* monthly, quarterly and half-yearly report requests as recurring series, their
  occurrences made by ``series_generate`` as the daily job would have made them;
* a few petitions (đơn thư), some classified, and tasks given by hand.

They are spread over the past year and the coming months and end in every state: done on
time or late (most confirmed), overdue, due soon, not yet due, in progress with reports,
extended (the original due date kept), extension refused or pending, returned, cancelled.
The services stamp events with the present time; the demo then moves each event (and the
task's ``created_at`` … ``confirmed_at``, the extension request's dates) to the day the story
puts it on, so that histories read naturally. The audit trail is left as written: it records
that the seed ran now.

**Bulk** (``seed_tasks(scale=N)``, ``N ≥ 1``: ``N × 2,000`` tasks, so 1,000 gives two million):
for load tests and the benchmark. Rows are written directly — PostgreSQL ``COPY`` (psycopg
``cursor.copy``) or ``bulk_create`` in large batches, whichever ``method`` says (COPY is the
default on PostgreSQL, measured faster) — with a lead ``TaskParty`` row for every task and
cooperating organisations on about a quarter of them, realistic outcomes and due dates
(about 5% still open), ``effective_due`` from the working-day calendar, and then one
``tally.recount()``. No service runs per row, so bulk tasks have **no history events, no
audit entries and no notifications**; one audit entry records the load.

Both refuse (``TasksExist``) when the database already holds tasks, unless ``force``.
Deterministic: the same ``seed``, ``today`` and data give the same tasks.

Modules: ``cast`` (the people and organisations of the demo province who give and do the
tasks), ``words`` (what the tasks say), ``story`` (one task carried through the services),
``scenes`` (the year's tasks by kind), ``bulk`` (the bulk load), ``seed`` (the entry points).
"""

from vanphong.demo.tasks.bulk import BULK_FIELDS, REBUILD_AT, bulk_load
from vanphong.demo.tasks.cast import (
    AGENCY_PEOPLE,
    BULK_BATCH,
    BULK_SPAN_DAYS,
    DEMO_SPAN_DAYS,
    MAX_SCALE,
    OFFICE_UNIT_HEADS,
    PROVINCE_LEADERS,
    SEED_ACTOR,
    TASKS_PER_SCALE,
    Cast,
    NoDemoProvince,
    TasksExist,
)
from vanphong.demo.tasks.scenes import DIRECTIONS_AT_COMMITTEE, seed_demo_tasks
from vanphong.demo.tasks.seed import seed_tasks, summary
from vanphong.demo.tasks.words import (
    CANCEL_REASONS,
    CONCLUSION_ITEMS,
    EXTENSION_REASONS,
    FATES,
    PETITIONS,
    PROGRAMMES,
    PROGRESS_TEXTS,
    RESULT_TEXTS,
    RETURN_REASONS,
    SERIES,
    SHOWCASE,
    TOPICS,
)

__all__ = [
    "AGENCY_PEOPLE",
    "BULK_BATCH",
    "BULK_FIELDS",
    "BULK_SPAN_DAYS",
    "CANCEL_REASONS",
    "CONCLUSION_ITEMS",
    "Cast",
    "DEMO_SPAN_DAYS",
    "DIRECTIONS_AT_COMMITTEE",
    "EXTENSION_REASONS",
    "FATES",
    "MAX_SCALE",
    "NoDemoProvince",
    "OFFICE_UNIT_HEADS",
    "PETITIONS",
    "PROGRAMMES",
    "PROGRESS_TEXTS",
    "PROVINCE_LEADERS",
    "REBUILD_AT",
    "RESULT_TEXTS",
    "RETURN_REASONS",
    "SEED_ACTOR",
    "SERIES",
    "SHOWCASE",
    "TASKS_PER_SCALE",
    "TOPICS",
    "TasksExist",
    "bulk_load",
    "seed_demo_tasks",
    "seed_tasks",
    "summary",
]
