"""Every change of the reporting regime, as plain functions taking explicit arguments. Each one
checks who may do it, validates with Vietnamese messages (``ValidationError`` keyed by field),
writes its rows and its audit entry in one transaction.

Each recipient's report for each period is a task of the engine (``task_create``, source
``SourceKind.REPORT_REQUEST``), made in the same transaction as its ``ReportSubmission`` row:
for a one-off request its single period; for a periodic one the current period (the first
whose report is not yet due) and the next when the request is made, then the coming ones by
the daily job (``periods_ensure_all``). A rapid request (daily, or every few hours: a storm,
an epidemic) gives the day or slot under way and the next; the hourly job gives the following
ones. Submitting completes the task through the engine's lifecycle (``task_complete``: on time
or late by the engine's rule; a rapid report is late after its day or slot); the requester
returning a report reopens it (``task_return``). The engine asks this module before a report's
task is completed, returned or cancelled from the task pages (``report_task_guard``), so the
task and its report never part. Ending a request (``request_close``) withdraws the reports not
yet due and cancels their tasks."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Min, Q
from django.template.loader import render_to_string
from django.utils import timezone

from vanphong.audit.services import audit_record
from vanphong.core.files import Spooled, Upload, spool_upload, store_spooled
from vanphong.documents.models import Document
from vanphong.documents.services.outgoing import outgoing_draft_create
from vanphong.orgs.access import Capability, can
from vanphong.orgs.actors import Actor, acting_person, person_of
from vanphong.orgs.models import Organization, Person
from vanphong.petitions import selectors as petition_selectors
from vanphong.reporting import periods, selectors
from vanphong.reporting.models import (
    Frequency,
    Indicator,
    ReportRequest,
    ReportSubmission,
    ReportSummary,
    ReportValue,
    SubmissionFile,
    SubmissionState,
)
from vanphong.tasks.access import may_manage
from vanphong.tasks.calendar import WorkCalendar
from vanphong.tasks.models import OPEN_STATES, Outcome, Priority, SourceKind, Task, TaskState
from vanphong.tasks.services import (
    TaskSource,
    task_cancel,
    task_complete,
    task_create,
    task_return,
    task_validate,
)
from vanphong.tasks.services.guards import CANCEL, COMPLETE, RETURN

logger = logging.getLogger(__name__)

MAX_TITLE = 500
MAX_INDICATORS = 100
MAX_SECTIONS = 50
MAX_SECTION_HEADING = 300
MAX_TEXT = 50_000
MAX_REASON = 2000
MAX_FILES = 10
MAX_ABS_VALUE = Decimal("1e15")
ROMAN = [
    "",
    *[
        "I",
        "II",
        "III",
        "IV",
        "V",
        "VI",
        "VII",
        "VIII",
        "IX",
        "X",
        "XI",
        "XII",
        "XIII",
        "XIV",
        "XV",
        "XVI",
        "XVII",
        "XVIII",
        "XIX",
        "XX",
    ],
]
MAX_URGENT_DAYS = 90  # an urgent request answers for at most this many days
MAX_URGENT_INDICATORS = 12  # a short form, answered from a phone every few hours
MAX_URGENT_SECTIONS = 3
MAX_START_AHEAD = 366  # a request starts within a year
BACKFILL = 2  # periods before the current one the job still gives when it was not running
VIETNAMESE_NUMBER = re.compile(r"[-+]?\d{1,3}(\.\d{3})+(,\d+)?")
CODE_RE = re.compile(r"^[A-Za-z0-9_.\-]{1,40}$")


class SubmissionConflict(ValidationError):
    """The report was already sent: it changes only after the requester returns it (the API
    answers 409 ``conflict``)."""


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    unit: str = ""
    min: Decimal | None = None
    max: Decimal | None = None
    # A code of ``petitions.selectors.stats_figure_labels``: the reporter's form is prefilled
    # with that figure of the period (``petition_suggestions``); blank: typed by hand.
    source: str = ""


def _decimal(value: Any) -> Decimal | None:
    """A number typed or posted (``1 234,5`` as a Vietnamese clerk types it, or JSON), or None
    when it is none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal | int | float):
        raw = str(value)
    elif isinstance(value, str):
        raw = value.strip().replace(" ", "").replace("\u00a0", "")
        if VIETNAMESE_NUMBER.fullmatch(raw):  # 1.234.567,5: dots group thousands, the comma is decimal
            raw = raw.replace(".", "").replace(",", ".")
        elif raw.count(",") == 1 and "." not in raw:
            raw = raw.replace(",", ".")
        elif "," in raw:
            return None
    else:
        return None
    try:
        number = Decimal(raw)
    except InvalidOperation:
        return None
    if not number.is_finite() or abs(number) >= MAX_ABS_VALUE:
        return None
    return number.quantize(Decimal("0.0001"))


def _fmt(value: Decimal) -> str:
    shown = selectors.number(value)
    return f"{shown:,}".replace(",", ".") if isinstance(shown, int) else str(shown).replace(".", ",")


# --- Requests -------------------------------------------------------------------------------


def _check_indicators(specs: Iterable[IndicatorSpec], errors: dict[str, list[str]]) -> list[IndicatorSpec]:
    specs = list(specs)
    problems: list[str] = []
    seen: set[str] = set()
    sources = petition_selectors.stats_figure_labels()
    if len(specs) > MAX_INDICATORS:
        problems.append(f"Một yêu cầu có nhiều nhất {MAX_INDICATORS} chỉ tiêu.")
    for n, spec in enumerate(specs, start=1):
        code = (spec.code or "").strip()
        if not CODE_RE.match(code):
            problems.append(
                f"Chỉ tiêu thứ {n}: mã chỉ gồm chữ không dấu, số, dấu chấm, "
                f"gạch ngang, gạch dưới (tối đa 40 ký tự)."
            )
        elif code.lower() in seen:
            problems.append(f"Mã chỉ tiêu “{code}” bị trùng.")
        seen.add(code.lower())
        if not " ".join((spec.name or "").split()):
            problems.append(f"Chỉ tiêu thứ {n}: hãy nhập tên chỉ tiêu.")
        elif len(spec.name) > 300:
            problems.append(f"Chỉ tiêu thứ {n}: tên dài quá 300 ký tự.")
        if len((spec.unit or "").strip()) > 50:
            problems.append(f"Chỉ tiêu thứ {n}: đơn vị tính dài quá 50 ký tự.")
        if spec.min is not None and spec.max is not None and spec.min > spec.max:
            problems.append(f"Chỉ tiêu thứ {n}: giá trị tối thiểu lớn hơn giá trị tối đa.")
        source = (spec.source or "").strip()
        if source and source not in sources:
            problems.append(f"Chỉ tiêu thứ {n}: không có số liệu “{source[:60]}” trong sổ đơn thư.")
    if problems:
        errors["indicators"] = problems
    return specs


