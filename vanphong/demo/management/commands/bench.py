"""``vanphong bench``: search latency on a large document set, SQLite and PostgreSQL.

For each database it builds (or, with ``--keep``, reuses) a bench database holding the demo
province with ``--documents`` documents (bulk, with extracted text), then runs a fixed set of
realistic queries ``--repeat`` times:

* through ``search(user, q)`` as the Bí thư (the widest reach: the whole province), with the
  access filter, the count (which stops at 1,000: "hơn 1.000"), the page of 20 and its
  snippets — what a user waits for; and the same as a commune's văn thư (a narrow reach:
  one Đảng ủy's documents, the other side of the access filter);
* directly on the database: the same full-text query (FTS5 MATCH / tsquery), ranked, count
  and first 20 ids, no access filter, no ORM, no snippets.

It reports the median and 95th percentile of each, and their ratio, in
``<out>/search.json`` and ``<out>/search.md``; with ``benchmarks/capture_accuracy.py``
present, its ``run()`` figures are added. Each database is measured in a child process
(DATABASE_URL pointing at the bench database), so the settings never change in-process.
"""

from __future__ import annotations

import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from vanphong.demo.benchmarking import postgres_database, postgres_reachable, stats

QUERIES = (
    "nghị quyết",
    "nghi quyet",
    "chuyển đổi số",
    "chuyen doi so",
    "57-NQ/TW",
    "Nghị quyết số 57-NQ/TW",
    "ke hoach trien khai",
    "kế hoạch triển khai thực hiện",
    "dang uy",
    "ĐẢNG ỦY",
    "phòng chống tham nhũng",
    "bao ve bi mat nha nuoc",
    "sạt lở đất",
    "cà phê bền vững",
    "bao cao quy III",
    "kinh tế tư nhân",
    "giam ngheo dong bao dan toc",
    "thông báo kết luận thường trực",
    "hội nhập quốc tế",
    "ca phe",
    "tinh gian bien che",
    "xay dung nong thon m",
)
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/vanphong_bench"
WIDE_USER = "bithu"  # Bí thư Tỉnh ủy: every document of the province
NARROW_USER = "vanthu.phuquy"  # văn thư of one Đảng ủy: its own documents only


def run_backend(*, documents: int, repeat: int, log: Any = None) -> dict[str, Any]:
    """Measure on the default database (built here when empty). Used in the child process."""
    from django.contrib.auth import get_user_model

    from vanphong.demo import documents as documents_demo
    from vanphong.demo import orgs as demo
    from vanphong.documents.models import Document
    from vanphong.orgs.models import Organization
    from vanphong.search.backends import backend_for
    from vanphong.search.selectors import parse_terms, search

    timings: dict[str, Any] = {}
    have = Document.objects.count()
    if have == 0:
        started = time.monotonic()
        if not Organization.objects.filter(hosted=True).exists():  # the national bodies are always there
            demo.seed_demo(scale=1)
        per_scale = documents_demo.PROVINCE_IN + documents_demo.PROVINCE_OUT
        per_scale += (documents_demo.SUBORDINATE_IN + documents_demo.SUBORDINATE_OUT) * 12
        scale = max(1, round(documents / per_scale))
        documents_demo.seed_documents(scale=scale, with_text=True)
        timings["build_s"] = round(time.monotonic() - started, 1)
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        elif connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
                cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
        have = Document.objects.count()
        if log:
            log(f"  {connection.vendor}: {have} văn bản trong {timings['build_s']} giây")
    user = get_user_model().objects.get(username=WIDE_USER)
    narrow = get_user_model().objects.get(username=NARROW_USER)
    backend = backend_for(connection)
    search_times: list[float] = []
    narrow_times: list[float] = []
    direct_times: list[float] = []
    per_query = []
    search(user, "khoi dong")  # warm the caches and the connection
    search(narrow, "khoi dong")
    for q in QUERIES:
        terms, prefix_last = parse_terms(q)
        expression = backend.match_expression(terms, prefix_last=prefix_last)
        hits = backend.hits_sql()
        s_times, n_times, d_times = [], [], []
        count = narrow_count = direct_count = 0
        capped = narrow_capped = False
        for _ in range(repeat):
            started = time.perf_counter()
            page = search(user, q, page_size=20)
            s_times.append(time.perf_counter() - started)
            count, capped = page.count, page.count_capped
            started = time.perf_counter()
            page = search(narrow, q, page_size=20)
            n_times.append(time.perf_counter() - started)
            narrow_count, narrow_capped = page.count, page.count_capped
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM ({hits}) h", [expression])  # noqa: S608 (our SQL)
                direct_count = cursor.fetchone()[0]
                cursor.execute(f"SELECT h.id FROM ({hits}) h ORDER BY h.rank, h.id LIMIT 20", [expression])  # noqa: S608
                cursor.fetchall()
            d_times.append(time.perf_counter() - started)
        search_times += s_times
        narrow_times += n_times
        direct_times += d_times
        per_query.append(
            {
                "q": q,
                "count": count,
                "count_capped": capped,
                "narrow_count": narrow_count,
                "narrow_count_capped": narrow_capped,
                "direct_count": direct_count,
                "search": stats(s_times),
                "narrow": stats(n_times),
                "direct": stats(d_times),
            }
        )
    search_stats, direct_stats = stats(search_times), stats(direct_times)
    return {
        "vendor": connection.vendor,
        "documents": have,
        "repeat": repeat,
        **timings,
        "search": search_stats,
        "narrow": stats(narrow_times),
        "direct": direct_stats,
        "ratio_median": round(search_stats["median_ms"] / max(direct_stats["median_ms"], 0.001), 2),
        "ratio_p95": round(search_stats["p95_ms"] / max(direct_stats["p95_ms"], 0.001), 2),
        "queries": per_query,
    }


