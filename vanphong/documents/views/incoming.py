"""Pages of the incoming flow: the list, the keyboard-first registration form, and the
actions of the document page (present, direct, mark processed). Each view parses, fetches
through the access layer (404 outside reach), calls one service and renders.

Importing this module also registers the home page's pending-work groups of the flow."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vanphong.core import pending
from vanphong.core.forms import apply_errors, parse_date
from vanphong.core.http import HtmxHttpRequest
from vanphong.core.paging import CappedPaginator
from vanphong.core.queries import first_with_total
from vanphong.documents import doctypes
from vanphong.documents.access import get_entry_for_user
from vanphong.documents.forms.incoming import (
    AssignmentFormSet,
    DirectionForm,
    IncomingRegisterForm,
    PresentForm,
    ProcessedForm,
    doc_type_choices,
)
from vanphong.documents.models import (
    Arrival,
    ArrivalState,
    Document,
    EntryStatus,
    RegisterEntry,
    Urgency,
)
from vanphong.documents.selectors import incoming as selectors
from vanphong.documents.selectors.direction import direction_targets, leaders_for, reply_candidates
from vanphong.documents.services import incoming as services
from vanphong.orgs.access import Capability, organizations_with, scope_for
from vanphong.orgs.actors import Actor, person_of
from vanphong.orgs.models import CLASSIFICATION_BY_CODE, Organization

PER_PAGE = 50


# --- Helpers ---------------------------------------------------------------------------------------


def register_organizations(user: Actor) -> QuerySet[Organization]:
    """The organisations whose books the user keeps."""
    return (
        organizations_with(user, Capability.REGISTER)
        .filter(hosted=True, active=True)
        .order_by("depth", "path")
    )


# --- The list --------------------------------------------------------------------------------------


STATUS_TABS = [("", "Tất cả", "all")] + [(value, label, value) for value, label in EntryStatus.choices]


@require_GET
def incoming_list(request: HtmxHttpRequest) -> HttpResponse:
    user = request.user
    get = request.GET
    organizations = list(organizations_with(user, Capability.READ).filter(hosted=True).order_by("path")[:200])
    organization = None
    if get.get("co_quan", "").isdigit():
        organization = next((o for o in organizations if o.pk == int(get["co_quan"])), None)
    status = get.get("trang_thai", "")
    status = status if status in EntryStatus.values else ""
    doc_type = get.get("loai", "").strip()[:12]
    urgency = get.get("do_khan", "")
    urgency = urgency if urgency in Urgency.values else ""
    q = get.get("q", "").strip()[:100]
    received_from = parse_date(get.get("tu_ngay", ""))
    received_to = parse_date(get.get("den_ngay", ""))
    date_error = ""
    if (get.get("tu_ngay") and received_from is None) or (get.get("den_ngay") and received_to is None):
        date_error = "Ngày phải viết theo dạng ngày/tháng/năm, ví dụ 05/11/2025."
    me = person_of(user)
    mine = get.get("cua_toi", "")
    filters: dict[str, Any] = {
        "organization": organization,
        "q": q or None,
        "received_from": received_from,
        "received_to": received_to,
        "doc_type": doc_type or None,
        "urgency": urgency or None,
    }
    if me is not None and mine == "trinh":
        filters["presented_to"] = me.pk
    elif me is not None and mine == "giao":
        filters["assigned_to"] = me.pk
    entries = selectors.incoming_list(user=user, status=status or None, **filters)
    page = CappedPaginator(entries, PER_PAGE).get_page(get.get("trang"))
    counts = selectors.incoming_counts(user=user, organization=organization)
    keep = {
        key: value
        for key, value in (
            ("co_quan", organization.pk if organization else ""),
            ("q", q),
            ("loai", doc_type),
            ("do_khan", urgency),
            ("tu_ngay", get.get("tu_ngay", "")),
            ("den_ngay", get.get("den_ngay", "")),
            ("cua_toi", mine),
        )
        if value
    }
    context = {
        "page": page,
        "counts": counts,
        "tabs": [(value, label, counts.get(key, 0)) for value, label, key in STATUS_TABS],
        "status": status,
        "organizations": organizations,
        "organization": organization,
        "q": q,
        "doc_type": doc_type,
        "urgency": urgency,
        "urgency_choices": Urgency.choices,
        "doc_type_choices": doc_type_choices()[1:],
        "tu_ngay": get.get("tu_ngay", ""),
        "den_ngay": get.get("den_ngay", ""),
        "mine": mine,
        "date_error": date_error,
        "query": urlencode({**keep, **({"trang_thai": status} if status else {})}),
        "tab_query": urlencode(keep),
        "can_register": register_organizations(user).exists(),
        "nav_active": "incoming",
    }
    if request.htmx:
        return render(request, "documents/incoming/_list_results.html", context)
    return render(request, "documents/incoming/list.html", context)


# --- Registering ------------------------------------------------------------------------------------


def _register_page(
    request: HttpRequest, *, arrival: Arrival | None = None, initial: dict[str, Any] | None = None
) -> HttpResponse:
    user = request.user
    organizations = list(register_organizations(user))
    if arrival is not None:
        organizations = [o for o in organizations if o.pk == arrival.organization_id]
    if not organizations:
        raise Http404
    if request.method == "POST":
        form = IncomingRegisterForm(request.POST, request.FILES, organizations=organizations)
        if form.is_valid():
            data = form.cleaned_data
            organization = next(
                (o for o in organizations if o.pk == data.get("organization")), organizations[0]
            )
            try:
                entry = services.incoming_register(
                    actor=user,
                    organization=organization,
                    symbol=data["symbol"],
                    subject=data["subject"],
                    issuer=form.issuer(),
                    issuer_name=data["issuer_name"],
                    issued_date=data["issued_date"],
                    doc_type=data["doc_type"],
                    urgency=data["urgency"],
                    classification=data["classification"],
                    received_at=data["received_at"],
                    channel=data["channel"],
                    signer_name=data["signer_name"],
                    signer_position=data["signer_position"],
                    page_count=data["page_count"],
                    files=data["files"],
                    arrival=arrival,
                    notes=data["notes"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            except PermissionDenied:
                raise Http404 from None
            else:
                messages.success(
                    request,
                    f"Đã vào sổ số đến {entry.number} — {entry.register.name}: {entry.document.symbol}.",
                )
                earlier = entry.duplicate_of
                if earlier is not None:
                    messages.warning(
                        request,
                        f"Văn bản này đã vào sổ trước đó, số đến {earlier.number} ngày "
                        f"{timezone.localtime(earlier.registered_at):%d/%m/%Y}.",
                    )
                if request.POST.get("action") == "next":
                    return redirect("documents:incoming_register")
                return redirect("documents:entry_detail", entry_id=entry.pk)
    else:
        form = IncomingRegisterForm(initial=initial or {}, organizations=organizations)
    default_org = organizations[0]
    context = {
        "form": form,
        "arrival": arrival,
        "frequent_issuers": selectors.frequent_issuers(organization=default_org),
        "reading": services.symbol_read(form["symbol"].value() or "") if form.is_bound else None,
        "nav_active": "incoming",
    }
    return render(request, "documents/incoming/register.html", context)


@require_http_methods(["GET", "POST"])
def incoming_register(request: HttpRequest) -> HttpResponse:
    return _register_page(request)


def _proposal_initial(proposal: dict[str, Any]) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for key in ("symbol", "doc_type", "issuer_name", "subject", "signer_name", "signer_position", "urgency"):
        if proposal.get(key):
            initial[key] = proposal[key]
    if proposal.get("issued_date"):
        with contextlib.suppress(ValueError):
            initial["issued_date"] = dt.date.fromisoformat(str(proposal["issued_date"])).strftime("%d/%m/%Y")
    code = proposal.get("classification")
    if code in CLASSIFICATION_BY_CODE:
        initial["classification"] = CLASSIFICATION_BY_CODE[code]
    return initial


@require_http_methods(["GET", "POST"])
def incoming_from_arrival(request: HttpRequest, arrival_id: int) -> HttpResponse:
    arrival = (
        Arrival.objects.filter(
            organization__in=register_organizations(request.user), state=ArrivalState.WAITING, pk=arrival_id
        )
        .defer("text")
        .first()
    )
    if arrival is None:
        raise Http404
    initial = _proposal_initial(arrival.proposal or {})
    initial["received_at"] = timezone.localtime(arrival.received_at).strftime("%d/%m/%Y %H:%M")
    return _register_page(request, arrival=arrival, initial=initial)


@require_GET
def incoming_parse_symbol(request: HttpRequest) -> HttpResponse:
    """What the typed symbol says (htmx, as the clerk types): type, number, issuer; and an
    earlier registration of the same document once issuer, symbol and date are known."""
    organizations = list(register_organizations(request.user))
    if not organizations:
        raise Http404
    get = request.GET
    organization = organizations[0]
    if get.get("organization", "").isdigit():
        organization = next((o for o in organizations if o.pk == int(get["organization"])), organization)
    symbol = get.get("symbol", "").strip()[:100]
    reading = services.symbol_read(symbol)
    issuer = None
    if reading.parsed:
        issuer = services.issuer_resolve(
            abbreviation=reading.parsed.issuer_abbreviation,
            organization=organization,
            doc_type=reading.parsed.effective_doc_type,
        )
    issuer_name = get.get("issuer_name", "").strip()[:255]
    issued_date = parse_date(get.get("issued_date", ""))
    duplicate = None
    if symbol and issued_date:
        duplicate = services.incoming_find_duplicate(
            organization=organization,
            symbol=symbol,
            issued_date=issued_date,
            issuer=None if issuer_name else issuer,
            issuer_name=issuer_name,
        )
        if (
            duplicate is not None
            and not selectors.incoming_list(user=request.user).filter(pk=duplicate.pk).exists()
        ):
            duplicate = None
    doc_type = reading.parsed.effective_doc_type if reading.parsed else None
    context = {
        "reading": reading,
        "doc_type": doc_type,
        "doc_type_name": doctypes.name_of(doc_type, reading.parsed.style)
        if doc_type and reading.parsed
        else "",
        "issuer": issuer,
        # "/TW": one of three bodies, proposed by type (or as chosen last): the clerk may change it.
        "issuer_proposed": bool(issuer and reading.parsed and reading.parsed.issuer_abbreviation == "TW"),
        "duplicate": duplicate,
    }
    return render(request, "documents/incoming/_symbol_info.html", context)


# --- Actions on an entry -----------------------------------------------------------------------------


def _entry_for_action(request: HttpRequest, entry_id: int) -> RegisterEntry:
    return get_entry_for_user(
        request.user, entry_id, RegisterEntry.objects.select_related("document", "organization", "register")
    )


def _back(entry: RegisterEntry) -> HttpResponse:
    return redirect("documents:entry_detail", entry_id=entry.pk)


def _render_entry_page(request: HttpRequest, entry: RegisterEntry, **forms: Any) -> HttpResponse:
    from vanphong.documents.views.document import render_document_page

    return render_document_page(request, entry.document, current_entry=entry, status=400, **forms)


@require_POST
def incoming_present_view(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _entry_for_action(request, entry_id)
    people = leaders_for(entry)
    form = PresentForm(request.POST, people=people)
    if form.is_valid():
        person = people.filter(pk=form.cleaned_data["to_person"]).first()
        try:
            if person is None:
                raise ValidationError({"to_person": "Hãy chọn lãnh đạo để trình."})
            services.incoming_present(
                actor=request.user, entry=entry, to_person=person, note=form.cleaned_data["note"]
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Đã trình văn bản đồng chí {person.full_name}.")
            return _back(entry)
    return _render_entry_page(request, entry, present_form=form)


@require_POST
def incoming_direct_view(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _entry_for_action(request, entry_id)
    targets = direction_targets(entry)
    form = DirectionForm(request.POST)
    rows = AssignmentFormSet(request.POST, prefix="pc", form_kwargs={"targets": targets})
    if form.is_valid() and rows.is_valid():
        assignments = [a for a in (row.assignment() for row in rows) if a is not None]
        try:
            services.incoming_direct(
                actor=request.user, entry=entry, text=form.cleaned_data["text"], assignments=assignments
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Đã ghi ý kiến chỉ đạo.")
            return _back(entry)
    return _render_entry_page(request, entry, direction_form=form, assignment_rows=rows)


@require_POST
def incoming_processed_view(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = _entry_for_action(request, entry_id)
    replies = reply_candidates(entry)
    form = ProcessedForm(request.POST, replies=replies)
    if form.is_valid():
        reply = None
        if form.cleaned_data["reply"]:
            reply = Document.objects.filter(pk=form.cleaned_data["reply"]).first()
        try:
            services.incoming_mark_processed(
                actor=request.user, entry=entry, reply=reply, note=form.cleaned_data["note"]
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Đã đánh dấu văn bản xử lý xong.")
            return _back(entry)
    return _render_entry_page(request, entry, processed_form=form)


# --- Pending work on the home page ------------------------------------------------------------------


def _items(entries: list[RegisterEntry]) -> tuple[tuple[str, str], ...]:
    return tuple(
        (
            f"{e.document.symbol or 'Không số'} — {Truncator(e.document.subject).chars(70)}",
            reverse("documents:entry_detail", kwargs={"entry_id": e.pk}),
        )
        for e in entries
    )


@pending.register("documents.to_present")
def pending_to_present(user: Actor) -> pending.PendingGroup | None:
    if not scope_for(user).grants_for(Capability.REGISTER):
        return None
    orgs = register_organizations(user)
    entries, total = first_with_total(
        selectors.incoming_list(user=user).filter(organization__in=orgs, status=EntryStatus.REGISTERED)
    )
    url = reverse("documents:incoming_list") + "?trang_thai=registered"
    return pending.PendingGroup("documents.to_present", "Văn bản đến chờ trình", total, url, _items(entries))


@pending.register("documents.to_direct")
def pending_to_direct(user: Actor) -> pending.PendingGroup | None:
    me = person_of(user)
    if me is None:
        return None
    entries, total = first_with_total(selectors.incoming_list(user=user, presented_to=me.pk))
    url = reverse("documents:incoming_list") + "?cua_toi=trinh"
    return pending.PendingGroup("documents.to_direct", "Văn bản chờ cho ý kiến", total, url, _items(entries))


@pending.register("documents.assigned")
def pending_assigned(user: Actor) -> pending.PendingGroup | None:
    me = person_of(user)
    if me is None:
        return None
    entries, total = first_with_total(selectors.incoming_list(user=user, assigned_to=me.pk))
    url = reverse("documents:incoming_list") + "?cua_toi=giao"
    return pending.PendingGroup("documents.assigned", "Văn bản được giao xử lý", total, url, _items(entries))
