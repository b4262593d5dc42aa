"""GET /api/v1/organizations/ and /api/v1/units/: the directory every role holder may read."""

from __future__ import annotations

from vanphong.api.tests.helpers import assert_error, bearer
from vanphong.orgs.tests.factories import OrganizationFactory, PersonFactory, UnitFactory

URL = "/api/v1/organizations/"


def test_any_role_holder_lists_every_organisation_including_external_ones(client, province):
    response = client.get(URL, **bearer(province.clerk_x.user))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "count_capped", "next", "previous", "results"}
    assert body["count_capped"] is False
    assert body["count"] == 5
    by_name = {o["short_name"]: o for o in body["results"]}
    assert by_name["Trung ương"]["hosted"] is False
    assert by_name["ĐU Bình Minh"]["parent"] == province.committee.pk  # not in clerk_x's reach, still listed


def test_organisation_fields_follow_the_contract(client, province):
    response = client.get(f"{URL}{province.office.pk}/", **bearer(province.clerk.user))
    assert response.status_code == 200
    office = response.json()
    assert {
        "id": office["id"],
        "name": office["name"],
        "short_name": office["short_name"],
        "abbreviation": office["abbreviation"],
        "level": office["level"],
        "parent": office["parent"],
        "hosted": office["hosted"],
        "kind": office["kind"],
        "active": office["active"],
    } == {
        "id": province.office.pk,
        "name": "Văn phòng Tỉnh ủy",
        "short_name": "Văn phòng",
        "abbreviation": "VPTU",
        "level": "tinh",
        "parent": province.committee.pk,
        "hosted": True,
        "kind": "co_quan",
        "active": True,
    }
    assert "slug" in office


def test_organisation_filters(client, province):
    headers = bearer(province.clerk.user)

    def ids(query):
        response = client.get(f"{URL}?{query}", **headers)
        assert response.status_code == 200, response.json()
        return {o["id"] for o in response.json()["results"]}

    assert ids("hosted=false") == {province.centre.pk}
    assert ids("level=xa") == {province.commune_x.pk, province.commune_y.pk}
    assert ids(f"parent={province.committee.pk}") == {
        province.office.pk,
        province.commune_x.pk,
        province.commune_y.pk,
    }
    assert ids("q=An%20Ph%C3%BA") == {province.commune_x.pk}
    assert ids("q=vptu") == {province.office.pk}
    province.commune_y.active = False
    province.commune_y.save()
    assert province.commune_y.pk not in ids("active=true")
    assert ids("active=false") == {province.commune_y.pk}


def test_bad_filter_values_are_field_errors(client, province):
    response = client.get(f"{URL}?hosted=co-le&parent=-1", **bearer(province.clerk.user))
    error = assert_error(response, 400, "invalid")
    assert set(error["fields"]) == {"hosted", "parent"}


def test_account_without_any_role_sees_no_directory(client, province):
    loner = PersonFactory(organization=province.commune_x)
    headers = bearer(loner.user)
    assert client.get(URL, **headers).json()["count"] == 0
    assert_error(client.get(f"{URL}{province.office.pk}/", **headers), 404, "not_found")


def test_unknown_organisation_is_a_404(client, province):
    assert_error(client.get(f"{URL}999999/", **bearer(province.clerk.user)), 404, "not_found")


def test_pagination_defaults_to_50_and_caps_page_size_at_200(client, province):
    OrganizationFactory.create_batch(205, hosted=False, parent=province.centre)
    headers = bearer(province.clerk.user)

    first = client.get(URL, **headers).json()
    assert first["count"] == 210
    assert len(first["results"]) == 50
    assert first["previous"] is None
    assert first["next"].endswith("/api/v1/organizations/?page=2")

    capped = client.get(f"{URL}?page_size=500", **headers).json()
    assert len(capped["results"]) == 200
    last = client.get(f"{URL}?page_size=500&page=2", **headers).json()
    assert len(last["results"]) == 10
    assert last["next"] is None

    small = client.get(f"{URL}?page_size=3&page=2", **headers).json()
    assert len(small["results"]) == 3
    assert "page_size=3" in small["previous"]


def test_units_list_and_filter_by_organisation(client, province):
    finance = UnitFactory(organization=province.office, name="Phòng Tài chính", short_name="TC")
    UnitFactory(organization=province.commune_x, name="Bộ phận Văn phòng")
    headers = bearer(province.clerk_x.user)
    assert client.get("/api/v1/units/", **headers).json()["count"] == 2
    response = client.get(f"/api/v1/units/?organization={province.office.pk}", **headers)
    assert response.json()["results"] == [
        {
            "id": finance.pk,
            "organization": province.office.pk,
            "name": "Phòng Tài chính",
            "short_name": "TC",
            "abbreviation": "",
            "active": True,
        }
    ]
    assert client.get(f"/api/v1/units/{finance.pk}/", **headers).json()["name"] == "Phòng Tài chính"


def test_directory_is_read_only(client, province):
    headers = bearer(province.admin.user)
    response = client.patch(
        f"{URL}{province.office.pk}/", {"name": "Đổi tên"}, content_type="application/json", **headers
    )
    assert_error(response, 405, "method_not_allowed")
    assert client.delete(f"{URL}{province.office.pk}/", **headers).status_code == 405
