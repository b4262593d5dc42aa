"""The entry points: ``seed_tasks`` (the demo, or the bulk load) and its summary."""

from __future__ import annotations

import datetime as dt
from io import TextIOBase
from typing import Any

from django.utils import timezone

from vanphong.demo.tasks.bulk import bulk_load
from vanphong.demo.tasks.cast import BULK_BATCH, MAX_SCALE, TASKS_PER_SCALE, TasksExist
from vanphong.demo.tasks.scenes import seed_demo_tasks
from vanphong.tasks.models import (
    Task,
)


def seed_tasks(
    *,
    today: dt.date | None = None,
    scale: int = 0,
    stdout: TextIOBase | None = None,
    demo: bool = True,
    force: bool = False,
    seed: int = 2026,
    method: str | None = None,
    count: int | None = None,
) -> dict[str, Any]:
    """The demo tasks (``demo``) and, with ``scale`` N ≥ 1, N × 2,000 more in bulk (or
    exactly ``count``). Refuses (``TasksExist``) when tasks exist, unless ``force``."""
    today = today or timezone.localdate()
    if not 0 <= scale <= MAX_SCALE:
        raise ValueError(f"scale must be between 0 and {MAX_SCALE}")
    existing = Task.objects.count()
    if existing and not force:
        raise TasksExist(
            f"Cơ sở dữ liệu đã có {existing} nhiệm vụ: nhiệm vụ mẫu chỉ được tạo khi chưa có nhiệm vụ nào."
        )
    result: dict[str, Any] = {}
    if demo:
        result["demo"] = seed_demo_tasks(today=today, seed=seed, stdout=stdout)
    bulk = count if count is not None else scale * TASKS_PER_SCALE
    if bulk:

        def report(done: int) -> None:
            if stdout is not None and (done % 100_000 < BULK_BATCH or done == bulk):
                stdout.write(f"… {_n(done)} nhiệm vụ\n")
                if hasattr(stdout, "flush"):
                    stdout.flush()

        result["bulk"] = bulk_load(bulk, today=today, seed=seed, method=method, progress=report)
    return result


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def summary(result: dict[str, Any]) -> str:
    parts = []
    if "demo" in result:
        d = result["demo"]
        parts.append(
            f"{_n(d['tasks'])} nhiệm vụ mẫu ({_n(d['subtasks'])} nhiệm vụ con, "
            f"{_n(d['series_tasks'])} kỳ của {_n(d['series'])} nhiệm vụ định kỳ, "
            f"{_n(d['events'])} diễn biến)"
        )
    if "bulk" in result:
        b = result["bulk"]
        parts.append(
            f"{_n(b['tasks'])} nhiệm vụ nạp hàng loạt ({b['method']}, {b['load_s']} giây; "
            f"bảng số liệu {b['tally_s']} giây)"
        )
    return "; ".join(parts) or "không tạo nhiệm vụ nào"
