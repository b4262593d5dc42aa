"""One error format for the whole API:
``{"error": {"code": "...", "message": "<tiếng Việt>", "fields": {...}}}``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

MESSAGES: dict[str, str] = {
    "not_found": "Không tìm thấy.",
    "not_authenticated": "Chưa đăng nhập hoặc mã truy cập không hợp lệ.",
    "authentication_failed": "Đăng nhập không thành công.",
    "permission_denied": "Không có quyền thực hiện thao tác này.",
    "invalid": "Dữ liệu gửi lên chưa hợp lệ.",
    "method_not_allowed": "Phương thức không được hỗ trợ.",
    "not_acceptable": "Không đáp ứng được định dạng yêu cầu.",
    "unsupported_media_type": "Định dạng dữ liệu gửi lên không được hỗ trợ.",
    "throttled": "Quá nhiều yêu cầu, vui lòng thử lại sau.",
    "parse_error": "Dữ liệu gửi lên không đọc được.",
    "conflict": "Xung đột dữ liệu.",
}


def _flatten(detail: Any) -> Any:
    if isinstance(detail, list):
        return [_flatten(d) for d in detail]
    if isinstance(detail, dict):
        return {k: _flatten(v) for k, v in detail.items()}
    return str(detail)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    assert isinstance(exc, exceptions.APIException)
    code = exc.default_code if not isinstance(exc.get_codes(), str) else str(exc.get_codes())
    fields: dict[str, Any] = {}
    if isinstance(exc, exceptions.ValidationError):
        code = "invalid"
        detail = _flatten(exc.detail)
        if isinstance(detail, dict):
            fields = detail
            message = MESSAGES["invalid"]
            non_field = fields.pop("non_field_errors", None)
            if non_field:
                message = " ".join(non_field) if isinstance(non_field, list) else str(non_field)
        else:
            message = " ".join(detail) if isinstance(detail, list) else str(detail)
    else:
        custom = str(exc.detail) if not isinstance(exc.detail, list | dict) else ""
        # DRF's own texts are English; ours (gettext) are Vietnamese and pass through.
        message = custom if custom and custom != str(exc.default_detail) else MESSAGES.get(code, custom)
    if response.status_code == status.HTTP_403_FORBIDDEN and code == "not_authenticated":
        response.status_code = status.HTTP_401_UNAUTHORIZED
    response.data = {"error": {"code": code, "message": message, "fields": fields}}
    return response
