"""Where the current request came from, for audit entries written deep inside services."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None = None
    user_agent: str = ""


current_request: ContextVar[RequestContext | None] = ContextVar("vanphong_audit_request", default=None)


def client_ip(meta: dict[str, str]) -> str | None:
    """The client's address. Behind nginx, set VANPHONG_TRUSTED_PROXY_HOPS so that the
    address nginx saw is taken from X-Forwarded-For; otherwise REMOTE_ADDR."""
    from django.conf import settings

    hops = getattr(settings, "VANPHONG_TRUSTED_PROXY_HOPS", 0)
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        parts = [p.strip() for p in forwarded.split(",") if p.strip()]
        if len(parts) >= hops:
            return parts[-hops]
    return meta.get("REMOTE_ADDR") or None
