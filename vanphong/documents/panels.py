"""Panels of the document page. Each flow (files, links, outgoing circuit, readers of a
classified document...) registers a function that returns a template and its context for
one document and reader, or None when it has nothing to show; the page renders them in
order. This keeps the page's view small and each flow's data next to its own code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    template: str
    context: dict[str, Any]


PanelFunction = Callable[[HttpRequest, Any], Panel | None]
_panels: list[tuple[int, str, PanelFunction]] = []


def register(key: str, *, order: int = 100) -> Callable[[PanelFunction], PanelFunction]:
    def decorator(fn: PanelFunction) -> PanelFunction:
        _panels[:] = [p for p in _panels if p[1] != key]
        _panels.append((order, key, fn))
        _panels.sort(key=lambda p: (p[0], p[1]))
        return fn

    return decorator


def panels_for(request: HttpRequest, document: Any) -> list[Panel]:
    result = []
    for _order, _key, fn in _panels:
        panel = fn(request, document)
        if panel is not None:
            result.append(panel)
    return result
