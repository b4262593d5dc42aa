"""The demo province: Tỉnh ủy Lâm Đồng after the 2025 reorganisation (no district level),
its agencies, its subordinate Đảng ủy, the people who work there and their accounts.

Everything here is fixed data, so two runs build the same province. ``seed_demo`` writes it
in one transaction; ``login_rows`` / ``format_logins`` read the demo accounts back from the
database for the table printed by ``vanphong seed-demo`` and ``vanphong serve``.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils.translation import gettext as _

from vanphong.audit.services import audit_record
from vanphong.orgs.models import (
    Classification,
    Organization,
    OrgKind,
    OrgLevel,
    Person,
    Position,
    Role,
    RoleAssignment,
    StaffQuota,
    Unit,
)

DEFAULT_PASSWORD = "VanPhong@2026"
SEED_ACTOR = "seed-demo"
MAX_SCALE = 1000
EMAIL_DOMAIN = "demo.vanphong.example"  # a reserved top-level domain: demo mail goes nowhere


class DemoDataExists(Exception):
    """The database already holds organisations or demo accounts."""


# --- Specifications ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelSpec:
    code: str
    name: str
    rank: int
    in_use: bool = True


@dataclass(frozen=True)
class UnitSpec:
    key: str  # "<org key>.<unit>"
    name: str
    abbreviation: str
    quota: int


@dataclass(frozen=True)
class OrgSpec:
    key: str
    name: str
    short_name: str
    abbreviation: str
    level: str
    parent: str | None = None
    kind: str = OrgKind.COMMITTEE
    hosted: bool = True
    slug: str | None = None
    place_name: str = ""
    active: bool = True
    dissolved_on: dt.date | None = None
    quota: int | None = None
    units: tuple[UnitSpec, ...] = ()
    is_office: bool = False


@dataclass(frozen=True)
class PersonSpec:
    username: str
    full_name: str
    org: str  # where the person works
    position: str
    role: str
    unit: str | None = None  # unit key where the person works
    role_org: str | None = None  # where the role is held, when not ``org``
    title: str = ""
    clearance: int = Classification.NONE
    featured: bool = False  # shown in the printed table of logins
    superuser: bool = False


LEVELS = (
    LevelSpec("trung-uong", "Trung ương", 0),
    LevelSpec("tinh", "Cấp tỉnh", 10),
    LevelSpec("huyen", "Cấp huyện", 20, in_use=False),
    LevelSpec("xa", "Cấp xã", 30),
)

POSITIONS: tuple[tuple[str, bool, int], ...] = (
    # (name, is_leadership, rank)
    ("Bí thư", True, 10),
    ("Phó Bí thư Thường trực", True, 15),
    ("Phó Bí thư", True, 20),
    ("Ủy viên Ban Thường vụ", True, 25),
    ("Chánh Văn phòng", True, 30),
    ("Trưởng ban", True, 30),
    ("Chủ nhiệm Ủy ban Kiểm tra", True, 30),
    ("Phó Chánh Văn phòng", True, 35),
    ("Phó Trưởng ban", True, 35),
    ("Phó Chủ nhiệm Ủy ban Kiểm tra", True, 35),
    ("Trưởng phòng", True, 50),
    ("Phó Trưởng phòng", True, 55),
    ("Chuyên viên chính", False, 70),
    ("Chuyên viên", False, 80),
    ("Lưu trữ viên", False, 85),
    ("Văn thư", False, 90),
)

QUOTA_DECISION = "Quyết định giao biên chế năm 2025 của Ban Thường vụ Tỉnh ủy"


def place_slug(place_name: str) -> str:
    """The short code of a commune-level committee: its place name in lower case, without
    diacritics or spaces ("Bảo Lộc 1" → "baoloc1"). For a ward whose name also carries the
    former city ("Xuân Hương - Đà Lạt"), only the ward's own name counts."""
    name = place_name.split(" - ")[0].replace("đ", "d").replace("Đ", "D")
    ascii_only = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in ascii_only.lower() if ch.isalnum())


