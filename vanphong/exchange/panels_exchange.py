"""The "Liên thông" panel of the document page. For an issued document of ours: each external
recipient with the system that hosts it, its delivery and the latest status it reported, a
button to send to the connected recipients not yet queued, and the package as a file (for a
network that is not connected). For a document received in a package: that package and the
statuses sent back to its sender. Registered when this module is imported (by the exchange
app's ``ready``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from vanphong.documents import panels
from vanphong.documents.models import DocumentState
from vanphong.exchange import selectors, services
from vanphong.exchange.models import Delivery, DeliveryState, Direction, PackageKind, Peer
from vanphong.orgs.access import Capability, can
from vanphong.orgs.models import Classification, Organization

RECIPIENT_LIMIT = 200
BADGES = {
    DeliveryState.PENDING: "badge-warn",
    DeliveryState.DELIVERED: "badge-ok",
    DeliveryState.FAILED: "badge-danger",
}


@dataclass
class RecipientRow:
    organization: Organization | None
    name: str
    peer: Peer | None
    delivery: Delivery | None
    badge: str
    status: dict[str, Any] | None


def _peers_of(organizations: list[Organization]) -> dict[int, Peer]:
    """The active peer hosting each organisation (the first one, as ``services.peer_of``)."""
    found: dict[int, Peer] = {}
    through = Peer.organizations.through.objects.filter(
        organization_id__in=[o.pk for o in organizations], peer__active=True
    ).select_related("peer")
    for row in through.order_by("peer_id"):
        found.setdefault(row.organization_id, row.peer)
    return found


def _outgoing(request: HttpRequest, document: Any) -> panels.Panel | None:
    user = request.user
    organization = document.organization
    keeps = can(user, Capability.REGISTER, organization)
    if not (keeps or can(user, Capability.READ, organization)):
        return None
    external = [
        r.organization
        for r in document.recipients.select_related("organization").filter(organization__hosted=False)[
            :RECIPIENT_LIMIT
        ]
    ]
    deliveries = {d.recipient_id: d for d in selectors.deliveries_of(document.pk)}
    statuses = {s["recipient"]: s for s in selectors.statuses_of(document.pk)}
    if not external and not deliveries and not statuses:
        return None
    peers = _peers_of(external)
    rows: list[RecipientRow] = []
    for org in external:
        delivery = deliveries.pop(org.pk, None)
        rows.append(
            RecipientRow(
                organization=org,
                name=org.name,
                peer=delivery.peer if delivery is not None else peers.get(org.pk),
                delivery=delivery,
                badge=BADGES.get(DeliveryState(delivery.state), "") if delivery is not None else "",
                status=statuses.pop(org.pk, None),
            )
        )
    for delivery in deliveries.values():  # sent to an organisation no longer among the recipients
        rows.append(
            RecipientRow(
                organization=delivery.recipient,
                name=delivery.recipient.name if delivery.recipient is not None else delivery.peer.name,
                peer=delivery.peer,
                delivery=delivery,
                badge=BADGES.get(DeliveryState(delivery.state), ""),
                status=statuses.pop(delivery.recipient_id, None),
            )
        )
    for status in statuses.values():  # reported by a recipient we do not know as such
        rows.append(
            RecipientRow(
                organization=None,
                name=status["recipient_name"],
                peer=None,
                delivery=None,
                badge="",
                status=status,
            )
        )
    classified = document.classification > Classification.NONE
    issued = document.state == DocumentState.ISSUED
    unsent = [r for r in rows if r.peer is not None and r.delivery is None and r.organization is not None]
    return panels.Panel(
        key="exchange",
        title="Liên thông",
        template="exchange/panel_document.html",
        context={
            "document": document,
            "outgoing": True,
            "rows": rows,
            "classified": classified,
            "may_send": keeps and issued and not classified and bool(unsent),
            "unsent": unsent,
            "may_export": issued and not classified,
            "next": request.get_full_path(),
        },
    )


def _received(request: HttpRequest, document: Any) -> panels.Panel | None:
    inbound = services.inbound_for_document(document.pk)
    if inbound is None:
        return None
    visible = selectors.packages_visible_to(request.user)
    package = visible.filter(pk=inbound.pk).first()
    answers = list(
        visible.filter(
            direction=Direction.OUT, kind=PackageKind.STATUS, details__answers=inbound.pk
        ).order_by("created_at", "id")
    )
    return panels.Panel(
        key="exchange",
        title="Liên thông",
        template="exchange/panel_document.html",
        context={
            "document": document,
            "outgoing": False,
            "inbound": inbound,
            "package": package,
            "answers": answers,
        },
    )


@panels.register("exchange", order=35)
def exchange_panel(request: HttpRequest, document: Any) -> panels.Panel | None:
    if document.state == DocumentState.RECEIVED:
        return _received(request, document)
    if document.state in (DocumentState.ISSUED, DocumentState.WITHDRAWN):
        return _outgoing(request, document)
    return None
