"""Account administration: who sees which accounts, and the four actions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from vanphong.accounts.models import User
from vanphong.accounts.services import totp_reset, user_reset_password, user_set_active, user_unlock
from vanphong.accounts.tests.helpers import sign_in
from vanphong.audit.models import AuditEvent
from vanphong.orgs.access import forget_scope
from vanphong.orgs.models import Role
from vanphong.orgs.tests.factories import OrganizationFactory, make_actor

pytestmark = pytest.mark.django_db


def _detail(user: User) -> str:
    return reverse("accounts:user_detail", args=[user.pk])


@pytest.fixture
def outsider(province):
    """Someone in another province, outside the admin's reach."""
    other = OrganizationFactory(name="Tỉnh ủy Khác", short_name="Tỉnh ủy Khác", parent=province.centre)
    return make_actor("outsider", other, Role.CHUYEN_VIEN)


# --- list --------------------------------------------------------------------------------------------


def test_admin_sees_the_accounts_in_reach(client, province, outsider):
    sign_in(client, province.admin.user)
    response = client.get(reverse("accounts:user_list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" in body
    listed = {p.user.username for p in response.context["page"].object_list}
    assert listed == {"leader", "admin", "chief", "specialist", "clerk", "clerk_x", "clerk_y"}
    assert "outsider" not in body


def test_account_list_shows_locked_state_and_second_factor(client, province):
    User.objects.filter(username="clerk_x").update(locked_until=timezone.now() + dt.timedelta(minutes=5))
    TOTPDevice.objects.create(user=province.chief.user, confirmed=True)
    sign_in(client, province.admin.user)
    rows = {p.user.username: p for p in client.get(reverse("accounts:user_list")).context["page"].object_list}
    assert rows["clerk_x"].user.is_locked()
    assert rows["chief"].has_totp and not rows["specialist"].has_totp
    body = client.get(reverse("accounts:user_list")).content.decode()
    assert "Đang khóa" in body and "Đã đăng ký" in body


def test_search_answers_only_the_table_to_htmx(client, province):
    sign_in(client, province.admin.user)
    response = client.get(reverse("accounts:user_list"), {"q": "clerk_"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert {p.user.username for p in response.context["page"].object_list} == {"clerk_x", "clerk_y"}


def test_search_with_no_match_shows_an_empty_state(client, province):
    sign_in(client, province.admin.user)
    body = client.get(reverse("accounts:user_list"), {"q": "không-có-ai"}).content.decode()
    assert "Không có tài khoản nào" in body


def test_people_without_manage_people_get_404_on_the_list(client, province):
    for person in (province.clerk_x, province.specialist, province.leader):
        client.logout()
        sign_in(client, person.user)
        assert client.get(reverse("accounts:user_list")).status_code == 404


def test_account_list_query_count_does_not_grow_with_the_number_of_accounts(
    client, province, django_assert_max_num_queries
):
    for n in range(15):
        make_actor(f"extra{n}", province.commune_x, Role.CHUYEN_VIEN)
    sign_in(client, province.admin.user)
    client.get(reverse("accounts:user_list"))  # warm the session and the scope
    with django_assert_max_num_queries(12):
        response = client.get(reverse("accounts:user_list"))
    assert len(response.context["page"].object_list) == 22


# --- detail ------------------------------------------------------------------------------------------


def test_admin_opens_an_account_in_reach(client, province):
    sign_in(client, province.admin.user)
    response = client.get(_detail(province.clerk_x.user))
    assert response.status_code == 200
    assert "Đặt lại mật khẩu" in response.content.decode()


def test_admin_gets_404_outside_reach(client, province, outsider):
    sign_in(client, province.admin.user)
    assert client.get(_detail(outsider.user)).status_code == 404
    assert client.post(reverse("accounts:user_unlock", args=[outsider.user.pk])).status_code == 404


def test_clerk_gets_404_on_someone_elses_account(client, province):
    sign_in(client, province.clerk_x.user)
    assert client.get(_detail(province.clerk_y.user)).status_code == 404
    assert client.get(_detail(province.clerk_x.user)).status_code == 404
    response = client.post(reverse("accounts:user_reset_password", args=[province.clerk_y.user.pk]))
    assert response.status_code == 404
    assert not User.objects.get(username="clerk_y").must_change_password


def test_unknown_account_is_404(client, province):
    sign_in(client, province.admin.user)
    assert client.get(reverse("accounts:user_detail", args=[999999])).status_code == 404


# --- actions -----------------------------------------------------------------------------------------


def test_reset_password_page_shows_the_temporary_password_once(client, province):
    sign_in(client, province.admin.user)
    response = client.post(reverse("accounts:user_reset_password", args=[province.clerk_x.user.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    temporary = response.context["temporary_password"]
    assert temporary in response.content.decode()
    user = User.objects.get(username="clerk_x")
    assert user.check_password(temporary) and user.must_change_password
    assert temporary not in client.get(_detail(user)).content.decode()
    assert AuditEvent.objects.filter(action="account.password_reset", target_id=str(user.pk)).count() == 1


def test_reset_password_only_answers_post(client, province):
    sign_in(client, province.admin.user)
    response = client.get(reverse("accounts:user_reset_password", args=[province.clerk_x.user.pk]))
    assert response.status_code == 405


def test_unlock_clears_the_lock_and_is_audited(client, province):
    User.objects.filter(username="clerk_x").update(
        failed_logins=3, locked_until=timezone.now() + dt.timedelta(minutes=10)
    )
    sign_in(client, province.admin.user)
    response = client.post(reverse("accounts:user_unlock", args=[province.clerk_x.user.pk]))
    assert response.status_code == 302
    user = User.objects.get(username="clerk_x")
    assert user.locked_until is None and user.failed_logins == 0
    event = AuditEvent.objects.get(action="account.unlock")
    assert event.actor_id == province.admin.user.pk
    assert event.before["failed_logins"] == 3
    assert client.get(response.url).status_code == 200


def test_deactivate_and_reactivate_an_account(client, province):
    sign_in(client, province.admin.user)
    url = reverse("accounts:user_set_active", args=[province.clerk_x.user.pk])
    client.post(url, {"active": "0"})
    assert not User.objects.get(username="clerk_x").is_active
    client.post(url, {"active": "1"})
    assert User.objects.get(username="clerk_x").is_active
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="account.").order_by("seq")] == [
        "account.deactivate",
        "account.activate",
    ]


def test_deactivated_account_loses_its_session(client, province):
    sign_in(client, province.specialist.user)
    user_set_active(actor=province.admin.user, user=province.specialist.user, active=False)
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_admin_cannot_deactivate_their_own_account(client, province):
    sign_in(client, province.admin.user)
    response = client.post(
        reverse("accounts:user_set_active", args=[province.admin.user.pk]), {"active": "0"}
    )
    assert response.status_code == 302
    assert User.objects.get(username="admin").is_active
    assert (
        "Bạn không thể tự ngừng hoạt động tài khoản của chính mình."
        in client.get(response.url).content.decode()
    )
    with pytest.raises(ValidationError):
        user_set_active(actor=province.admin.user, user=province.admin.user, active=False)


def test_totp_reset_removes_the_devices_and_is_audited(client, province):
    TOTPDevice.objects.create(user=province.specialist.user, confirmed=True)
    sign_in(client, province.admin.user)
    client.post(reverse("accounts:user_totp_reset", args=[province.specialist.user.pk]))
    assert not TOTPDevice.objects.filter(user=province.specialist.user).exists()
    event = AuditEvent.objects.get(action="account.totp_reset")
    assert event.after == {"devices_removed": 1, "api_tokens_revoked": 0}


@pytest.mark.parametrize("action", [user_reset_password, totp_reset])
def test_nobody_takes_over_an_account_cleared_above_their_own(province, action):
    """admin (no clearance) manages people of the whole province, but resetting the password
    or the second factor of the Tuyệt mật leader would hand that account over."""
    TOTPDevice.objects.create(user=province.leader.user, confirmed=True)
    with pytest.raises(PermissionDenied, match="cao hơn"):
        action(actor=province.admin.user, user=province.leader.user)
    assert TOTPDevice.objects.filter(user=province.leader.user).exists()
    province.admin.clearance = 3
    province.admin.save()
    forget_scope(province.admin.user)
    action(actor=province.admin.user, user=province.leader.user)


@pytest.mark.parametrize(
    "action",
    [
        lambda actor, user: user_reset_password(actor=actor, user=user),
        lambda actor, user: user_unlock(actor=actor, user=user),
        lambda actor, user: user_set_active(actor=actor, user=user, active=False),
        lambda actor, user: totp_reset(actor=actor, user=user),
    ],
    ids=["reset_password", "unlock", "deactivate", "totp_reset"],
)
def test_services_refuse_an_actor_without_reach(province, outsider, action):
    with pytest.raises(PermissionDenied):
        action(province.clerk_x.user, province.clerk_y.user)
    with pytest.raises(PermissionDenied):
        action(province.admin.user, outsider.user)
    assert not AuditEvent.objects.filter(action__startswith="account.").exists()
