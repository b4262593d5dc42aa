"""An organisation sees its own tasks and those it assigned; classified tasks need clearance
and need-to-know; the Văn phòng sees what its committee gave."""

from __future__ import annotations

import pytest
from django.http import Http404

from vanphong.orgs.models import Classification, Role
from vanphong.orgs.tests.factories import make_actor
from vanphong.tasks.access import get_task, visible_tasks
from vanphong.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def give(actor, organization, lead, **kw):
    return TaskFactory(actor=actor, organization=organization, lead=lead, **kw)


def ids(user):
    return set(visible_tasks(user).values_list("pk", flat=True))


def test_an_organisation_sees_its_own_tasks_and_those_it_assigned(province):
    leader_x = make_actor("leader_x", province.commune_x, Role.LANH_DAO_CAP_UY)
    to_x = give(province.leader.user, province.committee, province.commune_x, title="Giao xã An Phú")
    to_y = give(province.leader.user, province.committee, province.commune_y, title="Giao xã Bình Minh")
    # Across communes: refused today (orgs.selectors.party_refusal), but a task given before
    # the rule, or after a reorganisation, is still seen by both sides.
    x_to_y = give(
        leader_x.user,
        province.commune_x,
        province.commune_y,
        title="An Phú nhờ Bình Minh",
        check_access=False,
    )
    shared = give(
        province.leader.user, province.committee, province.commune_y, cooperating=[province.commune_x]
    )
    assert ids(province.clerk_x.user) == {to_x.pk, x_to_y.pk, shared.pk}
    assert ids(province.clerk_y.user) == {to_y.pk, x_to_y.pk, shared.pk}
    assert ids(province.leader.user) == {to_x.pk, to_y.pk, x_to_y.pk, shared.pk}
    # The Văn phòng follows up what the committee gave, not what a commune gave another.
    assert ids(province.specialist.user) == {to_x.pk, to_y.pk, shared.pk}
    # Administrators hold READ over the committee's tree (the access matrix), as for documents.
    assert ids(province.admin.user) == {to_x.pk, to_y.pk, x_to_y.pk, shared.pk}
    with pytest.raises(Http404):
        get_task(province.clerk_x.user, to_y.pk)
    assert get_task(province.clerk_y.user, to_y.pk) == to_y


def test_a_classified_task_needs_clearance_and_need_to_know(province):
    secret = give(
        province.leader.user, province.committee, province.commune_x, classification=Classification.MAT
    )
    # The commune's clerk keeps its books but has no clearance.
    assert secret.pk not in ids(province.clerk_x.user)
    cleared_x = make_actor("cleared_x", province.commune_x, Role.VAN_THU, clearance=Classification.MAT)
    assert secret.pk in ids(cleared_x.user)
    # Cleared, but an ordinary specialist of the commune is not a keeper, and not named.
    plain_x = make_actor("plain_x", province.commune_x, Role.CHUYEN_VIEN, clearance=Classification.MAT)
    assert secret.pk not in ids(plain_x.user)
    named = give(
        province.leader.user,
        province.committee,
        plain_x,
        classification=Classification.MAT,
        title="Giao đích danh",
    )
    assert named.pk in ids(plain_x.user)
    top = give(
        province.leader.user, province.committee, province.commune_x, classification=Classification.TUYET_MAT
    )
    assert top.pk not in ids(cleared_x.user) and top.pk not in ids(province.chief.user)
    assert top.pk in ids(province.leader.user)
    with pytest.raises(Http404):
        get_task(cleared_x.user, top.pk)


def test_a_cooperating_unit_makes_the_task_visible_to_its_organisation(province):
    from vanphong.orgs.tests.factories import UnitFactory

    unit = UnitFactory(organization=province.commune_y, name="Ban Xây dựng Đảng")
    task = give(province.leader.user, province.committee, province.commune_x, cooperating=[unit])
    assert task.pk in ids(province.clerk_y.user)
