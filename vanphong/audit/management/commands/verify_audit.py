"""``vanphong verify-audit``: check the audit trail; exit 0 when intact, 1 when broken."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from vanphong.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Kiểm tra tính toàn vẹn của chuỗi nhật ký hệ thống (mã băm, số thứ tự, đầu chuỗi)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size",
            type=int,
            default=5000,
            help="Số mục đọc mỗi lần từ cơ sở dữ liệu (mặc định 5000).",
        )
        parser.add_argument(
            "--since",
            type=int,
            default=None,
            metavar="SEQ",
            help="Chỉ kiểm tra từ mục số SEQ trở đi (tin vào mã băm của mục liền trước).",
        )

    def handle(self, *args: Any, batch_size: int, since: int | None, **options: Any) -> None:
        if batch_size < 1:
            self.stderr.write("--batch-size phải là số dương.")
            sys.exit(2)
        report = verify_chain(batch_size=batch_size, since_seq=since)
        if report.ok:
            self.stdout.write(self.style.SUCCESS(report.summary()))
            return
        self.stderr.write(self.style.ERROR(report.summary()))
        self.stderr.write(f"Số mục đã kiểm tra trước khi gặp lỗi: {report.checked}.")
        # call_command raises SystemExit too, so scripts and tests both see the code.
        sys.exit(1)
