"""Send what is due in the exchange's outbox now (what the scheduled job does every minute):
for an operator after fixing a peer, and for a server running without a worker."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from vanphong.exchange import services
from vanphong.exchange.models import Delivery, DeliveryState


class Command(BaseCommand):
    help = "Gửi ngay các gói tin liên thông đến hạn gửi (--all: cả các gói tin đang chờ gửi lại)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--all", action="store_true", help="Gửi cả lượt đang chờ đến giờ gửi lại.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["all"]:
            Delivery.objects.filter(state=DeliveryState.PENDING).update(next_attempt_at=timezone.now())
        counts = {state: 0 for state in DeliveryState.values}
        for delivery_id in services.deliveries_due(limit=10_000):
            delivery = services.delivery_send(delivery_id)
            if delivery is not None:
                counts[delivery.state] += 1
        self.stdout.write(
            f"Đã chuyển {counts['delivered']}, chờ gửi lại {counts['pending']}, không gửi được "
            f"{counts['failed']}."
        )