def _agency(
    key: str,
    name: str,
    abbreviation: str,
    quota: int,
    units: tuple[tuple[str, str, str, int], ...],
    *,
    is_office: bool = False,
) -> OrgSpec:
    return OrgSpec(
        key=key,
        name=name,
        short_name=name.removesuffix(" Tỉnh ủy"),
        abbreviation=abbreviation,
        level="tinh",
        parent="tinhuy",
        kind=OrgKind.AGENCY,
        place_name="Lâm Đồng",
        quota=quota,
        units=tuple(UnitSpec(f"{key}.{k}", n, a, q) for k, n, a, q in units),
        is_office=is_office,
    )


# (kind of place, place name) → Đảng ủy at commune level; the slug comes from the place name.
COMMUNES: tuple[tuple[str, str], ...] = (
    ("đặc khu", "Phú Quý"),
    ("phường", "Xuân Hương - Đà Lạt"),
    ("phường", "Lâm Viên - Đà Lạt"),
    ("phường", "Bảo Lộc 1"),
    ("phường", "Phan Thiết"),
    ("phường", "Bắc Gia Nghĩa"),
    ("xã", "Đức Trọng"),
    ("xã", "Di Linh"),
    ("xã", "Lạc Dương"),
    ("xã", "Tuy Phong"),
)


def _commune(kind: str, place: str) -> OrgSpec:
    slug = place_slug(place)
    return OrgSpec(
        key=slug,
        name=f"Đảng ủy {kind} {place}",
        short_name=f"Đảng ủy {place}",
        abbreviation="ĐU",
        level="xa",
        parent="tinhuy",
        slug=slug,
        place_name=place,
        quota=15,
        units=(UnitSpec(f"{slug}.vp", "Văn phòng Đảng ủy", "VP", 6),),
    )


