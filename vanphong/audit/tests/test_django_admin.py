from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.forms import CheckboxInput, MultiWidget
from django.urls import reverse
from django.utils import timezone

from vanphong.accounts.models import ApiToken
from vanphong.audit import admin_mixins
from vanphong.audit.models import AuditEvent
from vanphong.audit.verify import verify_chain
from vanphong.orgs.models import Organization, OrgKind, Person, Position
from vanphong.orgs.tests.factories import UnitFactory, UserFactory


@pytest.fixture
def superuser(db, no_second_factor):
    user = UserFactory(username="it_admin")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def staff_client(client, superuser):
    client.force_login(superuser)
    return client


def change_form_data(client, url: str) -> dict:
    """What the admin's change form would post back unchanged."""
    form = client.get(url).context["adminform"].form
    data: dict = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        widget = field.widget
        if isinstance(widget, MultiWidget):
            parts = widget.decompress(value)
            for i, (sub, part) in enumerate(zip(widget.widgets, parts, strict=True)):
                data[f"{name}_{i}"] = sub.format_value(part) or ""
        elif isinstance(widget, CheckboxInput):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif value is not None:
            data[name] = str(value)
    return data


def entries(action: str):
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def test_adding_an_organisation_in_the_admin_is_audited(staff_client, superuser, province):
    response = staff_client.post(
        reverse("admin:orgs_organization_add"),
        {
            "name": "Đảng ủy xã Tân Lập",
            "short_name": "ĐU Tân Lập",
            "abbreviation": "ĐU",
            "kind": OrgKind.COMMITTEE,
            "parent": province.committee.pk,
            "hosted": "on",
            "order": 0,
            "active": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    org = Organization.objects.get(name="Đảng ủy xã Tân Lập")
    [entry] = entries("admin.create")
    assert entry.actor_id == superuser.pk
    assert entry.target_type == "orgs.organization"
    assert entry.target_id == str(org.pk)
    assert entry.organization_id == org.pk
    assert entry.before is None
    assert entry.after["name"] == "Đảng ủy xã Tân Lập"
    assert entry.after["parent_id"] == province.committee.pk
    assert verify_chain().ok


def test_changing_a_person_records_only_the_changed_fields(staff_client, province):
    person = province.specialist
    url = reverse("admin:orgs_person_change", args=[person.pk])
    data = change_form_data(staff_client, url)
    data["phone"] = "0912 345 678"
    data["full_name"] = "Trần Thị Chuyên Viên"
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    [entry] = entries("admin.change")
    assert entry.before == {"full_name": "specialist", "phone": ""}
    assert entry.after == {"full_name": "Trần Thị Chuyên Viên", "phone": "0912 345 678"}
    assert entry.organization_id == province.office.pk
    assert entry.target_repr == "Trần Thị Chuyên Viên"


def test_saving_without_changes_writes_nothing(staff_client, province):
    url = reverse("admin:orgs_person_change", args=[province.clerk.pk])
    response = staff_client.post(url, change_form_data(staff_client, url))
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action__startswith="admin.").exists()


def test_change_is_undone_when_its_audit_entry_cannot_be_written(staff_client, province, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr(admin_mixins, "audit_record", broken)
    url = reverse("admin:orgs_person_change", args=[province.clerk.pk])
    data = change_form_data(staff_client, url)
    data["phone"] = "0999"
    with pytest.raises(RuntimeError):
        staff_client.post(url, data)
    assert Person.objects.get(pk=province.clerk.pk).phone == ""


def test_deleting_in_the_admin_is_audited_with_what_was_deleted(staff_client, province):
    unit = UnitFactory(organization=province.office, name="Phòng Hành chính - Lưu trữ")
    unit_pk = unit.pk
    response = staff_client.post(reverse("admin:orgs_unit_delete", args=[unit.pk]), {"post": "yes"})
    assert response.status_code == 302
    [entry] = entries("admin.delete")
    assert entry.target_id == str(unit_pk)
    assert entry.target_repr == "Phòng Hành chính - Lưu trữ"
    assert entry.organization_id == province.office.pk
    assert entry.before["name"] == "Phòng Hành chính - Lưu trữ"
    assert entry.after is None


def test_bulk_delete_action_audits_every_object(staff_client, db):
    kept = Position.objects.create(name="Bí thư", rank=1)
    doomed = [Position.objects.create(name=n, rank=50) for n in ("Chuyên viên chính", "Cán sự")]
    response = staff_client.post(
        reverse("admin:orgs_position_changelist"),
        {"action": "delete_selected", "_selected_action": [p.pk for p in doomed], "post": "yes"},
    )
    assert response.status_code == 302
    assert list(Position.objects.all()) == [kept]
    assert {e.target_repr for e in entries("admin.delete")} == {"Cán sự", "Chuyên viên chính"}


def test_organisation_cannot_be_moved_inside_itself(staff_client, province):
    url = reverse("admin:orgs_organization_change", args=[province.committee.pk])
    data = change_form_data(staff_client, url)
    data["parent"] = str(province.commune_x.pk)
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "Không thể chuyển một tổ chức vào bên trong chính nó." in response.content.decode()
    assert not AuditEvent.objects.filter(action__startswith="admin.").exists()


def test_changing_an_accounts_groups_is_audited_without_the_password(staff_client, province):
    group = Group.objects.create(name="Quản trị viên")
    user = province.clerk.user
    user.date_joined = user.date_joined.replace(microsecond=0)  # the admin form shows whole seconds
    user.save()
    url = reverse("admin:accounts_user_change", args=[user.pk])
    data = change_form_data(staff_client, url)
    data["groups"] = [str(group.pk)]
    data["is_staff"] = "on"
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    [entry] = entries("admin.change")
    assert entry.before == {"groups": [], "is_staff": False}
    assert entry.after == {"groups": [group.pk], "is_staff": True}
    assert entry.organization_id == province.clerk.organization_id
    assert "password" not in (entry.before or {}) and user.password not in str(entry.after)


def test_adding_an_account_is_audited_without_the_password(staff_client):
    response = staff_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "nguoi_moi",
            "password1": "Mat-khau-moi-2026!",
            "password2": "Mat-khau-moi-2026!",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    [entry] = entries("admin.create")
    assert entry.after["username"] == "nguoi_moi"
    assert "password" not in entry.after


def test_setting_a_password_in_the_admin_is_audited(staff_client, province):
    user = province.clerk_x.user
    response = staff_client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": "Mat-khau-moi-2026!", "password2": "Mat-khau-moi-2026!", "usable_password": "true"},
    )
    assert response.status_code == 302
    [entry] = entries("admin.change")
    assert entry.target_id == str(user.pk)
    assert entry.after == {"password": "(đã đặt mật khẩu mới)"}
    user.refresh_from_db()
    assert user.check_password("Mat-khau-moi-2026!")
    assert user.password not in str(entry.before) + str(entry.after)


def test_audit_trail_is_read_only_in_the_admin(staff_client, province):
    event = AuditEvent.objects.create(
        seq=1, at=timezone.now(), action="test.event", prev_hash="0" * 64, hash="1" * 64
    )
    assert staff_client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    assert staff_client.get(reverse("admin:audit_auditevent_change", args=[event.pk])).status_code == 200
    assert staff_client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert (
        staff_client.post(
            reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    response = staff_client.post(reverse("admin:audit_auditevent_change", args=[event.pk]), {"action": "x"})
    assert response.status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"


def test_api_tokens_are_read_only_in_the_admin_and_hide_the_digest(staff_client, province):
    token = ApiToken.objects.create(
        user=province.clerk.user,
        digest="d" * 64,
        prefix="vp_abc12",
        name="Máy quét",
        expires_at=timezone.now() + dt.timedelta(days=30),
    )
    change_url = reverse("admin:accounts_apitoken_change", args=[token.pk])
    page = staff_client.get(change_url)
    assert page.status_code == 200
    assert "d" * 64 not in page.content.decode()
    assert staff_client.get(reverse("admin:accounts_apitoken_add")).status_code == 403
    assert staff_client.post(change_url, {"name": "Đổi tên"}).status_code == 403
    assert (
        staff_client.post(
            reverse("admin:accounts_apitoken_delete", args=[token.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert ApiToken.objects.get(pk=token.pk).name == "Máy quét"


def test_a_unit_cannot_be_moved_to_another_organisation(staff_client, province):
    """The reach of the tasks shared with a unit was written for its organisation."""
    from vanphong.orgs.models import Unit

    unit = Unit.objects.create(organization=province.commune_x, name="Bộ phận Tổng hợp")
    page = staff_client.get(reverse("admin:orgs_unit_change", args=[unit.pk])).content.decode()
    assert 'name="organization"' not in page
    assert 'name="organization"' in staff_client.get(reverse("admin:orgs_unit_add")).content.decode()