def _check_sections(sections: Iterable[str], errors: dict[str, list[str]]) -> list[str]:
    cleaned = [" ".join((s or "").split()) for s in sections]
    cleaned = [s for s in cleaned if s]
    problems: list[str] = []
    if len(cleaned) > MAX_SECTIONS:
        problems.append(f"Một yêu cầu có nhiều nhất {MAX_SECTIONS} phần nội dung.")
    if any(len(s) > MAX_SECTION_HEADING for s in cleaned):
        problems.append(f"Tên phần nội dung dài quá {MAX_SECTION_HEADING} ký tự.")
    if len({s.lower() for s in cleaned}) != len(cleaned):
        problems.append("Có phần nội dung bị trùng tên.")
    if problems:
        errors["sections"] = problems
    return cleaned


def _check_recipients(
    organization: Organization, recipients: Iterable[Organization], errors: dict[str, list[str]]
) -> list[Organization]:
    """The recipients, as the database has them now: each strictly below the requester in the
    tree of organisations (``path``), active, using the system, and not an office (a Văn
    phòng works for its committee; the committee is the one asked)."""
    chosen = list(dict.fromkeys(recipients))
    if not chosen:
        errors["recipients"] = ["Hãy chọn ít nhất một nơi phải báo cáo."]
        return chosen
    fresh = {o.pk: o for o in Organization.objects.filter(pk__in=[o.pk for o in chosen])}
    root = Organization.objects.filter(pk=organization.pk).values_list("path", flat=True).first()
    root = root or organization.path
    chosen = [fresh.get(o.pk, o) for o in chosen]
    problems = []
    for org in chosen:
        if org.pk == organization.pk or not org.path.startswith(root):
            problems.append(f"{org.name} không phải cơ quan, tổ chức cấp dưới của {organization.name}.")
        elif org.is_office:
            problems.append(
                f"{org.name} là cơ quan tham mưu, giúp việc, không phải cấp dưới phải báo cáo: "
                "hãy chọn cấp ủy, tổ chức mà cơ quan này giúp việc."
            )
        elif not org.active:
            problems.append(f"{org.name} không còn hoạt động.")
        elif not org.hosted:
            problems.append(f"{org.name} không dùng hệ thống, không nhận yêu cầu báo cáo được.")
    if problems:
        errors["recipients"] = problems
    return chosen


def _check_requester(organization: Organization, errors: dict[str, list[str]]) -> None:
    """A committee (or organisation) asks the ones below it: not its Văn phòng in its own name."""
    if organization.is_office:
        who = organization.parent.name if organization.parent_id else "cấp ủy"  # type: ignore[union-attr]
        errors["organization"] = [
            f"{organization.name} là cơ quan tham mưu, giúp việc: yêu cầu báo cáo gửi nhân danh {who}."
        ]
    elif not organization.active or not organization.hosted:
        errors["organization"] = [f"{organization.name} không yêu cầu báo cáo được trên hệ thống."]


def _check_span(
    frequency: str,
    urgent: bool,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    today: dt.date,
    errors: dict[str, list[str]],
) -> None:
    """The days a periodic request answers for: from ``starts_on`` (not before today, within a
    year) to ``ends_on``, which an urgent or hourly request must give, at most
    ``MAX_URGENT_DAYS`` days after the start."""
    start = starts_on or today
    if starts_on is not None and starts_on < today:
        errors["starts_on"] = ["Ngày bắt đầu báo cáo không được trước hôm nay."]
    elif start > today + dt.timedelta(days=MAX_START_AHEAD):
        errors["starts_on"] = ["Ngày bắt đầu báo cáo phải trong vòng một năm tới."]
    limited = urgent or frequency == Frequency.HOURLY
    if ends_on is None:
        if limited:
            what = "Báo cáo nhanh khẩn" if urgent else "Báo cáo theo giờ"
            errors["ends_on"] = [
                f"{what} cần ngày kết thúc báo cáo (nhiều nhất {MAX_URGENT_DAYS} ngày kể từ ngày bắt đầu)."
            ]
    elif ends_on < start:
        errors["ends_on"] = ["Ngày kết thúc báo cáo không được trước ngày bắt đầu."]
    elif limited and ends_on > start + dt.timedelta(days=MAX_URGENT_DAYS):
        errors["ends_on"] = [f"Ngày kết thúc báo cáo nhiều nhất {MAX_URGENT_DAYS} ngày sau ngày bắt đầu."]
    elif ends_on.year > periods.LAST_YEAR:
        errors["ends_on"] = [f"Ngày kết thúc báo cáo phải trước năm {periods.LAST_YEAR + 1}."]


def _task_title(request: ReportRequest, key: str) -> str:
    label = selectors.period_label(request, key)
    word = "Báo cáo nhanh" if request.urgent else "Báo cáo"
    title = f"{word}: {request.title}" if not key else f"{word} {label}: {request.title}"
    return title[:MAX_TITLE]


def _source(request: ReportRequest) -> TaskSource:
    who = request.organization.short_name or request.organization.name
    return TaskSource(
        kind=SourceKind.REPORT_REQUEST, label=f"Yêu cầu báo cáo của {who}: {request.title}"[:500], obj=request
    )


def _deadline_of(request: ReportRequest, period: periods.AnyPeriod | None, due: dt.date) -> dt.datetime:
    if isinstance(period, periods.Day | periods.Slot):
        return period.ends_at
    return periods.end_of_day(due)


