"""Pages of the organisation directory, people, roles, delegations and staffing.

Each view: parse the request, fetch through the access layer (404 outside reach), make one
service call, render. A list with filters answers the full page or, for htmx, the partial
that the full page also includes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vanphong.core.http import HtmxHttpRequest
from vanphong.core.paging import CappedPaginator
from vanphong.orgs import services
from vanphong.orgs.access import Capability, can, get_for_user, organizations_with, scope_for
from vanphong.orgs.actors import Actor, person_of
from vanphong.orgs.forms import (
    DelegationForm,
    PersonCreateForm,
    PersonEditForm,
    QuotaForm,
    RoleAssignForm,
    RoleEndForm,
)
from vanphong.orgs.models import Delegation, Organization, Person, Role, RoleAssignment, StaffQuota, Unit
from vanphong.orgs.selectors import (
    current_roles_prefetch,
    organization_list,
    person_get,
    person_list,
    staffing_rows,
    unit_list,
)

PEOPLE_PER_PAGE = 50


# --- Fetching through the access layer ---------------------------------------------------------


def _organization_or_404(user: Actor, pk: int) -> Organization:
    """An organisation of the directory (everyone with a role may look it up)."""
    org = organization_list(user=user).select_related("parent", "level").filter(pk=pk).first()
    if org is None:
        raise Http404
    return org


def _manageable_organization_or_404(user: Actor, pk: int) -> Organization:
    org = _organization_or_404(user, pk)
    if not can(user, Capability.MANAGE_PEOPLE, org):
        raise Http404
    return org


def _own_person(user: Actor) -> Person | None:
    return person_of(user)


def _person_or_404(user: Actor, pk: int) -> Person:
    """A person in the reader's reach; everyone may also open their own page."""
    try:
        return person_get(user=user, pk=pk)
    except Http404:
        own = _own_person(user)
        if own is None or own.pk != pk:
            raise
        return (
            Person.objects.select_related("organization", "unit", "position", "user")
            .prefetch_related(current_roles_prefetch())
            .get(pk=own.pk)
        )


def _manageable_person_or_404(user: Actor, pk: int) -> Person:
    person = _person_or_404(user, pk)
    if not can(user, Capability.MANAGE_PEOPLE, person.organization):
        raise Http404
    return person


def _delegable_roles(user: Actor, person: Person) -> Any:
    """The person's current roles that ``user`` may delegate: their own, or any role in an
    organisation where ``user`` manages people."""
    roles = RoleAssignment.objects.current().filter(person=person, person__active=True)
    own = _own_person(user)
    if own is not None and own.pk == person.pk:
        return roles
    return roles.filter(organization__in=organizations_with(user, Capability.MANAGE_PEOPLE))


def _page_number(request: HttpRequest) -> str:
    return request.GET.get("trang", "1")


# --- Directory and organisations ----------------------------------------------------------------


