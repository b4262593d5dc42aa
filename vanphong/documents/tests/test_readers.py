import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from vanphong.audit.models import AuditEvent
from vanphong.documents import readers
from vanphong.documents.models import (
    Assignment,
    AssignmentRole,
    Direction,
    ReaderGrant,
)
from vanphong.documents.tests.factories import registered_entry
from vanphong.documents.tests.test_registers_pages import sign_in
from vanphong.orgs.models import Classification, Role
from vanphong.orgs.tests.factories import make_actor


def _registered(province, classification):
    return registered_entry(
        actor=province.clerk.user,
        organization=province.committee,
        doc_type="NQ",
        symbol="09-NQ/TW",
        subject="về bảo vệ bí mật nhà nước",
        classification=classification,
    )


@pytest.fixture
def secret(province, books):
    return _registered(province, Classification.MAT)


def _names(document):
    return {p.user.username: p.reasons for p in readers.readers_of(document)}


@pytest.fixture
def outsider(province):
    """Cleared for Mật but no keeper of the Tỉnh ủy's books: a specialist of the Văn phòng."""
    return make_actor("outsider", province.office, Role.CHUYEN_VIEN, clearance=Classification.MAT)


def test_readers_of_a_secret_document_are_its_keepers_and_leaders(province, secret, outsider):
    # The Chánh Văn phòng keeps the committee's books with its văn thư (the office model).
    assert _names(secret.document) == {
        "leader": ["lãnh đạo"],
        "clerk": ["văn thư"],
        "chief": ["văn phòng giúp việc"],
    }
    assert "outsider" not in _names(secret.document)


def test_an_assignee_with_clearance_becomes_a_reader(province, secret, outsider):
    direction = Direction.objects.create(
        entry=secret, author=province.leader, text="Đồng chí Chánh VP xử lý."
    )
    Assignment.objects.create(direction=direction, entry=secret, role=AssignmentRole.LEAD, person=outsider)
    assert _names(secret.document)["outsider"] == ["được giao xử lý"]


def test_granting_reading_adds_a_reader_and_is_audited(province, secret, outsider):
    readers.reader_grant(actor=province.clerk.user, document=secret.document, person=outsider)
    assert _names(secret.document)["outsider"] == ["được cho phép"]
    grant = ReaderGrant.objects.get()
    assert grant.granted_by == province.clerk
    event = AuditEvent.objects.get(action="document.reader_grant")
    assert event.target_id == str(secret.document.pk) and event.after["person"] == outsider.pk


def test_a_person_without_clearance_cannot_be_granted(province, secret):
    with pytest.raises(ValidationError) as exc:
        readers.reader_grant(actor=province.clerk.user, document=secret.document, person=province.specialist)
    assert "thấp hơn độ mật của văn bản" in exc.value.message_dict["person"][0]
    assert not ReaderGrant.objects.exists()
    assert not AuditEvent.objects.filter(action="document.reader_grant").exists()


def test_granting_twice_is_refused(province, secret):
    readers.reader_grant(actor=province.clerk.user, document=secret.document, person=province.chief)
    with pytest.raises(ValidationError, match="đã được cho phép"):
        readers.reader_grant(actor=province.clerk.user, document=secret.document, person=province.chief)


@pytest.mark.parametrize("actor_name", ["specialist", "admin", "clerk_x"])
def test_only_keepers_and_leaders_who_see_it_may_grant(province, secret, outsider, actor_name):
    with pytest.raises(PermissionDenied):
        readers.reader_grant(
            actor=getattr(province, actor_name).user, document=secret.document, person=outsider
        )


def test_a_keeper_without_enough_clearance_cannot_grant(province, books):
    top_secret = _registered(province, Classification.TOI_MAT)
    with pytest.raises(PermissionDenied):
        readers.reader_grant(actor=province.clerk.user, document=top_secret.document, person=province.chief)
    readers.reader_grant(actor=province.leader.user, document=top_secret.document, person=province.chief)


def test_revoking_removes_the_reader(province, secret, outsider):
    readers.reader_grant(actor=province.clerk.user, document=secret.document, person=outsider)
    readers.reader_revoke(actor=province.clerk.user, document=secret.document, person=outsider)
    assert "outsider" not in _names(secret.document)
    assert AuditEvent.objects.filter(action="document.reader_revoke").count() == 1
    with pytest.raises(ValidationError):
        readers.reader_revoke(actor=province.clerk.user, document=secret.document, person=outsider)


def test_delegated_leader_is_a_reader_while_the_delegation_lasts(province, secret):
    import datetime as dt

    from django.utils import timezone

    from vanphong.orgs.models import Delegation, RoleAssignment

    deputy = make_actor("deputy", province.commune_x, Role.CHUYEN_VIEN, clearance=Classification.TOI_MAT)
    Delegation.objects.create(
        role_assignment=RoleAssignment.objects.get(person=province.leader),
        delegate=deputy,
        starts_at=timezone.now() - dt.timedelta(hours=1),
        ends_at=timezone.now() + dt.timedelta(days=1),
        reason="Đi công tác",
        created_by=province.leader,
    )
    assert _names(secret.document)["deputy"] == ["lãnh đạo"]


def test_readers_panel_shows_on_the_document_page_to_keepers_only(client, province, secret):
    url = reverse("documents:document_detail", args=[secret.document.pk])
    sign_in(client, province.clerk)
    html = client.get(url).content.decode()
    assert "Những người được xem văn bản này" in html
    assert "văn thư" in html and "lãnh đạo" in html
    assert reverse("documents:document_readers", args=[secret.document.pk]) in html
    client.logout()
    deputy = make_actor("cleared_reader", province.office, Role.CHUYEN_VIEN, clearance=Classification.MAT)
    readers.reader_grant(actor=province.clerk.user, document=secret.document, person=deputy)
    sign_in(client, deputy)
    response = client.get(url)
    assert response.status_code == 200
    assert "Những người được xem văn bản này" not in response.content.decode()


def test_readers_panel_is_not_shown_for_ordinary_documents(client, province, books):
    entry = _registered(province, Classification.NONE)
    sign_in(client, province.clerk)
    html = client.get(reverse("documents:document_detail", args=[entry.document.pk])).content.decode()
    assert "Những người được xem văn bản này" not in html


def test_grant_form_grants_and_shows_a_refusal_in_vietnamese(client, province, secret):
    sign_in(client, province.clerk)
    url = reverse("documents:document_readers", args=[secret.document.pk])
    response = client.post(url, {"person": province.specialist.pk})
    assert response.status_code == 400
    assert "thấp hơn độ mật của văn bản" in response.content.decode()
    response = client.post(url, {"person": province.chief.pk})
    assert response.status_code == 302
    assert ReaderGrant.objects.filter(document=secret.document, person=province.chief).exists()
    response = client.post(reverse("documents:reader_revoke", args=[secret.document.pk, province.chief.pk]))
    assert response.status_code == 302
    assert not ReaderGrant.objects.exists()


def test_readers_page_is_not_found_for_those_who_may_not_manage_readers(client, province, secret):
    sign_in(client, province.specialist)
    assert client.get(reverse("documents:document_readers", args=[secret.document.pk])).status_code == 404
    assert (
        client.post(
            reverse("documents:document_readers", args=[secret.document.pk]), {"person": province.chief.pk}
        ).status_code
        == 404
    )
