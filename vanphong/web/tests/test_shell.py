import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import permission_denied
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from vanphong.accounts.second_factor import second_factor_required

ACTORS = ["leader", "admin", "chief", "specialist", "clerk", "clerk_x", "clerk_y"]
NAV = re.compile(r'<nav id="sidenav".*?</nav>', re.S)
HREF = re.compile(r'href="([^"]+)"')


def sign_in(client, person):
    client.force_login(person.user)
    if second_factor_required(person.user):
        device = TOTPDevice.objects.create(user=person.user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def nav_links(html):
    return HREF.findall(NAV.search(html).group(0))


@pytest.mark.parametrize("actor", ACTORS)
def test_every_navigation_link_answers_200_for_each_role(client, province, actor):
    sign_in(client, getattr(province, actor))
    home = client.get(reverse("web:home"))
    assert home.status_code == 200
    links = nav_links(home.content.decode())
    assert reverse("web:home") in links
    for url in links:
        response = client.get(url)
        assert response.status_code == 200, f"{actor}: {url} answered {response.status_code}"


def test_navigation_follows_the_access_layer(client, province):
    clerk_links = nav_links(sign_in(client, province.clerk_x).get("/").content.decode())
    assert reverse("orgs:directory") in clerk_links
    assert reverse("accounts:user_list") not in clerk_links
    client.logout()
    admin_links = nav_links(sign_in(client, province.admin).get("/").content.decode())
    assert reverse("accounts:user_list") in admin_links
    assert reverse("audit:list") in admin_links


def test_current_page_is_marked_in_the_navigation(client, province):
    html = sign_in(client, province.specialist).get(reverse("orgs:staffing")).content.decode()
    nav = NAV.search(html).group(0)
    assert f'href="{reverse("orgs:staffing")}" aria-current="page"' in nav


def test_home_page_shows_a_clear_empty_state(client, province):
    html = sign_in(client, province.specialist).get("/").content.decode()
    assert 'class="empty-state"' in html
    assert "Không có việc nào đang chờ bạn." in html


def test_shell_has_a_menu_toggle_a_skip_link_and_the_users_name(client, province):
    html = sign_in(client, province.specialist).get("/").content.decode()
    assert 'aria-controls="sidenav"' in html and 'aria-expanded="false"' in html
    assert 'href="#main"' in html
    assert reverse("orgs:person_detail", args=[province.specialist.pk]) in html
    assert '<html lang="vi">' in html


def test_pages_load_no_asset_from_another_server(client, province):
    html = sign_in(client, province.admin).get(reverse("orgs:directory")).content.decode()
    for tag in re.findall(r"<(?:script|link|img)\b[^>]*>", html):
        assert "http://" not in tag and "https://" not in tag and "//" not in tag.replace("://", ""), tag


def test_stylesheet_is_local_and_covers_login_phones_and_print():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text(encoding="utf-8")
    assert "url(http" not in css and "@import" not in css and "@font-face" not in css
    assert "body.page-login" in css
    assert "@media print" in css
    assert "max-width: 799.98px" in css
    for name in ("card", "cards", "table-wrap", "field-error", "btn-primary", "btn-danger", "empty-state"):
        assert f".{name}" in css
    assert len(css.splitlines()) < 600


def test_unknown_page_answers_404_in_vietnamese_inside_the_shell(client, province):
    response = sign_in(client, province.specialist).get("/khong-co-trang-nay/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in html and 'id="sidenav"' in html


def test_unknown_page_for_a_signed_out_visitor_answers_404_in_vietnamese(client, db):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_forbidden_page_is_in_vietnamese(province):
    request = RequestFactory().get("/")
    request.user = province.specialist.user
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "Bạn không có quyền thực hiện việc này" in response.content.decode()


def test_server_error_page_renders_without_any_context():
    html = render_to_string("500.html")
    assert "Hệ thống đang gặp sự cố" in html
    assert "{%" not in html and "http" not in html