ORGANIZATIONS: tuple[OrgSpec, ...] = (
    OrgSpec("tw", "Ban Chấp hành Trung ương Đảng", "Trung ương", "TW", "trung-uong", hosted=False),
    OrgSpec(
        "vptw",
        "Văn phòng Trung ương Đảng",
        "Văn phòng Trung ương",
        "VPTW",
        "trung-uong",
        parent="tw",
        kind=OrgKind.AGENCY,
        hosted=False,
    ),
    OrgSpec(
        "ubnd", "Ủy ban nhân dân tỉnh Lâm Đồng", "UBND tỉnh", "UBND", "tinh", kind=OrgKind.STATE, hosted=False
    ),
    OrgSpec(
        "hdnd",
        "Hội đồng nhân dân tỉnh Lâm Đồng",
        "HĐND tỉnh",
        "HĐND",
        "tinh",
        kind=OrgKind.STATE,
        hosted=False,
    ),
    OrgSpec(
        "mttq",
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Lâm Đồng",
        "Ủy ban MTTQ Việt Nam tỉnh",
        "MTTQ",
        "tinh",
        kind=OrgKind.FRONT,
        hosted=False,
    ),
    OrgSpec("cat", "Công an tỉnh Lâm Đồng", "Công an tỉnh", "CAT", "tinh", kind=OrgKind.STATE, hosted=False),
    OrgSpec(
        "tinhuy",
        "Tỉnh ủy Lâm Đồng",
        "Tỉnh ủy",
        "TU",
        "tinh",
        parent="tw",
        slug="tinhuy",
        place_name="Lâm Đồng",
    ),
    _agency(
        "vptu",
        "Văn phòng Tỉnh ủy",
        "VPTU",
        56,
        (
            ("th", "Phòng Tổng hợp", "TH", 14),
            ("hclt", "Phòng Hành chính - Lưu trữ", "HCLT", 12),
            ("tcqt", "Phòng Tài chính - Quản trị", "TCQT", 10),
            ("cntt", "Phòng Cơ yếu - Công nghệ thông tin", "CY-CNTT", 8),
            ("dv", "Phòng Đảng vụ", "ĐV", 8),
        ),
        is_office=True,
    ),
    _agency(
        "btctu",
        "Ban Tổ chức Tỉnh ủy",
        "BTCTU",
        28,
        (("tcdv", "Phòng Tổ chức đảng - Đảng viên", "TCĐ-ĐV", 10), ("cb", "Phòng Cán bộ", "CB", 10)),
    ),
    _agency(
        "btgdvtu",
        "Ban Tuyên giáo và Dân vận Tỉnh ủy",
        "BTGDVTU",
        32,
        (
            ("lltt", "Phòng Lý luận chính trị - Tuyên truyền", "LLCT-TT", 12),
            ("dv", "Phòng Dân vận", "DV", 10),
        ),
    ),
    _agency(
        "ubkttu",
        "Ủy ban Kiểm tra Tỉnh ủy",
        "UBKTTU",
        30,
        (("kt1", "Phòng Kiểm tra 1", "P1", 10), ("kt2", "Phòng Kiểm tra 2", "P2", 10)),
    ),
    _agency(
        "bnctu",
        "Ban Nội chính Tỉnh ủy",
        "BNCTU",
        20,
        (
            ("pctn", "Phòng Phòng, chống tham nhũng, tiêu cực", "PCTN", 8),
            ("tcd", "Phòng Tiếp công dân", "TCD", 6),
        ),
    ),
    _agency(
        "bcscltu",
        "Ban Chính sách, chiến lược Tỉnh ủy",
        "BCSCLTU",
        18,
        (("kt", "Phòng Kinh tế", "KT", 7), ("vhxh", "Phòng Văn hóa - Xã hội", "VHXH", 6)),
    ),
    *(_commune(kind, place) for kind, place in COMMUNES),
    OrgSpec(
        "coquandang",
        "Đảng ủy các cơ quan Đảng tỉnh Lâm Đồng",
        "Đảng ủy các cơ quan Đảng tỉnh",
        "ĐU",
        "tinh",
        parent="tinhuy",
        slug="coquandang",
        place_name="Lâm Đồng",
        quota=12,
        units=(UnitSpec("coquandang.vp", "Văn phòng Đảng ủy", "VP", 5),),
    ),
    OrgSpec(
        "ubndtinh",
        "Đảng ủy Ủy ban nhân dân tỉnh Lâm Đồng",
        "Đảng ủy UBND tỉnh",
        "ĐU",
        "tinh",
        parent="tinhuy",
        slug="ubndtinh",
        place_name="Lâm Đồng",
        quota=12,
        units=(UnitSpec("ubndtinh.vp", "Văn phòng Đảng ủy", "VP", 5),),
    ),
    # The district level ended on 01/7/2025; its committees live on in the archive.
    OrgSpec(
        "huyenuy-ductrong",
        "Huyện ủy Đức Trọng",
        "Huyện ủy Đức Trọng",
        "HU",
        "huyen",
        parent="tinhuy",
        place_name="Đức Trọng",
        active=False,
        dissolved_on=dt.date(2025, 6, 30),
    ),
)


def _leaders() -> tuple[PersonSpec, ...]:
    lead = Role.LANH_DAO_CAP_UY
    return (
        PersonSpec(
            "bithu",
            "Phạm Quang Vinh",
            "tinhuy",
            "Bí thư",
            lead,
            title="Bí thư Tỉnh ủy",
            clearance=Classification.TUYET_MAT,
            featured=True,
        ),
        PersonSpec(
            "thuongtruc",
            "Nguyễn Thị Thu Hà",
            "tinhuy",
            "Phó Bí thư Thường trực",
            lead,
            title="Phó Bí thư Thường trực Tỉnh ủy",
            clearance=Classification.TUYET_MAT,
            featured=True,
        ),
        PersonSpec(
            "phobithu1",
            "Lê Văn Khánh",
            "tinhuy",
            "Phó Bí thư",
            lead,
            title="Phó Bí thư Tỉnh ủy",
            clearance=Classification.TUYET_MAT,
        ),
        PersonSpec(
            "phobithu2",
            "Hoàng Minh Tuấn",
            "tinhuy",
            "Phó Bí thư",
            lead,
            title="Phó Bí thư Tỉnh ủy",
            clearance=Classification.TUYET_MAT,
        ),
        PersonSpec(
            "uvbtv1",
            "Đặng Thị Ngọc Lan",
            "tinhuy",
            "Ủy viên Ban Thường vụ",
            lead,
            title="Ủy viên Ban Thường vụ Tỉnh ủy",
            clearance=Classification.TOI_MAT,
        ),
        PersonSpec(
            "uvbtv2",
            "Bùi Thanh Sơn",
            "tinhuy",
            "Ủy viên Ban Thường vụ",
            lead,
            title="Ủy viên Ban Thường vụ Tỉnh ủy",
            clearance=Classification.TOI_MAT,
        ),
    )


