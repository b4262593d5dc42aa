"""Shared fixtures for the whole suite (vanphong/ and tests/e2e/): how tests run, and a
small province with the people who work in it.

Trung ương (not hosted)
└── Tỉnh ủy Thử nghiệm (TU)                  leader (Tuyệt mật), admin
    ├── Văn phòng Tỉnh ủy (VPTU)             chief (Tối mật), specialist (none)
    ├── Đảng ủy xã An Phú (ĐU)               clerk_x
    └── Đảng ủy xã Bình Minh (ĐU)            clerk_y
clerk: văn thư keeping the Tỉnh ủy's books (works in the Văn phòng), clearance Mật
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from vanphong.orgs.models import Classification, Organization, OrgKind, Person, Role
from vanphong.orgs.tests.factories import OrganizationFactory, OrgLevelFactory, make_actor


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Pages link {% static %} files; the manifest storage needs ``collectstatic``, which is
    a deployment step, so tests serve the source files."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        return True
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))


@pytest.fixture(autouse=True)
def _audit_trail_emptied_after_transactional_tests(request: pytest.FixtureRequest):
    """The database refuses to delete audit entries, so the flush that ends a transactional
    (or live-server) test would fail once a test wrote any. Empty the trail on purpose
    first: this fixture is set up after the database one, so it is torn down before it."""
    if not _is_transactional(request):
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    from vanphong.audit.tests.support import clear_audit_trail

    clear_audit_trail()


# Audit actions that only tests write (``audit_record`` refuses an undeclared name).
TEST_AUDIT_ACTIONS = {
    "test.event": "Mục thử nghiệm",
    "test.concurrent": "Mục thử nghiệm ghi đồng thời",
    "test.before_job": "Mục thử nghiệm trước tiến trình nền",
}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The migrations install the national bodies (``vanphong.orgs.national``); tests build
    the organisations they need, so the catalogue is taken out again. A test that reads it
    asks for the ``national`` fixture (documents/tests/conftest.py)."""
    from django.db import connection

    from vanphong.orgs.models import Organization
    from vanphong.orgs.national import national_ids

    with django_db_blocker.unblock():
        ids = national_ids(Organization)
        if ids:
            # One plain DELETE: in a fresh test database nothing refers to the catalogue, and
            # the ORM's cascade would look into test-only tables not created yet.
            with connection.cursor() as cursor:
                cursor.execute(
                    f"DELETE FROM {Organization._meta.db_table} WHERE id IN ({', '.join(['%s'] * len(ids))})",  # noqa: S608 (our table name; values bound)
                    ids,
                )


@pytest.fixture(autouse=True, scope="session")
def _test_audit_actions():
    from vanphong.audit.actions import register_actions

    register_actions(TEST_AUDIT_ACTIONS)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: sign-in throttling counts failures there, and a
    count left by one test must not hold back the next."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _jobs_run_inline():
    """Jobs run in the calling thread unless a test asks for the real broker."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@dataclass
class Province:
    centre: Organization
    committee: Organization
    office: Organization
    commune_x: Organization
    commune_y: Organization
    leader: Person
    admin: Person
    chief: Person
    specialist: Person
    clerk: Person
    clerk_x: Person
    clerk_y: Person


@pytest.fixture
def province(db) -> Province:
    tw_level = OrgLevelFactory(code="trung-uong", name="Trung ương", rank=0)
    tinh = OrgLevelFactory(code="tinh", name="Cấp tỉnh", rank=10)
    xa = OrgLevelFactory(code="xa", name="Cấp xã", rank=30)
    centre = OrganizationFactory(
        name="Ban Chấp hành Trung ương",
        short_name="Trung ương",
        abbreviation="TW",
        level=tw_level,
        hosted=False,
    )
    committee = OrganizationFactory(
        name="Tỉnh ủy Thử nghiệm",
        short_name="Tỉnh ủy",
        abbreviation="TU",
        level=tinh,
        parent=centre,
        slug="tinhuy",
    )
    office = OrganizationFactory(
        name="Văn phòng Tỉnh ủy",
        short_name="Văn phòng",
        abbreviation="VPTU",
        kind=OrgKind.AGENCY,
        level=tinh,
        parent=committee,
        is_office=True,
    )
    commune_x = OrganizationFactory(
        name="Đảng ủy xã An Phú", short_name="ĐU An Phú", level=xa, parent=committee, slug="anphu"
    )
    commune_y = OrganizationFactory(
        name="Đảng ủy xã Bình Minh", short_name="ĐU Bình Minh", level=xa, parent=committee, slug="binhminh"
    )
    return Province(
        centre=centre,
        committee=committee,
        office=office,
        commune_x=commune_x,
        commune_y=commune_y,
        leader=make_actor("leader", committee, Role.LANH_DAO_CAP_UY, clearance=Classification.TUYET_MAT),
        admin=make_actor("admin", committee, Role.QUAN_TRI),
        chief=make_actor("chief", office, Role.LANH_DAO_VAN_PHONG, clearance=Classification.TOI_MAT),
        specialist=make_actor("specialist", office, Role.CHUYEN_VIEN),
        clerk=make_actor("clerk", committee, Role.VAN_THU, clearance=Classification.MAT, works_in=office),
        clerk_x=make_actor("clerk_x", commune_x, Role.VAN_THU),
        clerk_y=make_actor("clerk_y", commune_y, Role.VAN_THU),
    )
