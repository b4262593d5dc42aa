"""The meeting pages. Each view fetches the meeting through ``selectors`` (404 outside reach),
reads its form, calls one service and, when the service says no, shows the page again with
the errors next to the fields."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vanphong.core.forms import apply_errors
from vanphong.documents.access import documents_visible_to, one_or_404
from vanphong.documents.services.reading import document_viewed
from vanphong.orgs.access import Capability, organizations_with
from vanphong.orgs.models import Organization, Person
from vanphong.programs import selectors, services
from vanphong.programs.downloads import minutes_file_response
from vanphong.programs.forms import (
    AgendaForm,
    AttendanceForm,
    CancelForm,
    ConclusionForm,
    MeetingForm,
    MinutesForm,
    RoomForm,
)
from vanphong.programs.models import Attendance, Meeting
from vanphong.tasks.selectors import Today, status_of
from vanphong.tasks.sources import find_documents

WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]


def _monday(raw: str | None) -> dt.date:
    day = timezone.localdate()
    if raw:
        with contextlib.suppress(ValueError):
            asked = dt.date.fromisoformat(raw)
            if 1900 <= asked.year <= 9998:  # a week further off is no week of this office
                day = asked
    return day - dt.timedelta(days=day.weekday())


@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    monday = _monday(request.GET.get("tuan"))
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(monday, dt.time.min, tzinfo=tz)
    end = start + dt.timedelta(days=7)
    meetings = list(selectors.meeting_list(request.user, start=start, end=end))
    days = []
    for i in range(7):
        day = monday + dt.timedelta(days=i)
        on_day = [m for m in meetings if timezone.localtime(m.start).date() == day]
        days.append({"date": day, "name": WEEKDAYS[i], "meetings": on_day})
    return render(
        request,
        "programs/meeting_list.html",
        {
            "monday": monday,
            "sunday": monday + dt.timedelta(days=6),
            "previous": monday - dt.timedelta(days=7),
            "next": monday + dt.timedelta(days=7),
            "this_week": _monday(None),
            "days": days,
            "count": len(meetings),
            "may_organize": selectors.may_organize(request.user),
            "nav_active": "meetings",
        },
    )


def _organizing(user: Any) -> QuerySet[Any]:
    return (
        organizations_with(user, Capability.WRITE).filter(hosted=True, active=True).order_by("depth", "path")
    )


@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    organizations = _organizing(request.user)
    if not organizations.exists():
        raise Http404
    rooms = selectors.rooms_visible_to(request.user).filter(active=True)
    form = MeetingForm(request.POST or None, organizations=organizations, rooms=rooms)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booked = services.meeting_create(
                actor=request.user,
                organization=data["organization"],
                title=data["title"],
                kind=data["kind"],
                start=data["start"],
                end=data["end"],
                room=data["room"],
                place=data["place"],
                chair=Person.objects.filter(pk=data["chair"]).first(),
                participants=form.people(data["participants"]),
                guests=form.people(data["guests"]),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Đã tạo cuộc họp.")
            for warning in booked.warnings:
                messages.warning(request, f"Lưu ý trùng lịch: {warning}")
            return redirect("programs:meeting_detail", booked.meeting.pk)
    return render(
        request,
        "programs/meeting_create.html",
        {"form": form, "nav_active": "meetings"},
        status=400 if form.is_bound and form.errors else 200,
    )


def _get(request: HttpRequest, meeting_id: int) -> Meeting:
    return one_or_404(selectors.meeting_detail(request.user), meeting_id)


def _render_meeting(
    request: HttpRequest, meeting: Meeting, *, status: int = 200, forms: dict[str, Any] | None = None
) -> HttpResponse:
    user = request.user
    forms = forms or {}
    manage = selectors.may_manage(user, meeting)
    today = Today.now()
    conclusions = []
    for c in meeting.conclusions.all():
        parties = list(c.parties.all())
        conclusions.append(
            {
                "conclusion": c,
                "lead": [p for p in parties if p.role == "lead"],
                "cooperating": [p for p in parties if p.role == "cooperate"],
                "status": status_of(c.task, today) if c.task is not None else None,
            }
        )
    context: dict[str, Any] = {
        "meeting": meeting,
        "participants": [p for p in meeting.participants.all() if p.role == "participant"],
        "guests": [p for p in meeting.participants.all() if p.role == "guest"],
        "agenda": selectors.agenda_with_pack(user, meeting),
        "conclusions": conclusions,
        "may_manage": manage,
        "notice_visible": meeting.notice_id is not None
        and documents_visible_to(user).filter(pk=meeting.notice_id).exists(),
        "nav_active": "meetings",
    }
    if manage:
        context.update(
            {
                "agenda_form": forms.get("agenda") or AgendaForm(),
                "conclusion_form": forms.get("conclusion")
                or ConclusionForm(organization=meeting.organization),
                "minutes_form": forms.get("minutes") or MinutesForm(initial={"minutes": meeting.minutes}),
                "cancel_form": forms.get("cancel") or CancelForm(),
                "attendance_choices": Attendance.choices,
            }
        )
    return render(request, "programs/meeting_detail.html", context, status=status)


@require_GET
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _render_meeting(request, _get(request, meeting_id))


@require_POST
def agenda_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _get(request, meeting_id)
    form = AgendaForm(request.POST)
    if form.is_valid():
        tokens = [t.strip() for t in form.cleaned_data["documents"].split(",") if t.strip()]
        found: list[Any] = []
        for token in tokens:
            match = find_documents(request.user, token, exact=True, limit=2)
            if len(match) != 1:
                form.add_error(
                    "documents", f"Không tìm thấy văn bản “{token}” (hoặc có nhiều văn bản trùng)."
                )
            else:
                found.append(match[0])
        if not form.errors:
            try:
                services.agenda_item_add(
                    actor=request.user, meeting=meeting, title=form.cleaned_data["title"], documents=found
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "Đã thêm nội dung vào chương trình cuộc họp.")
                return redirect("programs:meeting_detail", meeting.pk)
    return _render_meeting(request, _get(request, meeting_id), status=400, forms={"agenda": form})


@require_POST
def conclusion_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _get(request, meeting_id)
    form = ConclusionForm(request.POST, organization=meeting.organization)
    if form.is_valid():
        data = form.cleaned_data
        try:
            conclusion = services.conclusion_add(
                actor=request.user,
                meeting=meeting,
                text=data["text"],
                lead=data["lead"],
                cooperating=data["cooperating"],
                due_date=data["due_date"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                "Đã ghi kết luận và giao nhiệm vụ." if conclusion.task_id else "Đã ghi kết luận.",
            )
            return redirect("programs:meeting_detail", meeting.pk)
    return _render_meeting(request, _get(request, meeting_id), status=400, forms={"conclusion": form})


@require_POST
def attendance(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _get(request, meeting_id)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        person = Person.objects.filter(pk=form.cleaned_data["person"]).first()
        if person is None:
            raise Http404
        try:
            services.attendance_set(
                actor=request.user,
                meeting=meeting,
                person=person,
                attendance=form.cleaned_data["attendance"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            for problems in error.message_dict.values():
                messages.error(request, " ".join(problems))
        else:
            messages.success(request, f"Đã ghi nhận tham dự của đồng chí {person.full_name}.")
    else:
        messages.error(request, "Dữ liệu tham dự chưa hợp lệ.")
    return redirect("programs:meeting_detail", meeting.pk)


@require_POST
def minutes(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _get(request, meeting_id)
    form = MinutesForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.minutes_record(
                actor=request.user,
                meeting=meeting,
                minutes=form.cleaned_data["minutes"],
                upload=form.cleaned_data["minutes_file"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Đã lưu biên bản cuộc họp.")
            return redirect("programs:meeting_detail", meeting.pk)
    return _render_meeting(request, _get(request, meeting_id), status=400, forms={"minutes": form})


@require_GET
def minutes_file(request: HttpRequest, meeting_id: int) -> FileResponse:
    return minutes_file_response(request.user, meeting_id)


@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Change or reschedule a planned meeting (its organisation stays)."""
    meeting = _get(request, meeting_id)
    if not selectors.may_manage(request.user, meeting):
        raise Http404
    organizations = Organization.objects.filter(pk=meeting.organization_id)
    rooms = selectors.rooms_visible_to(request.user).filter(Q(active=True) | Q(pk=meeting.room_id))
    seats = list(meeting.participants.all())
    initial = {
        "organization": meeting.organization_id,
        "kind": meeting.kind,
        "title": meeting.title,
        "start": timezone.localtime(meeting.start),
        "end": timezone.localtime(meeting.end),
        "room": meeting.room_id,
        "place": meeting.place,
        "chair": meeting.chair_id,
        "participants": [s.person_id for s in seats if s.role == "participant"],
        "guests": [s.person_id for s in seats if s.role == "guest"],
    }
    form = MeetingForm(request.POST or None, initial=initial, organizations=organizations, rooms=rooms)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booked = services.meeting_update(
                actor=request.user,
                meeting=meeting,
                title=data["title"],
                kind=data["kind"],
                start=data["start"],
                end=data["end"],
                room=data["room"],
                place=data["place"],
                chair=Person.objects.filter(pk=data["chair"]).first(),
                participants=form.people(data["participants"]),
                guests=form.people(data["guests"]),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, "Đã cập nhật cuộc họp; người dự họp được báo khi đổi thời gian, địa điểm."
            )
            for warning in booked.warnings:
                messages.warning(request, f"Lưu ý trùng lịch: {warning}")
            return redirect("programs:meeting_detail", meeting.pk)
    return render(
        request,
        "programs/meeting_create.html",
        {"form": form, "meeting": meeting, "nav_active": "meetings"},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
def cancel(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _get(request, meeting_id)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_cancel(actor=request.user, meeting=meeting, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Đã hủy cuộc họp; người dự họp đã được báo.")
            return redirect("programs:meeting_detail", meeting.pk)
    return _render_meeting(request, _get(request, meeting_id), status=400, forms={"cancel": form})


@require_POST
def notice(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _get(request, meeting_id)
    try:
        document = services.notice_draft(actor=request.user, meeting=meeting)
    except ValidationError as error:
        for problems in error.message_dict.values():
            messages.error(request, " ".join(problems))
        return redirect("programs:meeting_detail", meeting.pk)
    messages.success(
        request, "Đã tạo dự thảo thông báo kết luận; hãy hoàn thiện và trình ký theo quy trình văn bản đi."
    )
    return redirect("documents:document_detail", document.pk)


@require_GET
def pack_document(request: HttpRequest, meeting_id: int, document_id: int) -> HttpResponse:
    """A document of the meeting pack, read on screen: 404 for a reader not cleared for it."""
    meeting = _get(request, meeting_id)
    document = selectors.pack_document(request.user, meeting, document_id)
    if document is None:
        raise Http404
    document_viewed(user=request.user, document=document)
    version = document.versions.order_by("-number").first()
    return render(
        request,
        "programs/pack_document.html",
        {
            "meeting": meeting,
            "document": document,
            "version": version,
            "files": list(document.files.order_by("id")),
            "may_open": documents_visible_to(request.user).filter(pk=document.pk).exists(),
            "nav_active": "meetings",
        },
    )


def _room_keepers(user: Any) -> QuerySet[Any]:
    """The organisations whose rooms ``user`` may add: their văn thư and office leaders
    (REGISTER), their administrators (MANAGE_PEOPLE)."""
    return (
        (organizations_with(user, Capability.REGISTER) | organizations_with(user, Capability.MANAGE_PEOPLE))
        .filter(hosted=True, active=True)
        .distinct()
        .order_by("depth", "path")
    )


@require_http_methods(["GET", "POST"])
def room_list(request: HttpRequest) -> HttpResponse:
    keepers = _room_keepers(request.user)
    may_add = keepers.exists()
    form = RoomForm(request.POST or None, organizations=keepers) if may_add else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                room = services.room_create(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, f"Đã thêm phòng họp “{room.name}”.")
                return redirect("programs:room_list")
    rooms = list(selectors.rooms_visible_to(request.user))
    keeper_ids = set(keepers.values_list("pk", flat=True)) if may_add else set()
    return render(
        request,
        "programs/room_list.html",
        {"rooms": rooms, "form": form, "keeper_ids": keeper_ids, "nav_active": "meetings"},
        status=400 if form is not None and form.errors else 200,
    )


@require_POST
def room_active(request: HttpRequest, room_id: int) -> HttpResponse:
    """Take a room out of use, or back into use (its keepers only; 404 for the others)."""
    keepers = _room_keepers(request.user)
    room = one_or_404(selectors.rooms_visible_to(request.user).filter(organization__in=keepers), room_id)
    active = request.POST.get("active") == "1"
    services.room_set_active(actor=request.user, room=room, active=active)
    messages.success(request, f"Đã {'dùng lại' if active else 'ngừng sử dụng'} phòng họp “{room.name}”.")
    return redirect("programs:room_list")
