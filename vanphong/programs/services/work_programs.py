"""Work programmes (chương trình công tác): every change, as plain functions taking explicit
arguments. Each one checks who may do it, validates with Vietnamese messages (``ValidationError``
keyed by field), writes the rows and its audit entry in one transaction.

Who may do what (``orgs.access``):

* create a programme, add, carry down, move an item, record its result, draft the issuing
  document: WRITE on the programme's organisation (the committee's office staff and leaders
  hold it through the office model);
* approve: DIRECT on the organisation (the committee's leaders); the leaders of its Văn phòng
  (DIRECT_ROUTINE) approve the routine ones, the monthly and weekly programmes.

Tasks. On approval every planned item with a preparing organisation and a time becomes a task
of the engine (``task_create``, source ``SourceKind.PROGRAM``), lead the preparing organisation,
due the planned day or the last working day of the planned week or month (office calendar);
an item added to an approved programme gets its task at once. An item carried down from a
longer programme is the same matter: it follows its parent's open task rather than doubling it
(while its programme lies within the parent's). Moving an item cancels its task with the
reason (``task_cancel``) and gives the new item its own, which the planned items above follow;
dropping cancels a task once every item following it is moved or dropped. Marking an item done
leaves the task to the preparing organisation, which reports its completion in the engine.

Roll-up (``_roll_up``). After any change of an item its parent chain is recomputed, up to the
term programme: a parent is done when any of its children's chains (following ``moved_to``) is
done; dropped, with the child's reason, when every chain ends dropped; moved, with the reason,
when the chains still open all left the parent's period; otherwise planned. A parent moved
explicitly (``item_move``) keeps its state.

Issue. ``program_issue_draft`` drafts the programme as an outgoing document of type CTr through
the outgoing flow; the programme is shown as issued once that document is issued (derived in
``selectors.work_programs.program_state``: the stored state stays approved)."""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone

from vanphong.audit.services import audit_record
from vanphong.documents.models import Document
from vanphong.documents.services.outgoing import outgoing_draft_create
from vanphong.orgs.access import Capability, can
from vanphong.orgs.actors import Actor, acting_person
from vanphong.orgs.models import Organization, Person
from vanphong.programs.models import (
    PERIOD_RANK,
    ItemState,
    MeetingKind,
    Program,
    ProgramBody,
    ProgramItem,
    ProgramPeriod,
    ProgramState,
)
from vanphong.programs.selectors.work_programs import ROUTINE_PERIODS, may_approve_program, may_edit_program
from vanphong.tasks.calendar import WorkCalendar
from vanphong.tasks.models import Outcome, SourceKind, Task
from vanphong.tasks.services import TaskSource, task_cancel, task_create, task_validate

MAX_TITLE = 500
MAX_STEERING = 300
MAX_CONTENT = 5000
MAX_REASON = 1000
FIRST_YEAR, LAST_YEAR = 2000, 2100
TERM_MIN_DAYS = 365
TERM_MAX_DAYS = 5 * 366 + 183  # a congress term is five years, give or take half a year
ONE_DAY = dt.timedelta(days=1)

PERIOD_WORDS: dict[str, str] = {
    ProgramPeriod.TERM: "toàn khóa",
    ProgramPeriod.YEAR: "năm",
    ProgramPeriod.QUARTER: "quý",
    ProgramPeriod.MONTH: "tháng",
    ProgramPeriod.WEEK: "tuần",
}


class ProgramConflict(ValidationError):
    """The organisation already has this programme (the API answers 409 ``conflict``)."""


# --- Dates ---------------------------------------------------------------------------------------


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=month_calendar.monthrange(day.year, day.month)[1])


def period_end(period: str, start: dt.date) -> dt.date | None:
    """The end a calendar period starting on ``start`` has (None for a term, whose span is
    free within bounds, and beyond the calendar)."""
    try:
        return _period_end(period, start)
    except (OverflowError, ValueError):
        return None


def _period_end(period: str, start: dt.date) -> dt.date | None:
    if period == ProgramPeriod.WEEK:
        return start + dt.timedelta(days=6)
    if period == ProgramPeriod.MONTH:
        return month_end(start)
    if period == ProgramPeriod.QUARTER:
        return month_end(start.replace(month=start.month + 2, day=1)) if start.month <= 10 else None
    if period == ProgramPeriod.YEAR:
        return start.replace(month=12, day=31)
    return None


def _span_error(period: str, start: dt.date, end: dt.date) -> str | None:
    """Why [start, end] is not a span of ``period``, or None."""
    if period == ProgramPeriod.WEEK and (start.weekday() != 0 or end != start + dt.timedelta(days=6)):
        return "Chương trình tuần phải từ thứ Hai đến Chủ nhật của một tuần."
    if period == ProgramPeriod.MONTH and (start.day != 1 or end != month_end(start)):
        return "Chương trình tháng phải từ ngày 01 đến ngày cuối của một tháng."
    if period == ProgramPeriod.QUARTER and (
        start.day != 1 or start.month not in (1, 4, 7, 10) or end != period_end(period, start)
    ):
        return "Chương trình quý phải từ ngày đầu đến ngày cuối của một quý (01/01, 01/4, 01/7 hoặc 01/10)."
    if period == ProgramPeriod.YEAR and (
        start != dt.date(start.year, 1, 1) or end != period_end(period, start)
    ):
        return "Chương trình năm phải từ ngày 01/01 đến ngày 31/12 của một năm."
    if period == ProgramPeriod.TERM and not TERM_MIN_DAYS <= (end - start).days <= TERM_MAX_DAYS:
        return "Chương trình toàn khóa kéo dài từ một năm đến khoảng năm năm (một nhiệm kỳ)."
    return None


