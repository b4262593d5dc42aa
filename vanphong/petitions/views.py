"""The officers' pages of the petitions book (sổ xử lý đơn thư) and the reception register
(sổ tiếp công dân), under /don-thu/. Each view reads through the selectors (404 outside
reach, the denouncer's identity masked there), reads its form, calls one service and, when
the service says no, shows the page again with the errors next to the fields. Every protected
identity shown is audited (``selectors.disclose``)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vanphong.core.forms import apply_errors, parse_date
from vanphong.core.http import HtmxHttpRequest, download_response
from vanphong.core.paging import CappedPaginator
from vanphong.documents.access import one_or_404
from vanphong.orgs.access import Capability, can, scope_for
from vanphong.orgs.models import Organization
from vanphong.petitions import browse, selectors, services
from vanphong.petitions.forms import (
    AssignForm,
    AttachForm,
    DecideForm,
    ExtendForm,
    PersonRows,
    PetitionRegisterForm,
    ReceptionForm,
    ReceptionLinkForm,
    ResultForm,
)
from vanphong.petitions.models import Kind, Petition, PetitionFileKind, State
from vanphong.tasks.sources import documents_visible_to, find_documents

NAV = "petitions"
PER_PAGE = 50


def _deadline(petition: Petition, today: dt.date) -> dict[str, Any] | None:
    """The deadline a row shows: processing while received, resolution while accepted."""
    if petition.state == State.RECEIVED:
        return {"label": "Hạn xử lý", "date": petition.process_by, "over": petition.process_by < today}
    if petition.state == State.ACCEPTED and petition.resolve_by is not None:
        return {"label": "Hạn giải quyết", "date": petition.resolve_by, "over": petition.resolve_by < today}
    return None


# The state in a list's narrow column (the full words in its title).
SHORT_STATES = {
    State.RECEIVED: "Chờ xử lý",
    State.ACCEPTED: "Đang giải quyết",
    State.TRANSFERRED: "Đã chuyển",
    State.GUIDED: "Đã hướng dẫn",
    State.FILED: "Đã lưu đơn",
    State.RESOLVED: "Đã giải quyết",
}


def _row(petition: Petition, today: dt.date) -> dict[str, Any]:
    return {
        "petition": petition,
        "short_state": SHORT_STATES.get(State(petition.state), petition.get_state_display()),
        "petitioners": selectors.shown_petitioners(petition),
        "masked": selectors.identity_protected(petition),
        "deadline": _deadline(petition, today),
    }


# --- The book --------------------------------------------------------------------------------


@require_GET
def petition_list(request: HtmxHttpRequest) -> HttpResponse:
    user = request.user
    get = request.GET
    today = timezone.localdate()
    year = get.get("nam", "")
    filters = browse.PetitionFilters(
        q=get.get("q", "").strip()[:100],
        kind=get.get("loai", "") if get.get("loai", "") in Kind.values else "",
        state=get.get("tinh_trang", "") if get.get("tinh_trang", "") in State.values else "",
        year=int(year) if year.isdigit() and len(year) == 4 else None,
        overdue=get.get(browse.OVERDUE) == "1",
        mine=get.get(browse.MINE) == "1",
        unassigned=get.get(browse.UNASSIGNED) == "1",
    )
    page = CappedPaginator(browse.petition_list(user, filters, today=today), PER_PAGE).get_page(
        get.get("trang")
    )
    rows = [_row(p, today) for p in page.object_list]
    selectors.disclose(user, page.object_list)
    keep = {
        key: value
        for key, value in (
            ("q", filters.q),
            ("loai", filters.kind),
            ("tinh_trang", filters.state),
            ("nam", str(filters.year or "")),
            (browse.OVERDUE, "1" if filters.overdue else ""),
            (browse.MINE, "1" if filters.mine else ""),
            (browse.UNASSIGNED, "1" if filters.unassigned else ""),
        )
        if value
    }
    context = {
        "page": page,
        "rows": rows,
        "filters": filters,
        "kinds": Kind.choices,
        "states": State.choices,
        "years": browse.years_of(user),
        "query": urlencode(keep),
        "may_register": bool(browse.writing_organizations(user)),
        "today": today,
        "nav_active": NAV,
    }
    if request.htmx:
        return render(request, "petitions/_petition_results.html", context)
    return render(request, "petitions/petition_list.html", context)


def _register_context(
    request: HttpRequest, form: PetitionRegisterForm, rows: PersonRows, row_errors: list[str]
) -> dict[str, Any]:
    return {
        "form": form,
        "rows": rows.rows,
        "row_errors": row_errors,
        "fields_used": browse.fields_used(request.user),
        "localities_used": browse.localities_used(request.user),
        "files_lost": form.is_bound and bool(request.FILES),
        "nav_active": NAV,
    }


def _chosen(organizations: list[Organization], raw: Any, default: Organization | None) -> Organization | None:
    try:
        wanted = int(raw)
    except (TypeError, ValueError):
        return default
    return next((o for o in organizations if o.pk == wanted), default)


@require_http_methods(["GET", "POST"])
def petition_register(request: HttpRequest) -> HttpResponse:
    user = request.user
    organizations = browse.writing_organizations(user)
    if not organizations:
        raise Http404
    default = browse.default_organization(user, organizations)
    posted = request.POST if request.method == "POST" else None
    organization = _chosen(organizations, posted.get("organization") if posted else None, default)
    assert organization is not None  # organizations is not empty
    form = PetitionRegisterForm(
        posted,
        request.FILES or None,
        organizations=organizations,
        handlers=browse.staff_of(organization),
        initial={"organization": organization.pk, "received_date": timezone.localdate().strftime("%d/%m/%Y")},
    )
    rows = PersonRows(posted, "petitioner", add="add_row" in (posted or {}))
    row_errors: list[str] = []
    if posted is not None and "add_row" not in posted and form.is_valid():
        data = form.cleaned_data
        try:
            petition = services.petition_register(
                actor=user,
                organization=organization,
                received_date=data["received_date"],
                channel=data["channel"],
                kind=data["kind"],
                content=data["content"],
                petitioners=rows.specs(),
                respondent=data["respondent"],
                field=data["field"],
                locality=data["locality"],
                complex_case=data["complex_case"],
                remote_area=data["remote_area"],
                against_party_member=data["against_party_member"],
                handler=data["handler"],
                files=data["files"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                row_errors = _messages(error.error_dict.pop("petitioners", []))
            apply_errors(form, error, aliases={"complex": "complex_case"})
        except PermissionDenied:
            raise Http404 from None
        else:
            # Only the links the registrar may see: a count including a masked denunciation
            # would tell who denounced (they have just typed the person's name).
            earlier = len(
                selectors.shown_related(selectors.petition_detail(request.user).get(pk=petition.pk))
            )
            text = (
                f"Đã vào sổ đơn số {petition.number}/{petition.year} ({petition.get_kind_display().lower()})."
            )
            if earlier:
                text += f" Đơn trước cùng nội dung: {earlier}."
            messages.success(request, text)
            return redirect("petitions:petition_detail", petition.pk)
    status = 400 if posted is not None and (form.errors or row_errors) else 200
    return render(
        request,
        "petitions/petition_register.html",
        _register_context(request, form, rows, row_errors),
        status=status,
    )


def _messages(errors: list[Any]) -> list[str]:
    out: list[str] = []
    for e in errors:
        if isinstance(e, ValidationError):
            out.extend(str(m) for m in e.messages)
        else:
            out.append(str(e))
    return out


# --- One petition ------------------------------------------------------------------------------


def _get(request: HttpRequest, petition_id: int) -> Petition:
    return one_or_404(
        selectors.petition_detail(request.user).select_related(
            "handler", "registered_by", "decided_by", "result_document", "process_task", "resolve_task"
        ),
        petition_id,
    )


def _history(request: HttpRequest, petition: Petition) -> tuple[list[Petition], list[Petition]]:
    """The earlier and later letters of the same person on the same matter the reader may see
    linked (both identities visible to them), with what the history shows of each."""
    earlier = selectors.shown_related(petition)
    later = (
        [p.pk for p in getattr(petition, "readable_later", []) if getattr(p, "identity_visible", False)]
        if getattr(petition, "identity_visible", False)
        else []
    )
    if not earlier and not later:
        return [], []
    found = {
        p.pk: p
        for p in selectors.petitions_visible_to(request.user)
        .filter(pk__in=[*earlier, *later])
        .only("pk", "number", "year", "received_date", "kind", "state", "result", "action", "content")
    }
    return (
        sorted((found[i] for i in earlier if i in found), key=lambda p: (p.received_date, p.pk)),
        sorted((found[i] for i in later if i in found), key=lambda p: (p.received_date, p.pk)),
    )


def _may_work(request: HttpRequest, petition: Petition) -> bool:
    return services.may_work_on(request.user, petition)


def _render_detail(
    request: HttpRequest, petition: Petition, *, status: int = 200, **forms: Any
) -> HttpResponse:
    user = request.user
    may_work = _may_work(request, petition)
    may_assign = petition.state in services.OPEN_TO_ASSIGN and services.may_assign(
        user, petition.organization
    )
    decide = forms.get("decide_form")
    if decide is None and may_work and petition.state == State.RECEIVED:
        decide = DecideForm(targets=browse.transfer_targets(petition.organization))
    assign = forms.get("assign_form")
    if assign is None and may_assign:
        assign = AssignForm(
            handlers=browse.staff_of(petition.organization), initial={"handler": petition.handler_id}
        )
    accepted = petition.state == State.ACCEPTED and may_work
    may_extend = (
        petition.state == State.ACCEPTED
        and petition.resolve_by is not None
        and can(user, Capability.DIRECT, petition.organization)
    )
    extend = forms.get("extend_form") or (ExtendForm() if may_extend else None)
    result = forms.get("result_form") or (ResultForm() if accepted else None)
    earlier, later = _history(request, petition)
    files = selectors.shown_files(petition)
    petitioners = selectors.shown_petitioners(petition)
    selectors.disclose(user, [petition])
    receptions = list(
        browse.receptions_visible_to(user).filter(petition=petition).select_related("receiving_person")
    )
    me = scope_for(user).person_id
    context = {
        "petition": petition,
        "petitioners": petitioners,
        "masked": selectors.identity_protected(petition),
        "earlier": earlier,
        "later": later,
        "attachments": [f for f in files if f.kind == PetitionFileKind.ATTACHMENT],
        "letters": [f for f in files if f.kind == PetitionFileKind.LETTER],
        "receptions": receptions,
        "deadline": _deadline(petition, timezone.localdate()),
        "decide_form": decide,
        "assign_form": assign,
        "extend_form": extend,
        "result_form": result,
        "is_handler": me is not None and petition.handler_id == me,
        # Shown only to a reader of the document (it may be classified, chosen by the handler).
        "result_document": documents_visible_to(user).filter(pk=petition.result_document_id).first()
        if petition.result_document_id
        else None,
        "attach_form": forms.get("attach_form")
        or (AttachForm() if may_work and not selectors.identity_protected(petition) else None),
        "nav_active": NAV,
    }
    return render(request, "petitions/petition_detail.html", context, status=status)


@require_GET
def petition_detail(request: HttpRequest, petition_id: int) -> HttpResponse:
    return _render_detail(request, _get(request, petition_id))


def _refused(
    request: HttpRequest, petition_id: int, name: str, form: Any, error: ValidationError
) -> HttpResponse:
    apply_errors(form, error)
    return _render_detail(request, _get(request, petition_id), status=400, **{name: form})


@require_POST
def petition_decide(request: HttpRequest, petition_id: int) -> HttpResponse:
    petition = _get(request, petition_id)
    form = DecideForm(request.POST, targets=browse.transfer_targets(petition.organization))
    if not form.is_valid():
        return _render_detail(request, petition, status=400, decide_form=form)
    data = form.cleaned_data
    try:
        done = services.petition_decide(
            actor=request.user,
            petition=petition,
            action=data["action"],
            to_organization=data["to_organization"],
            reason=data["reason"],
        )
    except ValidationError as error:
        return _refused(request, petition_id, "decide_form", form, error)
    messages.success(
        request, f"Đã xử lý đơn số {done.number}/{done.year}: {done.get_state_display().lower()}."
    )
    return redirect("petitions:petition_detail", petition_id)


@require_POST
def petition_assign(request: HttpRequest, petition_id: int) -> HttpResponse:
    petition = _get(request, petition_id)
    form = AssignForm(request.POST, handlers=browse.staff_of(petition.organization))
    if not form.is_valid():
        return _render_detail(request, petition, status=400, assign_form=form)
    try:
        done = services.petition_assign(
            actor=request.user, petition=petition, handler=form.cleaned_data["handler"]
        )
    except ValidationError as error:
        return _refused(request, petition_id, "assign_form", form, error)
    assert done.handler is not None
    messages.success(request, f"Đã giao {done.handler.full_name} xử lý đơn số {done.number}/{done.year}.")
    return redirect("petitions:petition_detail", petition_id)


@require_POST
def petition_extend(request: HttpRequest, petition_id: int) -> HttpResponse:
    petition = _get(request, petition_id)
    form = ExtendForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, petition, status=400, extend_form=form)
    try:
        done = services.petition_extend(
            actor=request.user, petition=petition, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        return _refused(request, petition_id, "extend_form", form, error)
    messages.success(request, f"Đã gia hạn giải quyết đến ngày {done.resolve_by:%d/%m/%Y}.")
    return redirect("petitions:petition_detail", petition_id)


@require_POST
def petition_attach(request: HttpRequest, petition_id: int) -> HttpResponse:
    """Add files to the petition's record (``services.petition_attach``)."""
    petition = _get(request, petition_id)
    form = AttachForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_detail(request, petition, status=400, attach_form=form)
    try:
        added = services.petition_attach(
            actor=request.user, petition=petition, files=form.cleaned_data["files"]
        )
    except ValidationError as error:
        return _refused(request, petition_id, "attach_form", form, error)
    messages.success(request, f"Đã bổ sung {len(added)} tệp.")
    return redirect("petitions:petition_detail", petition_id)


