"""The second factor: who needs it, enrolment, verification, and what the half-signed-in
state can reach."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from vanphong.accounts.models import User
from vanphong.accounts.services import (
    SignInError,
    otp_check,
    otp_required,
    totp_device_confirm,
    totp_device_create,
)
from vanphong.accounts.tests.helpers import sign_in, totp_code
from vanphong.accounts.views import PENDING_KEY
from vanphong.audit.models import AuditEvent
from vanphong.orgs.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "accounts:login"
OTP = "accounts:otp"


def _enrolled_device(user: User) -> TOTPDevice:
    device = totp_device_create(user=user)
    totp_device_confirm(user=user, device=device, otp=totp_code(device))
    return device


def _password_step(client, username: str, **extra):
    return client.post(reverse(LOGIN), {"username": username, "password": TEST_PASSWORD, **extra})


# --- policy ----------------------------------------------------------------------------------------


def test_cleared_user_needs_a_second_factor_under_the_default_policy(province):
    assert otp_required(province.chief.user)
    assert otp_required(province.leader.user)


def test_administrator_needs_a_second_factor_even_without_clearance(province):
    assert otp_required(province.admin.user)


def test_specialist_without_clearance_does_not_need_a_second_factor(province):
    assert not otp_required(province.specialist.user)
    assert not otp_required(province.clerk_x.user)


def test_policy_all_and_none_apply_to_everyone(province, settings):
    settings.VANPHONG_TOTP_REQUIRED = "all"
    assert otp_required(province.specialist.user)
    settings.VANPHONG_TOTP_REQUIRED = "none"
    assert not otp_required(province.chief.user)


# --- services ----------------------------------------------------------------------------------------


def test_enrolment_confirms_the_device_with_a_real_code(province):
    user = province.chief.user
    device = totp_device_create(user=user)
    assert not device.confirmed
    totp_device_confirm(user=user, device=device, otp=totp_code(device))
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action="auth.otp_enrol", target_id=str(user.pk)).exists()


def test_enrolment_refuses_a_wrong_code(province):
    user = province.chief.user
    device = totp_device_create(user=user)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    with pytest.raises(SignInError) as caught:
        totp_device_confirm(user=user, device=device, otp=wrong)
    assert caught.value.code == "otp_invalid"
    device.refresh_from_db()
    assert not device.confirmed


def test_otp_check_accepts_the_current_code(province):
    user = province.chief.user
    device = _enrolled_device(user)
    otp_check(user=user, otp=totp_code(device, steps_ahead=1))


def test_otp_check_without_a_code_says_one_is_required(province):
    user = province.chief.user
    _enrolled_device(user)
    with pytest.raises(SignInError) as caught:
        otp_check(user=user, otp=None)
    assert caught.value.code == "otp_required"


def test_otp_check_for_a_user_with_no_device_says_one_is_required(province):
    with pytest.raises(SignInError) as caught:
        otp_check(user=province.chief.user, otp="123456")
    assert caught.value.code == "otp_required"


def test_a_code_is_accepted_only_once(province):
    user = province.chief.user
    device = _enrolled_device(user)
    code = totp_code(device, steps_ahead=1)
    otp_check(user=user, otp=code)
    with pytest.raises(SignInError) as caught:
        otp_check(user=user, otp=code)
    assert caught.value.code == "otp_invalid"


def test_wrong_codes_count_as_failed_sign_ins_and_hold_the_address_back(province, settings):
    settings.VANPHONG_LOGIN_MAX_FAILURES = 3
    user = province.chief.user
    _enrolled_device(user)
    codes = []
    for _ in range(3):
        with pytest.raises(SignInError) as caught:
            otp_check(user=user, otp="000000")
        codes.append(caught.value.code)
    assert codes == ["otp_invalid", "otp_invalid", "throttled"]
    user.refresh_from_db()
    assert not user.is_locked()  # the hold is on this address, not on the account
    assert AuditEvent.objects.filter(action="auth.otp_failed").count() == 3
    assert AuditEvent.objects.filter(action="auth.locked").count() == 1


# --- pages -----------------------------------------------------------------------------------------------


def test_password_step_of_a_cleared_user_does_not_sign_in_yet(client, province):
    response = _password_step(client, "chief")
    assert response.status_code == 302
    assert response.url == reverse(OTP)
    assert "_auth_user_id" not in client.session
    assert client.session[PENDING_KEY]["user_id"] == province.chief.user.pk


def test_the_half_signed_in_state_reaches_no_page(client, province):
    _password_step(client, "chief")
    for url in ("/", reverse("accounts:user_list"), reverse("accounts:password_change")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse(LOGIN))


def test_first_sign_in_enrols_with_a_qr_code_then_signs_in(client, province):
    user = province.chief.user
    _password_step(client, "chief", next="/to-chuc/")
    page = client.get(reverse(OTP))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Đăng ký xác thực hai lớp" in body
    assert "<svg" in body and "<path" in body
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert "otpauth://" not in body  # the URI is only inside the QR code
    secret = body.split('class="secret">')[1].split("<")[0].replace(" ", "")
    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key

    response = client.post(reverse(OTP), {"otp": totp_code(device)})
    assert response.status_code == 302
    assert response.url == "/to-chuc/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert PENDING_KEY not in client.session
    login = AuditEvent.objects.get(action="auth.login")
    assert login.actor_id == user.pk
    assert login.after == {"via": "web", "second_factor": True}


def test_reloading_the_enrolment_page_keeps_the_same_secret(client, province):
    _password_step(client, "chief")
    client.get(reverse(OTP))
    first = TOTPDevice.objects.get(user=province.chief.user)
    client.get(reverse(OTP))
    assert list(TOTPDevice.objects.filter(user=province.chief.user)) == [first]


def test_enrolled_user_is_asked_for_the_code_and_signed_in_with_it(client, province):
    user = province.chief.user
    device = _enrolled_device(user)
    _password_step(client, "chief")
    page = client.get(reverse(OTP))
    assert "Xác thực hai lớp" in page.content.decode()
    assert "<svg" not in page.content.decode()
    response = client.post(reverse(OTP), {"otp": totp_code(device, steps_ahead=1)})
    assert response.status_code == 302
    assert response.url == reverse("web:home")
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_wrong_code_is_rejected_with_a_vietnamese_message(client, province):
    _enrolled_device(province.chief.user)
    _password_step(client, "chief")
    response = client.post(reverse(OTP), {"otp": "000000"})
    assert response.status_code == 200
    assert "Mã xác thực không đúng hoặc đã hết hạn." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.otp_failed").count() == 1


def test_malformed_code_is_rejected_by_the_form(client, province):
    _enrolled_device(province.chief.user)
    _password_step(client, "chief")
    response = client.post(reverse(OTP), {"otp": "abc"})
    assert "Mã xác thực gồm 6 chữ số." in response.content.decode()


def test_too_many_wrong_codes_end_the_attempt_and_hold_the_address_back(client, province, settings):
    settings.VANPHONG_LOGIN_MAX_FAILURES = 2
    _enrolled_device(province.chief.user)
    _password_step(client, "chief")
    client.post(reverse(OTP), {"otp": "000000"})
    response = client.post(reverse(OTP), {"otp": "000000"})
    assert response.status_code == 302
    assert response.url == reverse(LOGIN)
    assert PENDING_KEY not in client.session
    response = client.post(reverse(LOGIN), {"username": "chief", "password": TEST_PASSWORD})
    assert response.status_code == 429


def test_code_page_without_the_password_step_sends_back_to_login(client, province):
    response = client.get(reverse(OTP))
    assert response.status_code == 302
    assert response.url == reverse(LOGIN)


def test_half_signed_in_state_expires(client, province):
    _password_step(client, "chief")
    session = client.session
    session[PENDING_KEY] = {**session[PENDING_KEY], "started": 0}
    session.save()
    response = client.get(reverse(OTP))
    assert response.url == reverse(LOGIN)


def test_password_reset_between_the_two_steps_ends_the_attempt(client, province):
    from vanphong.accounts.services import user_reset_password

    _password_step(client, "chief")
    province.admin.clearance = province.chief.clearance  # only an equally cleared manager may reset it
    province.admin.save()
    user_reset_password(actor=province.admin.user, user=province.chief.user)
    response = client.get(reverse(OTP))
    assert response.url == reverse(LOGIN)
    assert PENDING_KEY not in client.session


def test_account_locked_during_enrolment_cannot_finish_it(client, province):
    _password_step(client, "chief")
    client.get(reverse(OTP))
    device = TOTPDevice.objects.get(user=province.chief.user)
    User.objects.filter(pk=province.chief.user.pk).update(
        locked_until=timezone.now() + dt.timedelta(minutes=5)
    )
    response = client.post(reverse(OTP), {"otp": totp_code(device)})
    assert response.url == reverse(LOGIN)
    assert "_auth_user_id" not in client.session
    device.refresh_from_db()
    assert not device.confirmed


def test_user_without_second_factor_is_signed_in_by_the_password_alone(client, province):
    response = _password_step(client, "specialist")
    assert response.status_code == 302
    assert response.url == reverse("web:home")
    assert client.session["_auth_user_id"] == str(province.specialist.user.pk)
    assert AuditEvent.objects.get(action="auth.login").after == {"via": "web", "second_factor": False}


def test_signed_in_but_unverified_user_is_sent_to_the_code_page(client, province):
    client.force_login(province.chief.user)
    response = client.get("/to-chuc/")
    assert response.status_code == 302
    assert response.url == f"{reverse(OTP)}?next=%2Fto-chuc%2F"
    assert client.get(reverse("accounts:user_list")).status_code == 302


def test_htmx_request_of_an_unverified_user_is_redirected_by_header(client, province):
    client.force_login(province.chief.user)
    response = client.get("/to-chuc/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse(OTP))


def test_signed_in_but_unverified_user_gets_a_json_error_from_the_api(client, province):
    client.force_login(province.chief.user)
    response = client.get("/api/v1/organizations/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "otp_required"


def test_signed_in_but_unverified_user_can_verify_and_continue(client, province):
    user = province.chief.user
    device = _enrolled_device(user)
    client.force_login(user)
    response = client.post(f"{reverse(OTP)}?next=/to-chuc/", {"otp": totp_code(device, steps_ahead=1)})
    assert response.status_code == 302
    assert response.url == "/to-chuc/"
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_django_admin_login_is_replaced_by_ours(client, province):
    response = client.get("/quan-tri-he-thong/login/?next=/quan-tri-he-thong/")
    assert response.status_code == 302
    assert response.url == f"{reverse(LOGIN)}?next=%2Fquan-tri-he-thong%2F"


def test_django_admin_login_form_cannot_be_posted_to(client, province):
    response = client.post("/quan-tri-he-thong/login/", {"username": "specialist", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.url.startswith(reverse(LOGIN))
    assert "_auth_user_id" not in client.session
    assert not AuditEvent.objects.filter(action="auth.login").exists()


def test_signed_in_user_without_admin_rights_is_not_sent_round_in_circles(client, province):
    sign_in(client, province.specialist.user)
    response = client.get("/quan-tri-he-thong/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith("/quan-tri-he-thong/login/")


def test_reset_device_makes_a_verified_session_unverified(client, province):
    from vanphong.accounts.services import totp_reset

    user = province.chief.user
    sign_in(client, user)
    assert client.get(reverse(LOGIN)).status_code == 302  # fully signed in: the login page moves on
    province.admin.clearance = province.chief.clearance  # only an equally cleared manager may reset it
    province.admin.save()
    totp_reset(actor=province.admin.user, user=user)
    response = client.get("/to-chuc/")
    assert response.url.startswith(reverse(OTP))
