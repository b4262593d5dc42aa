"""Every change of the reporting regime, as plain functions taking explicit arguments. Each one
checks who may do it, validates with Vietnamese messages (``ValidationError`` keyed by field),
writes its rows and its audit entry in one transaction.

Each recipient's report for each period is a task of the engine (``task_create``, source
``SourceKind.REPORT_REQUEST``), made in the same transaction as its ``ReportSubmission`` row:
for a one-off request its single period; for a periodic one the current period (the first
whose report is not yet due) and the next when the request is made, then the coming ones by
the daily job (``periods_ensure_all``). Submitting completes the task through the engine's
lifecycle (``task_complete``: on time or late by the engine's rule); the requester returning a
report reopens it (``task_return``)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from vanphong.audit.services import audit_record
from vanphong.core.files import Spooled, Upload, spool_upload, store_spooled
from vanphong.documents.models import Document
from vanphong.documents.services.outgoing import outgoing_draft_create
from vanphong.orgs.access import Capability, can
from vanphong.orgs.actors import Actor, acting_person, person_of
from vanphong.orgs.models import Organization, Person
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
from vanphong.tasks.models import OPEN_STATES, Outcome, SourceKind, TaskState
from vanphong.tasks.services import TaskSource, task_complete, task_create, task_return, task_validate

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
    chosen = list(dict.fromkeys(recipients))
    if not chosen:
        errors["recipients"] = ["Hãy chọn ít nhất một nơi phải báo cáo."]
        return chosen
    problems = []
    for org in chosen:
        if org.pk == organization.pk or not org.path.startswith(organization.path):
            problems.append(f"{org.name} không phải cơ quan, tổ chức cấp dưới của {organization.name}.")
        elif not org.active:
            problems.append(f"{org.name} không còn hoạt động.")
        elif not org.hosted:
            problems.append(f"{org.name} không dùng hệ thống, không nhận yêu cầu báo cáo được.")
    if problems:
        errors["recipients"] = problems
    return chosen


def _task_title(request: ReportRequest, key: str) -> str:
    label = selectors.period_label(request, key)
    title = f"Báo cáo: {request.title}" if not key else f"Báo cáo {label}: {request.title}"
    return title[:MAX_TITLE]


def _source(request: ReportRequest) -> TaskSource:
    who = request.organization.short_name or request.organization.name
    return TaskSource(
        kind=SourceKind.REPORT_REQUEST, label=f"Yêu cầu báo cáo của {who}: {request.title}"[:500], obj=request
    )


def _period_dues(
    frequency: str, due_day: int | None, due_date: dt.date | None, today: dt.date, calendar: WorkCalendar
) -> list[tuple[str, dt.date]]:
    """The periods (key, working-day due date) whose reports are given now."""
    if frequency == Frequency.ONCE:
        assert due_date is not None
        return [("", calendar.next_working_day(due_date))]
    assert due_day is not None
    return [
        (p.key, p.due_date(due_day, calendar))
        for p in periods.open_periods(frequency, due_day, today, calendar)
    ]


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
    today: dt.date | None = None,
) -> ReportRequest:
    """A request from ``organization`` to organisations below it; each recipient's report for
    the current and the next period (or the single one) becomes a task at once."""
    creator = acting_person(actor)
    if not can(actor, Capability.WRITE, organization):
        raise PermissionDenied("Bạn không có quyền yêu cầu báo cáo thay mặt cơ quan này.")
    today = today or timezone.localdate()
    title = " ".join((title or "").split())
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = ["Hãy nhập tên báo cáo."]
    elif len(title) > MAX_TITLE:
        errors["title"] = [f"Tên báo cáo dài quá {MAX_TITLE} ký tự."]
    if frequency not in Frequency.values:
        errors["frequency"] = ["Tần suất báo cáo không hợp lệ."]
    elif frequency == Frequency.ONCE:
        due_day = None
        if due_date is None:
            errors["due_date"] = ["Hãy nhập hạn nộp báo cáo."]
        elif due_date < today:
            errors["due_date"] = ["Hạn nộp không được trước hôm nay."]
        elif due_date.year > periods.LAST_YEAR:
            errors["due_date"] = [f"Hạn nộp phải trước năm {periods.LAST_YEAR + 1}."]
    else:
        due_date = None
        limit = 7 if frequency == Frequency.WEEKLY else 31
        if due_day is None:
            errors["due_day"] = ["Hãy nhập ngày hạn nộp trong kỳ."]
        elif not isinstance(due_day, int) or not 1 <= due_day <= limit:
            errors["due_day"] = [
                "Hạn nộp báo cáo tuần là ngày thứ mấy trong tuần, từ 1 (thứ Hai) đến 7 (Chủ nhật)."
                if frequency == Frequency.WEEKLY
                else "Ngày hạn nộp là một ngày từ 1 đến 31 của tháng cuối kỳ."
            ]
    specs = _check_indicators(indicators, errors)
    heads = _check_sections(sections, errors)
    chosen = _check_recipients(organization, recipients, errors)
    if not specs and not heads and "indicators" not in errors and "sections" not in errors:
        errors["indicators"] = ["Hãy nêu ít nhất một chỉ tiêu hoặc một phần nội dung của báo cáo."]
    if errors:
        raise ValidationError(errors)
    calendar = WorkCalendar.load()
    dues = _period_dues(frequency, due_day, due_date, today, calendar)
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
                "recipients": [o.pk for o in chosen],
                "indicators": [s.code for s in specs],
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
    for org in recipients:
        if org.pk in have or not org.active:
            continue
        submission = ReportSubmission.objects.create(
            request=request, organization=org, period=key, due_date=due
        )
        submission.task = task_create(
            actor=actor,
            organization=request.organization,
            title=_task_title(request, key),
            lead=org,
            content=_task_content(request, key, due),
            due_date=due,
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
    lines = [f"Gửi báo cáo {selectors.period_label(request, key).lower()} trước ngày {due:%d/%m/%Y}."]
    names = list(request.indicators.values_list("name", flat=True)) if request.pk else []
    if names:
        lines.append("Số liệu: " + "; ".join(names) + ".")
    if request.sections:
        lines.append("Nội dung: " + "; ".join(request.sections) + ".")
    return "\n".join(lines)


def periods_ensure(
    request: ReportRequest, *, today: dt.date | None = None, calendar: WorkCalendar | None = None
) -> int:
    """Give the reports of the current and next period of a periodic request that are not yet
    given (the job's step; safe to run twice: one row per request, period and recipient).
    Acts as the system, in the name of the request's creator."""
    if request.frequency == Frequency.ONCE or not request.active or request.due_day is None:
        return 0
    today = today or timezone.localdate()
    calendar = calendar or WorkCalendar.load()
    recipients = list(request.recipients.filter(active=True))
    made = 0
    with transaction.atomic():
        ReportRequest.objects.select_for_update().filter(pk=request.pk).values_list("pk", flat=True).first()
        for key, due in _period_dues(request.frequency, request.due_day, None, today, calendar):
            made += _give_period(request, key, due, recipients, actor=None, today=today, calendar=calendar)
        if made:
            audit_record(
                actor=None,
                action="report_request.periods",
                target=request,
                organization_id=request.organization_id,
                after={"made": made, "day": today},
            )
    return made


def periods_ensure_all(*, today: dt.date | None = None) -> int:
    """``periods_ensure`` for every active periodic request."""
    today = today or timezone.localdate()
    calendar = WorkCalendar.load()
    made = 0
    for request in (
        ReportRequest.objects.filter(active=True)
        .exclude(frequency=Frequency.ONCE)
        .select_related("organization", "created_by")
    ):
        made += periods_ensure(request, today=today, calendar=calendar)
    return made


# --- Submissions ----------------------------------------------------------------------------


def _period_key(request: ReportRequest, period: str | None) -> str:
    if request.frequency == Frequency.ONCE:
        if period:
            raise ValidationError({"period": ["Yêu cầu báo cáo một lần không chia kỳ: để trống kỳ báo cáo."]})
        return ""
    try:
        return periods.parse(request.frequency, period).key
    except periods.PeriodError as error:
        raise ValidationError({"period": [str(error)]}) from None


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
    if submission is None:
        raise ValidationError(
            {"period": [f"Kỳ {selectors.period_label(request, key).lower()} chưa được giao báo cáo."]}
        )
    return submission


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
    if not request.active:
        raise ValidationError({"request": ["Yêu cầu báo cáo đã ngừng áp dụng."]})
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
            locked = ReportSubmission.objects.select_for_update().get(pk=submission.pk)
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
    task = locked.task
    if task is not None and task.state in OPEN_STATES:
        label = selectors.period_label(request, locked.period).lower()
        task = task_complete(actor=actor, task=task, text=f"Đã gửi báo cáo {label}: {request.title}"[:1000])
        locked.late = task.outcome == Outcome.LATE
    else:
        locked.late = timezone.localdate() > locked.due_date


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
        locked = ReportSubmission.objects.select_for_update().get(pk=submission.pk)
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
            if task.state == TaskState.COMPLETED:
                task_return(actor=actor, task=task, reason=reason)
        locked.state = SubmissionState.RETURNED
        locked.returned_at = timezone.now()
        locked.returned_reason = reason
        locked.late = False
        locked.save()
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
    "find_submission",
    "periods_ensure",
    "periods_ensure_all",
    "request_create",
    "submission_return",
    "submission_save",
    "summary_draft",
]
