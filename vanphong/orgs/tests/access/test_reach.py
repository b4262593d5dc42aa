"""What widens and narrows a person's reach: delegation, role periods, deactivation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils import timezone

from vanphong.orgs.access import Capability, can, compute_scope, restrict, scope_for
from vanphong.orgs.models import Classification, Delegation, RoleAssignment
from vanphong.orgs.tests.access.models import Dossier
from vanphong.orgs.tests.factories import UserFactory


def visible_titles(user, **kwargs):
    return set(restrict(Dossier.objects.all(), user, **kwargs).values_list("title", flat=True))


@pytest.fixture
def records(province):
    for org in ("committee", "commune_x", "commune_y"):
        for level in (Classification.NONE, Classification.MAT):
            Dossier.objects.create(
                organization=getattr(province, org), classification=level, title=f"{org}-{level.value}"
            )


def delegate(province, *, from_person, to_person, starts, ends, revoked=False):
    assignment = from_person.roles.get()
    return Delegation.objects.create(
        role_assignment=assignment,
        delegate=to_person,
        starts_at=starts,
        ends_at=ends,
        reason="Đi công tác",
        created_by=from_person,
        revoked_at=timezone.now() if revoked else None,
    )


def test_a_delegate_reaches_the_delegators_organisation_during_the_period(province, records):
    now = timezone.now()
    delegate(
        province,
        from_person=province.clerk_x,
        to_person=province.clerk_y,
        starts=now - dt.timedelta(hours=1),
        ends=now + dt.timedelta(days=3),
    )
    assert visible_titles(province.clerk_y.user) == {"commune_y-0", "commune_x-0"}


def test_a_delegate_keeps_their_own_clearance(province, records):
    """Delegation hands over a role, never a clearance: clerk (Mật) delegating to
    clerk_y (none) does not let clerk_y read the Mật records."""
    now = timezone.now()
    delegate(
        province,
        from_person=province.clerk,
        to_person=province.clerk_y,
        starts=now - dt.timedelta(hours=1),
        ends=now + dt.timedelta(days=1),
    )
    assert "committee-0" in visible_titles(province.clerk_y.user)
    assert "committee-1" not in visible_titles(province.clerk_y.user)


@pytest.mark.parametrize(
    ("starts", "ends", "revoked"),
    [
        (dt.timedelta(days=-5), dt.timedelta(days=-1), False),  # over
        (dt.timedelta(days=1), dt.timedelta(days=5), False),  # not yet
        (dt.timedelta(hours=-1), dt.timedelta(days=5), True),  # revoked
    ],
)
def test_a_delegation_outside_its_period_or_revoked_gives_nothing(province, records, starts, ends, revoked):
    now = timezone.now()
    delegate(
        province,
        from_person=province.clerk_x,
        to_person=province.clerk_y,
        starts=now + starts,
        ends=now + ends,
        revoked=revoked,
    )
    assert visible_titles(province.clerk_y.user) == {"commune_y-0"}


def test_a_role_that_has_ended_or_not_started_gives_nothing(province, records):
    today = timezone.localdate()
    RoleAssignment.objects.filter(person=province.clerk_x).update(
        starts_on=today - dt.timedelta(days=30), ends_on=today - dt.timedelta(days=1)
    )
    RoleAssignment.objects.filter(person=province.clerk_y).update(starts_on=today + dt.timedelta(days=1))
    assert visible_titles(province.clerk_x.user) == set()
    assert visible_titles(province.clerk_y.user) == set()


def test_a_role_ending_today_still_counts_today(province, records):
    RoleAssignment.objects.filter(person=province.clerk_x).update(ends_on=timezone.localdate())
    assert visible_titles(province.clerk_x.user) == {"commune_x-0"}


def test_deactivated_people_accounts_and_organisations_reach_nothing(province, records):
    province.clerk_x.active = False
    province.clerk_x.save()
    province.clerk_y.user.is_active = False
    province.clerk_y.user.save()
    assert visible_titles(province.clerk_x.user) == set()
    assert visible_titles(province.clerk_y.user) == set()
    province.commune_x.active = False
    province.commune_x.save()
    province.clerk_x.active = True
    province.clerk_x.save()
    assert compute_scope(province.clerk_x).grants == ()


def test_accounts_without_a_person_and_anonymous_visitors_reach_nothing(province, records):
    assert visible_titles(UserFactory(username="orphan")) == set()
    assert visible_titles(AnonymousUser()) == set()
    assert not can(AnonymousUser(), Capability.READ)


def test_extra_reach_for_named_people_is_still_capped_by_clearance(province, records):
    """Records that name the reader directly (a recipient, an assignee) can be added to
    the reach, but never above the reader's clearance."""
    extra = Q(title__startswith="committee")
    assert visible_titles(province.clerk_x.user, extra=extra) == {"commune_x-0", "committee-0"}


def test_can_answers_per_organisation(province):
    leader = province.leader.user
    assert can(leader, Capability.DIRECT, province.commune_x)
    assert not can(leader, Capability.REGISTER, province.committee)
    assert can(province.clerk.user, Capability.REGISTER, province.committee)
    assert not can(province.clerk.user, Capability.REGISTER, province.office)
    assert can(province.admin.user, Capability.MANAGE_PEOPLE, province.commune_y)
    assert not can(province.admin.user, Capability.MANAGE_PEOPLE, province.centre)


def test_nested_subtree_grants_collapse_into_one_prefix(province):
    RoleAssignment.objects.create(
        person=province.leader, organization=province.commune_x, role="lanh_dao_cap_uy"
    )
    scope = scope_for(province.leader.user)
    q = scope.org_q(Capability.READ)
    assert str(q).count("path__startswith") == 1