def _office() -> tuple[PersonSpec, ...]:
    office, dept, cv = Role.LANH_DAO_VAN_PHONG, Role.LANH_DAO_PHONG, Role.CHUYEN_VIEN
    return (
        PersonSpec(
            "chanhvp",
            "Võ Thị Hồng Nhung",
            "vptu",
            "Chánh Văn phòng",
            office,
            title="Chánh Văn phòng Tỉnh ủy",
            clearance=Classification.TOI_MAT,
            featured=True,
        ),
        PersonSpec(
            "phochanhvp1",
            "Huỳnh Văn Lộc",
            "vptu",
            "Phó Chánh Văn phòng",
            office,
            clearance=Classification.TOI_MAT,
        ),
        PersonSpec(
            "phochanhvp2",
            "Đỗ Thị Thanh Tâm",
            "vptu",
            "Phó Chánh Văn phòng",
            office,
            clearance=Classification.MAT,
        ),
        PersonSpec(
            "truongphong.th",
            "Ngô Quốc Bảo",
            "vptu",
            "Trưởng phòng",
            dept,
            unit="vptu.th",
            clearance=Classification.MAT,
        ),
        PersonSpec("phophong.th", "Phan Thị Kim Oanh", "vptu", "Phó Trưởng phòng", dept, unit="vptu.th"),
        PersonSpec(
            "truongphong.hclt",
            "Lương Thị Bích Ngọc",
            "vptu",
            "Trưởng phòng",
            dept,
            unit="vptu.hclt",
            clearance=Classification.MAT,
            featured=True,
        ),
        PersonSpec("phophong.hclt", "Vũ Minh Trí", "vptu", "Phó Trưởng phòng", dept, unit="vptu.hclt"),
        PersonSpec("truongphong.tcqt", "Trịnh Văn Hải", "vptu", "Trưởng phòng", dept, unit="vptu.tcqt"),
        PersonSpec(
            "truongphong.cntt",
            "Dương Hoàng Nam",
            "vptu",
            "Trưởng phòng",
            dept,
            unit="vptu.cntt",
            clearance=Classification.MAT,
        ),
        PersonSpec("phophong.cntt", "Tạ Quang Huy", "vptu", "Phó Trưởng phòng", dept, unit="vptu.cntt"),
        PersonSpec("truongphong.dv", "Mai Thị Thu Trang", "vptu", "Trưởng phòng", dept, unit="vptu.dv"),
        PersonSpec(
            "vanthu",
            "Lê Thị Thanh Xuân",
            "vptu",
            "Văn thư",
            Role.VAN_THU,
            unit="vptu.hclt",
            role_org="tinhuy",
            clearance=Classification.MAT,
            featured=True,
        ),
        PersonSpec("vanthu.vptu", "Cao Thị Hạnh", "vptu", "Văn thư", Role.VAN_THU, unit="vptu.hclt"),
        PersonSpec(
            "chuyenvien", "Nguyễn Hoàng Phúc", "vptu", "Chuyên viên", cv, unit="vptu.th", featured=True
        ),
        PersonSpec(
            "admin",
            "Trần Minh Khoa",
            "vptu",
            "Chuyên viên",
            Role.QUAN_TRI,
            unit="vptu.cntt",
            role_org="tinhuy",
            title="Quản trị hệ thống",
            featured=True,
            superuser=True,
        ),
        PersonSpec("cv.th", "Lý Thị Mỹ Duyên", "vptu", "Chuyên viên chính", cv, unit="vptu.th"),
        PersonSpec("cv.tcqt", "Hồ Văn Thắng", "vptu", "Chuyên viên", cv, unit="vptu.tcqt"),
        PersonSpec("cv.cntt", "Châu Ngọc Sang", "vptu", "Chuyên viên", cv, unit="vptu.cntt"),
        PersonSpec("cv.dv", "Kiều Thị Phương", "vptu", "Chuyên viên", cv, unit="vptu.dv"),
        PersonSpec("luutru", "Âu Thị Lệ", "vptu", "Lưu trữ viên", cv, unit="vptu.hclt"),
    )


