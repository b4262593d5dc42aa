"""The document page: metadata, the register entries the reader may see, directions and
assignments, the actions of the incoming flow, the panels of the other flows, and the whole
history from the audit trail. Opening a classified document is audited (``document.view``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET

from vanphong.audit.actions import action_title
from vanphong.documents import panels
from vanphong.documents.access import get_document_for_user, get_entry_for_user
from vanphong.documents.forms.incoming import AssignmentFormSet, DirectionForm, PresentForm, ProcessedForm
from vanphong.documents.models import Document, DocumentFile, DocumentState, RegisterEntry, RegisterKind
from vanphong.documents.selectors import incoming as selectors
from vanphong.documents.selectors.direction import direction_targets, leaders_for, reply_candidates
from vanphong.documents.services import incoming as services
from vanphong.documents.services.reading import document_viewed
from vanphong.orgs.access import Capability, can


def _history(document: Document, entries: list[RegisterEntry]) -> list[dict[str, Any]]:
    file_ids = list(DocumentFile.objects.filter(document=document).values_list("pk", flat=True))
    events = selectors.document_history(
        document=document, entry_ids=[e.pk for e in entries], file_ids=file_ids
    )
    return [
        {
            "at": event.at,
            "label": action_title(event.action),
            "action": event.action,
            "who": (event.actor.get_full_name() or event.actor.get_username())
            if event.actor
            else event.actor_username or "Hệ thống",
            "target": event.target_repr,
            "after": event.after or {},
        }
        for event in events
    ]


def _actions(request: HttpRequest, entry: RegisterEntry, given: dict[str, Any]) -> dict[str, Any]:
    """The forms of the incoming flow the reader may use on ``entry`` (kept when re-rendered with errors)."""

    user = request.user
    context: dict[str, Any] = {}
    if entry.register.kind != RegisterKind.INCOMING or entry.status in services.CLOSED_STATUSES:
        return context
    if can(user, Capability.REGISTER, entry.organization):
        context["present_form"] = given.get("present_form") or PresentForm(people=leaders_for(entry))
    if services.may_direct(user, entry):
        targets = direction_targets(entry)
        context["direction_form"] = given.get("direction_form") or DirectionForm()
        context["assignment_rows"] = given.get("assignment_rows") or AssignmentFormSet(
            prefix="pc", form_kwargs={"targets": targets}
        )
    if services.may_mark_processed(user, entry):
        context["processed_form"] = given.get("processed_form") or ProcessedForm(
            replies=reply_candidates(entry)
        )
    return context


def _section(
    document: Document, entries: list[RegisterEntry], current_entry: RegisterEntry | None
) -> dict[str, Any]:
    """Where the page sits: under "Văn bản đến" for a document the reader's office received,
    under "Văn bản đi" for one it drafts, issues or copies (its breadcrumb and active menu)."""
    kinds = {e.register.kind for e in entries}
    incoming = (current_entry is not None and current_entry.register.kind == RegisterKind.INCOMING) or (
        kinds == {RegisterKind.INCOMING} if kinds else document.state == DocumentState.RECEIVED
    )
    if incoming:
        return {
            "nav_active": "incoming",
            "section_label": "Văn bản đến",
            "section_url": reverse("documents:incoming_list"),
        }
    return {
        "nav_active": "outgoing",
        "section_label": "Văn bản đi",
        "section_url": reverse("documents:outgoing_list"),
    }


def render_document_page(
    request: HttpRequest,
    document: Document,
    *,
    current_entry: RegisterEntry | None = None,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    user = request.user
    entries = list(
        selectors.incoming_detail(
            user=user, queryset=RegisterEntry.objects.filter(document=document)
        ).order_by("registered_at", "pk")
    )
    if current_entry is None:
        incoming = [e for e in entries if e.register.kind == RegisterKind.INCOMING]
        current_entry = incoming[0] if len(incoming) == 1 else None
    else:
        current_entry = next((e for e in entries if e.pk == current_entry.pk), current_entry)
    if status == 200:
        document_viewed(user=user, document=document)
    context: dict[str, Any] = {
        "document": document,
        "entries": entries,
        "entry": current_entry,
        "panels": _rendered_panels(request, document),
        "history": _history(document, entries),
        **_section(document, entries, current_entry),
    }
    if current_entry is not None:
        context.update(_actions(request, current_entry, forms))
    return render(request, "documents/document_detail.html", context, status=status)


def _rendered_panels(request: HttpRequest, document: Document) -> list[tuple[panels.Panel, str]]:
    """Each panel rendered with its own context, also reachable as ``panel.context``."""
    return [
        (panel, render_to_string(panel.template, {**panel.context, "panel": panel}, request=request))
        for panel in panels.panels_for(request, document)
    ]


_DOCUMENT = Document.objects.select_related("issuer", "organization", "created_by", "original")


@require_GET
def document_detail(request: HttpRequest, document_id: int) -> HttpResponse:
    document = get_document_for_user(request.user, document_id, _DOCUMENT)
    return render_document_page(request, document)


@require_GET
def entry_detail(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = get_entry_for_user(
        request.user, entry_id, RegisterEntry.objects.select_related("register", "organization")
    )
    document = _DOCUMENT.get(pk=entry.document_id)
    return render_document_page(request, document, current_entry=entry)
