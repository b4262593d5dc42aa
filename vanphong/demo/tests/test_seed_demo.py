from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

from vanphong.audit.models import AuditEvent
from vanphong.demo import orgs as demo
from vanphong.demo.management.commands.serve import Command as ServeCommand
from vanphong.demo.tests.conftest import built_once
from vanphong.documents.tests.conftest import national  # noqa: F401  (a fixture)
from vanphong.orgs.access import Capability, can, scope_for
from vanphong.orgs.models import (
    Classification,
    Organization,
    OrgLevel,
    Person,
    Role,
    RoleAssignment,
    StaffQuota,
    Unit,
)
from vanphong.orgs.tests.factories import UserFactory

User = get_user_model()

COMMUNE_SLUGS = [
    "phuquy",
    "xuanhuong",
    "lamvien",
    "baoloc1",
    "phanthiet",
    "bacgianghia",
    "ductrong",
    "dilinh",
    "lacduong",
    "tuyphong",
]


def seed(*args: str) -> str:
    """The province only: the demo documents, tasks, programmes and reports have their own
    tests (and the whole seed runs once, below)."""
    out = StringIO()
    call_command("seed_demo", "--no-documents", "--no-tasks", *args, stdout=out)
    return out.getvalue()


def user(username: str):
    return User.objects.get(username=username)


def roles_of(username: str) -> set[tuple[str, str]]:
    return {
        (ra.role, ra.organization.abbreviation)
        for ra in RoleAssignment.objects.filter(person__user__username=username).select_related(
            "organization"
        )
    }


@pytest.fixture(scope="class")
def _seeded_once(django_db_setup, django_db_blocker) -> Iterator[str]:
    """The province seeded once for the tests of ``TestTheSeededProvince``."""
    with built_once(django_db_blocker, seed) as output:
        yield output


@pytest.fixture
def seeded(_seeded_once: str, db) -> str:
    """The logins table printed by the seed (the province is in the database)."""
    return _seeded_once