@dataclass(frozen=True)
class When:
    """An item's expected time: a day, a week (its Monday) or a month (its 1st), or none."""

    date: dt.date | None = None
    week: dt.date | None = None
    month: dt.date | None = None

    @classmethod
    def of(cls, item: ProgramItem) -> When:
        return cls(item.planned_date, item.planned_week, item.planned_month)

    @property
    def span(self) -> tuple[dt.date, dt.date] | None:
        if self.date is not None:
            return self.date, self.date
        if self.week is not None:
            return self.week, self.week + dt.timedelta(days=6)
        if self.month is not None:
            return self.month, month_end(self.month)
        return None

    def columns(self) -> dict[str, dt.date | None]:
        return {"planned_date": self.date, "planned_week": self.week, "planned_month": self.month}

    def within(self, program: Program) -> bool:
        """A day inside the programme; a week or a month overlapping it (a week straddling the
        end of a month belongs to both months' programmes)."""
        span = self.span
        if span is None:
            return True
        return span[0] <= program.end and span[1] >= program.start

    def inside(self, program: Program) -> bool:
        span = self.span
        return span is None or (program.start <= span[0] and span[1] <= program.end)


def narrowed(when: When, program: Program) -> When:
    """``when`` as a shorter programme holds it: kept when it lies inside the programme, else
    the programme's own week or month (an item of the year carried into a month programme is
    for that month), else nothing more precise."""
    if when.span is not None and when.inside(program):
        return when
    if program.period == ProgramPeriod.WEEK:
        return When(week=program.start)
    if program.period == ProgramPeriod.MONTH:
        return When(month=program.start)
    return when if when.span is not None and when.within(program) else When()


def due_date_of(item: ProgramItem, calendar: WorkCalendar) -> dt.date | None:
    """The planned day, or the last working day of the planned week or month."""
    when = When.of(item)
    if when.date is not None:
        return when.date
    span = when.span
    if span is None:
        return None
    last = calendar.add_working_days(span[1] + ONE_DAY, -1)
    return last if last >= span[0] else calendar.next_working_day(span[1])


def _time_errors(when: When, program: Program) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    given = [name for name, value in when.columns().items() if value is not None]
    if len(given) > 1:
        errors[given[1]] = ["Chỉ ghi một thời gian dự kiến: ngày, tuần hoặc tháng."]
        return errors
    for name, value in when.columns().items():
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            errors[name] = [f"Thời gian dự kiến phải trong các năm {FIRST_YEAR}–{LAST_YEAR}."]
            return errors
    if when.week is not None and when.week.weekday() != 0:
        errors["planned_week"] = ["Tuần dự kiến ghi bằng ngày thứ Hai của tuần."]
    if when.month is not None and when.month.day != 1:
        errors["planned_month"] = ["Tháng dự kiến ghi bằng ngày 01 của tháng."]
    if not errors and not when.within(program):
        field = given[0]
        errors[field] = [
            f"Thời gian dự kiến nằm ngoài thời gian của chương trình "
            f"({program.start:%d/%m/%Y} – {program.end:%d/%m/%Y})."
        ]
    return errors


# --- Who may ---------------------------------------------------------------------------------------


def _require_edit(actor: Actor, program: Program) -> Person:
    person = acting_person(actor)
    if not may_edit_program(actor, program):
        raise PermissionDenied("Bạn không có quyền cập nhật chương trình công tác của cơ quan này.")
    return person


def _clean_text(value: str | None) -> str:
    return " ".join((value or "").split())


def _label(program: Program) -> str:
    return f"Chương trình công tác {PERIOD_WORDS.get(program.period, '')}: {program.title}"


# --- Programmes ----------------------------------------------------------------------------------------


