"""Pages of the registers flow: an organisation's books with their numbering policy and
counters, opening and editing books, committee terms, printing a register, and the readers
panel of a classified document (with granting reading by name).

Each view: parse, fetch through the access layer (404 outside reach), one service call,
render."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vanphong.documents import panels, printing, readers
from vanphong.documents.access import get_document_for_user
from vanphong.documents.forms.registers import (
    DefaultsForm,
    PrintForm,
    ReaderGrantForm,
    RegisterForm,
    TermForm,
)
from vanphong.documents.models import Document, Register, RegisterCounter, RegisterEntry, Term
from vanphong.documents.services import registers as services
from vanphong.orgs.access import Capability, organizations_with, scope_for
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import Classification, Organization, Person

NAV = "registers"


# --- Fetching ----------------------------------------------------------------------------------


def _organizations(user: Actor) -> QuerySet[Organization]:
    """Hosted organisations whose books ``user`` may look at."""
    return organizations_with(user, Capability.READ).filter(hosted=True, active=True).order_by("path")


def _chosen_organization(request: HttpRequest) -> Organization:
    orgs = _organizations(request.user)
    param = request.GET.get("to_chuc", "") or request.POST.get("to_chuc", "")
    if param:
        if not param.isdigit():
            raise Http404
        org = orgs.filter(pk=int(param)).first()
        if org is None:
            raise Http404
        return org
    keeper = orgs.filter(scope_for(request.user).org_q(Capability.REGISTER)).first()
    org = keeper or orgs.first()
    if org is None:
        raise Http404
    return org


def _configurable_organization(request: HttpRequest) -> Organization:
    org = _chosen_organization(request)
    if not services.may_configure(request.user, org):
        raise Http404
    return org


def _register_or_404(user: Actor, pk: int) -> Register:
    register = services.registers_visible_to(user).select_related("organization").filter(pk=pk).first()
    if register is None:
        raise Http404
    return register


def _configurable_register(user: Actor, pk: int) -> Register:
    register = _register_or_404(user, pk)
    if not services.may_configure(user, register.organization):
        raise Http404
    return register


def _list_url(org: Organization) -> str:
    return f"{reverse('documents:register_list')}?to_chuc={org.pk}"


# --- Registers ---------------------------------------------------------------------------------


@require_GET
def register_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    org = _chosen_organization(request)
    today = timezone.localdate()
    term = services.current_term(org, today)
    registers = list(
        services.registers_visible_to(user)
        .filter(organization=org)
        .annotate(entry_count=Count("entries"))
        .order_by("kind", "order", "name")
    )
    counters: dict[int, list[RegisterCounter]] = defaultdict(list)
    for counter in RegisterCounter.objects.filter(register__in=[r.pk for r in registers]).order_by("series"):
        counters[counter.register_id].append(counter)
    for register in registers:
        register.policy = services.policy_words(register, term)  # type: ignore[attr-defined]  # for the template
        key = services.current_series_key(register, today, term)
        register.current_counters = [  # type: ignore[attr-defined]  # for the template
            (services.series_words(register, c.series), c.last_number)
            for c in counters[register.pk]
            if key is not None and (c.series == key or c.series.startswith(f"{key}|"))
        ]
    context = {
        "org": org,
        "organizations": _organizations(user),
        "registers": registers,
        "term": term,
        "terms": Term.objects.filter(organization=org).order_by("-starts_on"),
        "configurable": services.may_configure(user, org),
        "nav_active": NAV,
    }
    return render(request, "documents/registers/register_list.html", context)


@require_http_methods(["GET", "POST"])
def register_create(request: HttpRequest) -> HttpResponse:
    org = _configurable_organization(request)
    if request.method == "POST":
        form = RegisterForm(request.POST)
        if form.is_valid():
            try:
                register = services.register_create(
                    actor=request.user, organization=org, **form.register_fields()
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, f"Đã mở sổ “{register.name}”.")
                return redirect(_list_url(org))
    else:
        form = RegisterForm(initial={"style": "party", "reset": "year", "order": 0})
    context = {"form": form, "org": org, "register": None, "nav_active": NAV}
    return render(request, "documents/registers/register_form.html", context)


@require_http_methods(["GET", "POST"])
def register_edit(request: HttpRequest, pk: int) -> HttpResponse:
    register = _configurable_register(request.user, pk)
    locked = RegisterEntry.objects.filter(register=register).exists()
    initial = RegisterForm.initial_for(register)
    if request.method == "POST":
        form = RegisterForm(request.POST, initial=initial, locked=locked)
        if form.is_valid():
            try:
                services.register_update(actor=request.user, register=register, **form.register_fields())
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, f"Đã lưu sổ “{form.cleaned_data['name']}”.")
                return redirect(_list_url(register.organization))
    else:
        form = RegisterForm(initial=initial, locked=locked)
    context = {
        "form": form,
        "org": register.organization,
        "register": register,
        "locked": locked,
        "nav_active": NAV,
    }
    return render(request, "documents/registers/register_form.html", context)


@require_POST
def register_close(request: HttpRequest, pk: int) -> HttpResponse:
    register = _configurable_register(request.user, pk)
    try:
        services.register_close(actor=request.user, register=register)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Đã đóng sổ “{register.name}”: không vào sổ này thêm văn bản nào nữa.")
    return redirect(_list_url(register.organization))


@require_http_methods(["GET", "POST"])
def registers_defaults(request: HttpRequest) -> HttpResponse:
    org = _configurable_organization(request)
    if request.method == "POST":
        form = DefaultsForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.registers_open_defaults(
                    actor=request.user,
                    organization=org,
                    style=data["style"],
                    term_name=data["term_name"],
                    term_start=data["term_start"],
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, "Đã mở các sổ mặc định.")
                return redirect(_list_url(org))
    else:
        form = DefaultsForm(initial={"style": "party"})
    context = {"form": form, "org": org, "nav_active": NAV}
    return render(request, "documents/registers/defaults_form.html", context)


@require_http_methods(["GET", "POST"])
def term_create(request: HttpRequest) -> HttpResponse:
    org = _configurable_organization(request)
    if request.method == "POST":
        form = TermForm(request.POST)
        if form.is_valid():
            try:
                term = services.term_create(
                    actor=request.user,
                    organization=org,
                    name=form.cleaned_data["name"],
                    starts_on=form.cleaned_data["starts_on"],
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, f"Đã khai báo nhiệm kỳ {term.name}.")
                return redirect(_list_url(org))
    else:
        form = TermForm()
    context = {
        "form": form,
        "org": org,
        "terms": Term.objects.filter(organization=org).order_by("-starts_on"),
        "nav_active": NAV,
    }
    return render(request, "documents/registers/term_form.html", context)


@require_GET
def register_print(request: HttpRequest, pk: int) -> HttpResponseBase:
    register = _register_or_404(request.user, pk)
    if "fmt" in request.GET:
        form = PrintForm(request.GET, register=register)
        if form.is_valid():
            data = form.cleaned_data
            try:
                output = printing.register_print(
                    actor=request.user,
                    register=register,
                    layout=data["layout"],
                    fmt=data["fmt"],
                    date_from=data["date_from"],
                    date_to=data["date_to"],
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                return FileResponse(
                    output.file,
                    as_attachment=True,
                    filename=output.filename,
                    content_type=output.content_type,
                )
    else:
        form = PrintForm(register=register)
    context = {"form": form, "register": register, "org": register.organization, "nav_active": NAV}
    return render(request, "documents/registers/print_form.html", context)


# --- Readers of a classified document -----------------------------------------------------------


def _document_url(document: Document) -> str:
    try:
        return reverse("documents:document_detail", args=[document.pk])
    except NoReverseMatch:  # the document page is served by the incoming flow
        return reverse("documents:register_list")


def _readers_context(request: HttpRequest, document: Document, form: ReaderGrantForm | None = None) -> dict:
    people = readers.grantable_people(request.user, document)
    return {
        "document": document,
        "readers": readers.readers_of(document),
        "grant_form": form or ReaderGrantForm(people=people),
        "classification_label": Classification(document.classification).label,
    }


@panels.register("readers", order=40)
def readers_panel(request: HttpRequest, document: Any) -> panels.Panel | None:
    """ "Những người được xem văn bản này": for classified documents, to their keepers and leaders."""
    if document.classification <= Classification.NONE or not readers.may_manage_readers(
        request.user, document
    ):
        return None
    return panels.Panel(
        key="readers",
        title="Những người được xem văn bản này",
        template="documents/registers/_readers_panel.html",
        context=_readers_context(request, document),
    )


def _manageable_document(request: HttpRequest, pk: int) -> Document:
    document = get_document_for_user(request.user, pk)
    if not readers.may_manage_readers(request.user, document):
        raise Http404
    return document


@require_http_methods(["GET", "POST"])
def document_readers(request: HttpRequest, pk: int) -> HttpResponse:
    """The readers panel as a page of its own, and where its grant form posts."""
    document = _manageable_document(request, pk)
    form = None
    if request.method == "POST":
        form = ReaderGrantForm(request.POST, people=readers.grantable_people(request.user, document))
        if form.is_valid():
            person = form.cleaned_data["person"]
            try:
                readers.reader_grant(actor=request.user, document=document, person=person)
            except ValidationError as exc:
                form.add_service_errors(exc)
            except PermissionDenied as exc:
                raise Http404 from exc
            else:
                messages.success(request, f"Đã cho phép {person.full_name} đọc văn bản này.")
                return redirect(reverse("documents:document_readers", args=[document.pk]))
    context = {
        **_readers_context(request, document, form),
        "nav_active": NAV,
        "document_url": _document_url(document),
    }
    return render(
        request,
        "documents/registers/document_readers.html",
        context,
        status=400 if form and form.errors else 200,
    )


@require_POST
def reader_revoke(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    document = _manageable_document(request, pk)
    person = Person.objects.filter(pk=person_pk).first()
    if person is None:
        raise Http404
    try:
        readers.reader_revoke(actor=request.user, document=document, person=person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Đã thu hồi quyền đọc của {person.full_name}.")
    return redirect(reverse("documents:document_readers", args=[document.pk]))
