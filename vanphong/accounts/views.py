"""Sign-in, second factor, password change and account administration pages.

Between the password and the second factor there is NO signed-in session: the password
step only records, in the (freshly rotated) session, which user is half-way through and
when. ``django.contrib.auth.login`` runs once the code is accepted. So nothing that trusts
``request.user`` (pages, the session-authenticated API, Django's admin) can be reached with
the password alone, however a path is exempted by a middleware. The pending state expires
after ``PENDING_SECONDS``.

A user who is signed in but not verified (the policy started applying to them during the
session, or their device was reset) is sent here by ``SecondFactorMiddleware`` and
verified the same way.
"""

from __future__ import annotations

import re
import time
from base64 import b32encode
from typing import Any
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from vanphong.accounts import selectors, services
from vanphong.accounts.forms import AccountSearchForm, LoginForm, OtpForm, PasswordChangeForm
from vanphong.accounts.models import User
from vanphong.accounts.second_factor import has_second_factor
from vanphong.core.paging import CappedPaginator
from vanphong.orgs.access import Capability, can

PENDING_KEY = "_vanphong_signin"
PENDING_SECONDS = 15 * 60
PAGE_SIZE = 50


# --- helpers -----------------------------------------------------------------------------------


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _pending_user(request: HttpRequest) -> tuple[User | None, str]:
    """The user half-way through signing in, and where they were going."""
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None, ""
    if time.time() - float(pending.get("started", 0)) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None, ""
    user = User.objects.filter(pk=pending.get("user_id"), is_active=True).first()  # type: ignore[misc]  # no id: no user
    # A password changed since the password step (an administrator's reset) ends the attempt.
    if user is None or not constant_time_compare(str(pending.get("hash", "")), user.get_session_auth_hash()):
        request.session.pop(PENDING_KEY, None)
        return None, ""
    return user, str(pending.get("next", ""))


def _complete_sign_in(
    request: HttpRequest, user: User, *, device: TOTPDevice | None, next_url: str
) -> HttpResponse:
    """Both factors are done: sign in (rotating the session key), mark the session verified
    with the device, audit, and go on."""
    request.session.pop(PENDING_KEY, None)
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if device is not None:
        otp_login(request, device)
    services.login_record(user=user, via="web", second_factor=device is not None)
    if user.must_change_password:
        target = reverse("accounts:password_change")
        return redirect(f"{target}?{urlencode({'next': next_url})}" if next_url else target)
    return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


