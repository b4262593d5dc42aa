"""The incoming flow's services: register, duplicates, present, direct, close."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from vanphong.audit.models import AuditEvent
from vanphong.documents.models import (
    Assignment,
    Document,
    DocumentLink,
    DocumentState,
    EntryStatus,
    LinkKind,
    RegisterCounter,
    RegisterEntry,
)
from vanphong.documents.services.incoming import (
    incoming_direct,
    incoming_find_duplicate,
    incoming_mark_processed,
    incoming_present,
    issuer_resolve,
    symbol_read,
)
from vanphong.documents.tests.factories import ISSUED_DATE, incoming_entry
from vanphong.orgs.models import Classification, Role
from vanphong.orgs.tests.factories import OrganizationFactory, UnitFactory, make_actor

DAY = ISSUED_DATE  # the date of what incoming_entry registers


def test_registering_parses_the_symbol_and_gives_the_next_incoming_number(province, books):
    first = incoming_entry(province, symbol="số: 15-nq/tw")
    second = incoming_entry(province, symbol="1059/QĐ-TTg", issuer_name="Thủ tướng Chính phủ")
    doc = first.document
    assert (doc.symbol, doc.doc_type, doc.number, doc.style) == ("15-NQ/TW", "NQ", 15, "party")
    assert doc.state == DocumentState.RECEIVED and doc.organization == province.committee
    assert doc.issuer == province.centre and doc.issuer_name == province.centre.name
    assert first.register == books["committee"]["Sổ văn bản đến"]
    assert (first.number, second.number) == (1, 2)
    assert second.document.doc_type == "QĐ" and second.document.style == "state"
    assert second.document.issuer is None and second.document.issuer_name == "Thủ tướng Chính phủ"
    assert first.status == EntryStatus.REGISTERED and first.registered_by == province.clerk
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"document.receive", "document.register"} <= actions


def test_a_symbol_that_does_not_parse_is_kept_as_typed_with_a_warning(province, books):
    reading = symbol_read("Công văn không số")
    assert reading.parsed is None and "Không đọc được" in reading.warning
    entry = incoming_entry(
        province, symbol="  Công văn   không số ", issuer_name="Sở Tài chính", doc_type="CV"
    )
    assert entry.document.symbol == "Công văn không số"
    assert entry.document.number is None and entry.document.doc_type == "CV"
    assert symbol_read("08-NQ/TU").warning == ""


def test_issuer_is_resolved_among_organisations_sharing_an_abbreviation(province, books):
    # Both communes are "ĐU": seen from commune X, its own committee is meant.
    assert issuer_resolve(abbreviation="ĐU", organization=province.commune_x) == province.commune_x
    # Seen from the Tỉnh ủy, "ĐU" is ambiguous: the clerk's name is kept.
    assert issuer_resolve(abbreviation="ĐU", organization=province.committee) is None
    assert issuer_resolve(abbreviation="TU", organization=province.commune_y) == province.committee
    assert issuer_resolve(abbreviation="TW", organization=province.commune_y) == province.centre
    ubnd = OrganizationFactory(name="Ủy ban nhân dân tỉnh", abbreviation="UBND", hosted=False)
    assert issuer_resolve(abbreviation="UBND", organization=province.commune_x) == ubnd
    with pytest.raises(ValidationError) as error:
        incoming_entry(province, symbol="12-CV/ĐU")
    assert "issuer_name" in error.value.message_dict


def test_a_classified_document_goes_to_the_classified_register(province, books):
    entry = incoming_entry(province, classification=Classification.MAT)
    assert entry.register == books["committee"]["Sổ văn bản mật đến"]
    assert entry.classification == Classification.MAT and entry.number == 1


def test_only_register_keepers_may_register(province, books):
    with pytest.raises(PermissionDenied):
        incoming_entry(province, actor=province.specialist.user)
    with pytest.raises(PermissionDenied):
        incoming_entry(province, actor=province.clerk_x.user)
    assert not Document.objects.exists()


def test_bad_input_is_refused_in_vietnamese_and_nothing_is_consumed(province, books):
    with pytest.raises(ValidationError) as error:
        incoming_entry(
            province,
            subject=" ",
            doc_type="XYZ",
            issued_date=timezone.localdate() + dt.timedelta(days=2),
        )
    fields = error.value.message_dict
    assert set(fields) >= {"subject", "doc_type", "issued_date"}
    assert "Trích yếu" in fields["subject"][0] or "trích yếu" in fields["subject"][0]
    assert not Document.objects.exists() and not RegisterEntry.objects.exists()
    assert not RegisterCounter.objects.filter(last_number__gt=0).exists()


def test_a_failure_after_numbering_rolls_everything_back(province, books, monkeypatch):
    from vanphong.documents.services.incoming import register as incoming

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(incoming, "entry_register", broken)
    with pytest.raises(RuntimeError):
        incoming_entry(province)
    assert not Document.objects.exists()
    assert not AuditEvent.objects.filter(action="document.receive").exists()


def test_the_same_document_registered_twice_points_to_the_first_registration(province, books):
    first = incoming_entry(province)
    again = incoming_entry(province, symbol="15 - nq / tw", subject="Bản giấy của cùng văn bản")
    assert again.duplicate_of == first and again.number == first.number + 1
    third = incoming_entry(province)
    assert third.duplicate_of == first
    # Another date, another symbol or another issuer is another document.
    assert incoming_entry(province, issued_date=DAY - dt.timedelta(days=1)).duplicate_of is None
    assert incoming_entry(province, symbol="16-NQ/TW").duplicate_of is None
    # By name, ignoring case and diacritics, for issuers outside the directory.
    named = incoming_entry(province, symbol="45/KH-UBND", issuer_name="Ủy ban nhân dân huyện Cũ")
    found = incoming_find_duplicate(
        organization=province.committee,
        symbol="45/kh-ubnd",
        issued_date=DAY,
        issuer_name="uy ban nhan dan huyen cu",
    )
    assert found == named
    assert (
        incoming_find_duplicate(
            organization=province.committee, symbol="45/KH-UBND", issued_date=DAY, issuer_name="Sở Nội vụ"
        )
        is None
    )


def test_duplicates_are_looked_for_in_the_same_organisation_only(province, books):
    incoming_entry(province)
    other = incoming_entry(province, actor=province.clerk_x.user, organization=province.commune_x)
    assert other.duplicate_of is None


def test_present_to_a_leader_then_the_leader_directs_with_assignments(province, books):
    entry = incoming_entry(province)
    unit = UnitFactory(organization=province.office, name="Phòng Tổng hợp")
    incoming_present(actor=province.clerk.user, entry=entry, to_person=province.leader, note="Khẩn")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PRESENTED and entry.presented_to == province.leader
    due = timezone.localdate() + dt.timedelta(days=10)
    direction = incoming_direct(
        actor=province.leader.user,
        entry=entry,
        text="Giao Văn phòng chủ trì tham mưu",
        assignments=[
            {"organization": province.office, "role": "lead", "due_date": due},
            {"unit": unit.pk, "role": "cooperate", "due_date": due.isoformat()},
            {"person": province.specialist, "role": "inform"},
        ],
    )
    entry.refresh_from_db()
    assert entry.status == EntryStatus.DIRECTED
    assignments = list(direction.assignments.order_by("role"))
    assert [(a.role, a.organization, a.unit, a.person) for a in assignments] == [
        ("cooperate", None, unit, None),
        ("inform", None, None, province.specialist),
        ("lead", province.office, None, None),
    ]
    # The lead and cooperating assignments became one task of the task engine; "for
    # information" makes none.
    cooperate, inform, lead = assignments
    assert lead.task_id is not None and cooperate.task_id == lead.task_id and inform.task_id is None
    event = AuditEvent.objects.get(action="incoming.direct")
    assert event.after["text"] == "Giao Văn phòng chủ trì tham mưu" and len(event.after["assignments"]) == 3


def test_direction_needs_the_right_to_direct_or_to_have_been_presented(province, books):
    entry = incoming_entry(province)
    with pytest.raises(PermissionDenied):
        incoming_direct(actor=province.specialist.user, entry=entry, text="Ý kiến", assignments=[])
    with pytest.raises(PermissionDenied):
        incoming_direct(actor=province.clerk.user, entry=entry, text="Ý kiến", assignments=[])
    # A deputy in the committee's Văn phòng who can read the book's documents, presented to.
    deputy = make_actor("deputy", province.committee, Role.CHUYEN_VIEN)
    incoming_present(actor=province.clerk.user, entry=entry, to_person=deputy)
    incoming_direct(actor=deputy.user, entry=entry, text="Đề nghị Văn phòng theo dõi", assignments=[])


def test_presenting_to_someone_who_cannot_see_the_document_is_refused(province, books):
    entry = incoming_entry(province, classification=Classification.MAT)
    with pytest.raises(ValidationError):
        incoming_present(actor=province.clerk.user, entry=entry, to_person=province.specialist)
    with pytest.raises(ValidationError):
        incoming_present(actor=province.clerk.user, entry=entry, to_person=province.clerk_x)
    with pytest.raises(PermissionDenied):
        incoming_present(actor=province.specialist.user, entry=entry, to_person=province.leader)


def test_invalid_assignments_are_refused_row_by_row_and_nothing_is_saved(province, books):
    entry = incoming_entry(province, classification=Classification.MAT)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    outside = OrganizationFactory(name="Sở Tài chính", hosted=False)
    with pytest.raises(ValidationError) as error:
        incoming_direct(
            actor=province.leader.user,
            entry=entry,
            text="Giao xử lý",
            assignments=[
                {"organization": province.office, "unit": 3, "role": "lead"},
                {"organization": province.office, "role": "lead", "due_date": yesterday},
                {"person": province.specialist, "role": "cooperate"},  # no clearance for Mật
                {"organization": 999999, "role": "inform"},
                {"organization": outside, "role": "inform"},
                {"person": province.clerk, "role": "owner"},
                {"organization": province.office, "role": "inform", "due_date": yesterday},  # fine
            ],
        )
    problems = error.value.message_dict["assignments"]
    assert len(problems) == 6
    assert problems[0].startswith("Phân công thứ 1: chọn đúng một")
    assert "quá khứ" in problems[1] and "độ mật" in problems[2]
    assert "không có cơ quan" in problems[3] and "không dùng hệ thống" in problems[4]
    assert "vai trò" in problems[5]
    assert not Assignment.objects.exists()
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REGISTERED
    with pytest.raises(ValidationError) as error:
        incoming_direct(
            actor=province.leader.user,
            entry=entry,
            text="",
            assignments=[
                {"organization": province.office, "role": "lead"},
                {"organization": province.commune_x, "role": "lead"},
            ],
        )
    assert set(error.value.message_dict) == {"text", "assignments"}
    assert "một nơi chủ trì" in error.value.message_dict["assignments"][0]


def test_marking_processed_links_the_reply(province, books):
    entry = incoming_entry(province)
    reply = Document.objects.create(
        organization=province.committee,
        state=DocumentState.ISSUED,
        doc_type="BC",
        symbol="20-BC/TU",
        subject="Báo cáo kết quả thực hiện",
    )
    incoming_mark_processed(actor=province.clerk.user, entry=entry, reply=reply, note="Đã trả lời")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.DONE and entry.processed_at is not None
    assert "Đã trả lời" in entry.notes
    link = DocumentLink.objects.get()
    assert (link.source, link.target, link.kind) == (reply, entry.document, LinkKind.REPLIES_TO)
    with pytest.raises(ValidationError):
        incoming_mark_processed(actor=province.clerk.user, entry=entry)
    with pytest.raises(ValidationError):
        incoming_direct(actor=province.leader.user, entry=entry, text="Thêm ý kiến", assignments=[])


def test_the_reply_must_be_an_outgoing_document_of_the_same_organisation(province, books):
    entry = incoming_entry(province)
    foreign = Document.objects.create(
        organization=province.commune_x, state=DocumentState.ISSUED, symbol="01-BC/ĐU", subject="Báo cáo"
    )
    with pytest.raises(ValidationError):
        incoming_mark_processed(actor=province.clerk.user, entry=entry, reply=foreign)
    with pytest.raises(PermissionDenied):
        incoming_mark_processed(actor=province.specialist.user, entry=entry)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REGISTERED and not DocumentLink.objects.exists()


def test_a_lead_assignee_may_mark_processed(province, books):
    entry = incoming_entry(province)
    incoming_direct(
        actor=province.leader.user,
        entry=entry,
        text="Giao đồng chí chuyên viên xử lý",
        assignments=[{"person": province.specialist, "role": "lead"}],
    )
    incoming_mark_processed(actor=province.specialist.user, entry=entry)
    assert RegisterEntry.objects.get(pk=entry.pk).status == EntryStatus.DONE
