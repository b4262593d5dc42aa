"""The demo year's tasks by kind: directions, conclusions, programmes, series, petitions."""

from __future__ import annotations

import datetime as dt
import random
from io import TextIOBase
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from vanphong.audit.services import audit_record
from vanphong.demo.tasks.cast import DEMO_SPAN_DAYS, PROVINCE_LEADERS, SEED_ACTOR, Cast
from vanphong.demo.tasks.story import Story, account
from vanphong.demo.tasks.words import (
    CONCLUSION_ITEMS,
    PETITIONS,
    PROGRAMMES,
    SERIES,
    SHOWCASE,
    TOPICS,
    aware,
)
from vanphong.orgs.models import Organization, OrgKind
from vanphong.tasks import services
from vanphong.tasks.calendar import WorkCalendar, due_soon_until
from vanphong.tasks.models import (
    Priority,
    SourceKind,
    Task,
    TaskEvent,
    TaskSeries,
)
from vanphong.tasks.services import TaskSource

DIRECTIONS_AT_COMMITTEE = 90  # directions of the Tỉnh ủy made into tasks (3 per other committee)


def _documents(cast: Cast, today: dt.date, rng: random.Random) -> dict[str, Any]:
    """What ``documents.demo`` left that the tasks can point to (nothing when it did not
    run): a sample of the directions not yet followed by a task, with their lead and
    cooperating assignments, incoming documents, the Standing Committee's notices (TB) and
    the central resolutions. Only the sample is loaded, whatever the documents' scale."""
    from vanphong.documents.models import Assignment, AssignmentRole, Document

    found: dict[str, Any] = {"assignments": [], "incoming": [], "notices": None, "central": {}}
    if not Document.objects.exists():
        return found
    acting = Assignment.objects.filter(
        task_id__isnull=True,
        role__in=[AssignmentRole.LEAD, AssignmentRole.COOPERATE],
        direction__given_at__lte=aware(today, 23),
        entry__organization__in=cast.orgs.values(),
    )
    by_org: dict[int, list[int]] = {}
    for direction_id, org_id in (
        acting.order_by("direction_id").values_list("direction_id", "entry__organization_id").distinct()
    ):
        by_org.setdefault(org_id, []).append(direction_id)
    chosen: list[int] = []
    for org_id, ids in sorted(by_org.items()):
        take = DIRECTIONS_AT_COMMITTEE if org_id == cast.committee.pk else 3
        chosen += rng.sample(ids, min(take, len(ids)))
    found["assignments"] = list(
        acting.filter(direction_id__in=chosen)
        .select_related(
            "direction__author__user",
            "direction__entry__document",
            "direction__entry__organization",
            "organization",
            "unit",
            "person",
        )
        .order_by("direction__given_at", "direction_id", "role", "pk")
    )
    incoming = Document.objects.filter(
        organization=cast.committee, issued_date__lte=today - dt.timedelta(days=3)
    ).exclude(issuer=cast.committee)
    found["incoming"] = list(incoming.order_by("issued_date", "pk")[:2000])
    found["notices"] = Document.objects.filter(
        organization=cast.committee,
        issuer=cast.committee,
        doc_type="TB",
        issued_date__lte=today - dt.timedelta(days=3),
    )
    found["central"] = {
        d.symbol: d for d in Document.objects.filter(organization=cast.committee, symbol__endswith="/TW")
    }
    return found