# (agency key, username part, head's position, deputy's position, three names, first unit)
_AGENCY_STAFF = (
    (
        "btctu",
        "btc",
        "Trưởng ban",
        "Phó Trưởng ban",
        ("Nguyễn Văn Thành", "Lê Thị Hoài Thu", "Trần Thị Kim Chi"),
    ),
    (
        "btgdvtu",
        "btgdv",
        "Trưởng ban",
        "Phó Trưởng ban",
        ("Phạm Thị Lệ Thủy", "Đinh Công Hoan", "Lâm Văn Tài"),
    ),
    (
        "ubkttu",
        "ubkt",
        "Chủ nhiệm Ủy ban Kiểm tra",
        "Phó Chủ nhiệm Ủy ban Kiểm tra",
        ("Hà Văn Sơn", "Nông Thị Hằng", "Tôn Thất Phước"),
    ),
    ("bnctu", "bnc", "Trưởng ban", "Phó Trưởng ban", ("Quách Minh Đức", "Lại Thị Thu Hiền", "Đoàn Văn Vũ")),
    (
        "bcscltu",
        "bcscl",
        "Trưởng ban",
        "Phó Trưởng ban",
        ("Nghiêm Xuân Trường", "La Thị Bảo Yến", "Khúc Văn Toàn"),
    ),
)


def _agencies() -> Iterator[PersonSpec]:
    specs = {s.key: s for s in ORGANIZATIONS}
    for key, short, head, deputy, (n1, n2, n3) in _AGENCY_STAFF:
        org = specs[key]
        yield PersonSpec(
            f"truongban.{short}",
            n1,
            key,
            head,
            Role.LANH_DAO_CAP_UY,
            title=f"Trưởng {org.name}" if head == "Trưởng ban" else f"{head} Tỉnh ủy",
            clearance=Classification.TOI_MAT,
        )
        yield PersonSpec(
            f"phoban.{short}",
            n2,
            key,
            deputy,
            Role.LANH_DAO_CAP_UY,
            title=f"Phó Trưởng {org.name}" if head == "Trưởng ban" else f"{deputy} Tỉnh ủy",
            clearance=Classification.MAT,
        )
        yield PersonSpec(f"cv.{short}", n3, key, "Chuyên viên", Role.CHUYEN_VIEN, unit=org.units[0].key)


# slug → (Bí thư, văn thư)
_COMMITTEE_STAFF = {
    "phuquy": ("Nguyễn Văn Lực", "Trần Thị Diệu"),
    "xuanhuong": ("Phạm Minh Hùng", "Lê Thị Ánh Tuyết"),
    "lamvien": ("Đặng Văn Tú", "Hoàng Thị Thu Thảo"),
    "baoloc1": ("Võ Thanh Tùng", "Bùi Thị Ngọc Hân"),
    "phanthiet": ("Huỳnh Tấn Phát", "Ngô Thị Mỹ Linh"),
    "bacgianghia": ("Trương Văn Đạt", "Phan Thị Thu Hương"),
    "ductrong": ("Lê Quang Sáng", "Nguyễn Thị Bích Liên"),
    "dilinh": ("Hồ Đức Thịnh", "Vương Thị Hà"),
    "lacduong": ("Đinh Văn Thuận", "Mai Thị Loan"),
    "tuyphong": ("Phạm Ngọc Ẩn", "Trần Thị Thùy Dung"),
    "coquandang": ("Nguyễn Đình Khôi", "Lê Thị Hồng Vân"),
    "ubndtinh": ("Trần Quốc Cường", "Đỗ Thị Minh Nguyệt"),
}


