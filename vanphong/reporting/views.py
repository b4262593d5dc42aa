"""The reporting pages, under /bao-cao/. Each view reads through ``selectors`` (404 outside
reach), reads its form, calls one service and, when the service says no, shows the page again
with the errors next to the fields."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vanphong.core import pending
from vanphong.core.forms import apply_errors
from vanphong.core.http import download_response
from vanphong.core.queries import first_with_total
from vanphong.documents.access import one_or_404
from vanphong.orgs.access import Capability, organizations_with, scope_for
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import Organization
from vanphong.reporting import exports, selectors, services
from vanphong.reporting.forms import CloseForm, RequestForm, ReturnForm, SubmissionForm
from vanphong.reporting.models import ReportRequest, ReportSubmission, ReportSummary, SubmissionState
from vanphong.tasks.access import may_manage

NAV = "reporting"
# How often the live board of a rapid request asks for itself again (seconds).
LIVE_REFRESH_SECONDS = 30


def requesting_organizations(user: Any) -> QuerySet[Organization]:
    """Where ``user`` may make requests: organisations they write for that have
    organisations below them (a Văn phòng's staff write for its committee)."""
    below = Organization.objects.filter(parent=OuterRef("pk"), active=True, is_office=False)
    return (
        organizations_with(user, Capability.WRITE)
        .filter(active=True, hosted=True, is_office=False)
        .filter(Exists(below))
        .order_by("depth", "path")
    )


def recipient_choices(organizations: QuerySet[Organization]) -> QuerySet[Organization]:
    """Every active, hosted organisation below one of ``organizations`` (offices excepted)."""
    q = Q(pk__in=[])
    for org in organizations:
        q |= Q(path__startswith=org.path) & ~Q(pk=org.pk)
    return Organization.objects.filter(q, active=True, hosted=True, is_office=False).order_by("path")


@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    made = list(selectors.requests_made(user).prefetch_related("recipients")[:200])
    to_answer = []
    for s in selectors.submissions_to_answer(user).exclude(state=SubmissionState.SUBMITTED)[:200]:
        status = selectors.board_status(s, today, request=s.request)
        to_answer.append(
            {
                "submission": s,
                "status": status,
                "status_label": selectors.BoardStatus.LABELS[status],
                "label": selectors.period_label(s.request, s.period),
            }
        )
    return render(
        request,
        "reporting/request_list.html",
        {
            "made": made,
            "to_answer": to_answer,
            "may_request": requesting_organizations(user).exists(),
            "nav_active": NAV,
        },
    )


@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    organizations = requesting_organizations(request.user)
    if not organizations.exists():
        raise Http404
    form = RequestForm(
        request.POST or None, organizations=organizations, recipients=recipient_choices(organizations)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.request_create(
                actor=request.user,
                organization=data["organization"],
                title=data["title"],
                frequency=data["frequency"],
                due_day=data["due_day"],
                due_date=data["due_date"],
                recipients=list(data["recipients"]),
                indicators=data["indicators"],
                sections=data["sections"],
                urgent=data["urgent"],
                interval_hours=data["interval_hours"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, "Đã gửi yêu cầu báo cáo; mỗi nơi báo cáo đã nhận nhiệm vụ của kỳ báo cáo."
            )
            return redirect("reporting:request_detail", made.pk)
    return render(
        request,
        "reporting/request_create.html",
        {"form": form, "nav_active": NAV},
        status=400 if form.is_bound and form.errors else 200,
    )


def _get_request(request: HttpRequest, request_id: int) -> ReportRequest:
    return one_or_404(selectors.request_detail(request.user), request_id)


def _period(report: ReportRequest, raw: str | None) -> str:
    keys = selectors.request_periods(report)
    if raw is not None and raw in keys:
        return raw
    return selectors.default_period(report)


def _live_day(report: ReportRequest, raw: str | None) -> dt.date:
    """The day the live board shows: ``?ngay=`` within the request's days, else today (or the
    request's last day, once it is over)."""
    first, last = selectors.live_days(report)
    try:
        day = dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        day = None
    if day is None:
        day = min(max(timezone.localdate(), first), last)
    return min(max(day, first), last)


def _live_context(request: HttpRequest, report: ReportRequest) -> dict[str, Any]:
    day = _live_day(report, request.GET.get("ngay"))
    today = timezone.localdate()
    url = reverse("reporting:live_board", args=[report.pk])
    return {
        "live": selectors.live_board(request.user, report, day),
        "report": report,
        "refresh_seconds": LIVE_REFRESH_SECONDS,
        "today": today,
        # Today's board asks for "today" (no day in its address: after midnight it shows the
        # new day); a day to come asks for that day; a past day, or an ended request, no more.
        "live_poll": report.closed_at is None and report.active and day >= today,
        "live_url": url if day == today else f"{url}?ngay={day:%Y-%m-%d}",
    }


def _render_detail(
    request: HttpRequest, report: ReportRequest, *, close_form: CloseForm | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    rapid = selectors.is_rapid(report)
    period = _period(report, request.GET.get("ky"))
    # A rapid request shows its live board (by day) instead of one period's board.
    board = None if rapid else selectors.board(user, report, period)
    requester = selectors.is_requester_side(user, report)
    keys = [] if rapid else selectors.request_periods(report)
    may_close = requester and report.active and report.closed_at is None and selectors.may_close(user, report)
    context: dict[str, Any] = {
        "report": report,
        "board": board,
        "period": period,
        "periods": [(k, selectors.period_label(report, k)) for k in keys],
        "requester": requester,
        "summary": (
            ReportSummary.objects.filter(request=report, period=period).select_related("document").first()
        ),
        "close_form": close_form if close_form is not None else (CloseForm() if may_close else None),
        "nav_active": NAV,
    }
    if rapid:
        context.update(_live_context(request, report))
    return render(request, "reporting/request_detail.html", context, status=status)


@require_GET
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    return _render_detail(request, _get_request(request, request_id))


@never_cache
@login_not_required  # answered below: an expired session must not put the sign-in page in the board
@require_GET
def live_board(request: HttpRequest, request_id: int) -> HttpResponse:
    """The live board of a rapid request alone (the page asks for it every
    ``LIVE_REFRESH_SECONDS`` seconds); 404 for another request. Signed out (the session
    expired), htmx's request gets 204 with ``HX-Refresh``: the whole page reloads and goes
    to the sign-in page; another request goes there directly."""
    if not request.user.is_authenticated:
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return redirect_to_login(request.get_full_path())
    report = _get_request(request, request_id)
    if not selectors.is_rapid(report):
        raise Http404
    return render(request, "reporting/_live_board.html", _live_context(request, report))


@require_POST
def request_close(request: HttpRequest, request_id: int) -> HttpResponse:
    report = _get_request(request, request_id)
    if not selectors.is_requester_side(request.user, report):
        raise Http404
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.request_close(actor=request.user, request=report, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, "Đã kết thúc yêu cầu báo cáo; các báo cáo chưa đến hạn đã được rút lại."
            )
            return redirect("reporting:request_detail", report.pk)
    return _render_detail(request, report, close_form=form, status=400)


def _get_submission(request: HttpRequest, submission_id: int) -> ReportSubmission:
    return one_or_404(selectors.submission_detail(request.user), submission_id)


def _render_submission(
    request: HttpRequest,
    submission: ReportSubmission,
    *,
    form: SubmissionForm | None = None,
    return_form: ReturnForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    report = submission.request
    editable = (
        submission.state != SubmissionState.SUBMITTED
        and not selectors.is_withdrawn(submission, report)
        and selectors.may_submit_for(user, submission.organization)
    )
    requester = selectors.is_requester_side(user, report)
    may_return = (
        requester
        and submission.state == SubmissionState.SUBMITTED
        and (submission.task is None or may_manage(user, submission.task))
    )
    visible = selectors.contents_visible(user, submission)
    values = {v.indicator_id: v.value for v in submission.values.all()} if visible else {}
    state = selectors.board_status(submission, request=report)
    if form is None and editable:
        # Figures of the petitions book offered for the sourced indicators not yet filled in.
        offers = services.petition_suggestions(actor=user, submission=submission, request=report)
        form = SubmissionForm(submission=submission, suggested=offers)
    return render(
        request,
        "reporting/submission.html",
        {
            "submission": submission,
            "report": report,
            "label": selectors.period_label(report, submission.period),
            "status": state,
            "status_label": selectors.BoardStatus.LABELS[state],
            "due": selectors.due_in_force(submission, report),
            "deadline": selectors.deadline(submission, report),
            "hourly": report.frequency == "hourly",
            "visible": visible,
            "rows": [(i, values.get(i.pk)) for i in report.indicators.all()] if visible else [],
            "texts": [(h, submission.text.get(h, "")) for h in report.sections] if visible else [],
            "files": list(submission.files.all()) if visible else [],
            "form": form,
            "return_form": return_form if return_form is not None else (ReturnForm() if may_return else None),
            "requester": requester,
            "nav_active": NAV,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def submission_page(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = _get_submission(request, submission_id)
    if request.method == "GET":
        return _render_submission(request, submission)
    if not selectors.may_submit_for(request.user, submission.organization):
        raise PermissionDenied("Bạn không có quyền gửi báo cáo của cơ quan này.")
    form = SubmissionForm(request.POST, request.FILES, submission=submission)
    submit = request.POST.get("action") == "submit"
    if form.is_valid():
        try:
            services.submission_save(
                actor=request.user,
                submission=submission,
                values=form.values(),
                text=form.texts(),
                uploads=form.cleaned_data.get("files") or [],
                submit=submit,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Đã gửi báo cáo." if submit else "Đã lưu nháp báo cáo.")
            return redirect("reporting:submission", submission.pk)
    return _render_submission(request, submission, form=form, status=400)


@require_POST
def submission_return(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = _get_submission(request, submission_id)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.submission_return(
                actor=request.user, submission=submission, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Đã trả lại báo cáo để nơi báo cáo bổ sung, sửa.")
            return redirect("reporting:submission", submission.pk)
    return _render_submission(request, submission, return_form=form, status=400)


@require_GET
def submission_file(request: HttpRequest, submission_id: int, file_id: int) -> FileResponse:
    submission = _get_submission(request, submission_id)
    row = submission.files.filter(pk=file_id).first()
    if row is None or not selectors.contents_visible(request.user, submission):
        raise Http404
    try:
        stream = row.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return download_response(stream, name=row.original_name, content_type=row.content_type, sha256=row.sha256)


def _requester_request(request: HttpRequest, request_id: int) -> ReportRequest:
    """The request, for its requester side only (404 for a recipient)."""
    report = _get_request(request, request_id)
    if not selectors.is_requester_side(request.user, report):
        raise Http404
    return report


@dataclass
class Bar:
    label: str
    value: Decimal | None
    width: float
    y: int
    text_y: int
    kind: str


@dataclass
class Chart:
    title: str
    unit: str
    bars: list[Bar]
    height: int


BAR_LEFT, BAR_SPACE, BAR_HEIGHT = 128, 180, 18  # in a 360-wide viewBox


def charts(result: selectors.Aggregate) -> list[Chart]:
    """Per indicator, three bars: this period, the period before, the same period last year
    (scaled to the largest), drawn by the template as inline SVG."""
    out = []
    for row in result.indicators:
        entries = [("Kỳ này", row.total, "current")]
        if result.previous:
            entries.append(("Kỳ trước", row.previous, "previous"))
        if result.last_year:
            entries.append(("Cùng kỳ năm trước", row.same_period_last_year, "last-year"))
        top = max((abs(v) for _, v, _ in entries if v is not None), default=Decimal(0))
        bars = []
        for n, (label, value, kind) in enumerate(entries):
            width = float(abs(value) / top * BAR_SPACE) if value is not None and top else 0.0
            y = 6 + n * (BAR_HEIGHT + 8)
            bars.append(Bar(label, value, round(width, 1), y, y + 13, kind))
        out.append(Chart(row.indicator.name, row.indicator.unit, bars, 12 + len(entries) * (BAR_HEIGHT + 8)))
    return out


@require_GET
def aggregate_page(request: HttpRequest, request_id: int) -> HttpResponse:
    report = _requester_request(request, request_id)
    period = _period(report, request.GET.get("ky"))
    result = selectors.aggregate(report, period)
    return render(
        request,
        "reporting/aggregate.html",
        {
            "report": report,
            "result": result,
            "period": period,
            "periods": [(k, selectors.period_label(report, k)) for k in selectors.request_periods(report)],
            "charts": charts(result),
            "bar_left": BAR_LEFT,
            "summary": ReportSummary.objects.filter(request=report, period=period)
            .select_related("document")
            .first(),
            "nav_active": NAV,
        },
    )


@require_GET
def aggregate_xlsx(request: HttpRequest, request_id: int) -> FileResponse:
    report = _requester_request(request, request_id)
    period = _period(report, request.GET.get("ky"))
    result = selectors.aggregate(report, period)
    data = exports.aggregate_workbook(result, selectors.board(request.user, report, period))
    return download_response(io.BytesIO(data), name=exports.workbook_name(result), content_type=exports.XLSX)


@require_POST
def summary(request: HttpRequest, request_id: int) -> HttpResponse:
    report = _requester_request(request, request_id)
    period = _period(report, request.POST.get("ky"))
    url = reverse("reporting:aggregate", args=[report.pk]) + (f"?ky={period}" if period else "")
    try:
        document = services.summary_draft(actor=request.user, request=report, period=period)
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
        return redirect(url)
    messages.success(request, "Đã tạo dự thảo báo cáo tổng hợp (văn bản đi loại BC).")
    return redirect("documents:document_detail", document.pk)


# --- The home page ---------------------------------------------------------------------------


@pending.register("reporting.urgent")
def pending_urgent(user: Actor) -> pending.PendingGroup | None:
    """The urgent reports (a storm, an epidemic) the reader's organisations must send today or
    should have sent, the earliest first: on the home page of the commune's văn thư."""
    if scope_for(user).person_id is None:
        return None
    first, total = first_with_total(selectors.urgent_to_answer(user))
    items = []
    for s in first:
        label = selectors.period_label(s.request, s.period)
        items.append(
            (
                f"KHẨN — {Truncator(s.request.title).chars(70)} ({label})",
                reverse("reporting:submission", args=[s.pk]),
            )
        )
    url = reverse("reporting:request_list")
    return pending.PendingGroup("reporting.urgent", "Báo cáo nhanh khẩn phải gửi", total, url, tuple(items))