@require_POST
def petition_result(request: HttpRequest, petition_id: int) -> HttpResponse:
    petition = _get(request, petition_id)
    form = ResultForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, petition, status=400, result_form=form)
    data = form.cleaned_data
    document = None
    if data["document"]:
        found = find_documents(request.user, data["document"], exact=True, limit=2)
        if len(found) != 1:
            form.add_error(
                "document",
                "Không tìm thấy văn bản này (hoặc đồng chí không được xem)."
                if not found
                else "Có nhiều văn bản cùng số, ký hiệu này: hãy nhập mã số văn bản.",
            )
            return _render_detail(request, petition, status=400, result_form=form)
        document = found[0]
    try:
        done = services.petition_result(
            actor=request.user,
            petition=petition,
            result=data["result"],
            summary=data["summary"],
            document=document,
        )
    except ValidationError as error:
        return _refused(request, petition_id, "result_form", form, error)
    messages.success(request, f"Đã ghi kết quả giải quyết đơn số {done.number}/{done.year}.")
    return redirect("petitions:petition_detail", petition_id)


@require_GET
def petition_file(request: HttpRequest, petition_id: int, file_id: int) -> FileResponse:
    record = selectors.readable_file(request.user, petition_id, file_id)
    if record is None:
        raise Http404
    try:
        handle = record.file.open("rb")
    except FileNotFoundError:  # the row without its bytes (a storage restored short): not a 500
        raise Http404 from None
    response = download_response(
        handle,
        name=record.original_name,
        content_type=record.content_type,
        sha256=record.sha256,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- The reception register ------------------------------------------------------------------


@require_GET
def reception_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    get = request.GET
    start = parse_date(get.get("tu_ngay", ""))
    end = parse_date(get.get("den_ngay", ""))
    date_error = ""
    if (get.get("tu_ngay") and start is None) or (get.get("den_ngay") and end is None):
        date_error = "Ngày phải viết theo dạng ngày/tháng/năm, ví dụ 05/11/2025."
    page = CappedPaginator(browse.reception_list(user, start=start, end=end), PER_PAGE).get_page(
        get.get("trang")
    )
    visits = list(page.object_list)
    keep = {k: get.get(k, "") for k in ("tu_ngay", "den_ngay") if get.get(k)}
    context = {
        "page": page,
        "rows": browse.reception_rows(user, visits),  # three queries for the page
        "tu_ngay": get.get("tu_ngay", ""),
        "den_ngay": get.get("den_ngay", ""),
        "date_error": date_error,
        "query": urlencode(keep),
        "may_record": bool(browse.writing_organizations(user)),
        "nav_active": NAV,
    }
    return render(request, "petitions/reception_list.html", context)


def _reception_petition(
    request: HttpRequest, organization: Organization, key: tuple[int, int] | None
) -> tuple[Petition | None, bool]:
    if key is None:
        return None, True
    number, year = key
    found = (
        selectors.petitions_visible_to(request.user)
        .filter(organization=organization, number=number, year=year)
        .first()
    )
    return found, found is not None


@require_http_methods(["GET", "POST"])
def reception_record(request: HttpRequest) -> HttpResponse:
    user = request.user
    organizations = browse.writing_organizations(user)
    if not organizations:
        raise Http404
    posted = request.POST if request.method == "POST" else None
    organization = _chosen(
        organizations,
        posted.get("organization") if posted else None,
        browse.default_organization(user, organizations),
    )
    assert organization is not None
    day = parse_date(posted.get("date", "")) if posted else None
    today = timezone.localdate()
    me = scope_for(user).person_id
    form = ReceptionForm(
        posted,
        organizations=organizations,
        people=browse.staff_of(organization),
        sessions=browse.sessions_around(organization, day or today),
        initial={"organization": organization.pk, "date": today.strftime("%d/%m/%Y"), "receiving_person": me},
    )
    rows = PersonRows(posted, "citizen", add="add_row" in (posted or {}))
    row_errors: list[str] = []
    if posted is not None and "add_row" not in posted and form.is_valid():
        data = form.cleaned_data
        petition, found = _reception_petition(request, organization, data["petition"])
        if not found:
            form.add_error("petition", "Không tìm thấy đơn số này trong sổ đơn thư của cơ quan.")
        else:
            try:
                services.reception_record(
                    actor=user,
                    organization=organization,
                    date=data["date"],
                    receiving_person=data["receiving_person"],
                    citizens=rows.specs(),
                    content=data["content"],
                    outcome=data["outcome"],
                    citizen_count=data["citizen_count"],
                    petition=petition,
                    documents_received=data["documents_received"],
                    session=data["session"],
                    confidential=data["confidential"],
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    row_errors = _messages(error.error_dict.pop("citizens", []))
                apply_errors(form, error)
            except PermissionDenied:
                raise Http404 from None
            else:
                messages.success(request, f"Đã ghi sổ tiếp công dân ngày {data['date']:%d/%m/%Y}.")
                return redirect("petitions:reception_list")
    status = 400 if posted is not None and (form.errors or row_errors) else 200
    return render(
        request,
        "petitions/reception_record.html",
        {"form": form, "rows": rows.rows, "row_errors": row_errors, "nav_active": NAV},
        status=status,
    )


@require_POST
def reception_link(request: HttpRequest, reception_id: int) -> HttpResponse:
    """Link a visit of the register to its petition ("số/năm" of the same book), from the
    list's row."""
    user = request.user
    visit = one_or_404(browse.receptions_visible_to(user).select_related("organization"), reception_id)
    form = ReceptionLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for m in form.errors["petition"]))
        return redirect("petitions:reception_list")
    petition, _found = _reception_petition(request, visit.organization, form.cleaned_data["petition"])
    if petition is None:
        messages.error(request, "Không tìm thấy đơn số này trong sổ đơn thư của cơ quan.")
        return redirect("petitions:reception_list")
    try:
        services.reception_link(actor=user, reception=visit, petition=petition)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("petitions:reception_list")
    messages.success(
        request, f"Đã gắn lượt tiếp ngày {visit.date:%d/%m/%Y} với đơn số {petition.number}/{petition.year}."
    )
    return redirect("petitions:reception_list")
