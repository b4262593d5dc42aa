"""Instance to instance over HTTPS: a package posted to the peer's inbox, authenticated and
protected in transit by an HMAC-SHA256 over who sends, when, what kind, for which
organisation and the SHA-256 of the exact bytes, with the secret the receiving side issued.

Each instance has a code (``VANPHONG_INSTANCE_CODE``); a peer is known by its code. Side A's
``Peer(code="b").outbound_secret`` is side B's ``Peer(code="a").inbound_secret``. A request more
than ``VANPHONG_EXCHANGE_CLOCK_SKEW`` seconds old or ahead is refused (a replay within the window
changes nothing: delivery is idempotent).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import ssl
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from vanphong.exchange.models import Peer

INBOX_PATH = "api/v1/exchange/inbox/"
HEADER_INSTANCE = "X-Vanphong-Instance"
HEADER_TIMESTAMP = "X-Vanphong-Timestamp"
HEADER_SIGNATURE = "X-Vanphong-Signature"
KINDS = ("edxml", "figures")


class TransportError(Exception):
    """The peer could not be reached or answered with a server error: try again later."""


class DeliveryRefused(Exception):
    """The peer answered and refused the package (4xx): sending it again will not help."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def signature(
    secret: str, *, instance: str, timestamp: str, kind: str, organization: str, data: bytes
) -> str:
    message = "\n".join([instance, timestamp, kind, organization, hashlib.sha256(data).hexdigest()])
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


@dataclass
class Request:
    url: str
    body: bytes
    headers: dict[str, str]


def _multipart(fields: dict[str, str], name: str, data: bytes, content_type: str) -> tuple[bytes, str]:
    boundary = f"----vanphong{uuid.uuid4().hex}"
    lines: list[bytes] = []
    for key, value in fields.items():
        lines += [
            f"--{boundary}".encode(),
            f'Content-Disposition: form-data; name="{key}"'.encode(),
            b"",
            value.encode(),
        ]
    lines += [
        f"--{boundary}".encode(),
        f'Content-Disposition: form-data; name="file"; filename="{name}"'.encode(),
        f"Content-Type: {content_type}".encode(),
        b"",
        data,
        f"--{boundary}--".encode(),
        b"",
    ]
    return b"\r\n".join(lines), f"multipart/form-data; boundary={boundary}"


def signed_request(peer: Peer, data: bytes, *, kind: str, organization: str, name: str) -> Request:
    """The request that delivers ``data`` to ``peer`` (built apart from sending it, so that a
    test can alter it in transit)."""
    instance = settings.VANPHONG_INSTANCE_CODE
    timestamp = str(int(time.time()))
    content_type = "application/json" if kind == "figures" else "application/xml"
    body, multipart_type = _multipart({"organization": organization, "kind": kind}, name, data, content_type)
    headers = {
        "Content-Type": multipart_type,
        HEADER_INSTANCE: instance,
        HEADER_TIMESTAMP: timestamp,
        HEADER_SIGNATURE: signature(
            peer.outbound_secret,
            instance=instance,
            timestamp=timestamp,
            kind=kind,
            organization=organization,
            data=data,
        ),
        "Accept": "application/json",
    }
    return Request(url=peer.base_url.rstrip("/") + "/" + INBOX_PATH, body=body, headers=headers)


def _context() -> ssl.SSLContext:
    cafile = settings.VANPHONG_EXCHANGE_CA_FILE or None
    return ssl.create_default_context(cafile=cafile)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A peer's inbox answers; it never sends the package elsewhere (a redirect would turn the
    POST into a GET to any address, plain HTTP included, with our headers)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.HTTPSHandler(context=_context()), _NoRedirect())


def post(request: Request) -> dict[str, Any]:
    """Send ``request``; the peer's JSON answer. ``DeliveryRefused`` for a 4xx answer,
    ``TransportError`` for anything to try again (no answer, 5xx, not JSON)."""
    if request.url.startswith("http://") and not settings.VANPHONG_EXCHANGE_ALLOW_HTTP:
        raise DeliveryRefused(
            0, "Chỉ gửi được qua HTTPS: địa chỉ của hệ thống bên kia phải bắt đầu bằng https://."
        )
    # The address is a peer's https:// base URL (http:// only where allowed, checked above).
    outgoing = urllib.request.Request(  # noqa: S310
        request.url, data=request.body, headers=request.headers, method="POST"
    )
    try:
        with _opener().open(outgoing, timeout=settings.VANPHONG_EXCHANGE_TIMEOUT) as response:
            raw = response.read(1024 * 1024)
    except urllib.error.HTTPError as exc:
        detail = _detail(exc.read(64 * 1024))
        if 300 <= exc.code < 400:
            raise TransportError(f"HTTP {exc.code}: hệ thống bên kia chuyển hướng, không gửi theo.") from None
        if 400 <= exc.code < 500 and exc.code not in (408, 429):
            raise DeliveryRefused(exc.code, detail or f"HTTP {exc.code}") from None
        raise TransportError(f"HTTP {exc.code}: {detail}"[:1000]) from None
    except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:
        raise TransportError(str(getattr(exc, "reason", exc))[:1000] or type(exc).__name__) from None
    try:
        answer = json.loads(raw)
    except ValueError:
        raise TransportError("Hệ thống bên kia trả lời không phải JSON.") from None
    if not isinstance(answer, dict):
        raise TransportError("Hệ thống bên kia trả lời không đúng định dạng.")
    return answer


def _detail(raw: bytes) -> str:
    try:
        answer = json.loads(raw)
    except ValueError:
        return raw.decode("utf-8", "replace")[:500]
    if isinstance(answer, dict):
        return str(answer.get("detail") or answer.get("reason") or answer)[:1000]
    return str(answer)[:1000]


@dataclass
class Verified:
    peer: Peer
    kind: str
    organization: str


class Unauthenticated(Exception):
    pass


class Altered(Exception):
    """The peer is known but the signature does not match the bytes: altered in transit (or a
    wrong secret). The package is kept for inspection."""

    def __init__(self, peer: Peer) -> None:
        super().__init__("altered")
        self.peer = peer


def verify(*, headers: Any, kind: str, organization: str, data: bytes, now: float | None = None) -> Verified:
    """The peer that sent this request, or ``Unauthenticated`` / ``Altered``."""
    instance = (headers.get(HEADER_INSTANCE) or "").strip()
    timestamp = (headers.get(HEADER_TIMESTAMP) or "").strip()
    given = (headers.get(HEADER_SIGNATURE) or "").strip()
    if not instance or not timestamp.isdigit() or not given:
        raise Unauthenticated("Thiếu thông tin xác thực của hệ thống gửi.")
    peer = Peer.objects.filter(code=instance[:60], active=True).first()
    if peer is None or not peer.inbound_secret:
        raise Unauthenticated("Hệ thống gửi chưa được khai báo kết nối liên thông.")
    skew = abs((now if now is not None else time.time()) - int(timestamp))
    if skew > settings.VANPHONG_EXCHANGE_CLOCK_SKEW:
        raise Unauthenticated("Yêu cầu đã quá hạn (lệch giờ giữa hai hệ thống quá lớn).")
    if kind not in KINDS:
        raise Unauthenticated("Loại gói tin không hợp lệ.")
    expected = signature(
        peer.inbound_secret,
        instance=instance,
        timestamp=timestamp,
        kind=kind,
        organization=organization,
        data=data,
    )
    if not hmac.compare_digest(expected, given):
        raise Altered(peer)
    return Verified(peer=peer, kind=kind, organization=organization)