def _direction_tasks(story: Story, docs: dict[str, Any]) -> None:
    """The leaders' directions: from the seeded ones, else on incoming documents."""
    from vanphong.documents.models import Assignment

    cast, rng, today = story.cast, story.rng, story.today
    acting: dict[int, list[Any]] = {}  # direction → its lead and cooperating assignments
    for a in docs["assignments"]:
        acting.setdefault(a.direction_id, []).append(a)
    chosen = sorted(acting.values(), key=lambda g: (g[0].direction.given_at, g[0].direction_id))
    for group in chosen:
        lead = next((a for a in group if a.role == "lead"), group[0])
        direction, entry = lead.direction, lead.direction.entry
        document = entry.document
        given = timezone.localdate(direction.given_at)
        due = lead.due_date if lead.due_date and lead.due_date >= given else given + dt.timedelta(days=30)
        symbol = document.symbol or "không số"
        task = story.give(
            actor=direction.author,
            organization=entry.organization,
            title=" ".join(document.subject.split())[:500] or symbol,
            content=direction.text,
            lead=lead.organization or lead.unit or lead.person,
            cooperating=[a.organization or a.unit or a.person for a in group if a is not lead],
            assigned_on=given,
            due=due,
            source=TaskSource(
                kind=SourceKind.DIRECTION,
                obj=direction,
                document=document,
                label=f"Văn bản đến số {entry.number}, {symbol}: ý kiến chỉ đạo của {direction.author}",
            ),
            issued_by=direction.author,
            check_access=False,  # as the direction receiver: the direction was already allowed
        )
        Assignment.objects.filter(pk__in=[a.pk for a in group]).update(task_id=task.pk)
        story.play(task)
    if chosen:
        return
    # No seeded directions: the Bí thư's directions on incoming documents (or on none).
    secretary = cast.people["bithu"]
    incoming = docs["incoming"]
    start = today - dt.timedelta(days=DEMO_SPAN_DAYS)
    for i in range(60):
        document = incoming[rng.randrange(len(incoming))] if incoming else None
        if document is not None and document.issued_date >= start:
            given = min(today, document.issued_date + dt.timedelta(days=2))
        else:
            given = start + dt.timedelta(days=int(i * DEMO_SPAN_DAYS / 60))
        lead_key = rng.choice(cast.agencies)
        topic = rng.choice(TOPICS)
        lead = cast.orgs[lead_key]
        task = story.give(
            actor=secretary,
            organization=cast.committee,
            title=(" ".join(document.subject.split())[:500] if document else f"Tham mưu triển khai {topic}"),
            content=f"Giao {lead.name} chủ trì, tham mưu triển khai; báo cáo kết quả về Thường trực Tỉnh ủy.",
            lead=lead,
            assigned_on=given,
            due=given + dt.timedelta(days=rng.choice((15, 20, 30, 45))),
            source=TaskSource(
                kind=SourceKind.DIRECTION,
                document=document,
                label=f"Văn bản đến {document.symbol}: ý kiến chỉ đạo của {secretary}"
                if document
                else f"Ý kiến chỉ đạo của {secretary} tại văn bản đến",
            ),
            issued_by=secretary,
        )
        story.play(task)


def _conclusion_tasks(story: Story, docs: dict[str, Any]) -> None:
    """Twelve meetings of the Standing Committee, a notice of conclusions after each."""
    cast, rng, today = story.cast, story.rng, story.today
    office = cast.people["chanhvp"]
    notices = docs["notices"]
    for meeting in range(12):
        held = today - dt.timedelta(days=DEMO_SPAN_DAYS - 15 - meeting * 30)
        held = story.calendar.next_working_day(held)
        if held > today:
            held = today
        issued = min(today, story.calendar.add_working_days(held, 2))
        notice = (
            notices.filter(issued_date__lte=issued).order_by("-issued_date", "-pk").first()
            if notices is not None
            else None
        )
        number = notice.symbol if notice else f"{40 + meeting * 7}-TB/TU"
        body = "Ban Thường vụ Tỉnh ủy" if meeting % 3 == 0 else "Thường trực Tỉnh ủy"
        label = f"Thông báo kết luận số {number} ngày {issued:%d/%m/%Y} của {body}"
        chair = cast.people[PROVINCE_LEADERS[meeting % 2]]
        commune = rng.choice(cast.communes)
        items = rng.sample(CONCLUSION_ITEMS, rng.randint(3, 5))
        for title, lead_spec, coop_specs in items:
            lead = story.target(lead_spec, commune)
            cooperating = []
            for spec in coop_specs:
                other = story.target(spec, rng.choice([c for c in cast.communes if c != commune]))
                if other != lead and other not in cooperating:
                    cooperating.append(other)
            if isinstance(lead, Organization) and lead.kind != OrgKind.AGENCY:
                title = f"{title} tại {lead.short_name or lead.name}"
            task = story.give(
                actor=office,
                organization=cast.committee,
                title=title,
                content=f"Theo {label} (hội nghị ngày {held:%d/%m/%Y}).",
                lead=lead,
                cooperating=cooperating,
                assigned_on=issued,
                due=issued + dt.timedelta(days=rng.choice((15, 30, 30, 45, 60, 90))),
                priority=Priority.HIGH if rng.random() < 0.3 else Priority.NORMAL,
                source=TaskSource(kind=SourceKind.CONCLUSION, document=notice, label=label),
                issued_by=chair,
            )
            story.play(task)