def _committees() -> Iterator[PersonSpec]:
    for slug, (secretary, clerk) in _COMMITTEE_STAFF.items():
        yield PersonSpec(
            f"bithu.{slug}",
            secretary,
            slug,
            "Bí thư",
            Role.LANH_DAO_CAP_UY,
            title="Bí thư Đảng ủy",
            clearance=Classification.MAT,
            featured=True,
        )
        yield PersonSpec(
            f"vanthu.{slug}", clerk, slug, "Văn thư", Role.VAN_THU, unit=f"{slug}.vp", featured=True
        )


PEOPLE: tuple[PersonSpec, ...] = (*_leaders(), *_office(), *_agencies(), *_committees())

# Names for the extra staff of ``--scale``: combined deterministically.
# fmt: off
_SURNAMES = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
)
_MIDDLE = ("Văn", "Thị", "Minh", "Thanh", "Quốc", "Ngọc", "Hữu", "Thu", "Đức", "Hồng", "Xuân", "Bảo")
_GIVEN = (
    "An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hòa",
    "Khang", "Lâm", "Linh", "Long", "Mai", "Nam", "Nga", "Nhân", "Phong", "Quân",
    "Quyên", "Sơn", "Tâm", "Thảo", "Trâm", "Trung", "Uyên", "Việt", "Vy", "Yến",
)
# fmt: on


def _generated_name(i: int) -> str:
    return (
        f"{_SURNAMES[i % len(_SURNAMES)]} {_MIDDLE[(i // 3) % len(_MIDDLE)]} {_GIVEN[(i * 7) % len(_GIVEN)]}"
    )


def _extra_staff(scale: int) -> Iterator[PersonSpec]:
    """``scale - 1`` more specialists for every person of an organisation that has units."""
    if scale <= 1:
        return
    per_org: dict[str, int] = {}
    for p in PEOPLE:
        per_org[p.org] = per_org.get(p.org, 0) + 1
    specs = {s.key: s for s in ORGANIZATIONS}
    i = 0
    for key, base in per_org.items():
        units = specs[key].units
        if not units:
            continue
        for n in range(1, base * (scale - 1) + 1):
            yield PersonSpec(
                f"canbo.{key}.{n}",
                _generated_name(i),
                key,
                "Chuyên viên",
                Role.CHUYEN_VIEN,
                unit=units[n % len(units)].key,
            )
            i += 1


# --- Writing -----------------------------------------------------------------------------------


@dataclass
class SeedResult:
    counts: dict[str, int]
    password: str
    featured: list[str] = field(default_factory=list)


def _split_name(full_name: str) -> tuple[str, str]:
    family, _sep, given = full_name.rpartition(" ")
    return family, given


def _unit_title(p: PersonSpec, units: dict[str, Unit]) -> str:
    """ "Trưởng phòng Hành chính - Lưu trữ" for the head of a unit."""
    if p.role != Role.LANH_DAO_PHONG or not p.unit:
        return ""
    return f"{p.position} {units[p.unit].name.removeprefix('Phòng ')}"


