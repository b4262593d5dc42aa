"""Who may be named lead or cooperating party of a task: one rule (``orgs.selectors``), applied
by the service whatever the door (API, page), and the same rule behind the picker.

The rule, from the organisation giving the task: its subtree (itself included), active; the
units and active people of itself and of the organisations directly under it; a person only
when cleared for the task's classification. A task may be given to a body under the giver
that does not use the system (the giver's Văn phòng reports for it)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from vanphong.api.tests.helpers import assert_error
from vanphong.orgs.models import Classification, Organization, Person, Role, Unit
from vanphong.orgs.selectors import party_refusal, party_scope
from vanphong.orgs.tests.factories import OrganizationFactory, PersonFactory, UnitFactory, make_actor
from vanphong.tasks import services
from vanphong.tasks.models import Task
from vanphong.tasks.selectors import party_targets
from vanphong.tasks.tests.factories import give_task
from vanphong.tasks.tests.test_api_support import URL, post

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
SIBLING = "“Đảng ủy xã Bình Minh” không thuộc phạm vi giao việc của Đảng ủy xã An Phú."
ABOVE = "“Tỉnh ủy Thử nghiệm” không thuộc phạm vi giao việc của Đảng ủy xã An Phú."


@pytest.fixture(autouse=True)
def _pages_without_second_factor(settings, tmp_path):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def leader_x(province):
    """The Bí thư of Đảng ủy xã An Phú: directs there, so gives tasks in its name."""
    return make_actor("leader_x", province.commune_x, Role.LANH_DAO_CAP_UY)


@pytest.fixture
def tree(province):
    """Under the fixture's province: a party cell under the commune, units, people who left,
    a commune that was merged away, and a body under the Tỉnh ủy that does not use the system."""
    hamlet = OrganizationFactory(
        name="Chi bộ thôn Phú Hòa", short_name="CB Phú Hòa", parent=province.commune_x
    )
    merged = OrganizationFactory(
        name="Đảng ủy xã Cũ", short_name="ĐU Cũ", parent=province.committee, active=False
    )
    outside = OrganizationFactory(
        name="Ban cán sự đảng UBND tỉnh", short_name="BCS UBND", parent=province.committee, hosted=False
    )
    return {
        "hamlet": hamlet,
        "merged": merged,
        "outside": outside,
        "unit_office": UnitFactory(organization=province.office, name="Phòng Tổng hợp"),
        "unit_x": UnitFactory(organization=province.commune_x, name="Văn phòng Đảng ủy"),
        "unit_y": UnitFactory(organization=province.commune_y, name="Văn phòng Đảng ủy"),
        "unit_hamlet": UnitFactory(organization=hamlet, name="Tổ Đảng 1"),
        "unit_closed": UnitFactory(organization=province.commune_x, name="Ban đã giải thể", active=False),
        "unit_merged": UnitFactory(organization=merged, name="Văn phòng Đảng ủy"),
        "member_hamlet": PersonFactory(full_name="Lê Thị Hòa", organization=hamlet),
        "left_x": PersonFactory(full_name="Trần Văn Nghỉ", organization=province.commune_x, active=False),
        "cleared_x": PersonFactory(
            full_name="Phạm Văn Mật", organization=province.commune_x, clearance=Classification.MAT
        ),
        "person_merged": PersonFactory(full_name="Đỗ Văn Cũ", organization=merged),
    }


def everyone() -> list[Organization | Unit | Person]:
    return [*Organization.objects.all(), *Unit.objects.all(), *Person.objects.all()]


def value(target: Organization | Unit | Person) -> str:
    return f"{type(target).__name__.lower()}:{target.pk}"


def offered(choices: list) -> set[str]:
    return {v for _group, options in choices for v, _label in options}


# --- The rule ----------------------------------------------------------------------------------


def test_the_scope_of_a_commune_is_its_subtree_and_its_own_and_its_childrens_people(province, tree, leader_x):
    scope = party_scope(province.commune_x, outside_bodies=True)
    assert set(scope.organizations) == {province.commune_x, tree["hamlet"]}
    assert set(scope.units) == {tree["unit_x"], tree["unit_hamlet"]}
    assert set(scope.people) == {province.clerk_x, leader_x, tree["cleared_x"], tree["member_hamlet"]}
    assert party_refusal(province.commune_x, province.commune_y) == SIBLING
    assert party_refusal(province.commune_x, province.committee) == ABOVE
    assert party_refusal(province.commune_x, province.clerk_y) == (
        "“clerk_y — ĐU Bình Minh” không thuộc phạm vi giao việc của Đảng ủy xã An Phú."
    )
    assert party_refusal(province.commune_x, tree["unit_y"]).startswith("“Văn phòng Đảng ủy — ĐU Bình Minh”")
    for target in (tree["hamlet"], tree["unit_hamlet"], tree["member_hamlet"], province.clerk_x):
        assert party_refusal(province.commune_x, target) is None


def test_the_committee_names_its_whole_subtree_but_only_the_people_one_level_down(province, tree):
    committee = province.committee
    assert party_refusal(committee, tree["hamlet"]) is None  # an organisation anywhere below
    assert (
        party_refusal(committee, tree["unit_x"]) is None
        and party_refusal(committee, province.clerk_y) is None
    )
    hamlet_refusal = "không thuộc phạm vi giao việc của Tỉnh ủy Thử nghiệm."
    assert party_refusal(committee, tree["unit_hamlet"]).endswith(hamlet_refusal)  # its units and people:
    assert party_refusal(committee, tree["member_hamlet"]).endswith(hamlet_refusal)  # the commune's to name
    assert party_refusal(committee, province.centre, outside_bodies=True) == (
        "“Ban Chấp hành Trung ương” không thuộc phạm vi giao việc của Tỉnh ủy Thử nghiệm."
    )


def test_inactive_outside_and_uncleared_parties_are_refused_with_their_own_reason(province, tree):
    committee = province.committee
    gone = "không còn hoạt động, công tác."
    for target in (
        tree["merged"],
        tree["unit_closed"],
        tree["unit_merged"],
        tree["left_x"],
        tree["person_merged"],
    ):
        assert party_refusal(committee, target).endswith(gone), target
    # A body not using the system: a task may name it, a direction may not.
    assert party_refusal(committee, tree["outside"], outside_bodies=True) is None
    assert party_refusal(committee, tree["outside"]) == (
        "“Ban cán sự đảng UBND tỉnh” không dùng hệ thống này, không giao việc được."
    )
    # Clearance: a person must be cleared for the item's classification.
    assert party_refusal(committee, province.clerk_x, classification=Classification.MAT) == (
        "“clerk_x — ĐU An Phú” không được tiếp cận văn bản, nhiệm vụ có độ mật “Mật”."
    )
    assert party_refusal(committee, province.chief, classification=Classification.TOI_MAT) is None
    assert party_refusal(committee, tree["cleared_x"], classification=Classification.MAT) is None
    assert party_refusal(committee, tree["cleared_x"], classification=Classification.TOI_MAT) is not None
    # Out of scope and uncleared: the scope is the reason given.
    assert "không thuộc phạm vi" in party_refusal(
        province.commune_y, province.clerk_x, classification=Classification.MAT
    )


# --- The service, through every door -------------------------------------------------------------


def test_the_api_refuses_a_sibling_commune_or_the_province_committee_as_lead(client, province, leader_x):
    data = {
        "organization": province.commune_x.pk,
        "title": "Báo cáo kết quả chuyển đổi số",
        "due_date": (TODAY + dt.timedelta(days=10)).isoformat(),
    }
    for lead, message in ((province.commune_y, SIBLING), (province.committee, ABOVE)):
        error = assert_error(
            post(client, leader_x, URL, {**data, "lead": {"organization": lead.pk}}), 400, "invalid"
        )
        assert error["fields"]["lead"] == [message]
    error = assert_error(
        post(
            client,
            leader_x,
            URL,
            {
                **data,
                "lead": {"organization": province.commune_x.pk},
                "cooperating": [{"person": province.clerk_x.pk}, {"organization": province.commune_y.pk}],
            },
        ),
        400,
        "invalid",
    )
    assert error["fields"]["cooperating"] == [SIBLING]
    assert not Task.objects.exists()
    # Its own commune, its own people: given.
    response = post(
        client,
        leader_x,
        URL,
        {
            **data,
            "lead": {"organization": province.commune_x.pk},
            "cooperating": [{"person": province.clerk_x.pk}],
        },
    )
    assert response.status_code == 201, response.content[:500]


def test_the_api_refuses_an_uncleared_person_on_a_classified_task(client, province):
    data = {
        "organization": province.committee.pk,
        "title": "Rà soát công tác bảo vệ bí mật nhà nước",
        "due_date": (TODAY + dt.timedelta(days=10)).isoformat(),
        "classification": "mat",
    }
    error = assert_error(
        post(client, province.leader, URL, {**data, "lead": {"person": province.specialist.pk}}),
        400,
        "invalid",
    )
    assert error["fields"]["lead"] == [
        "“specialist — Văn phòng” không được tiếp cận văn bản, nhiệm vụ có độ mật “Mật”."
    ]
    assert (
        post(client, province.leader, URL, {**data, "lead": {"person": province.chief.pk}}).status_code == 201
    )


def test_the_page_refuses_a_sibling_commune_and_writes_nothing(client, province, leader_x):
    client.force_login(leader_x.user)
    html = client.get(reverse("tasks:create")).content.decode()
    assert f'value="organization:{province.commune_x.pk}"' in html
    assert f'value="organization:{province.commune_y.pk}"' not in html
    assert f'value="organization:{province.committee.pk}"' not in html
    data = {
        "organization": province.commune_x.pk,
        "title": "Báo cáo kết quả chuyển đổi số",
        "due_date": f"{TODAY + dt.timedelta(days=10):%d/%m/%Y}",
        "priority": "1",
        "classification": "",
        "source_kind": "manual",
    }
    for lead in (province.commune_y, province.committee):
        response = client.post(reverse("tasks:create"), {**data, "lead": value(lead)})
        assert response.status_code == 400
        assert response.context["form"].errors["lead"]
    response = client.post(
        reverse("tasks:create"),
        {**data, "lead": value(province.commune_x), "cooperating": [value(province.commune_y)]},
    )
    assert response.status_code == 400 and response.context["form"].errors["cooperating"]
    assert not Task.objects.exists()


def test_the_page_shows_the_services_refusal_of_an_uncleared_person(client, province):
    client.force_login(province.chief.user)
    data = {
        "organization": province.committee.pk,
        "title": "Rà soát công tác bảo vệ bí mật nhà nước",
        "lead": value(province.specialist),
        "due_date": f"{TODAY + dt.timedelta(days=10):%d/%m/%Y}",
        "priority": "1",
        "classification": str(Classification.MAT),
        "source_kind": "manual",
    }
    response = client.post(reverse("tasks:create"), data)
    assert response.status_code == 400 and not Task.objects.exists()
    assert "“specialist — Văn phòng” không được tiếp cận văn bản, nhiệm vụ có độ mật “Mật”." in (
        response.content.decode()
    )


def test_a_lead_breaking_its_task_down_names_only_its_own(province, leader_x):
    task = give_task(
        actor=province.leader.user,
        organization=province.committee,
        title="Tổng kết công tác dân vận",
        lead=province.commune_x,
        due_date=TODAY + dt.timedelta(days=30),
    )
    with pytest.raises(ValidationError) as error:
        give_task(
            actor=leader_x.user,
            organization=province.commune_x,
            title="Phần việc của xã Bình Minh",
            lead=province.commune_y,
            parent=task,
            due_date=TODAY + dt.timedelta(days=20),
        )
    assert error.value.message_dict["lead"] == [SIBLING]
    child = give_task(
        actor=leader_x.user,
        organization=province.commune_x,
        title="Phần việc của văn thư",
        lead=province.clerk_x,
        parent=task,
        due_date=TODAY + dt.timedelta(days=20),
    )
    assert child.parent == task


def test_a_task_may_still_be_given_to_a_body_that_does_not_use_the_system(province, tree):
    task = give_task(
        actor=province.chief.user,
        organization=province.committee,
        title="Báo cáo tình hình kinh tế - xã hội",
        lead=tree["outside"],
        due_date=TODAY + dt.timedelta(days=30),
    )
    assert task.lead_organization == tree["outside"]


# --- The picker is the rule ----------------------------------------------------------------------


@pytest.mark.parametrize("giver_name", ["committee", "office", "commune_x"])
def test_the_picker_offers_exactly_whom_the_service_accepts(province, tree, leader_x, giver_name):
    giver = getattr(province, giver_name)
    choices = offered(party_targets(giver))
    for target in everyone():
        try:
            services.task_validate(
                actor=province.leader.user,
                organization=giver,
                title="Nhiệm vụ",
                lead=target,
                check_access=True,
            )
            accepted = True
        except ValidationError as error:
            assert set(error.message_dict) == {"lead"}, error.message_dict
            accepted = False
        assert (value(target) in choices) == accepted, (giver, target)
    assert offered(party_targets(None)) == set()