def _programme_tasks(story: Story, docs: dict[str, Any]) -> None:
    """Action programmes broken down into tasks (items) and subtasks; subtasks are played out
    first, then the item (its progress rolled up from them)."""
    cast, rng, today = story.cast, story.rng, story.today
    office = cast.people["chanhvp"]
    for n, (title, symbol, items) in enumerate(PROGRAMMES):
        given = today - dt.timedelta(days=300 - n * 150)
        central = docs["central"].get(symbol)
        label = f"{title} (số {12 + n * 9}-CTr/TU)"
        for i, (item_title, lead_spec, subtasks) in enumerate(items):
            item_due = given + dt.timedelta(days=(120, 240, 330, 420)[i % 4])
            item = story.give(
                actor=office,
                organization=cast.committee,
                title=item_title,
                content=f"Nhiệm vụ {i + 1} của {label}.",
                lead=story.target(lead_spec),
                assigned_on=given,
                due=item_due,
                priority=Priority.HIGH,
                source=TaskSource(kind=SourceKind.RESOLUTION, document=central, label=label),
                issued_by=cast.people["bithu"],
            )
            giver_key = story.cast.key_of(item.lead_organization_id)
            giver = story.doer(item, head=True)
            used: set[str] = set()
            for j, (sub_title, sub_lead) in enumerate(subtasks):
                commune = rng.choice([c for c in cast.communes if c not in used])
                used.add(commune)
                lead = story.target(sub_lead, commune)
                start = given + dt.timedelta(days=7 + 10 * j)
                sub_due = min(item_due, start + dt.timedelta(days=rng.choice((45, 60, 90, 120))))
                # An agency gives no work to a commune (orgs.selectors.party_scope): the
                # committee does, the Văn phòng entering it under the agency's item.
                by_committee = sub_lead == "commune"
                sub = story.give(
                    actor=office if by_committee else giver,
                    organization=cast.committee if by_committee else cast.orgs[giver_key],
                    title=sub_title.format(commune=cast.orgs[commune].name),
                    lead=lead,
                    assigned_on=min(start, today),
                    due=max(sub_due, min(start, today)),
                    source=TaskSource(kind=SourceKind.RESOLUTION, document=central, label=label),
                    parent=item,
                    issued_by=cast.people["bithu"] if by_committee else giver,
                )
                story.play(sub)
            story.play(item)


def _series_tasks(story: Story) -> int:
    """Recurring report requests in force for a year. ``series_create`` makes the rule and
    its next occurrence; the past periods are given as the daily job gave them, through
    ``task_create`` with the series, ``VANPHONG_TASK_SERIES_HORIZON_DAYS`` before their due
    date; ``series_generate`` then makes those due within the horizon ahead."""
    cast, today = story.cast, story.today
    office = cast.people["chanhvp"]
    horizon = dt.timedelta(days=settings.VANPHONG_TASK_SERIES_HORIZON_DAYS)
    starts_on = (today - dt.timedelta(days=DEMO_SPAN_DAYS)).replace(day=1)
    made = 0
    for title, frequency, day, lead_spec, coop_specs in SERIES:
        fields: dict[str, Any] = {
            "organization": cast.committee,
            "title": title,
            "content": "Gửi báo cáo về Văn phòng Tỉnh ủy để tổng hợp, báo cáo Thường trực Tỉnh ủy.",
            "lead": story.target(lead_spec),
            "cooperating": [story.target(s) for s in coop_specs],
            "source": TaskSource(
                kind=SourceKind.REPORT_REQUEST,
                label="Quy chế làm việc của Ban Chấp hành Đảng bộ tỉnh khóa XII, nhiệm kỳ 2025 - 2030",
            ),
            "issued_by": cast.people["thuongtruc"],
        }
        rule = TaskSeries(frequency=frequency, day_of_month=day, starts_on=starts_on)
        upcoming = services.occurrence_dates(rule, max(starts_on, timezone.localdate()), today + 2 * horizon)
        first_given = max(starts_on, min(today, upcoming[0] - horizon)) if upcoming else today
        since = story._last_event()
        series = services.series_create(
            actor=account(office),
            frequency=frequency,
            day_of_month=day,
            starts_on=starts_on,
            assigned_on=first_given,
            calendar=story.calendar,
            **fields,
        )
        occurrences = list(series.tasks.all())
        for task in occurrences:
            story._backdate(task, since, task.assigned_on, created_at="created_at")
        for due in services.occurrence_dates(series, starts_on, today - dt.timedelta(days=1)):
            occurrences.append(
                story.give(
                    actor=office,
                    assigned_on=max(starts_on, due - horizon),
                    due=due,
                    series=series,
                    **fields,
                )
            )
        since = story._last_event()
        for task in services.series_generate(series, today=today, calendar=story.calendar):
            story._backdate(task, since, task.assigned_on, created_at="created_at")
            occurrences.append(task)
        occurrences.sort(key=lambda t: t.original_due_date or today)
        for task in occurrences:
            if task not in story.tasks:
                story.tasks.append(task)
            story.play(task)
        made += len(occurrences)
    return made


