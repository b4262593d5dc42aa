"""Content-Security-Policy on every response (issue "Hardening", item 5).

The pages load only local assets and carry no inline scripts, styles or event handlers, so
the policy allows nothing but this origin. Django 5.2 has no built-in CSP (6.0 does); this
middleware is the small stand-in. The policy is settings.VANPHONG_CSP (an empty value turns
the header off); settings.VANPHONG_CSP_PATHS gives a path prefix its own policy (the API's
Swagger and Redoc pages, third-party code that needs inline scripts and styles).

The server-error page (templates/500.html) is self-contained on purpose, its styles inline
(it must render when the static files are the cause): a 5xx answer may use inline styles.
It is a fixed template, rendered without a context, so nothing of the caller's reaches it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"


def policy_for(path: str, status: int) -> str:
    for prefix, policy in getattr(settings, "VANPHONG_CSP_PATHS", {}).items():
        if path.startswith(prefix):
            return policy
    policy = getattr(settings, "VANPHONG_CSP", "")
    if status >= 500:
        policy = policy.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
    return policy


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = policy_for(request.path, response.status_code)
        if policy and HEADER not in response:
            response[HEADER] = policy
        return response
