"""One error format for the whole API:
``{"error": {"code": "...", "message": "<tiếng Việt>", "fields": {...}}}``.

``exception_handler`` (REST_FRAMEWORK["EXCEPTION_HANDLER"]) turns every exception raised in
an API view into that format, unhandled ones included (logged, answered 500). Paths under
/api/ that match no view are answered by ``not_found`` in vanphong/api/urls.py.

One policy for what the services say, so that views need not catch anything:

- ``django.core.exceptions.PermissionDenied`` (a service refusing an action to someone who
  may see the object) answers 403 ``permission_denied`` with the service's own Vietnamese
  message, or the generic one when it gives none;
- ``django.core.exceptions.ValidationError`` answers 400 ``invalid`` with its fields;
- ``Http404`` (the access layer hiding what the caller may not see) answers 404 ``not_found``.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

logger = logging.getLogger("vanphong.api")

MESSAGES: dict[str, str] = {
    "not_found": "Không tìm thấy.",
    "not_authenticated": "Chưa đăng nhập hoặc mã truy cập không hợp lệ.",
    "authentication_failed": "Đăng nhập không thành công.",
    "permission_denied": "Không có quyền thực hiện thao tác này.",
    "csrf_failed": "Yêu cầu thiếu mã chống giả mạo (CSRF) hoặc mã không đúng. Hãy tải lại trang rồi thử lại.",
    "invalid": "Dữ liệu gửi lên chưa hợp lệ.",
    "method_not_allowed": "Phương thức {method} không được hỗ trợ tại địa chỉ này.",
    "not_acceptable": "Không đáp ứng được định dạng yêu cầu (tiêu đề Accept). API chỉ trả về JSON.",
    "unsupported_media_type": "Định dạng dữ liệu gửi lên ({media_type}) không được hỗ trợ. Hãy gửi JSON.",
    "throttled": "Quá nhiều yêu cầu, vui lòng thử lại sau.",
    "parse_error": "Dữ liệu gửi lên không đọc được (JSON không hợp lệ).",
    "conflict": "Xung đột dữ liệu.",
    "server_error": "Lỗi hệ thống. Sự cố đã được ghi lại; vui lòng thử lại sau hoặc báo quản trị viên.",
}

# DRF exceptions whose text is DRF's own (English, sometimes with English details such as a
# JSON parser message): the client gets our Vietnamese message instead.
_OWN_MESSAGE = (
    exceptions.MethodNotAllowed,
    exceptions.NotAcceptable,
    exceptions.UnsupportedMediaType,
    exceptions.Throttled,
    exceptions.ParseError,
    exceptions.NotAuthenticated,
)


class ApiError(exceptions.APIException):
    """An error with a stable ``code`` and a Vietnamese ``message`` chosen by our code."""

    def __init__(
        self, *, status_code: int, code: str, message: str, fields: dict[str, Any] | None = None
    ) -> None:
        super().__init__(detail=message, code=code)
        self.status_code = status_code
        self.error_code = code
        self.fields = fields or {}


def error_body(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def error_json(
    status_code: int, code: str, message: str, fields: dict[str, Any] | None = None
) -> JsonResponse:
    """The error format as a plain Django response (for code outside DRF views)."""
    return JsonResponse(
        error_body(code, message, fields), status=status_code, json_dumps_params={"ensure_ascii": False}
    )


# DRF messages written without gettext (so no catalogue can translate them), by their text.
_UNTRANSLATABLE: dict[str, str] = {
    # Serializer.errors when the body is JSON ``null``.
    "No data provided": "Chưa gửi dữ liệu (nội dung yêu cầu trống hoặc là null).",
}


def _flatten(detail: Any) -> Any:
    if isinstance(detail, list):
        return [_flatten(d) for d in detail]
    if isinstance(detail, dict):
        return {str(k): _flatten(v) for k, v in detail.items()}
    text = str(detail)
    return _UNTRANSLATABLE.get(text, text)


def _message_for(exc: exceptions.APIException, code: str, request: Any) -> str:
    if isinstance(exc, exceptions.MethodNotAllowed):
        return MESSAGES["method_not_allowed"].format(method=getattr(request, "method", ""))
    if isinstance(exc, exceptions.UnsupportedMediaType):
        media_type = getattr(request, "content_type", "") or "?"
        return MESSAGES["unsupported_media_type"].format(media_type=media_type)
    # ``wait`` is set by Throttled.__init__ (the stubs do not declare it).
    if isinstance(exc, exceptions.Throttled) and (wait := getattr(exc, "wait", None)) is not None:
        return f"Quá nhiều yêu cầu, vui lòng thử lại sau {int(wait) + 1} giây."
    if isinstance(exc, _OWN_MESSAGE) or code == "csrf_failed":  # DRF's "CSRF Failed: ..." is English
        return MESSAGES.get(code, MESSAGES["invalid"])
    text = str(exc.detail) if not isinstance(exc.detail, list | dict) else ""
    if text and text != str(exc.default_detail):
        return text  # raised by our code with a Vietnamese message
    return MESSAGES.get(code, text or MESSAGES["invalid"])


def _code_for(exc: exceptions.APIException) -> str:
    if isinstance(exc, ApiError):
        return exc.error_code
    codes = exc.get_codes()
    code = codes if isinstance(codes, str) else exc.default_code
    if code == "permission_denied" and str(exc.detail).startswith("CSRF Failed"):
        return "csrf_failed"
    if code == "error":  # DRF's generic default
        return exc.default_code if exc.default_code != "error" else "invalid"
    return code


def refusal(exc: PermissionDenied) -> ApiError:
    """A service's ``PermissionDenied`` as the API's 403: its own message, else the generic one."""
    message = str(exc.args[0]).strip() if exc.args else ""
    return ApiError(
        status_code=status.HTTP_403_FORBIDDEN,
        code="permission_denied",
        message=message or MESSAGES["permission_denied"],
    )


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    if isinstance(exc, PermissionDenied):
        exc = refusal(exc)
    elif isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
        # An error about no one field (Django's "__all__") is the message, as DRF's own are.
        errors["non_field_errors"] = errors.pop(NON_FIELD_ERRORS, []) + errors.get("non_field_errors", [])
        if not errors["non_field_errors"]:
            del errors["non_field_errors"]
        exc = exceptions.ValidationError(errors)
    response = drf_exception_handler(exc, context)  # also maps Http404
    if response is None:
        # Not an API exception: a bug. Log it with its traceback and answer in our format
        # (rolling back the request's transaction when ATOMIC_REQUESTS is on).
        view = context.get("view")
        request = context.get("request")
        logger.error(
            "Unhandled exception in API view %s (%s %s)",
            type(view).__name__ if view else "?",
            getattr(request, "method", "?"),
            getattr(request, "path", "?"),
            exc_info=exc,
        )
        set_rollback()
        return Response(
            error_body("server_error", MESSAGES["server_error"]), status=status.HTTP_500_INTERNAL_SERVER_ERROR
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    assert isinstance(exc, exceptions.APIException)
    code = _code_for(exc)
    fields: dict[str, Any] = {}
    if isinstance(exc, ApiError):
        message, fields = str(exc.detail), exc.fields
    elif isinstance(exc, exceptions.ValidationError):
        code = "invalid"
        detail = _flatten(exc.detail)
        message = MESSAGES["invalid"]
        if isinstance(detail, dict):
            fields = detail
            non_field = fields.pop("non_field_errors", None)
            if non_field:
                message = " ".join(non_field) if isinstance(non_field, list) else str(non_field)
        elif detail:
            message = " ".join(detail) if isinstance(detail, list) else str(detail)
    else:
        message = _message_for(exc, code, context.get("request"))
    unauthenticated = code in {"not_authenticated", "authentication_failed"}
    if response.status_code == status.HTTP_403_FORBIDDEN and unauthenticated:
        response.status_code = status.HTTP_401_UNAUTHORIZED
    if response.status_code == status.HTTP_401_UNAUTHORIZED and "WWW-Authenticate" not in response:
        response["WWW-Authenticate"] = "Bearer"  # a 401 must say how to authenticate (RFC 9110)
    response.data = error_body(code, message, fields)
    return response