def _petition_tasks(story: Story) -> None:
    cast, rng, today = story.cast, story.rng, story.today
    office = cast.people["chanhvp"]
    for i, (title, lead_spec, classification) in enumerate(PETITIONS):
        given = today - dt.timedelta(days=20 + i * 41)
        lead = story.target(lead_spec)
        received = given - dt.timedelta(days=rng.randint(3, 10))
        task = story.give(
            actor=office,
            organization=cast.committee,
            title=title,
            content="Giao xem xét, giải quyết theo thẩm quyền; báo cáo kết quả về Thường trực Tỉnh ủy.",
            lead=lead,
            assigned_on=given,
            due=given + dt.timedelta(days=rng.choice((30, 45, 60))),
            classification=classification,
            source=TaskSource(
                kind=SourceKind.PETITION, label=f"Đơn đề ngày {received:%d/%m/%Y} gửi Thường trực Tỉnh ủy"
            ),
            issued_by=cast.people["thuongtruc"],
        )
        story.play(task)


def _showcase_tasks(story: Story) -> None:
    """The Văn phòng's own tasks, one per status, so every status is on screen whatever the
    random draw (due today, due soon, overdue, late, on time, cancelled, extended, returned)."""
    cast, today = story.cast, story.today
    chief = cast.people["chanhvp"]
    for title, lead_spec, ago, due_in, fate in SHOWCASE:
        given = today - dt.timedelta(days=ago)
        due = today + dt.timedelta(days=due_in)
        if due_in == 2:
            due = story.soon_until  # the last day still "sắp đến hạn"
        task = story.give(
            actor=chief,
            organization=cast.orgs["vptu"],
            title=title,
            lead=story.target(lead_spec),
            assigned_on=given,
            due=due,
            source=TaskSource(kind=SourceKind.MANUAL),
            issued_by=chief,
        )
        story.play(task, fate)


def seed_demo_tasks(
    *,
    today: dt.date,
    seed: int = 2026,
    stdout: TextIOBase | None = None,
    calendar: WorkCalendar | None = None,
) -> dict[str, int]:
    """The demo tasks, through the services, in one transaction."""
    if today > timezone.localdate():
        raise ValueError(
            "today must not be later than the real date: tasks cannot be completed in the future"
        )
    cast = Cast.load()
    calendar = calendar or WorkCalendar.load()
    story = Story(
        cast=cast,
        today=today,
        rng=random.Random(seed),  # noqa: S311 (demo data)
        calendar=calendar,
        soon_until=due_soon_until(calendar, today),
    )
    with transaction.atomic():
        docs = _documents(cast, today, story.rng)
        _direction_tasks(story, docs)
        _conclusion_tasks(story, docs)
        _programme_tasks(story, docs)
        series = _series_tasks(story)
        _petition_tasks(story)
        _showcase_tasks(story)
        ids = [t.pk for t in story.tasks]
        last_event = TaskEvent.objects.filter(task=OuterRef("pk")).order_by("-at").values("at")[:1]
        Task.objects.filter(pk__in=ids).update(updated_at=Subquery(last_event))
        counts = {
            "tasks": len(ids),
            "events": TaskEvent.objects.filter(task_id__in=ids).count(),
            "series": TaskSeries.objects.filter(tasks__in=ids).distinct().count(),
            "series_tasks": series,
            "subtasks": Task.objects.filter(pk__in=ids, parent__isnull=False).count(),
        }
        audit_record(actor=None, actor_username=SEED_ACTOR, action="demo.seed_tasks", after=counts)
    if stdout is not None:
        stdout.write(f"Đã giao {counts['tasks']} nhiệm vụ mẫu ({counts['events']} diễn biến).\n")
    return counts
