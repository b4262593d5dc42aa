"""Who may be named on a direction (bút phê) on an incoming document: the rule of tasks
(``orgs.selectors.party_refusal``), given by the organisation whose book holds the entry —
not by the reach of the leader who directs — for the API, the page and the picker alike."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from vanphong.api.tests.helpers import assert_error, bearer
from vanphong.documents.models import Assignment, Direction
from vanphong.documents.selectors.direction import direction_targets
from vanphong.documents.services.incoming import incoming_direct, incoming_register
from vanphong.orgs.models import Classification, Organization, Person, Role, Unit
from vanphong.orgs.tests.factories import OrganizationFactory, PersonFactory, UnitFactory, make_actor
from vanphong.tasks.models import Task

pytestmark = pytest.mark.django_db
DUE = timezone.localdate() + dt.timedelta(days=10)
SIBLING = "“Đảng ủy xã Bình Minh” không thuộc phạm vi giao việc của Đảng ủy xã An Phú."
ABOVE = "“Tỉnh ủy Thử nghiệm” không thuộc phạm vi giao việc của Đảng ủy xã An Phú."


@pytest.fixture(autouse=True)
def _pages_without_second_factor(settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"


@pytest.fixture
def leader_x(province):
    """The Bí thư of Đảng ủy xã An Phú: directs on what its book receives."""
    return make_actor("leader_x", province.commune_x, Role.LANH_DAO_CAP_UY)


@pytest.fixture
def entry_x(province, books):
    """A document received in Đảng ủy xã An Phú's book."""
    return incoming_register(
        actor=province.clerk_x.user,
        organization=province.commune_x,
        symbol="25-CV/TU",
        subject="Về việc triển khai văn phòng số đến các đảng ủy xã",
        issued_date=timezone.localdate(),
    )


def direct_url(entry):
    return reverse("documents:incoming_direct", args=[entry.pk])


def page_data(target, role="lead"):
    return {
        "text": "Giao xử lý",
        "pc-TOTAL_FORMS": "1",
        "pc-INITIAL_FORMS": "0",
        "pc-0-target": target,
        "pc-0-role": role,
        "pc-0-due_date": f"{DUE:%d/%m/%Y}",
    }


def value(target):
    return f"{type(target).__name__.lower()}:{target.pk}"


def offered(choices):
    return {v for _group, options in choices for v, _label in options}


def nothing_written():
    return not (Direction.objects.exists() or Assignment.objects.exists() or Task.objects.exists())


def test_the_api_refuses_a_sibling_commune_or_the_province_committee(client, province, leader_x, entry_x):
    url = f"/api/v1/incoming/{entry_x.pk}/directions/"
    for lead, message in ((province.commune_y, SIBLING), (province.committee, ABOVE)):
        response = client.post(
            url,
            {
                "text": "Giao xử lý",
                "assignments": [
                    {"organization": province.commune_x.pk, "role": "inform"},
                    {"organization": lead.pk, "role": "lead", "due_date": DUE.isoformat()},
                ],
            },
            content_type="application/json",
            **bearer(leader_x.user),
        )
        error = assert_error(response, 400, "invalid")
        assert error["fields"]["assignments"] == [f"Phân công thứ 2: {message}"]
    assert nothing_written()
    response = client.post(
        url,
        {
            "text": "Giao văn thư tham mưu",
            "assignments": [{"person": province.clerk_x.pk, "role": "lead", "due_date": DUE.isoformat()}],
        },
        content_type="application/json",
        **bearer(leader_x.user),
    )
    assert response.status_code == 201, response.content[:500]
    task = Task.objects.get()
    assert task.organization == province.commune_x and task.lead_person == province.clerk_x


def test_the_giver_is_the_entrys_organisation_not_the_reach_of_the_leader(client, province, entry_x):
    """The Bí thư of the Tỉnh ủy reaches both communes, yet on An Phú's document names only
    what An Phú may name: for Bình Minh, the Tỉnh ủy gives a task itself."""
    response = client.post(
        f"/api/v1/incoming/{entry_x.pk}/directions/",
        {
            "text": "Giao xã Bình Minh",
            "assignments": [{"organization": province.commune_y.pk, "role": "cooperate"}],
        },
        content_type="application/json",
        **bearer(province.leader.user),
    )
    assert assert_error(response, 400, "invalid")["fields"]["assignments"] == [f"Phân công thứ 1: {SIBLING}"]
    assert nothing_written()


