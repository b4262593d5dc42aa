"""Pages of the files flow: the files panel of the document page (with its upload form),
file downloads, and the clerk's queue of arrivals (received, waiting to be registered)
with their upload form and discard action."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vanphong.core import pending
from vanphong.core.forms import FileInput
from vanphong.core.http import HtmxHttpRequest
from vanphong.core.paging import CappedPaginator
from vanphong.core.signatures import SignatureCheck
from vanphong.documents import panels
from vanphong.documents.access import get_document_for_user
from vanphong.documents.downloads import file_response
from vanphong.documents.models import Arrival, ArrivalState, Document, FileKind, Urgency
from vanphong.documents.services import arrivals as arrival_services
from vanphong.documents.services import files as file_services
from vanphong.orgs.access import Capability, organizations_with
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import Classification, Organization

ARRIVALS_PER_PAGE = 25
MAX_FILES_AT_ONCE = 20


class MultipleFileInput(FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".pdf,.docx,.jpg,.jpeg,.png,.tif,.tiff"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        files = data if isinstance(data, list | tuple) else [data]
        cleaned = [single(f, initial) for f in files if f]
        if not cleaned:
            raise ValidationError(_("Chọn ít nhất một tệp."), code="required")
        if len(cleaned) > MAX_FILES_AT_ONCE:
            raise ValidationError(
                _("Mỗi lần tải lên tối đa %(n)s tệp.") % {"n": MAX_FILES_AT_ONCE}, code="too_many"
            )
        return cleaned


class FileAttachForm(forms.Form):
    file = forms.FileField(label=_("Tệp"), help_text=_("PDF, Word (.docx) hoặc ảnh quét."), widget=FileInput)
    kind = forms.ChoiceField(label=_("Loại tệp"), choices=FileKind.choices, initial=FileKind.ORIGINAL)


class ArrivalUploadForm(forms.Form):
    organization: forms.ModelChoiceField[Organization] = forms.ModelChoiceField(
        label=_("Cơ quan nhận"), queryset=None, empty_label=None
    )
    files = MultipleFileField(  # type: ignore[assignment]  # a field (the metaclass pops it), not BaseForm.files
        label=_("Tệp văn bản"),
        help_text=_("Chọn một hoặc nhiều tệp PDF, Word (.docx) hoặc ảnh quét; mỗi tệp là một văn bản."),
    )
    channel = forms.ChoiceField(
        label=_("Nguồn"),
        choices=[("upload", _("Tải lên")), ("scan", _("Bản quét"))],
        initial="upload",
    )
    sender = forms.CharField(label=_("Nơi gửi"), required=False, max_length=255)

    def __init__(self, *args: Any, user: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organization"]).queryset = organizations_with(
            user, Capability.REGISTER
        ).order_by("path")


# --- The files panel of the document page -----------------------------------------------------


@panels.register("files", order=10)
def files_panel(request: HttpRequest, document: Document) -> panels.Panel | None:
    files = list(document.files.select_related("uploaded_by").order_by("uploaded_at", "pk"))
    for f in files:  # the stored checks, with their times as datetimes for the page
        f.signature_checks = [SignatureCheck.from_dict(check) for check in f.signatures or []]  # type: ignore[attr-defined]
    may_attach = file_services.file_may_attach(request.user, document)
    if not files and not may_attach:
        return None
    return panels.Panel(
        key="files",
        title=_("Tệp văn bản"),
        template="documents/files/_panel.html",
        context={"document": document, "files": files, "form": FileAttachForm() if may_attach else None},
    )


@require_POST
def file_attach(request: HttpRequest, document_id: int) -> HttpResponse:
    document = get_document_for_user(request.user, document_id)
    form = FileAttachForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            record = file_services.file_add(
                actor=request.user,
                document=document,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã thêm tệp “%(name)s”.") % {"name": record.original_name})
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
    return redirect(reverse("documents:document_detail", args=[document.pk]) + "#panel-files")


@require_GET
def file_download(request: HttpRequest, file_id: int) -> FileResponse:
    return file_response(request.user, file_id, derived=request.GET.get("ban") == "chuyen-doi")


# --- Arrivals ---------------------------------------------------------------------------------


@require_GET
def arrival_list(request: HtmxHttpRequest) -> HttpResponse:
    if not organizations_with(request.user, Capability.REGISTER).exists():
        raise Http404
    queryset = arrival_services.arrivals_for(request.user).order_by("-received_at", "-pk")
    page = CappedPaginator(queryset, ARRIVALS_PER_PAGE).get_page(request.GET.get("trang"))
    clearance = getattr(getattr(request.user, "person", None), "clearance", 0)
    for arrival in page.object_list:
        arrival.hidden = arrival_services.proposed_classification(arrival) > clearance
        proposal = arrival.proposal or {}
        arrival.urgency_label = Urgency(proposal["urgency"]).label if proposal.get("urgency") else ""
        arrival.classification_label = (
            Classification(arrival_services.proposed_classification(arrival)).label
            if proposal.get("classification")
            else ""
        )
    context = {
        "page": page,
        "form": ArrivalUploadForm(user=request.user),
        "channels": arrival_services.CHANNELS,
        "nav_active": "incoming",
    }
    if request.htmx:
        return render(request, "documents/files/_arrival_results.html", context)
    return render(request, "documents/files/arrival_list.html", context)


@require_http_methods(["GET", "POST"])
def arrival_upload(request: HttpRequest) -> HttpResponse:
    if not organizations_with(request.user, Capability.REGISTER).exists():
        raise Http404
    form = ArrivalUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # All files of one upload are received together, or none.
            with transaction.atomic():
                received = [
                    arrival_services.arrival_receive(
                        actor=request.user,
                        organization=data["organization"],
                        upload=upload,
                        channel=data["channel"],
                        sender=data["sender"],
                    )
                    for upload in data["files"]
                ]
        except ValidationError as exc:
            form.add_error("files", exc)
        else:
            messages.success(
                request,
                _("Đã nhận %(n)s văn bản, đang đọc nội dung để đề xuất thông tin vào sổ.")
                % {"n": len(received)},
            )
            return redirect("documents:arrival_list")
    return render(
        request,
        "documents/files/arrival_upload.html",
        {"form": form, "nav_active": "incoming"},
        status=400 if form.errors else 200,
    )


@require_POST
def arrival_discard(request: HttpRequest, arrival_id: int) -> HttpResponse:
    arrival = arrival_services.get_arrival_for_user(request.user, arrival_id)
    try:
        arrival_services.arrival_discard(
            actor=request.user, arrival=arrival, reason=request.POST.get("ly_do", "")[:500]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Đã loại “%(name)s” khỏi hàng chờ vào sổ.") % {"name": arrival.original_name}
        )
    return redirect("documents:arrival_list")


@require_GET
def arrival_file(request: HttpRequest, arrival_id: int) -> FileResponse:
    arrival = arrival_services.get_arrival_for_user(request.user, arrival_id)
    if arrival.state != ArrivalState.WAITING:
        raise Http404
    try:
        stream = arrival.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        stream, as_attachment=False, filename=arrival.original_name, content_type=arrival.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


@pending.register("arrivals")
def arrivals_pending(user: Actor) -> pending.PendingGroup | None:
    if not organizations_with(user, Capability.REGISTER).exists():
        return None
    queryset = arrival_services.arrivals_for(user)
    count = queryset.count()
    if not count:
        return None
    url = reverse("documents:arrival_list")
    items = tuple((a.original_name, url) for a in queryset.order_by("-received_at")[:3])
    return pending.PendingGroup(
        key="arrivals", title=_("Văn bản chờ vào sổ"), count=count, url=url, items=items
    )


__all__ = ["Arrival"]
