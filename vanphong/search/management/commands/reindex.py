"""``vanphong reindex``: rebuild the search index from the documents, in batches."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from vanphong.search.backends import backend_for
from vanphong.search.services import reindex_batches


class Command(BaseCommand):
    help = (
        "Lập lại chỉ mục tra cứu cho mọi văn bản, theo từng lô (bộ nhớ không tăng theo số văn bản). "
        "Bị ngắt giữa chừng thì chạy lại với --after <mã văn bản cuối cùng đã in>."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=2000, help="Số văn bản mỗi lô (mặc định 2000).")
        parser.add_argument(
            "--after", type=int, default=0, help="Chỉ lập chỉ mục các văn bản có mã lớn hơn số này."
        )
        parser.add_argument(
            "--rebuild-fts",
            action="store_true",
            help="SQLite: dựng lại toàn bộ bảng FTS5 từ bảng chỉ mục (sau khi sao chép, khôi phục dữ liệu).",
        )

    def handle(self, *args: Any, batch: int, after: int, rebuild_fts: bool, **options: Any) -> None:
        if not 1 <= batch <= 50_000:
            raise CommandError("--batch phải từ 1 đến 50000.")
        started = time.monotonic()
        total = 0
        last = after
        for last, count in reindex_batches(batch=batch, after=after):
            total += count
            if options["verbosity"] > 1:
                self.stdout.write(f"… {total} văn bản, đến mã {last}")
        if rebuild_fts:
            backend_for(connection).rebuild(connection)
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Đã lập chỉ mục {total} văn bản (mã cuối {last}) trong {elapsed:.1f} giây.")
        )