def capture_accuracy() -> dict[str, Any] | None:
    path = Path(settings.BASE_DIR) / "benchmarks" / "capture_accuracy.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("capture_accuracy", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.run()


def _count(count: Any, capped: bool | None) -> str:
    return f"> {count}" if capped else str(count)


def markdown(report: dict[str, Any]) -> str:
    lines = [
        "# Tra cứu: độ trễ (benchmark)",
        "",
        f"Máy: {report['machine']}. Mỗi truy vấn chạy {report['repeat']} lần; "
        "“tra cứu” = `search(user, q)` với người dùng phạm vi rộng nhất, Bí thư Tỉnh ủy (phân quyền, đếm "
        "— dừng ở 1.000, trang 20 kết quả, đoạn trích); “văn thư xã” = cùng phép tra cứu với văn thư một "
        "Đảng ủy xã (chỉ thấy văn bản của xã mình); “trực tiếp” = cùng câu truy vấn toàn văn chạy thẳng "
        "trên CSDL (đếm hết + 20 id đầu, không phân quyền, không ORM, không đoạn trích).",
        "",
        "| CSDL | Số văn bản | Tra cứu trung vị (ms) | Tra cứu p95 (ms) | Trực tiếp trung vị (ms) "
        "| Trực tiếp p95 (ms) | Tỉ lệ trung vị | Tỉ lệ p95 | Văn thư xã trung vị (ms) "
        "| Văn thư xã p95 (ms) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in report["backends"]:
        narrow = r.get("narrow", {"median_ms": "", "p95_ms": ""})
        lines.append(
            f"| {r['vendor']} | {r['documents']} | {r['search']['median_ms']} | {r['search']['p95_ms']} | "
            f"{r['direct']['median_ms']} | {r['direct']['p95_ms']} | {r['ratio_median']} | "
            f"{r['ratio_p95']} | {narrow['median_ms']} | {narrow['p95_ms']} |"
        )
    for r in report["backends"]:
        lines += [
            "",
            f"## {r['vendor']}: từng truy vấn",
            "",
            "| Truy vấn | Khớp (trực tiếp) | Bí thư thấy | Tra cứu trung vị (ms) | Văn thư xã thấy "
            "| Văn thư xã trung vị (ms) | Trực tiếp trung vị (ms) |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {q['q']} | {q['direct_count']} | {_count(q['count'], q.get('count_capped'))} | "
            f"{q['search']['median_ms']} | "
            f"{_count(q.get('narrow_count', ''), q.get('narrow_count_capped'))} | "
            f"{q.get('narrow', {}).get('median_ms', '')} | {q['direct']['median_ms']} |"
            for q in r["queries"]
        ]
    if report.get("capture_accuracy") is not None:
        lines += ["", "## Đọc thông tin văn bản (capture)", "", "```", json.dumps(report["capture_accuracy"],
                  ensure_ascii=False, indent=2), "```"]  # fmt: skip
    for skipped in report.get("skipped", []):
        lines += ["", f"Bỏ qua: {skipped}"]
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "Đo độ trễ tra cứu toàn văn trên SQLite và PostgreSQL (trung vị, p95, so với truy vấn trực tiếp)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--documents", type=int, default=100_000, help="Số văn bản (mặc định 100000).")
        parser.add_argument(
            "--database-url",
            action="append",
            default=None,
            help="Chỉ đo trên CSDL này (có thể lặp lại). Mặc định: SQLite, và PostgreSQL nếu kết nối được "
            "(BENCH_DATABASE_URL hoặc postgres://postgres@127.0.0.1:5432/vanphong_bench).",
        )
        parser.add_argument("--out", default="bench-results", help="Thư mục ghi kết quả.")
        parser.add_argument("--repeat", type=int, default=10, help="Số lần chạy mỗi truy vấn.")
        parser.add_argument(
            "--keep", action="store_true", help="Giữ lại CSDL benchmark để lần sau dùng lại (không dựng lại)."
        )
        parser.add_argument(
            "--in-process",
            action="store_true",
            help="Đo ngay trên CSDL hiện tại (DATABASE_URL), không tạo CSDL riêng; dùng cho tiến trình con.",
        )
        parser.add_argument(
            "--no-capture", action="store_true", help="Không đo độ chính xác đọc thông tin văn bản (OCR lâu)."
        )
        parser.add_argument("--json-to", default=None, help="(tiến trình con) ghi kết quả JSON vào tệp này.")

    def handle(self, *args: Any, **options: Any) -> None:
        documents, repeat = options["documents"], options["repeat"]
        if documents < 100 or repeat < 1:
            raise CommandError("--documents phải từ 100 trở lên và --repeat từ 1 trở lên.")
        if options["in_process"]:
            result = run_backend(documents=documents, repeat=repeat, log=self.stdout.write)
            if options["json_to"]:
                Path(options["json_to"]).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
                return
            self._report([result], [], Path(options["out"]), capture=not options["no_capture"])
            return

        urls = options["database_url"] or self._default_urls()
        results, skipped = [], []
        for url in urls:
            self.stdout.write(f"Đo trên {urlsplit(url).scheme}: {self._safe(url)}")
            try:
                results.append(self._child(url, documents=documents, repeat=repeat, keep=options["keep"]))
            except CommandError as exc:
                skipped.append(f"{self._safe(url)}: {exc}")
                self.stderr.write(str(exc))
        if not results:
            raise CommandError("Không đo được trên CSDL nào.")
        self._report(results, skipped, Path(options["out"]), capture=not options["no_capture"])

    def _default_urls(self) -> list[str]:
        data = Path(settings.DATA_DIR) / "bench"
        data.mkdir(parents=True, exist_ok=True)
        urls = [f"sqlite:///{data / 'vanphong_bench.sqlite3'}"]
        pg = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_PG
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

    def _child(self, url: str, *, documents: int, repeat: int, keep: bool) -> dict[str, Any]:
        postgres = url.startswith(("postgres://", "postgresql://"))
        sqlite_path = Path(urlsplit(url).path) if not postgres else None
        if postgres:
            postgres_database(url, create=True)
        env = {**os.environ, "DATABASE_URL": url}
        manage = [sys.executable, "-m", "vanphong"]
        try:
            done = subprocess.run(  # noqa: S603 (our own command)
                [*manage, "migrate", "--run-syncdb", "--no-input", "-v", "0"],
                env=env,
                capture_output=True,
                text=True,
            )
            if done.returncode:
                raise CommandError(f"Không tạo được cấu trúc CSDL: {done.stderr[-2000:]}")
            with tempfile.TemporaryDirectory() as tmp:
                out = Path(tmp) / "result.json"
                done = subprocess.run(  # noqa: S603
                    [*manage, "bench", "--in-process", "--documents", str(documents), "--repeat", str(repeat),
                     "--json-to", str(out)],
                    env=env, capture_output=True, text=True,
                )  # fmt: skip
                self.stdout.write(done.stdout.rstrip())
                if done.returncode:
                    raise CommandError(f"Đo không thành công: {done.stderr[-2000:]}")
                return json.loads(out.read_text(encoding="utf-8"))
        finally:
            if not keep:
                if postgres:
                    postgres_database(url, create=False)
                elif sqlite_path is not None:
                    for suffix in ("", "-wal", "-shm"):
                        Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)

    def _report(self, results: list[dict[str, Any]], skipped: list[str], out: Path, *, capture: bool) -> None:
        report = {
            "machine": f"{platform.node()} · {platform.processor() or platform.machine()} · "
            f"Python {platform.python_version()}",
            "repeat": results[0]["repeat"],
            "backends": results,
            "skipped": skipped,
            "capture_accuracy": capture_accuracy() if capture else None,
        }
        out.mkdir(parents=True, exist_ok=True)
        (out / "search.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
        (out / "search.md").write_text(markdown(report), encoding="utf-8")
        for r in results:
            self.stdout.write(
                f"{r['vendor']}: {r['documents']} văn bản · tra cứu trung vị {r['search']['median_ms']} ms, "
                f"p95 {r['search']['p95_ms']} ms · trực tiếp trung vị {r['direct']['median_ms']} ms, "
                f"p95 {r['direct']['p95_ms']} ms · tỉ lệ {r['ratio_median']} (p95 {r['ratio_p95']}) · "
                f"văn thư xã trung vị {r['narrow']['median_ms']} ms, p95 {r['narrow']['p95_ms']} ms"
            )
        self.stdout.write(self.style.SUCCESS(f"Đã ghi {out / 'search.json'} và {out / 'search.md'}."))
