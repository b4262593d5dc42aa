"""The classified books kept by a cleared clerk (văn thư mật / cơ yếu).

Where an organisation — or the office working for it — has appointed a classified-documents
clerk (``Role.VAN_THU_MAT``), its classified documents are registered, issued, copied and
read as book keeper by that clerk (and its leaders), not by its ordinary văn thư; where none
is appointed, the văn thư keeps them within their clearance, as before. Refusals come before
anything is written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from vanphong.api.tests.helpers import assert_error, bearer
from vanphong.documents.access import documents_visible_to, entries_visible_to
from vanphong.documents.models import RegisterCounter, RegisterEntry
from vanphong.documents.printing import classification_mark
from vanphong.documents.services.copies import document_copy
from vanphong.documents.services.incoming import incoming_register
from vanphong.documents.services.outgoing import outgoing_issue
from vanphong.documents.services.registers import registers_visible_to
from vanphong.documents.tests.test_outgoing_support import approve, make_draft, people_fixture  # noqa: F401
from vanphong.orgs.access import Capability, scope_for
from vanphong.orgs.models import Classification, Role
from vanphong.orgs.tests.factories import make_actor


@pytest.fixture
def secret_clerk(province):
    """The Văn phòng's classified-documents clerk, cleared for Tuyệt mật."""
    return make_actor("coyeu", province.office, Role.VAN_THU_MAT, clearance=Classification.TUYET_MAT)


def _register(actor, province, classification, symbol="08-NQ/TU"):
    return incoming_register(
        actor=actor.user,
        organization=province.committee,
        symbol=symbol,
        subject="Nghị quyết về công tác bảo vệ chính trị nội bộ",
        issued_date=dt.date(2026, 11, 2),
        classification=classification,
    )


def test_the_classified_clerk_of_the_office_keeps_the_committees_classified_books(
    province, books, secret_clerk
):
    scope = scope_for(secret_clerk.user)
    assert scope.keeps_classified(province.committee) and scope.keeps_classified(province.office)
    entry = _register(secret_clerk, province, Classification.TUYET_MAT)
    assert entry.register == books["committee"]["Sổ văn bản mật đến"]
    assert entry.registered_by == secret_clerk
    assert entries_visible_to(secret_clerk.user).filter(pk=entry.pk).exists()
    assert books["committee"]["Sổ văn bản mật đến"] in registers_visible_to(secret_clerk.user)


def test_once_appointed_the_ordinary_clerk_no_longer_keeps_classified_documents(
    province, books, secret_clerk
):
    mat = _register(secret_clerk, province, Classification.MAT)
    clerk = province.clerk.user  # văn thư of the Tỉnh ủy, cleared for Mật
    assert not scope_for(clerk).keeps_classified(province.committee)
    assert not entries_visible_to(clerk).filter(pk=mat.pk).exists()
    assert not documents_visible_to(clerk).filter(pk=mat.document_id).exists()
    assert books["committee"]["Sổ văn bản mật đến"] not in registers_visible_to(clerk)
    assert books["committee"]["Sổ văn bản đến"] in registers_visible_to(clerk)

    counters = list(RegisterCounter.objects.values_list("register_id", "series", "last_number"))
    with pytest.raises(ValidationError) as refused:
        _register(province.clerk, province, Classification.MAT, symbol="09-NQ/TU")
    assert "văn thư mật (cơ yếu)" in refused.value.message_dict["classification"][0]
    assert RegisterEntry.objects.count() == 1
    assert list(RegisterCounter.objects.values_list("register_id", "series", "last_number")) == counters

    # Unclassified documents stay the ordinary clerk's, and the leaders still read both.
    plain = _register(province.clerk, province, Classification.NONE, symbol="10-CV/TU")
    assert plain.register == books["committee"]["Sổ văn bản đến"]
    for leader in (province.leader.user, province.chief.user):
        assert entries_visible_to(leader).filter(pk=mat.pk).exists()


def test_without_a_classified_clerk_the_clerk_keeps_them_within_clearance(province, books):
    entry = _register(province.clerk, province, Classification.MAT)
    assert entry.register == books["committee"]["Sổ văn bản mật đến"]
    assert entries_visible_to(province.clerk.user).filter(pk=entry.pk).exists()


def test_a_clerk_appointed_in_another_organisation_changes_nothing_here(province, books):
    make_actor("coyeu_x", province.commune_x, Role.VAN_THU_MAT, clearance=Classification.MAT)
    assert scope_for(province.clerk.user).keeps_classified(province.committee)
    assert not scope_for(province.clerk_x.user).keeps_classified(province.commune_x)