def _periods_to_give(
    request: ReportRequest,
    *,
    today: dt.date,
    now: dt.datetime,
    calendar: WorkCalendar,
    backfill: bool = False,
) -> list[tuple[str, dt.date]]:
    """The periods (key, due date) whose reports are given now: the single one of a one-off
    request; else the period under way (for a calendar period, the first whose report is not
    yet due) and the next, with — for the job (``backfill``) — up to ``BACKFILL`` periods
    before them that fell due after the request was made (given late when the job did not
    run), never before the first period the request was made with. None before ``starts_on``
    or after ``ends_on``."""
    if request.frequency == Frequency.ONCE:
        assert request.due_date is not None
        return [("", calendar.next_working_day(request.due_date))]
    found: list[periods.AnyPeriod] = []
    if request.frequency in periods.RAPID:
        hours = request.interval_hours
        start = request.starts_on or today
        first: periods.AnyPeriod
        if start > timezone.localtime(now).date():
            first = periods.rapid_first(request.frequency, start, hours)
        else:
            first = periods.rapid_at(request.frequency, now, hours)
            # A request made late in a slot does not start overdue for everyone: when less
            # than half of the slot under way remains, its reports start with the next slot.
            if (
                not backfill
                and isinstance(first, periods.Slot)
                and (first.ends_at - now) * 2 < first.ends_at - first.starts_at
            ):
                with contextlib.suppress(periods.PeriodError):
                    first = first.next()
    else:
        assert request.due_day is not None
        first = periods.open_periods(
            request.frequency, request.due_day, max(today, request.starts_on or today), calendar
        )[0]
    found = [first]
    with contextlib.suppress(periods.PeriodError):
        found.append(first.next())
    if backfill:
        earlier = first
        for _ in range(BACKFILL):
            try:
                earlier = earlier.previous()
            except periods.PeriodError:
                break
            found.insert(0, earlier)
    # Never a period before those the request was made with (its first rows), or — without
    # rows — one that fell due before it was made: those were never asked for.
    floor = request.submissions.aggregate(first=Min("period"))["first"] if request.pk else None
    made_at = request.created_at
    given: list[tuple[str, dt.date]] = []
    for p in found:
        due = p.due_date(request.due_day or 0, calendar) if isinstance(p, periods.Period) else p.due_date()
        if request.ends_on is not None and p.start > request.ends_on:
            continue
        if request.starts_on is not None and p.end < request.starts_on:
            continue
        if floor:
            if p.key < floor:  # keys of one frequency sort as their periods do
                continue
        elif made_at is not None and _deadline_of(request, p, due) <= made_at:
            continue
        given.append((p.key, due))
    return given


