"""The signing pages, under /lien-thong/ky-so/: the credentials a user has or keeps (with
adding and deactivating), and signing a document's PDF file from the document page's "Ký số"
panel. Reads go through ``selectors_signing``; each change calls one service of
``vanphong.exchange.signing``: its ``ValidationError`` is shown next to the form's fields (or
as a message back on the document page), its ``PermissionDenied`` is the 403 page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vanphong.core.forms import apply_errors
from vanphong.documents.access import one_or_404
from vanphong.documents.models import DocumentFile
from vanphong.exchange import signing
from vanphong.exchange.forms_signing import CredentialAddForm, FileSignForm
from vanphong.exchange.selectors_signing import credentials_usable_by, credentials_visible_to
from vanphong.orgs.access import Capability, organizations_with
from vanphong.orgs.actors import person_of
from vanphong.orgs.models import Organization, Person


@require_GET
def credential_list(request: HttpRequest) -> HttpResponse:
    credentials = list(credentials_visible_to(request.user))
    for credential in credentials:
        credential.may_manage = signing.credential_may_manage(request.user, credential)  # type: ignore[attr-defined]
    return render(
        request,
        "exchange/signing/credential_list.html",
        {"credentials": credentials, "may_add": person_of(request.user) is not None},
    )


@require_http_methods(["GET", "POST"])
def credential_add(request: HttpRequest) -> HttpResponse:
    user = request.user
    me = person_of(user)
    organizations = organizations_with(user, Capability.READ)
    if me is not None:
        organizations = Organization.objects.filter(
            Q(pk__in=organizations.values("pk")) | Q(pk=me.organization_id)
        ).order_by("name")
    people = Person.objects.filter(
        organization__in=organizations_with(user, Capability.MANAGE_PEOPLE), active=True
    ).order_by("full_name")
    form = CredentialAddForm(
        request.POST or None, request.FILES or None, organizations=organizations, people=people
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            credential = signing.credential_add(
                actor=user,
                kind=data["kind"],
                organization=data["organization"],
                person=data.get("person"),
                upload=data["file"],
                passphrase=data["passphrase"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Đã nạp chứng thư số {credential.subject}.")
            return redirect("exchange:credential_list")
    return render(request, "exchange/signing/credential_form.html", {"form": form})


@require_POST
def credential_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    credential = one_or_404(credentials_visible_to(request.user), pk)
    signing.credential_deactivate(actor=request.user, credential=credential)
    messages.success(request, "Đã ngừng dùng chứng thư số.")
    return redirect("exchange:credential_list")


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@require_POST
def file_sign(request: HttpRequest) -> HttpResponse:
    """Sign one PDF file of a document (from the document page's panel), then back there."""
    user = request.user
    form = FileSignForm(request.POST, credentials=credentials_usable_by(user))
    if not form.is_valid():
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, str(problem))
        return redirect(_back(request, reverse("exchange:credential_list")))
    data = form.cleaned_data
    record = one_or_404(DocumentFile.objects.select_related("document"), data["file"])
    back = _back(request, reverse("documents:document_detail", args=[record.document_id]))
    credential = data["credential"]
    try:
        result = signing.file_sign(
            actor=user,
            file=record,
            credential=credential,
            passphrase=data["passphrase"],
            as_seal=credential.kind == "seal",
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(back)
    summary = signing.signing_summary(result)
    if summary["valid"]:
        messages.success(request, f"Đã ký số, tạo tệp {result.original_name}; chữ ký hợp lệ.")
    else:
        messages.warning(
            request,
            f"Đã ký số, tạo tệp {result.original_name}; chưa xác thực được chứng thư "
            "(tổ chức cấp chứng thư chưa có trong danh sách tin cậy).",
        )
    return redirect(back)
