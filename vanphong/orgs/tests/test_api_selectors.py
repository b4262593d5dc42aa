"""The shared reads behind the API and the pages (vanphong.orgs.selectors)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from vanphong.orgs import selectors
from vanphong.orgs.models import Role, StaffQuota
from vanphong.orgs.tests.factories import (
    OrganizationFactory,
    PersonFactory,
    RoleAssignmentFactory,
    UnitFactory,
    UserFactory,
)


def test_anyone_with_a_role_lists_the_whole_directory_including_external_bodies(province):
    names = set(selectors.organization_list(user=province.clerk_x.user).values_list("short_name", flat=True))
    assert {"Trung ương", "Tỉnh ủy", "Văn phòng", "ĐU An Phú", "ĐU Bình Minh"} <= names


def test_an_account_without_a_role_sees_an_empty_directory(province):
    loner = PersonFactory(organization=province.commune_x)
    assert not selectors.organization_list(user=loner.user).exists()
    assert not selectors.unit_list(user=loner.user).exists()
    assert not selectors.organization_list(user=UserFactory()).exists()


def test_organization_filters(province):
    user = province.clerk.user
    assert list(selectors.organization_list(user=user, hosted=False)) == [province.centre]
    assert set(selectors.organization_list(user=user, level="xa")) == {province.commune_x, province.commune_y}
    assert set(selectors.organization_list(user=user, parent=province.committee.pk)) == {
        province.office,
        province.commune_x,
        province.commune_y,
    }
    assert list(selectors.organization_list(user=user, q="vptu")) == [province.office]
    assert list(selectors.organization_list(user=user, q="Bình Minh")) == [province.commune_y]


def test_units_can_be_listed_per_organisation(province):
    finance = UnitFactory(organization=province.office, name="Phòng Tài chính")
    UnitFactory(organization=province.commune_x, name="Bộ phận Văn phòng")
    assert list(selectors.unit_list(user=province.clerk_x.user, organization=province.office)) == [finance]
    assert selectors.unit_list(user=province.clerk_x.user).count() == 2


def test_clerk_cannot_see_another_communes_people(province):
    people = set(selectors.person_list(user=province.clerk_x.user))
    assert people == {province.clerk_x}
    with pytest.raises(Http404):
        selectors.person_get(user=province.clerk_x.user, pk=province.clerk_y.pk)


def test_leader_sees_people_of_the_whole_subtree(province):
    people = set(selectors.person_list(user=province.leader.user))
    assert people == {
        province.leader,
        province.admin,
        province.chief,
        province.specialist,
        province.clerk,
        province.clerk_x,
        province.clerk_y,
    }


def test_people_filter_by_current_role_only(province):
    leader = province.leader.user
    assert list(selectors.person_list(user=leader, role=Role.VAN_THU)) == [
        province.clerk,
        province.clerk_x,
        province.clerk_y,
    ]
    former = PersonFactory(full_name="Cựu văn thư", organization=province.office)
    RoleAssignmentFactory(
        person=former,
        organization=province.committee,
        role=Role.VAN_THU,
        starts_on=dt.date(2020, 1, 1),
        ends_on=dt.date(2021, 1, 1),
    )
    assert former not in set(selectors.person_list(user=leader, role=Role.VAN_THU))
    assert former in set(selectors.person_list(user=leader, q="cựu"))


def test_people_come_with_their_current_roles_only(province):
    RoleAssignmentFactory(
        person=province.chief,
        organization=province.office,
        role=Role.CHUYEN_VIEN,
        starts_on=timezone.localdate() - dt.timedelta(days=400),
        ends_on=timezone.localdate() - dt.timedelta(days=1),
    )
    chief = selectors.person_get(user=province.leader.user, pk=province.chief.pk)
    assert [r.role for r in chief.current_roles] == [Role.LANH_DAO_VAN_PHONG]


def test_people_who_left_are_hidden_unless_asked_for(province):
    province.specialist.active = False
    province.specialist.save()
    assert province.specialist not in set(selectors.person_list(user=province.chief.user))
    assert province.specialist in set(selectors.person_list(user=province.chief.user, active=None))


def test_staffing_counts_active_people_toward_quota_per_organisation_and_unit(
    province, django_assert_max_num_queries
):
    finance = UnitFactory(organization=province.office, name="Phòng Tài chính", order=1)
    general = UnitFactory(organization=province.office, name="Phòng Tổng hợp", order=2)
    StaffQuota.objects.create(organization=province.office, approved=5)
    StaffQuota.objects.create(organization=province.office, unit=finance, approved=1)
    PersonFactory(organization=province.office, unit=finance)
    PersonFactory(organization=province.office, unit=finance)
    PersonFactory(organization=province.office, unit=finance, active=False)
    PersonFactory(organization=province.office, unit=general, counts_toward_quota=False)
    with django_assert_max_num_queries(4):
        rows = selectors.staffing_rows(user=province.chief.user)
        labels = [(r.organization.short_name, r.unit.name if r.unit else None) for r in rows]
    # The Chánh Văn phòng reads the committee the office works for (its row first), and the office.
    assert labels == [
        ("Tỉnh ủy", None),
        ("Văn phòng", None),
        ("Văn phòng", "Phòng Tài chính"),
        ("Văn phòng", "Phòng Tổng hợp"),
    ]
    _committee, office, fin, gen = rows
    # chief, specialist and clerk work in the Văn phòng, plus two counted newcomers
    assert (office.approved, office.filled, office.vacant, office.over) == (5, 5, 0, 0)
    assert (fin.approved, fin.filled, fin.vacant, fin.over) == (1, 2, 0, 1)
    assert (gen.approved, gen.filled, gen.vacant) == (None, 0, None)


def test_staffing_covers_the_leaders_subtree_but_not_external_bodies(province):
    OrganizationFactory(name="Sở Nội vụ", hosted=False, parent=province.committee)
    rows = selectors.staffing_rows(user=province.leader.user)
    assert [r.organization for r in rows] == [
        province.committee,
        province.office,
        province.commune_x,
        province.commune_y,
    ]
    assert [r.filled for r in rows] == [2, 3, 1, 1]
