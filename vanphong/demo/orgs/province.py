"""The demo province as specifications: its levels, organisations, units and people."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from vanphong.orgs.models import (
    Classification,
    OrgKind,
    Role,
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
        # The Văn phòng's classified-documents clerk keeps the Tỉnh ủy's classified books.
        PersonSpec(
            "vanthumat",
            "Trương Thị Mỹ Linh",
            "vptu",
            "Văn thư",
            Role.VAN_THU_MAT,
            unit="vptu.hclt",
            title="Văn thư mật (cơ yếu)",
            clearance=Classification.TUYET_MAT,
            featured=True,
        ),
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
