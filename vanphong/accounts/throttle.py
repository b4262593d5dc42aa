"""Holding back sign-in floods, in the cache (docs/security.md, "Sign-in floods").

Failed sign-ins (wrong password, unknown user, wrong second-factor code) are counted twice:

- per **account and client address**: after ``VANPHONG_LOGIN_MAX_FAILURES`` failures that
  pair is held back for ``VANPHONG_LOGIN_LOCKOUT_MINUTES``, doubled on each repeat within a
  day (up to ``VANPHONG_LOGIN_LOCKOUT_MAX_MINUTES``). The same account from another
  address is not affected, so an attacker cannot keep its owner out;
- per **client address** (any account): after ``VANPHONG_LOGIN_ADDRESS_MAX_FAILURES``
  failures within ``VANPHONG_LOGIN_ADDRESS_WINDOW_MINUTES`` the address is held back for
  that long. IPv6 addresses count by their /64 network.

A held-back attempt is refused before the password is checked (HTTP 429, ``Retry-After``).
The sign-in page and the token endpoint share the counters. The client address is the one
the audit middleware established (REMOTE_ADDR, or X-Forwarded-For with
VANPHONG_TRUSTED_PROXY_HOPS).

Counters use ``cache.add`` then ``cache.incr`` (atomic in Redis and in the local-memory
cache); they expire on their own.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from vanphong.audit.context import current_request

_PREFIX = "vanphong:signin"
_STRIKE_SECONDS = 24 * 3600
UNKNOWN_ADDRESS = "-"


@dataclass(frozen=True)
class Hold:
    """A refusal until ``until`` (epoch seconds) of the account from this address
    (``scope="account"``) or of the address itself (``scope="address"``)."""

    until: float
    scope: str

    @property
    def retry_after(self) -> int:
        return max(1, math.ceil(self.until - time.time()))


def client_address() -> str:
    """The client address of the request in progress (see module doc), or ``-``."""
    ctx = current_request.get()
    raw = ctx.ip_address if ctx is not None else None
    if not raw:
        return UNKNOWN_ADDRESS
    try:
        address = ipaddress.ip_address(raw.strip().split("%", 1)[0])
    except ValueError:
        return UNKNOWN_ADDRESS
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def _account(username: str) -> str:
    return hashlib.sha256(username.strip().casefold().encode("utf-8")).hexdigest()[:32]


def _generation(account: str) -> str:
    return str(cache.get(f"{_PREFIX}:gen:{account}", 0))


def _pair(username: str, address: str) -> str:
    account = _account(username)
    return f"{account}:{_generation(account)}:{address}"


def _incr(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout)
        return 1


def _hold(key: str, seconds: int, scope: str) -> Hold:
    hold = Hold(until=time.time() + seconds, scope=scope)
    cache.set(key, hold.until, seconds)
    return hold


def _current(key: str, scope: str) -> Hold | None:
    until = cache.get(key)
    if until is None or float(until) <= time.time():
        return None
    return Hold(until=float(until), scope=scope)


def held(username: str, address: str | None = None) -> Hold | None:
    """The hold that refuses this attempt now, if any (the longer of the two)."""
    address = address or client_address()
    holds = [
        h
        for h in (
            _current(f"{_PREFIX}:hold:addr:{address}", "address"),
            _current(f"{_PREFIX}:hold:pair:{_pair(username, address)}", "account"),
        )
        if h is not None
    ]
    return max(holds, key=lambda h: h.until) if holds else None


def record_failure(username: str, address: str | None = None) -> Hold | None:
    """Count one failed attempt; returns the hold this failure started, if any."""
    address = address or client_address()
    started: Hold | None = None
    window = settings.VANPHONG_LOGIN_ADDRESS_WINDOW_MINUTES * 60
    if _incr(f"{_PREFIX}:fails:addr:{address}", window) >= settings.VANPHONG_LOGIN_ADDRESS_MAX_FAILURES:
        cache.delete(f"{_PREFIX}:fails:addr:{address}")
        started = _hold(f"{_PREFIX}:hold:addr:{address}", window, "address")
    pair = _pair(username, address)
    # The pair's failures are forgotten after the longest hold, so that only a success (or
    # a quiet day) resets them.
    pair_window = settings.VANPHONG_LOGIN_LOCKOUT_MAX_MINUTES * 60
    if _incr(f"{_PREFIX}:fails:pair:{pair}", pair_window) >= settings.VANPHONG_LOGIN_MAX_FAILURES:
        cache.delete(f"{_PREFIX}:fails:pair:{pair}")
        strikes = _incr(f"{_PREFIX}:strikes:pair:{pair}", _STRIKE_SECONDS)
        minutes = min(
            settings.VANPHONG_LOGIN_LOCKOUT_MINUTES * 2 ** min(strikes - 1, 20),
            settings.VANPHONG_LOGIN_LOCKOUT_MAX_MINUTES,
        )
        pair_hold = _hold(f"{_PREFIX}:hold:pair:{pair}", int(minutes * 60), "account")
        if started is None or pair_hold.until > started.until:
            started = pair_hold
    return started


def record_success(username: str, address: str | None = None) -> None:
    """A completed sign-in: this address's failures on the account are forgotten."""
    address = address or client_address()
    pair = _pair(username, address)
    cache.delete_many([f"{_PREFIX}:fails:pair:{pair}", f"{_PREFIX}:strikes:pair:{pair}"])


def release(username: str) -> None:
    """Lift every hold of the account, from every address (an administrator's unlock or
    password reset): the account's counters start a new generation."""
    cache.set(f"{_PREFIX}:gen:{_account(username)}", time.time_ns(), None)
