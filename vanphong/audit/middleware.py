from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from vanphong.audit.context import RequestContext, client_ip, current_request


class RequestContextMiddleware:
    """Makes the client's address and browser known to ``audit_record`` for this request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(
            RequestContext(
                ip_address=client_ip(request.META),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:255],
            )
        )
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)
