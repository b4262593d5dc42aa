"""Who gives and does the demo tasks: the demo province's people and organisations."""

from __future__ import annotations

from dataclasses import dataclass

from vanphong.orgs.models import Organization, OrgKind, Person, Unit

SEED_ACTOR = "seed-demo"
TASKS_PER_SCALE = 2000
MAX_SCALE = 1000
BULK_BATCH = 20_000
BULK_SPAN_DAYS = 3 * 365  # bulk tasks were given over the last three years
DEMO_SPAN_DAYS = 365


class TasksExist(Exception):
    """The database already holds tasks: seeding again would duplicate them."""


class NoDemoProvince(Exception):
    """The demo province (``vanphong seed-demo``) is not in the database."""


# --- The cast ----------------------------------------------------------------------------------

# Agency key → (head, specialist) usernames in ``orgs.demo``.
AGENCY_PEOPLE = {
    "vptu": ("chanhvp", "chuyenvien"),
    "btctu": ("truongban.btc", "cv.btc"),
    "btgdvtu": ("truongban.btgdv", "cv.btgdv"),
    "ubkttu": ("truongban.ubkt", "cv.ubkt"),
    "bnctu": ("truongban.bnc", "cv.bnc"),
    "bcscltu": ("truongban.bcscl", "cv.bcscl"),
}
# Heads of the Văn phòng's units, by unit abbreviation.
OFFICE_UNIT_HEADS = {
    "TH": "truongphong.th",
    "HCLT": "truongphong.hclt",
    "TCQT": "truongphong.tcqt",
    "CY-CNTT": "truongphong.cntt",
    "ĐV": "truongphong.dv",
}
PROVINCE_LEADERS = ("bithu", "thuongtruc", "phobithu1", "phobithu2")


@dataclass
class Cast:
    """The demo province as the tasks need it: organisations by key ("tinhuy", "vptu",
    "btctu" … and the communes' slugs), units by (organisation key, abbreviation), people."""

    committee: Organization
    orgs: dict[str, Organization]
    units: dict[tuple[str, str], Unit]
    people: dict[str, Person]
    agencies: list[str]
    communes: list[str]

    @classmethod
    def load(cls) -> Cast:
        committee = Organization.objects.filter(slug="tinhuy").first()
        if committee is None:
            raise NoDemoProvince(
                "Chưa có dữ liệu mẫu Tỉnh ủy Lâm Đồng: "
                "hãy chạy `vanphong seed-demo` trước khi tạo nhiệm vụ mẫu."
            )
        orgs: dict[str, Organization] = {"tinhuy": committee}
        agencies: list[str] = []
        communes: list[str] = []
        hosted = Organization.objects.filter(parent=committee, hosted=True, active=True).order_by(
            "order", "pk"
        )
        for org in hosted:
            key = org.slug or org.abbreviation.lower()
            orgs[key] = org
            (agencies if org.kind == OrgKind.AGENCY else communes).append(key)
        by_pk = {o.pk: k for k, o in orgs.items()}
        units = {
            (by_pk[u.organization_id], u.abbreviation): u
            for u in Unit.objects.filter(organization__in=orgs.values(), active=True)
        }
        people = {
            p.user.username: p
            for p in Person.objects.filter(organization__in=orgs.values(), user__isnull=False).select_related(
                "user", "unit", "organization"
            )
            if p.user is not None  # all of them (user__isnull=False)
        }
        missing = [u for u in ("bithu", "chanhvp", *AGENCY_PEOPLE["btctu"]) if u not in people]
        if missing or not communes or "vptu" not in orgs:
            raise NoDemoProvince(
                "Dữ liệu tổ chức, cán bộ mẫu không đầy đủ: hãy tạo lại bằng `vanphong seed-demo`."
            )
        return cls(committee, orgs, units, people, agencies, communes)

    def person(self, username: str) -> Person | None:
        return self.people.get(username)

    def head_of(self, key: str) -> Person:
        """Who signs for an organisation: its head (the Bí thư of a commune)."""
        if key == "tinhuy":
            return self.people["bithu"]
        if key in AGENCY_PEOPLE:
            return self.people.get(AGENCY_PEOPLE[key][0]) or self.people["chanhvp"]
        return self.people.get(f"bithu.{key}") or self.people["bithu"]

    def staff_of(self, key: str) -> Person:
        """Who writes the progress reports: a specialist (the commune's văn thư)."""
        if key in AGENCY_PEOPLE:
            return self.people.get(AGENCY_PEOPLE[key][1]) or self.head_of(key)
        return self.people.get(f"vanthu.{key}") or self.head_of(key)

    def key_of(self, org_id: int) -> str:
        for key, org in self.orgs.items():
            if org.pk == org_id:
                return key
        return "tinhuy"
