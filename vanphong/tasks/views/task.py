"""The task page (``tasks:detail``) and its actions. Each action view fetches the task
through the access layer (404 outside reach), reads its form, calls one service and, when the
service says no, shows the page again with the form as typed and the errors next to its
fields. A service's ``PermissionDenied`` (a reader who may see the task but not act) is a 403.
Opening a classified task is audited (``task.view``), as downloading its evidence files is
(``task.file_download``), by ``services.reading``, which the API calls too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vanphong.core.forms import apply_errors
from vanphong.orgs.actors import Actor
from vanphong.tasks import selectors, services
from vanphong.tasks.access import get_task, may_manage, may_work, visible_tasks
from vanphong.tasks.downloads import evidence_response
from vanphong.tasks.forms import (
    CancelForm,
    CompleteForm,
    ConfirmForm,
    EndSeriesForm,
    ExtensionDecideForm,
    ExtensionRequestForm,
    ProgressForm,
    ReturnForm,
    TaskEditForm,
)
from vanphong.tasks.models import (
    OPEN_STATES,
    ExtensionRequest,
    ExtensionState,
    Outcome,
    PartyRole,
    Task,
    TaskState,
)
from vanphong.tasks.selectors import TaskFilters, Today
from vanphong.tasks.sources import documents_visible_to, source_link

_TASK = Task.objects.select_related(
    "organization",
    "issued_by",
    "issued_by__position",
    "created_by",
    "lead_organization",
    "lead_unit",
    "lead_person",
    "source_document",
    "result_document",
    "parent",
    "series",
    "confirmed_by",
)


def auto_id(key: str) -> str:
    """Element ids of one of the page's forms: several forms on a page have a "reason" or a
    "text" field, and each label must point at its own."""
    return f"{key}_%s"


def _task(request: HttpRequest, task_id: int) -> Task:
    return get_task(request.user, task_id, _TASK)


def _back(task: Task, anchor: str = "") -> HttpResponse:
    response = redirect("tasks:detail", task_id=task.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def action_forms(request: HttpRequest, task: Task, given: dict[str, Any]) -> dict[str, Any]:
    """The forms the reader may use on ``task`` now; a form given (bound, with its errors)
    replaces the blank one."""
    user = request.user
    work, manage = may_work(user, task), may_manage(user, task)
    is_open = task.state in OPEN_STATES
    pending = task.extensions.filter(state=ExtensionState.PENDING).select_related("requested_by").first()
    forms: dict[str, Any] = {"may_work": work, "may_manage": manage, "pending_extension": pending}
    if work and is_open:
        children = Task.objects.filter(parent=task).exclude(outcome=Outcome.CANCELLED).exists()
        forms["may_accept"] = task.state == TaskState.ASSIGNED
        forms["progress"] = given.get("progress") or ProgressForm(
            user=user, percent_from_children=children, auto_id=auto_id("progress")
        )
        forms["complete"] = given.get("complete") or CompleteForm(user=user, auto_id=auto_id("complete"))
        if task.due_date is not None and pending is None:
            forms["extension"] = given.get("extension") or ExtensionRequestForm(auto_id=auto_id("extension"))
    if manage and task.state == TaskState.COMPLETED:
        forms["confirm"] = given.get("confirm") or ConfirmForm(auto_id=auto_id("confirm"))
    if manage and task.state == TaskState.COMPLETED:
        forms["return"] = given.get("return") or ReturnForm(auto_id=auto_id("return"))
    if manage and pending is not None and is_open:
        forms["decide"] = given.get("decide") or ExtensionDecideForm(auto_id=auto_id("decide"))
    if manage and is_open:
        forms["cancel"] = given.get("cancel") or CancelForm(auto_id=auto_id("cancel"))
        forms["may_edit"] = True
    if manage and task.series is not None and task.series.active:
        forms["end_series"] = given.get("end_series") or EndSeriesForm(auto_id=auto_id("end_series"))
    forms["may_add_child"] = is_open and (work or manage)
    return forms


def _history(user: Actor, task: Task) -> tuple[list[Any], set[int]]:
    events = list(
        task.events.select_related("actor").prefetch_related("documents", "files").order_by("at", "id")
    )
    ids = {d.pk for e in events for d in e.documents.all()}
    ids |= {pk for pk in (task.source_document_id, task.result_document_id) if pk}
    visible = (
        set(documents_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    )
    return events, visible


def render_task_page(
    request: HttpRequest,
    task: Task,
    *,
    status: int = 200,
    given: dict[str, Any] | None = None,
    opened: str = "",
) -> HttpResponse:
    user = request.user
    today = Today.now()
    if status == 200:
        services.task_viewed(user=user, task=task)
    events, visible_documents = _history(user, task)
    subtasks = list(
        selectors.task_list(user, TaskFilters(parent=task.pk), today=today).order_by("effective_due", "id")
    )
    for child in subtasks:
        child.days_late = selectors.days_late(child, today)
    parties = list(task.parties.select_related("organization", "unit", "person", "unit__organization"))
    derived = selectors.status_of(task, today)
    context: dict[str, Any] = {
        "task": task,
        "status": derived,
        "days_late": selectors.days_late(task, today),
        "lead_parties": [p for p in parties if p.role == PartyRole.LEAD],
        "cooperating": [p for p in parties if p.role == PartyRole.COOPERATE],
        "parent_visible": task.parent_id is not None
        and visible_tasks(user).filter(pk=task.parent_id).exists(),
        "subtasks": subtasks,
        "events": events,
        "visible_documents": visible_documents,
        "source_link": source_link(user, task),
        "extensions": list(
            task.extensions.select_related("requested_by", "decided_by").order_by("requested_at")
        ),
        "moved_by_calendar": task.due_date is not None and task.effective_due != task.due_date,
        "opened": opened,
        "nav_active": "tasks",
    }
    context.update(action_forms(request, task, given or {}))
    for key, form in (given or {}).items():
        if context.get(key) is not form:  # the task moved on meanwhile: the form is gone, not its errors
            for problems in form.errors.values():
                messages.error(request, " ".join(problems))
    return render(request, "tasks/detail.html", context, status=status)


@require_GET
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    return render_task_page(request, _task(request, task_id))


def _act(
    request: HttpRequest,
    task: Task,
    key: str,
    form: Any,
    call: Callable[[dict[str, Any]], Any],
    success: str,
    *,
    aliases: dict[str, str] | None = None,
) -> HttpResponse:
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error, aliases=aliases)
        else:
            messages.success(request, success)
            return _back(task)
    task.refresh_from_db()
    return render_task_page(request, task, status=400, given={key: form}, opened=key)


@require_POST
def task_accept(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _task(request, task_id)
    try:
        services.task_accept(actor=request.user, task=task)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Đã tiếp nhận nhiệm vụ.")
    return _back(task)


@require_POST
def task_progress(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _task(request, task_id)
    children = Task.objects.filter(parent=task).exclude(outcome=Outcome.CANCELLED).exists()
    form = ProgressForm(
        request.POST,
        request.FILES,
        user=request.user,
        percent_from_children=children,
        auto_id=auto_id("progress"),
    )
    return _act(
        request,
        task,
        "progress",
        form,
        lambda data: services.task_report_progress(
            actor=request.user,
            task=task,
            text=data["text"],
            percent=data.get("percent"),
            documents=data["documents"],
            uploads=data["files"],
        ),
        "Đã gửi báo cáo tiến độ.",
    )


@require_POST
def task_complete(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _task(request, task_id)
    form = CompleteForm(request.POST, request.FILES, user=request.user, auto_id=auto_id("complete"))
    return _act(
        request,
        task,
        "complete",
        form,
        lambda data: services.task_complete(
            actor=request.user,
            task=task,
            text=data["text"],
            result_document=data["result_document"],
            documents=data["documents"],
            uploads=data["files"],
            on=data["on"],
        ),
        "Đã báo cáo hoàn thành nhiệm vụ.",
    )


@require_POST
def task_extension_request(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _task(request, task_id)
    return _act(
        request,
        task,
        "extension",
        ExtensionRequestForm(request.POST, auto_id=auto_id("extension")),
        lambda data: services.extension_request(
            actor=request.user, task=task, new_due_date=data["new_due_date"], reason=data["reason"]
        ),
        "Đã gửi đề nghị gia hạn.",
    )


@require_POST
def task_extension_decide(request: HttpRequest, task_id: int, extension_id: int) -> HttpResponse:
    task = _task(request, task_id)
    extension = get_object_or_404(ExtensionRequest.objects.select_related("task"), pk=extension_id, task=task)
    form = ExtensionDecideForm(request.POST, auto_id=auto_id("decide"))
    approve = request.POST.get("decision") == "approve"
    return _act(
        request,
        task,
        "decide",
        form,
        lambda data: services.extension_decide(
            actor=request.user, request=extension, approve=data["decision"] == "approve", note=data["note"]
        ),
        "Đã đồng ý gia hạn." if approve else "Đã trả lời không đồng ý gia hạn.",
    )


@require_POST
def task_confirm(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _task(request, task_id)
    return _act(
        request,
        task,
        "confirm",
        ConfirmForm(request.POST, auto_id=auto_id("confirm")),
        lambda data: services.task_confirm(actor=request.user, task=task, text=data["text"]),
        "Đã xác nhận hoàn thành nhiệm vụ.",
        aliases={"__all__": "text"},
    )


@require_POST
def task_return(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _task(request, task_id)
    return _act(
        request,
        task,
        "return",
        ReturnForm(request.POST, auto_id=auto_id("return")),
        lambda data: services.task_return(actor=request.user, task=task, reason=data["reason"]),
        "Đã trả lại nhiệm vụ, yêu cầu thực hiện tiếp.",
    )


@require_POST
def task_cancel(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _task(request, task_id)
    return _act(
        request,
        task,
        "cancel",
        CancelForm(request.POST, auto_id=auto_id("cancel")),
        lambda data: services.task_cancel(actor=request.user, task=task, reason=data["reason"]),
        "Đã hủy nhiệm vụ.",
    )


@require_POST
def task_end_series(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _task(request, task_id)
    return _act(
        request,
        task,
        "end_series",
        EndSeriesForm(request.POST, auto_id=auto_id("end_series")),
        lambda data: services.series_end(actor=request.user, task=task, reason=data["reason"]),
        "Đã dừng nhiệm vụ định kỳ: không tạo thêm kỳ mới.",
    )


@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _task(request, task_id)
    if not may_manage(request.user, task) or task.state not in OPEN_STATES:
        raise Http404
    due_locked = task.extended or task.extensions.filter(state=ExtensionState.APPROVED).exists()
    if request.method == "POST":
        form = TaskEditForm(
            request.POST,
            due_locked=due_locked,
            initial={"due_date": task.due_date},
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.task_update(
                    actor=request.user,
                    task=task,
                    title=data["title"],
                    content=data["content"],
                    priority=data["priority"],
                    due_date=None if due_locked else data["due_date"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "Đã lưu điều chỉnh nhiệm vụ.")
                return _back(task)
    else:
        form = TaskEditForm(
            due_locked=due_locked,
            initial={
                "title": task.title,
                "content": task.content,
                "priority": task.priority,
                "due_date": task.due_date,
            },
        )
    status = 400 if form.is_bound else 200
    return render(
        request, "tasks/edit.html", {"task": task, "form": form, "nav_active": "tasks"}, status=status
    )


@require_GET
def evidence_download(request: HttpRequest, file_id: int) -> FileResponse:
    """An evidence file, streamed, to those who may see its task (404 to the others)."""
    return evidence_response(request.user, file_id)
