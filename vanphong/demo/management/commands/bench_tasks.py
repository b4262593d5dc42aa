"""``vanphong bench-tasks``: dashboards, overdue lists and counts on millions of tasks.

For each database it builds (or, with ``--keep``, reuses) a bench database holding the demo
province and ``--tasks`` tasks (``--sqlite-tasks`` on SQLite) written by the bulk loader
(``tasks.demo.bulk_load``), then measures ``--repeat`` times, after one warm-up run:

* the province-wide dashboard as the Standing Committee sees it: ``tally_counts(None)``,
  ``tally_by_month`` over 12 months, ``tally_by_organization`` and the first page of the
  overdue list as the Bí thư — each, and the four together;
* one organisation's dashboard (a commune: its counts, months and overdue tasks);
* the overdue list (count + page of 20) on its first page and on a deep page;
* the task list filtered by status and by organisation (count + first page);
* ``selectors.counts`` for a commune's văn thư (conditional counts over what they may see);
* the baseline: the same province totals computed the naive way, one conditional COUNT
  over every task — the ratio shows what the maintained tally saves.

It reports the median and 95th percentile of each, the load time, the number of queries and
the slowest query of each measure, with ``EXPLAIN`` plans of the slowest ones, in
``<out>/tasks.json`` and ``<out>/tasks.md``. Each database is measured in a child process
(``DATABASE_URL`` pointing at the bench database), as ``vanphong bench`` does.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vanphong.demo.benchmarking import postgres_database, postgres_reachable, stats

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/vanphong_bench_tasks"
PAGE = 20
SLOW_MS = 300
COMMUNE = "ductrong"  # the organisation whose dashboard is measured


def _mark(ms: float) -> str:
    return f"**{ms}**" if ms > SLOW_MS else str(ms)


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _page(qs: Any, offset: int = 0) -> tuple[int, list[Any]]:
    """What a paginated list costs: the count and one page of rows."""
    return qs.count(), list(qs[offset : offset + PAGE])


def _measures(today: Any) -> list[tuple[str, str, Callable[[], Any]]]:
    """(key, Vietnamese label, callable) of everything measured, against the bench data."""
    from django.contrib.auth import get_user_model

    from vanphong.orgs.models import Organization
    from vanphong.tasks import selectors
    from vanphong.tasks.models import Task

    users = get_user_model().objects
    secretary = users.get(username="bithu")
    commune = Organization.objects.get(slug=COMMUNE)
    commune_leader = users.get(username=f"bithu.{COMMUNE}")
    commune_clerk = users.get(username=f"vanthu.{COMMUNE}")
    month_to = today.day
    month_from = selectors.month_start(month_to)
    for _ in range(11):
        month_from = selectors.month_start(month_from - dt.timedelta(days=1))
    overdue_count = selectors.overdue_list(secretary, today=today).count()
    deep = max(0, (overdue_count // PAGE) * 4 // 5) * PAGE  # a page four fifths of the way down

    def province_counts() -> Any:
        return selectors.tally_counts(None, today=today)

    def province_months() -> Any:
        return selectors.tally_by_month(None, month_from, month_to)

    def province_orgs() -> Any:
        return selectors.tally_by_organization(None, today=today)

    def province_overdue() -> Any:
        return list(selectors.overdue_list(secretary, today=today)[:PAGE])

    def province_dashboard() -> Any:
        return province_counts(), province_months(), province_orgs(), province_overdue()

    def org_dashboard() -> Any:
        ids = [commune.pk]
        overdue = selectors.overdue_list(
            commune_leader, selectors.TaskFilters(lead_organization=commune.pk), today=today
        )
        return (
            selectors.tally_counts(ids, today=today),
            selectors.tally_by_month(ids, month_from, month_to),
            list(overdue[:PAGE]),
        )

    def naive() -> Any:
        return selectors._conditional_counts(Task.objects.all(), today)

    pages = _pages(secretary, commune_leader, commune, today)
    return [
        *pages[:1],
        ("province_dashboard", "Bảng điều khiển toàn tỉnh (4 phần dưới cộng lại)", province_dashboard),
        ("province_counts", "· Tổng số theo tình trạng: tally_counts(None)", province_counts),
        ("province_by_month", "· Theo tháng, 12 tháng: tally_by_month", province_months),
        ("province_by_organization", "· Theo cơ quan chủ trì: tally_by_organization", province_orgs),
        ("province_overdue_top", "· 20 nhiệm vụ quá hạn lâu nhất (Bí thư)", province_overdue),
        ("organization_dashboard", f"Bảng điều khiển một cơ quan ({commune.short_name})", org_dashboard),
        *pages[1:],
        (
            "overdue_first_page",
            "Danh sách quá hạn, trang 1 (đếm + 20 dòng, Bí thư)",
            lambda: _page(selectors.overdue_list(secretary, today=today)),
        ),
        (
            "overdue_deep_page",
            f"Danh sách quá hạn, trang {deep // PAGE + 1} (đếm + 20 dòng, Bí thư)",
            lambda: _page(selectors.overdue_list(secretary, today=today), deep),
        ),
        (
            "list_by_status",
            "Danh sách lọc theo tình trạng “đang thực hiện” (đếm + 20 dòng, Bí thư)",
            lambda: _page(
                selectors.task_list(secretary, selectors.TaskFilters(status="in_progress"), today=today)
            ),
        ),
        (
            "list_by_organization",
            f"Danh sách lọc theo cơ quan ({commune.short_name}; đếm + 20 dòng, Bí thư)",
            lambda: _page(
                selectors.task_list(secretary, selectors.TaskFilters(organization=commune.pk), today=today)
            ),
        ),
        (
            "commune_counts",
            f"selectors.counts của văn thư {commune.short_name} (đếm có điều kiện)",
            lambda: selectors.counts(commune_clerk, today=today),
        ),
        (
            "naive_province_counts",
            "Đối chứng: tổng toàn tỉnh bằng một COUNT có điều kiện trên mọi nhiệm vụ",
            naive,
        ),
    ]


def _pages(secretary: Any, leader: Any, commune: Any, today: Any) -> list[tuple[str, str, Callable[[], Any]]]:
    """The dashboards as their pages build them (``tasks.dashboards``), when that module
    offers them with the signature known here; else nothing (the selectors are measured)."""
    try:
        from vanphong.tasks import dashboards

        period = dashboards.Period()
        organizations = dashboards.province_organizations(secretary)

        def province() -> Any:
            return dashboards.province_dashboard(secretary, organizations, period, today)

        def organization() -> Any:
            return dashboards.organization_dashboard(leader, commune, period, today)

        province(), organization()
    except (ImportError, AttributeError, TypeError):
        return []
    return [
        (
            "page_province_dashboard",
            "Trang bảng điều khiển toàn tỉnh (dashboards.province_dashboard)",
            province,
        ),
        (
            "page_organization_dashboard",
            f"Trang bảng điều khiển {commune.short_name} (dashboards.organization_dashboard)",
            organization,
        ),
    ]


def _server() -> dict[str, Any]:
    """The settings that weigh on the figures, and how busy the machine was."""
    found: dict[str, Any] = {"load_average": [round(x, 2) for x in os.getloadavg()]}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for name in (
                "server_version",
                "shared_buffers",
                "work_mem",
                "jit",
                "max_parallel_workers_per_gather",
            ):
                cursor.execute(f"SHOW {name}")
                found[name] = cursor.fetchone()[0]
    else:
        import sqlite3

        found["sqlite_version"] = sqlite3.sqlite_version
    return found


def _explain(sql: str) -> str:
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    try:
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            rows = cursor.fetchall()
    except Exception as exc:  # noqa: BLE001 (a plan is a bonus; the figures stand without it)
        return f"(không lấy được kế hoạch truy vấn: {exc})"
    if connection.vendor == "postgresql":
        return "\n".join(r[0] for r in rows)
    return "\n".join(" ".join(str(c) for c in r) for r in rows)


def run_backend(*, tasks: int, repeat: int, method: str | None = None, log: Any = None) -> dict[str, Any]:
    """Measure on the default database (built here when it holds no task). Used in the child
    process."""
    from django.utils import timezone

    from vanphong.demo import orgs as orgs_demo
    from vanphong.demo import tasks as demo
    from vanphong.orgs.models import Organization
    from vanphong.tasks import selectors
    from vanphong.tasks.models import Outcome, Task

    timings: dict[str, Any] = {}
    today = selectors.Today.now(day=timezone.localdate())
    have = Task.objects.count()
    if have == 0:
        started = time.monotonic()
        if not Organization.objects.filter(hosted=True).exists():  # the national bodies are always there
            orgs_demo.seed_demo(scale=1)

        def progress(done: int) -> None:
            if log and (done % 500_000 < demo.BULK_BATCH or done == tasks):
                log(f"  {connection.vendor}: … {done} nhiệm vụ")

        loaded = demo.bulk_load(tasks, today=today.day, method=method, progress=progress)
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        elif connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        timings["build_s"] = round(time.monotonic() - started, 1)
        timings["load"] = loaded
        have = Task.objects.count()
        if log:
            log(
                f"  {connection.vendor}: {have} nhiệm vụ trong {timings['build_s']} giây ({loaded['method']})"
            )

    server = _server()
    measures = _measures(today)
    results: list[dict[str, Any]] = []
    for key, label, run in measures:
        run()  # warm the caches and the connection
        with CaptureQueriesContext(connection) as captured:
            run()
        queries = [(float(q.get("time") or 0), q["sql"]) for q in captured.captured_queries]
        slowest = max(queries, default=(0.0, ""))
        values = []
        for _ in range(repeat):
            started = time.perf_counter()
            run()
            values.append(time.perf_counter() - started)
        results.append(
            {
                "key": key,
                "label": label,
                **stats(values),
                "queries": len(queries),
                "slowest_query_ms": round(slowest[0] * 1000, 2),
                "slowest_sql": slowest[1],
            }
        )
        if log:
            log(f"  {connection.vendor}: {key} {results[-1]['median_ms']} ms")

    # The tally and the naive count must agree: the figures are only worth it if they do.
    tallied = selectors.tally_counts(None, today=today).as_dict()
    counted = selectors._conditional_counts(Task.objects.all(), today).as_dict()
    by = {r["key"]: r for r in results}
    ratio = by["naive_province_counts"]["median_ms"] / max(by["province_counts"]["median_ms"], 0.001)
    # EXPLAIN the slowest query of the three slowest measures and of every slow one.
    ranked = sorted(
        (r for r in results if r["key"] != "province_dashboard"), key=lambda r: r["median_ms"], reverse=True
    )
    explained = [r for i, r in enumerate(ranked) if i < 3 or r["median_ms"] > SLOW_MS]
    plans = [
        {"key": r["key"], "sql": r["slowest_sql"], "plan": _explain(r["slowest_sql"])}
        for r in explained
        if r["slowest_sql"]
    ]
    return {
        "vendor": connection.vendor,
        "tasks": have,
        "open_tasks": Task.objects.filter(outcome=Outcome.OPEN).count(),
        "server": {**server, "load_average_after": [round(x, 2) for x in os.getloadavg()]},
        "today": today.day.isoformat(),
        "repeat": repeat,
        **timings,
        "measures": results,
        "province_totals": tallied,
        "tally_matches_naive": tallied == counted,
        "naive_over_tally_median": round(ratio, 1),
        "plans": plans,
    }


def markdown(report: dict[str, Any]) -> str:
    lines = [
        "# Nhiệm vụ: độ trễ bảng điều khiển, danh sách và số liệu (benchmark)",
        "",
        f"Máy: {report['machine']}. Mỗi phép đo chạy {report['repeat']} lần sau một lần chạy làm nóng; "
        "thời gian tính từ lúc gọi hàm đến khi có đủ kết quả (kể cả truy vấn và dựng đối tượng). "
        "Tổng số theo tình trạng lấy từ bảng số liệu duy trì sẵn (TaskTally) cộng chỉ mục riêng cho "
        "nhiệm vụ đang mở; dòng “đối chứng” tính cùng các con số bằng một COUNT có điều kiện trên toàn bảng.",
        "",
    ]
    for r in report["backends"]:
        load = r.get("load") or {}
        lines += [
            f"## {r['vendor']}: {_n(r['tasks'])} nhiệm vụ ({_n(r['open_tasks'])} đang mở), "
            f"hôm nay {r['today']}",
            "",
        ]
        if load:
            lines.append(
                f"Nạp dữ liệu: {load.get('method')} — {load.get('load_s')} giây nạp nhiệm vụ và bên thực hiện"
                + (", gồm dựng lại chỉ mục và khóa ngoại" if load.get("rebuilt_indexes") else "")
                + f"; {load.get('tally_s')} giây dựng bảng số liệu; tổng cộng {r.get('build_s')} giây "
                "(kể cả dữ liệu tổ chức, VACUUM ANALYZE)."
            )
            lines.append("")
        server = r.get("server") or {}
        if server:
            shown = ", ".join(f"{k} = {v}" for k, v in server.items())
            lines += [f"Máy chủ CSDL và tải máy lúc đo: {shown}.", ""]
        lines += [
            "| Phép đo | Trung vị (ms) | p95 (ms) | Số truy vấn | Truy vấn chậm nhất (ms) |",
            "|---|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {m['label']} | {_mark(m['median_ms'])} | {m['p95_ms']} | {m['queries']} "
            f"| {m['slowest_query_ms']} |"
            for m in r["measures"]
        ]
        lines += ["", f"In đậm: trung vị trên {SLOW_MS} ms."]
        lines += [
            "",
            f"Đối chứng / bảng số liệu (trung vị): {r['naive_over_tally_median']} lần. "
            f"Số liệu từ bảng duy trì {'khớp' if r['tally_matches_naive'] else 'KHÔNG khớp'} "
            "với cách đếm trực tiếp: "
            f"`{json.dumps(r['province_totals'], ensure_ascii=False)}`.",
        ]
        for plan in r["plans"]:
            lines += [
                "",
                f"### {r['vendor']}: kế hoạch truy vấn chậm nhất của `{plan['key']}`",
                "",
                "```sql",
                plan["sql"],
                "```",
                "",
                "```",
                plan["plan"],
                "```",
            ]
        lines.append("")
    for skipped in report.get("skipped", []):
        lines += [f"Bỏ qua: {skipped}", ""]
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Đo độ trễ bảng điều khiển, danh sách quá hạn và số liệu nhiệm vụ trên PostgreSQL (mặc định "
        "2.000.000 nhiệm vụ) và SQLite (200.000): trung vị, p95, so với đếm trực tiếp."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tasks", type=int, default=2_000_000, help="Số nhiệm vụ trên PostgreSQL.")
        parser.add_argument(
            "--sqlite-tasks",
            type=int,
            default=200_000,
            help="Số nhiệm vụ trên SQLite (mặc định 200000, không quá --tasks; 0: không đo SQLite).",
        )
        parser.add_argument("--repeat", type=int, default=10, help="Số lần chạy mỗi phép đo.")
        parser.add_argument("--out", default="bench-results", help="Thư mục ghi kết quả.")
        parser.add_argument(
            "--database-url",
            action="append",
            default=None,
            help="Chỉ đo trên CSDL này (có thể lặp lại). Mặc định: SQLite, và PostgreSQL nếu kết nối được "
            f"(BENCH_TASKS_DATABASE_URL hoặc {DEFAULT_PG}).",
        )
        parser.add_argument("--no-postgres", action="store_true", help="Không đo trên PostgreSQL.")
        parser.add_argument(
            "--method",
            choices=("copy", "bulk"),
            default=None,
            help="Cách nạp trên PostgreSQL (mặc định copy).",
        )
        parser.add_argument(
            "--keep", action="store_true", help="Giữ lại CSDL benchmark để lần sau dùng lại (không dựng lại)."
        )
        parser.add_argument(
            "--in-process",
            action="store_true",
            help="Đo ngay trên CSDL hiện tại (DATABASE_URL), không tạo CSDL riêng; dùng cho tiến trình con.",
        )
        parser.add_argument("--json-to", default=None, help="(tiến trình con) ghi kết quả JSON vào tệp này.")

    def handle(self, *args: Any, **options: Any) -> None:
        tasks, repeat = options["tasks"], options["repeat"]
        if tasks < 100 or repeat < 1:
            raise CommandError("--tasks phải từ 100 trở lên và --repeat từ 1 trở lên.")
        sqlite_tasks = min(options["sqlite_tasks"], tasks)
        if options["in_process"]:
            result = run_backend(tasks=tasks, repeat=repeat, method=options["method"], log=self._log)
            if options["json_to"]:
                Path(options["json_to"]).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
                return
            self._report([result], [], Path(options["out"]))
            return

        urls = options["database_url"] or self._default_urls(
            sqlite=sqlite_tasks >= 100, postgres=not options["no_postgres"]
        )
        if not urls:
            raise CommandError("Không có CSDL nào để đo.")
        results, skipped = [], []
        for url in urls:
            postgres = url.startswith(("postgres://", "postgresql://"))
            size = tasks if postgres else sqlite_tasks
            self.stdout.write(f"Đo trên {urlsplit(url).scheme} với {size} nhiệm vụ: {self._safe(url)}")
            self.stdout.flush()
            try:
                results.append(
                    self._child(
                        url, tasks=size, repeat=repeat, method=options["method"], keep=options["keep"]
                    )
                )
            except CommandError as exc:
                skipped.append(f"{self._safe(url)}: {exc}")
                self.stderr.write(str(exc))
        if not results:
            raise CommandError("Không đo được trên CSDL nào.")
        self._report(results, skipped, Path(options["out"]))

    def _log(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def _default_urls(self, *, sqlite: bool, postgres: bool) -> list[str]:
        urls = []
        if sqlite:
            data = Path(settings.DATA_DIR) / "bench"
            data.mkdir(parents=True, exist_ok=True)
            urls.append(f"sqlite:///{data / 'vanphong_bench_tasks.sqlite3'}")
        if postgres:
            pg = os.environ.get("BENCH_TASKS_DATABASE_URL") or DEFAULT_PG
            if postgres_reachable(pg):
                urls.append(pg)
            else:
                self.stdout.write(f"Không kết nối được PostgreSQL ({self._safe(pg)}): chỉ đo SQLite.")
        return urls

    @staticmethod
    def _safe(url: str) -> str:
        if url.startswith("sqlite:"):
            return url
        parts = urlsplit(url)
        if parts.password:
            parts = parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@"))
        return urlunsplit(parts)

    def _child(self, url: str, *, tasks: int, repeat: int, method: str | None, keep: bool) -> dict[str, Any]:
        postgres = url.startswith(("postgres://", "postgresql://"))
        sqlite_path = Path(urlsplit(url).path) if not postgres else None
        if postgres:
            postgres_database(url, create=True)
        env = {**os.environ, "DATABASE_URL": url}
        manage = [sys.executable, "-m", "vanphong"]
        try:
            done = subprocess.run(  # noqa: S603 (our own command)
                [*manage, "migrate", "--no-input", "-v", "0"], env=env, capture_output=True, text=True
            )
            if done.returncode:
                raise CommandError(f"Không tạo được cấu trúc CSDL: {done.stderr[-2000:]}")
            with tempfile.TemporaryDirectory() as tmp:
                out = Path(tmp) / "result.json"
                command = [*manage, "bench_tasks", "--in-process", "--tasks", str(tasks),
                           "--repeat", str(repeat), "--json-to", str(out)]  # fmt: skip
                if method and postgres:
                    command += ["--method", method]
                started = time.monotonic()
                with subprocess.Popen(  # noqa: S603
                    command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
                ) as child:
                    assert child.stdout is not None and child.stderr is not None
                    for line in child.stdout:  # the child's progress, as it comes
                        self._log(line.rstrip())
                    errors = child.stderr.read()
                if child.returncode:
                    raise CommandError(f"Đo không thành công: {errors[-2000:]}")
                result = json.loads(out.read_text(encoding="utf-8"))
                result["wall_s"] = round(time.monotonic() - started, 1)
                return result
        finally:
            if not keep:
                if postgres:
                    postgres_database(url, create=False)
                elif sqlite_path is not None:
                    for suffix in ("", "-wal", "-shm"):
                        Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)

    def _report(self, results: list[dict[str, Any]], skipped: list[str], out: Path) -> None:
        report = {
            "machine": f"{platform.node()} · {platform.processor() or platform.machine()} · "
            f"{os.cpu_count()} CPU · Python {platform.python_version()}",
            "repeat": results[0]["repeat"],
            "backends": results,
            "skipped": skipped,
        }
        out.mkdir(parents=True, exist_ok=True)
        (out / "tasks.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
        (out / "tasks.md").write_text(markdown(report), encoding="utf-8")
        for r in results:
            by = {m["key"]: m for m in r["measures"]}
            dash, overdue = by["province_dashboard"], by["overdue_first_page"]
            self.stdout.write(
                f"{r['vendor']}: {r['tasks']} nhiệm vụ · bảng điều khiển toàn tỉnh "
                f"trung vị {dash['median_ms']} ms, "
                f"p95 {dash['p95_ms']} ms · danh sách quá hạn trung vị {overdue['median_ms']} ms, "
                f"p95 {overdue['p95_ms']} ms · đối chứng/bảng số liệu {r['naive_over_tally_median']} lần"
            )
        self.stdout.write(self.style.SUCCESS(f"Đã ghi {out / 'tasks.json'} và {out / 'tasks.md'}."))
