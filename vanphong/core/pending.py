"""Pending work shown on each user's home page.

Every module that gives people something to do (documents waiting to be registered or
directed, tasks due, reports to submit) registers a provider here; the home page asks each
one. Providers return a short, already access-checked summary, never full lists.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PendingGroup:
    key: str
    title: str
    count: int
    url: str
    items: tuple[tuple[str, str], ...] = ()  # (label, url) of the first few


PendingProvider = Callable[[Any], PendingGroup | None]
_providers: dict[str, PendingProvider] = {}


def register(key: str) -> Callable[[PendingProvider], PendingProvider]:
    def decorator(fn: PendingProvider) -> PendingProvider:
        _providers[key] = fn
        return fn

    return decorator


def pending_for(user: Any) -> list[PendingGroup]:
    """Ask every provider. One module's failure is logged and leaves its group out: the
    home page is everyone's way in and must not fall with it."""
    groups = []
    for key, provider in _providers.items():
        try:
            group = provider(user)
        except Exception:
            logger.exception("pending-work provider %s failed", key)
            continue
        if group is not None and group.count:
            groups.append(group)
    return groups
