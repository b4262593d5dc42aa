"""The exchange's reads, with the access rules: packages and deliveries are the books' business,
seen by the văn thư of the organisation that sent or received them (and by the administrators,
who also see the summary figures' packages, which belong to no organisation)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from vanphong.documents.access import documents_visible_to
from vanphong.exchange.models import (
    Delivery,
    DeliveryState,
    Direction,
    Package,
    PackageState,
    Peer,
    RecipientStatus,
)
from vanphong.orgs.access import Capability, organizations_with
from vanphong.orgs.actors import Actor


def _is_admin(user: Actor) -> bool:
    return bool(getattr(user, "is_superuser", False))


def packages_visible_to(user: Actor) -> QuerySet[Package]:
    """The packages of the organisations whose books ``user`` keeps; one about a document only
    when the document itself is visible to them (registered as classified from the queue, it
    follows the documents' need-to-know rule)."""
    packages = Package.objects.select_related("organization", "peer", "document", "arrival")
    if _is_admin(user):
        return packages
    return packages.filter(organization__in=organizations_with(user, Capability.REGISTER)).filter(
        Q(document__isnull=True) | Q(document__in=documents_visible_to(user).values("pk"))
    )


def deliveries_visible_to(user: Actor) -> QuerySet[Delivery]:
    deliveries = Delivery.objects.select_related("package", "package__document", "peer", "recipient")
    if _is_admin(user):
        return deliveries
    return deliveries.filter(package__organization__in=organizations_with(user, Capability.REGISTER))


def package_list(
    user: Actor, *, direction: str = "", state: str = "", kind: str = "", q: str = ""
) -> QuerySet[Package]:
    packages = packages_visible_to(user)
    if direction:
        packages = packages.filter(direction=direction)
    if state:
        packages = packages.filter(state=state)
    if kind:
        packages = packages.filter(kind=kind)
    if q:
        packages = packages.filter(
            Q(document_key__icontains=q) | Q(sender_name__icontains=q) | Q(document__subject__icontains=q)
        )
    return packages.order_by("-created_at", "-id")


def delivery_counts(user: Actor) -> dict[str, int]:
    rows = deliveries_visible_to(user).values("state").annotate(n=Count("id"))
    counts = {state: 0 for state in DeliveryState.values}
    for row in rows:
        counts[row["state"]] = row["n"]
    refused = packages_visible_to(user).filter(direction=Direction.IN, state=PackageState.REFUSED).count()
    counts["refused"] = refused
    return counts


def statuses_of(document_id: int) -> list[dict[str, Any]]:
    """The latest status each recipient reported on one of our documents, and its history."""
    latest: dict[str, dict[str, Any]] = {}
    for row in (
        RecipientStatus.objects.filter(document_id=document_id)
        .select_related("recipient")
        .order_by("-reported_at", "-id")
    ):
        key = str(row.recipient_id or row.recipient_id_text)
        entry = latest.setdefault(
            key,
            {
                "recipient": row.recipient_id,
                "recipient_name": row.recipient.name if row.recipient else row.recipient_id_text,
                "code": row.code,
                "label": row.get_code_display(),
                "description": row.description,
                "reported_at": row.reported_at,
                "history": [],
            },
        )
        entry["history"].append(
            {
                "code": row.code,
                "label": row.get_code_display(),
                "reported_at": row.reported_at,
                "description": row.description,
            }
        )
    return sorted(latest.values(), key=lambda e: e["recipient_name"])


def deliveries_of(document_id: int) -> QuerySet[Delivery]:
    return (
        Delivery.objects.filter(package__document_id=document_id, package__direction=Direction.OUT)
        .exclude(package__kind="status")
        .select_related("peer", "recipient", "package")
        .order_by("recipient__name", "pk")
    )


def peers_for(user: Actor) -> QuerySet[Peer]:
    if not _is_admin(user):
        return Peer.objects.none()
    return Peer.objects.prefetch_related("organizations").annotate(
        pending=Count("deliveries", filter=Q(deliveries__state=DeliveryState.PENDING)),
        failed=Count("deliveries", filter=Q(deliveries__state=DeliveryState.FAILED)),
    )
