"""A visit to denounce (``Reception.confidential``): its citizens are named only to the person
who received it and the one who wrote it down (while they hold a role in the organisation) and
to the handlers of the denunciation it is linked to — in the register's page, its service and
the API alike, before and after the letter is in the book."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from vanphong.api.tests.helpers import assert_error, bearer
from vanphong.audit.models import AuditEvent
from vanphong.orgs.models import RoleAssignment
from vanphong.petitions import browse, services
from vanphong.petitions.models import Reception
from vanphong.petitions.services import PetitionerSpec
from vanphong.petitions.tests.conftest import register

DENOUNCER = PetitionerSpec("Lê Thị Tố Giác", "Thôn Bắc, xã Bình Minh", "001190054321", "0987654321")
RECEPTIONS_API = "/api/v1/receptions/"
RECEPTIONS = reverse("petitions:reception_list")
RECORD = reverse("petitions:reception_record")


@pytest.fixture(autouse=True)
def _pages_without_second_factor(settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"


def visit(province, **kwargs) -> Reception:
    """A visit received by the office's chief, written down by the clerk."""
    values = {
        "actor": province.clerk.user,
        "organization": province.committee,
        "date": timezone.localdate(),
        "receiving_person": province.chief,
        "citizens": [DENOUNCER],
        "content": "Trình bày việc cán bộ xã nhận tiền để cấp giấy chứng nhận",
    }
    values.update(kwargs)
    return services.reception_record(**values)


def names(person, reception: Reception) -> list[str]:
    return [c["full_name"] for c in browse.shown_citizens(person.user, reception)]


def api_get(client, person, url):
    return client.get(url, **bearer(person.user))


def test_a_confidential_visit_names_its_citizens_to_who_received_and_wrote_it_only(province):
    reception = visit(province, confidential=True)
    assert reception.confidential is True
    assert names(province.clerk, reception) == ["Lê Thị Tố Giác"]  # wrote it down
    assert names(province.chief, reception) == ["Lê Thị Tố Giác"]  # received them
    for reader in (province.leader, province.specialist):  # read the register, no more
        assert names(reader, reception) == []
        assert browse.citizens_protected(reader.user, reception) is True
    assert browse.citizens_protected(province.clerk.user, reception) is False
    event = AuditEvent.objects.filter(action="reception.record").latest("seq")
    assert event.after["confidential"] is True
    # An ordinary visit names its citizens to every reader.
    ordinary = visit(province)
    assert ordinary.confidential is False and names(province.leader, ordinary) == ["Lê Thị Tố Giác"]


def test_who_left_the_organisation_no_longer_sees_the_names(province):
    reception = visit(province, confidential=True)
    RoleAssignment.objects.filter(person=province.clerk).update(
        starts_on=timezone.localdate().replace(year=2020), ends_on=timezone.localdate().replace(year=2021)
    )
    clerk = type(province.clerk.user).objects.get(pk=province.clerk.user.pk)  # a new request's scope
    assert browse.shown_citizens(clerk, reception) == []
    assert names(province.chief, reception) == ["Lê Thị Tố Giác"]


def test_a_visit_linked_to_a_denunciation_is_confidential_and_its_handlers_see_it(province):
    denunciation = register(province, kind="to_cao", petitioners=[DENOUNCER])
    reception = visit(province, petition=denunciation)  # not ticked: the tố cáo decides
    assert reception.confidential is True
    assert names(province.leader, reception) == []
    services.petition_assign(actor=province.leader.user, petition=denunciation, handler=province.specialist)
    assert names(province.specialist, reception) == ["Lê Thị Tố Giác"]  # handles the denunciation
    assert names(province.leader, reception) == []


def test_linking_a_visit_to_its_denunciation_afterwards_masks_it(province):
    reception = visit(province, receiving_person=province.leader)
    assert names(province.specialist, reception) == ["Lê Thị Tố Giác"]
    denunciation = register(province, kind="to_cao", petitioners=[DENOUNCER])
    linked = services.reception_link(actor=province.clerk.user, reception=reception, petition=denunciation)
    assert linked.petition_id == denunciation.pk and linked.confidential is True
    reception.refresh_from_db()
    assert reception.confidential is True
    assert names(province.specialist, reception) == []
    assert names(province.leader, reception) == ["Lê Thị Tố Giác"]  # received them
    event = AuditEvent.objects.filter(action="reception.link").latest("seq")
    assert event.before == {"petition": None, "confidential": False}
    assert event.after == {"petition": denunciation.pk, "confidential": True}
    # Linked next to a complaint (a correction), it stays confidential.
    complaint = register(province, content="Khiếu nại về việc cấp giấy chứng nhận quyền sử dụng đất")
    services.reception_link(actor=province.clerk.user, reception=reception, petition=complaint)
    reception.refresh_from_db()
    assert reception.petition_id == complaint.pk and reception.confidential is True


def test_linking_is_refused_outside_the_book_and_to_those_who_do_not_write_it(province):
    reception = visit(province)
    theirs = register(province, actor=province.clerk_x.user, organization=province.commune_x)
    with pytest.raises(ValidationError) as caught:
        services.reception_link(actor=province.clerk.user, reception=reception, petition=theirs)
    assert "cơ quan khác" in caught.value.message_dict["petition"][0]
    ours = register(province, kind="to_cao")
    with pytest.raises(PermissionDenied):
        services.reception_link(actor=province.clerk_x.user, reception=reception, petition=ours)
    reception.refresh_from_db()
    assert reception.petition_id is None and reception.confidential is False


