"""The demo's exchange: a peer with its secrets, a package waiting in the văn thư's queue with
every field filled, one registered, one refused and kept; the Tỉnh ủy's report with a delivery in
each state and the statuses reported back; the văn thư's home lists the failed delivery; nothing
is due to be sent at once (the demo calls no network)."""

from __future__ import annotations

from django.utils import timezone

from vanphong.core.pending import pending_for
from vanphong.demo import orgs as orgs_demo
from vanphong.demo.exchange import PEER_URL, seed_exchange, summary
from vanphong.documents.models import Arrival, ArrivalState, RegisterEntry
from vanphong.exchange import pending as exchange_pending  # noqa: F401 (registers the home group)
from vanphong.exchange import selectors, services
from vanphong.exchange.models import (
    Delivery,
    DeliveryState,
    Direction,
    Package,
    PackageKind,
    PackageState,
    Peer,
    RecipientStatus,
)
from vanphong.orgs.models import Organization, Person


def _user(username):
    return Person.objects.select_related("user").get(user__username=username).user


def test_the_demo_exchange(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    orgs_demo.seed_demo(scale=1)
    counts = seed_exchange()
    assert "hệ thống liên thông" in summary(counts)
    tinhuy = Organization.objects.get(slug="tinhuy")
    assert tinhuy.electronic_id.endswith(".H36")
    peer = Peer.objects.get()
    assert peer.base_url == PEER_URL and peer.active
    assert len(peer.inbound_secret) >= 40 and len(peer.outbound_secret) >= 40
    assert peer.inbound_secret != peer.outbound_secret
    assert {o.electronic_id[-3:-2] for o in peer.organizations.all()} == {"G"}

    received = Package.objects.filter(
        direction=Direction.IN, kind=PackageKind.NEW, state=PackageState.ACCEPTED, organization=tinhuy
    )
    assert received.count() == 2
    waiting = Arrival.objects.get(organization=tinhuy, channel="exchange", state=ArrivalState.WAITING)
    proposal = waiting.proposal
    assert proposal["symbol"] and proposal["subject"] and proposal["issued_date"] and proposal["signer_name"]
    assert proposal["doc_type"] == "HD" and proposal["urgency"]
    assert (
        RegisterEntry.objects.filter(document__in=received.values("document"), organization=tinhuy).count()
        == 1
    )
    assert Package.objects.filter(direction=Direction.IN, state=PackageState.REFUSED).count() == 1

    clerk = _user("vanthu")
    counts_seen = selectors.delivery_counts(clerk)
    assert counts_seen["failed"] == 1 and counts_seen["pending"] == 1 and counts_seen["refused"] == 1
    assert counts_seen["delivered"] >= 1
    failed = Delivery.objects.get(state=DeliveryState.FAILED)
    assert failed.last_error
    document = failed.package.document
    statuses = selectors.statuses_of(document.pk)
    assert [s["code"] for s in statuses] == ["04"]  # the latest of 01, 03, 04, from one recipient
    assert RecipientStatus.objects.filter(document=document).count() == 3

    # Nothing is due now: the deliveries queued are settled or wait for a later attempt.
    assert services.deliveries_due() == []
    assert not Delivery.objects.filter(
        state=DeliveryState.PENDING, next_attempt_at__lte=timezone.now()
    ).exists()

    # The văn thư's home shows the failed delivery.
    groups = {g.key: g for g in pending_for(clerk)}
    assert groups["exchange.failed"].count == 1
