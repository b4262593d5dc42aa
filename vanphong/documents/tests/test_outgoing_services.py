"""The outgoing flow's services: draft, versions, comments, circuit, issue and delivery."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vanphong.audit.models import AuditEvent
from vanphong.documents.access import documents_visible_to, entries_visible_to
from vanphong.documents.models import (
    DocumentState,
    Recipient,
    RegisterEntry,
    RegisterKind,
    ReviewDecision,
    ReviewKind,
    ReviewStep,
)
from vanphong.documents.services.outgoing import (
    current_stage,
    outgoing_comment_add,
    outgoing_issue,
    outgoing_review_decide,
    outgoing_submit,
    outgoing_version_add,
    signature_block,
)
from vanphong.documents.tests.test_outgoing_support import approve, make_draft, people_fixture  # noqa: F401
from vanphong.orgs.models import Classification, Organization


def test_drafter_creates_a_draft_with_version_one_recipients_and_suggested_authority(people):
    document = make_draft(people)
    assert document.state == DocumentState.DRAFT
    assert document.style == "party" and document.doc_type == "NQ"
    assert document.signing_authority == "TM"
    assert document.signer_position == "Bí thư"
    assert list(document.versions.values_list("number", flat=True)) == [1]
    assert [r.purpose for r in document.recipients.order_by("id")] == ["để thực hiện", "", ""]
    assert AuditEvent.objects.filter(action="outgoing.draft_create", target_id=str(document.pk)).exists()


def test_specialist_of_another_organisation_cannot_draft_for_the_committee(people):
    with pytest.raises(PermissionDenied):
        make_draft(people, actor=people.clerk_x.user)


def test_bad_draft_input_is_refused_with_vietnamese_messages_and_nothing_saved(people):
    before = people.committee.documents.count()
    with pytest.raises(ValidationError) as caught:
        make_draft(
            people,
            doc_type="QyĐ",  # a state code, not a Party one
            subject="  ",
            urgency="gap",
            classification=Classification.TUYET_MAT,  # above the drafter's clearance
            recipients=[people.committee],
        )
    errors = caught.value.message_dict
    assert {"doc_type", "subject", "urgency", "classification", "recipients"} <= set(errors)
    assert "trích yếu" in errors["subject"][0]
    assert people.committee.documents.count() == before


def test_signer_must_lead_the_issuing_organisation(people):
    with pytest.raises(ValidationError) as caught:
        make_draft(people, signer=people.clerk)
    assert "không giữ vai trò lãnh đạo" in caught.value.message_dict["signer"][0]


def test_deputy_of_a_committee_signs_on_behalf_of_the_standing_committee(people):
    document = make_draft(people, signer=people.deputy)
    block = signature_block(document)
    assert (block.authority, block.title, block.name) == ("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Lê Văn Phó")


def test_signature_block_for_k_t_t_l_and_the_state_style(people):
    document = make_draft(people, signer=people.deputy, signing_authority="KT")
    assert signature_block(document).lines == ["K/T BÍ THƯ", "PHÓ BÍ THƯ"]
    document.signing_authority, document.signer_position = "TL", "Chánh Văn phòng"
    assert signature_block(document).lines == ["T/L BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG"]
    document.style, document.signing_authority, document.signer_position = "state", "KT", "Phó Chủ tịch"
    assert signature_block(document).lines == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    document.organization.kind = "nha_nuoc"
    document.signer_position = "Phó Chủ tịch Thường trực"
    assert signature_block(document).lines == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH THƯỜNG TRỰC"]
    document.signing_authority = ""
    assert signature_block(document).lines == ["PHÓ CHỦ TỊCH THƯỜNG TRỰC"]


def test_versions_are_numbered_and_only_added_to_a_draft(people):
    document = make_draft(people)
    version = outgoing_version_add(
        actor=people.drafter.user, document=document, body="Bản sửa", note="Sửa Điều 2"
    )
    assert version.number == 2
    with pytest.raises(ValidationError):
        outgoing_version_add(actor=people.drafter.user, document=document, body="  ")
    approve(people, document)
    with pytest.raises(ValidationError, match="dự thảo"):
        outgoing_version_add(actor=people.drafter.user, document=document, body="Sửa sau khi ký")


def test_anyone_who_can_see_the_draft_comments_and_others_cannot(people):
    document = make_draft(people)
    comment = outgoing_comment_add(
        actor=people.leader.user, document=document, text="Bổ sung chỉ tiêu năm 2027."
    )
    assert comment.version.number == 1
    with pytest.raises(PermissionDenied):
        outgoing_comment_add(actor=people.clerk_x.user, document=document, text="Tôi không thấy văn bản này")


def test_the_whole_circuit_runs_stage_by_stage_with_parallel_steps(people):
    document = make_draft(people)
    steps = outgoing_submit(
        actor=people.drafter.user,
        document=document,
        steps=[
            {"stage": 10, "kind": ReviewKind.DEPARTMENT, "reviewer": people.head},
            {"stage": 20, "kind": ReviewKind.APPRAISAL_CONTENT, "reviewer": people.chief},
            {"stage": 20, "kind": ReviewKind.APPRAISAL_FORMAT, "reviewer": people.clerk},
            {"stage": 30, "kind": ReviewKind.SIGN, "reviewer": people.leader},
        ],
    )
    document.refresh_from_db()
    assert document.state == DocumentState.IN_REVIEW
    assert [s.stage for s in steps] == [1, 2, 2, 3]
    department, content, fmt, sign = steps
    assert current_stage(document) == 1
    with pytest.raises(ValidationError, match="Chưa đến lượt"):
        outgoing_review_decide(actor=people.chief.user, step=content, decision="approved")
    with pytest.raises(PermissionDenied):
        outgoing_review_decide(actor=people.chief.user, step=department, decision="approved")
    outgoing_review_decide(actor=people.head.user, step=department, decision="approved", comment="Đồng ý")
    assert current_stage(document) == 2
    outgoing_review_decide(actor=people.clerk.user, step=fmt, decision="approved")
    assert current_stage(document) == 2  # the other parallel step still waits
    outgoing_review_decide(actor=people.chief.user, step=content, decision="approved")
    assert current_stage(document) == 3
    outgoing_review_decide(actor=people.leader.user, step=sign, decision="approved")
    document.refresh_from_db()
    assert document.state == DocumentState.APPROVED
    assert document.signer_name == people.leader.full_name
    with pytest.raises(ValidationError):
        outgoing_review_decide(actor=people.leader.user, step=sign, decision="approved")


def test_a_return_sends_the_draft_back_and_the_next_submission_is_a_new_round(people):
    document = make_draft(people)
    circuit = [
        {"stage": 1, "kind": ReviewKind.APPRAISAL_CONTENT, "reviewer": people.chief},
        {"stage": 1, "kind": ReviewKind.APPRAISAL_FORMAT, "reviewer": people.clerk},
        {"stage": 2, "kind": ReviewKind.SIGN, "reviewer": people.leader},
    ]
    content, fmt, _sign = outgoing_submit(actor=people.drafter.user, document=document, steps=circuit)
    outgoing_review_decide(actor=people.clerk.user, step=fmt, decision="approved")
    with pytest.raises(ValidationError, match="lý do"):
        outgoing_review_decide(actor=people.chief.user, step=content, decision="returned")
    outgoing_review_decide(actor=people.chief.user, step=content, decision="returned", comment="Sửa căn cứ")
    document.refresh_from_db()
    assert document.state == DocumentState.DRAFT
    history = ReviewStep.objects.filter(document=document, round=1)
    assert sorted(history.values_list("decision", flat=True)) == ["approved", "returned"]
    outgoing_version_add(actor=people.drafter.user, document=document, body="Đã sửa căn cứ")
    new_steps = outgoing_submit(actor=people.drafter.user, document=document, steps=circuit)
    assert {s.round for s in new_steps} == {2}
    assert ReviewStep.objects.filter(document=document, round=1).count() == 2


@pytest.mark.parametrize(
    "circuit, message",
    [
        ([], "ít nhất"),
        ([{"stage": 1, "kind": "appraisal_content", "reviewer": "chief"}], "Bước cuối cùng"),
        ([{"stage": 1, "kind": "sign", "reviewer": "deputy"}], "người ký của văn bản"),
        (
            [
                {"stage": 1, "kind": "sign", "reviewer": "leader"},
                {"stage": 2, "kind": "sign", "reviewer": "leader"},
            ],
            "Chỉ bước cuối cùng",
        ),
        (
            [
                {"stage": 1, "kind": "department", "reviewer": "specialist"},
                {"stage": 2, "kind": "sign", "reviewer": "leader"},
            ],
            "chưa được tiếp cận",
        ),
        ([{"stage": 1, "kind": "vote", "reviewer": "leader"}], "không hợp lệ"),
    ],
)
def test_a_malformed_circuit_is_refused(people, circuit, message):
    document = make_draft(people, classification=Classification.MAT)
    steps = [{**step, "reviewer": getattr(people, step["reviewer"])} for step in circuit]
    with pytest.raises(ValidationError, match=message):
        outgoing_submit(actor=people.drafter.user, document=document, steps=steps)
    document.refresh_from_db()
    assert document.state == DocumentState.DRAFT
    assert not document.review_steps.exists()


def test_issue_takes_the_number_writes_the_symbol_and_delivers_to_hosted_recipients(people):
    document = approve(people, make_draft(people))
    entry = outgoing_issue(actor=people.clerk.user, document=document, issued_date=dt.date(2026, 11, 21))
    document.refresh_from_db()
    assert entry.register.kind == RegisterKind.OUTGOING and entry.organization == people.committee
    assert (document.number, document.symbol, document.state) == (1, "01-NQ/TU", DocumentState.ISSUED)
    assert document.issued_date == dt.date(2026, 11, 21)
    assert "Đảng ủy xã An Phú (để thực hiện)" in document.recipients_text
    delivered = RegisterEntry.objects.filter(source_entry=entry).select_related("register")
    assert {d.organization for d in delivered} == {people.commune_x, people.commune_y}
    assert all(d.register.kind == RegisterKind.INCOMING and d.channel == "nội bộ" for d in delivered)
    assert entries_visible_to(people.clerk_x.user).filter(source_entry=entry).count() == 1
    external = Recipient.objects.get(document=document, organization=people.centre)
    assert external.delivered_at is None and external.delivered_entry is None
    hosted = Recipient.objects.get(document=document, organization=people.commune_x)
    assert hosted.delivered_entry.organization == people.commune_x and hosted.delivered_at is not None
    event = AuditEvent.objects.get(action="outgoing.issue", target_id=str(document.pk))
    assert event.after["symbol"] == "01-NQ/TU"


def test_issue_is_idempotent_and_numbers_follow_per_type(people):
    first = approve(people, make_draft(people))
    entry = outgoing_issue(actor=people.clerk.user, document=first)
    again = outgoing_issue(actor=people.clerk.user, document=first)
    assert again.pk == entry.pk
    assert RegisterEntry.objects.filter(source_entry=entry).count() == 2  # delivered once
    second = approve(people, make_draft(people, subject="Nghị quyết thứ hai"))
    report = approve(people, make_draft(people, doc_type="BC", subject="Báo cáo tháng"))
    outgoing_issue(actor=people.clerk.user, document=second)
    outgoing_issue(actor=people.clerk.user, document=report)
    second.refresh_from_db()
    report.refresh_from_db()
    assert (second.symbol, report.symbol) == ("02-NQ/TU", "01-BC/TU")


def test_only_the_clerk_issues_and_only_an_approved_document(people):
    document = make_draft(people)
    with pytest.raises(ValidationError, match="đã được người ký duyệt"):
        outgoing_issue(actor=people.clerk.user, document=document)
    approve(people, document)
    with pytest.raises(PermissionDenied):
        outgoing_issue(actor=people.drafter.user, document=document)
    with pytest.raises(ValidationError, match="sau ngày hôm nay"):
        outgoing_issue(actor=people.clerk.user, document=document, issued_date=dt.date(2099, 1, 1))
    document.refresh_from_db()
    assert document.state == DocumentState.APPROVED and document.number is None


def test_a_hosted_recipient_without_books_gets_default_ones_on_delivery(people):
    newcomer = Organization.objects.create(
        name="Đảng ủy phường Mới", short_name="ĐU phường Mới", abbreviation="ĐU", parent=people.committee
    )
    document = approve(people, make_draft(people, recipients=[newcomer]))
    entry = outgoing_issue(actor=people.clerk.user, document=document)
    delivered = RegisterEntry.objects.get(source_entry=entry)
    assert delivered.organization == newcomer and delivered.register.name == "Sổ văn bản đến"


def test_a_classified_draft_is_invisible_to_readers_without_clearance(people):
    document = make_draft(people, classification=Classification.MAT)
    assert documents_visible_to(people.leader.user).filter(pk=document.pk).exists()
    assert not documents_visible_to(people.specialist.user).filter(pk=document.pk).exists()
    document = approve(people, document)
    entry = outgoing_issue(actor=people.clerk.user, document=document)
    assert entry.register.name == "Sổ văn bản đi"  # Party: secret documents share the series
    delivered = RegisterEntry.objects.filter(source_entry=entry).select_related("register")
    assert {d.register.name for d in delivered} == {"Sổ văn bản mật đến"}
    # clerk_x has no clearance: the delivered secret document stays out of reach.
    assert not entries_visible_to(people.clerk_x.user).filter(source_entry=entry).exists()


def test_nothing_is_half_done_when_issue_fails(people, monkeypatch):
    document = approve(people, make_draft(people))
    from vanphong.documents import symbols

    def broken(**kwargs):
        raise ValueError("Ký hiệu hỏng.")

    monkeypatch.setattr(symbols, "format_symbol", broken)
    with pytest.raises(ValidationError, match="Ký hiệu hỏng"):
        outgoing_issue(actor=people.clerk.user, document=document)
    document.refresh_from_db()
    assert document.state == DocumentState.APPROVED
    assert not RegisterEntry.objects.filter(document=document).exists()
    monkeypatch.undo()
    entry = outgoing_issue(actor=people.clerk.user, document=document)
    assert entry.number == 1  # the rolled-back attempt gave its number back
    assert ReviewDecision.APPROVED in document.review_steps.values_list("decision", flat=True)
