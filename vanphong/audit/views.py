"""The audit trail pages, for those holding VIEW_AUDIT (everyone else gets 404)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from vanphong.audit.actions import action_label
from vanphong.audit.forms import AuditFilterForm
from vanphong.audit.labels import field_label, target_type_label
from vanphong.audit.models import AuditEvent
from vanphong.audit.selectors import (
    audit_event_get,
    audit_events_filter,
    audit_events_for,
    organization_names,
)
from vanphong.audit.services import audit_chain_verify
from vanphong.core.http import HtmxHttpRequest
from vanphong.core.paging import CappedPaginator
from vanphong.orgs.access import Capability, can

PAGE_SIZE = 50


def _require_auditor(request: HttpRequest) -> None:
    if not can(request.user, Capability.VIEW_AUDIT):
        raise Http404


@dataclass(frozen=True)
class EventRow:
    event: AuditEvent
    action_label: str
    target_type_label: str
    organization_name: str


@require_GET
def event_list(request: HtmxHttpRequest) -> HttpResponse:
    _require_auditor(request)
    form = AuditFilterForm(request.GET, user=request.user)
    form.is_valid()
    events = audit_events_filter(audit_events_for(request.user), form.filters())
    page = CappedPaginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    names = organization_names({e.organization_id for e in page.object_list if e.organization_id})
    rows = [
        EventRow(
            event=e,
            action_label=action_label(e.action),
            target_type_label=target_type_label(e.target_type),
            organization_name=names.get(e.organization_id, "") if e.organization_id else "",
        )
        for e in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "nav_active": "audit",
    }
    template = "audit/_event_table.html" if request.htmx else "audit/event_list.html"
    return render(request, template, context)


def _display(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    return str(value)


@require_GET
def event_detail(request: HttpRequest, seq: int) -> HttpResponse:
    _require_auditor(request)
    event = audit_event_get(request.user, seq)
    before, after = event.before or {}, event.after or {}
    keys = list(dict.fromkeys([*before, *after]))
    changes = [
        {
            "key": key,
            "label": field_label(event.target_type, key),
            "before": _display(before.get(key)) if event.before is not None else "",
            "after": _display(after.get(key)) if event.after is not None else "",
            "changed": before.get(key) != after.get(key),
        }
        for key in keys
    ]
    names = organization_names({event.organization_id} if event.organization_id else set())
    context = {
        "event": event,
        "action_label": action_label(event.action),
        "target_type_label": target_type_label(event.target_type),
        "organization_name": names.get(event.organization_id, "") if event.organization_id else "",
        "changes": changes,
        "has_before": event.before is not None,
        "has_after": event.after is not None,
        "hash_ok": event.compute_hash() == event.hash,
        "nav_active": "audit",
    }
    return render(request, "audit/event_detail.html", context)


@require_POST
def chain_verify(request: HtmxHttpRequest) -> HttpResponse:
    _require_auditor(request)
    report = audit_chain_verify(actor=request.user)
    if request.htmx:
        return render(request, "audit/_chain_report.html", {"report": report})
    if report.ok:
        messages.success(request, report.summary())
    else:
        messages.error(request, report.summary())
    return redirect("audit:list")
