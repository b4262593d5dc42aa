import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from vanphong.audit.models import AuditEvent
from vanphong.orgs.access import Capability, can
from vanphong.orgs.models import Delegation, StaffQuota
from vanphong.orgs.services import (
    delegation_create,
    delegation_revoke,
    person_deactivate,
    staff_quota_set,
)
from vanphong.orgs.tests.factories import OrganizationFactory, UnitFactory


def _fresh_user(person):
    return get_user_model().objects.get(pk=person.user_id)


def _period(hours_from_now=0, days=2):
    starts = timezone.now() + dt.timedelta(hours=hours_from_now)
    return starts, starts + dt.timedelta(days=days)


def test_holder_delegates_own_role_and_the_delegate_holds_it(province):
    starts, ends = _period(hours_from_now=-1)
    delegation = delegation_create(
        actor=province.chief.user,
        role_assignment=province.chief.roles.get(),
        delegate=province.specialist,
        starts_at=starts,
        ends_at=ends,
        reason="Chánh Văn phòng đi học",
    )
    assert delegation.created_by == province.chief
    assert can(_fresh_user(province.specialist), Capability.DIRECT, province.office)
    event = AuditEvent.objects.get(action="delegation.create")
    assert event.organization_id == province.office.pk
    assert event.after["delegate_id"] == province.specialist.pk


def test_a_manager_of_people_may_delegate_for_someone_else(province):
    starts, ends = _period()
    delegation = delegation_create(
        actor=province.admin.user,
        role_assignment=province.chief.roles.get(),
        delegate=province.specialist,
        starts_at=starts,
        ends_at=ends,
        reason="Theo quyết định",
    )
    assert delegation.created_by == province.admin


def test_a_colleague_cannot_delegate_someone_elses_role(province):
    starts, ends = _period()
    with pytest.raises(PermissionDenied):
        delegation_create(
            actor=province.specialist.user,
            role_assignment=province.chief.roles.get(),
            delegate=province.specialist,
            starts_at=starts,
            ends_at=ends,
            reason="Tự nhận",
        )
    assert not Delegation.objects.exists()


def test_delegation_period_must_be_valid(province):
    starts, _ = _period()
    with pytest.raises(ValidationError) as exc:
        delegation_create(
            actor=province.chief.user,
            role_assignment=province.chief.roles.get(),
            delegate=province.specialist,
            starts_at=starts,
            ends_at=starts - dt.timedelta(hours=1),
            reason=" ",
        )
    errors = exc.value.message_dict
    assert errors["ends_at"] == ["Thời điểm kết thúc phải sau thời điểm bắt đầu."]
    assert errors["reason"] == ["Vui lòng ghi lý do ủy quyền."]


def test_a_delegation_that_is_already_over_is_refused(province):
    starts, ends = _period(hours_from_now=-72, days=1)
    with pytest.raises(ValidationError) as exc:
        delegation_create(
            actor=province.chief.user,
            role_assignment=province.chief.roles.get(),
            delegate=province.specialist,
            starts_at=starts,
            ends_at=ends,
            reason="Muộn",
        )
    assert exc.value.message_dict["ends_at"] == ["Thời điểm kết thúc đã qua."]


def test_the_delegate_must_be_active_and_not_the_holder(province):
    starts, ends = _period()
    role = province.chief.roles.get()
    with pytest.raises(ValidationError) as exc:
        delegation_create(
            actor=province.chief.user,
            role_assignment=role,
            delegate=province.chief,
            starts_at=starts,
            ends_at=ends,
            reason="x",
        )
    assert "chính người giữ vai trò" in exc.value.message_dict["delegate"][0]
    person_deactivate(actor=province.admin.user, person=province.specialist)
    province.specialist.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        delegation_create(
            actor=province.chief.user,
            role_assignment=role,
            delegate=province.specialist,
            starts_at=starts,
            ends_at=ends,
            reason="x",
        )
    assert "đã thôi công tác" in exc.value.message_dict["delegate"][0]


def test_the_delegate_must_work_in_the_roles_organisation_or_below(province):
    starts, ends = _period()
    with pytest.raises(ValidationError) as exc:
        delegation_create(
            actor=province.clerk_x.user,
            role_assignment=province.clerk_x.roles.get(),
            delegate=province.clerk_y,
            starts_at=starts,
            ends_at=ends,
            reason="Nghỉ phép",
        )
    assert "Đảng ủy xã An Phú" in exc.value.message_dict["delegate"][0]


