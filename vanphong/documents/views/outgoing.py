"""Pages of the outgoing flow: the list, the drafting form, the circuit panel of the document
page with one POST view per action, the .docx, copies, and the home page's pending work.

Each view: parse, fetch through the access layer (404 outside reach), one service call,
then redirect back to the document page (or re-render the form with its errors)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import Truncator, slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vanphong.core import pending
from vanphong.core.http import HtmxHttpRequest
from vanphong.core.paging import CappedPaginator
from vanphong.documents import panels
from vanphong.documents.access import get_document_for_user, one_or_404
from vanphong.documents.docx_render import render_outgoing_docx
from vanphong.documents.forms.outgoing import (
    DATE_FORMATS,
    CommentForm,
    CopyForm,
    DecideForm,
    DraftForm,
    IssueForm,
    SubmitForm,
    VersionForm,
    outgoing_type_choices,
)
from vanphong.documents.models import Document, DocumentState, ReviewDecision, ReviewStep
from vanphong.documents.selectors import outgoing as selectors
from vanphong.documents.selectors.outgoing import OUTGOING_STATES
from vanphong.documents.services import copies, outgoing
from vanphong.orgs.access import Capability, can, scope_for
from vanphong.orgs.actors import Actor

PER_PAGE = 50
PENDING_ITEMS = 5


def _document_url(document: Document | int) -> str:
    pk = document if isinstance(document, int) else document.pk
    return reverse("documents:document_detail", args=[pk]) + "#panel-outgoing"


def _outgoing_or_404(request: HttpRequest, pk: int) -> Document:
    return one_or_404(selectors.outgoing_detail(request.user), pk)


def _error_text(exc: ValidationError | PermissionDenied) -> str:
    if isinstance(exc, PermissionDenied):
        return str(exc) or "Bạn không có quyền thực hiện thao tác này."
    return " ".join(exc.messages)


def _parse_date(value: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value.strip(), fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    raise ValueError(value)


# --- List and drafting ----------------------------------------------------------------------------


@require_GET
def outgoing_list(request: HtmxHttpRequest) -> HttpResponse:
    user = request.user
    state = request.GET.get("trang_thai", "")
    state = state if state in OUTGOING_STATES else ""
    codes = dict(outgoing_type_choices())
    doc_type = request.GET.get("loai", "")
    doc_type = doc_type if doc_type in codes else ""
    q = request.GET.get("q", "").strip()[:100]
    raw_from, raw_to = request.GET.get("tu_ngay", "").strip(), request.GET.get("den_ngay", "").strip()
    date_error = ""
    dates: dict[str, dt.date | None] = {"date_from": None, "date_to": None}
    for key, raw in (("date_from", raw_from), ("date_to", raw_to)):
        if raw:
            try:
                dates[key] = _parse_date(raw)
            except ValueError:
                date_error = f"Ngày “{raw}” không đúng dạng dd/mm/yyyy."
    filters: dict[str, Any] = {"doc_type": doc_type or None, "q": q or None, **dates}
    documents = selectors.outgoing_list(user=user, state=state or None, **filters)
    counts = selectors.outgoing_state_counts(user, **filters)
    tabs = [("", "Tất cả", sum(counts.values()))] + [(s, s.label, counts[s]) for s in OUTGOING_STATES]
    page = CappedPaginator(documents, PER_PAGE).get_page(request.GET.get("trang", "1"))
    query = request.GET.copy()
    query.pop("trang", None)
    tab_query = query.copy()
    tab_query.pop("trang_thai", None)
    context = {
        "page": page,
        "tabs": tabs,
        "state": state,
        "doc_type": doc_type,
        "doc_type_choices": codes.items(),
        "q": q,
        "tu_ngay": raw_from,
        "den_ngay": raw_to,
        "date_error": date_error,
        "query": query.urlencode(),
        "tab_query": tab_query.urlencode(),
        "can_draft": can(user, Capability.WRITE),
        "nav_active": "outgoing",
    }
    if request.htmx:
        return render(request, "documents/outgoing/_list_results.html", context)
    return render(request, "documents/outgoing/list.html", context)


@require_http_methods(["GET", "POST"])
def outgoing_create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Capability.WRITE):
        raise Http404
    form = DraftForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            document = outgoing.outgoing_draft_create(actor=request.user, **form.service_values())
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, PermissionDenied):
                exc = ValidationError(_error_text(exc))
            form.add_service_errors(exc)
        else:
            messages.success(request, "Đã tạo dự thảo. Trình duyệt khi nội dung đã sẵn sàng.")
            return redirect(_document_url(document))
    return render(request, "documents/outgoing/create.html", {"form": form, "nav_active": "outgoing"})


# --- The panel on the document page --------------------------------------------------------------


@panels.register("outgoing", order=20)
def outgoing_panel(request: HttpRequest, document: Document) -> panels.Panel | None:
    if document.state == DocumentState.RECEIVED or document.original_id is not None:
        return None
    if not selectors.outgoing_base(request.user).filter(pk=document.pk).exists():
        return None  # a recipient sees the document through its incoming entry only
    user = request.user
    me = scope_for(user).person_id
    steps = list(document.review_steps.select_related("reviewer").order_by("round", "stage", "id"))
    stage = outgoing.current_stage(document)
    round_now = max((s.round for s in steps), default=0)
    my_steps = [
        s
        for s in steps
        if s.reviewer_id == me
        and s.round == round_now
        and s.stage == stage
        and s.decision == ReviewDecision.PENDING
    ]
    drafter = document.created_by_id == me or can(user, Capability.WRITE, document.organization)
    state = document.state
    entry = outgoing.outgoing_entry(document) if state == DocumentState.ISSUED else None
    context: dict[str, Any] = {
        "document": document,
        "versions": document.versions.select_related("created_by", "file").order_by("-number"),
        "comments": document.comments.select_related("author", "version").order_by("created_at"),
        "steps": steps,
        "current_stage": stage,
        "round_now": round_now,
        "recipients": document.recipients.select_related("organization", "delivered_entry"),
        "signature": outgoing.signature_block(document),
        "outgoing_entry": entry,
        "my_steps": my_steps,
        "decide_form": DecideForm(prefix="duyet") if my_steps else None,
        "comment_form": CommentForm(prefix="gop_y") if state in outgoing.COMMENTABLE_STATES else None,
        "version_form": VersionForm(prefix="phien_ban") if drafter and state == DocumentState.DRAFT else None,
        "submit_form": (
            SubmitForm(prefix="trinh", user=user) if drafter and state == DocumentState.DRAFT else None
        ),
        "issue_form": (
            IssueForm(prefix="phat_hanh")
            if state == DocumentState.APPROVED and can(user, Capability.REGISTER, document.organization)
            else None
        ),
        "can_copy": state == DocumentState.ISSUED and can(user, Capability.REGISTER),
    }
    return panels.Panel(
        key="outgoing",
        title="Văn bản đi: dự thảo, trình duyệt, phát hành",
        template="documents/outgoing/_panel.html",
        context=context,
    )


def _act(request: HttpRequest, document: Document, call: Any, success: str) -> HttpResponse:
    try:
        call()
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, success)
    return redirect(_document_url(document))


def _invalid(request: HttpRequest, document: Document, form: Any) -> HttpResponse:
    errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
    messages.error(request, " ".join(errors) or "Dữ liệu gửi lên chưa hợp lệ.")
    return redirect(_document_url(document))


@require_POST
def outgoing_comment(request: HttpRequest, pk: int) -> HttpResponse:
    document = _outgoing_or_404(request, pk)
    form = CommentForm(request.POST, prefix="gop_y")
    if not form.is_valid():
        return _invalid(request, document, form)
    return _act(
        request,
        document,
        lambda: outgoing.outgoing_comment_add(
            actor=request.user, document=document, text=form.cleaned_data["text"]
        ),
        "Đã ghi góp ý.",
    )


@require_POST
def outgoing_version(request: HttpRequest, pk: int) -> HttpResponse:
    document = _outgoing_or_404(request, pk)
    form = VersionForm(request.POST, request.FILES, prefix="phien_ban")
    if not form.is_valid():
        return _invalid(request, document, form)
    return _act(
        request,
        document,
        lambda: outgoing.outgoing_version_add(actor=request.user, document=document, **form.cleaned_data),
        "Đã lưu phiên bản mới của dự thảo.",
    )


@require_POST
def outgoing_submit(request: HttpRequest, pk: int) -> HttpResponse:
    document = _outgoing_or_404(request, pk)
    form = SubmitForm(request.POST, prefix="trinh", user=request.user)
    if not form.is_valid():
        return _invalid(request, document, form)
    return _act(
        request,
        document,
        lambda: outgoing.outgoing_submit(
            actor=request.user, document=document, steps=form.steps(document.signer)
        ),
        "Đã trình duyệt dự thảo.",
    )


@require_POST
def outgoing_decide(request: HttpRequest, pk: int, step_id: int) -> HttpResponse:
    document = _outgoing_or_404(request, pk)
    step = ReviewStep.objects.filter(document=document, pk=step_id).first()
    if step is None:
        raise Http404
    form = DecideForm(request.POST, prefix="duyet")
    if not form.is_valid():
        return _invalid(request, document, form)
    decision = form.cleaned_data["decision"]
    return _act(
        request,
        document,
        lambda: outgoing.outgoing_review_decide(actor=request.user, step=step, **form.cleaned_data),
        "Đã ghi ý kiến đồng ý." if decision == ReviewDecision.APPROVED else "Đã trả lại dự thảo để sửa.",
    )


@require_POST
def outgoing_issue(request: HttpRequest, pk: int) -> HttpResponse:
    document = _outgoing_or_404(request, pk)
    form = IssueForm(request.POST, prefix="phat_hanh")
    if not form.is_valid():
        return _invalid(request, document, form)
    try:
        outgoing.outgoing_issue(
            actor=request.user, document=document, issued_date=form.cleaned_data["issued_date"]
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _error_text(exc))
    else:
        document.refresh_from_db(fields=["symbol"])
        messages.success(request, f"Đã phát hành văn bản số {document.symbol}.")
    return redirect(_document_url(document))


@require_GET
def outgoing_docx(request: HttpRequest, pk: int) -> HttpResponse:
    document = _outgoing_or_404(request, pk)
    name = slugify(document.symbol or f"du-thao-{document.pk}") or f"van-ban-{document.pk}"
    response = HttpResponse(
        render_outgoing_docx(document),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.docx"'
    return response


@require_http_methods(["GET", "POST"])
def document_copy(request: HttpRequest, pk: int) -> HttpResponse:
    original = get_document_for_user(request.user, pk)
    if not can(request.user, Capability.REGISTER):
        raise Http404
    form = CopyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            entry = copies.document_copy(actor=request.user, original=original, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            form.add_service_errors(
                exc if isinstance(exc, ValidationError) else ValidationError(_error_text(exc))
            )
        else:
            messages.success(
                request, f"Đã sao văn bản: {entry.document.symbol}, {entry.register.name} số {entry.number}."
            )
            return redirect("documents:document_detail", entry.document_id)
    context = {"form": form, "original": original, "nav_active": "outgoing"}
    return render(request, "documents/outgoing/copy.html", context)


# --- Pending work on the home page ---------------------------------------------------------------


@pending.register("documents.reviews")
def pending_reviews(user: Actor) -> pending.PendingGroup | None:
    steps = selectors.pending_reviews(user)
    first = list(steps[:PENDING_ITEMS])
    if not first:
        return None
    items = tuple((Truncator(s.document.subject).chars(100), _document_url(s.document_id)) for s in first)
    total = len(first) if len(first) < PENDING_ITEMS else steps.count()
    url = reverse("documents:outgoing_list") + "?trang_thai=in_review"
    return pending.PendingGroup("documents.reviews", "Dự thảo chờ tôi cho ý kiến", total, url, items)


@pending.register("documents.to_issue")
def pending_to_issue(user: Actor) -> pending.PendingGroup | None:
    if not scope_for(user).grants_for(Capability.REGISTER):
        return None
    documents = selectors.awaiting_issue(user).only("pk", "subject")
    first = list(documents[:PENDING_ITEMS])
    if not first:
        return None
    items = tuple((Truncator(d.subject).chars(100), _document_url(d)) for d in first)
    total = len(first) if len(first) < PENDING_ITEMS else documents.count()
    url = reverse("documents:outgoing_list") + "?trang_thai=approved"
    return pending.PendingGroup("documents.to_issue", "Văn bản chờ phát hành", total, url, items)