def request_create(
    *,
    actor: Actor,
    organization: Organization,
    title: str,
    frequency: str,
    recipients: Iterable[Organization],
    due_day: int | None = None,
    due_date: dt.date | None = None,
    indicators: Iterable[IndicatorSpec] = (),
    sections: Iterable[str] = (),
    urgent: bool = False,
    interval_hours: int | None = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> ReportRequest:
    """A request from ``organization`` to organisations below it; each recipient's report for
    the current and the next period (or the single one) becomes a task at once.

    A rapid request (``daily``, or ``hourly`` every ``interval_hours`` hours) answers from
    ``starts_on`` (today when not given) to ``ends_on``; an ``urgent`` one (a storm, an
    epidemic: its tasks are the engine's most urgent) is one-off, daily or hourly, ends within
    ``MAX_URGENT_DAYS`` days and keeps a short form."""
    creator = acting_person(actor)
    if not can(actor, Capability.WRITE, organization):
        raise PermissionDenied("Bạn không có quyền yêu cầu báo cáo thay mặt cơ quan này.")
    now = now or timezone.now()
    today = today or timezone.localtime(now).date()
    title = " ".join((title or "").split())
    urgent = bool(urgent)
    errors: dict[str, list[str]] = {}
    _check_requester(organization, errors)
    if not title:
        errors["title"] = ["Hãy nhập tên báo cáo."]
    elif len(title) > MAX_TITLE:
        errors["title"] = [f"Tên báo cáo dài quá {MAX_TITLE} ký tự."]
    if frequency not in Frequency.values:
        errors["frequency"] = ["Tần suất báo cáo không hợp lệ."]
    elif frequency == Frequency.ONCE:
        due_day = interval_hours = None
        starts_on = ends_on = None
        if due_date is None:
            errors["due_date"] = ["Hãy nhập hạn nộp báo cáo."]
        elif due_date < today:
            errors["due_date"] = ["Hạn nộp không được trước hôm nay."]
        elif due_date.year > periods.LAST_YEAR:
            errors["due_date"] = [f"Hạn nộp phải trước năm {periods.LAST_YEAR + 1}."]
    elif frequency in periods.RAPID:
        due_day = due_date = None
        if frequency == Frequency.HOURLY:
            try:
                interval_hours = periods.check_interval(interval_hours)
            except periods.PeriodError as error:
                errors["interval_hours"] = [str(error)]
        else:
            interval_hours = None
        _check_span(frequency, urgent, starts_on, ends_on, today, errors)
        starts_on = starts_on or today
    else:
        due_date = interval_hours = None
        limit = 7 if frequency == Frequency.WEEKLY else 31
        if due_day is None:
            errors["due_day"] = ["Hãy nhập ngày hạn nộp trong kỳ."]
        elif not isinstance(due_day, int) or not 1 <= due_day <= limit:
            errors["due_day"] = [
                "Hạn nộp báo cáo tuần là ngày thứ mấy trong tuần, từ 1 (thứ Hai) đến 7 (Chủ nhật)."
                if frequency == Frequency.WEEKLY
                else "Ngày hạn nộp là một ngày từ 1 đến 31 của tháng cuối kỳ."
            ]
        if urgent:
            errors["urgent"] = [
                "Báo cáo nhanh khẩn là báo cáo một lần, hằng ngày hoặc theo giờ: hãy chọn một trong "
                "các tần suất đó."
            ]
        _check_span(frequency, False, starts_on, ends_on, today, errors)
    specs = _check_indicators(indicators, errors)
    heads = _check_sections(sections, errors)
    chosen = _check_recipients(organization, recipients, errors)
    if not specs and not heads and "indicators" not in errors and "sections" not in errors:
        errors["indicators"] = ["Hãy nêu ít nhất một chỉ tiêu hoặc một phần nội dung của báo cáo."]
    if urgent and len(specs) > MAX_URGENT_INDICATORS:
        errors.setdefault("indicators", []).append(
            f"Báo cáo nhanh khẩn có mẫu ngắn: nhiều nhất {MAX_URGENT_INDICATORS} chỉ tiêu."
        )
    if urgent and len(heads) > MAX_URGENT_SECTIONS:
        errors.setdefault("sections", []).append(
            f"Báo cáo nhanh khẩn có mẫu ngắn: nhiều nhất {MAX_URGENT_SECTIONS} phần nội dung."
        )
    if errors:
        raise ValidationError(errors)
    calendar = WorkCalendar.load()
    draft = ReportRequest(
        organization=organization,
        title=title,
        frequency=frequency,
        due_day=due_day,
        due_date=due_date,
        urgent=urgent,
        interval_hours=interval_hours,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    dues = _periods_to_give(draft, today=today, now=now, calendar=calendar)
    if not dues:
        raise ValidationError({"ends_on": ["Không còn kỳ báo cáo nào trước ngày kết thúc báo cáo."]})
    # The engine's own checks (who may give work in the organisation's name, whom it may name)
    # before anything is written.
    for org in chosen:
        task_validate(
            actor=actor,
            organization=organization,
            title=title,
            lead=org,
            due_date=dues[0][1],
            source=TaskSource(kind=SourceKind.REPORT_REQUEST),
            assigned_on=today,
        )
    with transaction.atomic():
        request = ReportRequest.objects.create(
            organization=organization,
            title=title,
            frequency=frequency,
            due_day=due_day,
            due_date=due_date,
            urgent=urgent,
            interval_hours=interval_hours,
            starts_on=starts_on,
            ends_on=ends_on,
            sections=heads,
            created_by=creator,
        )
        request.recipients.set(chosen)
        Indicator.objects.bulk_create(
            [
                Indicator(
                    request=request,
                    order=n,
                    code=s.code.strip(),
                    name=" ".join(s.name.split()),
                    unit=(s.unit or "").strip(),
                    min_value=s.min,
                    max_value=s.max,
                    source=(s.source or "").strip(),
                )
                for n, s in enumerate(specs, start=1)
            ]
        )
        audit_record(
            actor=actor,
            action="report_request.create",
            target=request,
            organization_id=organization.pk,
            after={
                "title": title,
                "frequency": frequency,
                "due_day": due_day,
                "due_date": due_date,
                "urgent": urgent,
                "interval_hours": interval_hours,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "recipients": [o.pk for o in chosen],
                "indicators": [s.code for s in specs],
                "sources": {s.code.strip(): s.source.strip() for s in specs if (s.source or "").strip()},
                "sections": heads,
            },
        )
        for key, due in dues:
            _give_period(request, key, due, chosen, actor=actor, today=today, calendar=calendar)
    return request


def _give_period(
    request: ReportRequest,
    key: str,
    due: dt.date,
    recipients: Iterable[Organization],
    *,
    actor: Actor | None,
    today: dt.date,
    calendar: WorkCalendar,
) -> int:
    """The rows and tasks of period ``key`` for the recipients that have none yet."""
    have = set(
        ReportSubmission.objects.filter(request=request, period=key).values_list("organization_id", flat=True)
    )
    made = 0
    content: str | None = None  # built once per period, not once per recipient
    for org in recipients:
        if org.pk in have or not org.active:
            continue
        if content is None:
            content = _task_content(request, key, due)
        submission = ReportSubmission.objects.create(
            request=request, organization=org, period=key, due_date=due
        )
        submission.task = task_create(
            actor=actor,
            organization=request.organization,
            title=_task_title(request, key),
            lead=org,
            content=content,
            due_date=due,
            priority=Priority.URGENT if request.urgent else Priority.NORMAL,
            source=_source(request),
            assigned_on=min(today, due),
            calendar=calendar,
            check_access=actor is not None,
            created_by=request.created_by,
        )
        submission.save(update_fields=["task"])
        made += 1
    return made


def _task_content(request: ReportRequest, key: str, due: dt.date) -> str:
    label = selectors.period_label(request, key)
    if request.frequency == Frequency.HOURLY and key:
        slot = selectors.request_period(request, key)
        end = f"{slot.end_hour:02d}:00" if isinstance(slot, periods.Slot) and slot.end_hour < 24 else "24:00"
        first = f"Gửi báo cáo lần {label} trước {end} ngày {due:%d/%m/%Y}."
    elif request.frequency == Frequency.DAILY and key:
        first = f"Gửi báo cáo {label.lower()} trong ngày {due:%d/%m/%Y} (kể cả ngày nghỉ)."
    else:
        first = f"Gửi báo cáo {label.lower()} trước ngày {due:%d/%m/%Y}."
    lines = [first]
    names = list(request.indicators.values_list("name", flat=True)) if request.pk else []
    if names:
        lines.append("Số liệu: " + "; ".join(names) + ".")
    if request.sections:
        lines.append("Nội dung: " + "; ".join(request.sections) + ".")
    return "\n".join(lines)


def periods_ensure(
    request: ReportRequest,
    *,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    calendar: WorkCalendar | None = None,
) -> int:
    """Give the reports of a periodic request not yet given: the period under way and the
    next, and the few before them that fell due after the request was made (missed while the
    job did not run). The job's step, as of ``now`` (for another day than today, as that day
    begins); safe to run twice: one row per request, period and recipient. Acts as the
    system, in the name of the request's creator. Nothing for a request ended, or for the
    days after its ``ends_on``."""
    if request.frequency == Frequency.ONCE or not request.active or request.closed_at is not None:
        return 0
    if request.frequency not in periods.RAPID and request.due_day is None:
        return 0
    if now is None:
        now = timezone.now() if today is None or today == timezone.localdate() else periods.at(today)
    today = today or timezone.localtime(now).date()
    calendar = calendar or WorkCalendar.load()
    made = 0
    with transaction.atomic():
        fresh = (
            ReportRequest.objects.select_for_update()
            .filter(pk=request.pk)
            .values("active", "closed_at")
            .first()
        )
        if fresh is None or not fresh["active"] or fresh["closed_at"] is not None:
            return 0  # ended meanwhile
        recipients = list(request.recipients.filter(active=True))
        dues = _periods_to_give(request, today=today, now=now, calendar=calendar, backfill=True)
        for key, due in dues:
            made += _give_period(request, key, due, recipients, actor=None, today=today, calendar=calendar)
        if made:
            audit_record(
                actor=None,
                action="report_request.periods",
                target=request,
                organization_id=request.organization_id,
                after={"made": made, "day": today, "periods": [key for key, _ in dues]},
            )
    return made


@dataclass
class EnsureResult:
    """What a run of the job did: reports given, and the requests that failed (logged)."""

    made: int = 0
    failed: list[int] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"made": self.made, "failed": len(self.failed), "failed_requests": self.failed}


def periods_ensure_all(
    *, today: dt.date | None = None, now: dt.datetime | None = None, rapid_only: bool = False
) -> EnsureResult:
    """``periods_ensure`` for every active periodic request (``rapid_only``: the daily and
    hourly ones, for the hourly job). One request failing is logged with its id and counted;
    the others go on."""
    if now is None:
        now = timezone.now() if today is None or today == timezone.localdate() else periods.at(today)
    today = today or timezone.localtime(now).date()
    calendar = WorkCalendar.load()
    requests = (
        ReportRequest.objects.filter(active=True, closed_at__isnull=True)
        .exclude(frequency=Frequency.ONCE)
        # A rapid request over for more days than the job looks back has nothing left to give.
        .exclude(frequency__in=periods.RAPID, ends_on__lt=today - dt.timedelta(days=BACKFILL + 1))
        .select_related("organization", "created_by")
        .order_by("pk")
    )
    if rapid_only:
        requests = requests.filter(frequency__in=periods.RAPID)
    result = EnsureResult()
    for request in requests:
        try:
            result.made += periods_ensure(request, today=today, now=now, calendar=calendar)
        except Exception:
            logger.exception("report periods of request %s could not be given", request.pk)
            result.failed.append(request.pk)
    return result


# --- Submissions ----------------------------------------------------------------------------


def _period_key(request: ReportRequest, period: str | None) -> str:
    if request.frequency == Frequency.ONCE:
        if period:
            raise ValidationError({"period": ["Yêu cầu báo cáo một lần không chia kỳ: để trống kỳ báo cáo."]})
        return ""
    try:
        return selectors.request_period(request, period or "").key
    except periods.PeriodError as error:
        raise ValidationError({"period": [str(error)]}) from None


def _closed_error(request: ReportRequest) -> ValidationError:
    assert request.closed_at is not None
    when = timezone.localtime(request.closed_at)
    return ValidationError(
        {
            "request": [
                f"Yêu cầu báo cáo đã kết thúc lúc {when:%H:%M} ngày {when:%d/%m/%Y}: "
                "không nhận báo cáo các kỳ sau khi kết thúc."
            ]
        }
    )


GONE = (
    "Báo cáo này không còn: yêu cầu báo cáo vừa kết thúc và báo cáo chưa đến hạn đã được rút lại. "
    "Hãy tải lại trang."
)


def _check_open(submission: ReportSubmission, request: ReportRequest) -> None:
    """Whether the report is still taken: not when the request was stopped without being ended,
    nor when it was withdrawn at the end (kept for its draft, no longer edited)."""
    if request.closed_at is None and not request.active:
        raise ValidationError({"request": ["Yêu cầu báo cáo đã ngừng áp dụng."]})
    if selectors.is_withdrawn(submission, request):
        when = timezone.localtime(request.closed_at)
        raise ValidationError(
            {
                "request": [
                    f"Yêu cầu báo cáo đã kết thúc lúc {when:%H:%M} ngày {when:%d/%m/%Y}, trước hạn "
                    "của báo cáo này: báo cáo đã được rút lại; bản nháp được giữ để tra cứu, "
                    "không sửa hay gửi được nữa."
                ]
            }
        )


def find_submission(
    request: ReportRequest, organization: Organization, period: str | None
) -> ReportSubmission:
    """The row of ``organization``'s report for ``period``; a Vietnamese ``ValidationError``
    when that report was not asked for."""
    key = _period_key(request, period)
    if not request.recipients.filter(pk=organization.pk).exists():
        raise ValidationError(
            {"organization": [f"{organization.name} không thuộc nơi phải gửi báo cáo này."]}
        )
    submission = ReportSubmission.objects.filter(
        request=request, organization=organization, period=key
    ).first()
    if submission is None and request.closed_at is not None and key:
        with contextlib.suppress(periods.PeriodError):
            asked = selectors.request_period(request, key)
            due = (
                asked.due_date(request.due_day or 0)
                if isinstance(asked, periods.Period)
                else asked.due_date()
            )
            if _deadline_of(request, asked, due) > request.closed_at:
                raise _closed_error(request)
    if submission is None:
        raise ValidationError(
            {"period": [f"Kỳ {selectors.period_label(request, key).lower()} chưa được giao báo cáo."]}
        )
    return submission


# --- Figures of other modules -----------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """A figure of the petitions book offered for one indicator: ``value`` counted over the
    petitions received ``start``–``end`` in the reporting organisation's book."""

    value: int
    source: str
    label: str
    start: dt.date | None
    end: dt.date | None


def source_span(request: ReportRequest, submission: ReportSubmission) -> tuple[dt.date, dt.date] | None:
    """The days a sourced indicator of ``submission`` counts over: its period's first and last
    day (a rapid report's day); for a one-off report, from the first of January of its due
    date's year to the due date (the year so far, as such reports usually count). None when
    the period cannot be read."""
    if request.frequency == Frequency.ONCE or not submission.period:
        return dt.date(submission.due_date.year, 1, 1), submission.due_date
    try:
        period = selectors.request_period(request, submission.period)
    except periods.PeriodError:
        return None
    return period.start, period.end


def petition_suggestions(
    *, actor: Actor, submission: ReportSubmission, request: ReportRequest | None = None
) -> dict[int, Suggestion]:
    """The figures offered to ``actor`` for the indicators of ``submission`` that take a figure
    of the petitions book (``Indicator.source``) and have no value saved yet, by indicator id.

    Only an offer: nothing is saved here; the form shows it and the reporter checks it before
    sending. Counted over the petitions ``actor`` may read in the reporting organisation's
    book, received in the report's period (``source_span``), so a reporter never learns of a
    letter they could not open. No sourced indicator: no query of the petitions book."""
    request = request or submission.request
    saved = {v.indicator_id for v in submission.values.all()}
    wanted = [i for i in request.indicators.all() if i.source and i.pk not in saved]
    if not wanted:
        return {}
    span = source_span(request, submission)
    if span is None:
        return {}
    start, end = span
    figures = petition_selectors.stats_figures(
        petition_selectors.stats(actor, start=start, end=end, organization=submission.organization)
    )
    labels = petition_selectors.stats_figure_labels()
    return {
        i.pk: Suggestion(figures[i.source], i.source, labels.get(i.source, i.source), start, end)
        for i in wanted
        if i.source in figures
    }


def _clean_values(
    request: ReportRequest, values: Mapping[str, Any] | None, errors: dict[str, list[str]]
) -> dict[int, Decimal | None]:
    indicators = {i.code: i for i in request.indicators.all()}
    cleaned: dict[int, Decimal | None] = {}
    problems: list[str] = []
    for code, raw in (values or {}).items():
        indicator = indicators.get(str(code))
        if indicator is None:
            problems.append(f"Không có chỉ tiêu mã “{str(code)[:40]}” trong mẫu báo cáo.")
            continue
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            cleaned[indicator.pk] = None
            continue
        number = _decimal(raw)
        if number is None:
            problems.append(f"{indicator.name}: hãy nhập một số.")
            continue
        if indicator.min_value is not None and number < indicator.min_value:
            problems.append(f"{indicator.name}: không được nhỏ hơn {_fmt(indicator.min_value)}.")
        elif indicator.max_value is not None and number > indicator.max_value:
            problems.append(f"{indicator.name}: không được lớn hơn {_fmt(indicator.max_value)}.")
        cleaned[indicator.pk] = number
    if problems:
        errors["values"] = problems
    return cleaned


def _clean_text(
    request: ReportRequest, text: Mapping[str, Any] | None, errors: dict[str, list[str]]
) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    problems: list[str] = []
    for section, raw in (text or {}).items():
        if section not in request.sections:
            problems.append(f"Không có phần nội dung “{str(section)[:80]}” trong mẫu báo cáo.")
            continue
        if raw is not None and not isinstance(raw, str):
            problems.append(f"{section}: nội dung phải là văn bản.")
            continue
        value = (raw or "").strip()
        if len(value) > MAX_TEXT:
            problems.append(f"{section}: nội dung dài quá {MAX_TEXT} ký tự; hãy gửi kèm tệp.")
            continue
        cleaned[section] = value
    if problems:
        errors["text"] = problems
    return cleaned


def _spool(uploads: Iterable[Upload]) -> list[Spooled]:
    spooled: list[Spooled] = []
    try:
        for upload in uploads:
            spooled.append(spool_upload(upload))
    except ValidationError as error:
        for s in spooled:
            s.discard()
        raise ValidationError({"files": error.messages}) from None
    except BaseException:
        for s in spooled:
            s.discard()
        raise
    return spooled


def submission_save(
    *,
    actor: Actor,
    submission: ReportSubmission,
    values: Mapping[str, Any] | None = None,
    text: Mapping[str, Any] | None = None,
    uploads: Iterable[Upload] = (),
    submit: bool = False,
) -> ReportSubmission:
    """Save the recipient's report (the numbers and texts given replace those saved, an empty
    one clears it; files are added) as a draft, or send it (``submit``): every indicator
    then needs a number, and the period's task is completed through the engine. A report
    already sent changes only once the requester returns it (``SubmissionConflict``)."""
    person = acting_person(actor)
    if not selectors.may_submit_for(actor, submission.organization):
        raise PermissionDenied("Bạn không có quyền gửi báo cáo của cơ quan này.")
    request = submission.request
    # A report row that survived the end of its request is owed (sent, returned, or overdue
    # then): it is still taken — a draft kept when it was withdrawn excepted. A period without
    # a row is refused (``find_submission``).
    _check_open(submission, request)
    uploads = list(uploads)
    errors: dict[str, list[str]] = {}
    new_values = _clean_values(request, values, errors)
    new_text = _clean_text(request, text, errors)
    if len(uploads) > MAX_FILES:
        errors["files"] = [f"Mỗi lần gửi kèm nhiều nhất {MAX_FILES} tệp."]
    if errors:
        raise ValidationError(errors)
    spooled = _spool(uploads)
    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = ReportSubmission.objects.select_for_update().filter(pk=submission.pk).first()
            if locked is None:  # withdrawn meanwhile: the request was ended
                raise ValidationError({"request": [GONE]})
            # Read again under the lock: an end committed meanwhile counts.
            _check_open(locked, ReportRequest.objects.get(pk=locked.request_id))
            if locked.state == SubmissionState.SUBMITTED:
                raise SubmissionConflict(
                    {"state": ["Báo cáo kỳ này đã gửi; chỉ sửa được khi nơi yêu cầu trả lại để bổ sung."]}
                )
            before = {"state": locked.state}
            for indicator_id, number in new_values.items():
                if number is None:
                    ReportValue.objects.filter(submission=locked, indicator_id=indicator_id).delete()
                else:
                    ReportValue.objects.update_or_create(
                        submission=locked, indicator_id=indicator_id, defaults={"value": number}
                    )
            locked.text = {**locked.text, **new_text}
            locked.text = {k: v for k, v in locked.text.items() if v and k in request.sections}
            for s in spooled:
                row = SubmissionFile(
                    submission=locked,
                    original_name=s.original_name,
                    content_type=s.content_type,
                    size=s.size,
                    sha256=s.sha256,
                    uploaded_by=person,
                )
                stored.append(store_spooled(s, row.file))
                row.save()
            if submit:
                _submit(actor, request, locked)
            elif locked.state == SubmissionState.PENDING:
                locked.state = SubmissionState.DRAFT
            locked.save()
            audit_record(
                actor=actor,
                action="report.submit" if submit else "report.draft",
                target=locked,
                organization_id=locked.organization_id,
                before=before,
                after={
                    "state": locked.state,
                    "late": locked.late,
                    "values": {
                        code: str(v) for code, v in locked.values.values_list("indicator__code", "value")
                    },
                    "sections": sorted(locked.text),
                    "files": [s.sha256 for s in spooled],
                },
            )
    except BaseException:
        for name in stored:  # the rows were not written: no file without its record
            SubmissionFile.file.field.storage.delete(name)
        raise
    finally:
        for s in spooled:
            s.discard()
    submission.refresh_from_db()
    return submission


def _submit(actor: Actor, request: ReportRequest, locked: ReportSubmission) -> None:
    have = set(locked.values.values_list("indicator_id", flat=True))
    missing = [i.name for i in request.indicators.all() if i.pk not in have]
    if missing:
        raise ValidationError({"values": [f"Còn thiếu số liệu: {', '.join(missing)}."]})
    if not have and not locked.text and not locked.files.exists():
        raise ValidationError({"text": ["Báo cáo chưa có nội dung: hãy nhập nội dung hoặc gửi kèm tệp."]})
    now = timezone.now()
    locked.state = SubmissionState.SUBMITTED
    locked.submitted_at = now
    locked.submitted_by = person_of(actor)
    # Saved before the task is completed: the engine asks this module (``report_task_guard``)
    # whether the report is sent.
    locked.save(update_fields=["state", "submitted_at", "submitted_by", "updated_at"])
    task = locked.task
    late_now = now > selectors.deadline(locked, request)
    if task is not None and task.state in OPEN_STATES:
        label = selectors.period_label(request, locked.period).lower()
        task = task_complete(actor=actor, task=task, text=f"Đã gửi báo cáo {label}: {request.title}"[:1000])
        # A rapid report is late after its day or slot, days off included; the others as the
        # engine counts (the working-day due date in force).
        locked.late = late_now if request.frequency in periods.RAPID else task.outcome == Outcome.LATE
    else:
        locked.late = late_now


def submission_return(*, actor: Actor, submission: ReportSubmission, reason: str) -> ReportSubmission:
    """The requester sends a report back for correction: the recipient's task is open again
    (``task_return``: the engine decides who on the requester side may do it)."""
    acting_person(actor)
    request = submission.request
    if not selectors.is_requester_side(actor, request):
        raise PermissionDenied("Chỉ nơi yêu cầu báo cáo mới trả lại được báo cáo.")
    reason = " ".join((reason or "").split()) if "\n" not in (reason or "") else (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["Hãy nêu lý do trả lại."]})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": [f"Lý do trả lại dài quá {MAX_REASON} ký tự."]})
    with transaction.atomic():
        locked = ReportSubmission.objects.select_for_update().filter(pk=submission.pk).first()
        if locked is None:  # withdrawn meanwhile: the request was ended
            raise ValidationError({"request": [GONE]})
        if locked.state != SubmissionState.SUBMITTED:
            raise ValidationError({"state": ["Chỉ trả lại được báo cáo đã gửi."]})
        task = locked.task
        if task is not None:
            # The engine's rule of who sends work back, whatever state the task is in.
            if not may_manage(actor, task):
                raise PermissionDenied("Bạn không có quyền trả lại báo cáo này.")
            if task.state == TaskState.CONFIRMED:
                raise ValidationError(
                    {"state": ["Báo cáo đã được xác nhận hoàn thành: không trả lại được nữa."]}
                )
        # Saved before the task is returned: the engine asks whether the report is returned.
        locked.state = SubmissionState.RETURNED
        locked.returned_at = timezone.now()
        locked.returned_reason = reason
        locked.late = False
        locked.save()
        # ``updated_at`` is ``returned_at`` now: a later save is the recipient's correction,
        # which the requester side no longer reads (``selectors.contents_visible``).
        ReportSubmission.objects.filter(pk=locked.pk).update(updated_at=locked.returned_at)
        if task is not None and task.state == TaskState.COMPLETED:
            task_return(actor=actor, task=task, reason=reason)
        audit_record(
            actor=actor,
            action="report.return",
            target=locked,
            organization_id=request.organization_id,
            before={"state": SubmissionState.SUBMITTED},
            after={"state": locked.state, "reason": reason},
        )
    submission.refresh_from_db()
    return submission


