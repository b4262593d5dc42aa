"""The password step: lockout, no user enumeration, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from vanphong.accounts.models import User
from vanphong.accounts.services import SignInError, credentials_check
from vanphong.audit.models import AuditEvent
from vanphong.orgs.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def _fail(username: str, password: str = "sai-mat-khau-1") -> SignInError:
    with pytest.raises(SignInError) as caught:
        credentials_check(username=username, password=password)
    return caught.value


def test_right_password_returns_the_user(province):
    user = credentials_check(username="specialist", password=TEST_PASSWORD)
    assert user == province.specialist.user


def test_wrong_password_is_refused_and_counted(province):
    error = _fail("specialist")
    assert error.code == "invalid_credentials"
    assert error.message == "Tên đăng nhập hoặc mật khẩu không đúng."
    assert User.objects.get(username="specialist").failed_logins == 1


def test_unknown_username_gets_the_same_answer_as_a_wrong_password(province):
    unknown = _fail("khong-ton-tai")
    wrong = _fail("specialist")
    assert (unknown.code, unknown.message) == (wrong.code, wrong.message)


def test_username_with_a_nul_byte_is_just_unknown(province):
    error = _fail("special\x00ist", TEST_PASSWORD)
    assert error.code == "invalid_credentials"
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.after["reason"] == "unknown_user"
    assert "\x00" not in event.actor_username


def test_the_address_is_held_back_after_the_maximum_number_of_failures(province, settings):
    settings.VANPHONG_LOGIN_MAX_FAILURES = 3
    settings.VANPHONG_LOGIN_LOCKOUT_MINUTES = 15
    for _ in range(2):
        assert _fail("specialist").code == "invalid_credentials"
    error = _fail("specialist")
    user = User.objects.get(username="specialist")
    assert error.code == "throttled"
    assert 14 * 60 < error.retry_after <= 15 * 60
    assert "thử lại sau 15 phút" in error.message
    # The account itself is not locked: the hold is on this address (see test_throttle).
    assert user.locked_until is None
    # Even the right password is refused from here while the hold lasts.
    assert _fail("specialist", TEST_PASSWORD).code == "throttled"


def test_locked_account_is_refused_even_with_the_right_password(province):
    User.objects.filter(username="specialist").update(locked_until=timezone.now() + dt.timedelta(minutes=10))
    error = _fail("specialist", TEST_PASSWORD)
    assert error.code == "locked"
    assert "Vui lòng thử lại sau" in error.message


def test_lock_ends_when_the_period_is_over(province):
    User.objects.filter(username="specialist").update(
        locked_until=timezone.now() - dt.timedelta(seconds=1), failed_logins=0
    )
    user = credentials_check(username="specialist", password=TEST_PASSWORD)
    user.refresh_from_db()
    assert user.locked_until is None


def test_success_resets_the_failure_counter(province):
    _fail("specialist")
    _fail("specialist")
    assert User.objects.get(username="specialist").failed_logins == 2
    credentials_check(username="specialist", password=TEST_PASSWORD)
    assert User.objects.get(username="specialist").failed_logins == 0


def test_failures_only_count_consecutively_so_a_success_between_them_prevents_the_lock(province, settings):
    settings.VANPHONG_LOGIN_MAX_FAILURES = 3
    _fail("specialist")
    _fail("specialist")
    credentials_check(username="specialist", password=TEST_PASSWORD)
    _fail("specialist")
    _fail("specialist")
    assert not User.objects.get(username="specialist").is_locked()


def test_inactive_account_is_refused_only_after_the_right_password(province):
    User.objects.filter(username="specialist").update(is_active=False)
    assert _fail("specialist").code == "invalid_credentials"
    assert _fail("specialist", TEST_PASSWORD).code == "inactive"


def test_failed_sign_ins_are_audited_with_the_attempted_username(province):
    _fail("khong-ton-tai")
    _fail("specialist")
    events = list(AuditEvent.objects.filter(action="auth.login_failed").order_by("seq"))
    # What was typed for an unknown account is often a password: only a mask is kept.
    assert events[0].actor_username.startswith("kh…(13) #")
    assert "khong-ton-tai" not in str(events[0].after) + events[0].target_repr
    assert events[1].actor_username == "specialist"
    assert events[0].after["reason"] == "unknown_user"
    assert events[1].after == {"username": "specialist", "reason": "invalid_password", "failures": 1}
    assert events[1].target_id == str(province.specialist.user.pk)
    assert events[1].organization_id == province.office.pk
    assert all("sai-mat-khau" not in str(e.after) for e in events)


def test_the_hold_is_audited_once_and_held_back_attempts_are_not(province, settings):
    settings.VANPHONG_LOGIN_MAX_FAILURES = 2
    _fail("specialist")
    _fail("specialist")
    _fail("specialist", TEST_PASSWORD)
    locked = AuditEvent.objects.get(action="auth.locked")
    assert locked.after["scope"] == "account"
    assert locked.after["failures"] == 2
    assert AuditEvent.objects.filter(action="auth.login_failed").count() == 2


def test_failures_through_the_login_page_hold_the_address_back(client, province, settings):
    settings.VANPHONG_LOGIN_MAX_FAILURES = 2
    url = reverse("accounts:login")
    client.post(url, {"username": "specialist", "password": "sai-mat-khau-1"})
    response = client.post(url, {"username": "specialist", "password": "sai-mat-khau-2"})
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    response = client.post(url, {"username": "specialist", "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session