def _program_errors(
    *, body: str, period: str, start: Any, end: Any, title: str, steering_name: str
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = ["Hãy nhập tên chương trình."]
    elif len(title) > MAX_TITLE:
        errors["title"] = [f"Tên chương trình dài quá {MAX_TITLE} ký tự."]
    if body not in ProgramBody.values:
        errors["body"] = ["Cơ quan thực hiện không hợp lệ."]
    elif body == ProgramBody.BAN_CHI_DAO and not steering_name:
        errors["steering_name"] = ["Chương trình của Ban Chỉ đạo cần ghi tên Ban Chỉ đạo."]
    if len(steering_name) > MAX_STEERING:
        errors["steering_name"] = [f"Tên Ban Chỉ đạo dài quá {MAX_STEERING} ký tự."]
    if period not in ProgramPeriod.values:
        errors["period"] = ["Thời kỳ của chương trình không hợp lệ."]
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        errors["start" if not isinstance(start, dt.date) else "end"] = ["Hãy nhập ngày bắt đầu và kết thúc."]
    elif not (FIRST_YEAR <= start.year <= LAST_YEAR and FIRST_YEAR <= end.year <= LAST_YEAR):
        errors["start"] = [f"Thời gian của chương trình phải trong các năm {FIRST_YEAR}–{LAST_YEAR}."]
    elif end < start:
        errors["end"] = ["Ngày kết thúc không được trước ngày bắt đầu."]
    elif "period" not in errors and (problem := _span_error(period, start, end)):
        errors["end"] = [problem]
    return errors


def _exists_message(organization: Organization, start: dt.date, period: str) -> str:
    return (
        f"{organization.name} đã có chương trình công tác {PERIOD_WORDS.get(period, '')} này "
        f"(từ ngày {start:%d/%m/%Y}) của cùng cơ quan thực hiện."
    )


def program_create(
    *,
    actor: Actor,
    organization: Organization,
    body: str,
    period: str,
    start: dt.date,
    end: dt.date,
    title: str,
    steering_name: str = "",
) -> Program:
    """Create a draft programme of ``organization``'s ``body`` for ``period`` [start, end].
    The same programme twice (organisation, body, period, start, steering committee) is
    refused with ``ProgramConflict``."""
    person = acting_person(actor)
    if not can(actor, Capability.WRITE, organization):
        raise PermissionDenied("Bạn không có quyền lập chương trình công tác của cơ quan này.")
    title = _clean_text(title)
    steering_name = _clean_text(steering_name) if body == ProgramBody.BAN_CHI_DAO else ""
    errors = _program_errors(
        body=body, period=period, start=start, end=end, title=title, steering_name=steering_name
    )
    if not organization.active or not organization.hosted:
        errors["organization"] = [f"{organization.name} không lập chương trình trên hệ thống này."]
    if errors:
        raise ValidationError(errors)
    key = {"organization": organization, "body": body, "period": period, "start": start}
    if Program.objects.filter(**key, steering_name=steering_name).exists():
        raise ProgramConflict({"start": [_exists_message(organization, start, period)]})
    try:
        with transaction.atomic():
            program = Program.objects.create(
                **key, end=end, title=title, steering_name=steering_name, created_by=person
            )
            audit_record(
                actor=actor,
                action="program.create",
                target=program,
                organization_id=organization.pk,
                after={
                    "body": body,
                    "period": period,
                    "start": start,
                    "end": end,
                    "title": title,
                    "steering_name": steering_name,
                },
            )
    except IntegrityError:  # created by someone else at the same moment
        raise ProgramConflict({"start": [_exists_message(organization, start, period)]}) from None
    return program


def program_update(
    *,
    actor: Actor,
    program: Program,
    title: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Program:
    """Correct a draft programme's title or dates; its items' times must still fit."""
    _require_edit(actor, program)
    if program.state != ProgramState.DRAFT:
        raise ValidationError({"title": ["Chương trình đã duyệt, không sửa được tên và thời gian."]})
    title = _clean_text(title) if title is not None else program.title
    start = start or program.start
    end = end or program.end
    errors = _program_errors(
        body=program.body,
        period=program.period,
        start=start,
        end=end,
        title=title,
        steering_name=program.steering_name,
    )
    if not errors:
        probe = Program(start=start, end=end)
        outside = [i.order for i in program.items.all() if not When.of(i).within(probe)]
        if outside:
            errors["end"] = [
                "Thời gian mới không còn chứa các nội dung số " + ", ".join(str(o) for o in outside) + "."
            ]
    if errors:
        raise ValidationError(errors)
    if (
        start != program.start
        and Program.objects.filter(
            organization_id=program.organization_id,
            body=program.body,
            period=program.period,
            start=start,
            steering_name=program.steering_name,
        )
        .exclude(pk=program.pk)
        .exists()
    ):
        raise ProgramConflict({"start": [_exists_message(program.organization, start, program.period)]})
    before = {"title": program.title, "start": program.start, "end": program.end}
    try:
        with transaction.atomic():
            program.title, program.start, program.end = title, start, end
            program.save(update_fields=["title", "start", "end"])
            audit_record(
                actor=actor,
                action="program.update",
                target=program,
                organization_id=program.organization_id,
                before=before,
                after={"title": title, "start": start, "end": end},
            )
    except IntegrityError:
        raise ProgramConflict(
            {"start": [_exists_message(program.organization, start, program.period)]}
        ) from None
    return program


def _locked_program(program: Program) -> Program:
    return Program.objects.select_for_update().select_related("organization").get(pk=program.pk)


def program_approve(*, actor: Actor, program: Program) -> Program:
    """Approve a draft programme; its planned items with a preparing organisation and a time
    become tasks of the engine in the same transaction."""
    person = acting_person(actor)
    if not may_approve_program(actor, program):
        raise PermissionDenied(
            "Chỉ lãnh đạo cấp ủy duyệt được chương trình công tác này "
            "(lãnh đạo Văn phòng duyệt chương trình tháng, tuần)."
        )
    if program.state != ProgramState.DRAFT:
        raise ValidationError({"state": ["Chương trình đã được duyệt."]})
    calendar = WorkCalendar.load()

    def waiting() -> list[ProgramItem]:
        return list(
            program.items.select_related("preparing_organization", "leader", "parent__task", "program")
            .filter(state=ItemState.PLANNED, task__isnull=True)
            .order_by("order")
        )

    items = waiting()
    # Every task checked before anything is written: a refusal names the item.
    problems: list[str] = []
    for item in items:
        if _shared_task(item) is None and (plan := _task_plan(item, calendar)) is not None:
            try:
                task_validate(actor=actor, **plan)
            except ValidationError as error:
                problems.append(f"Nội dung số {item.order}: {' '.join(error.messages)}")
    if problems:
        raise ValidationError({"state": problems})
    with transaction.atomic():
        locked = _locked_program(program)
        if locked.state != ProgramState.DRAFT:
            raise ValidationError({"state": ["Chương trình đã được duyệt."]})
        locked.state = ProgramState.APPROVED
        locked.approved_by = person
        locked.approved_at = timezone.now()
        locked.save(update_fields=["state", "approved_by", "approved_at"])
        # Read again under the lock: an item added meanwhile gets its task too.
        tasks = [t for item in waiting() if (t := _ensure_task(actor, item, locked, calendar)) is not None]
        audit_record(
            actor=actor,
            action="program.approve",
            target=locked,
            organization_id=locked.organization_id,
            before={"state": ProgramState.DRAFT},
            after={"state": locked.state, "tasks": [t.pk for t in tasks]},
        )
    program.state, program.approved_by, program.approved_at = locked.state, person, locked.approved_at
    return program


def program_issue_draft(*, actor: Actor, program: Program, signer: Person | None = None) -> Document:
    """Draft the programme as an outgoing document (type CTr) of its organisation, the items
    as its body, through the outgoing flow (which numbers and issues it later); link it."""
    _require_edit(actor, program)
    if program.state == ProgramState.DRAFT:
        raise ValidationError({"document": ["Chương trình chưa được duyệt, chưa dự thảo văn bản ban hành."]})
    if program.document_id is not None:
        raise ValidationError({"document": ["Chương trình đã có văn bản ban hành (hoặc dự thảo)."]})
    items = list(
        program.items.exclude(state=ItemState.DROPPED)
        .select_related("preparing_organization", "leader")
        .order_by("order")
    )
    if not items:
        raise ValidationError({"document": ["Chương trình chưa có nội dung nào."]})
    body = render_to_string(
        "programs/work_programs/program_body.txt",
        {
            "program": program,
            "period_name": period_name(program),
            "lines": [_body_line(item) for item in items],
        },
    )
    with transaction.atomic():
        locked = _locked_program(program)
        if locked.document_id is not None:
            raise ValidationError({"document": ["Chương trình đã có văn bản ban hành (hoặc dự thảo)."]})
        document = outgoing_draft_create(
            actor=actor,
            organization=program.organization,
            doc_type="CTr",
            subject=program.title,
            signer=signer,
            body=body,
        )
        locked.document = document
        locked.save(update_fields=["document"])
        audit_record(
            actor=actor,
            action="program.issue_draft",
            target=locked,
            organization_id=locked.organization_id,
            after={"document": document.pk, "items": [i.pk for i in items]},
        )
    program.document = document
    return document


def period_name(program: Program) -> str:
    if program.period == ProgramPeriod.WEEK:
        return f"từ ngày {program.start:%d/%m} đến ngày {program.end:%d/%m/%Y}"
    if program.period == ProgramPeriod.MONTH:
        return f"{program.start:%m/%Y}"
    if program.period == ProgramPeriod.QUARTER:
        return f"{(program.start.month - 1) // 3 + 1}/{program.start.year}"
    if program.period == ProgramPeriod.YEAR:
        return f"{program.start.year}"
    return f"{program.start.year}–{program.end.year}"


def when_text(item: ProgramItem) -> str:
    """The expected time as a programme writes it."""
    when = When.of(item)
    if when.date is not None:
        return f"ngày {when.date:%d/%m/%Y}"
    if when.week is not None:
        return f"tuần {when.week:%d/%m}–{when.week + dt.timedelta(days=6):%d/%m/%Y}"
    if when.month is not None:
        return f"tháng {when.month:%m/%Y}"
    return ""


def _body_line(item: ProgramItem) -> str:
    line = " ".join(item.content.split()).rstrip(".")
    extra = []
    if item.preparing_organization is not None:
        extra.append(f"cơ quan chuẩn bị: {item.preparing_organization.name}")
    if item.leader is not None:
        extra.append(f"lãnh đạo phụ trách: đồng chí {item.leader.full_name}")
    if when := when_text(item):
        extra.append(f"thời gian: {when}")
    if item.meeting_kind:
        extra.append(f"hình thức: {item.get_meeting_kind_display().lower()}")
    return line + (f" ({'; '.join(extra)})." if extra else ".")


# --- Tasks of the items --------------------------------------------------------------------------------


def _task_plan(item: ProgramItem, calendar: WorkCalendar) -> dict[str, Any] | None:
    """The task an item gives, as ``task_validate`` / ``task_create`` take it, or None when it
    gives none (no preparing organisation, no time)."""
    due = due_date_of(item, calendar)
    if item.preparing_organization is None or due is None:
        return None
    program = item.program
    title = " ".join(item.content.split())
    title = title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…"
    return {
        "organization": program.organization,
        "title": title,
        "lead": item.preparing_organization,
        "due_date": due,
        # A programme approved late: an item already past its time is given as of the start of
        # its time (the engine refuses a due date before the day given).
        "assigned_on": _assigned_on(item, due),
        "source": TaskSource(kind=SourceKind.PROGRAM, label=_label(program)),
    }


def _assigned_on(item: ProgramItem, due: dt.date) -> dt.date:
    today = timezone.localdate()
    if due >= today:
        return today
    span = When.of(item).span
    return min(span[0], due) if span is not None else due


def _shared_task(item: ProgramItem) -> Task | None:
    """The open task of the item's parent, which a carried-down item follows (the same
    matter) while its programme lies within the parent's."""
    parent = item.parent
    if parent is None or parent.task_id is None:
        return None
    task = Task.objects.filter(pk=parent.task_id, outcome=Outcome.OPEN).first()
    if task is None:
        return None
    parent_program = Program.objects.only("start", "end").get(pk=parent.program_id)
    if item.program.start > parent_program.end or item.program.end < parent_program.start:
        return None
    return task


def _ensure_task(
    actor: Actor | None, item: ProgramItem, program: Program, calendar: WorkCalendar | None = None
) -> Task | None:
    """Give ``item`` its task when its programme is approved and it is planned, has a preparing
    organisation and a time, and follows no open task yet. Inside the caller's transaction."""
    if program.state == ProgramState.DRAFT or item.state != ItemState.PLANNED:
        return None
    if item.task_id is not None and Task.objects.filter(pk=item.task_id, outcome=Outcome.OPEN).exists():
        return None
    item.program = program
    task = _shared_task(item)
    if task is None:
        plan = _task_plan(item, calendar or WorkCalendar.load())
        if plan is None:
            return None
        plan["source"] = TaskSource(kind=SourceKind.PROGRAM, label=plan["source"].label, obj=item)
        content = " ".join(item.content.split())
        if item.leader is not None:
            content += f"\nLãnh đạo phụ trách: đồng chí {item.leader.full_name}."
        if item.meeting_kind:
            content += f"\nHình thức xem xét: {item.get_meeting_kind_display()}."
        task = task_create(actor=actor, content=content, **plan)
        _adopt(item, task)
    item.task = task
    item.save(update_fields=["task"])
    return task


def _adopt(item: ProgramItem, task: Task) -> None:
    """The planned ancestors of ``item`` whose task was cancelled (the matter was moved) follow
    the matter's new task."""
    seen: set[int] = set()
    parent_id = item.parent_id
    while parent_id is not None and parent_id not in seen:
        seen.add(parent_id)
        parent = ProgramItem.objects.filter(pk=parent_id).only("pk", "parent_id", "state", "task_id").first()
        if parent is None:
            return
        if parent.state == ItemState.PLANNED and parent.task_id is not None:
            if Task.objects.filter(pk=parent.task_id, outcome=Outcome.OPEN).exists():
                return  # the matter is followed there already
            ProgramItem.objects.filter(pk=parent.pk).update(task=task)
        parent_id = parent.parent_id


def _release_tasks(actor: Actor, items: Iterable[ProgramItem], reason: str) -> list[int]:
    """Cancel the open tasks of ``items`` that no item follows any more (every item pointing
    at the task is moved or dropped). Inside the caller's transaction."""
    cancelled: list[int] = []
    for task_id in sorted({i.task_id for i in items if i.task_id is not None}):
        task = Task.objects.filter(pk=task_id, outcome=Outcome.OPEN).first()
        if task is None:
            continue
        if ProgramItem.objects.filter(
            task_id=task_id, state__in=[ItemState.PLANNED, ItemState.DONE]
        ).exists():
            continue
        task_cancel(actor=actor, task=task, reason=reason[:1000])
        cancelled.append(task_id)
    return cancelled


# --- Roll-up ---------------------------------------------------------------------------------------------


def _chain_end(item: ProgramItem) -> ProgramItem:
    """The last item of ``item``'s ``moved_to`` chain (itself when never moved)."""
    seen = {item.pk}
    current = item
    while True:
        nxt = ProgramItem.objects.select_related("program", "moved_from").filter(moved_from=current).first()
        if nxt is None or nxt.pk in seen:
            return current
        seen.add(nxt.pk)
        current = nxt


def _derived_state(parent: ProgramItem) -> tuple[str, str, dt.date | None] | None:
    """The state, reason and day the children's chains give ``parent``; None without children."""
    children = list(ProgramItem.objects.filter(parent=parent).select_related("program", "moved_from"))
    if not children:
        return None
    ends = {end.pk: end for end in (_chain_end(c) for c in children)}
    chains = sorted(ends.values(), key=lambda e: (e.program.start, e.order, e.pk))
    parent_end = parent.program.end
    done = [e for e in chains if e.state == ItemState.DONE]
    if done:
        days = [e.done_on for e in done if e.done_on is not None]
        return ItemState.DONE, "", max(days) if days else None
    if all(e.state == ItemState.DROPPED for e in chains):
        return ItemState.DROPPED, chains[-1].reason, None
    open_chains = [e for e in chains if e.state != ItemState.DROPPED]

    def left(end: ProgramItem) -> bool:
        # Moved on into a programme starting after the parent's period, or (a parent moved by
        # its own roll-up) its programme runs to the end of the parent's period.
        if end.state == ItemState.MOVED:
            return end.program.end >= parent_end
        return end.program.start > parent_end

    if all(left(e) for e in open_chains):
        last = open_chains[-1]
        reason = (
            last.reason
            if last.state == ItemState.MOVED
            else (last.moved_from.reason if last.moved_from else "")
        )
        return ItemState.MOVED, reason, None
    return ItemState.PLANNED, "", None


def _roll_up(actor: Actor | None, item: ProgramItem) -> list[ProgramItem]:
    """Recompute ``item``'s parent chain upward (week → month → quarter → year → term); answers
    the parents whose state changed. The one place the rule lives."""
    changed: list[ProgramItem] = []
    seen: set[int] = set()
    parent_id = item.parent_id
    while parent_id is not None and parent_id not in seen:
        seen.add(parent_id)
        parent = ProgramItem.objects.select_for_update().select_related("program").get(pk=parent_id)
        if ProgramItem.objects.filter(moved_from=parent).exists():
            break  # moved on by hand: closed in its programme
        derived = _derived_state(parent)
        if derived is None:
            break
        state, reason, done_on = derived
        if (parent.state, parent.reason, parent.done_on) == (state, reason[:MAX_REASON], done_on):
            break
        before = {"state": parent.state, "reason": parent.reason, "done_on": parent.done_on}
        parent.state, parent.reason, parent.done_on = state, reason[:MAX_REASON], done_on
        parent.save(update_fields=["state", "reason", "done_on"])
        audit_record(
            actor=actor,
            action="program.item_state",
            target=parent.program,
            organization_id=parent.program.organization_id,
            before={"item": parent.pk, **before},
            after={
                "item": parent.pk,
                "state": state,
                "reason": parent.reason,
                "done_on": done_on,
                "from": item.pk,
            },
        )
        changed.append(parent)
        parent_id = parent.parent_id
    return changed


def _after_change(actor: Actor | None, item: ProgramItem, reason: str) -> None:
    """Roll the change up, then cancel the tasks nothing follows any more, and give a task to
    a parent planned again."""
    changed = _roll_up(actor, item)
    closed = [i for i in [item, *changed] if i.state in (ItemState.MOVED, ItemState.DROPPED)]
    if closed and actor is not None:
        _release_tasks(actor, closed, reason)
    for parent in changed:
        if parent.state == ItemState.PLANNED and actor is not None:
            _ensure_task(actor, parent, parent.program)


# --- Items ------------------------------------------------------------------------------------------------


def _next_order(program: Program) -> int:
    return (ProgramItem.objects.filter(program=program).aggregate(m=Max("order"))["m"] or 0) + 1


def _parent_errors(parent: ProgramItem, program: Program, when: When) -> list[str]:
    other = parent.program
    if other.organization_id != program.organization_id:
        return ["Nội dung cấp trên phải thuộc chương trình của cùng cơ quan."]
    if PERIOD_RANK[other.period] >= PERIOD_RANK[program.period]:
        return ["Nội dung cấp trên phải thuộc chương trình dài hơn (năm → quý → tháng → tuần)."]
    if other.start > program.end or other.end < program.start:
        return ["Chương trình của nội dung cấp trên không trùng thời gian với chương trình này."]
    mine, theirs = when.span, When.of(parent).span
    if mine is not None and theirs is not None and (mine[0] > theirs[1] or mine[1] < theirs[0]):
        return ["Thời gian dự kiến không nằm trong thời gian của nội dung cấp trên."]
    return []


def _item_errors(
    *,
    content: str,
    preparing_organization: Organization | None,
    leader: Person | None,
    meeting_kind: str,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not content:
        errors["content"] = ["Hãy nhập nội dung."]
    elif len(content) > MAX_CONTENT:
        errors["content"] = [f"Nội dung dài quá {MAX_CONTENT} ký tự."]
    if preparing_organization is not None and not preparing_organization.active:
        errors["preparing_organization"] = [f"{preparing_organization.name} không còn hoạt động."]
    if leader is not None and not leader.active:
        errors["leader"] = [f"Đồng chí {leader.full_name} không còn công tác."]
    if meeting_kind and meeting_kind not in MeetingKind.values:
        errors["meeting_kind"] = ["Hình thức xem xét không hợp lệ."]
    return errors


def item_add(
    *,
    actor: Actor,
    program: Program,
    content: str,
    preparing_organization: Organization | None = None,
    leader: Person | None = None,
    planned_date: dt.date | None = None,
    planned_week: dt.date | None = None,
    planned_month: dt.date | None = None,
    meeting_kind: str = "",
    parent: ProgramItem | None = None,
) -> ProgramItem:
    """Add an item to ``program``; in an approved programme it becomes a task at once."""
    _require_edit(actor, program)
    content = (content or "").strip()
    meeting_kind = meeting_kind or ""
    when = When(planned_date, planned_week, planned_month)
    errors = _item_errors(
        content=content,
        preparing_organization=preparing_organization,
        leader=leader,
        meeting_kind=meeting_kind,
    )
    errors.update(_time_errors(when, program))
    if parent is not None and not errors and (problems := _parent_errors(parent, program, when)):
        errors["parent"] = problems
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked_program(program)
        item = ProgramItem.objects.create(
            program=locked,
            order=_next_order(locked),
            content=content,
            preparing_organization=preparing_organization,
            leader=leader,
            meeting_kind=meeting_kind,
            parent=parent,
            **when.columns(),
        )
        task = _ensure_task(actor, item, locked)
        audit_record(
            actor=actor,
            action="program.item_add",
            target=locked,
            organization_id=locked.organization_id,
            after={
                "item": item.pk,
                "order": item.order,
                "content": content[:500],
                "preparing_organization": preparing_organization.pk if preparing_organization else None,
                "leader": leader.pk if leader else None,
                **when.columns(),
                "meeting_kind": meeting_kind,
                "parent": parent.pk if parent else None,
                "task": task.pk if task else None,
            },
        )
        _after_change(actor, item, "")
    return item


def item_carry_down(*, actor: Actor, item: ProgramItem, program: Program) -> ProgramItem:
    """Copy an item of a longer programme into the shorter ``program`` (same organisation,
    overlapping dates), its time narrowed to the programme; ``parent`` is the item. Once per
    programme."""
    _require_edit(actor, program)
    source = item.program
    errors: list[str] = []
    if source.organization_id != program.organization_id:
        errors.append("Chỉ chuyển xuống chương trình của cùng cơ quan.")
    elif PERIOD_RANK[source.period] >= PERIOD_RANK[program.period]:
        errors.append("Chỉ chuyển nội dung từ chương trình dài hơn xuống chương trình ngắn hơn.")
    elif source.start > program.end or source.end < program.start:
        errors.append("Hai chương trình không trùng thời gian.")
    elif not When.of(item).within(program):
        errors.append(f"Thời gian dự kiến của nội dung ({when_text(item)}) không thuộc chương trình này.")
    elif item.state != ItemState.PLANNED:
        errors.append(f"Nội dung đang ở tình trạng “{item.get_state_display()}”, không chuyển xuống được.")
    elif ProgramItem.objects.filter(program=program, parent=item).exists():
        errors.append("Nội dung này đã có trong chương trình.")
    if errors:
        raise ValidationError({"item": errors})
    when = narrowed(When.of(item), program)
    with transaction.atomic():
        locked = _locked_program(program)
        if ProgramItem.objects.filter(program=locked, parent=item).exists():
            raise ValidationError({"item": ["Nội dung này đã có trong chương trình."]})
        child = ProgramItem.objects.create(
            program=locked,
            order=_next_order(locked),
            content=item.content,
            preparing_organization=item.preparing_organization,
            leader=item.leader,
            meeting_kind=item.meeting_kind,
            parent=item,
            **when.columns(),
        )
        task = _ensure_task(actor, child, locked)
        audit_record(
            actor=actor,
            action="program.item_carry_down",
            target=locked,
            organization_id=locked.organization_id,
            after={
                "item": child.pk,
                "from": item.pk,
                "order": child.order,
                **when.columns(),
                "task": task.pk if task else None,
            },
        )
        _after_change(actor, child, "")
    return child


def item_move(
    *,
    actor: Actor,
    item: ProgramItem,
    program: Program,
    reason: str,
    planned_date: dt.date | None = None,
    planned_week: dt.date | None = None,
    planned_month: dt.date | None = None,
) -> ProgramItem:
    """Move a planned item to a later programme of the same organisation and body: the item
    becomes ``moved`` (reason kept) and a new item of ``program`` carries ``moved_from``. The
    item's task is cancelled with the reason; the new item gets its own task when its
    programme is approved, and the planned items above it that followed the old task follow
    the new one."""
    _require_edit(actor, item.program)
    source = item.program
    reason = _clean_text(reason)
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = ["Hãy nêu lý do chuyển sang kỳ sau."]
    elif len(reason) > MAX_REASON:
        errors["reason"] = [f"Lý do dài quá {MAX_REASON} ký tự."]
    if program.organization_id != source.organization_id or program.body != source.body:
        errors["program"] = ["Chỉ chuyển sang chương trình của cùng cơ quan và cùng cơ quan thực hiện."]
    elif program.steering_name != source.steering_name:
        errors["program"] = ["Chỉ chuyển sang chương trình của cùng Ban Chỉ đạo."]
    elif program.start <= source.start:
        errors["program"] = ["Chương trình nhận phải là chương trình của kỳ sau."]
    if item.state != ItemState.PLANNED:
        errors["item"] = [f"Nội dung đang ở tình trạng “{item.get_state_display()}”, không chuyển được."]
    given = When(planned_date, planned_week, planned_month)
    when = given if any(v is not None for v in given.columns().values()) else narrowed(When.of(item), program)
    if "program" not in errors:
        errors.update(_time_errors(when, program))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        old = ProgramItem.objects.select_for_update().select_related("program").get(pk=item.pk)
        if old.state != ItemState.PLANNED:
            raise ValidationError({"item": ["Nội dung đã được cập nhật, không chuyển được."]})
        locked = _locked_program(program)
        old.state, old.reason, old.done_on = ItemState.MOVED, reason, None
        old.save(update_fields=["state", "reason", "done_on"])
        new = ProgramItem.objects.create(
            program=locked,
            order=_next_order(locked),
            content=old.content,
            preparing_organization=old.preparing_organization,
            leader=old.leader,
            meeting_kind=old.meeting_kind,
            parent=old.parent,
            moved_from=old,
            **when.columns(),
        )
        audit_record(
            actor=actor,
            action="program.item_move",
            target=source,
            organization_id=source.organization_id,
            before={"item": old.pk, "state": ItemState.PLANNED},
            after={
                "item": old.pk,
                "state": ItemState.MOVED,
                "reason": reason,
                "to": new.pk,
                "program": locked.pk,
            },
        )
        why = f"Chuyển sang {locked.title}: {reason}"
        _after_change(actor, old, why)
        if old.task_id is not None and (
            task := Task.objects.filter(pk=old.task_id, outcome=Outcome.OPEN).first()
        ):
            task_cancel(actor=actor, task=task, reason=why[:1000])
        _ensure_task(actor, new, locked)
    item.state, item.reason = old.state, old.reason
    return new


def _set_state(
    actor: Actor | None, item: ProgramItem, state: str, reason: str, done_on: dt.date | None
) -> ProgramItem:
    with transaction.atomic():
        locked = ProgramItem.objects.select_for_update().select_related("program").get(pk=item.pk)
        if locked.state == ItemState.MOVED:
            raise ValidationError(
                {"state": ["Nội dung đã chuyển sang kỳ sau; hãy cập nhật ở chương trình mới."]}
            )
        before = {
            "item": locked.pk,
            "state": locked.state,
            "reason": locked.reason,
            "done_on": locked.done_on,
        }
        locked.state, locked.reason, locked.done_on = state, reason, done_on
        locked.save(update_fields=["state", "reason", "done_on"])
        audit_record(
            actor=actor,
            action="program.item_state",
            target=locked.program,
            organization_id=locked.program.organization_id,
            before=before,
            after={"item": locked.pk, "state": state, "reason": reason, "done_on": done_on},
        )
        _after_change(actor, locked, f"Không thực hiện: {reason}" if state == ItemState.DROPPED else "")
        if state == ItemState.PLANNED:
            _ensure_task(actor, locked, locked.program)
    item.state, item.reason, item.done_on, item.task_id = state, reason, done_on, locked.task_id
    return item


def item_set_state(
    *, actor: Actor, item: ProgramItem, state: str, reason: str = "", done_on: dt.date | None = None
) -> ProgramItem:
    """Record what became of an item: done (on ``done_on``, today by default), dropped (with
    the reason; its task is cancelled), or back to planned. Moving goes through ``item_move``."""
    _require_edit(actor, item.program)
    reason = _clean_text(reason)
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if state == ItemState.MOVED:
        errors["state"] = ["Chuyển sang kỳ sau bằng chức năng “Chuyển kỳ sau” (chọn chương trình và lý do)."]
    elif state not in ItemState.values:
        errors["state"] = ["Kết quả không hợp lệ."]
    elif state == ItemState.DROPPED and not reason:
        errors["reason"] = ["Hãy nêu lý do không thực hiện."]
    if len(reason) > MAX_REASON:
        errors["reason"] = [f"Lý do dài quá {MAX_REASON} ký tự."]
    if state == ItemState.DONE:
        done_on = done_on or today
        if done_on > today:
            errors["done_on"] = ["Ngày thực hiện không được sau hôm nay."]
        elif done_on.year < FIRST_YEAR:
            errors["done_on"] = [f"Ngày thực hiện phải từ năm {FIRST_YEAR}."]
    else:
        done_on = None
    if item.state == ItemState.MOVED:
        errors["state"] = ["Nội dung đã chuyển sang kỳ sau; hãy cập nhật ở chương trình mới."]
    elif ProgramItem.objects.filter(parent=item).exists():
        # Its result is its children's, rolled up: one written here would be overwritten.
        errors["state"] = [
            "Nội dung đã được đưa xuống chương trình ngắn hơn: hãy ghi kết quả ở đó, "
            "kết quả được tổng hợp lên nội dung này."
        ]
    if errors:
        raise ValidationError(errors)
    if state in (ItemState.DONE, ItemState.PLANNED):
        reason = ""
    return _set_state(actor, item, state, reason, done_on)


def item_meeting_held(*, item: ProgramItem, on_date: dt.date, actor: Actor | None = None) -> ProgramItem:
    """A meeting held on the item (``Meeting.program_item``): a planned item becomes done on the
    meeting's day, and its parents roll up. Called by the meetings service, which has checked
    who records the meeting; an item already closed is left as it is."""
    if item.state != ItemState.PLANNED:
        return item
    children = list(ProgramItem.objects.filter(parent=item))
    if children:
        # Carried down: the shorter programmes' open copies are the ones carried out, and
        # the roll-up makes this one done (a result written here would be overwritten).
        for child in children:
            item_meeting_held(item=_chain_end(child), on_date=on_date, actor=actor)
        item.refresh_from_db()
        return item
    return _set_state(actor, item, ItemState.DONE, "", on_date)


__all__ = [
    "PERIOD_WORDS",
    "ROUTINE_PERIODS",
    "ProgramConflict",
    "When",
    "due_date_of",
    "item_add",
    "item_carry_down",
    "item_meeting_held",
    "item_move",
    "item_set_state",
    "narrowed",
    "period_end",
    "period_name",
    "program_approve",
    "program_create",
    "program_issue_draft",
    "program_update",
    "when_text",
]
