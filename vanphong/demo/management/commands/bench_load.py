"""``vanphong bench-load``: a load benchmark of the running system, as its users meet it.

1. The dataset: database ``vanphong_load_s{scale}_r{seed}`` (on the local server, on the
   server of ``BENCH_LOAD_DATABASE_URL``, or the database ``--database-url`` names), reused
   when its marker table says a seed of that scale and seed finished; otherwise created,
   migrated, filled by ``vanphong seed-demo --scale N`` (a child process) and analysed.
2. The server: gunicorn ``config.wsgi`` as in production (docs/deployment.md: DEBUG off, a
   secret key, allowed hosts, Redis, HTTPS behind a proxy) on a free loopback port.
3. The load: for each endpoint (``loadbench.endpoints``) a warm-up, then ``wrk`` at each
   ``--connections`` level; right after, the bare SQL answering the same question, timed
   ``--sql-repeat`` times on the same database (median).
4. The report: ``<out>/load.json`` and ``<out>/load.md``, with the targets of the issue and
   the memory (VmRSS) of each gunicorn worker after the load.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vanphong.demo import loadbench as lb
from vanphong.demo.benchmarking import postgres_database, postgres_reachable

HEALTH_TIMEOUT = 90  # seconds for gunicorn to answer /healthz
DRAIN_TIMEOUT = 120  # seconds for the requests left queued by a load run to be served


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ram_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return None


class Command(BaseCommand):
    help = (
        "Đo tải hệ thống đang chạy như người dùng gặp: dữ liệu mẫu trên PostgreSQL (dựng một lần, dùng "
        "lại), gunicorn cấu hình như chạy thật, wrk ở nhiều mức người dùng đồng thời; so với truy vấn SQL "
        "trực tiếp. "
        "Kết quả: <out>/load.json và <out>/load.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=int,
            default=30,
            help="Quy mô dữ liệu mẫu (seed-demo --scale N; 1000 ≈ 1 triệu văn bản).",
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="Hạt giống của bộ dữ liệu (đặt tên CSDL; mặc định 2026)."
        )
        parser.add_argument(
            "--duration", type=float, default=20, help="Số giây đo mỗi mức tải (mặc định 20)."
        )
        parser.add_argument(
            "--connections",
            default="1,50",
            help="Các mức người dùng đồng thời, cách nhau dấu phẩy (mặc định 1,50).",
        )
        parser.add_argument("--out", default="bench-results", help="Thư mục ghi kết quả.")
        parser.add_argument(
            "--database-url",
            default=None,
            help="CSDL PostgreSQL của bộ dữ liệu. Mặc định: BENCH_LOAD_DATABASE_URL (máy chủ, tên CSDL "
            "thay bằng vanphong_load_s{scale}_r{seed}) hoặc máy chủ 127.0.0.1:5432.",
        )
        parser.add_argument(
            "--keep-server", action="store_true", help="Không dừng gunicorn khi đo xong (in địa chỉ và pid)."
        )
        parser.add_argument("--workers", type=int, default=4, help="Số worker gunicorn (mặc định 4).")
        parser.add_argument(
            "--max-requests",
            type=int,
            default=2000,
            help="--max-requests của gunicorn như khi chạy thật (mặc định 2000; 0 = không thay worker).",
        )
        parser.add_argument(
            "--redis-url",
            default=None,
            help=f"Redis cho máy chủ đo (bộ nhớ đệm, hàng đợi); bị xóa trắng trước khi đo. Mặc định "
            f"BENCH_LOAD_REDIS_URL hoặc {lb.DEFAULT_REDIS_URL}.",
        )
        parser.add_argument("--warmup", type=float, default=2, help="Số giây khởi động trước mỗi điểm đo.")
        parser.add_argument(
            "--sql-repeat", type=int, default=lb.SQL_REPEAT, help="Số lần chạy SQL trực tiếp."
        )
        parser.add_argument(
            "--only", default="", help="Chỉ đo các điểm này (khóa, cách nhau dấu phẩy, ví dụ tasks_bithu)."
        )
        parser.add_argument(
            "--prepare-to", default=None, help="(tiến trình con) chuẩn bị mã truy cập, ghi JSON."
        )

    # --- The steps ----------------------------------------------------------------------------

    def handle(self, *args: Any, **options: Any) -> None:
        if options["prepare_to"]:
            context = lb.prepare()
            Path(options["prepare_to"]).write_text(json.dumps(context, ensure_ascii=False), encoding="utf-8")
            return
        try:
            concurrencies = sorted({int(c) for c in str(options["connections"]).split(",") if c.strip()})
        except ValueError as exc:
            raise CommandError("--connections: các số nguyên cách nhau dấu phẩy, ví dụ 1,50.") from exc
        if not concurrencies or min(concurrencies) < 1:
            raise CommandError("--connections: ít nhất một mức, mỗi mức từ 1 trở lên.")
        if options["scale"] < 1 or options["duration"] < 1 or options["workers"] < 1:
            raise CommandError("--scale, --duration và --workers phải từ 1 trở lên.")
        wrk = shutil.which("wrk")
        if wrk is None:
            raise CommandError("Chưa cài wrk: apt-get install -y wrk")

        scale, seed = options["scale"], options["seed"]
        load_before = os.getloadavg()
        url = options["database_url"] or lb.dataset_url(
            scale, seed, os.environ.get("BENCH_LOAD_DATABASE_URL")
        )
        if not url.startswith(("postgres://", "postgresql://")):
            raise CommandError("Đo tải cần PostgreSQL (--database-url postgres://...).")
        if not postgres_reachable(url):
            raise CommandError(f"Không kết nối được PostgreSQL: {lb.safe_url(url)}")
        data = lb.data_dir(Path(settings.BASE_DIR), url)
        data.mkdir(parents=True, exist_ok=True)
        secret_key = secrets.token_urlsafe(64)
        env = {**os.environ, "DATABASE_URL": url, "VANPHONG_DATA_DIR": str(data), "SECRET_KEY": secret_key}
        for name in ("REDIS_URL", "VANPHONG_DEBUG", "VANPHONG_TOTP_REQUIRED", "VANPHONG_JOBS_EAGER"):
            env.pop(name, None)

        dataset = self._dataset(url, scale=scale, seed=seed, env=env)
        env["VANPHONG_STATIC_ROOT"] = str(data.parent / "static")
        with tempfile.TemporaryDirectory() as tmp:
            context_file = Path(tmp) / "context.json"
            self._run(
                [sys.executable, "-m", "vanphong", "bench-load", "--prepare-to", str(context_file)],
                env,
                "chuẩn bị",
            )
            ctx = json.loads(context_file.read_text(encoding="utf-8"))
            try:
                chosen = lb.select(lb.endpoints(ctx), str(options["only"]).split(","))
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            if any(e.page for e in chosen):
                self._collectstatic(Path(env["VANPHONG_STATIC_ROOT"]), env)

            redis_url = options["redis_url"] or os.environ.get("BENCH_LOAD_REDIS_URL") or lb.DEFAULT_REDIS_URL
            self._flush_redis(redis_url)
            server_env = {
                **env,
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "PYTHONUNBUFFERED": "1",
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "VANPHONG_DEBUG": "false",
                "VANPHONG_HTTPS": "true",
                "VANPHONG_TRUSTED_PROXY_HOPS": "1",
                "REDIS_URL": redis_url,
            }
            port = _free_port()
            log_path = data / "gunicorn.log"
            server = self._start_server(
                server_env, port, options["workers"], options["max_requests"], log_path
            )
            base = f"http://127.0.0.1:{port}"
            keep = options["keep_server"]
            try:
                self._wait_healthy(server, base, log_path)
                rows = self._measure(
                    wrk, base, chosen, ctx, url, Path(tmp),
                    concurrencies=concurrencies, duration=options["duration"], warmup=options["warmup"],
                    sql_repeat=options["sql_repeat"],
                )  # fmt: skip
                workers = lb.worker_rss(server.pid)
            finally:
                if not keep:
                    self._stop_server(server)
        if keep:
            self.stdout.write(f"gunicorn vẫn chạy: {base} (pid {server.pid}; dừng: kill {server.pid}).")

        report = {
            "machine": {
                **self._machine(url),
                "loadavg_before": [round(x, 2) for x in load_before],
                "loadavg_after": [round(x, 2) for x in os.getloadavg()],
            },
            "dataset": dataset,
            "server": {
                "workers": options["workers"],
                "max_requests": options["max_requests"],
                "wsgi": "config.wsgi",
                "settings": "DEBUG off, VANPHONG_HTTPS=true, REDIS_URL, VANPHONG_TRUSTED_PROXY_HOPS=1",
            },
            "concurrencies": concurrencies,
            "duration_s": options["duration"],
            "warmup_s": options["warmup"],
            "sql_repeat": options["sql_repeat"],
            "today": ctx["today"],
            "search_terms": {k: v["q"] for k, v in ctx["search"].items()},
            "users": {k: v["username"] for k, v in ctx["users"].items()},
            "endpoints": rows,
            "workers": workers,
            "worker_rss_max_mb": max((w["rss_mb"] or 0 for w in workers), default=None),
            "targets": {
                "p95_ms_at_max_users": lb.TARGET_P95_MS,
                "p50_over_bare_sql_at_1_user": lb.TARGET_RATIO,
                "list_rps_at_max_users": lb.TARGET_LIST_RPS,
                "worker_rss_mb": lb.TARGET_RSS_MB,
            },
        }
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        (out / "load.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
        (out / "load.md").write_text(lb.markdown(report), encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Đã ghi {out / 'load.json'} và {out / 'load.md'}."))

    def _run(self, command: list[str], env: dict[str, str], what: str, *, stream: bool = False) -> None:
        done = subprocess.run(  # noqa: S603 (our own command)
            command,
            env=env,
            cwd=settings.BASE_DIR,
            capture_output=not stream,
            text=True,
        )
        if done.returncode:
            detail = "" if stream else (done.stderr or done.stdout)[-3000:]
            raise CommandError(f"Bước “{what}” không thành công (mã {done.returncode}). {detail}")

    def _collectstatic(self, root: Path, env: dict[str, str]) -> None:
        """The pages need the hashed static files (DEBUG off): collected once into a folder
        shared by the datasets, again only when a source file changed (it takes a minute)."""
        from django.contrib.staticfiles.finders import get_finders

        digest = hashlib.sha256()
        for finder in get_finders():
            for path, storage in finder.list([]):
                stat = Path(storage.path(path)).stat()
                digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
        stamp = root / ".bench-load-sources"
        if (
            (root / "staticfiles.json").exists()
            and stamp.exists()
            and stamp.read_text() == digest.hexdigest()
        ):
            return
        self.stdout.write("collectstatic …")
        self._run(
            [sys.executable, "-m", "vanphong", "collectstatic", "--no-input", "-v", "0"], env, "collectstatic"
        )
        stamp.write_text(digest.hexdigest())

    def _dataset(self, url: str, *, scale: int, seed: int, env: dict[str, str]) -> dict[str, Any]:
        name = lb.database_of(url)
        exists = lb.database_exists(url)
        marker = lb.read_marker(url) if exists else None
        action = lb.dataset_action(exists=exists, marker=marker, scale=scale, seed=seed)
        if action == "mismatch":
            raise CommandError(
                f"CSDL {name} đã chứa bộ dữ liệu khác (scale {marker and marker.get('scale')}, "
                f"seed {marker and marker.get('seed')}): chọn CSDL khác."
            )
        manage = [sys.executable, "-m", "vanphong"]
        if action == "reuse":
            assert marker is not None
            self.stdout.write(f"Dùng lại bộ dữ liệu {name} (dựng xong {marker['finished_at']}).")
            self._run([*manage, "migrate", "--no-input", "-v", "0"], env, "migrate")
            return {
                "database": name,
                "scale": scale,
                "seed": seed,
                "reused": True,
                "build_seconds": marker.get("build_seconds"),
                "counts": marker.get("counts") or lb.dataset_counts(url),
            }
        if action == "rebuild":
            if not name.startswith(lb.DATASET_PREFIX):
                raise CommandError(
                    f"CSDL {name} có sẵn nhưng không có dấu hoàn tất của bench-load: không xóa CSDL "
                    f"không mang tên {lb.DATASET_PREFIX}…; chọn CSDL khác."
                )
            self.stdout.write(f"Bộ dữ liệu {name} chưa dựng xong lần trước: xóa và dựng lại.")
            postgres_database(url, create=False)
        self.stdout.write(f"Dựng bộ dữ liệu {name} (seed-demo --scale {scale}) …")
        self.stdout.flush()
        started = time.monotonic()
        postgres_database(url, create=True)
        self._run([*manage, "migrate", "--no-input", "-v", "0"], env, "migrate")
        seed_cmd = [*manage, "seed-demo", "--scale", str(scale), "--password", lb.PASSWORD, "--no-logins"]
        self._run(seed_cmd, env, "seed-demo", stream=True)
        lb.analyze(url)
        build_seconds = round(time.monotonic() - started, 1)
        counts = lb.dataset_counts(url)
        lb.write_marker(url, scale=scale, seed=seed, build_seconds=build_seconds, counts=counts)
        self.stdout.write(f"Đã dựng {name} trong {build_seconds:.0f} giây: {counts}")
        return {
            "database": name,
            "scale": scale,
            "seed": seed,
            "reused": False,
            "build_seconds": build_seconds,
            "counts": counts,
        }

    def _flush_redis(self, redis_url: str) -> None:
        import redis

        try:
            redis.Redis.from_url(redis_url).flushdb()
        except redis.RedisError as exc:
            raise CommandError(f"Không dùng được Redis {redis_url}: {exc}") from exc

    def _start_server(
        self, env: dict[str, str], port: int, workers: int, max_requests: int, log_path: Path
    ) -> subprocess.Popen[bytes]:
        command = [
            sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers),
            "--timeout", "120",
            "--graceful-timeout", "30",
            "--forwarded-allow-ips", "127.0.0.1",
            "--access-logfile", str(log_path.with_suffix(".access.log")),
            "--error-logfile", str(log_path),
        ]  # fmt: skip
        if max_requests:
            command += [
                "--max-requests",
                str(max_requests),
                "--max-requests-jitter",
                str(max(1, max_requests // 10)),
            ]
        for path in (log_path, log_path.with_suffix(".access.log")):
            path.unlink(missing_ok=True)
        self.stdout.write(f"gunicorn: {workers} worker trên 127.0.0.1:{port} …")
        return subprocess.Popen(  # noqa: S603 (our own command)
            command, env=env, cwd=settings.BASE_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def _wait_healthy(self, server: subprocess.Popen[bytes], base: str, log_path: Path) -> None:
        request = urllib.request.Request(f"{base}/healthz", headers={"X-Forwarded-Proto": "https"})  # noqa: S310
        deadline = time.monotonic() + HEALTH_TIMEOUT
        last = ""
        while time.monotonic() < deadline:
            if server.poll() is not None:
                break
            try:
                with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (loopback)
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError) as exc:
                last = str(exc)
            time.sleep(0.5)
        tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:] if log_path.exists() else ""
        raise CommandError(f"gunicorn không trả lời /healthz ({last}). {tail}")

    def _stop_server(self, server: subprocess.Popen[bytes]) -> None:
        if server.poll() is not None:
            return
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    def _wrk(self, wrk: str, base: str, script: Path, connections: int, seconds: float) -> dict[str, Any]:
        command = lb.wrk_command(wrk, url=base, script=script, connections=connections, seconds=seconds)
        done = subprocess.run(command, capture_output=True, text=True)  # noqa: S603 (wrk, our script)
        if done.returncode:
            raise CommandError(f"wrk không chạy được: {done.stderr[-2000:]}")
        self._drain(base)
        return lb.parse_wrk(done.stdout)

    def _drain(self, base: str) -> None:
        """Wait until the requests wrk left queued when it stopped are served: the next level
        must start on an idle server. /healthz, queued behind them, answers once they are."""
        request = urllib.request.Request(f"{base}/healthz", headers={"X-Forwarded-Proto": "https"})  # noqa: S310
        deadline = time.monotonic() + DRAIN_TIMEOUT
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                with urllib.request.urlopen(request, timeout=DRAIN_TIMEOUT) as response:  # noqa: S310 (loopback)
                    response.read()
            except (urllib.error.URLError, OSError):
                time.sleep(0.5)
                continue
            if time.monotonic() - started < 0.5:
                return

    def _measure(
        self,
        wrk: str,
        base: str,
        chosen: list[lb.Endpoint],
        ctx: dict[str, Any],
        url: str,
        tmp: Path,
        *,
        concurrencies: list[int],
        duration: float,
        warmup: float,
        sql_repeat: int,
    ) -> list[dict[str, Any]]:
        import psycopg

        rows = []
        with psycopg.connect(url, autocommit=True) as conn:
            for endpoint in chosen:
                script = tmp / f"{endpoint.key}.lua"
                script.write_text(
                    lb.wrk_script(endpoint.paths, lb.headers_for(endpoint, ctx)), encoding="utf-8"
                )
                row = lb.Row(endpoint.key, endpoint.label, endpoint.paths[0], endpoint.is_list)
                if warmup > 0:
                    self._wrk(wrk, base, script, min(2, max(concurrencies)), warmup)
                for c in concurrencies:
                    row.runs[str(c)] = run = self._wrk(wrk, base, script, c, duration)
                    self.stdout.write(
                        f"  {endpoint.key} ×{c}: p50 {run['p50_ms']} ms, p95 {run['p95_ms']} ms, "
                        f"p99 {run['p99_ms']} ms, {run['rps']} req/s, lỗi {run['errors']}"
                        + (f" (mã {run['first_bad_status']})" if run["first_bad_status"] else "")
                    )
                    self.stdout.flush()
                row.bare_sql = lb.time_bare_sql(conn, endpoint, ctx, repeat=sql_repeat)
                one = row.runs.get("1")
                row.ratio = lb.ratio(one["p50_ms"] if one else None, row.bare_sql["median_ms"])
                data = lb.row_dict(row)
                data["user"] = ctx["users"][endpoint.user]["username"]
                data["verdicts"] = [vars(v) for v in lb.verdicts(data, concurrencies)]
                self.stdout.write(f"    SQL trực tiếp {row.bare_sql['median_ms']} ms, tỉ lệ {row.ratio}")
                rows.append(data)
        return rows

    def _machine(self, url: str) -> dict[str, Any]:
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            version = conn.execute("SHOW server_version").fetchone()
        return {
            "node": platform.node(),
            "nproc": os.cpu_count(),
            "ram_gb": _ram_gb(),
            "postgresql": version[0] if version else None,
            "python": platform.python_version(),
            "platform": platform.platform(),
            "wrk": shutil.which("wrk"),
        }
