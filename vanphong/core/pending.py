"""Pending work shown on each user's home page.

Every module that gives people something to do (documents waiting to be registered or
directed, tasks due, reports to submit) registers a provider here; the home page asks each
one. Providers return a short, already access-checked summary, never full lists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


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
    groups = []
    for provider in _providers.values():
        group = provider(user)
        if group is not None and group.count:
            groups.append(group)
    return groups
