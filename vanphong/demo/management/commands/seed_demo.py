"""``vanphong seed-demo``: build the demo province and print its logins."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from vanphong.demo import calendar as calendar_demo
from vanphong.demo import documents as documents_demo
from vanphong.demo import exchange as exchange_demo
from vanphong.demo import logistics as logistics_demo
from vanphong.demo import meetings as meetings_demo
from vanphong.demo import orgs as demo
from vanphong.demo import petitions as petitions_demo
from vanphong.demo import products as products_demo
from vanphong.demo import records as records_demo
from vanphong.demo import reporting as reporting_demo
from vanphong.demo import tasks as tasks_demo
from vanphong.demo import work_programs as work_programs_demo
from vanphong.demo.documents import scenes as document_scenes
from vanphong.orgs.models import Organization

DEFAULT_URL = "http://127.0.0.1:8000/"


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu: Tỉnh ủy Lâm Đồng, các cơ quan, đảng ủy trực thuộc, cán bộ và tài khoản dùng thử."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help=f"Nhân số cán bộ mỗi cơ quan lên N lần (1–{demo.MAX_SCALE}), để thử tải.",
        )
        parser.add_argument(
            "--password",
            default=demo.DEFAULT_PASSWORD,
            help=f"Mật khẩu cho mọi tài khoản mẫu (mặc định {demo.DEFAULT_PASSWORD}).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Nếu cơ sở dữ liệu đã có tổ chức thì không tạo gì, chỉ in danh sách tài khoản.",
        )
        parser.add_argument("--url", default=DEFAULT_URL, help="Địa chỉ in kèm danh sách tài khoản.")
        parser.add_argument(
            "--no-logins",
            action="store_true",
            help="Không in danh sách tài khoản (`make run` để `serve` in, với đúng địa chỉ).",
        )
        parser.add_argument(
            "--no-documents",
            action="store_true",
            help="Không tạo văn bản mẫu (mặc định: một năm văn bản đến, đi; nhân lên N lần với --scale N).",
        )
        parser.add_argument(
            "--no-tasks",
            action="store_true",
            help="Không tạo nhiệm vụ mẫu (mặc định: khoảng 280 nhiệm vụ; thêm N × 2.000 với --scale N > 1).",
        )

    def handle(
        self,
        *args: Any,
        scale: int,
        password: str,
        if_empty: bool,
        url: str,
        no_documents: bool = False,
        no_tasks: bool = False,
        no_logins: bool = False,
        **options: Any,
    ) -> None:
        if not 1 <= scale <= demo.MAX_SCALE:
            raise CommandError(f"--scale phải là số nguyên từ 1 đến {demo.MAX_SCALE}, không phải {scale}.")
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError("Mật khẩu không dùng được: " + " ".join(exc.messages)) from exc

        if if_empty and Organization.objects.filter(hosted=True).exists():  # not the national bodies
            self.stdout.write("Cơ sở dữ liệu đã có dữ liệu: không tạo thêm dữ liệu mẫu.")
            if not no_logins:
                self._print_logins(url=url, password=None)
            return

        started = time.monotonic()
        try:
            result = demo.seed_demo(scale=scale, password=password)
        except demo.DemoDataExists as exc:
            raise CommandError(
                f"{exc} Không tạo lại để tránh trùng lặp. Dùng --if-empty để chỉ in danh sách tài khoản, "
                "hoặc tạo trên một cơ sở dữ liệu mới."
            ) from exc
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tạo dữ liệu mẫu Tỉnh ủy Lâm Đồng: {demo.summary(result.counts)} ({elapsed:.1f} giây)."
            )
        )
        if not no_documents:
            self._seed_documents(scale)
        if not no_tasks:
            self._seed_tasks(scale)
            self._seed_programs()  # after the tasks: items, conclusions give tasks; they want an empty table
        if not no_documents:  # after the tasks: a direction gives a task, and they want an empty table
            self._seed_scenes()
        if not no_tasks:
            self._seed_petitions()  # after the tasks: each deadline is a task, and they want an empty table
            self._seed_records()  # after the documents, meetings and petitions it files
            self._seed_logistics()  # after the meetings (the rooms): a repair is a task
        if not no_documents:
            self._seed_exchange()  # after the documents: packages received and one issued sent
        if not no_tasks and not no_documents:
            self._seed_products()  # last: drawn from the documents, meetings, calendar and reports
        if not no_logins:
            self._print_logins(url=url, password=password)

    def _seed_documents(self, scale: int) -> None:
        started = time.monotonic()
        shown = 0

        def progress(documents: int) -> None:
            nonlocal shown
            if documents // 100_000 > shown // 100_000:  # every 100.000 documents
                shown = documents
                elapsed = time.monotonic() - started
                self.stdout.write(f"… {documents:,} văn bản ({elapsed:.0f} giây)".replace(",", "."))
                self.stdout.flush()

        counts = documents_demo.seed_documents(
            scale=scale, progress=progress if scale > 1 else None, files=scale == 1
        )
        elapsed = time.monotonic() - started
        summary = documents_demo.summary(counts)
        self.stdout.write(self.style.SUCCESS(f"Đã tạo {summary} ({elapsed:.1f} giây)."))

    def _seed_tasks(self, scale: int) -> None:
        started = time.monotonic()
        result = tasks_demo.seed_tasks(
            today=timezone.localdate(), scale=scale if scale > 1 else 0, stdout=self.stdout
        )
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Đã tạo {tasks_demo.summary(result)} ({elapsed:.1f} giây)."))

    def _seed_scenes(self) -> None:
        from vanphong.documents.models import Document

        started = time.monotonic()
        counts = document_scenes.seed_scenes()
        elapsed = time.monotonic() - started
        total = f"{Document.objects.count():,}".replace(",", ".")
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tạo {total} văn bản, tính cả việc hôm nay: {document_scenes.summary(counts)} "
                f"({elapsed:.1f} giây)."
            )
        )

    def _seed_programs(self) -> None:
        """Work programmes, then the meetings, the weekly calendars composed from both, and the
        reports the communes owe the Tỉnh ủy."""
        started = time.monotonic()
        counts = work_programs_demo.seed_work_programs()
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Đã tạo {work_programs_demo.summary(counts)} ({elapsed:.1f} giây).")
        )
        started = time.monotonic()
        counts = meetings_demo.seed_meetings()
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Đã tạo {meetings_demo.summary(counts)} ({elapsed:.1f} giây)."))
        started = time.monotonic()
        summary = calendar_demo.summary(calendar_demo.seed_calendar())
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Đã tạo {summary} ({elapsed:.1f} giây)."))
        started = time.monotonic()
        counts = reporting_demo.seed_reporting()
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Đã tạo {reporting_demo.summary(counts)} ({elapsed:.1f} giây).")
        )

    def _seed_petitions(self) -> None:
        started = time.monotonic()
        counts = petitions_demo.seed_petitions()
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Đã tạo {petitions_demo.summary(counts)} ({elapsed:.1f} giây).")
        )

    def _seed_records(self) -> None:
        started = time.monotonic()
        counts = records_demo.seed_records()
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Đã tạo {records_demo.summary(counts)} ({elapsed:.1f} giây)."))

    def _seed_logistics(self) -> None:
        started = time.monotonic()
        counts = logistics_demo.seed_logistics()
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Đã tạo {logistics_demo.summary(counts)} ({elapsed:.1f} giây).")
        )

    def _seed_exchange(self) -> None:
        started = time.monotonic()
        counts = exchange_demo.seed_exchange()
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Đã tạo {exchange_demo.summary(counts)} ({elapsed:.1f} giây)."))

    def _seed_products(self) -> None:
        started = time.monotonic()
        counts = products_demo.seed_products()
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Đã tạo {products_demo.summary(counts)} ({elapsed:.1f} giây)."))

    def _print_logins(self, *, url: str, password: str | None) -> None:
        text = demo.logins_text(url=url, password=password)
        if text:
            self.stdout.write("")
            self.stdout.write(text)
        else:
            self.stdout.write("Cơ sở dữ liệu không có tài khoản mẫu nào.")
