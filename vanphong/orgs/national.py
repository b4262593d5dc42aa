"""The national bodies a Party committee office receives documents from, as data.

External correspondents are ``Organization`` rows with ``hosted=False``. This catalogue
holds the ones every office meets, so that the symbol reader finds the issuer of
"1059/QĐ-TTg", "30/2020/NĐ-CP", "117/2025/QH15" or "12-HD/BTCTW" without the clerk typing
a name: the Party's central bodies, the National Assembly and its Standing Committee, the
State President, the Government and the Prime Minister, the ministries and ministerial
agencies, the supreme court, procuracy and audit office, and the People's Councils and
People's Committees of the 34 provinces and centrally run cities.

Sources: FACTS §2.3 (Party body codes TW, VPTW, UBKTTW, BNCTW, BTCTW, BCĐTW; "TW" is the
code of Ban Chấp hành Trung ương, Bộ Chính trị and Ban Bí thư alike) and §0/§1.2 (TTg,
CP, VPCP). FACTS has no list of ministries or provinces: the ministries are the 14 and the
3 ministerial agencies of the Government from 01/3/2025 (Nghị quyết 176/2025/QH15), the
provinces the 34 of Nghị quyết 202/2025/QH15 (from 12/6/2025, authorities from 01/7/2025),
and the Party's central commissions those after the 2025 merger (Ban Tuyên giáo và Dân
vận, Ban Chính sách, chiến lược); the abbreviations are those printed in their symbols.

``national_install`` is idempotent: a body already there (same abbreviation; for the codes
several bodies share, TW, UBND, HĐND, the same name ignoring case and marks) is left as it
is, so a name an administrator corrected is kept. It takes the model class, so that a data
migration can pass its historical model; a later change to this list ships with a new
migration that calls it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import ProtectedError

from vanphong.core.textfold import fold


@dataclass(frozen=True)
class NationalBody:
    name: str
    short_name: str
    abbreviation: str
    kind: str  # OrgKind value: "cap_uy", "co_quan", "nha_nuoc"
    parent: str | None = None  # the ``key`` of its superior in this catalogue
    place_name: str = ""
    key: str = ""  # defaults to the abbreviation

    @property
    def ref(self) -> str:
        return self.key or self.abbreviation


COMMITTEE, AGENCY, STATE = "cap_uy", "co_quan", "nha_nuoc"

# The three Party bodies that all sign "/TW" (FACTS §2.3). ``TW_BODIES`` names them for the
# proposal by document type (documents.services.incoming.reading).
CENTRAL_COMMITTEE = "Ban Chấp hành Trung ương Đảng"
POLITBURO = "Bộ Chính trị"
SECRETARIAT = "Ban Bí thư"

PARTY: tuple[NationalBody, ...] = (
    NationalBody(CENTRAL_COMMITTEE, "Ban Chấp hành Trung ương", "TW", COMMITTEE),
    NationalBody(POLITBURO, POLITBURO, "TW", COMMITTEE, parent="TW", key="BCT"),
    NationalBody(SECRETARIAT, SECRETARIAT, "TW", COMMITTEE, parent="TW", key="BBT"),
    NationalBody("Văn phòng Trung ương Đảng", "Văn phòng Trung ương", "VPTW", AGENCY, parent="TW"),
    NationalBody("Ban Tổ chức Trung ương", "Ban Tổ chức Trung ương", "BTCTW", AGENCY, parent="TW"),
    NationalBody(
        "Ban Tuyên giáo và Dân vận Trung ương", "Ban Tuyên giáo và Dân vận TW", "BTGDVTW", AGENCY, parent="TW"
    ),
    NationalBody("Ban Nội chính Trung ương", "Ban Nội chính Trung ương", "BNCTW", AGENCY, parent="TW"),
    NationalBody(
        "Ban Chính sách, chiến lược Trung ương",
        "Ban Chính sách, chiến lược TW",
        "BCSCLTW",
        AGENCY,
        parent="TW",
    ),
    NationalBody("Ủy ban Kiểm tra Trung ương", "Ủy ban Kiểm tra Trung ương", "UBKTTW", AGENCY, parent="TW"),
    NationalBody(
        "Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
        "Ban Chỉ đạo Trung ương",
        "BCĐTW",
        AGENCY,
        parent="TW",
    ),
)

CENTRAL_STATE: tuple[NationalBody, ...] = (
    NationalBody("Quốc hội", "Quốc hội", "QH", STATE),
    NationalBody("Ủy ban Thường vụ Quốc hội", "Ủy ban Thường vụ Quốc hội", "UBTVQH", STATE, parent="QH"),
    NationalBody("Chủ tịch nước", "Chủ tịch nước", "CTN", STATE),
    NationalBody("Chính phủ", "Chính phủ", "CP", STATE),
    NationalBody("Thủ tướng Chính phủ", "Thủ tướng Chính phủ", "TTg", STATE, parent="CP"),
    # The ministries and ministerial agencies from 01/3/2025 (NQ 176/2025/QH15).
    NationalBody("Bộ Quốc phòng", "Bộ Quốc phòng", "BQP", STATE, parent="CP"),
    NationalBody("Bộ Công an", "Bộ Công an", "BCA", STATE, parent="CP"),
    NationalBody("Bộ Ngoại giao", "Bộ Ngoại giao", "BNG", STATE, parent="CP"),
    NationalBody("Bộ Nội vụ", "Bộ Nội vụ", "BNV", STATE, parent="CP"),
    NationalBody("Bộ Tư pháp", "Bộ Tư pháp", "BTP", STATE, parent="CP"),
    NationalBody("Bộ Tài chính", "Bộ Tài chính", "BTC", STATE, parent="CP"),
    NationalBody("Bộ Công Thương", "Bộ Công Thương", "BCT", STATE, parent="CP", key="BCTHUONG"),
    NationalBody("Bộ Nông nghiệp và Môi trường", "Bộ Nông nghiệp và Môi trường", "BNNMT", STATE, parent="CP"),
    NationalBody("Bộ Xây dựng", "Bộ Xây dựng", "BXD", STATE, parent="CP"),
    NationalBody(
        "Bộ Văn hóa, Thể thao và Du lịch", "Bộ Văn hóa, Thể thao và Du lịch", "BVHTTDL", STATE, parent="CP"
    ),
    NationalBody("Bộ Khoa học và Công nghệ", "Bộ Khoa học và Công nghệ", "BKHCN", STATE, parent="CP"),
    NationalBody("Bộ Giáo dục và Đào tạo", "Bộ Giáo dục và Đào tạo", "BGDĐT", STATE, parent="CP"),
    NationalBody("Bộ Y tế", "Bộ Y tế", "BYT", STATE, parent="CP"),
    NationalBody("Bộ Dân tộc và Tôn giáo", "Bộ Dân tộc và Tôn giáo", "BDTTG", STATE, parent="CP"),
    NationalBody("Ngân hàng Nhà nước Việt Nam", "Ngân hàng Nhà nước", "NHNN", STATE, parent="CP"),
    NationalBody("Thanh tra Chính phủ", "Thanh tra Chính phủ", "TTCP", STATE, parent="CP"),
    NationalBody("Văn phòng Chính phủ", "Văn phòng Chính phủ", "VPCP", STATE, parent="CP"),
    NationalBody("Tòa án nhân dân tối cao", "Tòa án nhân dân tối cao", "TANDTC", STATE),
    NationalBody("Viện kiểm sát nhân dân tối cao", "Viện kiểm sát nhân dân tối cao", "VKSNDTC", STATE),
    NationalBody("Kiểm toán nhà nước", "Kiểm toán nhà nước", "KTNN", STATE),
)

# The 34 provinces and centrally run cities from 2025 (NQ 202/2025/QH15): (level word, name).
PROVINCES: tuple[tuple[str, str], ...] = (
    ("thành phố", "Hà Nội"),
    ("thành phố", "Huế"),
    ("thành phố", "Hải Phòng"),
    ("thành phố", "Đà Nẵng"),
    ("Thành phố", "Hồ Chí Minh"),
    ("thành phố", "Cần Thơ"),
    ("tỉnh", "Lai Châu"),
    ("tỉnh", "Điện Biên"),
    ("tỉnh", "Sơn La"),
    ("tỉnh", "Lạng Sơn"),
    ("tỉnh", "Quảng Ninh"),
    ("tỉnh", "Thanh Hóa"),
    ("tỉnh", "Nghệ An"),
    ("tỉnh", "Hà Tĩnh"),
    ("tỉnh", "Cao Bằng"),
    ("tỉnh", "Tuyên Quang"),
    ("tỉnh", "Lào Cai"),
    ("tỉnh", "Thái Nguyên"),
    ("tỉnh", "Phú Thọ"),
    ("tỉnh", "Bắc Ninh"),
    ("tỉnh", "Hưng Yên"),
    ("tỉnh", "Ninh Bình"),
    ("tỉnh", "Quảng Trị"),
    ("tỉnh", "Quảng Ngãi"),
    ("tỉnh", "Gia Lai"),
    ("tỉnh", "Khánh Hòa"),
    ("tỉnh", "Lâm Đồng"),
    ("tỉnh", "Đắk Lắk"),
    ("tỉnh", "Đồng Nai"),
    ("tỉnh", "Tây Ninh"),
    ("tỉnh", "Vĩnh Long"),
    ("tỉnh", "Đồng Tháp"),
    ("tỉnh", "Cà Mau"),
    ("tỉnh", "An Giang"),
)


def _provincial() -> tuple[NationalBody, ...]:
    bodies = []
    for level, place in PROVINCES:
        short = "TP" if level.lower() == "thành phố" else "tỉnh"
        for long_name, short_name, abbreviation in (
            ("Hội đồng nhân dân", "HĐND", "HĐND"),
            ("Ủy ban nhân dân", "UBND", "UBND"),
        ):
            bodies.append(
                NationalBody(
                    f"{long_name} {level} {place}",
                    f"{short_name} {short} {place}",
                    abbreviation,
                    STATE,
                    place_name=place,
                    key=f"{abbreviation}:{place}",
                )
            )
    return tuple(bodies)


NATIONAL_BODIES: tuple[NationalBody, ...] = (*PARTY, *CENTRAL_STATE, *_provincial())

# Abbreviations that several catalogue bodies share: matched by name as well.
SHARED_ABBREVIATIONS = frozenset(
    a
    for a in {b.abbreviation for b in NATIONAL_BODIES}
    if sum(b.abbreviation == a for b in NATIONAL_BODIES) > 1
)


# The slug of a row the catalogue created: "quoc-gia-<its place in NATIONAL_BODIES>".
SLUG_PREFIX = "quoc-gia-"


def _existing(model: Any, body: NationalBody) -> Any:
    rows = model.objects.filter(abbreviation=body.abbreviation, hosted=False)
    if body.abbreviation not in SHARED_ABBREVIATIONS:
        return rows.order_by("pk").first()
    wanted = {fold(body.name), fold(body.short_name)}
    for row in rows.order_by("pk"):
        if {fold(row.name), fold(row.short_name)} & wanted:
            return row
    if body.ref == "TW":  # the centre an installation already has, whatever it calls it
        return rows.filter(parent__isnull=True).order_by("pk").first()
    return None


def national_install(model: Any) -> int:
    """Create the catalogue's bodies that are missing (``model``: ``Organization`` or its
    historical version); answer how many were created."""
    placed: dict[str, Any] = {}
    created = 0
    for order, body in enumerate(NATIONAL_BODIES, start=1):
        row = _existing(model, body)
        if row is None:
            parent = placed.get(body.parent) if body.parent else None
            parent_path = parent.path if parent is not None else ""
            row = model.objects.create(
                name=body.name,
                short_name=body.short_name,
                abbreviation=body.abbreviation,
                kind=body.kind,
                parent=parent,
                hosted=False,
                place_name=body.place_name,
                order=order,
                active=True,
                slug=f"{SLUG_PREFIX}{order}",  # marks the rows the catalogue created
            )
            # A historical model has no custom save(): write the materialised path here.
            path = f"{parent_path}{row.pk:06d}."
            model.objects.filter(pk=row.pk).update(path=path, depth=path.count(".") - 1)
            row.path = path
            created += 1
        placed[body.ref] = row
    return created


def national_ids(model: Any) -> list[int]:
    """The ids of the rows the catalogue created in this database (never rows that were there
    before it and that it only reused)."""
    return list(model.objects.filter(slug__startswith=SLUG_PREFIX).values_list("pk", flat=True))


def national_remove(model: Any) -> int:
    """Delete the rows the catalogue created that nothing refers to (children first); for the
    migration's reverse. Rows it found and reused are never touched."""
    removed = 0
    rows = list(model.objects.filter(slug__startswith=SLUG_PREFIX))
    for row in sorted(rows, key=lambda r: -len(r.path or "")):
        try:
            row.delete()
        except ProtectedError:  # a document or a child refers to it: it stays
            continue
        removed += 1
    return removed