class TestTheSeededProvince:
    """The tests that read (or try to change) one seeded province: seeded once for all of them."""

    def test_levels_are_data_and_the_district_level_is_archive_only(self, seeded):
        levels = {lv.code: (lv.rank, lv.in_use) for lv in OrgLevel.objects.all()}
        assert levels == {"trung-uong": (0, True), "tinh": (10, True), "huyen": (20, False), "xa": (30, True)}

    def test_the_province_tree_after_the_2025_reorganisation(self, seeded):
        centre = Organization.objects.get(abbreviation="TW")
        committee = Organization.objects.get(slug="tinhuy")
        assert (centre.name, centre.hosted) == ("Ban Chấp hành Trung ương Đảng", False)
        assert (committee.name, committee.abbreviation, committee.place_name) == (
            "Tỉnh ủy Lâm Đồng",
            "TU",
            "Lâm Đồng",
        )
        assert committee.parent == centre and committee.level.code == "tinh"

        agencies = set(committee.children.filter(kind="co_quan").values_list("abbreviation", flat=True))
        assert agencies == {"VPTU", "BTCTU", "BTGDVTU", "UBKTTU", "BNCTU", "BCSCLTU"}
        assert Unit.objects.filter(organization__abbreviation="VPTU").count() == 5

        for abbreviation in ("UBND", "HĐND", "MTTQ", "CAT", "VPTW"):
            assert Organization.objects.get(abbreviation=abbreviation).hosted is False

        communes = Organization.objects.filter(parent=committee, level__code="xa", abbreviation="ĐU")
        assert sorted(communes.values_list("slug", flat=True)) == sorted(COMMUNE_SLUGS)
        for org in communes:
            assert org.slug == demo.place_slug(org.place_name)
            assert list(org.units.values_list("name", flat=True)) == ["Văn phòng Đảng ủy"]
        assert Organization.objects.get(slug="phuquy").name == "Đảng ủy đặc khu Phú Quý"
        assert Organization.objects.filter(slug__in=["coquandang", "ubndtinh"], parent=committee).count() == 2

        # Every materialised path really follows the parent chain.
        for org in Organization.objects.exclude(parent=None).select_related("parent"):
            assert org.path.startswith(org.parent.path) and org.depth == org.parent.depth + 1

    def test_the_old_district_committee_is_kept_inactive_for_the_archive(self, seeded):
        district = Organization.objects.get(abbreviation="HU")
        assert district.name == "Huyện ủy Đức Trọng"
        assert district.level.code == "huyen" and not district.level.in_use
        assert district.active is False
        assert district.dissolved_on == dt.date(2025, 6, 30)

    def test_positions_and_staff_quotas_are_filled_in(self, seeded):
        assert {"Bí thư", "Chánh Văn phòng", "Trưởng phòng", "Chuyên viên", "Văn thư"} <= set(
            Person.objects.values_list("position__name", flat=True)
        )
        office_quota = StaffQuota.objects.get(organization__abbreviation="VPTU", unit=None)
        unit_quotas = StaffQuota.objects.filter(organization__abbreviation="VPTU", unit__isnull=False)
        assert office_quota.approved == 56
        assert unit_quotas.count() == 5
        assert sum(unit_quotas.values_list("approved", flat=True)) <= office_quota.approved

    def test_about_sixty_people_each_with_position_account_role_and_a_unit_for_staff(self, seeded):
        people = Person.objects.select_related("user", "position")
        assert 55 <= people.count() <= 75
        assert len({p.full_name for p in people}) == people.count()  # a fixed list, no duplicates
        for person in people:
            assert person.user is not None and person.position is not None
            assert person.roles.exists()
            # Staff work in a unit; the agency's own leaders (Chánh Văn phòng, Trưởng ban) stand above them.
            if person.organization.units.exists() and not person.position.is_leadership:
                assert person.unit is not None, person.full_name

    def test_named_accounts_hold_the_documented_roles_and_clearances(self, seeded):
        admin = user("admin")
        assert admin.is_staff and admin.is_superuser
        assert roles_of("admin") == {(Role.QUAN_TRI, "TU")}

        clerk = Person.objects.get(user__username="vanthu")
        assert roles_of("vanthu") == {(Role.VAN_THU, "TU")}
        assert clerk.organization.abbreviation == "VPTU" and clerk.unit.name == "Phòng Hành chính - Lưu trữ"
        assert clerk.clearance == Classification.MAT

        # The classified books of the Tỉnh ủy are kept by the Văn phòng's cleared clerk, not by vanthu.
        assert roles_of("vanthumat") == {(Role.VAN_THU_MAT, "VPTU")}
        assert Person.objects.get(user__username="vanthumat").clearance == Classification.TUYET_MAT

        assert roles_of("chanhvp") == {(Role.LANH_DAO_VAN_PHONG, "VPTU")}
        assert Person.objects.get(user__username="chanhvp").clearance == Classification.TOI_MAT
        assert roles_of("bithu") == {(Role.LANH_DAO_CAP_UY, "TU")}
        assert Person.objects.get(user__username="bithu").clearance == Classification.TUYET_MAT
        assert roles_of("chuyenvien") == {(Role.CHUYEN_VIEN, "VPTU")}
        assert Person.objects.get(user__username="chuyenvien").clearance == Classification.NONE

        head = RoleAssignment.objects.get(person__user__username="truongphong.hclt")
        assert head.role == Role.LANH_DAO_PHONG and head.unit.name == "Phòng Hành chính - Lưu trữ"
        assert (
            RoleAssignment.objects.filter(role=Role.LANH_DAO_CAP_UY, organization__slug="tinhuy").count() >= 5
        )

        for slug in [*COMMUNE_SLUGS, "coquandang", "ubndtinh"]:
            assert roles_of(f"vanthu.{slug}") == {(Role.VAN_THU, "ĐU")}
            assert roles_of(f"bithu.{slug}") == {(Role.LANH_DAO_CAP_UY, "ĐU")}
            assert Person.objects.get(user__username=f"bithu.{slug}").organization.slug == slug
            assert Person.objects.get(user__username=f"bithu.{slug}").clearance == Classification.MAT

    def test_the_access_layer_reads_the_demo_province_as_intended(self, seeded):
        phuquy, xuanhuong = (
            Organization.objects.get(slug="phuquy"),
            Organization.objects.get(slug="xuanhuong"),
        )
        office = Organization.objects.get(abbreviation="VPTU")
        assert can(user("bithu"), Capability.READ, phuquy)
        assert can(user("bithu.phuquy"), Capability.DIRECT, phuquy)
        assert not can(user("bithu.phuquy"), Capability.READ, xuanhuong)
        assert not can(user("vanthu.phuquy"), Capability.READ, xuanhuong)
        assert can(user("chanhvp"), Capability.REGISTER, office)
        # The Văn phòng works for the Tỉnh ủy: chanhvp reads, presents and directs the routine.
        tinhuy = Organization.objects.get(slug="tinhuy")
        assert can(user("chanhvp"), Capability.READ, tinhuy) and can(
            user("chanhvp"), Capability.REGISTER, tinhuy
        )
        assert can(user("chanhvp"), Capability.DIRECT_ROUTINE, tinhuy)
        assert not can(user("chanhvp"), Capability.DIRECT, tinhuy)
        assert can(user("vanthu.vptu"), Capability.REGISTER, tinhuy)
        assert scope_for(user("vanthumat")).keeps_classified(tinhuy)
        assert not scope_for(user("vanthu")).keeps_classified(tinhuy)
        assert scope_for(user("chanhvp")).keeps_classified(tinhuy)
        assert can(user("chuyenvien"), Capability.WRITE, tinhuy) and not can(
            user("chuyenvien"), Capability.READ, tinhuy
        )
        assert can(user("admin"), Capability.MANAGE_PEOPLE, phuquy)
        assert not can(user("chuyenvien"), Capability.DIRECT)

    def test_every_demo_account_signs_in_with_the_default_password(self, seeded):
        for username in (
            "admin",
            "vanthu",
            "chanhvp",
            "bithu",
            "chuyenvien",
            "vanthu.phuquy",
            "bithu.tuyphong",
        ):
            assert authenticate(username=username, password=demo.DEFAULT_PASSWORD) is not None, username
        assert authenticate(username="bithu", password="sai-mat-khau-1") is None

    def test_the_logins_table_names_accounts_roles_clearance_and_second_factor(self, seeded):
        lines = seeded.splitlines()
        row = {line.split()[0]: line for line in lines if line and line.split()[0] in demo.FEATURED_USERNAMES}
        assert set(row) == set(demo.FEATURED_USERNAMES)
        assert "Tuyệt mật" in row["bithu"] and "bắt buộc" in row["bithu"]
        assert "Tối mật" in row["chanhvp"] and "bắt buộc" in row["chanhvp"]
        assert "bắt buộc" in row["admin"]  # administrators enrol TOTP too
        assert "không" in row["chuyenvien"] and "Thường" in row["chuyenvien"]
        assert "Văn thư" in row["vanthu.phuquy"]
        assert all(demo.DEFAULT_PASSWORD in line for line in row.values())
        assert "http://127.0.0.1:8000/" in seeded
        assert "VANPHONG_TOTP_REQUIRED=classified" in seeded

    def test_a_changed_password_is_not_shown_as_the_default(self, seeded):
        bithu = user("bithu")
        bithu.set_password("Mat-khau-rieng-2026")
        bithu.save()
        output = seed("--if-empty")
        row = next(line for line in output.splitlines() if line.startswith("bithu "))
        assert demo.DEFAULT_PASSWORD not in row and "(đã đổi)" in row
        assert demo.DEFAULT_PASSWORD in next(
            line for line in output.splitlines() if line.startswith("vanthu ")
        )

    def test_a_second_run_refuses_instead_of_duplicating(self, seeded):
        before = (Organization.objects.count(), Person.objects.count(), User.objects.count())
        with pytest.raises(CommandError, match="đã có 26 tổ chức"):
            seed()
        assert (Organization.objects.count(), Person.objects.count(), User.objects.count()) == before

    def test_if_empty_only_prints_the_logins_when_data_exists(self, seeded):
        people = Person.objects.count()
        output = seed("--if-empty")
        assert "không tạo thêm dữ liệu mẫu" in output
        assert "chanhvp" in output
        assert Person.objects.count() == people
        assert AuditEvent.objects.filter(action="demo.seed").count() == 1

    def test_the_seed_is_audited_once_with_its_counts(self, seeded):
        event = AuditEvent.objects.get(action="demo.seed")
        assert event.actor_id is None and event.actor_username == "seed-demo"
        assert event.after["organizations"] == Organization.objects.count()
        assert event.after["people"] == Person.objects.count()
        assert event.after["accounts"] == User.objects.count()


