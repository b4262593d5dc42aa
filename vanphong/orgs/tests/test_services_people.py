import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from vanphong.audit.models import AuditEvent
from vanphong.orgs.access import Capability, can
from vanphong.orgs.models import Classification, Delegation, Person, Role, RoleAssignment
from vanphong.orgs.services import (
    person_create,
    person_deactivate,
    person_update,
    role_assign,
    role_end,
)
from vanphong.orgs.tests.factories import TEST_PASSWORD, OrganizationFactory, PositionFactory, UnitFactory


def test_admin_creates_a_person_with_an_account_that_must_change_its_password(province):
    unit = UnitFactory(organization=province.office, name="Phòng Tổng hợp")
    position = PositionFactory(name="Chuyên viên")
    person = person_create(
        actor=province.admin.user,
        full_name="  Trần Thị Hoa ",
        organization=province.office,
        unit=unit,
        position=position,
        email="hoa@example.vn",
        username="hoa.tt",
        password=TEST_PASSWORD,
    )
    person.refresh_from_db()
    assert person.full_name == "Trần Thị Hoa"
    assert person.unit == unit and person.position == position
    assert person.user.username == "hoa.tt"
    assert person.user.check_password(TEST_PASSWORD)
    assert person.user.must_change_password is True
    event = AuditEvent.objects.get(action="person.create")
    assert event.target_id == str(person.pk)
    assert event.actor_id == province.admin.user_id
    assert event.organization_id == province.office.pk
    assert event.after["username"] == "hoa.tt"
    assert "password" not in event.after


def test_a_person_without_username_has_no_account(province):
    person = person_create(actor=province.admin.user, full_name="Lê Văn Nam", organization=province.commune_x)
    assert person.user is None
    assert AuditEvent.objects.filter(action="person.create", target_id=str(person.pk)).exists()


def test_an_account_created_without_password_cannot_sign_in_yet(province):
    person = person_create(
        actor=province.admin.user, full_name="Lê Văn Nam", organization=province.office, username="nam.lv"
    )
    assert person.user.has_usable_password() is False


def test_specialist_cannot_create_people(province):
    with pytest.raises(PermissionDenied):
        person_create(actor=province.specialist.user, full_name="Ai đó", organization=province.office)
    assert not Person.objects.filter(full_name="Ai đó").exists()
    assert not AuditEvent.objects.filter(action="person.create").exists()


def test_commune_clerk_cannot_create_people_even_in_own_commune(province):
    with pytest.raises(PermissionDenied):
        person_create(actor=province.clerk_x.user, full_name="Ai đó", organization=province.commune_x)


def test_admin_cannot_create_people_outside_own_subtree(province):
    other = OrganizationFactory(name="Tỉnh ủy Khác", parent=province.centre)
    with pytest.raises(PermissionDenied):
        person_create(actor=province.admin.user, full_name="Ai đó", organization=other)


def test_a_unit_of_another_organisation_is_refused_in_vietnamese(province):
    unit = UnitFactory(organization=province.commune_y, name="Phòng của Bình Minh")
    with pytest.raises(ValidationError) as exc:
        person_create(
            actor=province.admin.user, full_name="Ai đó", organization=province.commune_x, unit=unit
        )
    assert "không thuộc Đảng ủy xã An Phú" in exc.value.message_dict["unit"][0]
    assert not Person.objects.filter(full_name="Ai đó").exists()


def test_validation_errors_are_reported_per_field_and_nothing_is_saved(province):
    users_before = get_user_model().objects.count()
    with pytest.raises(ValidationError) as exc:
        person_create(
            actor=province.admin.user,
            full_name="   ",
            organization=province.office,
            email="không-phải-thư",
            username="specialist",
            password="123",
        )
    errors = exc.value.message_dict
    assert errors["full_name"] == ["Vui lòng nhập họ và tên."]
    assert errors["email"] == ["Địa chỉ thư điện tử không hợp lệ."]
    assert "đã có người dùng" in errors["username"][0]
    assert errors["password"]
    assert get_user_model().objects.count() == users_before
    assert not AuditEvent.objects.filter(action="person.create").exists()


def test_username_is_unique_regardless_of_case(province):
    with pytest.raises(ValidationError) as exc:
        person_create(
            actor=province.admin.user, full_name="Ai đó", organization=province.office, username="SPECIALIST"
        )
    assert "username" in exc.value.message_dict