def test_the_api_refuses_the_ordinary_clerk_before_anything_is_stored(client, province, books, secret_clerk):
    response = client.post(
        "/api/v1/incoming/",
        {"symbol": "08-NQ/TU", "subject": "Nghị quyết mật", "classification": "mat"},
        content_type="application/json",
        **bearer(province.clerk.user),
    )
    error = assert_error(response, 400, "invalid")
    assert "văn thư mật (cơ yếu)" in error["fields"]["classification"][0]
    assert not RegisterEntry.objects.exists() and not RegisterCounter.objects.exists()
    response = client.post(
        "/api/v1/incoming/",
        {"symbol": "08-NQ/TU", "subject": "Nghị quyết mật", "classification": "mat"},
        content_type="application/json",
        **bearer(secret_clerk.user),
    )
    assert response.status_code == 201, response.json()
    assert response.json()["register"] == books["committee"]["Sổ văn bản mật đến"].pk


def test_issuing_and_copying_a_classified_document_is_the_classified_clerks(people):
    secret = make_actor("coyeu", people.office, Role.VAN_THU_MAT, clearance=Classification.TUYET_MAT)
    document = approve(people, make_draft(people, classification=Classification.MAT))
    with pytest.raises(ValidationError) as refused:
        outgoing_issue(actor=people.clerk.user, document=document)
    assert "văn thư mật (cơ yếu)" in refused.value.message_dict["classification"][0]
    assert not RegisterEntry.objects.exists()
    entry = outgoing_issue(actor=secret.user, document=document)
    assert entry.number == 1

    with pytest.raises(Http404):  # the ordinary clerk does not even see it
        document_copy(actor=people.clerk.user, original=document, organization=people.committee, form="SY")
    copy = document_copy(actor=secret.user, original=document, organization=people.committee, form="SY")
    assert copy.register.classified


def test_the_role_is_offered_and_its_book_prints_with_the_mark(province, books, secret_clerk):
    assert (Role.VAN_THU_MAT, "Văn thư mật (cơ yếu)") in Role.choices
    assert Capability.KEEP_CLASSIFIED in scope_for(secret_clerk.user).grants[0].capabilities
    assert classification_mark(books["committee"]["Sổ văn bản mật đến"]) == "MẬT"


def test_the_register_page_lists_the_classified_book_to_its_clerk_only(
    client, province, books, secret_clerk, settings
):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    url = reverse("documents:register_list") + f"?to_chuc={province.committee.pk}"
    client.force_login(secret_clerk.user)
    response = client.get(url)
    assert response.status_code == 200 and "Sổ văn bản mật đến" in response.content.decode()
    client.force_login(province.clerk.user)
    assert "Sổ văn bản mật đến" not in client.get(url).content.decode()


def test_a_clerk_appointed_in_the_office_also_takes_the_books_from_the_offices_own_clerk(province, books):
    """The office's văn thư keep the committee's books through the office; once the office
    has a classified clerk, they keep the committee's ordinary books only."""
    office_clerk = make_actor("vt_office", province.office, Role.VAN_THU, clearance=Classification.MAT)
    assert scope_for(office_clerk.user).keeps_classified(province.committee)
    secret = make_actor("coyeu", province.office, Role.VAN_THU_MAT, clearance=Classification.TUYET_MAT)
    account = type(office_clerk.user).objects.get(pk=office_clerk.user.pk)  # a new request's
    assert not scope_for(account).keeps_classified(province.committee)
    assert not scope_for(account).keeps_classified(province.office)
    entry = _register(secret, province, Classification.MAT)
    assert not entries_visible_to(account).filter(pk=entry.pk).exists()


def test_search_and_tasks_follow_the_classified_books(province, books, secret_clerk):
    from vanphong.search.selectors import search
    from vanphong.tasks.access import visible_tasks
    from vanphong.tasks.reminders.recipients import Recipients
    from vanphong.tasks.tests.factories import give_task

    entry = _register(secret_clerk, province, Classification.MAT)
    task = give_task(
        actor=province.leader.user,
        organization=province.committee,
        title="Xác minh nội dung đơn",
        lead=province.committee,
        classification=Classification.MAT,
        due_date=dt.date.today() + dt.timedelta(days=30),
    )
    clerk, secret = province.clerk.user, secret_clerk.user
    found = {hit.id for hit in search(secret, "bảo vệ chính trị nội bộ").results}
    assert entry.document_id in found
    assert entry.document_id not in {hit.id for hit in search(clerk, "bảo vệ chính trị nội bộ").results}
    assert visible_tasks(secret).filter(pk=task.pk).exists()
    assert not visible_tasks(clerk).filter(pk=task.pk).exists()
    # Reminders: the ordinary văn thư is not told of a classified task; a classified clerk
    # holding the role in the committee itself is (one in the office is reached through the
    # office's follow-up, not as the committee's member).
    assert province.clerk.pk not in Recipients().assignees(task)
    committee_clerk = make_actor(
        "coyeu_tu", province.committee, Role.VAN_THU_MAT, clearance=Classification.MAT
    )
    assert committee_clerk.pk in Recipients().assignees(task)
