"""The leaders' weekly calendar pages (/lich-tuan/): the week in the usual table (grouped by
day, morning and afternoon), the month, the PDF of the week, the composing actions of the
Văn phòng, the subscription links, and the iCalendar feed itself (no sign-in: its secret
link is the credential). Each view reads through ``selectors`` (404 outside reach) and
changes through one ``services`` call."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotFound
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from vanphong.core import pending
from vanphong.core.forms import apply_errors
from vanphong.documents.access import one_or_404
from vanphong.documents.printing import load_weasyprint
from vanphong.orgs.actors import person_of
from vanphong.orgs.models import Organization
from vanphong.programs import selectors, services
from vanphong.programs.forms_calendar import CancelForm, EventForm
from vanphong.programs.models import CalendarEvent, CalendarState, CalendarWeek
from vanphong.programs.services.calendar import WEEKDAYS

ALIASES = {"start": "start_time", "end": "end_time"}
MONTHS_PER_YEAR = 12


# --- Helpers -------------------------------------------------------------------------------------


def _monday(raw: str | None) -> dt.date:
    day = timezone.localdate()
    if raw:
        with contextlib.suppress(ValueError):
            asked = dt.date.fromisoformat(raw)
            if 2000 <= asked.year <= 2100:
                day = asked
    return day - dt.timedelta(days=day.weekday())


def _organization(request: HttpRequest) -> Organization:
    """The organisation asked for (``?organization=``) among those whose calendar the user
    reads, or their own committee; 404 when they read none."""
    organizations = selectors.calendar_organizations(request.user)
    raw = request.GET.get("organization") or request.POST.get("organization")
    found = None
    if raw and raw.isascii() and raw.isdigit() and len(raw) < 18:
        found = organizations.filter(pk=int(raw)).first()
    found = found or organizations.first()
    if found is None:
        raise Http404
    return found


def _week_url(organization: Organization, monday: dt.date) -> str:
    return f"{reverse('programs:calendar_week')}?week={monday:%Y-%m-%d}&organization={organization.pk}"


def _session(start: dt.datetime) -> str:
    hour = timezone.localtime(start).hour
    return "Sáng" if hour < 12 else ("Chiều" if hour < 18 else "Tối")


def _days(monday: dt.date, events: list[CalendarEvent]) -> list[dict[str, Any]]:
    """The week's days, each with its events in time order: Monday to Friday always, the
    weekend only when it has something."""
    days = []
    for i in range(7):
        day = monday + dt.timedelta(days=i)
        on_day = [e for e in events if timezone.localtime(e.start).date() == day]
        if i >= 5 and not on_day:
            continue
        rows = [{"event": e, "session": _session(e.start)} for e in on_day]
        days.append({"date": day, "name": WEEKDAYS[i], "rows": rows})
    return days


def _week_context(request: HttpRequest, organization: Organization, monday: dt.date) -> dict[str, Any]:
    user = request.user
    week = selectors.week_of(user, organization, monday)
    events = selectors.week_events(user, week) if week is not None else []
    compose = selectors.may_compose(user, organization)
    approve = selectors.may_approve(user, organization)
    return {
        "organization": organization,
        "organizations": list(selectors.calendar_organizations(user)[:50]),
        "monday": monday,
        "sunday": monday + dt.timedelta(days=6),
        "previous": monday - dt.timedelta(days=7),
        "next": monday + dt.timedelta(days=7),
        "this_week": _monday(None),
        "week": week,
        "days": _days(monday, events),
        "count": len([e for e in events if not e.cancelled]),
        "may_compose": compose,
        "may_approve": approve and week is not None and week.state == CalendarState.DRAFT,
        "may_publish": (compose or approve) and week is not None and week.state == CalendarState.APPROVED,
        "editable": compose and week is not None,
        "nav_active": "calendar",
    }


def _week_for_action(request: HttpRequest, week_id: int) -> CalendarWeek:
    return one_or_404(selectors.weeks_visible_to(request.user), week_id)


def _event_for_change(request: HttpRequest, event_id: int) -> CalendarEvent:
    event = one_or_404(selectors.events_visible_to(request.user), event_id)
    if not selectors.may_compose(request.user, event.week.organization):
        raise Http404
    return event


def _problems(request: HttpRequest, error: ValidationError) -> None:
    for problems in error.message_dict.values() if hasattr(error, "error_dict") else [error.messages]:
        messages.error(request, " ".join(problems))


# --- The week, the month, the PDF ----------------------------------------------------------------


@require_GET
def calendar_week(request: HttpRequest) -> HttpResponse:
    organization = _organization(request)
    monday = _monday(request.GET.get("week"))
    return render(request, "programs/calendar/week.html", _week_context(request, organization, monday))


def _month(raw: str | None) -> dt.date:
    today = timezone.localdate()
    if raw:
        with contextlib.suppress(ValueError):
            asked = dt.date.fromisoformat(f"{raw}-01")
            if 2000 <= asked.year <= 2100:
                return asked
    return today.replace(day=1)


def _next_month(first: dt.date) -> dt.date:
    return dt.date(first.year + first.month // MONTHS_PER_YEAR, first.month % MONTHS_PER_YEAR + 1, 1)


@require_GET
def calendar_month(request: HttpRequest) -> HttpResponse:
    organization = _organization(request)
    first = _month(request.GET.get("month"))
    after = _next_month(first)
    tz = timezone.get_current_timezone()
    events = list(
        selectors.calendar_events(
            request.user,
            dt.datetime.combine(first, dt.time.min, tzinfo=tz),
            dt.datetime.combine(after, dt.time.min, tzinfo=tz),
            organization=organization,
        )
    )
    days = []
    day = first
    while day < after:
        on_day = [e for e in events if timezone.localtime(e.start).date() == day]
        if on_day:
            days.append({"date": day, "name": WEEKDAYS[day.weekday()], "events": on_day})
        day += dt.timedelta(days=1)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    return render(
        request,
        "programs/calendar/month.html",
        {
            "organization": organization,
            "first": first,
            "last": after - dt.timedelta(days=1),
            "previous": previous,
            "next": after,
            "days": days,
            "count": len(events),
            "nav_active": "calendar",
        },
    )


@require_GET
def calendar_pdf(request: HttpRequest) -> HttpResponse:
    """The week as the office prints it: A4 landscape, the usual columns."""
    organization = _organization(request)
    monday = _monday(request.GET.get("week"))
    context = _week_context(request, organization, monday)
    if context["week"] is None:
        raise Http404
    try:
        html_class = load_weasyprint()
    except ValidationError as error:
        _problems(request, error)
        return redirect(_week_url(organization, monday))
    from weasyprint import CSS

    html = render_to_string("programs/calendar/print.html", {**context, "printed_at": timezone.localtime()})
    css = render_to_string("programs/calendar/print.css")
    pdf = html_class(string=html, url_fetcher=_refuse_fetch).write_pdf(stylesheets=[CSS(string=css)])
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"lich-cong-tac-tuan-{slugify(organization.short_name or organization.name)}-{monday:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"Không tải tài nguyên bên ngoài khi in: {url}")


# --- Composing -----------------------------------------------------------------------------------


@require_POST
def calendar_compose(request: HttpRequest) -> HttpResponse:
    organization = _organization(request)
    monday = _monday(request.POST.get("week"))
    if not selectors.may_compose(request.user, organization):
        raise Http404
    try:
        week = services.week_get_or_create(actor=request.user, organization=organization, week_start=monday)
        added = services.week_compose(actor=request.user, week=week)
    except ValidationError as error:
        _problems(request, error)
    else:
        if added:
            messages.success(request, f"Đã thêm {len(added)} sự kiện từ chương trình công tác và lịch họp.")
        else:
            messages.info(request, "Không có cuộc họp hay nội dung chương trình mới nào trong tuần này.")
    return redirect(_week_url(organization, monday))


@require_http_methods(["GET", "POST"])
def calendar_event_add(request: HttpRequest) -> HttpResponse:
    organization = _organization(request)
    monday = _monday(request.GET.get("week") or request.POST.get("week"))
    if not selectors.may_compose(request.user, organization):
        raise Http404
    week = selectors.week_of(request.user, organization, monday)
    published = week is not None and week.state == CalendarState.PUBLISHED
    form = EventForm(
        request.POST or None, organization=organization, published=published, initial={"day": monday}
    )
    if request.method == "POST" and form.is_valid():
        try:
            week = services.week_get_or_create(
                actor=request.user, organization=organization, week_start=monday
            )
            services.event_add(actor=request.user, week=week, **form.values())
        except ValidationError as error:
            apply_errors(form, error, aliases=ALIASES)
        else:
            messages.success(request, "Đã thêm sự kiện vào lịch tuần.")
            return redirect(_week_url(organization, monday))
    return render(
        request,
        "programs/calendar/event_form.html",
        {
            "form": form,
            "organization": organization,
            "monday": monday,
            "sunday": monday + dt.timedelta(days=6),
            "event": None,
            "published": published,
            "nav_active": "calendar",
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def calendar_event_edit(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event_for_change(request, event_id)
    week = event.week
    published = week.state == CalendarState.PUBLISHED
    form = EventForm(
        request.POST or None,
        organization=week.organization,
        published=published,
        initial=EventForm.initial_for(event),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(
                actor=request.user, event=event, note=form.cleaned_data.get("note") or "", **form.values()
            )
        except ValidationError as error:
            apply_errors(form, error, aliases=ALIASES)
        else:
            messages.success(
                request,
                "Đã sửa sự kiện; thay đổi được đánh dấu trên lịch và báo cho người liên quan."
                if published
                else "Đã sửa sự kiện.",
            )
            return redirect(_week_url(week.organization, week.week_start))
    return render(
        request,
        "programs/calendar/event_form.html",
        {
            "form": form,
            "organization": week.organization,
            "monday": week.week_start,
            "sunday": week.week_start + dt.timedelta(days=6),
            "event": event,
            "published": published,
            "nav_active": "calendar",
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def calendar_event_cancel(request: HttpRequest, event_id: int) -> HttpResponse:
    event = _event_for_change(request, event_id)
    week = event.week
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_cancel(actor=request.user, event=event, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Đã hủy sự kiện.")
            return redirect(_week_url(week.organization, week.week_start))
    return render(
        request,
        "programs/calendar/event_cancel.html",
        {"form": form, "event": event, "week": week, "nav_active": "calendar"},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
def calendar_approve(request: HttpRequest, week_id: int) -> HttpResponse:
    week = _week_for_action(request, week_id)
    try:
        services.week_approve(actor=request.user, week=week)
    except ValidationError as error:
        _problems(request, error)
    else:
        messages.success(request, "Đã duyệt lịch công tác tuần.")
    return redirect(_week_url(week.organization, week.week_start))


@require_POST
def calendar_publish(request: HttpRequest, week_id: int) -> HttpResponse:
    week = _week_for_action(request, week_id)
    try:
        services.week_publish(actor=request.user, week=week)
    except ValidationError as error:
        _problems(request, error)
    else:
        messages.success(request, "Đã công bố lịch công tác tuần và báo cho các đồng chí lãnh đạo.")
    return redirect(_week_url(week.organization, week.week_start))


@pending.register("programs.calendar")
def pending_calendar(user: Any) -> pending.PendingGroup | None:
    """Weeks waiting for the reader: to approve (draft weeks of an organisation they approve
    for) or to publish (approved weeks of one whose calendar they compose), from last week on."""
    if person_of(user) is None:
        return None
    today = timezone.localdate()
    since = today - dt.timedelta(days=today.weekday() + 7)
    weeks = list(
        selectors.weeks_visible_to(user)
        .filter(week_start__gte=since, state__in=[CalendarState.DRAFT, CalendarState.APPROVED])
        .filter(events__cancelled=False)
        .distinct()
        .order_by("week_start", "organization__path")[:20]
    )
    waiting = [
        w
        for w in weeks
        if (w.state == CalendarState.DRAFT and selectors.may_approve(user, w.organization))
        or (w.state == CalendarState.APPROVED and selectors.may_compose(user, w.organization))
    ]
    if not waiting:
        return None
    items = tuple(
        (
            f"{'Chờ duyệt' if w.state == CalendarState.DRAFT else 'Chờ công bố'}: tuần "
            f"{w.week_start:%d/%m}–{w.week_start + dt.timedelta(days=6):%d/%m/%Y} — "
            f"{w.organization.short_name or w.organization.name}",
            _week_url(w.organization, w.week_start),
        )
        for w in waiting[:5]
    )
    return pending.PendingGroup(
        "programs.calendar", "Lịch công tác tuần chờ duyệt, công bố", len(waiting), items[0][1], items
    )


# --- Subscription links and the feed -------------------------------------------------------------


def feed_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("programs:calendar_feed", args=[token]))


def my_feeds(request: HttpRequest) -> dict[str, str | None]:
    """The caller's two links (their own calendar, their committee's), made on first use."""
    person = person_of(request.user)
    if person is None:
        raise Http404
    links: dict[str, str | None] = {"person": None, "organization": None}
    _feed, token = services.feed_for(actor=request.user, person=person)
    links["person"] = feed_url(request, token)
    organization = selectors.home_organization(request.user)
    if organization is not None:
        _feed, token = services.feed_for(actor=request.user, organization=organization)
        links["organization"] = feed_url(request, token)
    return links


@require_GET
def calendar_feeds(request: HttpRequest) -> HttpResponse:
    links = my_feeds(request)
    organization = selectors.home_organization(request.user)
    rows = []
    for kind, label in (("person", "Lịch của tôi"), ("organization", "Lịch công tác tuần của cơ quan")):
        url = links[kind]
        if url:
            webcal = "webcal://" + url.split("://", 1)[1]
            rows.append({"kind": kind, "label": label, "url": url, "webcal": webcal})
    return render(
        request,
        "programs/calendar/feeds.html",
        {"rows": rows, "organization": organization, "nav_active": "calendar"},
    )


@require_POST
def calendar_feed_revoke(request: HttpRequest) -> HttpResponse:
    kind = request.POST.get("kind")
    feeds = selectors.live_feeds(request.user)
    feeds = (
        feeds.filter(person__isnull=False) if kind == "person" else feeds.filter(organization__isnull=False)
    )
    for feed in feeds:
        services.feed_revoke(actor=request.user, feed=feed)
    messages.success(
        request,
        "Đã thu hồi đường dẫn cũ: nó không còn dùng được. Đường dẫn mới ở dưới; hãy đăng ký lại trên "
        "điện thoại hoặc phần mềm lịch.",
    )
    return redirect("programs:calendar_feeds")


@login_not_required
@csrf_exempt
@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar file a phone's calendar subscribes to. No sign-in, no session: the
    secret link is the credential; 404 for an unknown or revoked one."""
    feed = services.feed_by_token(token)
    if feed is None:
        return HttpResponseNotFound(
            "Không tìm thấy lịch: đường dẫn không đúng hoặc đã bị thu hồi.",
            content_type="text/plain; charset=utf-8",
        )
    body = selectors.feed_ical(feed, request.get_host())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="lich-cong-tac.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response