# --- Ending a request and keeping tasks in step --------------------------------------------


def request_close(
    *, actor: Actor, request: ReportRequest, reason: str, now: dt.datetime | None = None
) -> ReportRequest:
    """The requester ends a request (the storm is over; a periodic report is no longer
    wanted): no period is given after ``now``; the reports not sent yet and not yet due
    (the day or slot under way, and those given ahead) are withdrawn — their tasks cancelled
    through the engine with the reason, their rows removed; a draft with contents stays,
    read-only, without its task (``selectors.is_withdrawn``). Reports already sent, returned,
    or already overdue (owed before the end) stay and are still taken."""
    acting_person(actor)
    if not selectors.is_requester_side(actor, request):
        raise PermissionDenied("Chỉ nơi yêu cầu báo cáo mới kết thúc được yêu cầu báo cáo.")
    if not selectors.may_close(actor, request):
        raise PermissionDenied(
            "Chỉ người tạo yêu cầu, lãnh đạo cơ quan yêu cầu hoặc lãnh đạo Văn phòng "
            "mới kết thúc được yêu cầu báo cáo."
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["Hãy nêu lý do kết thúc yêu cầu báo cáo."]})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": [f"Lý do kết thúc dài quá {MAX_REASON} ký tự."]})
    now = now or timezone.now()
    removed_files: list[str] = []
    with transaction.atomic():
        locked = ReportRequest.objects.select_for_update().select_related("organization").get(pk=request.pk)
        if locked.closed_at is not None:
            raise _closed_error(locked)
        if not locked.active:
            raise ValidationError({"request": ["Yêu cầu báo cáo đã ngừng áp dụng."]})
        locked.active = False
        locked.closed_at = now
        locked.closed_reason = reason
        locked.save(update_fields=["active", "closed_at", "closed_reason"])
        today = timezone.localtime(now).date()
        candidates = (
            ReportSubmission.objects.select_for_update(of=("self",))
            .filter(request=locked, state__in=[SubmissionState.PENDING, SubmissionState.DRAFT])
            .filter(Q(due_date__gte=today) | Q(task__due_date__gte=today))
            .select_related("task", "organization")
            .order_by("period", "organization__path")
        )
        withdrawn: list[dict[str, Any]] = []
        for submission in candidates:
            if selectors.deadline(submission, locked) <= now:
                continue  # already due: owed before the end
            task = submission.task
            withdrawn.append(
                {
                    "organization": submission.organization_id,
                    "period": submission.period,
                    "state": submission.state,
                }
            )
            drafted = submission.state == SubmissionState.DRAFT and (
                bool(submission.text) or submission.values.exists() or submission.files.exists()
            )
            if drafted:
                # The draft begun is the recipient's work: kept (read-only, "withdrawn"),
                # detached from its task first so that the engine cancels it alone.
                submission.task = None
                submission.save(update_fields=["task"])
            else:
                removed_files.extend(f.file.name for f in submission.files.all())
                # The row goes first: the engine then finds no report that the task must follow.
                submission.delete()
            withdrawn[-1]["kept"] = drafted
            if task is not None and task.state in OPEN_STATES:
                task_cancel(actor=actor, task=task, reason=f"Yêu cầu báo cáo đã kết thúc: {reason}"[:1000])
        audit_record(
            actor=actor,
            action="report_request.close",
            target=locked,
            organization_id=locked.organization_id,
            before={"active": True},
            after={"active": False, "closed_at": now, "reason": reason, "withdrawn": withdrawn},
        )
        storage = SubmissionFile.file.field.storage

        def remove_files() -> None:
            for name in removed_files:
                storage.delete(name)

        transaction.on_commit(remove_files)
    request.refresh_from_db()
    return request