def test_place_slugs_drop_diacritics_spaces_and_the_former_city():
    assert demo.place_slug("Phú Quý") == "phuquy"
    assert demo.place_slug("Bảo Lộc 1") == "baoloc1"
    assert demo.place_slug("Đức Trọng") == "ductrong"
    assert demo.place_slug("Xuân Hương - Đà Lạt") == "xuanhuong"
    assert demo.place_slug("Bắc Gia Nghĩa") == "bacgianghia"


def test_the_password_option_sets_every_demo_password(db):
    output = seed("--password", "Thu-nghiem-2026")
    assert authenticate(username="vanthu", password="Thu-nghiem-2026") is not None
    assert authenticate(username="vanthu", password=demo.DEFAULT_PASSWORD) is None
    assert "Thu-nghiem-2026" in output and demo.DEFAULT_PASSWORD not in output


def test_a_weak_password_is_refused_in_vietnamese_and_nothing_is_written(db):
    with pytest.raises(CommandError, match="Mật khẩu không dùng được"):
        seed("--password", "123")
    assert not Organization.objects.exists()


def test_the_table_follows_the_second_factor_policy(db, settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    output = seed()
    assert "bắt buộc" not in output


def test_make_run_shows_the_logins_once_from_serve_with_the_address_it_serves(db, settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"  # what `make run` exports
    assert "Tài khoản dùng thử" not in seed("--if-empty", "--no-logins")
    assert "Tài khoản dùng thử" not in seed("--if-empty", "--no-logins")  # the second run
    out = StringIO()
    ServeCommand(stdout=out)._announce("0.0.0.0", 8123)  # noqa: S104
    shown = out.getvalue()
    assert shown.count("Tài khoản dùng thử") == 1
    assert "(mở http://127.0.0.1:8123/)" in shown and ":8000" not in shown
    assert "bắt buộc" not in shown
    assert demo.DEMO_SECOND_FACTOR_OFF in shown


def test_if_empty_seeds_an_empty_database(db):
    output = seed("--if-empty")
    assert "Đã tạo dữ liệu mẫu" in output
    assert Organization.objects.filter(slug="tinhuy").exists()


def test_if_empty_seeds_a_database_holding_only_the_national_bodies(national):  # noqa: F811
    """A fresh install has the national bodies from its migrations: `make run` still seeds."""
    assert Organization.objects.filter(hosted=False).exists()
    output = seed("--if-empty")
    assert "Đã tạo dữ liệu mẫu" in output
    assert Organization.objects.filter(slug="tinhuy").exists()


def test_if_empty_with_someone_elses_organisations_prints_no_demo_logins(db):
    Organization(name="Tỉnh ủy Khác", short_name="Tỉnh ủy", abbreviation="TU").save()
    output = seed("--if-empty")
    assert "không có tài khoản mẫu" in output
    assert not Person.objects.exists()


def test_an_existing_account_with_a_demo_username_blocks_the_whole_seed(db):
    UserFactory(username="admin")
    with pytest.raises(CommandError, match="admin"):
        seed()
    assert not Organization.objects.exists()
    assert not OrgLevel.objects.exists()


def test_scale_multiplies_the_people_of_each_organisation(db):
    seed("--scale", "3")
    base = {}
    for spec in demo.PEOPLE:
        base[spec.org] = base.get(spec.org, 0) + 1
    office = Person.objects.filter(organization__abbreviation="VPTU")
    assert office.count() == 3 * base["vptu"]
    assert Person.objects.filter(organization__slug="phuquy").count() == 3 * base["phuquy"]
    extra = Person.objects.filter(user__username__startswith="canbo.")
    assert extra.count() == Person.objects.count() - len(demo.PEOPLE)
    assert not extra.filter(unit=None).exists()
    assert authenticate(username="canbo.vptu.1", password=demo.DEFAULT_PASSWORD) is not None
    assert User.objects.count() == Person.objects.count() == RoleAssignment.objects.count()


@pytest.mark.parametrize("scale", ["0", "-2", str(demo.MAX_SCALE + 1)])
def test_a_scale_out_of_range_is_refused(db, scale):
    with pytest.raises(CommandError, match="--scale"):
        seed("--scale", scale)
    assert not Organization.objects.exists()


def test_the_seed_adds_a_year_of_documents_searchable_at_once(db):
    from vanphong.documents.models import Document
    from vanphong.search.models import SearchEntry
    from vanphong.search.selectors import search

    out = StringIO()
    call_command("seed_demo", stdout=out)
    documents = Document.objects.count()
    # Every document is searchable at once (the bulletins' too) but an exchange package's still
    # waiting in the văn thư's queue: it enters the index when it enters the books.
    waiting = Document.objects.filter(arrival__state="waiting").count()
    assert waiting >= 1
    assert documents > 1000 and SearchEntry.objects.count() == documents - waiting
    from vanphong.reporting.models import InfoProduct

    bulletins = InfoProduct.objects.exclude(document=None).count()
    assert bulletins == 2  # last week's issued, yesterday's daily report being signed
    # The documents seed's own count, then the exchange's received packages and the products' drafts.
    received = Document.objects.filter(exchange_packages__direction="in").distinct().count()
    seeded = documents - bulletins - received
    assert f"Đã tạo {seeded:,} văn bản".replace(",", ".") in out.getvalue()
    assert "1 bản tin đã phát hành, 1 đang trình ký, 3 đang biên tập" in out.getvalue()
    assert search(user("bithu"), "nghi quyet 57-NQ/TW").results[0].symbol == "57-NQ/TW"
    # chanhvp is presented the Tỉnh ủy's documents and directs the routine ones (CV, GM, TB, BC).
    from vanphong.documents.access import entries_visible_to
    from vanphong.documents.models import RegisterEntry
    from vanphong.documents.selectors.direction import leaders_for
    from vanphong.documents.services.incoming import may_direct

    chanhvp = user("chanhvp")
    book = RegisterEntry.objects.filter(
        organization__slug="tinhuy", document__state="received", classification=0
    )
    routine = book.filter(document__doc_type="CV").first()
    resolution = book.filter(document__doc_type="NQ").first()
    assert routine is not None and resolution is not None
    assert entries_visible_to(chanhvp).filter(pk=routine.pk).exists()
    assert chanhvp.person in set(leaders_for(routine))
    assert may_direct(chanhvp, routine) and not may_direct(chanhvp, resolution)
