"""The exchange's background jobs: a delivery sent (queued when it is made), the sweep that
sends what is due (retries after back-off, and deliveries whose job was never queued because
the broker was down), and the summary figures sent up to the level above on a schedule.

A job killed in the middle leaves its delivery claimed; the claim expires and the sweep sends
it again. The receiver recognises the same bytes, so the effect happens once."""

from __future__ import annotations

from celery import shared_task

from vanphong.exchange import services
from vanphong.exchange.models import Peer


@shared_task(name="vanphong.exchange.jobs.deliver", ignore_result=True, soft_time_limit=240, time_limit=300)
def deliver(delivery_id: int) -> str:
    delivery = services.delivery_send(delivery_id)
    return delivery.state if delivery is not None else "skipped"


@shared_task(
    name="vanphong.exchange.jobs.deliver_due", ignore_result=True, soft_time_limit=1700, time_limit=1800
)
def deliver_due() -> int:
    sent = 0
    for delivery_id in services.deliveries_due():
        if services.delivery_send(delivery_id) is not None:
            sent += 1
    return sent


@shared_task(
    name="vanphong.exchange.jobs.send_figures", ignore_result=True, soft_time_limit=1700, time_limit=1800
)
def send_figures() -> int:
    queued = 0
    for peer in Peer.objects.filter(active=True, sends_figures=True):
        if services.figures_queue(peer=peer) is not None:
            queued += 1
    return queued
