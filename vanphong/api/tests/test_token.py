"""Signing in to the API: POST /api/v1/auth/token/ and DELETE to revoke."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from vanphong.accounts.models import ApiToken, hash_token
from vanphong.api.tests.helpers import assert_error, bearer
from vanphong.audit.models import AuditEvent
from vanphong.orgs.tests.factories import TEST_PASSWORD

TOKEN_URL = "/api/v1/auth/token/"
PEOPLE_URL = "/api/v1/people/"


def sign_in(client, username, password=TEST_PASSWORD, **extra):
    return client.post(
        TOKEN_URL, {"username": username, "password": password, **extra}, content_type="application/json"
    )


def current_code(device: TOTPDevice) -> str:
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{code:0{device.digits}d}"


@pytest.fixture
def chief_device(province):
    return TOTPDevice.objects.create(user=province.chief.user, name="Điện thoại", confirmed=True)


def test_right_password_gives_a_token_that_works_as_bearer(client, province):
    response = sign_in(client, "clerk_x")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"token", "expires_at"}
    token = ApiToken.objects.get(digest=hash_token(body["token"]))
    assert token.user == province.clerk_x.user
    assert dt.datetime.fromisoformat(body["expires_at"]) == token.expires_at
    assert token.expires_at > timezone.now() + dt.timedelta(days=29)

    listed = client.get(PEOPLE_URL, HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    assert listed.status_code == 200
    assert [p["username"] for p in listed.json()["results"]] == ["clerk_x"]


def test_sign_in_is_audited_as_an_api_login(client, province):
    sign_in(client, "clerk_x")
    event = AuditEvent.objects.filter(action="auth.login").get()
    assert event.actor_id == province.clerk_x.user.pk
    assert event.after["via"] == "api"


def test_wrong_password_is_refused_in_the_error_format(client, province):
    response = sign_in(client, "clerk_x", "sai-mat-khau")
    error = assert_error(response, 401, "invalid_credentials")
    assert response["WWW-Authenticate"] == "Bearer"
    assert error["message"] == "Tên đăng nhập hoặc mật khẩu không đúng."
    assert not ApiToken.objects.exists()


def test_unknown_user_answers_like_a_wrong_password(client, province):
    assert_error(sign_in(client, "khong-ton-tai"), 401, "invalid_credentials")


def test_locked_account_is_refused_even_with_the_right_password(client, province):
    user = province.clerk_x.user
    user.locked_until = timezone.now() + dt.timedelta(minutes=10)
    user.save()
    error = assert_error(sign_in(client, "clerk_x"), 403, "locked")
    assert "khóa" in error["message"]
    assert not ApiToken.objects.exists()


def test_repeated_wrong_passwords_hold_the_address_back_with_429(client, province, settings):
    settings.VANPHONG_LOGIN_MAX_FAILURES = 3
    assert_error(sign_in(client, "clerk_x", "sai-1"), 401, "invalid_credentials")
    assert_error(sign_in(client, "clerk_x", "sai-2"), 401, "invalid_credentials")
    response = sign_in(client, "clerk_x", "sai-3")
    error = assert_error(response, 429, "throttled")
    assert "thử lại sau" in error["message"]
    assert int(response["Retry-After"]) > 0
    assert_error(sign_in(client, "clerk_x"), 429, "throttled")


def test_inactive_account_is_refused(client, province):
    user = province.clerk_x.user
    user.is_active = False
    user.save()
    assert_error(sign_in(client, "clerk_x"), 403, "inactive")


def test_account_that_must_change_its_password_gets_no_token(client, province):
    user = province.clerk_x.user
    user.must_change_password = True
    user.save()
    assert_error(sign_in(client, "clerk_x"), 403, "password_change_required")
    assert not ApiToken.objects.exists()


def test_cleared_user_needs_the_second_factor(client, province, chief_device):
    error = assert_error(sign_in(client, "chief"), 401, "otp_required")
    assert "mã xác thực" in error["message"]
    assert not ApiToken.objects.exists()


def test_cleared_user_with_a_wrong_code_is_refused(client, province, chief_device):
    wrong = f"{(int(current_code(chief_device)) + 1) % 10**6:06d}"
    assert_error(sign_in(client, "chief", otp=wrong), 401, "otp_invalid")
    assert not ApiToken.objects.exists()


def test_cleared_user_with_a_valid_code_gets_a_token(client, province, chief_device):
    response = sign_in(client, "chief", otp=current_code(chief_device))
    assert response.status_code == 201, response.json()
    event = AuditEvent.objects.filter(action="auth.login").get()
    assert event.after["via"] == "api"
    assert event.after["second_factor"] is True


def test_cleared_user_without_an_enrolled_device_is_told_to_enrol(client, province):
    error = assert_error(sign_in(client, "chief", otp="123456"), 401, "otp_required")
    assert "đăng ký" in error["message"]


def test_missing_fields_are_reported_per_field(client, db):
    response = client.post(TOKEN_URL, {}, content_type="application/json")
    error = assert_error(response, 400, "invalid")
    assert set(error["fields"]) == {"username", "password"}
    assert error["fields"]["username"] == ["Trường này là bắt buộc."]


def test_a_stale_token_in_the_headers_does_not_block_signing_in_again(client, province):
    response = sign_in(client, "clerk_x", HTTP_AUTHORIZATION="Bearer het-han")
    assert response.status_code == 201


def test_revoking_the_token_used_for_the_request(client, province):
    headers = bearer(province.clerk_x.user)
    assert client.delete(TOKEN_URL, **headers).status_code == 204
    assert ApiToken.objects.get().revoked_at is not None
    assert AuditEvent.objects.filter(action="api.token_revoke").exists()
    error = assert_error(client.get(PEOPLE_URL, **headers), 401, "authentication_failed")
    assert "thu hồi" in error["message"]


def test_revoking_revokes_only_that_token(client, province):
    first, second = bearer(province.clerk_x.user), bearer(province.clerk_x.user)
    client.delete(TOKEN_URL, **first)
    assert client.get(PEOPLE_URL, **second).status_code == 200


def test_revoking_needs_a_token(client, province):
    assert_error(client.delete(TOKEN_URL), 401, "not_authenticated")
    client.force_login(province.clerk_x.user)
    assert_error(client.delete(TOKEN_URL), 401, "not_authenticated")


def test_expired_token_is_refused(client, province):
    headers = bearer(province.clerk_x.user)
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(PEOPLE_URL, **headers)
    assert_error(response, 401, "authentication_failed")
    assert response["WWW-Authenticate"] == "Bearer"


def test_token_of_a_deactivated_account_is_refused(client, province):
    headers = bearer(province.clerk_x.user)
    province.clerk_x.user.is_active = False
    province.clerk_x.user.save()
    assert_error(client.get(PEOPLE_URL, **headers), 401, "authentication_failed")


def test_malformed_authorization_header_is_refused(client, province):
    assert_error(client.get(PEOPLE_URL, HTTP_AUTHORIZATION="Bearer a b"), 401, "authentication_failed")
    assert_error(
        client.get(PEOPLE_URL, HTTP_AUTHORIZATION="Bearer không-ascii"), 401, "authentication_failed"
    )


def test_token_use_is_recorded_at_most_every_few_minutes(client, province):
    headers = bearer(province.clerk_x.user)
    client.get(PEOPLE_URL, **headers)
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    client.get(PEOPLE_URL, **headers)
    assert ApiToken.objects.get().last_used_at == first
