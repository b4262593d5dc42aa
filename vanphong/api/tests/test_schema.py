"""The OpenAPI schema and the docs pages: valid, for signed-in users, served locally."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from vanphong.api.tests.helpers import assert_error, bearer

ASSET = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def test_schema_validates_without_warnings(tmp_path, db):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text(encoding="utf-8")
    for path in ("/api/v1/auth/token/", "/api/v1/organizations/", "/api/v1/units/", "/api/v1/people/{id}/"):
        assert f"  {path}:" in text


def test_schema_needs_a_signed_in_caller(client, province):
    assert_error(client.get("/api/schema/"), 401, "not_authenticated")
    response = client.get("/api/schema/?format=json", **bearer(province.clerk_x.user))
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    person = schema["components"]["schemas"]["Person"]["properties"]
    assert {"id", "username", "full_name", "organization", "unit", "position", "roles", "clearance"} <= set(
        person
    )
    clearance = person["clearance"]["allOf"][0]["$ref"].rsplit("/", 1)[1]
    assert schema["components"]["schemas"][clearance]["enum"] == ["none", "mat", "toi_mat", "tuyet_mat"]
    assert "bearerAuth" in schema["components"]["securitySchemes"]


def local_assets(html: str) -> list[str]:
    urls = ASSET.findall(html)
    assert urls, "the page references no assets at all"
    return urls


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_use_only_local_assets(client, province, url):
    client.force_login(province.clerk_x.user)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for asset in local_assets(html):
        assert asset.startswith("/static/drf_spectacular_sidecar/"), asset
    assert "googleapis" not in html and "//" not in "".join(local_assets(html))
    assert "/api/schema/" in html


def test_swagger_ui_does_not_call_the_online_validator(client, province):
    client.force_login(province.clerk_x.user)
    html = client.get("/api/docs/").content.decode()
    assert '"validatorUrl": null' in html


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_send_signed_out_visitors_to_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/tai-khoan/dang-nhap/")
    assert "next=/api/" in response["Location"].replace("%2F", "/")
