"""The sign-in and sign-out pages themselves."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from vanphong.accounts.tests.helpers import sign_in
from vanphong.audit.models import AuditEvent
from vanphong.orgs.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_is_public_and_in_vietnamese(client, db):
    response = client.get(reverse("accounts:login"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Văn phòng số" in body and "Văn phòng cấp ủy" in body
    assert 'class="page-login"' in body
    assert "Tên đăng nhập" in body and "Mật khẩu" in body
    username_input = re.search(r'<input[^>]*name="username"[^>]*>', body).group(0)
    assert "autofocus" in username_input
    assert "http://" not in body and "https://" not in body  # nothing loaded from elsewhere


def test_anonymous_visitor_is_sent_to_login_with_next(client, db):
    response = client.get("/to-chuc/")
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next=/to-chuc/"


def test_empty_form_gets_vietnamese_errors(client, db):
    body = client.post(reverse("accounts:login"), {}).content.decode()
    assert "Vui lòng nhập tên đăng nhập." in body and "Vui lòng nhập mật khẩu." in body


def test_wrong_password_and_unknown_user_show_the_same_page(client, province):
    wrong = client.post(reverse("accounts:login"), {"username": "specialist", "password": "sai-mat-khau-1"})
    unknown = client.post(reverse("accounts:login"), {"username": "khongco", "password": "sai-mat-khau-1"})
    message = "Tên đăng nhập hoặc mật khẩu không đúng."
    assert message in wrong.content.decode() and message in unknown.content.decode()
    assert wrong.status_code == unknown.status_code == 200


def test_sign_in_goes_to_a_safe_next_url(client, province):
    response = client.post(
        f"{reverse('accounts:login')}?next=/to-chuc/", {"username": "specialist", "password": TEST_PASSWORD}
    )
    assert response.url == "/to-chuc/"


def test_sign_in_ignores_a_next_url_on_another_site(client, province):
    response = client.post(
        reverse("accounts:login"),
        {"username": "specialist", "password": TEST_PASSWORD, "next": "https://evil.example/"},
    )
    assert response.url == reverse("web:home")


def test_sign_in_rotates_the_session_key(client, province):
    client.get(reverse("accounts:login"))
    session = client.session
    session["marker"] = 1
    session.save()
    before = session.session_key
    client.post(reverse("accounts:login"), {"username": "specialist", "password": TEST_PASSWORD})
    assert client.session.session_key != before


def test_password_step_rotates_the_session_key_before_the_code(client, province):
    session = client.session
    session["marker"] = 1
    session.save()
    before = session.session_key
    client.post(reverse("accounts:login"), {"username": "chief", "password": TEST_PASSWORD})
    assert client.session.session_key != before


def test_signed_in_user_opening_login_goes_home(client, province):
    sign_in(client, province.specialist.user)
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 302
    assert response.url == reverse("web:home")


def test_logout_needs_post_and_is_audited(client, province):
    sign_in(client, province.specialist.user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(action="auth.logout")
    assert event.actor_id == province.specialist.user.pk


def test_home_page_renders_for_a_signed_in_user(client, province):
    sign_in(client, province.specialist.user)
    response = client.get("/")
    assert response.status_code == 200
    assert "Đổi mật khẩu" in response.content.decode()