def test_nobody_grants_a_clearance_above_their_own(province):
    with pytest.raises(ValidationError) as exc:
        person_create(
            actor=province.admin.user,
            full_name="Ai đó",
            organization=province.office,
            clearance=Classification.MAT,
        )
    assert "cao hơn mức của chính mình" in exc.value.message_dict["clearance"][0]


def test_a_cleared_manager_may_grant_up_to_their_clearance(province):
    province.admin.clearance = Classification.TOI_MAT
    province.admin.save()
    person = person_create(
        actor=province.admin.user,
        full_name="Ai đó",
        organization=province.office,
        clearance=Classification.MAT,
    )
    assert person.clearance == Classification.MAT


def test_people_cannot_be_added_to_external_organisations(province):
    external = OrganizationFactory(name="Sở Nội vụ", parent=province.committee, hosted=False)
    with pytest.raises(ValidationError) as exc:
        person_create(actor=province.admin.user, full_name="Ai đó", organization=external)
    assert "organization" in exc.value.message_dict


def test_update_records_only_what_changed(province):
    person = person_update(actor=province.admin.user, person=province.specialist, phone=" 0912 345 678 ")
    person.refresh_from_db()
    assert person.phone == "0912 345 678"
    event = AuditEvent.objects.get(action="person.update")
    assert event.before == {"phone": ""}
    assert event.after == {"phone": "0912 345 678"}


def test_update_that_changes_nothing_writes_no_audit_entry(province):
    person_update(
        actor=province.admin.user, person=province.specialist, full_name=province.specialist.full_name
    )
    assert not AuditEvent.objects.filter(action="person.update").exists()


def test_keeping_a_clearance_someone_else_granted_is_allowed(province):
    person_update(actor=province.admin.user, person=province.chief, phone="0900")
    province.chief.refresh_from_db()
    assert province.chief.clearance == Classification.TOI_MAT


def test_moving_a_person_to_an_organisation_outside_reach_is_refused(province):
    other = OrganizationFactory(name="Tỉnh ủy Khác", parent=province.centre)
    with pytest.raises(PermissionDenied):
        person_update(actor=province.admin.user, person=province.specialist, organization=other)
    province.specialist.refresh_from_db()
    assert province.specialist.organization == province.office


def test_moving_a_person_keeps_the_unit_consistent(province):
    unit = UnitFactory(organization=province.office, name="Phòng Hành chính")
    person_update(actor=province.admin.user, person=province.specialist, unit=unit)
    with pytest.raises(ValidationError) as exc:
        person_update(actor=province.admin.user, person=province.specialist, organization=province.commune_x)
    assert "unit" in exc.value.message_dict


def test_update_rejects_unknown_fields(province):
    with pytest.raises(TypeError):
        person_update(actor=province.admin.user, person=province.specialist, active=False)


def test_deactivating_a_person_closes_account_roles_and_delegations(province):
    chief_role = province.chief.roles.get()
    now = timezone.now()
    given = Delegation.objects.create(
        role_assignment=chief_role,
        delegate=province.specialist,
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(days=3),
        reason="Đi công tác",
        created_by=province.chief,
    )
    person_deactivate(actor=province.admin.user, person=province.chief)
    province.chief.refresh_from_db()
    province.chief.user.refresh_from_db()
    given.refresh_from_db()
    assert province.chief.active is False
    assert province.chief.user.is_active is False
    assert province.chief.roles.get().ends_on == timezone.localdate()
    assert given.revoked_at is not None
    event = AuditEvent.objects.get(action="person.deactivate")
    assert event.after["roles_ended"] == [chief_role.pk]
    assert event.after["delegations_revoked"] == [given.pk]


def test_a_deactivated_person_reaches_nothing(province):
    person_deactivate(actor=province.admin.user, person=province.specialist)
    user = get_user_model().objects.get(pk=province.specialist.user_id)
    assert not can(user, Capability.READ, province.office)


def test_nobody_deactivates_themself(province):
    with pytest.raises(ValidationError):
        person_deactivate(actor=province.admin.user, person=province.admin)


