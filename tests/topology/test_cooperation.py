"""The production topology on one machine: two gunicorn web processes and one Celery worker
against one PostgreSQL database and one Redis, on loopback (docs/deployment.md, "Topology").

They cooperate through the database and the broker only: a document registered through one
web process is read and found through the other, and the text-extraction job that a
registration queues runs exactly once, on the worker, whichever web process queued it.

Runs in CI's PostgreSQL + Redis pass (DATABASE_URL and REDIS_URL set); skipped on the
embedded default. With them set but not answering it is skipped on a laptop and fails in
CI (CI=true). Its own database ``vanphong_topo_<random>`` is created on the server that
DATABASE_URL names and dropped at the end; the Redis database of REDIS_URL is emptied before
and after (the suite's jobs and cache live there only while a test runs)."""

from __future__ import annotations

import io
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")
PASSWORD = "Topo@2026-" + secrets.token_hex(4)
CLERK = "vanthu"  # keeps the Tỉnh ủy's books in the demo province
STARTUP_SECONDS = 45
JOB_SECONDS = 45
EXTRACT_JOB = "vanphong.documents.jobs.extract_text"
# The demo without its documents has no books yet: the Tỉnh ủy's default ones.
OPEN_BOOKS = (
    "from vanphong.documents.services.registering import registers_provision_defaults\n"
    "from vanphong.orgs.models import Organization\n"
    "registers_provision_defaults(organization=Organization.objects.get(name='Tỉnh ủy Lâm Đồng'))\n"
)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def _server_url(database: str) -> str:
    """DATABASE_URL with another database name (the same server and credentials)."""
    parts = urlsplit(DATABASE_URL)
    return urlunsplit(parts._replace(path=f"/{database}", query=""))


@pytest.fixture(scope="module")
def services() -> None:
    if not DATABASE_URL.startswith(("postgres://", "postgresql://")) or not REDIS_URL:
        pytest.skip("cần PostgreSQL và Redis (DATABASE_URL=postgres://…, REDIS_URL=redis://…)")
    import psycopg
    import redis

    try:
        with psycopg.connect(_server_url("postgres"), connect_timeout=5, autocommit=True) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        _unavailable(f"PostgreSQL không kết nối được ({type(exc).__name__}: {exc})")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=5).ping()
    except redis.RedisError as exc:
        _unavailable(f"Redis không kết nối được ({type(exc).__name__}: {exc})")


@pytest.fixture(scope="module")
def database(services: None) -> Iterator[str]:
    import psycopg

    name = f"vanphong_topo_{uuid.uuid4().hex[:12]}"
    admin = _server_url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _server_url(name)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Web:
    name: str
    base: str
    token: str = ""

    def request(
        self, method: str, path: str, *, body: bytes | None = None, content_type: str = "", **query: Any
    ) -> tuple[int, Any]:
        url = self.base + path + (f"?{urlencode(query)}" if query else "")
        # What nginx passes (deploy/nginx.conf): HTTPS, the client's address.
        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(url, data=body, method=method, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            payload = error.read()
            try:
                return error.code, json.loads(payload)
            except ValueError:
                return error.code, payload.decode("utf-8", "replace")[:500]

    def get(self, path: str, **query: Any) -> Any:
        status, body = self.request("GET", path, **query)
        assert status == 200, (self.name, path, status, body)
        return body


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = "vanphong" + secrets.token_hex(8)
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(value.encode() + b"\r\n")
    for name, (filename, content, content_type) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode()
        )
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def _docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@dataclass
class Topology:
    webs: list[Web]
    worker_log: Path
    database_url: str


