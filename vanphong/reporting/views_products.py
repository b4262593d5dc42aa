"""The pages of the information products, under /bao-cao/ban-tin/: the list and a new
product from a template, the composing page (the candidates of each section beside the chosen
items, each line editable), the move into the outgoing flow, and the templates the Văn
phòng edits. Each view reads through ``product_sources`` (404 outside reach) and calls one
function of ``products``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vanphong.core.forms import apply_errors
from vanphong.core.paging import CappedPaginator
from vanphong.documents.access import one_or_404
from vanphong.orgs.models import Organization
from vanphong.reporting import product_sources, products
from vanphong.reporting.forms_products import NewProductForm, TemplateForm
from vanphong.reporting.models import InfoProduct, ItemSource, ProductKind

NAV = "reporting"
PER_PAGE = 50


def _errors(request: HttpRequest, error: ValidationError | PermissionDenied) -> None:
    for problem in error.messages if isinstance(error, ValidationError) else [str(error)]:
        messages.error(request, problem)


@require_http_methods(["GET", "POST"])
def product_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    templates = (
        product_sources.templates_visible_to(user).filter(active=True).order_by("organization__path", "kind")
    )
    form = NewProductForm(request.POST or None, templates=templates, initial={"day": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            product = products.product_create(
                actor=user, template=form.cleaned_data["template"], day=form.cleaned_data["day"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Đã tạo “{product.title}”. Chọn các mục tin rồi lưu.")
            return redirect("reporting:product", product.pk)
    kind = request.GET.get("loai", "")
    listed = product_sources.products_visible_to(user).order_by("-period_end", "-id")
    if kind not in ProductKind.values:
        kind = ""
    if kind:
        listed = listed.filter(kind=kind)
    page = CappedPaginator(listed, PER_PAGE).get_page(request.GET.get("trang"))
    rows = [(p, products.product_state(p)) for p in page.object_list]
    return render(
        request,
        "reporting/product_list.html",
        {
            "nav": NAV,
            "form": form,
            "rows": rows,
            "page": page,
            "query": urlencode({"loai": kind}) if kind else "",
            "kinds": ProductKind.choices,
            "kind": kind,
            "state_labels": products.STATE_LABELS,
            "may_compose": product_sources.composing_organizations(user).exists(),
        },
    )


@dataclass
class Line:
    key: str  # section:source:id, or section:note:n — the form's name for the line
    source: str
    object_id: int | None
    text: str
    chosen: bool
    notable: bool = False


@dataclass
class Section:
    index: int
    heading: str
    source: str
    window: product_sources.Window
    lines: list[Line] = field(default_factory=list)
    note: str = ""  # a new note typed in a refused save, shown again

    @property
    def source_label(self) -> str:
        return str(ItemSource(self.source).label)

    @property
    def takes_records(self) -> bool:
        return self.source != ItemSource.NOTE


def _sections(user: Any, product: InfoProduct, *, editing: bool, posted: Any = None) -> list[Section]:
    """The sections with their lines: the chosen items and — for an editor — the candidates
    not chosen yet. ``posted`` (a refused save's form) puts back what the editor had ticked,
    edited and typed, so that nothing is lost."""
    items = list(product.items.all())
    kept = list(posted.getlist("keep")) if posted is not None else None
    sections = []
    for index, spec in enumerate(product.sections):
        section = Section(
            index=index,
            heading=spec.get("heading", ""),
            source=spec.get("source", ItemSource.NOTE),
            window=product_sources.window_for(product, spec),
        )
        lines = [
            Line(f"{index}:{i.source}:{i.object_id or n}", i.source, i.object_id, i.text, True)
            for n, i in enumerate(items)
            if i.section == index
        ]
        if editing:
            chosen = {(line.source, line.object_id) for line in lines}
            for c in product_sources.candidates(user, product, spec):
                if (c.source, c.object_id) not in chosen:
                    lines.append(
                        Line(
                            f"{index}:{c.source}:{c.object_id}",
                            c.source,
                            c.object_id,
                            c.text,
                            False,
                            c.notable,
                        )
                    )
        if posted is not None and kept is not None:
            for line in lines:
                line.chosen = line.key in kept
                line.text = posted.get(f"text-{line.key}", line.text)
            section.note = posted.get(f"note-{index}", "")
        section.lines = lines
        sections.append(section)
    return sections


def _posted_items(request: HttpRequest) -> list[dict[str, Any]]:
    """The lines the form sends, in the page's order: ``keep`` holds each ticked line's key
    (``section:source:id``, or ``section:note:n``), ``text-<key>`` the edited text of a line
    already chosen (a newly ticked candidate takes its own text), ``note-<i>`` new notes of
    section i (one per paragraph)."""
    items: list[dict[str, Any]] = []
    for key in request.POST.getlist("keep"):
        section, source, ref = (key.split(":") + ["", "", ""])[:3]
        items.append(
            {
                "section": section,
                "source": source,
                "object_id": ref if source != ItemSource.NOTE else None,
                "text": request.POST.get(f"text-{key}", ""),
            }
        )
    for name in sorted((k for k in request.POST if k.startswith("note-")), key=_note_order):
        section = name.removeprefix("note-")
        for paragraph in request.POST.get(name, "").replace("\r\n", "\n").split("\n\n"):
            if paragraph.strip():
                items.append({"section": section, "source": ItemSource.NOTE, "text": paragraph})
    return items


def _note_order(name: str) -> tuple[int, str]:
    suffix = name.removeprefix("note-")
    return (int(suffix), "") if suffix.isdigit() else (10**6, suffix)


def _recipients(request: HttpRequest) -> list[Organization]:
    ids = [int(v) for v in request.POST.getlist("recipients") if v.isdigit() and len(v) < 19]
    return list(Organization.objects.filter(pk__in=ids))


@require_http_methods(["GET", "POST"])
def product_page(request: HttpRequest, product_id: int) -> HttpResponse:
    user = request.user
    product = one_or_404(product_sources.products_visible_to(user), product_id)
    may_edit = product.document_id is None and products.may_compose(user, product.organization)
    posted = None
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied("Sản phẩm này không sửa được nữa.")
        try:
            products.product_save(
                actor=user,
                product=product,
                items=_posted_items(request),
                title=request.POST.get("title"),
                intro=request.POST.get("intro"),
                closing=request.POST.get("closing"),
                recipients=_recipients(request),
                version=request.POST.get("version"),
            )
        except ValidationError as error:
            _errors(request, error)
            posted = request.POST
        else:
            messages.success(request, "Đã lưu sản phẩm thông tin.")
            return redirect("reporting:product", product.pk)
    state = products.product_state(product)
    if posted is not None:
        recipients = {int(v) for v in posted.getlist("recipients") if v.isdigit() and len(v) < 19}
        shown = {
            "title": posted.get("title", product.title),
            "intro": posted.get("intro", product.intro),
            "closing": posted.get("closing", product.closing),
        }
    else:
        recipients = set(product.recipients.values_list("pk", flat=True))
        shown = {"title": product.title, "intro": product.intro, "closing": product.closing}
    choices: list[Organization] = []
    if may_edit:
        choices = list(
            Organization.objects.filter(
                Q(pk__in=product_sources.distribution_choices(product.organization).values("pk"))
                | Q(pk__in=product.recipients.values("pk"))
            ).order_by("path")
        )
    return render(
        request,
        "reporting/product.html",
        {
            "nav": NAV,
            "product": product,
            "shown": shown,
            "version": products.product_version(product),
            "sections": _sections(user, product, editing=may_edit, posted=posted),
            "state": state,
            "state_label": products.STATE_LABELS[state],
            "may_edit": may_edit,
            "recipient_choices": choices,
            "recipients": recipients,
            "recipient_rows": product.recipients.order_by("path"),
            "body": products.product_body(product) if product.document_id is None else "",
        },
        status=400 if posted is not None else 200,
    )


@require_POST
def product_draft(request: HttpRequest, product_id: int) -> HttpResponse:
    product = one_or_404(product_sources.products_visible_to(request.user), product_id)
    try:
        document = products.product_draft(actor=request.user, product=product)
    except (ValidationError, PermissionDenied) as error:
        _errors(request, error)
        return redirect("reporting:product", product.pk)
    messages.success(
        request, "Đã chuyển thành dự thảo văn bản đi: trình duyệt, ký và phát hành như mọi văn bản đi."
    )
    return redirect("documents:document_detail", document.pk)


@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "reporting/product_templates.html",
        {
            "nav": NAV,
            "templates": product_sources.templates_visible_to(user).order_by(
                "organization__path", "kind", "name"
            ),
            "organizations": product_sources.composing_organizations(user),
        },
    )


@require_POST
def template_defaults(request: HttpRequest) -> HttpResponse:
    organization = one_or_404(
        product_sources.composing_organizations(request.user), request.POST.get("organization") or 0
    )
    try:
        made = products.templates_ensure_defaults(actor=request.user, organization=organization)
    except (ValidationError, PermissionDenied) as error:
        _errors(request, error)
    else:
        if made:
            messages.success(request, f"Đã tạo {len(made)} mẫu cho {organization.name}.")
        else:
            messages.info(request, f"{organization.name} đã có đủ ba loại mẫu.")
    return redirect("reporting:template_list")


@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, template_id: int | None = None) -> HttpResponse:
    user = request.user
    template = None
    if template_id is not None:
        template = one_or_404(product_sources.templates_visible_to(user), template_id)
    organizations = product_sources.composing_organizations(user)
    form = TemplateForm(request.POST or None, template=template, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = products.template_save(
                actor=user,
                template=template,
                organization=data["organization"] if template is None else template.organization,
                kind=data["kind"],
                name=data["name"],
                title=data["title"],
                intro=data["intro"],
                closing=data["closing"],
                doc_type=data["doc_type"],
                sections=data["sections"],
                recipients=data["recipients"],
                active=data["active"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Đã lưu mẫu “{saved.name}”.")
            return redirect("reporting:template_list")
    return render(
        request,
        "reporting/product_template_edit.html",
        {
            "nav": NAV,
            "form": form,
            "template_obj": template,
            "fields": products.TITLE_FIELDS,
            "sources": ItemSource.choices,
            "sections_json": json.dumps(template.sections if template else [], ensure_ascii=False),
        },
    )
