"""Give the reports of the coming periods of every periodic request (what the daily job does)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vanphong.reporting import services


class Command(BaseCommand):
    help = "Giao báo cáo kỳ hiện tại và kỳ tới của mọi yêu cầu báo cáo định kỳ (như tác vụ chạy hằng ngày)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--ngay", dest="day", help="Ngày tính kỳ (YYYY-MM-DD); mặc định hôm nay.")

    def handle(self, *args: Any, **options: Any) -> None:
        day = None
        if options.get("day"):
            try:
                day = dt.date.fromisoformat(options["day"])
            except ValueError:
                raise CommandError("Ngày viết theo dạng YYYY-MM-DD.") from None
        result = services.periods_ensure_all(today=day)
        self.stdout.write(self.style.SUCCESS(f"Đã giao {result.made} báo cáo kỳ mới."))
        if result.failed:
            ids = ", ".join(str(pk) for pk in result.failed)
            self.stderr.write(
                self.style.ERROR(f"Không giao được báo cáo của yêu cầu số {ids} (xem nhật ký).")
            )
