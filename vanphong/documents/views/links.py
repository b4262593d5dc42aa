"""The links panel of the document page: what this document cites, and what cites it."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.utils.translation import gettext as _

from vanphong.documents import panels
from vanphong.documents.access import document_visibility_q
from vanphong.documents.models import Document, DocumentLink
from vanphong.orgs.actors import Actor


def links_for(user: Actor, document: Document) -> dict[str, Sequence[DocumentLink]]:
    """Outgoing links (each with ``target_visible``: linked only when the reader may see
    the target) and incoming links from documents the reader may see."""
    visible = Document.objects.filter(document_visibility_q(user))
    outgoing = list(
        DocumentLink.objects.filter(source=document)
        .annotate(target_visible=Exists(visible.filter(pk=OuterRef("target_id"))))
        .select_related("target")
        .only(
            "kind", "symbol", "doc_type", "referenced_date", "quote",
            "target__symbol", "target__subject", "target__issued_date",
        )
        .order_by("kind", "id")
    )  # fmt: skip
    for link in outgoing:
        if not link.target_visible:
            link.target = None  # the reader sees the reference as written, nothing of the target
    incoming = list(
        DocumentLink.objects.filter(target=document)
        .filter(Exists(visible.filter(pk=OuterRef("source_id"))))
        .select_related("source")
        .only("kind", "source__symbol", "source__subject", "source__issued_date")
        .order_by("-source__issued_date", "-id")[:200]
    )
    return {"outgoing": outgoing, "incoming": incoming}


@panels.register("links", order=30)
def links_panel(request: HttpRequest, document: Document) -> panels.Panel | None:
    links = links_for(request.user, document)
    if not links["outgoing"] and not links["incoming"]:
        return None
    return panels.Panel(
        key="links",
        title=_("Văn bản liên quan"),
        template="documents/links/_panel.html",
        context=links,
    )
