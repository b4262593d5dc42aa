"""The Văn phòng works for its committee (``orgs.access.OFFICE_CAPABILITIES``): its leaders
read the committee's books within their clearance, are presented the committee's documents
and direct the routine ones its ``OfficeDirectionRule`` names; its specialists draft the
committee's documents and read what is assigned to them or their unit; its văn thư keep the
committee's books. A commune's office works for its own committee only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from vanphong.documents.access import documents_visible_to, entries_visible_to
from vanphong.documents.models import (
    Assignment,
    AssignmentRole,
    Direction,
    DocumentState,
    EntryStatus,
    OfficeDirectionRule,
    ReviewDecision,
    ReviewKind,
)
from vanphong.documents.selectors.direction import leaders_for
from vanphong.documents.services.incoming import incoming_direct, incoming_present, may_direct
from vanphong.documents.services.outgoing import outgoing_review_decide, outgoing_submit
from vanphong.documents.tests.factories import incoming_entry, outgoing_draft
from vanphong.orgs.models import Classification, OrgKind, Role, Unit
from vanphong.orgs.tests.factories import OrganizationFactory, make_actor
from vanphong.tasks.models import Task


@pytest.fixture
def routine(province):
    return OfficeDirectionRule.objects.create(
        committee=province.committee, doc_types=["CV", "GM", "TB", "BC"]
    )


def _sees(user, entry):
    return entries_visible_to(user).filter(pk=entry.pk).exists()


def test_the_office_leader_reads_the_committees_documents_within_clearance(province, books):
    plain = incoming_entry(province, 101)
    secret = incoming_entry(province, 102, classification=Classification.MAT)
    uncleared = make_actor("deputy_chief", province.office, Role.LANH_DAO_VAN_PHONG)
    assert _sees(province.chief.user, plain) and _sees(province.chief.user, secret)
    assert _sees(uncleared.user, plain)
    assert not _sees(uncleared.user, secret)  # the clearance cap still holds


def test_the_office_leader_is_presented_and_presents_on(province, books):
    entry = incoming_entry(province, 103, classification=Classification.MAT)
    uncleared = make_actor("deputy_chief", province.office, Role.LANH_DAO_VAN_PHONG)
    leaders = set(leaders_for(entry))
    assert province.chief in leaders and province.leader in leaders
    assert uncleared not in leaders
    incoming_present(actor=province.clerk.user, entry=entry, to_person=province.chief)
    # Not routine (no rule): the Chánh Văn phòng presents it on to the Bí thư.
    assert not may_direct(province.chief.user, entry)
    incoming_present(actor=province.chief.user, entry=entry, to_person=province.leader)
    entry.refresh_from_db()
    assert entry.presented_to == province.leader


def test_the_office_leader_directs_a_routine_document_and_it_becomes_a_task(province, books, routine):
    entry = incoming_entry(province, 104)
    assert entry.document.doc_type == "CV"
    due = timezone.localdate() + dt.timedelta(days=7)
    direction = incoming_direct(
        actor=province.chief.user,
        entry=entry,
        text="Giao Đảng ủy xã An Phú chủ trì",
        assignments=[{"organization": province.commune_x, "role": AssignmentRole.LEAD, "due_date": due}],
    )
    entry.refresh_from_db()
    assert entry.status == EntryStatus.DIRECTED
    task = Task.objects.get(assignments__direction=direction)
    assert task.organization == province.committee and task.issued_by == province.chief
    assert task.lead_organization == province.commune_x and task.due_date == due


def test_the_office_leader_cannot_direct_what_the_rule_does_not_name(province, books, routine):
    resolution = incoming_entry(province)  # 15-NQ/TW: a Nghị quyết is never routine here
    incoming_present(actor=province.clerk.user, entry=resolution, to_person=province.chief)
    with pytest.raises(PermissionDenied):
        incoming_direct(actor=province.chief.user, entry=resolution, text="Ý kiến", assignments=[])
    assert not Direction.objects.filter(entry=resolution).exists()
    # The rule may name urgencies too: an urgent Công văn is then not routine either.
    routine.urgencies = ["thuong"]
    routine.save()
    urgent = incoming_entry(province, 105, urgency="hoa_toc")
    assert not may_direct(province.chief.user, urgent)
    assert may_direct(province.chief.user, incoming_entry(province, 106))
    # The committee's leaders direct everything, as before.
    assert may_direct(province.leader.user, resolution)


def test_an_empty_rule_is_refused(province):
    with pytest.raises(ValidationError):
        OfficeDirectionRule(committee=province.committee).full_clean()
    with pytest.raises(ValidationError):
        OfficeDirectionRule(committee=province.committee, urgencies=["gap"]).full_clean()


def test_the_office_specialist_drafts_a_committee_resolution_through_appraisal_to_the_secretary(
    province, books
):
    document = outgoing_draft(province, actor=province.specialist.user)
    assert document.organization == province.committee and document.doc_type == "NQ"
    steps = outgoing_submit(
        actor=province.specialist.user,
        document=document,
        steps=[
            {"stage": 1, "kind": ReviewKind.APPRAISAL_CONTENT, "reviewer": province.chief},
            {"stage": 2, "kind": ReviewKind.SIGN, "reviewer": province.leader},
        ],
    )
    with pytest.raises(PermissionDenied):  # the specialist does not sign for the Bí thư
        outgoing_review_decide(
            actor=province.specialist.user, step=steps[1], decision=ReviewDecision.APPROVED
        )
    for step in steps:
        outgoing_review_decide(actor=step.reviewer.user, step=step, decision=ReviewDecision.APPROVED)
    document.refresh_from_db()
    assert document.state == DocumentState.APPROVED and document.signer == province.leader
    with pytest.raises(ValidationError):  # the signer stays a leader of the committee
        outgoing_draft(province, actor=province.specialist.user, signer=province.chief)


def test_the_office_specialist_reads_only_what_is_assigned_to_them_or_their_unit(province, books):
    unit = Unit.objects.create(organization=province.office, name="Phòng Tổng hợp")
    province.specialist.unit = unit
    province.specialist.save()
    mine, theirs, other = (incoming_entry(province, n) for n in (107, 108, 109))
    direction = Direction.objects.create(entry=mine, author=province.leader, text="Giao Phòng Tổng hợp")
    Assignment.objects.create(direction=direction, entry=mine, unit=unit, role=AssignmentRole.LEAD)
    direction = Direction.objects.create(entry=theirs, author=province.leader, text="Giao chuyên viên")
    Assignment.objects.create(direction=direction, entry=theirs, person=province.specialist, role="inform")
    user = province.specialist.user
    assert _sees(user, mine) and _sees(user, theirs) and not _sees(user, other)
    assert documents_visible_to(user).filter(pk=mine.document_id).exists()
    assert not documents_visible_to(user).filter(pk=other.document_id).exists()


def test_the_office_clerk_keeps_the_committees_books(province, books):
    office_clerk = make_actor("office_clerk", province.office, Role.VAN_THU)
    entry = incoming_entry(province, 110, actor=office_clerk.user)
    assert entry.organization == province.committee
    incoming_present(actor=office_clerk.user, entry=entry, to_person=province.chief)


def test_a_communes_office_works_for_its_own_committee_only(province, books, routine):
    office_x = OrganizationFactory(
        name="Văn phòng Đảng ủy xã An Phú",
        short_name="Văn phòng",
        abbreviation="VPĐU",
        kind=OrgKind.AGENCY,
        parent=province.commune_x,
        is_office=True,
    )
    chief_x = make_actor("chief_x", office_x, Role.LANH_DAO_VAN_PHONG, clearance=Classification.MAT)
    ours = incoming_entry(province, 111, actor=province.clerk_x.user, organization=province.commune_x)
    province_entry = incoming_entry(province, 112)
    assert _sees(chief_x.user, ours) and not _sees(chief_x.user, province_entry)
    assert chief_x in set(leaders_for(ours)) and chief_x not in set(leaders_for(province_entry))
    assert province.chief not in set(leaders_for(ours))
    # The Tỉnh ủy's rule is the Tỉnh ủy's: the commune has none, so its office directs nothing.
    assert not may_direct(chief_x.user, ours) and not may_direct(chief_x.user, province_entry)
    OfficeDirectionRule.objects.create(committee=province.commune_x, doc_types=["CV"])
    assert may_direct(chief_x.user, ours) and not may_direct(chief_x.user, province_entry)


def test_a_specialist_named_on_a_committee_document_cannot_change_its_files(province, books):
    """Writing for the committee through its office gives no right to add files to the
    committee's registered documents; its keepers may, and the drafter may on a draft."""
    from vanphong.documents.services.files import file_add, file_may_attach

    entry = incoming_entry(province, 110)
    direction = Direction.objects.create(entry=entry, author=province.leader, text="Để biết")
    Assignment.objects.create(direction=direction, entry=entry, person=province.specialist, role="inform")
    assert _sees(province.specialist.user, entry)
    assert not file_may_attach(province.specialist.user, entry.document)
    with pytest.raises(PermissionDenied):
        file_add(actor=province.specialist.user, document=entry.document, upload=("a.pdf", b"%PDF-1.4"))
    assert file_may_attach(province.clerk.user, entry.document)
    draft = outgoing_draft(province, actor=province.specialist.user)
    assert draft.state == DocumentState.DRAFT and file_may_attach(province.specialist.user, draft)