COMPLETE_REFUSAL = "Việc này hoàn thành khi báo cáo được gửi: mở báo cáo để gửi."
RETURN_REFUSAL = "Báo cáo đã gửi chỉ trả lại được trên trang báo cáo: mở báo cáo để trả lại, nêu lý do."
CANCEL_REFUSAL = (
    "Việc này là một báo cáo theo yêu cầu báo cáo: muốn thôi yêu cầu, hãy kết thúc yêu cầu báo cáo "
    "trên trang yêu cầu báo cáo."
)


def report_task_guard(task: Task, action: str) -> str | None:
    """The engine's question before a report's task is completed, returned or cancelled
    (registered for ``SourceKind.REPORT_REQUEST`` when the app starts): completed only once its
    report is sent, returned only with its report, cancelled only by ending the request. A
    task without a report row (a subtask, a report withdrawn) is the engine's alone."""
    state = ReportSubmission.objects.filter(task_id=task.pk).values_list("state", flat=True).first()
    if state is None:
        return None
    if action == COMPLETE and state != SubmissionState.SUBMITTED:
        return COMPLETE_REFUSAL
    if action == RETURN and state != SubmissionState.RETURNED:
        return RETURN_REFUSAL
    if action == CANCEL:
        return CANCEL_REFUSAL
    return None


