"""``vanphong bootstrap``: the first organisation and its administrator on a new install.

Everything after this is done in the application by that administrator. Whoever runs this
command has the server's shell and so full trust: it is the one place where a clearance is
given without being capped by the giver's own.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from vanphong.audit.services import audit_record
from vanphong.orgs.models import (
    CLASSIFICATION_BY_CODE,
    Organization,
    OrgKind,
    OrgLevel,
    Person,
    Role,
    RoleAssignment,
)


class Command(BaseCommand):
    help = "Tạo tổ chức đầu tiên và tài khoản quản trị của một hệ thống mới."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organization", required=True, help="Tên đầy đủ, ví dụ: Tỉnh ủy Lâm Đồng")
        parser.add_argument("--short-name", default="", help="Tên ngắn, ví dụ: Tỉnh ủy")
        parser.add_argument("--abbreviation", required=True, help="Chữ viết tắt trong ký hiệu, ví dụ: TU")
        parser.add_argument("--level", default="tinh", help="Mã cấp: tinh (mặc định), xa, trung-uong ...")
        parser.add_argument("--place", default="", help="Địa danh ghi trên văn bản, ví dụ: Lâm Đồng")
        parser.add_argument("--username", required=True)
        parser.add_argument("--full-name", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument(
            "--clearance", default="none", choices=sorted(CLASSIFICATION_BY_CODE), help="Mức tiếp cận bí mật"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()  # noqa: N806
        if User.objects.filter(username=options["username"]).exists():
            raise CommandError(f"Tài khoản {options['username']} đã có.")
        user = User(username=options["username"])
        try:
            validate_password(options["password"], user)
        except ValidationError as exc:
            raise CommandError("Mật khẩu chưa đạt: " + " ".join(exc.messages)) from None
        levels = {
            "trung-uong": ("Trung ương", 0),
            "tinh": ("Cấp tỉnh", 10),
            "huyen": ("Cấp huyện", 20),
            "xa": ("Cấp xã", 30),
        }
        name, rank = levels.get(options["level"], (options["level"], 50))
        with transaction.atomic():
            level, _created = OrgLevel.objects.get_or_create(
                code=options["level"], defaults={"name": name, "rank": rank}
            )
            organization = Organization.objects.create(
                name=options["organization"],
                short_name=options["short_name"] or options["organization"],
                abbreviation=options["abbreviation"],
                kind=OrgKind.COMMITTEE,
                level=level,
                hosted=True,
                place_name=options["place"],
            )
            user.is_staff = True
            user.is_superuser = True
            user.set_password(options["password"])
            user.save()
            person = Person.objects.create(
                full_name=options["full_name"],
                organization=organization,
                user=user,
                clearance=CLASSIFICATION_BY_CODE[options["clearance"]],
            )
            RoleAssignment.objects.create(person=person, organization=organization, role=Role.QUAN_TRI)
            audit_record(
                actor=None,
                actor_username="bootstrap",
                action="system.bootstrap",
                target=organization,
                organization_id=organization.pk,
                after={
                    "organization": organization.name,
                    "admin": user.username,
                    "clearance": person.clearance,
                },
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tạo {organization.name} và tài khoản quản trị {user.username}. Đăng nhập để khai báo "
                "cơ quan, đơn vị, cán bộ và vai trò (lần đầu sẽ được yêu cầu đăng ký xác thực hai lớp)."
            )
        )
