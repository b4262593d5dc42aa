"""The notifications page: my notifications, newest first (unread ones marked), opening one
marks it read and goes where it points; "đánh dấu đã đọc tất cả". Only one's own: another
person's notification is 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from vanphong.core.http import HtmxHttpRequest
from vanphong.notifications import services
from vanphong.notifications.models import Notification
from vanphong.notifications.selectors import get_notification, notifications_for, person_of, unread_count

PER_PAGE = 30


def _list_url() -> str:
    return reverse("notifications:list")


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    unread_only = request.GET.get("chua_doc") == "1"
    unread = unread_count(person)
    notifications: QuerySet[Notification] | list[Notification]
    total: int | None
    if person is None:
        notifications = []
        total = 0
    else:
        notifications = notifications_for(person, unread_only=unread_only)
        total = notifications_for(person).count() if unread_only else None
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("trang", "1"))
    if total is None:
        total = page.paginator.count
    context = {
        "page": page,
        "unread_only": unread_only,
        "unread": unread,
        "total": total,
        "query": "chua_doc=1" if unread_only else "",
        "nav_active": "notifications",
    }
    return render(request, "notifications/list.html", context)


@require_GET
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification: mark it read, then go to what it is about (a page of this
    site only; anything else lands on the list)."""
    notification = get_notification(request.user, pk)
    services.mark_read(notification.recipient, notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(_list_url())


@require_POST
def notification_mark_read(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    notification = get_notification(request.user, pk)
    services.mark_read(notification.recipient, notification)
    if request.htmx:
        notification.refresh_from_db(fields=["read_at"])
        context = {"n": notification, "refresh_bell": True, "unread": unread_count(notification.recipient)}
        return render(request, "notifications/_row.html", context)
    return redirect(request.POST.get("next", "") if _safe_next(request) else _list_url())


@require_POST
def notification_mark_all_read(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    count = services.mark_all_read(person) if person is not None else 0
    if count:
        messages.success(request, f"Đã đánh dấu {count} thông báo là đã đọc.")
    return redirect(request.POST.get("next", "") if _safe_next(request) else _list_url())


def _safe_next(request: HttpRequest) -> bool:
    target = request.POST.get("next", "")
    return bool(target) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
