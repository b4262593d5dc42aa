"""``vanphong serve`` for real: child processes, the health check through gunicorn, signals."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from vanphong.demo.management.commands.serve import Command

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc to find the children"
)

ROOT = Path(__file__).resolve().parents[3]
VANPHONG = Path(sys.executable).parent / "vanphong"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def embedded_env(tmp_path_factory) -> dict[str, str]:
    """A fresh embedded install (SQLite, filesystem broker) in a folder of its own, migrated
    once: never the database the test run uses."""
    data = tmp_path_factory.mktemp("serve-data")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        VANPHONG_DATA_DIR=str(data), DJANGO_SETTINGS_MODULE="config.settings", VANPHONG_LOG_LEVEL="WARNING"
    )
    subprocess.run(
        [str(VANPHONG), "migrate", "--no-input", "-v0"], env=env, cwd=ROOT, check=True, timeout=180
    )  # noqa: S603
    return env


def start(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603
        [str(VANPHONG), "serve", "--port", str(port), "--workers", "1"],
        env=env,
        cwd=ROOT,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


def wait_healthy(port: int, process: subprocess.Popen[bytes], timeout: float = 60) -> bytes:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "serve exited before answering"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:  # noqa: S310
                return response.read()
        except OSError:
            time.sleep(0.3)
    raise AssertionError("serve did not answer /healthz in time")


def children(pid: int) -> dict[int, str]:
    """Direct children of ``pid`` with their command lines."""
    found: dict[int, str] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            found[int(child)] = cmdline
    return found


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    # A zombie waiting for its parent counts as gone.
    return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"


def test_serve_runs_web_and_jobs_and_stops_cleanly_on_sigterm(embedded_env, tmp_path):
    port, log = free_port(), tmp_path / "serve.log"
    process = start(embedded_env, port, log)
    try:
        body = wait_healthy(port, process)
        assert b'"broker": "ok"' in body and b'"database": "ok"' in body
        kids = children(process.pid)
        assert any("gunicorn" in c for c in kids.values()), kids
        assert any("celery" in c and "--beat" in c for c in kids.values()), kids
        assert (Path(embedded_env["VANPHONG_DATA_DIR"]) / "broker" / "queue").is_dir()

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=40) == 0
        assert all(gone(pid) for pid in kids)
    finally:
        if process.poll() is None:
            process.kill()
    output = log.read_text(encoding="utf-8")
    assert f"Văn phòng số đang chạy tại http://127.0.0.1:{port}" in output
    assert "Đã dừng Văn phòng số." in output


def test_serve_stops_everything_and_fails_when_a_child_dies(embedded_env, tmp_path):
    port, log = free_port(), tmp_path / "serve.log"
    process = start(embedded_env, port, log)
    try:
        wait_healthy(port, process)
        kids = children(process.pid)
        web = next(pid for pid, c in kids.items() if "gunicorn" in c)
        os.kill(web, signal.SIGTERM)  # the web server goes away on its own
        assert process.wait(timeout=40) != 0
        assert all(gone(pid) for pid in kids)  # the worker was stopped too
    finally:
        if process.poll() is None:
            process.kill()
    assert "Tiến trình web đã dừng" in log.read_text(encoding="utf-8")


def test_the_jobs_process_is_a_solo_worker_with_embedded_beat_keeping_its_schedule_in_the_data_folder(
    settings,
):
    command = Command.jobs_command()
    assert command[:4] == [sys.executable, "-m", "celery", "-A"]
    assert {"worker", "--beat", "--pool=solo", "--concurrency=1"} <= set(command)
    assert command[command.index("--schedule") + 1] == str(settings.DATA_DIR / "celerybeat-schedule")


def test_the_web_process_is_gunicorn_on_the_requested_address():
    command = Command.web_command(host="0.0.0.0", port=8080, workers=3)  # noqa: S104
    assert command[:4] == [sys.executable, "-m", "gunicorn", "config.wsgi:application"]
    assert command[command.index("--bind") + 1] == "0.0.0.0:8080"
    assert command[command.index("--workers") + 1] == "3"
    assert Command.web_command(host="::1", port=8000, workers=1)[5] == "[::1]:8000"


@pytest.mark.parametrize(("option", "value"), [("--port", "0"), ("--port", "70000"), ("--workers", "0")])
def test_bad_options_are_refused_in_vietnamese(db, option, value):
    with pytest.raises(CommandError, match="phải từ"):
        call_command("serve", option, value)


def test_quiet_drops_gunicorns_access_log_and_celerys_banner_but_keeps_warnings():
    loud = Command.web_command(host="127.0.0.1", port=8000, workers=1)
    quiet = Command.web_command(host="127.0.0.1", port=8000, workers=1, quiet=True)
    assert loud[loud.index("--access-logfile") + 1] == "-"
    assert "--access-logfile" not in quiet
    assert quiet[quiet.index("--log-level") + 1] == "warning"

    assert "--quiet" not in Command.jobs_command() and "--loglevel=INFO" in Command.jobs_command()
    jobs = Command.jobs_command(quiet=True)
    assert jobs.index("--quiet") < jobs.index("worker")  # a global option of `celery`
    assert "--loglevel=WARNING" in jobs


def make_run_recipe() -> str:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]


def test_make_run_prints_the_logins_once_quietly_and_without_the_second_factor():
    recipe = make_run_recipe()
    assert "export VANPHONG_TOTP_REQUIRED ?= none" in recipe
    assert "seed-demo --if-empty --no-logins" in recipe  # `serve` prints them, with its address
    assert "serve --host $(HOST) --port $(PORT) --quiet" in recipe
