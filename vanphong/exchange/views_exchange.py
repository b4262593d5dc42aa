"""The exchange's pages, under /lien-thong/: where things stand (the outbox, the packages
refused, the latest received), the packages sent and received and one package with what was
read from it, a package imported from a file, the peers (administrators), and the two actions
of the document page's panel (send an issued document, download its package).

Reads go through the selectors (a package or delivery outside the reader's reach is a 404);
each change calls one service: its ``ValidationError`` is shown to the reader, its
``PermissionDenied`` is the 403 page."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vanphong.core.forms import apply_errors
from vanphong.core.paging import CappedPaginator
from vanphong.documents.access import documents_visible_to, one_or_404
from vanphong.documents.models import ArrivalState, DocumentState
from vanphong.exchange import selectors, services
from vanphong.exchange.forms_exchange import ImportForm, PeerForm, masked
from vanphong.exchange.models import (
    Delivery,
    DeliveryState,
    Direction,
    Package,
    PackageKind,
    PackageState,
    Peer,
    RecipientStatus,
)
from vanphong.orgs.access import Capability, can, organizations_with
from vanphong.orgs.models import Organization

NAV = "exchange"
PER_PAGE = 50
LATEST_RECEIVED = 10
DELIVERY_BADGES = {
    DeliveryState.PENDING: "badge-warn",
    DeliveryState.DELIVERED: "badge-ok",
    DeliveryState.FAILED: "badge-danger",
}
PACKAGE_BADGES = {
    PackageState.ACCEPTED: "badge-ok",
    PackageState.REFUSED: "badge-danger",
    PackageState.BUILT: "badge-accent",
}
QUEUE_LABELS = {
    ArrivalState.WAITING: "Chờ vào sổ",
    ArrivalState.REGISTERED: "Đã vào sổ",
    ArrivalState.DISCARDED: "Đã loại khỏi hàng chờ",
}
# What a package's details are called on its page (the keys ``services._details`` writes).
DETAIL_LABELS = {
    "subject": "Trích yếu",
    "code": "Số, ký hiệu",
    "date": "Ngày văn bản",
    "sender": "Nơi gửi",
    "recipients": "Nơi nhận (mã định danh)",
    "reason": "Lý do (thu hồi, cập nhật, thay thế)",
    "replaces": "Văn bản được thay thế, cập nhật",
    "signed_xml": "Có chữ ký số trên gói tin",
    "note": "Kết quả xử lý",
    "description": "Nội dung",
    "staff": "Người xử lý",
    "as_of": "Số liệu đến ngày",
    "organizations": "Số cơ quan",
    "rows": "Số dòng số liệu",
}


def _context(tab: str, **extra: Any) -> dict[str, Any]:
    return {"nav_active": NAV, "tab": tab, **extra}


def _keeps_books(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_superuser", False)) or can(request.user, Capability.REGISTER)


def _require_module(request: HttpRequest) -> None:
    """The module is the văn thư's (and the administrators'): anyone else gets a 404."""
    if not _keeps_books(request):
        raise Http404


def _importing_organizations(request: HttpRequest) -> Any:
    return Organization.objects.filter(
        pk__in=organizations_with(request.user, Capability.REGISTER), hosted=True, active=True
    ).order_by("depth", "path")


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _delivery_badge(delivery: Delivery) -> Delivery:
    delivery.badge = DELIVERY_BADGES.get(DeliveryState(delivery.state), "")  # type: ignore[attr-defined]
    return delivery


def _package_badge(package: Package) -> Package:
    package.badge = PACKAGE_BADGES.get(PackageState(package.state), "")  # type: ignore[attr-defined]
    return package


# ---------------------------------------------------------------------------- the status page


@require_GET
def status(request: HttpRequest) -> HttpResponse:
    _require_module(request)
    state = request.GET.get("tinh_trang", "")
    state = state if state in DeliveryState.values else ""
    deliveries = selectors.deliveries_visible_to(request.user).select_related(
        "package__organization", "package__document__organization"
    )
    if state:
        deliveries = deliveries.filter(state=state)
    deliveries = deliveries.order_by("-created_at", "-id")
    page = CappedPaginator(deliveries, PER_PAGE).get_page(request.GET.get("trang"))
    received = [
        _package_badge(p)
        for p in selectors.packages_visible_to(request.user).filter(direction=Direction.IN)[:LATEST_RECEIVED]
    ]
    context = _context(
        "status",
        counts=selectors.delivery_counts(request.user),
        page=page,
        deliveries=[_delivery_badge(d) for d in page.object_list],
        states=DeliveryState.choices,
        state=state,
        query=urlencode({"tinh_trang": state}) if state else "",
        received=received,
        may_import=_importing_organizations(request).exists(),
    )
    return render(request, "exchange/status.html", context)


@require_POST
def delivery_retry(request: HttpRequest, delivery_id: int) -> HttpResponse:
    delivery = one_or_404(selectors.deliveries_visible_to(request.user), delivery_id)
    try:
        services.delivery_retry(actor=request.user, delivery=delivery)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        name = delivery.recipient.name if delivery.recipient else delivery.peer.name
        messages.success(request, f"Đã đưa gói tin gửi {name} vào hàng đợi gửi lại.")
    return redirect(_next(request, reverse("exchange:status")))


# ---------------------------------------------------------------------------- the packages


@require_GET
def package_list(request: HttpRequest) -> HttpResponse:
    _require_module(request)
    get = request.GET
    direction = get.get("chieu", "")
    direction = direction if direction in Direction.values else ""
    state = get.get("tinh_trang", "")
    state = state if state in PackageState.values else ""
    kind = get.get("loai", "")
    kind = kind if kind in PackageKind.values else ""
    q = get.get("q", "").strip()[:100]
    packages = selectors.package_list(request.user, direction=direction, state=state, kind=kind, q=q)
    page = CappedPaginator(packages, PER_PAGE).get_page(get.get("trang"))
    keep = {k: v for k, v in (("chieu", direction), ("tinh_trang", state), ("loai", kind), ("q", q)) if v}
    context = _context(
        "packages",
        page=page,
        packages=[_package_badge(p) for p in page.object_list],
        directions=Direction.choices,
        states=PackageState.choices,
        kinds=PackageKind.choices,
        direction=direction,
        state=state,
        kind=kind,
        q=q,
        query=urlencode(keep),
    )
    return render(request, "exchange/package_list.html", context)


def _package(request: HttpRequest, package_id: int) -> Package:
    return one_or_404(selectors.packages_visible_to(request.user), package_id)


def _detail_rows(package: Package) -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = []
    details = package.details if isinstance(package.details, dict) else {}
    for key, value in details.items():
        if key in ("files", "answers", "acted_on", "sender"):  # the sender has its own row
            continue
        if key == "code" and package.direction == Direction.IN and package.document is not None:
            value = package.document.symbol or value  # as the symbol reads (the package splits it in two)
        if key == "date" and isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        if isinstance(value, bool):
            value = "Có" if value else "Không"
        elif isinstance(value, list):
            value = ", ".join(str(v) for v in value) or "—"
        elif isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items() if v) or "—"
        elif value in (None, ""):
            value = "—"
        rows.append((DETAIL_LABELS.get(key) or key, value))
    return rows


def _files(package: Package) -> list[dict[str, Any]]:
    files = (package.details or {}).get("files") or []
    return [f for f in files if isinstance(f, dict)]


@require_GET
def package_detail(request: HttpRequest, package_id: int) -> HttpResponse:
    package = _package_badge(_package(request, package_id))
    visible = selectors.packages_visible_to(request.user)
    arrival = package.arrival
    may_register = (
        arrival is not None
        and arrival.state == ArrivalState.WAITING
        and package.organization is not None
        and can(request.user, Capability.REGISTER, package.organization)
    )
    answers = []  # the statuses we sent back about a package received
    answered = None  # the package a status we sent answers
    if package.direction == Direction.IN and package.kind != PackageKind.STATUS:
        answers = list(
            visible.filter(
                direction=Direction.OUT, kind=PackageKind.STATUS, details__answers=package.pk
            ).order_by("created_at", "id")
        )
    if package.kind == PackageKind.STATUS and package.direction == Direction.OUT:
        answers_id = (package.details or {}).get("answers")
        answered = visible.filter(pk=answers_id).first() if isinstance(answers_id, int) else None
    reported: list[RecipientStatus] = []
    if package.direction == Direction.OUT and package.document_id and package.kind != PackageKind.STATUS:
        reported = list(
            RecipientStatus.objects.filter(document_id=package.document_id)
            .select_related("recipient")
            .order_by("-reported_at", "-id")[:200]
        )
    acted_on = None
    acted_on_id = (package.details or {}).get("acted_on")
    if acted_on_id and acted_on_id != package.document_id:
        acted_on = documents_visible_to(request.user).filter(pk=acted_on_id).first()
    document = None
    if package.document_id:
        document = documents_visible_to(request.user).filter(pk=package.document_id).first()
    context = _context(
        "packages",
        package=package,
        rows=_detail_rows(package),
        files=_files(package),
        deliveries=[_delivery_badge(d) for d in package.deliveries.select_related("peer", "recipient")],
        arrival=arrival,
        queue=QUEUE_LABELS.get(ArrivalState(arrival.state), "") if arrival is not None else "",
        may_register=may_register,
        answers=answers,
        answered=answered,
        reported=reported,
        document=document,
        acted_on=acted_on,
    )
    return render(request, "exchange/package_detail.html", context)


@require_GET
def package_download(request: HttpRequest, package_id: int) -> FileResponse:
    package = _package(request, package_id)
    suffix = "json" if package.kind == PackageKind.FIGURES else "edxml"
    name = f"goi-tin-{package.pk}-{package.sha256[:12]}.{suffix}"
    content_type = "application/json" if suffix == "json" else "application/xml"
    return FileResponse(package.file.open("rb"), as_attachment=True, filename=name, content_type=content_type)


# ---------------------------------------------------------------------------- import from a file


@require_http_methods(["GET", "POST"])
def package_import(request: HttpRequest) -> HttpResponse:
    organizations = _importing_organizations(request)
    if not organizations.exists():
        raise Http404
    posted = request.method == "POST"
    form = ImportForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        organizations=organizations,
        initial={"organization": organizations.first()},
    )
    refused: Package | None = None
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            received = services.package_receive(
                actor=request.user,
                data=b"".join(upload.chunks()),
                organization=form.cleaned_data["organization"],
                name=(upload.name or "")[:80],
            )
        except services.PackageRefused as exc:
            refused = exc.package
            form.add_error(None, f"Gói tin bị từ chối: {exc.package.reason}")
        except PermissionDenied:
            raise
        except ValidationError as error:
            apply_errors(form, error)
        else:
            package = received.package
            if not received.created:
                messages.info(request, "Gói tin này đã nhận trước đó: không nhập lại, không vào sổ lại.")
            elif package.arrival is not None and package.arrival.state == ArrivalState.WAITING:
                messages.success(
                    request, "Đã nhận gói tin: văn bản đang chờ vào sổ với đủ thông tin từ gói tin."
                )
            else:
                messages.success(request, f"Đã nhận gói tin {package.get_kind_display().lower()}.")
            return redirect("exchange:package_detail", package.pk)
    return render(
        request,
        "exchange/import.html",
        _context("import", form=form, refused=refused),
        status=400 if posted else 200,
    )


# ---------------------------------------------------------------------------- the document panel's actions


def _issued_document(request: HttpRequest, document_id: int) -> Any:
    return one_or_404(
        documents_visible_to(request.user).filter(state=DocumentState.ISSUED).select_related("organization"),
        document_id,
    )


@require_POST
def document_send(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _issued_document(request, document_id)
    try:
        made = services.document_send(actor=request.user, document=document)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if made:
            names = ", ".join(d.recipient.name for d in made if d.recipient is not None)
            messages.success(request, f"Đã đưa văn bản vào hàng đợi gửi liên thông đến: {names}.")
        else:
            messages.info(request, "Không có nơi nhận nào nối liên thông mà chưa được gửi.")
    return redirect(_next(request, reverse("documents:document_detail", args=[document.pk])))


@require_GET
def document_export(request: HttpRequest, document_id: int) -> HttpResponse | FileResponse:
    document = _issued_document(request, document_id)
    try:
        package = services.document_export(actor=request.user, document=document)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("documents:document_detail", document.pk)
    name = (document.symbol or f"van-ban-{document.pk}").replace("/", "-") + ".edxml"
    return FileResponse(
        package.file.open("rb"), as_attachment=True, filename=name, content_type="application/xml"
    )


# ---------------------------------------------------------------------------- the peers (administrators)


def _require_admin(request: HttpRequest) -> None:
    if not services.may_manage_peers(request.user):
        raise Http404


@require_GET
def peer_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    peers = list(selectors.peers_for(request.user))
    for peer in peers:
        peer.outbound_masked = masked(peer.outbound_secret)  # type: ignore[attr-defined]
        peer.inbound_masked = masked(peer.inbound_secret)  # type: ignore[attr-defined]
    return render(request, "exchange/peer_list.html", _context("peers", peers=peers))


@require_http_methods(["GET", "POST"])
def peer_edit(request: HttpRequest, peer_id: int | None = None) -> HttpResponse:
    _require_admin(request)
    peer = one_or_404(Peer.objects.all(), peer_id) if peer_id is not None else Peer()
    posted = request.method == "POST"
    form = PeerForm(request.POST if posted else None, instance=peer)
    if posted and form.is_valid():
        candidate = form.save(commit=False)
        try:
            saved = services.peer_save(
                actor=request.user, peer=candidate, organizations=list(form.cleaned_data["organizations"])
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if form.generated:
                # The new key is shown this once (never stored in a message or a redirect).
                return render(
                    request, "exchange/peer_saved.html", _context("peers", peer=saved, secret=form.generated)
                )
            messages.success(request, f"Đã lưu kết nối liên thông với {saved.name}.")
            return redirect("exchange:peer_list")
    return render(
        request,
        "exchange/peer_form.html",
        _context("peers", form=form, peer=peer if peer.pk else None),
        status=400 if posted else 200,
    )
