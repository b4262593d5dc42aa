"""How API callers prove who they are: a bearer token (scripts, other offices' systems,
mobile clients) or the browser session of a signed-in user (htmx pages, the API docs)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from vanphong.accounts.models import ApiToken, hash_token
from vanphong.accounts.second_factor import second_factor_required
from vanphong.orgs.actors import Actor

# Writing last_used_at on every request would turn each read into a write; once every few
# minutes is enough to tell a live token from a forgotten one.
_LAST_USED_RESOLUTION_SECONDS = 300


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer <token>``; tokens are stored hashed and can be revoked.
    ``request.auth`` is the ``ApiToken`` row."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Tiêu đề Authorization không đúng dạng 'Bearer <mã>'."))
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Mã truy cập không hợp lệ.")) from None
        token = ApiToken.objects.select_related("user").filter(digest=hash_token(key)).first()
        now = timezone.now()
        if token is None or not token.is_usable(now) or not token.user.is_active:
            raise exceptions.AuthenticationFailed(
                _("Mã truy cập không hợp lệ, đã hết hạn hoặc đã bị thu hồi.")
            )
        if not token.second_factor and second_factor_required(token.user):
            # Issued before the user had to use a second factor (a clearance or role given
            # since, or a stricter policy): sign in again with the code.
            raise exceptions.AuthenticationFailed(
                _("Tài khoản này nay phải xác thực hai lớp: hãy lấy mã truy cập mới kèm mã xác thực (otp)."),
                code="otp_required",
            )
        if (
            token.last_used_at is None
            or (now - token.last_used_at).total_seconds() > _LAST_USED_RESOLUTION_SECONDS
        ):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """The browser session, with CSRF enforced, counted only once the session has passed
    everything the pages demand: the TOTP second factor for those who must use one and a
    password change an administrator required. (The page middleware that enforces both
    leaves /api/ alone, so the check is repeated here.)"""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        user = getattr(request._request, "user", None)
        if user is None or not user.is_active:
            return None
        if getattr(user, "must_change_password", False):
            return None
        if second_factor_required(user) and not _session_verified(user):
            return None
        self.enforce_csrf(request)
        return user, None


def _session_verified(user: Actor) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "Mã truy cập lấy từ POST /api/v1/auth/token/, gửi trong tiêu đề "
                "`Authorization: Bearer <mã>`. Hết hạn sau "
                f"{settings.VANPHONG_API_TOKEN_DAYS} ngày hoặc khi bị thu hồi."
            ),
        }


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    target_class = VerifiedSessionAuthentication
    name = "cookieAuth"
    priority = -1

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}