def seed_demo(*, scale: int = 1, password: str = DEFAULT_PASSWORD) -> SeedResult:
    """Build the demo province in one transaction. Refuses (``DemoDataExists``) when any
    organisation or any demo username is already there, so nothing is ever duplicated."""
    if not 1 <= scale <= MAX_SCALE:
        raise ValueError(f"scale must be between 1 and {MAX_SCALE}")
    people = [*PEOPLE, *_extra_staff(scale)]
    User = get_user_model()
    with transaction.atomic():
        existing = Organization.objects.count()
        if existing:
            raise DemoDataExists(
                _("Cơ sở dữ liệu đã có %(count)d tổ chức: dữ liệu mẫu chỉ được tạo trên cơ sở dữ liệu trống.")
                % {"count": existing}
            )
        taken = list(
            User.objects.filter(username__in=[p.username for p in people]).values_list("username", flat=True)[
                :5
            ]
        )
        if taken:
            raise DemoDataExists(
                _("Đã có tài khoản trùng tên với tài khoản mẫu: %(names)s.")
                % {"names": ", ".join(sorted(taken))}
            )

        levels = {}
        for spec in LEVELS:
            levels[spec.code] = OrgLevel.objects.create(
                code=spec.code, name=spec.name, rank=spec.rank, in_use=spec.in_use
            )

        # save(), not bulk_create: save() computes the materialised path from the parent.
        orgs: dict[str, Organization] = {}
        for order, spec in enumerate(ORGANIZATIONS, start=1):
            org = Organization(
                name=spec.name,
                short_name=spec.short_name,
                abbreviation=spec.abbreviation,
                kind=spec.kind,
                is_office=spec.is_office,
                level=levels[spec.level],
                parent=orgs[spec.parent] if spec.parent else None,
                hosted=spec.hosted,
                slug=spec.slug,
                place_name=spec.place_name,
                order=order,
                active=spec.active,
                dissolved_on=spec.dissolved_on,
            )
            org.save()
            orgs[spec.key] = org

        unit_specs = [(spec, u) for spec in ORGANIZATIONS for u in spec.units]
        created_units = Unit.objects.bulk_create(
            [
                Unit(
                    organization=orgs[spec.key],
                    name=u.name,
                    short_name=u.name.removeprefix("Phòng "),
                    abbreviation=u.abbreviation,
                    order=i,
                )
                for i, (spec, u) in enumerate(unit_specs, start=1)
            ]
        )
        units = {u.key: unit for (_spec, u), unit in zip(unit_specs, created_units, strict=True)}

        positions = {
            p.name: p
            for p in Position.objects.bulk_create(
                [Position(name=name, is_leadership=lead, rank=rank) for name, lead, rank in POSITIONS]
            )
        }

        quotas = [
            StaffQuota(organization=orgs[spec.key], approved=spec.quota, decision=QUOTA_DECISION)
            for spec in ORGANIZATIONS
            if spec.quota is not None
        ]
        quotas += [
            StaffQuota(
                organization=orgs[spec.key], unit=units[u.key], approved=u.quota, decision=QUOTA_DECISION
            )
            for spec, u in unit_specs
        ]
        StaffQuota.objects.bulk_create(quotas)

        # One hash for every demo account: the password is printed for all to read anyway,
        # and hashing thousands of accounts one by one would take minutes at --scale 100.
        password_hash = make_password(password)
        users = User.objects.bulk_create(
            [
                User(
                    username=p.username,
                    password=password_hash,
                    first_name=_split_name(p.full_name)[1],
                    last_name=_split_name(p.full_name)[0],
                    email=f"{p.username}@{EMAIL_DOMAIN}",
                    is_staff=p.superuser,
                    is_superuser=p.superuser,
                )
                for p in people
            ],
            batch_size=500,
        )
        persons = Person.objects.bulk_create(
            [
                Person(
                    full_name=p.full_name,
                    organization=orgs[p.org],
                    unit=units[p.unit] if p.unit else None,
                    position=positions[p.position],
                    user=user,
                    clearance=p.clearance,
                    email=user.email,
                    counts_toward_quota=p.org != "tinhuy",
                )
                for p, user in zip(people, users, strict=True)
            ],
            batch_size=500,
        )
        starts_on = dt.date(2025, 7, 1)
        RoleAssignment.objects.bulk_create(
            [
                RoleAssignment(
                    person=person,
                    organization=orgs[p.role_org or p.org],
                    unit=units[p.unit] if p.role == Role.LANH_DAO_PHONG and p.unit else None,
                    role=p.role,
                    title=p.title or _unit_title(p, units),
                    starts_on=starts_on,
                )
                for p, person in zip(people, persons, strict=True)
            ],
            batch_size=500,
        )

        counts = {
            "levels": len(levels),
            "organizations": len(orgs),
            "units": len(units),
            "positions": len(positions),
            "staff_quotas": len(quotas),
            "people": len(persons),
            "accounts": len(users),
            "role_assignments": len(persons),
        }
        audit_record(
            actor=None, actor_username=SEED_ACTOR, action="demo.seed", after={**counts, "scale": scale}
        )
    return SeedResult(counts=counts, password=password, featured=[p.username for p in PEOPLE if p.featured])


# --- Reading the logins back -------------------------------------------------------------------