@require_GET
def directory(request: HtmxHttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    hosted = list(organization_list(user=request.user, hosted=True, q=q or None))
    external = list(organization_list(user=request.user, hosted=False, q=q or None))
    top = min((o.depth for o in hosted), default=0)
    for org in hosted:
        org.indent = min(org.depth - top + 1, 8)  # type: ignore[attr-defined]  # for the template
    context = {"q": q, "hosted": hosted, "external": external, "nav_active": "orgs", "tab": "directory"}
    if request.htmx:
        return render(request, "orgs/_directory_results.html", context)
    return render(request, "orgs/directory.html", context)


@require_GET
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    org = _organization_or_404(user, pk)
    readable = can(user, Capability.READ, org)
    context: dict[str, Any] = {
        "org": org,
        "readable": readable,
        "manageable": can(user, Capability.MANAGE_PEOPLE, org),
        "children": organization_list(user=user, parent=org),
        "nav_active": "orgs",
    }
    if org.parent_id:
        context["parent_visible"] = organization_list(user=user).filter(pk=org.parent_id).exists()
    if readable:
        counted = Q(people__active=True)
        context["units"] = unit_list(user=user, organization=org).annotate(
            people_count=Count("people", filter=counted)
        )
        quota = StaffQuota.objects.filter(organization=org, unit__isnull=True).first()
        context["approved"] = quota.approved if quota else None
        context["quota_decision"] = quota.decision if quota else ""
        filled = Person.objects.filter(organization=org, active=True, counts_toward_quota=True).count()
        context["filled"] = filled
        if quota is not None:
            context["quota_over"] = max(filled - quota.approved, 0)
            context["quota_vacant"] = max(quota.approved - filled, 0)
        people = person_list(user=user, organization=org)
        context["people"] = people[:PEOPLE_PER_PAGE]
        context["people_count"] = people.count()
        context["roles"] = (
            RoleAssignment.objects.current()
            .filter(organization=org, person__active=True)
            .select_related("person", "unit")
            .order_by("role", "person__full_name")
        )
        context["delegations"] = (
            Delegation.objects.current()
            .filter(role_assignment__organization=org)
            .select_related("role_assignment__person", "delegate")
            .order_by("ends_at")
        )
    return render(request, "orgs/organization_detail.html", context)


@require_GET
def staffing(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    rows = [
        (row, scope.reaches(Capability.MANAGE_PEOPLE, row.organization))
        for row in staffing_rows(user=request.user)
    ]
    org_rows = [row for row, _ in rows if row.unit is None]
    totals = {
        "approved": sum(r.approved for r in org_rows if r.approved is not None),
        "filled": sum(r.filled for r in org_rows),
        "vacant": sum(r.vacant or 0 for r in org_rows),
        "over": sum(r.over for r in org_rows),
        "without_quota": sum(1 for r in org_rows if r.approved is None),
    }
    context = {"rows": rows, "totals": totals, "nav_active": "staffing"}
    return render(request, "orgs/staffing.html", context)


# --- People --------------------------------------------------------------------------------------


@require_GET
def person_list_view(request: HtmxHttpRequest) -> HttpResponse:
    user = request.user
    q = request.GET.get("q", "").strip()[:100]
    role = request.GET.get("vai_tro", "")
    role = role if role in Role.values else ""
    include_left = request.GET.get("ca_nguoi_da_nghi") == "1"
    readable_orgs = organizations_with(user, Capability.READ).filter(hosted=True).order_by("path")
    organization = None
    org_param = request.GET.get("to_chuc", "")
    if org_param.isdigit():
        organization = readable_orgs.filter(pk=int(org_param)).first()
    unit = None
    unit_param = request.GET.get("phong", "")
    if organization is not None and unit_param.isdigit():
        unit = Unit.objects.filter(pk=int(unit_param), organization=organization).first()
    people = person_list(
        user=user,
        organization=organization,
        unit=unit,
        q=q or None,
        role=role or None,
        active=None if include_left else True,
    )
    page = CappedPaginator(people, PEOPLE_PER_PAGE).get_page(_page_number(request))
    query = request.GET.copy()
    query.pop("trang", None)
    context = {
        "page": page,
        "q": q,
        "role": role,
        "organization": organization,
        "unit": unit,
        "include_left": include_left,
        "organizations": readable_orgs,
        "role_choices": Role.choices,
        "query": query.urlencode(),
        "nav_active": "orgs",
        "tab": "people",
    }
    if request.htmx:
        return render(request, "orgs/_person_results.html", context)
    return render(request, "orgs/person_list.html", context)


def _person_detail_context(
    request: HttpRequest, person: Person, delegation_form: DelegationForm | None = None
) -> dict[str, Any]:
    user = request.user
    roles = _delegable_roles(user, person)
    if delegation_form is None and roles.exists():
        delegation_form = DelegationForm(roles=roles, holder=person, prefix="uq")
    own = _own_person(user)
    is_self = own is not None and own.pk == person.pk
    delegations = (
        Delegation.objects.filter(Q(role_assignment__person=person) | Q(delegate=person))
        .select_related("role_assignment__organization", "role_assignment__person", "delegate", "created_by")
        .order_by("-starts_at")[:50]
    )
    manage_orgs = set(organizations_with(user, Capability.MANAGE_PEOPLE).values_list("pk", flat=True))
    now = timezone.now()
    for d in delegations:
        if d.revoked_at is not None:
            status = "revoked"
        elif d.ends_at <= now:
            status = "over"
        else:
            status = "current" if d.starts_at <= now else "upcoming"
        given_by_self = is_self and d.role_assignment.person_id == person.pk
        d.status = status  # type: ignore[attr-defined]  # for the template
        d.revocable = status in {"current", "upcoming"} and (  # type: ignore[attr-defined]  # for the template
            given_by_self or d.role_assignment.organization_id in manage_orgs
        )
    past_roles = (
        RoleAssignment.objects.filter(person=person)
        .exclude(pk__in=[r.pk for r in person.current_roles])
        .select_related("organization", "unit")
        .order_by("-starts_on")
    )
    return {
        "person": person,
        "is_self": is_self,
        "manageable": can(user, Capability.MANAGE_PEOPLE, person.organization),
        "manage_orgs": manage_orgs,
        "past_roles": past_roles,
        "delegations": delegations,
        "delegation_form": delegation_form,
        "nav_active": "orgs",
    }


@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request.user, pk)
    return render(request, "orgs/person_detail.html", _person_detail_context(request, person))


@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest, pk: int) -> HttpResponse:
    org = _manageable_organization_or_404(request.user, pk)
    form = PersonCreateForm(request.POST or None, actor=request.user, organization=org)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=request.user, organization=org, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, f"Đã thêm cán bộ {person.full_name}.")
            return redirect("orgs:person_detail", pk=person.pk)
    return render(request, "orgs/person_form.html", {"form": form, "org": org, "nav_active": "orgs"})


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _manageable_person_or_404(request.user, pk)
    initial = {
        "full_name": person.full_name,
        "organization": person.organization_id,
        "unit": person.unit_id,
        "position": person.position_id,
        "clearance": person.clearance,
        "email": person.email,
        "phone": person.phone,
        "counts_toward_quota": person.counts_toward_quota,
    }
    form = PersonEditForm(request.POST or None, actor=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, f"Đã lưu thông tin của {person.full_name}.")
            return redirect("orgs:person_detail", pk=person.pk)
    return render(request, "orgs/person_form.html", {"form": form, "person": person, "nav_active": "orgs"})


