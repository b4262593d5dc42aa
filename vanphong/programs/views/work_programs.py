"""The work programme pages (/chuong-trinh/): the list by period, the create form, a programme
with its items (add, carry down from the longer programmes, move to a later period, record the
result, approve, draft the CTr document) and the carried-out report. Each view reads through
``selectors`` (404 outside reach) and calls one service; when the service says no, the page
shows why."""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vanphong.core.forms import apply_errors
from vanphong.documents.access import documents_visible_to, one_or_404
from vanphong.orgs.access import Capability, organizations_with
from vanphong.programs import selectors, services
from vanphong.programs.forms_work_programs import CarryForm, ItemForm, MoveForm, ProgramForm, StateForm
from vanphong.programs.models import ItemState, Program, ProgramBody, ProgramItem, ProgramPeriod
from vanphong.programs.services.work_programs import PERIOD_WORDS, period_end, period_name, when_text
from vanphong.tasks.selectors import Today, status_of

NAV = "work_programs"


def _writable(user: Any) -> QuerySet[Any]:
    return (
        organizations_with(user, Capability.WRITE).filter(hosted=True, active=True).order_by("depth", "path")
    )


def _readable(user: Any) -> QuerySet[Any]:
    orgs = organizations_with(user, Capability.READ) | organizations_with(user, Capability.WRITE)
    return orgs.filter(hosted=True, active=True).distinct().order_by("depth", "path")


def _int(raw: str | None, low: int, high: int) -> int | None:
    with contextlib.suppress(TypeError, ValueError):
        value = int(raw or "")
        if low <= value <= high:
            return value
    return None


@require_GET
def program_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    raw_year = request.GET.get("nam")
    year = _int(raw_year, 1900, 9998) if raw_year != "" else None
    if raw_year is None:
        year = timezone.localdate().year
    organization = _int(request.GET.get("co_quan"), 1, 2**63 - 1)
    period = request.GET.get("ky") if request.GET.get("ky") in ProgramPeriod.values else None
    body = request.GET.get("ban") if request.GET.get("ban") in ProgramBody.values else None
    programs = list(
        selectors.program_list(user, organization=organization, period=period, year=year, body=body)[:300]
    )
    return render(
        request,
        "programs/work_programs/program_list.html",
        {
            "programs": programs,
            "organizations": _readable(user)[:200],
            "periods": ProgramPeriod.choices,
            "bodies": ProgramBody.choices,
            "selected": {"co_quan": organization, "ky": period, "ban": body, "nam": year},
            "may_create": selectors.may_create_programs(user),
            "nav_active": NAV,
        },
    )


@require_http_methods(["GET", "POST"])
def program_create(request: HttpRequest) -> HttpResponse:
    organizations = _writable(request.user)
    if not organizations.exists():
        raise Http404
    form = ProgramForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if data["end"] is None and data["start"] is not None:
            data["end"] = period_end(data["period"], data["start"])
        if data["end"] is None:
            form.add_error("end", "Hãy nhập ngày kết thúc.")
        else:
            try:
                program = services.program_create(actor=request.user, **data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "Đã lập chương trình công tác (dự thảo); hãy thêm các nội dung.")
                return redirect("programs:program_detail", program.pk)
    return render(
        request,
        "programs/work_programs/program_create.html",
        {"form": form, "nav_active": NAV},
        status=400 if form.is_bound and form.errors else 200,
    )


def _short(program: Program) -> str:
    """A programme named by its period: "tháng 03/2026", "năm 2026"."""
    return f"{PERIOD_WORDS.get(program.period, '')} {period_name(program)}"


def _get(request: HttpRequest, program_id: int) -> Program:
    return one_or_404(selectors.program_detail(request.user), program_id)


def _get_item(request: HttpRequest, item_id: int) -> ProgramItem:
    return one_or_404(selectors.item_detail(request.user), item_id)


def _render_program(
    request: HttpRequest, program: Program, *, status: int = 200, forms: dict[str, Any] | None = None
) -> HttpResponse:
    user = request.user
    forms = forms or {}
    editing = selectors.may_edit_program(user, program)
    today = Today.now()
    items = list(selectors.program_items(user, program))
    rows = [
        {
            "item": item,
            "when": when_text(item),
            "parent_label": _short(item.parent.program) if item.parent else "",
            "status": status_of(item.task, today) if item.task is not None else None,
        }
        for item in items
    ]
    context: dict[str, Any] = {
        "program": program,
        "state": selectors.program_state(program),
        "state_label": selectors.program_state_label(program),
        "rows": rows,
        "whole": selectors.sees_whole(user, program),
        "may_edit": editing,
        "may_approve": selectors.may_approve_program(user, program) and program.state == "draft",
        "document_visible": program.document_id is not None
        and documents_visible_to(user).filter(pk=program.document_id).exists(),
        "nav_active": NAV,
    }
    if editing:
        candidates = list(selectors.carry_candidates(user, program))
        targets = list(selectors.later_programs(user, program))
        context.update(
            {
                "item_form": forms.get("item") or ItemForm(program=program),
                "carry_form": forms.get("carry") or CarryForm(candidates=candidates),
                "candidates": candidates,
                "targets": targets,
                "move_form": MoveForm(targets=targets),
                "state_form": StateForm(),
            }
        )
    return render(request, "programs/work_programs/program_detail.html", context, status=status)


