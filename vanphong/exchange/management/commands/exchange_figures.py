"""Send this instance's summary figures up to the peers marked for it now (what the scheduled
job does each morning)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from vanphong.exchange import services
from vanphong.exchange.models import Peer


class Command(BaseCommand):
    help = "Lập và gửi số liệu tổng hợp lên các hệ thống cấp trên đã khai báo."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = 0
        for peer in Peer.objects.filter(active=True, sends_figures=True):
            if services.figures_queue(peer=peer) is not None:
                queued += 1
        self.stdout.write(f"Đã lập {queued} gói số liệu (gửi đi theo hàng đợi liên thông).")
