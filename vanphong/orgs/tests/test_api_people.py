"""GET /api/v1/people/: people in the caller's READ reach, with current roles and clearance."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from vanphong.api.tests.helpers import assert_error, bearer
from vanphong.orgs.models import Role
from vanphong.orgs.tests.factories import PersonFactory, PositionFactory, RoleAssignmentFactory, UnitFactory

URL = "/api/v1/people/"


def usernames(response):
    assert response.status_code == 200, response.json()
    return [p["username"] for p in response.json()["results"]]


def test_clerk_sees_only_the_people_of_their_commune(client, province):
    PersonFactory(full_name="Trần Thị Bình", organization=province.commune_x, user__username="binh")
    PersonFactory(full_name="Lê Văn Cường", organization=province.commune_y, user__username="cuong")
    assert sorted(usernames(client.get(URL, **bearer(province.clerk_x.user)))) == ["binh", "clerk_x"]


def test_leader_sees_the_whole_subtree(client, province):
    PersonFactory(organization=province.commune_y, user__username="cuong")
    names = usernames(client.get(f"{URL}?page_size=100", **bearer(province.leader.user)))
    assert sorted(names) == sorted(
        ["leader", "admin", "chief", "specialist", "clerk", "clerk_x", "clerk_y", "cuong"]
    )


def test_person_outside_reach_is_a_404_in_the_error_format(client, province):
    response = client.get(f"{URL}{province.clerk_y.pk}/", **bearer(province.clerk_x.user))
    assert_error(response, 404, "not_found")
    assert client.get(f"{URL}{province.clerk_y.pk}/", **bearer(province.leader.user)).status_code == 200


def test_person_fields_follow_the_contract(client, province):
    finance = UnitFactory(organization=province.office, name="Phòng Tổng hợp")
    chief = province.chief
    chief.unit, chief.position = finance, PositionFactory(name="Chánh Văn phòng")
    chief.save()
    RoleAssignmentFactory(
        person=chief,
        organization=province.office,
        role=Role.CHUYEN_VIEN,
        starts_on=dt.date(2019, 1, 1),
        ends_on=dt.date(2020, 1, 1),
    )  # ended: not listed
    response = client.get(f"{URL}{chief.pk}/", **bearer(province.leader.user))
    assert response.status_code == 200
    body = response.json()
    role = chief.roles.get(role=Role.LANH_DAO_VAN_PHONG)
    assert {
        k: body[k] for k in ("id", "username", "full_name", "organization", "unit", "position", "clearance")
    } == {
        "id": chief.pk,
        "username": "chief",
        "full_name": "chief",
        "organization": province.office.pk,
        "unit": finance.pk,
        "position": "Chánh Văn phòng",
        "clearance": "toi_mat",
    }
    assert body["roles"] == [
        {
            "role": "lanh_dao_van_phong",
            "organization": province.office.pk,
            "unit": None,
            "title": "",
            "starts_on": role.starts_on.isoformat(),
            "ends_on": None,
        }
    ]


def test_clearance_codes(client, province):
    results = client.get(f"{URL}?page_size=100", **bearer(province.leader.user)).json()["results"]
    clearance = {p["username"]: p["clearance"] for p in results}
    assert clearance["leader"] == "tuyet_mat"
    assert clearance["clerk"] == "mat"
    assert clearance["specialist"] == "none"


def test_person_without_an_account_has_a_null_username(client, province):
    PersonFactory(full_name="Cán bộ hợp đồng", organization=province.commune_x, user=None)
    results = client.get(URL, **bearer(province.clerk_x.user)).json()["results"]
    assert {p["full_name"]: p["username"] for p in results}["Cán bộ hợp đồng"] is None


def test_people_filters(client, province):
    headers = bearer(province.leader.user)
    unit = UnitFactory(organization=province.office, name="Phòng Tổng hợp")
    province.specialist.unit = unit
    province.specialist.save()
    assert sorted(usernames(client.get(f"{URL}?organization={province.office.pk}", **headers))) == [
        "chief",
        "clerk",
        "specialist",
    ]
    assert usernames(client.get(f"{URL}?unit={unit.pk}", **headers)) == ["specialist"]
    assert sorted(usernames(client.get(f"{URL}?role=van_thu", **headers))) == ["clerk", "clerk_x", "clerk_y"]
    assert usernames(client.get(f"{URL}?q=CLERK_Y", **headers)) == ["clerk_y"]


def test_filtering_cannot_widen_the_reach(client, province):
    response = client.get(f"{URL}?organization={province.commune_y.pk}", **bearer(province.clerk_x.user))
    empty = {"count": 0, "count_capped": False, "next": None, "previous": None, "results": []}
    assert response.json() == empty


def test_people_list_needs_authentication(client, db):
    assert_error(client.get(URL), 401, "not_authenticated")


def _queries_for_a_page(client, headers):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"{URL}?page_size=50", **headers)
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.json()["results"])


def test_a_page_of_people_costs_a_constant_number_of_queries(client, province, django_assert_max_num_queries):
    unit = UnitFactory(organization=province.commune_x, name="Bộ phận Tổng hợp")
    position = PositionFactory(name="Chuyên viên")

    def add_people(n):
        for _ in range(n):
            person = PersonFactory(organization=province.commune_x, unit=unit, position=position)
            RoleAssignmentFactory(person=person, organization=province.commune_x, role=Role.CHUYEN_VIEN)
            RoleAssignmentFactory(
                person=person, organization=province.commune_x, role=Role.VAN_THU, title="Kiêm"
            )

    headers = bearer(province.clerk_x.user)
    client.get(URL, **headers)  # the token's last use is recorded once; measure steady requests
    add_people(4)
    few, shown_few = _queries_for_a_page(client, headers)
    add_people(45)
    many, shown_many = _queries_for_a_page(client, headers)
    assert (shown_few, shown_many) == (5, 50)
    assert many == few
    with django_assert_max_num_queries(7):
        client.get(f"{URL}?page_size=50", **headers)
