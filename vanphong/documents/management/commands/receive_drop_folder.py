"""``vanphong receive_drop_folder --organization <slug or id> [--folder PATH]``: turn the
e-mail drop folder's files into arrivals waiting to be registered."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from vanphong.documents.services.arrivals import drop_folder_receive, organization_by_slug_or_id


class Command(BaseCommand):
    help = (
        "Nhận văn bản từ thư mục thư điện tử: mỗi tệp .eml (tệp PDF, DOCX, ảnh đính kèm) và mỗi tệp "
        "PDF, DOCX, ảnh thành một văn bản chờ vào sổ. Tệp đã nhận chuyển vào processed/, tệp lỗi vào failed/."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--organization",
            default=settings.VANPHONG_DROP_ORGANIZATION,
            help=(
                "Cơ quan nhận: tên viết tắt trong địa chỉ (slug) hoặc id "
                "(mặc định VANPHONG_DROP_ORGANIZATION)."
            ),
        )
        parser.add_argument(
            "--folder", default=settings.VANPHONG_DROP_DIR, help="Thư mục nhận (mặc định VANPHONG_DROP_DIR)."
        )

    def handle(self, *args: Any, organization: str, folder: str, **options: Any) -> None:
        if not folder:
            raise CommandError("Chưa chỉ thư mục nhận: dùng --folder hoặc đặt VANPHONG_DROP_DIR.")
        if not organization:
            raise CommandError(
                "Chưa chỉ cơ quan nhận: dùng --organization hoặc đặt VANPHONG_DROP_ORGANIZATION."
            )
        try:
            org = organization_by_slug_or_id(organization)
            report = drop_folder_receive(folder=Path(folder), organization=org)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"Đã nhận {len(report.arrivals)} văn bản cho {org.name}; "
            f"{len(report.failed)} tệp lỗi (xem failed/); {len(report.skipped)} tệp đang ghi dở, để lần sau."
        )
