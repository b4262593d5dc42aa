"""The access matrix: roles × organisations × clearance.

Every actor of the ``province`` fixture is checked against every record of a grid of
organisations and classifications. The expectations are written out by hand below, from
the rules, not derived from the code under test.
"""

from __future__ import annotations

import itertools

import pytest
from django.http import Http404

from vanphong.orgs.access import Capability, get_for_user, restrict, scope_for
from vanphong.orgs.models import Classification
from vanphong.orgs.tests.access.models import Dossier

ORGS = ("committee", "office", "commune_x", "commune_y", "centre")
LEVELS = tuple(Classification)

# Which organisations' records each actor reaches (READ), and their clearance.
READ_REACH = {
    "leader": {"committee", "office", "commune_x", "commune_y"},  # subtree of the Tỉnh ủy
    "admin": {"committee", "office", "commune_x", "commune_y"},  # subtree, but clearance none
    "chief": {"office"},
    "specialist": {"office"},
    "clerk": {"committee"},  # keeps the Tỉnh ủy's books, not the Văn phòng's own
    "clerk_x": {"commune_x"},
    "clerk_y": {"commune_y"},
}
CLEARANCE = {
    "leader": Classification.TUYET_MAT,
    "admin": Classification.NONE,
    "chief": Classification.TOI_MAT,
    "specialist": Classification.NONE,
    "clerk": Classification.MAT,
    "clerk_x": Classification.NONE,
    "clerk_y": Classification.NONE,
}
WRITE_REACH = {
    "leader": READ_REACH["leader"],
    "admin": set(),  # administrators manage people, they do not write the office's records
    "chief": {"office"},
    "specialist": {"office"},
    "clerk": {"committee"},
    "clerk_x": {"commune_x"},
    "clerk_y": {"commune_y"},
}
REGISTER_REACH = {
    "leader": set(),
    "admin": set(),
    "chief": {"office"},
    "specialist": set(),
    "clerk": {"committee"},
    "clerk_x": {"commune_x"},
    "clerk_y": {"commune_y"},
}
REACH = {Capability.READ: READ_REACH, Capability.WRITE: WRITE_REACH, Capability.REGISTER: REGISTER_REACH}


@pytest.fixture
def grid(province):
    """One record per organisation and classification level."""
    records = {}
    for org_name, level in itertools.product(ORGS, LEVELS):
        org = getattr(province, org_name)
        records[org_name, level] = Dossier.objects.create(
            organization=org, classification=level, title=f"{org_name}-{level.label}"
        )
    return records


def expected(actor: str, capability: Capability, grid) -> set[int]:
    return {
        record.pk
        for (org_name, level), record in grid.items()
        if org_name in REACH[capability][actor] and level <= CLEARANCE[actor]
    }


@pytest.mark.parametrize("capability", list(REACH))
@pytest.mark.parametrize("actor", list(READ_REACH))
def test_lists_hold_exactly_what_the_rules_allow(province, grid, actor, capability):
    user = getattr(province, actor).user
    visible = set(restrict(Dossier.objects.all(), user, capability=capability).values_list("pk", flat=True))
    assert visible == expected(actor, capability, grid)


@pytest.mark.parametrize("actor", list(READ_REACH))
def test_every_record_outside_reach_answers_404(province, grid, actor):
    user = getattr(province, actor).user
    allowed = expected(actor, Capability.READ, grid)
    for record in grid.values():
        if record.pk in allowed:
            assert get_for_user(Dossier.objects.all(), user, record.pk) == record
        else:
            with pytest.raises(Http404):
                get_for_user(Dossier.objects.all(), user, record.pk)


@pytest.mark.parametrize("actor", list(READ_REACH))
def test_nobody_may_change_what_is_not_theirs(province, grid, actor):
    user = getattr(province, actor).user
    allowed = expected(actor, Capability.WRITE, grid)
    for record in grid.values():
        if record.pk not in allowed:
            with pytest.raises(Http404):
                get_for_user(Dossier.objects.all(), user, record.pk, capability=Capability.WRITE)


def test_the_list_is_filtered_in_one_sql_query(province, grid, django_assert_num_queries):
    user = province.leader.user
    scope_for(user)  # computed once per request from the person's roles and delegations
    with django_assert_num_queries(1):
        rows = list(restrict(Dossier.objects.all(), user))
    assert len(rows) == 16


def test_the_scope_costs_two_queries_and_is_memoised(province, django_assert_num_queries):
    user = province.clerk.user
    with django_assert_num_queries(2):
        scope_for(user)
    with django_assert_num_queries(0):
        scope_for(user)


def test_unknown_or_malformed_ids_answer_404(province, grid):
    user = province.leader.user
    for pk in (10**9, "abc", None):
        with pytest.raises(Http404):
            get_for_user(Dossier.objects.all(), user, pk)
