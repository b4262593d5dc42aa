"""Sign-in for API clients (bearer tokens) and the answer for unknown /api/ paths."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from vanphong.accounts import services as accounts
from vanphong.accounts import throttle
from vanphong.accounts.authentication import BearerTokenAuthentication
from vanphong.accounts.models import ApiToken, hash_token
from vanphong.audit.services import audit_record
from vanphong.core.api.errors import ApiError, error_body, error_json
from vanphong.core.api.schema import error_responses

# HTTP status for each refused sign-in step (documented in docs/api.md).
SIGN_IN_STATUS = {
    "invalid_credentials": status.HTTP_401_UNAUTHORIZED,
    "otp_required": status.HTTP_401_UNAUTHORIZED,
    "otp_invalid": status.HTTP_401_UNAUTHORIZED,
    "locked": status.HTTP_403_FORBIDDEN,
    "inactive": status.HTTP_403_FORBIDDEN,
    "throttled": status.HTTP_429_TOO_MANY_REQUESTS,
}


class TokenCreateSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, label="Tên đăng nhập")
    # Secrets (vanphong.core.forms.is_secret_field): never sent back, any character taken.
    password = serializers.CharField(
        max_length=4096,
        trim_whitespace=False,
        label="Mật khẩu",
        write_only=True,
        style={"input_type": "password"},
    )
    otp = serializers.CharField(
        max_length=16,
        required=False,
        allow_blank=True,
        write_only=True,
        style={"input_type": "password"},
        label="Mã xác thực hai lớp",
        help_text="Mã 6 chữ số từ ứng dụng xác thực; bắt buộc với tài khoản phải dùng xác thực hai lớp.",
    )
    name = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        label="Tên mã truy cập",
        help_text="Tên gợi nhớ, ví dụ tên máy hoặc ứng dụng dùng mã.",
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Chỉ hiển thị một lần; hệ thống chỉ lưu mã băm.")
    expires_at = serializers.DateTimeField()


class TokenView(APIView):
    # POST: exchange a username, password (and TOTP code) for a bearer token.
    # DELETE: revoke the token the request was made with.

    authentication_classes = [BearerTokenAuthentication]

    def perform_authentication(self, request: Request) -> None:
        # Signing in needs no identity; a stale token in the client's headers must not
        # stand in the way of getting a new one.
        if request.method != "POST":
            super().perform_authentication(request)

    def get_permissions(self) -> list[Any]:
        if getattr(self.request, "method", None) == "POST":
            return [AllowAny()]
        return [IsAuthenticated()]

    @extend_schema(
        operation_id="auth_token_create",
        summary="Lấy mã truy cập (đăng nhập)",
        description=(
            "Đổi tên đăng nhập, mật khẩu (và mã xác thực hai lớp khi tài khoản phải dùng) lấy một mã "
            "truy cập. Sai thông tin: 401 (invalid_credentials, otp_required, otp_invalid); tài khoản "
            "bị khóa hoặc ngừng hoạt động, hay phải đổi mật khẩu: 403 (locked, inactive, "
            "password_change_required). Đăng nhập sai quá nhiều lần từ một địa chỉ: 429 (throttled), "
            "kèm tiêu đề Retry-After (số giây phải đợi)."
        ),
        request=TokenCreateSerializer,
        responses={201: TokenSerializer, **error_responses(400, 401, 403, 429)},
        auth=[],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        data = TokenCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        try:
            user = accounts.credentials_check(username=fields["username"], password=fields["password"])
            second_factor = accounts.otp_required(user)
            if second_factor:
                accounts.otp_check(user=user, otp=fields.get("otp") or "")
        except accounts.SignInError as exc:
            if exc.code == "throttled":
                return Response(
                    error_body(exc.code, exc.message),
                    status=status.HTTP_429_TOO_MANY_REQUESTS,
                    headers={"Retry-After": str(exc.retry_after or 60)},
                )
            raise ApiError(
                status_code=SIGN_IN_STATUS.get(exc.code, status.HTTP_401_UNAUTHORIZED),
                code=exc.code,
                message=exc.message,
            ) from None
        if user.must_change_password:
            raise ApiError(
                status_code=status.HTTP_403_FORBIDDEN,
                code="password_change_required",
                message="Tài khoản phải đổi mật khẩu do quản trị viên đặt. Hãy đăng nhập trên trang web "
                "để đổi mật khẩu rồi lấy mã truy cập.",
            )
        with transaction.atomic():
            key = accounts.api_token_issue(
                user=user, name=fields.get("name", ""), second_factor=second_factor
            )
            audit_record(
                actor=user,
                action="auth.login",
                target=user,
                organization_id=_organization_id(user),
                after={"via": "api", "second_factor": second_factor},
            )
        throttle.record_success(user.get_username())
        expires_at = ApiToken.objects.values_list("expires_at", flat=True).get(digest=hash_token(key))
        return Response(
            TokenSerializer({"token": key, "expires_at": expires_at}).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        operation_id="auth_token_destroy",
        summary="Thu hồi mã truy cập đang dùng",
        description="Thu hồi chính mã truy cập gửi kèm yêu cầu này (tiêu đề Authorization: Bearer).",
        request=None,
        responses={204: None, **error_responses(401)},
        tags=["auth"],
    )
    def delete(self, request: Request) -> Response:
        assert isinstance(request.auth, ApiToken)  # only bearer authentication reaches here
        accounts.api_token_revoke(token=request.auth, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema (YAML, or JSON with ?format=json), for signed-in callers only.
    Its errors are JSON in the common format whatever format was asked for."""

    permission_classes = [IsAuthenticated]

    def handle_exception(self, exc: Exception) -> Response:
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = "application/json"
        return response


def _organization_id(user: Any) -> int | None:
    person = getattr(user, "person", None)  # RelatedObjectDoesNotExist is an AttributeError
    return person.organization_id if person is not None else None


@login_not_required
@csrf_exempt
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any /api/ path that matches no endpoint: the JSON error, never an HTML page.

    Like Django's APPEND_SLASH (which a catch-all route disables), a GET for a known
    endpoint written without its final slash is redirected to it."""
    if request.method in {"GET", "HEAD"} and not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(request.path + "/" + (f"?{query}" if query else ""))
    return error_json(
        status.HTTP_404_NOT_FOUND,
        "not_found",
        "Không tìm thấy địa chỉ API này. Các địa chỉ của API v1 bắt đầu bằng /api/v1/ và kết thúc "
        "bằng dấu “/”; danh sách đầy đủ ở /api/docs/.",
    )