def _qr_svg(config_url: str) -> SafeString:
    """The provisioning URI as an inline SVG QR code (no image library, nothing external)."""
    image = qrcode.make(config_url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg = image.to_string(encoding="unicode")
    svg = re.sub(
        r'^<svg width="[^"]*" height="[^"]*"',
        '<svg width="220" height="220" role="img" style="background:#fff" aria-label="{}"'.format(
            escape(_("Mã QR để thêm tài khoản vào ứng dụng xác thực"))
        ),
        svg,
        count=1,
    )
    return mark_safe(svg)  # noqa: S308 - generated by qrcode from our own data, not user HTML


def _grouped_secret(device: TOTPDevice) -> str:
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


# --- sign-in -----------------------------------------------------------------------------------


@login_not_required
@sensitive_post_parameters("password")
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    user = request.user
    if user.is_authenticated and (user.is_verified() or not services.otp_required(user)):  # type: ignore[attr-defined]  # is_verified: django_otp.middleware.OTPMiddleware
        return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    form = LoginForm(request.POST if request.method == "POST" else None)
    retry_after: int | None = None
    if request.method == "POST" and form.is_valid():
        try:
            user = services.credentials_check(
                username=form.cleaned_data["username"], password=form.cleaned_data["password"]
            )
        except services.SignInError as exc:
            form.add_error(None, exc.message)
            retry_after = exc.retry_after if exc.code == "throttled" else None
        else:
            if not services.otp_required(user):
                return _complete_sign_in(request, user, device=None, next_url=next_url)
            # The password is right but the user is not signed in yet: remember who, in a
            # new session key, and ask for the second factor.
            request.session.cycle_key()
            request.session[PENDING_KEY] = {
                "user_id": user.pk,
                "hash": user.get_session_auth_hash(),
                "started": time.time(),
                "next": next_url,
            }
            return redirect("accounts:otp")
    response = render(
        request,
        "accounts/login.html",
        {"form": form, "next": next_url, "nav_active": "login"},
        status=200 if retry_after is None else 429,
    )
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


@login_not_required
@sensitive_post_parameters("otp")
@never_cache
def otp_view(request: HttpRequest) -> HttpResponse:
    signed_in = request.user.is_authenticated
    if signed_in:
        user: User | None = request.user  # type: ignore[assignment]
        next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
        if request.user.is_verified() or not services.otp_required(user):  # type: ignore[union-attr]
            return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    else:
        user, next_url = _pending_user(request)
    if user is None:
        messages.info(request, _("Phiên đăng nhập đã hết hạn. Vui lòng nhập lại tên đăng nhập và mật khẩu."))
        return redirect("accounts:login")
    if not services.otp_required(user):  # the policy changed while the code was being asked
        return _complete_sign_in(request, user, device=None, next_url=next_url)

    form = OtpForm(request.POST if request.method == "POST" else None)
    enrolled = has_second_factor(user)
    device = None if enrolled else selectors.pending_totp_device(user)
    if request.method == "POST" and form.is_valid():
        try:
            if enrolled:
                device = services.otp_verify(user=user, otp=form.cleaned_data["otp"])
            elif device is not None:
                services.totp_device_confirm(user=user, device=device, otp=form.cleaned_data["otp"])
            else:
                raise services.SignInError("otp_invalid", _("Vui lòng quét lại mã QR mới bên dưới."))
        except services.SignInError as exc:
            if exc.code in ("locked", "throttled"):
                request.session.pop(PENDING_KEY, None)
                if signed_in:
                    auth_logout(request)
                messages.error(request, exc.message)
                return redirect("accounts:login")
            form.add_error("otp", exc.message)
        else:
            return _complete_sign_in(request, user, device=device, next_url=next_url)
    if not enrolled and device is None:
        device = services.totp_device_create(user=user)
    context: dict[str, Any] = {
        "form": form,
        "next": next_url,
        "enrolled": enrolled,
        "username": user.get_username(),
        "nav_active": "otp",
    }
    if not enrolled and device is not None:
        context["qr_svg"] = _qr_svg(device.config_url)
        context["secret"] = _grouped_secret(device)
        context["issuer"] = settings.OTP_TOTP_ISSUER
    return render(request, "accounts/otp.html", context)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    services.logout_record(user=request.user)  # type: ignore[arg-type]
    auth_logout(request)
    messages.success(request, _("Bạn đã đăng xuất."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


@sensitive_post_parameters("old_password", "new_password", "new_password_repeat")
@never_cache
def password_change_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = PasswordChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                user=user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Đã đổi mật khẩu."))
            return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "next": next_url, "forced": user.must_change_password, "nav_active": "password"},
    )


# --- account administration --------------------------------------------------------------------


def user_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Capability.MANAGE_PEOPLE):
        raise Http404
    search = AccountSearchForm(request.GET or None)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    page = CappedPaginator(selectors.managed_accounts(user=request.user, q=q), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = urlencode({"q": q}) if q else ""
    context = {"search": search, "q": q, "query": query, "page": page, "nav_active": "accounts"}
    template = "accounts/_user_table.html" if getattr(request, "htmx", False) else "accounts/user_list.html"
    return render(request, template, context)


def _detail_context(request: HttpRequest, person: Any, **extra: Any) -> dict[str, Any]:
    return {
        "person": person,
        "account": person.user,
        "is_self": person.user_id == request.user.pk,
        "nav_active": "accounts",
        **extra,
    }


@never_cache
def user_detail(request: HttpRequest, account_id: int) -> HttpResponse:
    person = selectors.managed_account(user=request.user, account_id=account_id)
    return render(request, "accounts/user_detail.html", _detail_context(request, person))


def _admin_action(request: HttpRequest, account_id: int, action: Any, success: str) -> HttpResponse:
    person = selectors.managed_account(user=request.user, account_id=account_id)
    try:
        action(person.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, success)
    return redirect("accounts:user_detail", account_id=person.user_id)


@require_POST
@never_cache
def user_reset_password(request: HttpRequest, account_id: int) -> HttpResponse:
    """Shown once, in this response only: never stored, never put in a message or the session."""
    person = selectors.managed_account(user=request.user, account_id=account_id)
    assert person.user is not None  # found by its account
    try:
        temporary = services.user_reset_password(actor=request.user, user=person.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("accounts:user_detail", account_id=person.user_id)
    return render(
        request, "accounts/user_detail.html", _detail_context(request, person, temporary_password=temporary)
    )


@require_POST
def user_unlock(request: HttpRequest, account_id: int) -> HttpResponse:
    return _admin_action(
        request,
        account_id,
        lambda account: services.user_unlock(actor=request.user, user=account),
        _("Đã mở khóa tài khoản."),
    )


@require_POST
def user_set_active(request: HttpRequest, account_id: int) -> HttpResponse:
    active = request.POST.get("active") == "1"
    return _admin_action(
        request,
        account_id,
        lambda account: services.user_set_active(actor=request.user, user=account, active=active),
        _("Đã cho tài khoản hoạt động trở lại.") if active else _("Đã ngừng hoạt động tài khoản."),
    )


@require_POST
def user_totp_reset(request: HttpRequest, account_id: int) -> HttpResponse:
    return _admin_action(
        request,
        account_id,
        lambda account: services.totp_reset(actor=request.user, user=account),
        _("Đã xóa thiết bị xác thực hai lớp. Người dùng sẽ đăng ký lại ở lần đăng nhập tới."),
    )
