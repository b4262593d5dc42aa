from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .second_factor import second_factor_required

# Paths a signed-in user may use before the second factor is done.
_EXEMPT_PREFIXES = ("/tai-khoan/", "/static/", "/healthz", "/api/")


class SecondFactorMiddleware:
    """After the password, a user who must use TOTP reaches nothing but the enrolment and
    verification pages (and sign-out) until the code is given. A user who must change a
    password an administrator set reaches only the password page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not request.path.startswith(_EXEMPT_PREFIXES):
            if second_factor_required(user) and not user.is_verified():  # type: ignore[union-attr]
                return redirect(f"{reverse('accounts:otp')}?next={request.get_full_path()}")
            if getattr(user, "must_change_password", False):
                return redirect(reverse("accounts:password_change"))
        return self.get_response(request)
