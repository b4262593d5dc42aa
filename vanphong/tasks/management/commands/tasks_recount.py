"""``vanphong tasks-recount``: check the maintained task counts against the tasks, and
rebuild them (``--fix``). A drift means a change bypassed the services (a raw SQL edit, a
restore of part of the database); the dashboards read the counts, so fix it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vanphong.tasks import tally


class Command(BaseCommand):
    help = "Kiểm tra (và dựng lại với --fix) số liệu tổng hợp nhiệm vụ dùng cho bảng điều hành."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fix", action="store_true", help="Dựng lại số liệu tổng hợp từ các nhiệm vụ.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["fix"]:
            rows = tally.recount()
            self.stdout.write(self.style.SUCCESS(f"Đã dựng lại số liệu tổng hợp: {rows} dòng."))
            return
        drift = tally.drift()
        if not drift:
            self.stdout.write(self.style.SUCCESS("Số liệu tổng hợp khớp với các nhiệm vụ."))
            return
        for (giver, org, month, outcome), kept, actual in drift[:50]:
            self.stdout.write(
                f"cơ quan giao {giver}, chủ trì {org}, tháng {month:%m/%Y}, kết quả {outcome}: "
                f"lưu {kept}, thực tế {actual}"
            )
        raise CommandError(f"{len(drift)} nhóm số liệu lệch; chạy lại với --fix để dựng lại.")
