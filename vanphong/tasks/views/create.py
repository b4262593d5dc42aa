"""Giving a task by hand (``tasks:create``): in the name of an organisation the reader may
assign for, to a lead and cooperating organisations, units or people, with a due date or a
recurrence; from a task page (``?parent=``, a subtask) or a document page
(``?source_document=``). Also the pickers' htmx answers: who may be named once the giving
organisation changes, and registered documents found by number or symbol."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from vanphong.core.forms import apply_errors
from vanphong.orgs.access import scope_for
from vanphong.orgs.models import Organization
from vanphong.orgs.selectors import resolve_target
from vanphong.tasks import services
from vanphong.tasks.access import assignable_organizations, get_task, may_work
from vanphong.tasks.forms import TaskCreateForm
from vanphong.tasks.models import SourceKind, Task
from vanphong.tasks.selectors import party_targets
from vanphong.tasks.services import TaskSource
from vanphong.tasks.sources import documents_visible_to, find_documents
from vanphong.tasks.views.common import parse_int

# A document's type tells where a task taken from it comes from.
SOURCE_BY_DOC_TYPE = {
    "NQ": SourceKind.RESOLUTION,
    "CTr": SourceKind.RESOLUTION,
    "KH": SourceKind.RESOLUTION,
    "KL": SourceKind.CONCLUSION,
    "TB": SourceKind.CONCLUSION,
}
PICKER_FIELDS = ("source_document", "documents", "result_document")


def _parent(request: HttpRequest) -> Task | None:
    pk = parse_int(request.POST.get("parent") or request.GET.get("parent"))
    if pk is None:
        return None
    return get_task(request.user, pk, Task.objects.select_related("organization", "lead_organization"))


def _giver(request: HttpRequest, givers: list[Organization], parent: Task | None) -> Organization:
    wanted = parse_int(request.POST.get("organization") or request.GET.get("organization"))
    chosen = next((o for o in givers if o.pk == wanted), None)
    if chosen is not None:
        return chosen
    if parent is not None:
        preferred = parent.lead_organization_id if may_work(request.user, parent) else parent.organization_id
        chosen = next((o for o in givers if o.pk == preferred), None)
    return chosen or givers[0]


def _initial(request: HttpRequest, parent: Task | None) -> tuple[dict[str, Any], Any]:
    """What the form starts with, from the task it breaks down or the document it follows."""
    initial: dict[str, Any] = {}
    document = None
    if parent is not None:
        initial.update(
            due_date=parent.due_date,
            source_kind=parent.source_kind,
            source_label=parent.source_label,
            priority=parent.priority,
        )
        if parent.source_document_id:
            document = documents_visible_to(request.user).filter(pk=parent.source_document_id).first()
    doc_id = parse_int(request.GET.get("source_document"))
    if doc_id is not None:
        document = documents_visible_to(request.user).filter(pk=doc_id).first()
        if document is None:
            raise Http404
        initial.update(
            title=" ".join(document.subject.split())[:500],
            source_kind=SOURCE_BY_DOC_TYPE.get(document.doc_type, SourceKind.MANUAL),
            source_label=(
                f"{document.symbol or 'Văn bản chưa có số'}"
                + (f" ngày {document.issued_date:%d/%m/%Y}" if document.issued_date else "")
            ),
        )
    if document is not None:
        initial["source_document"] = {"ids": [str(document.pk)], "q": ""}
    return initial, document


@require_http_methods(["GET", "POST"])
def task_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    parent = _parent(request)
    givers = assignable_organizations(user, parent=parent)
    if not givers:
        raise Http404
    giver = _giver(request, givers, parent)
    form_kwargs: dict[str, Any] = {
        "organizations": givers,
        "targets": party_targets(giver),
        "clearance": scope_for(user).clearance,
        "user": user,
    }
    if request.method == "POST":
        form = TaskCreateForm(request.POST, **form_kwargs)
        if form.is_valid():
            task = _create(request, form, giver, parent)
            if task is not None:
                messages.success(request, f"Đã giao nhiệm vụ “{task.title[:120]}”.")
                return redirect("tasks:detail", task_id=task.pk)
    else:
        initial, document = _initial(request, parent)
        form = TaskCreateForm(initial={**initial, "organization": giver.pk}, **form_kwargs)
        if document is not None:
            form.fields["source_document"].widget.picked = [document]
    context = {
        "form": form,
        "parent": parent,
        "nav_active": "tasks",
    }
    return render(request, "tasks/create.html", context, status=400 if form.is_bound else 200)


def _create(
    request: HttpRequest, form: TaskCreateForm, giver: Organization, parent: Task | None
) -> Task | None:
    data = form.cleaned_data
    common: dict[str, Any] = {
        "actor": request.user,
        "organization": giver,
        "title": data["title"],
        "content": data["content"],
        "lead": resolve_target(data["lead"]),
        "cooperating": [t for t in (resolve_target(v) for v in data["cooperating"]) if t is not None],
        "priority": data["priority"],
        "classification": data["classification"],
        "source": TaskSource(
            kind=data["source_kind"], label=data["source_label"], document=data["source_document"]
        ),
        "parent": parent,
    }
    try:
        if data["repeat"]:
            series = services.series_create(
                frequency=data["frequency"],
                day_of_month=data["day_of_month"],
                month_in_period=data["month_in_period"] or 0,
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                **common,
            )
            return series.tasks.order_by("original_due_date", "id").first()
        return services.task_create(due_date=data["due_date"], **common)
    except ValidationError as error:
        apply_errors(form, error, aliases={"parent": "__all__"})
        return None


@require_GET
def create_targets(request: HttpRequest) -> HttpResponse:
    """The lead and cooperating pickers for the giving organisation just chosen (htmx)."""
    parent = _parent(request)
    givers = assignable_organizations(request.user, parent=parent)
    if not givers:
        raise Http404
    giver = _giver(request, givers, parent)
    form = TaskCreateForm(
        organizations=givers,
        targets=party_targets(giver),
        clearance=scope_for(request.user).clearance,
        user=request.user,
    )
    return render(request, "tasks/_party_fields.html", {"form": form})


@require_GET
def document_search(request: HttpRequest) -> HttpResponse:
    """Registered documents the reader may see, by number or symbol, to tick (htmx)."""
    field = request.GET.get("field", "")
    if field not in PICKER_FIELDS:
        raise Http404
    query = request.GET.get(f"{field}_q", request.GET.get("q", "")).strip()[:100]
    exclude = [int(v) for v in request.GET.getlist(field) if v.isdigit()]
    context = {
        "name": field,
        "multiple": request.GET.get("multiple") == "1",
        "q": query,
        "candidates": find_documents(request.user, query, exclude=exclude),
    }
    return render(request, "tasks/widgets/_document_results.html", context)
