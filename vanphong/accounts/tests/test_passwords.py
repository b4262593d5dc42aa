"""Changing one's password, and the administrator's reset that forces a change."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from vanphong.accounts.models import ApiToken, User
from vanphong.accounts.services import api_token_issue, password_change, user_reset_password
from vanphong.accounts.tests.helpers import sign_in
from vanphong.audit.models import AuditEvent
from vanphong.orgs.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Tinh-uy-moi-2027"


def _messages(exc: ValidationError, field: str) -> list[str]:
    return exc.message_dict[field]


def test_password_change_needs_the_current_password(province):
    with pytest.raises(ValidationError) as caught:
        password_change(user=province.specialist.user, old_password="sai", new_password=NEW_PASSWORD)
    assert _messages(caught.value, "old_password") == ["Mật khẩu hiện tại không đúng."]


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("ngan1", "Mật khẩu quá ngắn. Mật khẩu phải có ít nhất 10 ký tự."),
        ("chỉtoànchữcáithôi", "Mật khẩu phải có cả chữ và số."),
        ("12345678901", "Mật khẩu này hoàn toàn là số."),
        ("password123", "Mật khẩu này quá phổ biến."),
        ("specialist1", "Mật khẩu quá giống với Tên đăng nhập."),
        (TEST_PASSWORD, "Mật khẩu mới phải khác mật khẩu hiện tại."),
    ],
)
def test_weak_new_password_is_refused_in_vietnamese(province, new_password, message):
    user = province.specialist.user
    with pytest.raises(ValidationError) as caught:
        password_change(user=user, old_password=TEST_PASSWORD, new_password=new_password)
    assert message in _messages(caught.value, "new_password")
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


def test_password_change_sets_the_date_clears_the_flag_and_is_audited(province):
    user = province.specialist.user
    User.objects.filter(pk=user.pk).update(must_change_password=True)
    user.refresh_from_db()
    password_change(user=user, old_password=TEST_PASSWORD, new_password=NEW_PASSWORD)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.must_change_password
    assert user.password_changed_at is not None
    event = AuditEvent.objects.get(action="account.password_change")
    assert event.actor_id == user.pk
    assert event.after["forced"] is True
    assert NEW_PASSWORD not in str(event.after) and "pbkdf2" not in str(event.after)


def test_password_change_page_shows_errors_next_to_the_fields(client, province):
    sign_in(client, province.specialist.user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password": "ngan1", "new_password_repeat": "ngan1"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Mật khẩu quá ngắn. Mật khẩu phải có ít nhất 10 ký tự." in body
    assert 'class="field has-error"' in body


def test_password_change_page_refuses_two_different_new_passwords(client, province):
    sign_in(client, province.specialist.user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password": NEW_PASSWORD,
            "new_password_repeat": NEW_PASSWORD + "x",
        },
    )
    assert "Hai lần nhập mật khẩu mới không khớp nhau." in response.content.decode()
    assert User.objects.get(username="specialist").check_password(TEST_PASSWORD)


def test_password_change_page_keeps_the_user_signed_in(client, province):
    sign_in(client, province.specialist.user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password": NEW_PASSWORD, "new_password_repeat": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(province.specialist.user.pk)
    # Still signed in: the login page moves on instead of asking again.
    assert client.get(reverse("accounts:login")).status_code == 302


def test_admin_reset_gives_a_valid_temporary_password_and_revokes_tokens(province):
    user = province.specialist.user
    api_token_issue(user=user, name="điện thoại")
    User.objects.filter(pk=user.pk).update(
        failed_logins=4, locked_until=timezone.now() + timezone.timedelta(hours=1)
    )
    user.refresh_from_db()
    temporary = user_reset_password(actor=province.admin.user, user=user)
    user.refresh_from_db()
    assert user.check_password(temporary)
    assert user.must_change_password
    assert not user.is_locked() and user.failed_logins == 0
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    event = AuditEvent.objects.get(action="account.password_reset")
    assert event.actor_id == province.admin.user.pk
    assert event.after["api_tokens_revoked"] == 1
    assert temporary not in str(event.after) and temporary not in str(event.before)


def test_admin_reset_forces_a_password_change_at_the_next_sign_in(client, province):
    temporary = user_reset_password(actor=province.admin.user, user=province.specialist.user)
    response = client.post(reverse("accounts:login"), {"username": "specialist", "password": temporary})
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change")
    # Every other page sends them back to the password page.
    response = client.get("/to-chuc/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:password_change"))
    page = client.get(reverse("accounts:password_change"))
    assert "Mật khẩu của bạn do quản trị hệ thống đặt" in page.content.decode()
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": temporary, "new_password": NEW_PASSWORD, "new_password_repeat": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert not User.objects.get(username="specialist").must_change_password
    assert client.get("/").status_code == 200


def test_admin_reset_ends_the_users_open_sessions(client, province):
    sign_in(client, province.specialist.user)
    user_reset_password(actor=province.admin.user, user=province.specialist.user)
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_temporary_password_is_refused_after_it_was_changed(client, province):
    user = province.specialist.user
    temporary = user_reset_password(actor=province.admin.user, user=user)
    user.refresh_from_db()
    password_change(user=user, old_password=temporary, new_password=NEW_PASSWORD)
    response = client.post(reverse("accounts:login"), {"username": "specialist", "password": temporary})
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