# --- Summary --------------------------------------------------------------------------------


def summary_draft(
    *, actor: Actor, request: ReportRequest, period: str, signer: Person | None = None
) -> Document:
    """Collect the narrative sections of the period's submitted reports (and the indicator
    totals) into one draft outgoing report (type BC) of the requesting organisation, through
    the outgoing flow, which numbers and issues it later. One summary per period."""
    if not selectors.is_requester_side(actor, request):
        raise PermissionDenied("Chỉ nơi yêu cầu báo cáo mới tổng hợp được báo cáo.")
    key = _period_key(request, period)
    if ReportSummary.objects.filter(request=request, period=key).exists():
        raise SubmissionConflict({"period": ["Kỳ này đã có dự thảo báo cáo tổng hợp."]})
    submissions = list(
        ReportSubmission.objects.filter(request=request, period=key, state=SubmissionState.SUBMITTED)
        .select_related("organization")
        .order_by("organization__path")
    )
    if not submissions:
        raise ValidationError({"period": ["Kỳ này chưa có báo cáo nào đã gửi để tổng hợp."]})
    totals = selectors.aggregate(request, key)
    label = selectors.period_label(request, key)
    first = 2 if totals.indicators else 1
    sections = [
        {
            "numeral": ROMAN[n] if n < len(ROMAN) else str(n),
            "heading": heading,
            "parts": [(s.organization, s.text[heading]) for s in submissions if s.text.get(heading)],
        }
        for n, heading in enumerate(request.sections, start=first)
    ]
    body = render_to_string(
        "reporting/summary_body.txt",
        {
            "request": request,
            "label": label,
            "period": key,
            "totals": totals,
            "sections": sections,
            "count": len(submissions),
            "expected": totals.expected,
        },
    )
    subject = f"Báo cáo tổng hợp {label.lower() if key else ''} {request.title}"
    with transaction.atomic():
        document = outgoing_draft_create(
            actor=actor,
            organization=request.organization,
            doc_type="BC",
            subject=" ".join(subject.split())[:1000],
            signer=signer,
            body=body,
        )
        try:
            with transaction.atomic():
                ReportSummary.objects.create(request=request, period=key, document=document)
        except IntegrityError:
            raise SubmissionConflict({"period": ["Kỳ này đã có dự thảo báo cáo tổng hợp."]}) from None
        audit_record(
            actor=actor,
            action="report.summary_draft",
            target=request,
            organization_id=request.organization_id,
            after={"period": key, "document": document.pk, "submissions": [s.pk for s in submissions]},
        )
    return document


__all__ = [
    "IndicatorSpec",
    "SubmissionConflict",
    "Suggestion",
    "find_submission",
    "EnsureResult",
    "periods_ensure",
    "periods_ensure_all",
    "petition_suggestions",
    "report_task_guard",
    "request_close",
    "request_create",
    "submission_return",
    "submission_save",
    "summary_draft",
]
