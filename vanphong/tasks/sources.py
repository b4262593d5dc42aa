"""The documents a task links to — its source, the evidence of its progress, its result —
without the task engine importing the documents app, which stands above it.

The engine keeps them as foreign keys to ``documents.Document`` (named by string) and asks,
through this module, which documents a person may see: the documents app registers that
query when it starts (``DocumentsConfig.ready``). A later work app that gives tasks passes
its own objects as ``source`` (a generic reference) and needs nothing here."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, Q, QuerySet

from vanphong.orgs.actors import Actor

VisibleDocuments = Callable[[Actor | None], QuerySet[Any]]
_visible: list[VisibleDocuments] = []


def register_document_access(visible: VisibleDocuments) -> None:
    """Tell the engine how to find the documents a user may see (the documents app's
    access rule, clearance and need-to-know included)."""
    _visible[:] = [visible]


def documents_visible_to(user: Actor | None) -> QuerySet[Any]:
    if not _visible:
        raise ImproperlyConfigured("The documents app has not registered its access rule with the engine.")
    return _visible[0](user)


def document_model() -> type[Model]:
    return apps.get_model("documents", "Document")


def find_documents(
    user: Actor | None, query: str, *, exact: bool = False, limit: int = 15, exclude: Iterable[Any] = ()
) -> list[Any]:
    """Documents ``user`` may see by their id or symbol: the symbol exactly (``exact``) or
    beginning with ``query``; newest first."""
    query = " ".join((query or "").split())[:100]
    if not query:
        return []
    match = Q(symbol__iexact=query) if exact else Q(symbol__istartswith=query)
    digits = query.lstrip("#")
    if digits.isdigit() and len(digits) < 12:
        match |= Q(pk=int(digits))
    qs: QuerySet[Any] = (
        documents_visible_to(user)
        .filter(match)
        .exclude(pk__in=list(exclude))
        .only("pk", "symbol", "subject", "issued_date", "classification")
        .order_by("-issued_date", "-pk")
    )
    return list(qs[:limit])


# --- Links back to the object a task was given from ----------------------------------------

# (reader, source id) -> (url, words) of the page the task came from, or None when the reader
# may not see it. Registered by the work app that owns the source model (its AppConfig.ready).
SourceLink = Callable[[Actor | None, int], tuple[str, str] | None]
_links: dict[str, SourceLink] = {}


def register_source_link(model_label: str, link: SourceLink) -> None:
    """Tell the engine how to link a task back to its source of model ``app_label.model``."""
    _links[model_label.lower()] = link


def source_link(user: Actor | None, task: Any) -> tuple[str, str] | None:
    """The page ``task`` came from (a meeting, for a conclusion), as ``user`` may open it."""
    if task.source_type_id is None or task.source_id is None:
        return None
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_id(task.source_type_id)
    link = _links.get(f"{content_type.app_label}.{content_type.model}")
    return link(user, task.source_id) if link is not None else None