def _wait_healthy(web: Web, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    last: Any = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{web.name} stopped: {log.read_text(errors='replace')[-3000:]}")
        try:
            status, body = web.request("GET", "/healthz")
            if status == 200:
                return
            last = (status, body)
        except OSError as exc:
            last = exc
        time.sleep(0.3)
    raise AssertionError(
        f"{web.name} did not answer /healthz ({last}): {log.read_text(errors='replace')[-3000:]}"
    )


def _wait_worker_ready(process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the worker stopped: {log.read_text(errors='replace')[-3000:]}")
        if "ready." in log.read_text(errors="replace"):
            return
        time.sleep(0.3)
    raise AssertionError(f"the worker is not ready: {log.read_text(errors='replace')[-3000:]}")


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.fixture(scope="module")
def topology(database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Topology]:
    data = tmp_path_factory.mktemp("topology")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VANPHONG_", "DJANGO_", "CELERY_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database,
        REDIS_URL=REDIS_URL,
        SECRET_KEY=secrets.token_urlsafe(64),
        VANPHONG_AUDIT_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1",
        # The uploaded files are shared by every process, as on NFS or a bucket in production.
        VANPHONG_DATA_DIR=str(data / "data"),
        VANPHONG_STATIC_ROOT=str(data / "static"),
        VANPHONG_DEBUG="false",
        VANPHONG_HTTPS="true",
        VANPHONG_TRUSTED_PROXY_HOPS="1",
        VANPHONG_TOTP_REQUIRED="none",
        VANPHONG_DB_POOL_MAX_SIZE="4",  # the pooled configuration, as documented for production
        VANPHONG_DB_POOL_MIN_SIZE="1",
        PYTHONUNBUFFERED="1",
    )
    env.pop("DATABASE_REPLICA_URL", None)
    manage = [sys.executable, "-m", "vanphong"]
    for command in (
        [*manage, "migrate", "--no-input", "-v", "0"],
        [*manage, "seed-demo", "--no-documents", "--no-tasks", "--no-logins", "--password", PASSWORD],
        [*manage, "shell", "--no-imports", "-c", OPEN_BOOKS],
    ):
        done = subprocess.run(  # noqa: S603 (our own command)
            command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=180, check=False
        )
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    _flush_redis()

    processes: list[subprocess.Popen[bytes]] = []
    logs: list[Any] = []
    webs: list[Web] = []
    try:
        for number in (1, 2):
            port = _free_port()
            log = data / f"web{number}.log"
            handle = log.open("wb")
            logs.append(handle)
            processes.append(
                subprocess.Popen(  # noqa: S603 (our own command)
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "config.wsgi:application",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "1",
                        "--timeout",
                        "60",
                        "--forwarded-allow-ips",
                        "127.0.0.1",
                        "--access-logfile",
                        "-",
                    ],
                    env=env,
                    cwd=ROOT,
                    stdout=handle,
                    stderr=subprocess.STDOUT,
                )
            )
            webs.append(Web(f"web{number}", f"http://127.0.0.1:{port}"))
        worker_log = data / "worker.log"
        handle = worker_log.open("wb")
        logs.append(handle)
        worker = subprocess.Popen(  # noqa: S603 (our own command)
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--concurrency",
                "1",
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
                "--loglevel",
                "INFO",
                "--hostname",
                f"topology-{uuid.uuid4().hex[:6]}@%h",
            ],
            env=env,
            cwd=ROOT,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        processes.append(worker)
        for web, process, number in zip(webs, processes, (1, 2), strict=False):
            _wait_healthy(web, process, data / f"web{number}.log")
        _wait_worker_ready(worker, worker_log)
        yield Topology(webs=webs, worker_log=worker_log, database_url=database)
    finally:
        _stop(processes)
        for handle in logs:
            handle.close()
        _flush_redis()


def _sign_in(web: Web) -> str:
    body = json.dumps({"username": CLERK, "password": PASSWORD, "name": web.name}).encode()
    status, answer = web.request("POST", "/api/v1/auth/token/", body=body, content_type="application/json")
    assert status == 201, (web.name, status, answer)
    return str(answer["token"])


def _register(web: Web, *, symbol: str, subject: str, text: str) -> dict[str, Any]:
    body, content_type = _multipart(
        {"symbol": symbol, "subject": subject, "issued_date": "2026-03-02"},
        {"files": (f"{symbol.replace('/', '-')}.docx", _docx(text), "application/octet-stream")},
    )
    status, answer = web.request("POST", "/api/v1/incoming/", body=body, content_type=content_type)
    assert status == 201, (web.name, status, answer)
    return dict(answer)


