from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from vanphong.accounts.second_factor import second_factor_required


class SecondFactorMiddleware:
    """After the password, a user who must use TOTP reaches nothing but the verification
    page (and sign-out) until the code is given. A user who must change a password an
    administrator set reaches only the password page.

    The sign-in itself does not log a user in before the second factor (see views.py), so
    this guards the remaining cases: the policy started applying to a user during their
    session, or their device was reset. Only the few sign-in pages are exempt, not the whole
    /tai-khoan/ prefix (account administration lives there too). Session-authenticated API
    calls get the API's JSON error instead of a redirect; bearer-token calls are not seen
    here (DRF authenticates them later) and their tokens are only issued after the second
    factor.

    Django admin's own login form is sent to ours, so that the lockout and the second factor
    cannot be bypassed there.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @cached_property
    def _paths(self) -> dict[str, str]:
        paths = {name: reverse(f"accounts:{name}") for name in ("login", "logout", "otp", "password_change")}
        try:
            paths["admin_login"] = reverse("admin:login")
        except NoReverseMatch:
            paths["admin_login"] = ""
        return paths

    @cached_property
    def _exempt_prefixes(self) -> tuple[str, ...]:
        static = str(settings.STATIC_URL)
        return (static if static.startswith("/") else f"/{static}", "/healthz")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        paths = self._paths
        path = request.path
        user = request.user
        # Django admin's login: signed-in users may see its "not authorised" notice, but no
        # one signs in there.
        if (
            paths["admin_login"]
            and path == paths["admin_login"]
            and (request.method != "GET" or not user.is_authenticated)
        ):
            next_url = request.GET.get("next") or reverse("admin:index")
            return redirect(f"{paths['login']}?{urlencode({'next': next_url})}")
        if not user.is_authenticated or path.startswith(self._exempt_prefixes):
            return self.get_response(request)
        if path in (paths["login"], paths["logout"], paths["otp"]):
            return self.get_response(request)
        if second_factor_required(user) and not user.is_verified():  # type: ignore[attr-defined]  # is_verified: django_otp.middleware.OTPMiddleware
            return self._refuse(
                request,
                "otp_required",
                _("Phiên đăng nhập cần xác thực hai lớp. Hãy nhập mã xác thực trên trang web."),
                paths["otp"],
            )
        if getattr(user, "must_change_password", False) and path != paths["password_change"]:
            return self._refuse(
                request,
                "password_change_required",
                _("Bạn phải đổi mật khẩu do quản trị đặt trước khi tiếp tục."),
                paths["password_change"],
            )
        return self.get_response(request)

    @staticmethod
    def _refuse(request: HttpRequest, code: str, message: str, page: str) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse({"error": {"code": code, "message": message, "fields": {}}}, status=403)
        target = f"{page}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)