def test_overlapping_delegations_of_the_same_role_are_refused(province):
    role = province.chief.roles.get()
    starts, ends = _period(days=5)
    delegation_create(
        actor=province.chief.user,
        role_assignment=role,
        delegate=province.specialist,
        starts_at=starts,
        ends_at=ends,
        reason="Đi công tác",
    )
    with pytest.raises(ValidationError) as exc:
        delegation_create(
            actor=province.chief.user,
            role_assignment=role,
            delegate=province.clerk,
            starts_at=starts + dt.timedelta(days=1),
            ends_at=ends + dt.timedelta(days=1),
            reason="Trùng",
        )
    assert "không được trùng thời gian" in exc.value.message_dict["starts_at"][0]
    assert Delegation.objects.count() == 1


def test_back_to_back_delegations_do_not_overlap(province):
    role = province.chief.roles.get()
    starts, ends = _period(days=1)
    delegation_create(
        actor=province.chief.user,
        role_assignment=role,
        delegate=province.specialist,
        starts_at=starts,
        ends_at=ends,
        reason="Đợt 1",
    )
    delegation_create(
        actor=province.chief.user,
        role_assignment=role,
        delegate=province.clerk,
        starts_at=ends,
        ends_at=ends + dt.timedelta(days=1),
        reason="Đợt 2",
    )
    assert Delegation.objects.count() == 2


def test_a_revoked_delegation_no_longer_blocks_a_new_one(province):
    role = province.chief.roles.get()
    starts, ends = _period(hours_from_now=-1)
    first = delegation_create(
        actor=province.chief.user,
        role_assignment=role,
        delegate=province.specialist,
        starts_at=starts,
        ends_at=ends,
        reason="Đợt 1",
    )
    delegation_revoke(actor=province.chief.user, delegation=first)
    assert not can(_fresh_user(province.specialist), Capability.DIRECT, province.office)
    delegation_create(
        actor=province.chief.user,
        role_assignment=role,
        delegate=province.clerk,
        starts_at=starts,
        ends_at=ends,
        reason="Đổi người",
    )
    event = AuditEvent.objects.get(action="delegation.revoke")
    assert event.target_id == str(first.pk)
    assert event.before == {"revoked_at": None}


def test_revoking_twice_or_by_a_stranger_is_refused(province):
    starts, ends = _period()
    delegation = delegation_create(
        actor=province.chief.user,
        role_assignment=province.chief.roles.get(),
        delegate=province.specialist,
        starts_at=starts,
        ends_at=ends,
        reason="Đi công tác",
    )
    with pytest.raises(PermissionDenied):
        delegation_revoke(actor=province.clerk_x.user, delegation=delegation)
    delegation_revoke(actor=province.admin.user, delegation=delegation)
    with pytest.raises(ValidationError):
        delegation_revoke(actor=province.chief.user, delegation=delegation)


# --- Staff quotas ------------------------------------------------------------------------------


def test_admin_sets_and_then_changes_an_organisations_quota(province):
    quota = staff_quota_set(
        actor=province.admin.user, organization=province.office, approved=56, decision="QĐ 12"
    )
    assert quota.unit is None and quota.approved == 56
    staff_quota_set(actor=province.admin.user, organization=province.office, approved=58, decision="QĐ 30")
    quota.refresh_from_db()
    assert (quota.approved, quota.decision) == (58, "QĐ 30")
    assert StaffQuota.objects.count() == 1
    first, second = AuditEvent.objects.filter(action="staff_quota.set").order_by("seq")
    assert first.before is None
    assert second.before == {"approved": 56, "decision": "QĐ 12"}
    assert second.after["approved"] == 58


def test_a_unit_quota_is_separate_from_the_organisations(province):
    unit = UnitFactory(organization=province.office, name="Phòng Tổng hợp")
    staff_quota_set(actor=province.admin.user, organization=province.office, approved=56)
    staff_quota_set(actor=province.admin.user, organization=province.office, unit=unit, approved=8)
    assert StaffQuota.objects.get(unit=unit).approved == 8
    assert StaffQuota.objects.get(organization=province.office, unit__isnull=True).approved == 56


def test_quota_rejects_a_unit_of_another_organisation_and_negative_numbers(province):
    unit = UnitFactory(organization=province.commune_x)
    with pytest.raises(ValidationError) as exc:
        staff_quota_set(actor=province.admin.user, organization=province.office, unit=unit, approved=-1)
    assert set(exc.value.message_dict) == {"unit", "approved"}
    assert exc.value.message_dict["approved"] == ["Biên chế được giao không được âm."]
    assert not StaffQuota.objects.exists()


def test_only_managers_of_people_set_quotas(province):
    for person in (province.chief, province.leader, province.clerk_x):
        with pytest.raises(PermissionDenied):
            staff_quota_set(actor=person.user, organization=province.commune_x, approved=10)
    other = OrganizationFactory(name="Tỉnh ủy Khác", parent=province.centre)
    with pytest.raises(PermissionDenied):
        staff_quota_set(actor=province.admin.user, organization=other, approved=10)
    assert not AuditEvent.objects.filter(action="staff_quota.set").exists()
