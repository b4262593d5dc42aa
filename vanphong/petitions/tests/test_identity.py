"""What could name a denouncer besides the petitioners: the links to the same person's other
letters, their count, the audit entry of the registration, the citizens of a reception; and
who handles a case (the registrar and the assigned handler, while in the organisation; the
leaders only once assigned)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vanphong.api.tests.helpers import assert_error, bearer
from vanphong.audit.models import AuditEvent
from vanphong.orgs.models import RoleAssignment
from vanphong.petitions import services
from vanphong.petitions.models import Petitioner
from vanphong.petitions.tests.conftest import register

PETITIONS = "/api/v1/petitions/"
RECEPTIONS = "/api/v1/receptions/"


def get(client, person, url):
    return client.get(url, **bearer(person.user))


def post(client, person, url, data):
    return client.post(url, data, content_type="application/json", **bearer(person.user))


@pytest.fixture
def pair(province):
    """A complaint of Nguyễn Văn An, then his denunciation on the same matter (linked)."""
    complaint = register(province)
    denunciation = register(province, kind="to_cao", received_date=dt.date(2026, 3, 2))
    assert list(denunciation.related.all()) == [complaint]
    return complaint, denunciation


@pytest.mark.parametrize("reader", ["admin", "chief", "leader"])
def test_who_does_not_handle_the_denunciation_sees_no_link(client, province, pair, reader):
    complaint, denunciation = pair
    person = getattr(province, reader)
    later = get(client, person, f"{PETITIONS}{denunciation.pk}/").json()
    assert later["identity_protected"] is True
    assert later["related"] == [] and later["duplicate_count"] is None
    earlier = get(client, person, f"{PETITIONS}{complaint.pk}/").json()
    assert earlier["petitioners"]  # a complaint's petitioners are not protected…
    assert (
        earlier["related"] == [] and earlier["duplicate_count"] == 0
    )  # …but its link to the denunciation is
    listed = {p["id"]: p for p in get(client, person, PETITIONS).json()["results"]}
    assert listed[denunciation.pk]["related"] == [] and listed[complaint.pk]["duplicate_count"] == 0


def test_the_denunciations_handler_sees_the_link(client, province, pair):
    complaint, denunciation = pair
    # The clerk entered both.
    assert get(client, province.clerk, f"{PETITIONS}{denunciation.pk}/").json()["related"] == [complaint.pk]
    assert get(client, province.clerk, f"{PETITIONS}{complaint.pk}/").json()["duplicate_count"] == 1
    # The leader, once assigned the denunciation, too.
    assert (
        post(
            client, province.leader, f"{PETITIONS}{denunciation.pk}/assign/", {"handler": province.leader.pk}
        ).status_code
        == 200
    )
    assert get(client, province.leader, f"{PETITIONS}{denunciation.pk}/").json()["related"] == [complaint.pk]
    assert get(client, province.leader, f"{PETITIONS}{complaint.pk}/").json()["duplicate_count"] == 1


def test_the_registration_audit_holds_how_many_letters_are_linked_not_which(province, pair):
    complaint, denunciation = pair
    # Where a denunciation is on either side, not even how many (the trail has other readers).
    entry = AuditEvent.objects.get(action="petition.register", target_id=str(denunciation.pk))
    assert entry.after["related"] is None
    again = register(province, received_date=complaint.received_date)  # the complaint again
    entry = AuditEvent.objects.get(action="petition.register", target_id=str(again.pk))
    assert entry.after["related"] is None  # linked to the denunciation too
    other = register(province, content="Kiến nghị sửa đường liên thôn bị sạt lở", kind="kien_nghi")
    later = register(province, content="Kiến nghị sửa đường liên thôn bị sạt lở nặng", kind="kien_nghi")
    entry = AuditEvent.objects.get(action="petition.register", target_id=str(later.pk))
    assert entry.after["related"] == 1 and other.pk not in entry.after.values()


def test_leaders_handle_only_once_assigned_and_the_replaced_handler_no_longer(client, province):
    petition = register(province, kind="to_cao", respondent="Ông Lê Văn C, cán bộ địa chính")
    url = f"{PETITIONS}{petition.pk}/"
    assert get(client, province.leader, url).json()["identity_protected"] is True
    done = post(client, province.leader, f"{url}assign/", {"handler": province.specialist.pk})
    assert done.status_code == 200, done.content
    assert done.json()["handler"] == province.specialist.pk
    assert done.json()["identity_protected"] is True  # assigning is not handling
    assert get(client, province.specialist, url).json()["petitioners"]
    entry = AuditEvent.objects.get(action="petition.assign", target_id=str(petition.pk))
    assert entry.before == {"handler": None} and entry.after == {"handler": province.specialist.pk}
    post(client, province.leader, f"{url}assign/", {"handler": province.chief.pk})
    # The specialist read it only as its handler: no longer (not even that it exists).
    assert_error(get(client, province.specialist, url), 404, "not_found")
    assert get(client, province.chief, url).json()["petitioners"]


def test_only_the_directing_leaders_assign_and_never_to_the_accused(client, province):
    petition = register(province, kind="to_cao", respondent="Ông Trần Văn Chief, Chánh Văn phòng")
    province.chief.full_name = "Trần Văn Chief"
    province.chief.save(update_fields=["full_name"])
    with pytest.raises(PermissionDenied):
        services.petition_assign(actor=province.clerk.user, petition=petition, handler=province.specialist)
    with pytest.raises(ValidationError) as caught:
        services.petition_assign(actor=province.leader.user, petition=petition, handler=province.chief)
    assert "người bị khiếu nại, tố cáo" in caught.value.message_dict["handler"][0]
    with pytest.raises(ValidationError) as caught:  # not an officer of the Tỉnh ủy
        services.petition_assign(actor=province.leader.user, petition=petition, handler=province.clerk_x)
    assert "handler" in caught.value.message_dict
    url = f"{PETITIONS}{petition.pk}/assign/"
    assert_error(
        post(client, province.clerk, url, {"handler": province.specialist.pk}), 403, "permission_denied"
    )
    assert_error(post(client, province.leader, url, {"handler": 999_999}), 400, "invalid")
    services.petition_decide(actor=province.clerk.user, petition=petition, action="file", reason="Nặc danh")
    assert_error(post(client, province.leader, url, {"handler": province.specialist.pk}), 409, "conflict")


def test_a_registrar_who_left_the_organisation_no_longer_sees_the_identity(client, province):
    petition = register(province, kind="to_cao")
    url = f"{PETITIONS}{petition.pk}/"
    assert get(client, province.clerk, url).json()["petitioners"]
    RoleAssignment.objects.filter(person=province.clerk).update(
        starts_on=dt.date(2020, 1, 1), ends_on=dt.date(2021, 1, 1)
    )
    shown = get(client, province.clerk, url).json()  # still named on it: reads it, masked
    assert shown["petitioners"] == [] and shown["identity_protected"] is True


def test_a_reception_of_a_denunciation_masks_its_citizens(client, province):
    petition = register(province, kind="to_cao")
    visit = {
        "date": "2026-02-13",
        "receiving_person": province.chief.pk,
        "citizens": [{"full_name": "Nguyễn Văn An", "address": "Thôn Đông"}],
        "content": "Trình bày thêm về nội dung tố cáo",
        "petition": petition.pk,
    }
    by_chief = post(client, province.chief, RECEPTIONS, visit)
    assert by_chief.status_code == 201, by_chief.content
    assert by_chief.json()["confidential"] is True  # a tố cáo's visit
    # The chief received them and wrote it down: sees whom they met; the leader does not.
    assert by_chief.json()["citizens"][0]["full_name"] == "Nguyễn Văn An"
    by_leader = get(client, province.leader, f"{RECEPTIONS}{by_chief.json()['id']}/")
    assert by_leader.json()["citizens"] == [] and by_leader.json()["citizens_protected"] is True
    assert "Nguyễn" not in by_leader.content.decode()
    by_clerk = post(client, province.clerk, RECEPTIONS, visit)  # the clerk handles it
    assert by_clerk.json()["citizens"][0]["full_name"] == "Nguyễn Văn An"
    assert by_clerk.json()["citizens_protected"] is False
    complaint = register(province, content="Khiếu nại khác về cấp giấy chứng nhận")
    other = post(client, province.chief, RECEPTIONS, {**visit, "petition": complaint.pk})
    assert other.json()["citizens"][0]["full_name"] == "Nguyễn Văn An"


def test_a_petitioner_is_not_shown_by_name():
    assert "An" not in str(Petitioner(petition_id=7, order=1, full_name="Nguyễn Văn An"))