def test_a_person_named_for_information_only_is_checked_too(province, leader_x, entry_x):
    with pytest.raises(ValidationError) as error:
        incoming_direct(
            actor=leader_x.user,
            entry=entry_x,
            text="Để biết",
            assignments=[{"person": province.clerk_y, "role": "inform"}],
        )
    assert error.value.message_dict["assignments"] == [
        "Phân công thứ 1: “clerk_y — ĐU Bình Minh” không thuộc phạm vi giao việc của Đảng ủy xã An Phú."
    ]
    assert nothing_written()


@pytest.mark.parametrize("who", ["leader_x", "leader"])
def test_the_page_offers_and_accepts_only_the_entrys_organisation_scope(
    client, province, leader_x, entry_x, who
):
    person = leader_x if who == "leader_x" else province.leader
    client.force_login(person.user)
    html = client.get(reverse("documents:entry_detail", args=[entry_x.pk])).content.decode()
    assert f'value="{value(province.commune_x)}"' in html and f'value="{value(province.clerk_x)}"' in html
    for outside in (province.commune_y, province.committee, province.clerk_y, province.chief):
        assert f'value="{value(outside)}"' not in html
    for outside in (province.commune_y, province.committee):
        response = client.post(direct_url(entry_x), page_data(value(outside)))
        assert response.status_code == 400
    assert nothing_written()
    response = client.post(direct_url(entry_x), page_data(value(province.commune_x)), follow=True)
    assert "Đã ghi ý kiến chỉ đạo." in response.content.decode()
    assert Task.objects.get().lead_organization == province.commune_x


def test_the_picker_offers_exactly_whom_the_service_accepts(province, books):
    hamlet = OrganizationFactory(
        name="Chi bộ thôn Phú Hòa", short_name="CB Phú Hòa", parent=province.commune_x
    )
    UnitFactory(organization=province.office, name="Phòng Tổng hợp")
    UnitFactory(organization=hamlet, name="Tổ Đảng 1")
    UnitFactory(organization=province.commune_x, name="Ban đã giải thể", active=False)
    PersonFactory(full_name="Lê Thị Hòa", organization=hamlet)
    PersonFactory(full_name="Trần Văn Nghỉ", organization=province.commune_x, active=False)
    PersonFactory(full_name="Phạm Văn Mật", organization=province.commune_x, clearance=Classification.MAT)
    OrganizationFactory(name="Ban cán sự đảng UBND tỉnh", parent=province.committee, hosted=False)
    OrganizationFactory(name="Đảng ủy xã Cũ", parent=province.committee, active=False)
    entries = [
        incoming_register(
            actor=province.clerk.user,
            organization=province.committee,
            symbol="12-CV/TW",
            subject="Về công tác bảo vệ chính trị nội bộ",
            issued_date=timezone.localdate(),
            classification=Classification.MAT,
        ),
        incoming_register(
            actor=province.clerk_x.user,
            organization=province.commune_x,
            symbol="25-CV/TU",
            subject="Về việc triển khai văn phòng số",
            issued_date=timezone.localdate(),
        ),
    ]
    targets = [*Organization.objects.all(), *Unit.objects.all(), *Person.objects.all()]
    for entry in entries:
        choices = offered(direction_targets(entry))
        assert choices, entry
        for target in targets:
            try:
                incoming_direct(
                    actor=province.leader.user,
                    entry=entry,
                    text="Giao xử lý",
                    assignments=[{type(target).__name__.lower(): target, "role": "lead", "due_date": DUE}],
                )
                accepted = True
            except ValidationError as error:
                assert set(error.message_dict) == {"assignments"}, error.message_dict
                accepted = False
            assert (value(target) in choices) == accepted, (entry.organization, target)
    # The classified entry: the uncleared are neither offered nor accepted.
    assert value(province.specialist) not in offered(direction_targets(entries[0]))
    assert value(province.chief) in offered(direction_targets(entries[0]))