@require_GET
def program_detail(request: HttpRequest, program_id: int) -> HttpResponse:
    return _render_program(request, _get(request, program_id))


def _refused(request: HttpRequest, error: ValidationError | PermissionDenied) -> None:
    if isinstance(error, PermissionDenied):
        messages.error(request, str(error) or "Bạn không có quyền thực hiện thao tác này.")
        return
    for problem in error.messages:
        messages.error(request, problem)


@require_POST
def item_add(request: HttpRequest, program_id: int) -> HttpResponse:
    program = _get(request, program_id)
    if not selectors.may_edit_program(request.user, program):
        raise Http404
    form = ItemForm(request.POST, program=program)
    if form.is_valid():
        try:
            item = services.item_add(actor=request.user, program=program, **form.service_values())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                f"Đã thêm nội dung số {item.order}" + (" và giao nhiệm vụ." if item.task_id else "."),
            )
            return redirect(reverse("programs:program_detail", args=[program.pk]) + f"#noi-dung-{item.order}")
    return _render_program(request, _get(request, program_id), status=400, forms={"item": form})


@require_POST
def carry_down(request: HttpRequest, program_id: int) -> HttpResponse:
    program = _get(request, program_id)
    if not selectors.may_edit_program(request.user, program):
        raise Http404
    candidates = {i.pk: i for i in selectors.carry_candidates(request.user, program)}
    form = CarryForm(request.POST, candidates=list(candidates.values()))
    if form.is_valid():
        done = 0
        for item_id in form.cleaned_data["items"]:
            try:
                services.item_carry_down(actor=request.user, item=candidates[item_id], program=program)
            except ValidationError as error:
                form.add_error("items", error.messages)
            else:
                done += 1
        if done:
            messages.success(
                request, f"Đã chuyển {done} nội dung từ chương trình dài hơn vào chương trình này."
            )
        if not form.errors:
            return redirect("programs:program_detail", program.pk)
    return _render_program(request, _get(request, program_id), status=400, forms={"carry": form})


@require_POST
def approve(request: HttpRequest, program_id: int) -> HttpResponse:
    program = _get(request, program_id)
    try:
        services.program_approve(actor=request.user, program=program)
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    else:
        given = program.items.filter(task__isnull=False).count()
        messages.success(request, f"Đã duyệt chương trình; {given} nội dung được theo dõi bằng nhiệm vụ.")
    return redirect("programs:program_detail", program.pk)


@require_POST
def issue_draft(request: HttpRequest, program_id: int) -> HttpResponse:
    program = _get(request, program_id)
    try:
        document = services.program_issue_draft(actor=request.user, program=program)
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
        return redirect("programs:program_detail", program.pk)
    messages.success(
        request,
        "Đã tạo dự thảo văn bản ban hành chương trình; hãy hoàn thiện và trình ký theo quy trình văn bản đi.",
    )
    return redirect("documents:document_detail", document.pk)


def _back(item: ProgramItem) -> HttpResponse:
    return redirect(reverse("programs:program_detail", args=[item.program_id]) + f"#noi-dung-{item.order}")


@require_POST
def item_move(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _get_item(request, item_id)
    targets = list(selectors.later_programs(request.user, item.program))
    form = MoveForm(request.POST, targets=targets)
    if not form.is_valid():
        for problems in form.errors.values():
            messages.error(request, " ".join(str(p) for p in problems))
        return _back(item)
    target = next(p for p in targets if p.pk == form.cleaned_data["program"])
    try:
        new = services.item_move(
            actor=request.user, item=item, program=target, reason=form.cleaned_data["reason"]
        )
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
        return _back(item)
    messages.success(
        request, f"Đã chuyển nội dung số {item.order} sang “{target.title}” (nội dung số {new.order})."
    )
    return _back(item)


@require_POST
def item_state(request: HttpRequest, item_id: int) -> HttpResponse:
    item = _get_item(request, item_id)
    form = StateForm(request.POST)
    if not form.is_valid():
        for problems in form.errors.values():
            messages.error(request, " ".join(str(p) for p in problems))
        return _back(item)
    data = form.cleaned_data
    try:
        services.item_set_state(
            actor=request.user, item=item, state=data["state"], reason=data["reason"], done_on=data["done_on"]
        )
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    else:
        label = ItemState(data["state"]).label
        messages.success(request, f"Đã ghi kết quả nội dung số {item.order}: {label}.")
    return _back(item)


@require_GET
def program_report(request: HttpRequest, program_id: int) -> HttpResponse:
    program = _get(request, program_id)
    report = selectors.program_report(request.user, program)
    return render(
        request,
        "programs/work_programs/program_report.html",
        {
            "program": program,
            "report": report,
            "whole": selectors.sees_whole(request.user, program),
            "nav_active": NAV,
        },
    )