def test_the_register_masks_without_a_query_per_row(province):
    denunciation = register(province, kind="to_cao")

    def rows_queries() -> tuple[int, list[dict]]:
        visits = list(browse.reception_list(province.leader.user, start=None, end=None))
        with CaptureQueriesContext(connection) as queries:
            rows = browse.reception_rows(province.leader.user, visits)
        return len(queries), rows

    visit(province, confidential=True)
    visit(province, petition=denunciation)
    few, _rows = rows_queries()
    for _ in range(4):
        visit(province, confidential=True)
        visit(province, petition=denunciation)
        visit(province)
    many, rows = rows_queries()
    assert few == many <= 3
    assert len(rows) == 14
    assert sum(row["masked"] for row in rows) == 10
    assert all(row["citizens"] == [] for row in rows if row["masked"])
    assert not any(row["petition_shown"] for row in rows if row["masked"])
    assert all(row["citizens"][0]["full_name"] == DENOUNCER.full_name for row in rows if not row["masked"])


def test_the_pages_record_and_mask_a_confidential_visit(province, client):
    client.force_login(province.clerk.user)
    assert "Người đến tố cáo (giữ bí mật danh tính)" in client.get(RECORD).content.decode()
    response = client.post(
        RECORD,
        {
            "organization": province.committee.pk,
            "date": timezone.localdate().strftime("%d/%m/%Y"),
            "receiving_person": province.chief.pk,
            "citizen_name": ["Lê Thị Tố Giác"],
            "content": "Đến tố cáo việc nhận tiền",
            "confidential": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()
    reception = Reception.objects.get()
    assert reception.confidential is True and reception.petition_id is None
    html = client.get(RECEPTIONS).content.decode()
    assert "Lê Thị Tố Giác" in html and "Giữ bí mật" in html
    client.force_login(province.leader.user)
    html = client.get(RECEPTIONS).content.decode()
    assert "Đến tố cáo việc nhận tiền" in html and "Tố Giác" not in html and "Danh tính được bảo vệ" in html


def test_the_list_links_a_visit_to_its_petition(province, client):
    reception = visit(province)
    denunciation = register(province, kind="to_cao")
    url = reverse("petitions:reception_link", args=[reception.pk])
    client.force_login(province.clerk.user)
    assert url in client.get(RECEPTIONS).content.decode()
    refused = client.post(url, {"petition": "12"})
    assert refused.status_code == 302
    reception.refresh_from_db()
    assert reception.petition_id is None
    done = client.post(url, {"petition": f"{denunciation.number}/{denunciation.year}"})
    assert done.status_code == 302
    reception.refresh_from_db()
    assert reception.petition_id == denunciation.pk and reception.confidential is True
    client.force_login(province.leader.user)  # reads the register, handles nothing
    assert url not in client.get(RECEPTIONS).content.decode()
    html = client.get(RECEPTIONS).content.decode()
    assert "Tố Giác" not in html and "Danh tính được bảo vệ" in html


def test_the_api_records_and_masks_a_confidential_visit(province, client):
    data = {
        "date": timezone.localdate().isoformat(),
        "receiving_person": province.chief.pk,
        "citizens": [{"full_name": "Lê Thị Tố Giác", "address": "Thôn Bắc"}],
        "content": "Đến tố cáo việc nhận tiền",
        "confidential": True,
    }
    made = client.post(RECEPTIONS_API, data, content_type="application/json", **bearer(province.clerk.user))
    assert made.status_code == 201, made.content
    assert made.json()["confidential"] is True
    assert made.json()["citizens"][0]["full_name"] == "Lê Thị Tố Giác"
    one = f"{RECEPTIONS_API}{made.json()['id']}/"
    by_leader = api_get(client, province.leader, one).json()
    assert by_leader["citizens"] == [] and by_leader["citizens_protected"] is True
    listed = api_get(client, province.leader, RECEPTIONS_API).json()["results"]
    assert listed[0]["citizens"] == [] and listed[0]["citizens_protected"] is True
    assert "Tố Giác" not in api_get(client, province.leader, RECEPTIONS_API).content.decode()
    by_chief = api_get(client, province.chief, one).json()
    assert (
        by_chief["citizens"][0]["full_name"] == "Lê Thị Tố Giác" and by_chief["citizens_protected"] is False
    )


def test_linking_through_the_api(client, province):
    seen = visit(province)
    denunciation = register(province, kind="to_cao", petitioners=[DENOUNCER])
    url = f"{RECEPTIONS_API}{seen.pk}/link/"
    refused = client.post(
        url, {"petition": 999_999}, content_type="application/json", **bearer(province.clerk.user)
    )
    assert "petition" in assert_error(refused, 400, "invalid")["fields"]
    outsider = client.post(
        url, {"petition": denunciation.pk}, content_type="application/json", **bearer(province.clerk_x.user)
    )
    assert outsider.status_code == 404  # the visit is not theirs to read
    linked = client.post(
        url, {"petition": denunciation.pk}, content_type="application/json", **bearer(province.clerk.user)
    )
    assert linked.status_code == 200, linked.content
    body = linked.json()
    assert body["petition"] == denunciation.pk and body["confidential"] is True
    assert api_get(client, province.leader, f"{RECEPTIONS_API}{seen.pk}/").json()["citizens"] == []