def test_deactivating_twice_is_refused(province):
    person_deactivate(actor=province.admin.user, person=province.specialist)
    with pytest.raises(ValidationError):
        person_deactivate(actor=province.admin.user, person=province.specialist)


def test_a_leader_without_manage_people_cannot_deactivate(province):
    with pytest.raises(PermissionDenied):
        person_deactivate(actor=province.leader.user, person=province.specialist)
    province.specialist.refresh_from_db()
    assert province.specialist.active is True


# --- Roles -----------------------------------------------------------------------------------


def test_admin_assigns_a_role_that_gives_access_at_once(province):
    assignment = role_assign(
        actor=province.admin.user,
        person=province.specialist,
        organization=province.commune_x,
        role=Role.CHUYEN_VIEN,
        title="Chuyên viên tăng cường",
    )
    assert assignment.starts_on == timezone.localdate()
    user = get_user_model().objects.get(pk=province.specialist.user_id)
    assert can(user, Capability.READ, province.commune_x)
    event = AuditEvent.objects.get(action="role.assign")
    assert event.organization_id == province.commune_x.pk
    assert event.after["role"] == Role.CHUYEN_VIEN


def test_a_role_cannot_be_held_twice_for_the_same_period(province):
    with pytest.raises(ValidationError) as exc:
        role_assign(
            actor=province.admin.user,
            person=province.specialist,
            organization=province.office,
            role=Role.CHUYEN_VIEN,
        )
    assert "đã giữ vai trò này" in exc.value.message_dict["role"][0]
    assert RoleAssignment.objects.filter(person=province.specialist).count() == 1


def test_role_periods_must_be_in_order(province):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        role_assign(
            actor=province.admin.user,
            person=province.specialist,
            organization=province.commune_x,
            role=Role.VAN_THU,
            starts_on=today,
            ends_on=today - dt.timedelta(days=1),
        )
    assert exc.value.message_dict["ends_on"] == ["Ngày kết thúc phải sau hoặc trùng ngày bắt đầu."]


def test_unknown_roles_and_foreign_units_are_refused(province):
    unit = UnitFactory(organization=province.commune_y)
    with pytest.raises(ValidationError) as exc:
        role_assign(
            actor=province.admin.user,
            person=province.specialist,
            organization=province.commune_x,
            role="bi_thu",
            unit=unit,
        )
    assert set(exc.value.message_dict) == {"role", "unit"}


def test_chief_cannot_assign_roles(province):
    with pytest.raises(PermissionDenied):
        role_assign(
            actor=province.chief.user,
            person=province.specialist,
            organization=province.office,
            role=Role.VAN_THU,
        )


def test_ending_a_role_removes_access_and_revokes_its_delegations(province):
    chief_role = province.chief.roles.get()
    now = timezone.now()
    delegation = Delegation.objects.create(
        role_assignment=chief_role,
        delegate=province.specialist,
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(days=1),
        reason="Nghỉ phép",
        created_by=province.chief,
    )
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    chief_role.starts_on = yesterday - dt.timedelta(days=30)
    chief_role.save()
    role_end(actor=province.admin.user, assignment=chief_role, on=yesterday)
    chief_role.refresh_from_db()
    delegation.refresh_from_db()
    assert chief_role.ends_on == yesterday
    assert delegation.revoked_at is not None
    user = get_user_model().objects.get(pk=province.chief.user_id)
    assert not can(user, Capability.DIRECT, province.office)
    event = AuditEvent.objects.get(action="role.end")
    assert event.before == {"ends_on": None}
    assert event.after["delegations_revoked"] == [delegation.pk]


def test_a_role_cannot_end_before_it_starts_or_twice(province):
    role = province.specialist.roles.get()
    with pytest.raises(ValidationError) as exc:
        role_end(actor=province.admin.user, assignment=role, on=role.starts_on - dt.timedelta(days=1))
    assert "không được trước ngày bắt đầu" in exc.value.message_dict["on"][0]
    role_end(actor=province.admin.user, assignment=role)
    with pytest.raises(ValidationError) as exc:
        role_end(actor=province.admin.user, assignment=role)
    assert "đã kết thúc" in exc.value.message_dict["on"][0]


def test_an_administrator_cannot_end_their_own_administration_role(province):
    with pytest.raises(ValidationError):
        role_end(actor=province.admin.user, assignment=province.admin.roles.get())