@require_http_methods(["GET", "POST"])
def person_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    person = _manageable_person_or_404(request.user, pk)
    error = None
    if request.method == "POST":
        try:
            services.person_deactivate(actor=request.user, person=person)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request, f"{person.full_name} đã được ghi nhận thôi công tác; tài khoản đã khóa."
            )
            return redirect("orgs:person_detail", pk=person.pk)
    return render(
        request, "orgs/person_deactivate.html", {"person": person, "error": error, "nav_active": "orgs"}
    )


# --- Roles ---------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def role_assign(request: HttpRequest, pk: int) -> HttpResponse:
    org = _manageable_organization_or_404(request.user, pk)
    initial = {}
    if request.GET.get("can_bo", "").isdigit():
        initial["person"] = int(request.GET["can_bo"])
    form = RoleAssignForm(request.POST or None, actor=request.user, organization=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.role_assign(actor=request.user, organization=org, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                f"Đã giao vai trò {assignment.get_role_display()} tại {org.short_name} "
                f"cho {assignment.person.full_name}.",
            )
            return redirect("orgs:person_detail", pk=assignment.person_id)
    return render(request, "orgs/role_form.html", {"form": form, "org": org, "nav_active": "orgs"})


@require_http_methods(["GET", "POST"])
def role_end(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_for_user(
        RoleAssignment.objects.select_related("person", "organization", "unit"),
        request.user,
        pk,
        capability=Capability.MANAGE_PEOPLE,
        classification_field=None,
    )
    form = RoleEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_end(actor=request.user, assignment=assignment, on=form.cleaned_data["on"])
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                f"Vai trò {assignment.get_role_display()} của {assignment.person.full_name} "
                f"kết thúc ngày {assignment.ends_on:%d/%m/%Y}.",
            )
            return redirect("orgs:person_detail", pk=assignment.person_id)
    return render(
        request, "orgs/role_end.html", {"form": form, "assignment": assignment, "nav_active": "orgs"}
    )


# --- Delegations ---------------------------------------------------------------------------------


@require_POST
def delegation_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request.user, pk)
    roles = _delegable_roles(request.user, person)
    if not roles.exists():
        raise Http404
    form = DelegationForm(request.POST, roles=roles, holder=person, prefix="uq")
    if form.is_valid():
        try:
            delegation = services.delegation_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                f"Đã ủy quyền cho {delegation.delegate.full_name} "
                f"đến {timezone.localtime(delegation.ends_at):%H:%M %d/%m/%Y}.",
            )
            return redirect(reverse("orgs:person_detail", args=[person.pk]) + "#uy-quyen")
    context = _person_detail_context(request, person, delegation_form=form)
    return render(request, "orgs/person_detail.html", context, status=200)


@require_POST
def delegation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    own = _own_person(request.user)
    mine = Q(role_assignment__person_id=own.pk) if own is not None else None
    delegation = get_for_user(
        Delegation.objects.select_related(
            "role_assignment__organization", "role_assignment__person", "delegate"
        ),
        request.user,
        pk,
        capability=Capability.MANAGE_PEOPLE,
        org_field="role_assignment__organization",
        classification_field=None,
        extra=mine,
    )
    holder = delegation.role_assignment.person
    try:
        services.delegation_revoke(actor=request.user, delegation=delegation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Đã thu hồi ủy quyền cho {delegation.delegate.full_name}.")
    return redirect(reverse("orgs:person_detail", args=[holder.pk]) + "#uy-quyen")


# --- Staff quotas --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def quota_set(request: HttpRequest, pk: int) -> HttpResponse:
    org = _manageable_organization_or_404(request.user, pk)
    initial: dict[str, Any] = {}
    if request.method == "GET":
        unit_param = request.GET.get("phong", "")
        unit_id = int(unit_param) if unit_param.isdigit() else None
        quota = StaffQuota.objects.filter(organization=org, unit_id=unit_id).first()  # type: ignore[misc]  # unit_id=None: the organisation-wide quota
        initial = {"unit": unit_id}
        if quota is not None:
            initial.update(approved=quota.approved, decision=quota.decision)
    form = QuotaForm(request.POST or None, organization=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            quota = services.staff_quota_set(actor=request.user, organization=org, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            where = quota.unit.name if quota.unit else org.short_name
            messages.success(request, f"Đã giao {quota.approved} biên chế cho {where}.")
            return redirect("orgs:organization_detail", pk=org.pk)
    return render(request, "orgs/quota_form.html", {"form": form, "org": org, "nav_active": "staffing"})
