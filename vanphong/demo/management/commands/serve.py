"""``vanphong serve``: the whole application in one command — gunicorn for the web and a
Celery worker with embedded beat for background jobs, as child processes.

Made for the embedded install (``make run``) and small offices; a province runs the same
three processes under systemd instead (see docs/deployment.md). SIGINT and SIGTERM are
passed on to the children; when any child dies the others are stopped and the command
exits with a non-zero status, so a supervisor notices.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from vanphong.demo import orgs as demo

STOP_TIMEOUT = 20.0  # seconds the children get to finish their work before SIGKILL
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """On Linux, have the kernel send SIGTERM to the child if ``serve`` itself is killed
    (SIGKILL cannot be forwarded), so that no orphaned web server keeps the port."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class Command(BaseCommand):
    help = "Chạy Văn phòng số: máy chủ web (gunicorn) và tiến trình nền (Celery worker kèm beat)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Địa chỉ lắng nghe (mặc định 127.0.0.1).")
        parser.add_argument("--port", type=int, default=8000, help="Cổng (mặc định 8000).")
        parser.add_argument("--workers", type=int, default=2, help="Số tiến trình web gunicorn (mặc định 2).")
        parser.add_argument(
            "--no-jobs", action="store_true", help="Không chạy tiến trình nền (khi đã có worker riêng)."
        )
        parser.add_argument(
            "--quiet",
            action="store_true",
            help="Không ghi từng yêu cầu web và không in bảng giới thiệu của tiến trình nền; "
            "chỉ giữ cảnh báo và lỗi (dùng cho `make run`).",
        )

    def handle(
        self,
        *args: Any,
        host: str,
        port: int,
        workers: int,
        no_jobs: bool,
        quiet: bool = False,
        **options: Any,
    ) -> None:
        if not 1 <= port <= 65535:
            raise CommandError(f"--port phải từ 1 đến 65535, không phải {port}.")
        if not 1 <= workers <= 64:
            raise CommandError(f"--workers phải từ 1 đến 64, không phải {workers}.")
        self._warn_unapplied_migrations()
        self._prepare_folders()
        self._note_uncollected_static()

        commands = {"web": self.web_command(host=host, port=port, workers=workers, quiet=quiet)}
        if not no_jobs:
            commands["jobs"] = self.jobs_command(quiet=quiet)
        children: dict[str, subprocess.Popen[bytes]] = {}
        stopping: list[int] = []

        def forward(signum: int, frame: FrameType | None) -> None:
            stopping.append(signum)
            for child in children.values():
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)

        previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            for name, command in commands.items():
                # A process group of their own: Ctrl+C in the terminal reaches only us, and
                # we stop the children in order instead of each reacting on its own.
                children[name] = subprocess.Popen(  # noqa: S603
                    command, env=self.child_env(), process_group=0, preexec_fn=_die_with_parent
                )
            self._announce(host, port)
            failed = self._wait(children, stopping)
        finally:
            self._stop(children)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if failed and not stopping:
            name, code = failed
            raise CommandError(
                f"Tiến trình {name} đã dừng (mã {code}); dừng toàn bộ.", returncode=code if code > 0 else 1
            )
        self.stdout.write("Đã dừng Văn phòng số.")

    # --- The children ------------------------------------------------------------------------

    @staticmethod
    def web_command(*, host: str, port: int, workers: int, quiet: bool = False) -> list[str]:
        # gunicorn writes no access log unless asked: --quiet leaves it out.
        access_log = [] if quiet else ["--access-logfile", "-"]
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "120",
            "--graceful-timeout",
            str(int(STOP_TIMEOUT) - 5),
            *access_log,
            "--log-level",
            "warning",
        ]

    @staticmethod
    def jobs_command(*, quiet: bool = False) -> list[str]:
        # One process does the work and keeps the schedule: --pool=solo runs jobs one at a
        # time (enough for an office, and the SQLite default has one writer anyway).
        # --quiet (a global option of ``celery``, before the subcommand) drops the ASCII banner.
        return [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            *(["--quiet"] if quiet else []),
            "worker",
            "--beat",
            "--pool=solo",
            "--concurrency=1",
            "--schedule",
            str(settings.DATA_DIR / "celerybeat-schedule"),
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING" if quiet else "--loglevel=INFO",
        ]

    @staticmethod
    def child_env() -> dict[str, str]:
        env = dict(os.environ)
        env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        env["VANPHONG_DATA_DIR"] = str(settings.DATA_DIR)  # the children share our data folder
        env.setdefault("PYTHONUNBUFFERED", "1")
        return env

    # --- Steps ---------------------------------------------------------------------------------

    def _prepare_folders(self) -> None:
        folders: list[Path | str] = [settings.DATA_DIR, settings.MEDIA_ROOT]
        if settings.CELERY_BROKER_URL.startswith("filesystem"):
            options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
            folders += [
                options[k]
                for k in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder")
            ]
        for folder in folders:
            Path(folder).mkdir(parents=True, exist_ok=True)

    def _note_uncollected_static(self) -> None:
        """Pages work before ``collectstatic`` (the files are linked and served by their plain
        names, vanphong/core/staticfiles.py), only without compression and long caching; it
        takes a minute or more (Brotli), so it is left to ``make run`` and deployments."""
        manifest = getattr(staticfiles_storage, "manifest_name", None)
        if manifest and not (Path(settings.STATIC_ROOT) / manifest).exists():
            self.stderr.write(
                self.style.WARNING(
                    "Chưa chạy `vanphong collectstatic`: trang vẫn dùng được, nhưng CSS, JavaScript "
                    "chưa được nén và lưu đệm lâu."
                )
            )

    def _warn_unapplied_migrations(self) -> None:
        try:
            executor = MigrationExecutor(connection)
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except Exception as exc:
            raise CommandError(f"Không kết nối được cơ sở dữ liệu: {exc}") from exc
        if plan:
            self.stderr.write(
                self.style.WARNING(
                    f"Cơ sở dữ liệu còn {len(plan)} bước cập nhật (migration) chưa chạy: "
                    "chạy `vanphong migrate` trước."
                )
            )

    def _announce(self, host: str, port: int) -> None:
        shown = "127.0.0.1" if host in {"0.0.0.0", "::"} else host  # noqa: S104
        url = f"http://{shown}:{port}/"
        self.stdout.write(self.style.SUCCESS(f"Văn phòng số đang chạy tại http://{host}:{port}"))
        if (
            settings.ALLOWED_HOSTS
            and shown not in settings.ALLOWED_HOSTS
            and "*" not in settings.ALLOWED_HOSTS
        ):
            self.stderr.write(
                self.style.WARNING(
                    f"Lưu ý: {shown} không có trong ALLOWED_HOSTS; trình duyệt sẽ bị từ chối (400)."
                )
            )
        text = demo.logins_text(url=url)
        if text:
            self.stdout.write("")
            self.stdout.write(text)
        self.stdout.write("")
        self.stdout.write("Nhấn Ctrl+C để dừng.")

    @staticmethod
    def _wait(children: dict[str, subprocess.Popen[bytes]], stopping: list[int]) -> tuple[str, int] | None:
        """Block until a child exits (or we are told to stop); name the first that died."""
        while True:
            for name, child in children.items():
                code = child.poll()
                if code is not None:
                    return name, code
            if stopping:
                return None
            time.sleep(0.2)

    @staticmethod
    def _stop(children: dict[str, subprocess.Popen[bytes]]) -> None:
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        for child in children.values():
            try:
                child.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
