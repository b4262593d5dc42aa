"""``vanphong seed-tasks``: the demo tasks, and with ``--scale N`` N × 2,000 more in bulk."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from vanphong.demo import tasks as demo


class Command(BaseCommand):
    help = (
        "Tạo nhiệm vụ mẫu cho Tỉnh ủy Lâm Đồng (cần chạy seed-demo trước): vài trăm nhiệm vụ giao và "
        "thực hiện qua các nghiệp vụ; với --scale N nạp thêm N × 2.000 nhiệm vụ hàng loạt để thử tải."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            help=f"Nạp thêm N × {demo.TASKS_PER_SCALE} nhiệm vụ hàng loạt (1–{demo.MAX_SCALE}; "
            "1000 = 2.000.000). Nhiệm vụ nạp hàng loạt không có diễn biến, nhật ký.",
        )
        parser.add_argument(
            "--no-demo",
            action="store_true",
            help="Không tạo các nhiệm vụ mẫu qua nghiệp vụ, chỉ nạp hàng loạt (--scale).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Vẫn tạo khi cơ sở dữ liệu đã có nhiệm vụ (mặc định: từ chối để không trùng lặp).",
        )
        parser.add_argument(
            "--method",
            choices=("copy", "bulk"),
            default=None,
            help="Cách nạp hàng loạt: copy (PostgreSQL COPY, mặc định trên PostgreSQL) hoặc bulk "
            "(bulk_create).",
        )
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="Ngày coi là hôm nay (YYYY-MM-DD, không sau ngày thực); mặc định hôm nay.",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Hạt giống ngẫu nhiên (mặc định 2026).")

    def handle(self, *args: Any, **options: Any) -> None:
        scale = options["scale"]
        if not 0 <= scale <= demo.MAX_SCALE:
            raise CommandError(f"--scale phải là số nguyên từ 0 đến {demo.MAX_SCALE}, không phải {scale}.")
        if options["no_demo"] and not scale:
            raise CommandError("--no-demo cần đi kèm --scale N.")
        today = options["today"] or timezone.localdate()
        if today > timezone.localdate():
            raise CommandError("--today không được sau ngày hôm nay.")
        started = time.monotonic()
        try:
            result = demo.seed_tasks(
                today=today,
                scale=scale,
                stdout=self.stdout,
                demo=not options["no_demo"],
                force=options["force"],
                seed=options["seed"],
                method=options["method"],
            )
        except demo.TasksExist as exc:
            raise CommandError(f"{exc} Dùng --force nếu thật sự muốn tạo thêm.") from exc
        except (demo.NoDemoProvince, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Đã tạo {demo.summary(result)} ({elapsed:.1f} giây)."))
