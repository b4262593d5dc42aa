"""Sections of the daily digest contributed by other modules.

The digest e-mail carries a person's unread notifications and, below them, what other
modules know the person has to do (the task engine: their tasks overdue and due soon).
A module registers a provider that answers, for one day and in a few queries, the sections
of *every* person it has something for — never one query per person — and the digest job
asks each provider once. Notifications stay below the modules that use them: this app
imports none of them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DigestItem:
    label: str
    url: str = ""  # a path on the site; the e-mail makes it absolute
    note: str = ""  # "quá hạn 3 ngày làm việc", "hạn 12/03/2026"


@dataclass(frozen=True)
class DigestSection:
    key: str
    title: str
    items: tuple[DigestItem, ...] = ()
    total: int = 0  # may exceed len(items): the e-mail says how many more
    url: str = ""  # the full list on the site
    extra: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "extra", max(0, self.total - len(self.items)))


DigestProvider = Callable[[dt.date], Mapping[int, list[DigestSection]]]
_providers: dict[str, DigestProvider] = {}


def register(key: str) -> Callable[[DigestProvider], DigestProvider]:
    def decorator(fn: DigestProvider) -> DigestProvider:
        _providers[key] = fn
        return fn

    return decorator


def collect(day: dt.date) -> dict[int, list[DigestSection]]:
    """Every provider's sections for ``day``, by person id. A provider that fails is logged
    and left out: the other sections (and the notifications) still go out."""
    sections: dict[int, list[DigestSection]] = {}
    for key, provider in _providers.items():
        try:
            answer = provider(day)
        except Exception:
            logger.exception("digest provider %s failed", key)
            continue
        for person_id, person_sections in answer.items():
            kept = [s for s in person_sections if s.total]
            if kept:
                sections.setdefault(person_id, []).extend(kept)
    return sections
