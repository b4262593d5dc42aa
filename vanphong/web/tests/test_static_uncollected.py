"""Pages work on a fresh install before ``collectstatic`` (no 500 "Missing staticfiles
manifest entry"), and the icon answers at /favicon.ico."""

from __future__ import annotations

import json

import pytest
from django.conf import settings as django_settings
from PIL import Image

import config.settings as production
from vanphong.accounts.tests.helpers import sign_in

ICO = django_settings.BASE_DIR / "static" / "img" / "favicon.ico"


@pytest.fixture
def uncollected(settings, tmp_path):
    """The storage the site really uses (the suite serves plain files), and an empty static
    root: ``collectstatic`` never ran."""
    settings.STORAGES = {**settings.STORAGES, "staticfiles": production.STORAGES["staticfiles"]}
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    settings.DEBUG = False
    assert settings.WHITENOISE_USE_FINDERS
    return settings.STATIC_ROOT


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_sign_in_page_and_its_files_answer_200_before_collectstatic(client, uncollected, db):
    page = client.get("/", follow=True)
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("css/app.css", "js/app.js", "img/favicon.svg", "img/favicon.ico"):
        assert f'"/static/{name}"' in html, name  # linked by the plain name
        assert client.get(f"/static/{name}").status_code == 200, name


def test_a_signed_in_page_answers_200_before_collectstatic(client, uncollected, province):
    sign_in(client, province.clerk.user)
    assert client.get("/").status_code == 200


def test_favicon_ico_redirects_to_the_icon(client, uncollected, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/img/favicon.ico"
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert body(icon) == ICO.read_bytes()
    assert client.post("/favicon.ico").status_code == 405


def test_once_collected_the_hashed_names_are_linked(client, uncollected, db):
    (uncollected / "staticfiles.json").write_text(
        json.dumps({"version": "1.1", "hash": "x", "paths": {"img/favicon.ico": "img/favicon.0123abcd.ico"}})
    )
    assert client.get("/favicon.ico")["Location"] == "/static/img/favicon.0123abcd.ico"


def test_the_icon_is_the_red_square_with_the_yellow_star():
    with Image.open(ICO) as icon:
        assert icon.format == "ICO" and (32, 32) in icon.info["sizes"]
        icon.size = (32, 32)
        pixels = icon.convert("RGB")
        assert pixels.getpixel((3, 16)) == (0xB3, 0x26, 0x1E)  # the red square
        red, green, blue = pixels.getpixel((16, 16))  # the star's centre
        assert red > 200 and green > 150 and blue < 150
