"""Sign-in floods: holds per account and client address, per address, answered 429 with
Retry-After, and never keeping the account's owner out from another address."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from vanphong.accounts import throttle
from vanphong.accounts.services import user_unlock
from vanphong.orgs.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
LOGIN = "accounts:login"
A, B = "203.0.113.7", "198.51.100.20"


def token(client, username, password=TEST_PASSWORD, address=A, **extra):
    return client.post(
        TOKEN_URL,
        {"username": username, "password": password, **extra},
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def page(client, username, password=TEST_PASSWORD, address=A):
    return client.post(reverse(LOGIN), {"username": username, "password": password}, REMOTE_ADDR=address)


def current_code(device: TOTPDevice) -> str:
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{code:0{device.digits}d}"


def test_attacker_at_a_cannot_keep_the_owner_at_b_out(client, province, settings):
    settings.VANPHONG_LOGIN_MAX_FAILURES = 5
    for i in range(12):
        token(client, "clerk_x", f"sai-{i}", address=A)
    refused = token(client, "clerk_x", "sai-cuoi", address=A)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "throttled"
    assert "Vui lòng thử lại sau" in refused.json()["error"]["message"]
    assert 0 < int(refused["Retry-After"]) <= 24 * 3600
    # Even the right password is refused from A while the hold lasts...
    assert token(client, "clerk_x", address=A).status_code == 429
    # ...but the owner signs in from B, on the API and on the page.
    assert token(client, "clerk_x", address=B).status_code == 201
    response = page(client, "clerk_x", address=B)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_owner_with_a_second_factor_signs_in_from_b(client, province, settings):
    settings.VANPHONG_LOGIN_MAX_FAILURES = 3
    device = TOTPDevice.objects.create(user=province.chief.user, name="Điện thoại", confirmed=True)
    for i in range(3):
        token(client, "chief", f"sai-{i}", address=A)
    assert token(client, "chief", otp=current_code(device), address=A).status_code == 429
    assert token(client, "chief", otp=current_code(device), address=B).status_code == 201


def test_the_sign_in_page_answers_429_with_retry_after(client, province, settings):
    settings.VANPHONG_LOGIN_MAX_FAILURES = 2
    page(client, "clerk_x", "sai-1")
    response = page(client, "clerk_x", "sai-2")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Đăng nhập sai quá nhiều lần vào tài khoản này từ địa chỉ mạng này" in response.content.decode()


def test_page_and_token_endpoint_share_the_counters(client, province, settings):
    settings.VANPHONG_LOGIN_MAX_FAILURES = 2
    page(client, "clerk_x", "sai-1")
    assert token(client, "clerk_x", "sai-2").status_code == 429


def test_one_address_trying_many_accounts_is_held_back(client, province, settings):
    settings.VANPHONG_LOGIN_ADDRESS_MAX_FAILURES = 4
    settings.VANPHONG_LOGIN_ADDRESS_WINDOW_MINUTES = 10
    for i in range(3):
        assert token(client, f"vanthu.{i}", "sai").status_code == 401
    response = token(client, "vanthu.9", "sai")
    assert response.status_code == 429
    assert "từ địa chỉ mạng này" in response.json()["error"]["message"]
    assert 9 * 60 < int(response["Retry-After"]) <= 10 * 60
    assert token(client, "clerk_x", address=A).status_code == 429
    assert token(client, "clerk_x", address=B).status_code == 201


def test_holds_grow_on_each_repeat(province, settings):
    settings.VANPHONG_LOGIN_MAX_FAILURES = 1
    settings.VANPHONG_LOGIN_LOCKOUT_MINUTES = 10
    settings.VANPHONG_LOGIN_LOCKOUT_MAX_MINUTES = 30
    lengths = []
    for _ in range(3):
        hold = throttle.record_failure("clerk_x", A)
        assert hold is not None
        lengths.append(hold.retry_after)
    assert [round(s / 60) for s in lengths] == [10, 20, 30]


def test_a_completed_sign_in_forgets_the_failures_from_its_address(client, province, settings):
    settings.VANPHONG_LOGIN_MAX_FAILURES = 3
    token(client, "clerk_x", "sai-1")
    token(client, "clerk_x", "sai-2")
    assert token(client, "clerk_x").status_code == 201
    token(client, "clerk_x", "sai-3")
    token(client, "clerk_x", "sai-4")
    assert token(client, "clerk_x").status_code == 201


def test_an_administrator_unlock_lifts_every_hold_of_the_account(client, province, settings):
    settings.VANPHONG_LOGIN_MAX_FAILURES = 2
    token(client, "clerk_x", "sai-1")
    token(client, "clerk_x", "sai-2")
    assert token(client, "clerk_x").status_code == 429
    user_unlock(actor=province.admin.user, user=province.clerk_x.user)
    assert token(client, "clerk_x").status_code == 201


def test_forwarded_for_counts_only_behind_a_trusted_proxy(client, province, settings):
    settings.VANPHONG_LOGIN_MAX_FAILURES = 2
    for i in range(2):
        client.post(
            TOKEN_URL,
            {"username": "clerk_x", "password": f"sai-{i}"},
            content_type="application/json",
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{i}",
        )
    # Without a trusted proxy the forged header changes nothing: the peer is held back.
    assert token(client, "clerk_x", address="10.0.0.1").status_code == 429
    settings.VANPHONG_TRUSTED_PROXY_HOPS = 1
    response = client.post(
        TOKEN_URL,
        {"username": "clerk_x", "password": TEST_PASSWORD},
        content_type="application/json",
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=B,
    )
    assert response.status_code == 201


def test_ipv6_clients_count_by_their_64_network(settings):
    from vanphong.audit.context import RequestContext, current_request

    reset = current_request.set(RequestContext(ip_address="2001:db8:1:2:aaaa::1"))
    try:
        assert throttle.client_address() == "2001:db8:1:2::/64"
    finally:
        current_request.reset(reset)


def test_a_hold_started_while_a_guess_waited_for_the_row_lock_refuses_it(client, province, monkeypatch):
    """Guesses sent in parallel all pass the first check before the first failure starts the
    hold; the check is made again under the user row's lock, so the waiting ones are refused
    without their password being tried."""
    real_held = throttle.held
    calls = []

    def held(username, address=None):
        calls.append(username)
        if len(calls) == 1:
            return None  # the guess arrived before the hold...
        return throttle.Hold(until=time.time() + 60, scope="account")  # ...then it began

    monkeypatch.setattr(throttle, "held", held)
    tried = []
    monkeypatch.setattr(type(province.clerk_x.user), "check_password", lambda self, raw: tried.append(raw))
    response = token(client, "clerk_x", "doan-mo", address=A)
    assert response.status_code == 429 and len(calls) >= 2 and tried == []
    monkeypatch.setattr(throttle, "held", real_held)
