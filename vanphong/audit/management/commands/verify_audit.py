"""``vanphong verify-audit``: check the audit trail; exit 0 when intact, 1 when broken.

It prints the head as ``Đầu chuỗi: SEQ:HASH``: an anchor to keep outside the database
(the nightly ``send_audit_anchor`` job mails it too). ``--expect SEQ:HASH`` then proves
that the chain still holds that entry, so that nothing after it vanished."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from vanphong.audit.verify import parse_anchor, verify_anchor, verify_chain


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
        parser.add_argument(
            "--expect",
            default=None,
            metavar="SEQ:HASH",
            help="Mốc đã lưu bên ngoài (dòng “Đầu chuỗi” của lần kiểm tra trước): báo lỗi nếu "
            "chuỗi không còn mục SEQ với mã băm HASH.",
        )

    def handle(
        self, *args: Any, batch_size: int, since: int | None, expect: str | None = None, **options: Any
    ) -> None:
        if batch_size < 1:
            self.stderr.write("--batch-size phải là số dương.")
            sys.exit(2)
        anchor: tuple[int, str] | None = None
        if expect is not None:
            try:
                anchor = parse_anchor(expect)
            except ValueError:
                self.stderr.write(
                    "--expect phải có dạng SEQ:HASH (số thứ tự, dấu hai chấm, mã băm 64 ký tự hex)."
                )
                sys.exit(2)
        report = verify_chain(batch_size=batch_size, since_seq=since)
        if anchor is not None:
            report = verify_anchor(report, *anchor)
        if report.ok:
            self.stdout.write(self.style.SUCCESS(report.summary()))
            if anchor is not None:
                self.stdout.write(f"Chuỗi vẫn chứa mốc #{anchor[0]}.")
            self.stdout.write(f"Đầu chuỗi: {report.anchor}")
            return
        self.stderr.write(self.style.ERROR(report.summary()))
        self.stderr.write(f"Số mục đã kiểm tra trước khi gặp lỗi: {report.checked}.")
        # call_command raises SystemExit too, so scripts and tests both see the code.
        sys.exit(1)
