"""People and helpers shared by the outgoing-flow tests (no tests here).

The Tỉnh ủy's documents are drafted by a specialist of the Văn phòng working for the
committee, appraised by the Chánh Văn phòng (chief) and signed by the Bí thư (leader) or a
Phó Bí thư (deputy); the văn thư (clerk) issues them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from vanphong.documents.models import Document, ReviewDecision, ReviewKind
from vanphong.documents.services.outgoing import outgoing_review_decide, outgoing_submit
from vanphong.documents.tests.factories import outgoing_draft
from vanphong.orgs.models import Classification, Person, Role, RoleAssignment
from vanphong.orgs.tests.factories import make_actor


@dataclass
class OutgoingPeople:
    province: Any
    drafter: Person
    deputy: Person
    head: Person  # lãnh đạo phòng of the Văn phòng

    def __getattr__(self, name: str) -> Any:
        return getattr(self.province, name)


@pytest.fixture(name="people")
def people_fixture(province, books) -> OutgoingPeople:
    RoleAssignment.objects.filter(person=province.leader).update(title="Bí thư")
    RoleAssignment.objects.filter(person=province.chief).update(title="Chánh Văn phòng")
    drafter = make_actor(
        "drafter",
        province.committee,
        Role.CHUYEN_VIEN,
        clearance=Classification.MAT,
        full_name="Trần Thị Soạn",
        works_in=province.office,
    )
    deputy = make_actor(
        "deputy",
        province.committee,
        Role.LANH_DAO_CAP_UY,
        clearance=Classification.TOI_MAT,
        full_name="Lê Văn Phó",
    )
    RoleAssignment.objects.filter(person=deputy).update(title="Phó Bí thư")
    head = make_actor("head", province.office, Role.LANH_DAO_PHONG, full_name="Phạm Trưởng Phòng")
    return OutgoingPeople(province=province, drafter=drafter, deputy=deputy, head=head)


def make_draft(people: OutgoingPeople, **overrides: Any) -> Document:
    """The Tỉnh ủy's Nghị quyết of ``outgoing_draft``, drafted by the specialist."""
    return outgoing_draft(people, **{"actor": people.drafter.user, **overrides})


def approve(people: OutgoingPeople, document: Document) -> Document:
    """Round the circuit: the Chánh Văn phòng appraises, the signer signs."""
    steps = outgoing_submit(
        actor=people.drafter.user,
        document=document,
        steps=[
            {"stage": 1, "kind": ReviewKind.APPRAISAL_CONTENT, "reviewer": people.chief},
            {"stage": 2, "kind": ReviewKind.SIGN, "reviewer": document.signer},
        ],
    )
    for step in steps:
        outgoing_review_decide(actor=step.reviewer.user, step=step, decision=ReviewDecision.APPROVED)
    document.refresh_from_db()
    return document