def _wait_extracted(web: Web, entry_id: int) -> dict[str, Any]:
    deadline = time.monotonic() + JOB_SECONDS
    while True:
        detail = web.get(f"/api/v1/incoming/{entry_id}/")
        states = [f["extraction"] for f in detail["files"]]
        if states and all(state not in ("pending", "running") for state in states):
            return dict(detail)
        if time.monotonic() > deadline:
            raise AssertionError(f"the extraction job did not run in {JOB_SECONDS}s: {states}")
        time.sleep(0.3)


def _count(database_url: str, sql: str, *params: Any) -> int:
    import psycopg

    with psycopg.connect(database_url) as conn:
        row = conn.execute(sql, params).fetchone()
    assert row is not None
    return int(row[0])


def test_two_web_processes_and_a_worker_share_one_database_and_one_broker(topology: Topology):
    web1, web2 = topology.webs
    web1.token = _sign_in(web1)
    web2.token = _sign_in(web2)  # a session of its own: tokens live in the shared database
    tag = secrets.token_hex(4)
    word_a, word_b = f"topoalpha{tag}", f"topobeta{tag}"

    # Registered through web #1 ...
    entry_a = _register(
        web1,
        symbol="101/QĐ-TTg",
        subject=f"Quyết định phê duyệt đề án chuyển đổi số {tag}",
        text=f"Nội dung toàn văn có từ khóa {word_a} để tra cứu.",
    )
    # ... read and found through web #2 (its metadata is searchable at once).
    detail = web2.get(f"/api/v1/incoming/{entry_a['id']}/")
    assert detail["symbol"] == "101/QĐ-TTg" and detail["document"] == entry_a["document"]
    found = web2.get("/api/v1/search/", q=f"chuyen doi so {tag}")
    assert [r["id"] for r in found["results"]] == [entry_a["document"]], found

    # The other way round, and a job queued by each web process.
    entry_b = _register(
        web2,
        symbol="102/QĐ-TTg",
        subject=f"Quyết định ban hành quy chế phối hợp {tag}",
        text=f"Văn bản thứ hai, từ khóa {word_b}.",
    )
    assert web1.get(f"/api/v1/incoming/{entry_b['id']}/")["symbol"] == "102/QĐ-TTg"

    # The worker reads both files (the jobs were queued on Redis by the two web processes) ...
    files = []
    for entry in (entry_a, entry_b):
        extracted = _wait_extracted(web1 if entry is entry_b else web2, entry["id"])
        assert [f["extraction"] for f in extracted["files"]] == ["done"], extracted["files"]
        files.extend(f["id"] for f in extracted["files"])
    # ... and the extracted text is searchable through either web process.
    assert [r["id"] for r in web2.get("/api/v1/search/", q=word_a)["results"]] == [entry_a["document"]]
    assert [r["id"] for r in web1.get("/api/v1/search/", q=word_b)["results"]] == [entry_b["document"]]

    # Each job ran exactly once: one extraction recorded per file, one job received by the
    # worker per file, and nothing left on the queue or unacknowledged.
    time.sleep(1.0)  # a duplicate delivery would have shown by now
    for file_id in files:
        recorded = _count(
            topology.database_url,
            "SELECT count(*) FROM audit_auditevent WHERE action = 'document.file_extract' "
            "AND (after ->> 'file')::bigint = %s",
            file_id,
        )
        assert recorded == 1, (file_id, recorded)
    log = topology.worker_log.read_text(errors="replace")
    assert log.count(f"Task {EXTRACT_JOB}[") >= 2, log[-3000:]
    received = [line for line in log.splitlines() if f"Task {EXTRACT_JOB}[" in line and "received" in line]
    assert len(received) == 2, log[-3000:]
    assert len({line.split("[", 1)[1].split("]", 1)[0] for line in received}) == 2  # two distinct jobs
    succeeded = [line for line in log.splitlines() if f"Task {EXTRACT_JOB}[" in line and "succeeded" in line]
    assert len(succeeded) == 2, log[-3000:]

    import redis

    from config.celery import app

    client = redis.Redis.from_url(REDIS_URL)
    assert client.llen(app.conf.task_default_queue) == 0
    assert client.hlen("unacked") == 0
