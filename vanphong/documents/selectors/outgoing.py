"""Reads of the outgoing flow, with access applied in SQL (``documents_visible_to``).

The outgoing list is the issuing side's: documents of organisations where the reader holds
a role, plus drafts they wrote or review. A recipient sees a delivered document in its
incoming list instead. Lists never load body text or files.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from vanphong.documents.access import documents_visible_to
from vanphong.documents.models import Document, DocumentState, Recipient, ReviewDecision, ReviewStep
from vanphong.orgs.access import Capability, scope_for
from vanphong.orgs.actors import Actor

OUTGOING_STATES = (
    DocumentState.DRAFT,
    DocumentState.IN_REVIEW,
    DocumentState.APPROVED,
    DocumentState.ISSUED,
    DocumentState.WITHDRAWN,
)
LIST_FIELDS = (
    "id",
    "organization",
    "state",
    "style",
    "doc_type",
    "number",
    "symbol",
    "issued_date",
    "subject",
    "urgency",
    "classification",
    "signer_name",
    "created_at",
    "created_by",
)


def _outgoing_scope(user: Actor) -> Q:
    scope = scope_for(user)
    me = scope.person_id
    own_side = scope.org_q(Capability.READ, prefix="organization__")
    if me is None:
        return own_side
    return (
        own_side
        | Q(created_by_id=me)
        | Q(Exists(ReviewStep.objects.filter(document=OuterRef("pk"), reviewer_id=me)))
    )


def outgoing_base(user: Actor) -> QuerySet[Document]:
    return documents_visible_to(
        user, Document.objects.filter(state__in=OUTGOING_STATES, original__isnull=True)
    ).filter(_outgoing_scope(user))


def outgoing_list(
    *,
    user: Actor,
    state: str | None = None,
    doc_type: str | None = None,
    organization: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    q: str | None = None,
) -> QuerySet[Document]:
    """Outgoing documents the reader may see, newest first, filtered in SQL. Dates bound
    the issue date of issued documents and the creation date of the others."""
    documents = outgoing_base(user)
    if state:
        documents = documents.filter(state=state)
    if doc_type:
        documents = documents.filter(doc_type=doc_type)
    if organization:
        documents = documents.filter(organization_id=organization)
    if date_from:
        documents = documents.filter(
            Q(issued_date__gte=date_from) | Q(issued_date__isnull=True, created_at__date__gte=date_from)
        )
    if date_to:
        documents = documents.filter(
            Q(issued_date__lte=date_to) | Q(issued_date__isnull=True, created_at__date__lte=date_to)
        )
    if q:
        documents = documents.filter(Q(subject__icontains=q) | Q(symbol__icontains=q))
    return documents.only(*LIST_FIELDS).select_related("organization").order_by("-created_at", "-pk")


def outgoing_state_counts(user: Actor, **filters: Any) -> dict[str, int]:
    """How many of the listed documents are in each state (for the tabs), in one query."""
    filters.pop("state", None)
    rows = outgoing_list(user=user, **filters).order_by().values("state").annotate(n=Count("pk"))
    counts: dict[str, int] = {state: 0 for state in OUTGOING_STATES}
    counts.update({row["state"]: row["n"] for row in rows})
    return counts


def outgoing_detail(user: Actor) -> QuerySet[Document]:
    """The queryset a single outgoing document is fetched from, relations preloaded."""
    return (
        outgoing_base(user)
        .select_related("organization", "signer", "created_by")
        .prefetch_related(
            Prefetch(
                "recipients", queryset=Recipient.objects.select_related("organization", "delivered_entry")
            ),
            Prefetch(
                "review_steps",
                queryset=ReviewStep.objects.select_related("reviewer").order_by("round", "stage", "id"),
            ),
            "versions",
        )
    )


def pending_reviews(user: Actor) -> QuerySet[ReviewStep]:
    """My review steps whose stage is the current one of a document in review."""
    me = scope_for(user).person_id
    if me is None:
        return ReviewStep.objects.none()
    earlier_pending = ReviewStep.objects.filter(
        document=OuterRef("document"),
        round=OuterRef("round"),
        stage__lt=OuterRef("stage"),
        decision=ReviewDecision.PENDING,
    )
    return (
        ReviewStep.objects.filter(
            reviewer_id=me, decision=ReviewDecision.PENDING, document__state=DocumentState.IN_REVIEW
        )
        .filter(~Exists(earlier_pending))
        .filter(document__in=documents_visible_to(user).values("pk"))
        .select_related("document")
        .order_by("document__created_at")
    )


def awaiting_issue(user: Actor) -> QuerySet[Document]:
    """Approved documents of organisations where the reader keeps the books."""
    scope = scope_for(user)
    return documents_visible_to(
        user,
        Document.objects.filter(state=DocumentState.APPROVED, original__isnull=True).filter(
            scope.org_q(Capability.REGISTER, prefix="organization__")
        ),
    ).order_by("updated_at")
