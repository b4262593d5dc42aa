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
from vanphong.orgs.models import Classification, OrgKind, Role
from vanphong.orgs.tests.access.models import Dossier
from vanphong.orgs.tests.factories import OrganizationFactory, make_actor

# office_x: the Văn phòng of Đảng ủy xã An Phú (added here), where chief_x leads.
ORGS = ("committee", "office", "commune_x", "commune_y", "centre", "office_x")
LEVELS = tuple(Classification)

# Which organisations' records each actor reaches (READ), and their clearance.
READ_REACH = {
    "leader": {"committee", "office", "commune_x", "commune_y", "office_x"},  # subtree of the Tỉnh ủy
    "admin": {"committee", "office", "commune_x", "commune_y", "office_x"},  # subtree, clearance none
    "chief": {"office", "committee"},  # the office works for its committee
    "specialist": {"office"},  # reads only what is assigned to them in the Tỉnh ủy
    "clerk": {"committee"},  # keeps the Tỉnh ủy's books, not the Văn phòng's own
    "office_clerk": {"office", "committee"},  # văn thư of the office keeps the Tỉnh ủy's books too
    "chief_x": {"office_x", "commune_x"},  # a commune's office: its own committee only
    "clerk_x": {"commune_x"},
    "clerk_y": {"commune_y"},
}
CLEARANCE = {
    "leader": Classification.TUYET_MAT,
    "admin": Classification.NONE,
    "chief": Classification.TOI_MAT,
    "specialist": Classification.NONE,
    "clerk": Classification.MAT,
    "office_clerk": Classification.MAT,
    "chief_x": Classification.MAT,
    "clerk_x": Classification.NONE,
    "clerk_y": Classification.NONE,
}
WRITE_REACH = {
    "leader": READ_REACH["leader"],
    "admin": set(),  # administrators manage people, they do not write the office's records
    "chief": {"office", "committee"},
    "specialist": {"office", "committee"},  # drafts the Tỉnh ủy's documents (WRITE without READ)
    "clerk": {"committee"},
    "office_clerk": {"office", "committee"},
    "chief_x": {"office_x", "commune_x"},
    "clerk_x": {"commune_x"},
    "clerk_y": {"commune_y"},
}
REGISTER_REACH = {
    "leader": set(),
    "admin": set(),
    "chief": {"office", "committee"},  # presents the Tỉnh ủy's documents on
    "specialist": set(),
    "clerk": {"committee"},
    "office_clerk": {"office", "committee"},
    "chief_x": {"office_x", "commune_x"},
    "clerk_x": {"commune_x"},
    "clerk_y": {"commune_y"},
}
DIRECT_REACH = {
    "leader": READ_REACH["leader"],
    "admin": set(),
    "chief": {"office"},  # never DIRECT on the committee: only its routine documents (below)
    "specialist": set(),
    "clerk": set(),
    "office_clerk": set(),
    "chief_x": {"office_x"},
    "clerk_x": set(),
    "clerk_y": set(),
}
DIRECT_ROUTINE_REACH = {actor: set() for actor in READ_REACH} | {
    "chief": {"committee"},
    "chief_x": {"commune_x"},
}
REACH = {
    Capability.READ: READ_REACH,
    Capability.WRITE: WRITE_REACH,
    Capability.REGISTER: REGISTER_REACH,
    Capability.DIRECT: DIRECT_REACH,
    Capability.DIRECT_ROUTINE: DIRECT_ROUTINE_REACH,
}


@pytest.fixture
def actors(province):
    """The province's people, with a văn thư of the Văn phòng Tỉnh ủy and a commune whose
    office has a Chánh Văn phòng."""
    office_x = OrganizationFactory(
        name="Văn phòng Đảng ủy xã An Phú",
        short_name="Văn phòng",
        abbreviation="VPĐU",
        kind=OrgKind.AGENCY,
        parent=province.commune_x,
        is_office=True,
    )
    province.office_x = office_x
    found = {name: getattr(province, name) for name in READ_REACH if hasattr(province, name)}
    found["office_clerk"] = make_actor(
        "office_clerk", province.office, Role.VAN_THU, clearance=Classification.MAT
    )
    found["chief_x"] = make_actor("chief_x", office_x, Role.LANH_DAO_VAN_PHONG, clearance=Classification.MAT)
    return found


@pytest.fixture
def grid(province, actors):
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
def test_lists_hold_exactly_what_the_rules_allow(actors, grid, actor, capability):
    user = actors[actor].user
    visible = set(restrict(Dossier.objects.all(), user, capability=capability).values_list("pk", flat=True))
    assert visible == expected(actor, capability, grid)


@pytest.mark.parametrize("actor", list(READ_REACH))
def test_every_record_outside_reach_answers_404(actors, grid, actor):
    user = actors[actor].user
    allowed = expected(actor, Capability.READ, grid)
    for record in grid.values():
        if record.pk in allowed:
            assert get_for_user(Dossier.objects.all(), user, record.pk) == record
        else:
            with pytest.raises(Http404):
                get_for_user(Dossier.objects.all(), user, record.pk)


@pytest.mark.parametrize("actor", list(READ_REACH))
def test_nobody_may_change_what_is_not_theirs(actors, grid, actor):
    user = actors[actor].user
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
    assert len(rows) == 20


@pytest.mark.parametrize("actor", ["clerk", "chief", "specialist"])
def test_the_scope_costs_two_queries_and_is_memoised(province, django_assert_num_queries, actor):
    """The office's grants on its committee come with the role's row: no query more."""
    user = getattr(province, actor).user
    with django_assert_num_queries(2):
        scope_for(user)
    with django_assert_num_queries(0):
        scope_for(user)


def test_unknown_or_malformed_ids_answer_404(province, grid):
    user = province.leader.user
    for pk in (10**9, "abc", None):
        with pytest.raises(Http404):
            get_for_user(Dossier.objects.all(), user, pk)
