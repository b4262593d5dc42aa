"""The daily digest's task sections: per person, what is overdue and due soon."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, Exists, F, OuterRef, Q, Value, When, Window
from django.db.models.functions import RowNumber

from vanphong.notifications.digest import DigestItem, DigestSection
from vanphong.orgs.models import Person
from vanphong.tasks.calendar import WorkCalendar, due_soon_until
from vanphong.tasks.models import Outcome, Task, TaskParty
from vanphong.tasks.reminders.recipients import Recipients
from vanphong.tasks.reminders.sending import WorkingDays
from vanphong.tasks.reminders.texts import CLASSIFIED_SEE, CLASSIFIED_TASK, DIGEST_ITEMS, _list_url, task_url

# --- The daily digest's task sections -----------------------------------------------------------

# The tasks that share their assignees: who must do a task depends on its lead and its
# classification only (and, for a classified task led by an organisation or a unit, on who
# is named on it — see ``_named_rows``).
GROUP = ("lead_organization_id", "lead_unit_id", "lead_person_id", "classification")
Group = tuple[int, int | None, int | None, int]
OVERDUE, SOON = 0, 1


@dataclass(frozen=True)
class _Row:
    pk: int
    title: str
    due: dt.date
    classification: int

    @property
    def order(self) -> tuple[dt.date, int]:
        return (self.due, self.pk)


@dataclass
class _PersonTasks:
    groups: list[Group] = field(default_factory=list)
    totals: list[int] = field(default_factory=lambda: [0, 0])  # overdue, due soon
    named: list[list[_Row]] = field(default_factory=lambda: [[], []])  # tasks naming them


def _group_counts(open_due: Any, day: dt.date) -> dict[Group, tuple[int, int]]:
    """Overdue and due-soon open tasks per group, counted in SQL."""
    rows = (
        open_due.values(*GROUP)
        .annotate(
            overdue=Count("pk", filter=Q(effective_due__lt=day)),
            soon=Count("pk", filter=Q(effective_due__gte=day)),
        )
        .order_by()
    )
    return {tuple(r[k] for k in GROUP): (r["overdue"], r["soon"]) for r in rows}


def _group_firsts(open_due: Any, day: dt.date) -> dict[Group, tuple[list[_Row], list[_Row]]]:
    """The first ``DIGEST_ITEMS`` tasks of each group in each section (oldest due first),
    numbered by a window function: a person's first tasks are among their groups' first."""
    section = Case(When(effective_due__lt=day, then=Value(OVERDUE)), default=Value(SOON))
    ranked = (
        open_due.annotate(
            section=section,
            rank=Window(
                RowNumber(),
                partition_by=[*(F(k) for k in GROUP), section],
                order_by=[F("effective_due").asc(), F("pk").asc()],
            ),
        )
        .filter(rank__lte=DIGEST_ITEMS)
        .values("pk", "title", "effective_due", "section", *GROUP)
    )
    firsts: dict[Group, tuple[list[_Row], list[_Row]]] = defaultdict(lambda: ([], []))
    for r in ranked:
        key: Group = tuple(r[k] for k in GROUP)
        firsts[key][r["section"]].append(_Row(r["pk"], r["title"], r["effective_due"], r["classification"]))
    return firsts


def _named_rows(open_due: Any, wanted: dict[Group, frozenset[int]]) -> Iterator[tuple[_Row, set[int]]]:
    """The classified tasks of ``wanted``'s groups naming one of their people who see such a
    task only when named on it, with who of them it names. Such people are rare (a cleared
    chuyên viên of a lead unit, named as issuer, creator or party), and so are their tasks."""
    people = set().union(*wanted.values())
    if not people:
        return
    qs = open_due.filter(
        classification__gt=0,
        lead_person__isnull=True,
        lead_organization_id__in={k[0] for k in wanted},
    ).filter(
        Q(issued_by_id__in=people)
        | Q(created_by_id__in=people)
        | Exists(TaskParty.objects.filter(task=OuterRef("pk"), person_id__in=people))
    )
    rows = list(qs.values("pk", "title", "effective_due", "issued_by_id", "created_by_id", *GROUP))
    parties: dict[int, set[int]] = defaultdict(set)
    for task_id, person_id in TaskParty.objects.filter(
        task_id__in=[r["pk"] for r in rows], person_id__in=people
    ).values_list("task_id", "person_id"):
        parties[task_id].add(person_id)
    for r in rows:
        key: Group = tuple(r[k] for k in GROUP)
        named = ({r["issued_by_id"], r["created_by_id"]} | parties[r["pk"]]) & wanted.get(key, frozenset())
        if named:
            yield _Row(r["pk"], r["title"], r["effective_due"], r["classification"]), named


def digest_sections(day: dt.date, *, calendar: WorkCalendar | None = None) -> dict[int, list[DigestSection]]:
    """For the daily digest: each assignee's open tasks overdue (most late first) and due
    soon (soonest first), up to ``DIGEST_ITEMS`` of each with the count of all.

    The tasks are never loaded one by one: they are counted per group of tasks sharing
    their assignees (lead, classification) in SQL, and only each group's first few are
    read; a person's sections add up their groups. A constant number of queries, however
    long the backlog. A classified task is listed by the neutral line only."""
    calendar = calendar or WorkCalendar.load()
    soon_until = due_soon_until(calendar, day)
    open_due = Task.objects.filter(outcome=Outcome.OPEN, effective_due__lte=soon_until)
    counts = _group_counts(open_due, day)
    if not counts:
        return {}
    recipients = Recipients()
    recipients.directory.load({k[0] for k in counts if k[2] is None})
    lead_people = {k[2] for k in counts if k[2] is not None}
    leads = Person.objects.only("pk", "active", "clearance").in_bulk(lead_people)
    mine: dict[int, _PersonTasks] = defaultdict(_PersonTasks)
    if_named: dict[Group, frozenset[int]] = {}
    for key, (overdue, soon) in counts.items():
        organization_id, unit_id, person_id, classification = key
        if person_id is not None:
            everyone = {person_id} if Recipients.cleared(leads.get(person_id), classification) else set()
        else:
            members = recipients.lead_members(organization_id, unit_id)
            everyone, if_named[key] = recipients.split(classification, members)  # type: ignore[assignment]
        for person in everyone:
            entry = mine[person]
            entry.groups.append(key)
            entry.totals[OVERDUE] += overdue
            entry.totals[SOON] += soon
    for row, named in _named_rows(open_due, {k: v for k, v in if_named.items() if v}):
        section = OVERDUE if row.due < day else SOON
        for person in named:
            entry = mine[person]
            entry.totals[section] += 1
            entry.named[section].append(row)
    if not mine:
        return {}
    firsts = _group_firsts(open_due, day)
    overdue_dues = [r.due for rows in firsts.values() for r in rows[OVERDUE]]
    days = WorkingDays(calendar, day, min(overdue_dues) if overdue_dues else None)

    def item(row: _Row) -> DigestItem:
        if row.due < day:
            note = f"quá hạn {days.days_late(row.due)} ngày làm việc, hạn {row.due:%d/%m/%Y}"
        elif row.due == day:
            note = "hạn hôm nay"
        else:
            note = f"hạn {row.due:%d/%m/%Y}"
        label = row.title if row.classification == 0 else f"{CLASSIFIED_TASK}, {CLASSIFIED_SEE}"
        return DigestItem(label=label, url=task_url(row.pk), note=note)

    result: dict[int, list[DigestSection]] = {}
    for person_id, entry in mine.items():
        sections = []
        for section, section_key, title, status in (
            (OVERDUE, "tasks.overdue", "Nhiệm vụ quá hạn", "overdue"),
            (SOON, "tasks.due_soon", "Nhiệm vụ sắp đến hạn", "due_soon"),
        ):
            if not entry.totals[section]:
                continue
            rows = [r for g in entry.groups for r in firsts.get(g, ([], []))[section]] + entry.named[section]
            rows = sorted(rows, key=lambda r: r.order)[:DIGEST_ITEMS]
            sections.append(
                DigestSection(
                    key=section_key,
                    title=title,
                    items=tuple(item(r) for r in rows),
                    total=entry.totals[section],
                    url=_list_url(status),
                )
            )
        result[person_id] = sections
    return result