FEATURED_USERNAMES = tuple(p.username for p in PEOPLE if p.featured)


@dataclass(frozen=True)
class LoginRow:
    username: str
    who: str
    role: str
    clearance: str
    second_factor: bool
    password: str


def login_rows(password: str | None = None) -> list[LoginRow]:
    """The featured demo accounts found in the database, in the order of the demo data.

    ``password`` is what the seed just set; without it (``--if-empty``, ``serve``) each
    account is checked against the default password, so the table never shows a password
    that no longer works."""
    from vanphong.accounts.second_factor import second_factor_required

    User = get_user_model()
    users = {
        u.username: u
        for u in User.objects.filter(username__in=FEATURED_USERNAMES, is_active=True).select_related(
            "person__position", "person__organization"
        )
    }
    verdicts: dict[str, bool] = {}  # password hash → whether the default password matches
    rows = []
    for username in FEATURED_USERNAMES:
        user = users.get(username)
        person = getattr(user, "person", None) if user else None
        if user is None or person is None:
            continue
        role = (
            RoleAssignment.objects.current()
            .filter(person=person)
            .select_related("organization")
            .order_by("pk")
            .first()
        )
        if password is not None:
            shown = password
        else:
            if user.password not in verdicts:
                verdicts[user.password] = check_password(DEFAULT_PASSWORD, user.password)
            shown = DEFAULT_PASSWORD if verdicts[user.password] else _("(đã đổi)")
        position = person.position.name if person.position else ""
        job = role.title if role and role.title else f"{position}, {person.organization.name}"
        rows.append(
            LoginRow(
                username=username,
                who=f"{person.full_name} ({job})",
                role=f"{role.get_role_display()} — {role.organization.name}" if role else "",
                clearance=str(Classification(person.clearance).label),
                second_factor=second_factor_required(user),
                password=shown,
            )
        )
    return rows


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return [line(header), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


def format_logins(rows: list[LoginRow], *, url: str, others: int = 0) -> str:
    """The Vietnamese table of demo logins, with the address to open."""
    if not rows:
        return ""
    header = (_("Tài khoản"), _("Người dùng"), _("Vai trò"), _("Độ mật"), _("Xác thực 2 lớp"), _("Mật khẩu"))
    body = [
        (r.username, r.who, r.role, r.clearance, _("bắt buộc") if r.second_factor else _("không"), r.password)
        for r in rows
    ]
    lines = [_("Tài khoản dùng thử (mở %(url)s):") % {"url": url}, "", *_table(header, body), ""]
    if any(r.second_factor for r in rows):
        lines.append(
            _(
                "Tài khoản ghi \u201cbắt buộc\u201d phải cài ứng dụng xác thực (TOTP) "
                "ở lần đăng nhập đầu tiên (chính sách VANPHONG_TOTP_REQUIRED=%(policy)s): "
                "quét mã QR bằng ứng dụng xác thực trên điện thoại."
            )
            % {"policy": settings.VANPHONG_TOTP_REQUIRED}
        )
    if others:
        lines.append(
            _(
                "Ngoài ra còn %(count)d tài khoản cán bộ khác, cùng mật khẩu "
                "(xem trong trang quản lý tài khoản)."
            )
            % {"count": others}
        )
    return "\n".join(lines)


def demo_account_count() -> int:
    usernames = {p.username for p in PEOPLE}
    return (
        get_user_model().objects.filter(username__in=usernames).count()
        + get_user_model().objects.filter(username__startswith="canbo.").count()
    )


def logins_text(*, url: str, password: str | None = None) -> str:
    """Everything ``seed-demo`` and ``serve`` print about the demo accounts ("" when the
    database holds no demo province)."""
    rows = login_rows(password)
    if not rows:
        return ""
    return format_logins(rows, url=url, others=max(demo_account_count() - len(rows), 0))


def summary(counts: dict[str, Any]) -> str:
    return (
        _(
            "%(organizations)d tổ chức, %(units)d phòng, %(people)d cán bộ, %(accounts)d tài khoản, "
            "%(role_assignments)d vai trò"
        )
        % counts
    )
