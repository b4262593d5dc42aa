"""The demo run's note that the second factor is off (VANPHONG_TOTP_REQUIRED=none)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from vanphong.accounts.tests.helpers import sign_in

BANNER = (
    "Bản chạy thử: đã tắt xác thực hai lớp cho các tài khoản mẫu; "
    "khi triển khai thật, xác thực hai lớp luôn bật."
)


@pytest.mark.parametrize(("policy", "shown"), [("none", True), ("classified", False), ("all", False)])
def test_the_login_page_says_the_second_factor_is_off_only_when_it_is(client, db, settings, policy, shown):
    settings.VANPHONG_TOTP_REQUIRED = policy
    body = client.get(reverse("accounts:login")).content.decode()
    assert (BANNER in body) is shown


@pytest.mark.parametrize(("policy", "shown"), [("none", True), ("classified", False)])
def test_signed_in_pages_carry_the_same_note(client, province, settings, policy, shown):
    settings.VANPHONG_TOTP_REQUIRED = policy
    sign_in(client, province.specialist.user)
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    assert (BANNER in response.content.decode()) is shown
