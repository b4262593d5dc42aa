"""Registration (numbers, earlier letters, the processing task), decisions and results, the
reception book, and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from vanphong.audit.models import AuditEvent
from vanphong.petitions import selectors, services
from vanphong.petitions.models import Petition, PetitionCounter, State
from vanphong.petitions.services import PetitionerSpec
from vanphong.petitions.tests.conftest import AN, CONTENT, register
from vanphong.tasks.models import CalendarDay, DayKind, SourceKind, TaskState
from vanphong.tasks.services import task_cancel, task_complete

D = dt.date


def test_numbers_run_per_organisation_and_year_without_gaps(province):
    first = register(province)
    second = register(province, content="Kiến nghị sửa chữa đường liên thôn", kind="kien_nghi")
    other_year = register(province, received_date=D(2025, 12, 30))
    commune = register(province, actor=province.clerk_x.user, organization=province.commune_x)
    assert (first.number, second.number) == (1, 2)
    assert (other_year.year, other_year.number) == (2025, 1)
    assert (commune.organization_id, commune.number) == (province.commune_x.pk, 1)
    with pytest.raises(ValidationError):  # a refused registration takes no number
        register(province, content="")
    assert register(province).number == 3
    assert PetitionCounter.objects.get(organization=province.committee, year=2026).last_number == 3


def test_registration_gives_the_processing_task_on_the_office_calendar(province):
    # The office keeps 23/02/2026 off (a day added to Tết) and works Saturday 28/02.
    CalendarDay.objects.create(date=D(2026, 2, 23), kind=DayKind.HOLIDAY, name="Nghỉ bù Tết")
    CalendarDay.objects.create(date=D(2026, 2, 28), kind=DayKind.WORKING, name="Làm bù")
    petition = register(province)
    assert petition.process_by == D(2026, 3, 6)  # one day off and one worked: the same 10th day
    task = petition.process_task
    assert task.source_kind == SourceKind.PETITION
    assert task.lead_organization_id == province.committee.pk
    assert task.due_date == D(2026, 3, 6) and task.assigned_on == D(2026, 2, 13)
    assert task.state == TaskState.ASSIGNED
    assert "Nguyễn" not in task.title + task.content  # no identity in the task


def test_earlier_letters_of_the_same_person_are_linked_without_diacritics(province):
    first = register(province)
    unrelated = register(province, content="Phản ánh tiếng ồn của xưởng cưa gỗ ban đêm", kind="phan_anh")
    again = register(
        province,
        received_date=D(2026, 3, 2),
        petitioners=[PetitionerSpec("NGUYEN VAN AN", "thon Dong xa An Phu tinh Thu nghiem")],
        content=(
            "khieu nai viec uy ban nhan dan xa thu hoi dat nong nghiep cua gia dinh toi, "
            "boi thuong khong thoa dang"
        ),
    )
    assert list(again.related.all()) == [first]
    first.refresh_from_db()
    unrelated.refresh_from_db()
    assert first.duplicate_count == 1 and unrelated.duplicate_count == 0
    # The same ID number matches whatever the address (the second letter gave no ID number).
    moved = register(province, petitioners=[PetitionerSpec("Nguyễn Văn  An", "Hà Nội", "001085012345")])
    assert list(moved.related.all()) == [first]


@pytest.mark.parametrize(
    "spec",
    [
        PetitionerSpec("Nguyễn Văn Bình", AN.address, AN.id_number),  # another name
        PetitionerSpec("Nguyễn Văn An", "Phường Hòa Bình, thành phố Tây Sơn"),  # another address, no ID
        PetitionerSpec("Nguyễn Văn An", AN.address, "079090000001"),  # another ID number, same address
    ],
)
def test_no_link_for_another_person(province, spec):
    register(province)
    assert not register(province, petitioners=[spec]).related.exists()


def test_a_same_address_without_id_number_links(province):
    first = register(province)
    later = register(province, petitioners=[PetitionerSpec("nguyen van an", "Thôn Đông, xã An Phú")])
    assert list(later.related.all()) == [first]  # 5 of the 8 address words: alike


def test_no_link_for_another_matter_or_anonymous_letters(province):
    register(province)
    assert not register(
        province, content="Tố cáo cán bộ thôn nhận tiền trái phép", kind="to_cao"
    ).related.exists()
    register(province, petitioners=[])
    assert not register(province, petitioners=[]).related.exists()


def test_validation_speaks_vietnamese_per_field(province):
    with pytest.raises(ValidationError) as caught:
        register(
            province,
            received_date=D(2099, 1, 1),
            channel="fax",
            kind="x",
            content=" ",
            petitioners=[PetitionerSpec("", id_number="12-34"), PetitionerSpec("A" * 201)],
            field="x" * 201,
            against_party_member=True,
        )
    errors = caught.value.message_dict
    assert set(errors) >= {"received_date", "channel", "kind", "content", "petitioners", "field"}
    assert "Ngày nhận đơn không được sau hôm nay." in errors["received_date"]
    assert any("họ và tên" in m for m in errors["petitioners"])
    with pytest.raises(ValidationError) as caught:
        register(province, against_party_member=True)
    assert "against_party_member" in caught.value.message_dict


def test_only_the_organisations_staff_register(province):
    with pytest.raises(PermissionDenied):
        register(province, actor=province.clerk_y.user)
    with pytest.raises(ValidationError) as caught:
        register(province, handler=province.clerk_y)
    assert "handler" in caught.value.message_dict


def test_accepting_a_complaint_gives_the_resolution_task(province):
    petition = register(province)
    decided = services.petition_decide(
        actor=province.clerk.user, petition=petition, action="accept", today=D(2026, 4, 1)
    )
    assert decided.state == State.ACCEPTED and decided.decided_on == D(2026, 4, 1)
    assert decided.resolve_by == D(2026, 5, 4)
    decided.process_task.refresh_from_db()
    assert decided.process_task.state == TaskState.COMPLETED
    resolve = decided.resolve_task
    assert resolve.due_date == D(2026, 5, 4) and resolve.source_kind == SourceKind.PETITION
    assert resolve.state == TaskState.ASSIGNED
    with pytest.raises(services.PetitionConflict):
        services.petition_decide(actor=province.clerk.user, petition=petition, action="file", reason="Trùng")
    done = services.petition_result(
        actor=province.clerk.user, petition=decided, result="dung_mot_phan", summary="Bồi thường bổ sung"
    )
    assert done.state == State.RESOLVED and done.result == "dung_mot_phan"
    done.resolve_task.refresh_from_db()
    assert done.resolve_task.state == TaskState.COMPLETED
    with pytest.raises(services.PetitionConflict):
        services.petition_result(actor=province.clerk.user, petition=done, result="sai")
    actions = list(
        AuditEvent.objects.filter(target_id=str(petition.pk), target_type="petitions.petition")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["petition.register", "petition.decide", "petition.result"]


def test_a_complex_complaint_in_a_remote_area_has_sixty_days(province):
    petition = register(province, complex_case=True, remote_area=True)
    decided = services.petition_decide(
        actor=province.clerk.user, petition=petition, action="accept", today=D(2026, 4, 1)
    )
    assert decided.resolve_by == D(2026, 6, 1)


def test_accepting_a_petition_gives_no_resolution_deadline(province):
    petition = register(province, kind="kien_nghi")
    decided = services.petition_decide(actor=province.clerk.user, petition=petition, action="accept")
    assert decided.resolve_by is None and decided.resolve_task is None


def test_transfer_needs_the_competent_organisation_and_file_a_reason(province):
    petition = register(province)
    with pytest.raises(ValidationError) as caught:
        services.petition_decide(actor=province.clerk.user, petition=petition, action="transfer")
    assert "to_organization" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.petition_decide(actor=province.clerk.user, petition=petition, action="file")
    assert "reason" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.petition_decide(actor=province.clerk.user, petition=petition, action="archive")
    assert "action" in caught.value.message_dict
    moved = services.petition_decide(
        actor=province.clerk.user, petition=petition, action="transfer", to_organization=province.commune_x
    )
    assert moved.state == State.TRANSFERRED and moved.to_organization == province.commune_x
    assert moved.resolve_task is None
    moved.process_task.refresh_from_db()
    assert moved.process_task.state == TaskState.COMPLETED
    with pytest.raises(ValidationError) as caught:  # no result without acceptance
        services.petition_result(actor=province.clerk.user, petition=moved, result="dung")
    assert "result" in caught.value.message_dict


def test_a_neighbour_cannot_decide(province):
    petition = register(province)
    with pytest.raises(PermissionDenied):
        services.petition_decide(actor=province.clerk_x.user, petition=petition, action="guide")
    assert Petition.objects.get(pk=petition.pk).state == State.RECEIVED


def test_a_reception_with_a_group_and_a_petition(province):
    petition = register(province)
    reception = services.reception_record(
        actor=province.clerk.user,
        organization=province.committee,
        date=D(2026, 2, 13),
        receiving_person=province.leader,
        citizens=[AN],
        citizen_count=7,
        content=CONTENT,
        outcome="Tiếp nhận đơn, hướng dẫn",
        petition=petition,
    )
    assert reception.group and reception.citizen_count == 7 and reception.petition == petition
    assert AuditEvent.objects.filter(action="reception.record", target_id=str(reception.pk)).exists()
    with pytest.raises(ValidationError) as caught:
        services.reception_record(
            actor=province.clerk.user,
            organization=province.committee,
            date=None,
            receiving_person=None,
            citizens=[AN, AN],
            citizen_count=1,
            content="",
        )
    assert set(caught.value.message_dict) == {"date", "receiving_person", "citizen_count", "content"}
    with pytest.raises(ValidationError) as caught:  # the neighbour's clerk does not receive for the Tỉnh ủy
        services.reception_record(
            actor=province.clerk.user,
            organization=province.committee,
            date=D(2026, 2, 13),
            receiving_person=province.clerk_y,
            citizens=[AN],
            content=CONTENT,
        )
    assert set(caught.value.message_dict) == {"receiving_person"}


# --- Review fixes ------------------------------------------------------------------------------


def test_an_anonymous_denunciation_is_filed_not_accepted(province):
    petition = register(province, kind="to_cao", petitioners=[])
    with pytest.raises(ValidationError) as caught:
        services.petition_decide(actor=province.clerk.user, petition=petition, action="accept")
    message = caught.value.message_dict["action"][0]
    assert "nặc danh" in message and "(file)" in message
    filed = services.petition_decide(
        actor=province.clerk.user, petition=petition, action="file", reason="Nặc danh"
    )
    assert filed.state == State.FILED


def test_a_denunciation_of_a_party_member_signed_by_two_is_not_accepted(province):
    two = [AN, PetitionerSpec("Lê Thị Hoa", "Thôn Tây, xã An Phú")]
    petition = register(province, kind="to_cao", petitioners=two, against_party_member=True)
    with pytest.raises(ValidationError) as caught:
        services.petition_decide(actor=province.clerk.user, petition=petition, action="accept")
    assert "hai người trở lên" in caught.value.message_dict["action"][0]
    # Signed by one: accepted; a complaint signed by two: accepted.
    one = register(province, kind="to_cao", against_party_member=True, content="Tố cáo đảng viên X")
    assert (
        services.petition_decide(actor=province.clerk.user, petition=one, action="accept").state
        == State.ACCEPTED
    )
    many = register(province, petitioners=two, content="Khiếu nại quyết định xử phạt hành chính")
    assert (
        services.petition_decide(actor=province.clerk.user, petition=many, action="accept").state
        == State.ACCEPTED
    )


def test_the_task_pages_cannot_complete_or_cancel_a_petitions_task_out_of_step(province):
    petition = register(province)
    with pytest.raises(ValidationError) as caught:
        task_complete(actor=province.leader.user, task=petition.process_task, text="Xong")
    assert "đơn số 1/2026" in caught.value.messages[0] and "quyết định xử lý" in caught.value.messages[0]
    with pytest.raises(ValidationError) as caught:
        task_cancel(actor=province.leader.user, task=petition.process_task, reason="Không cần")
    assert "lưu đơn" in caught.value.messages[0]
    accepted = services.petition_decide(actor=province.clerk.user, petition=petition, action="accept")
    assert accepted.process_task.state == TaskState.COMPLETED  # the petition's own step goes through
    with pytest.raises(ValidationError) as caught:
        task_complete(actor=province.leader.user, task=accepted.resolve_task, text="Xong")
    assert "ghi kết quả" in caught.value.messages[0]
    done = services.petition_result(actor=province.clerk.user, petition=accepted, result="dung")
    done.resolve_task.refresh_from_db()
    assert done.resolve_task.state == TaskState.COMPLETED


def test_audit_entries_keep_lengths_of_free_text(province):
    petition = register(province)
    services.petition_decide(actor=province.clerk.user, petition=petition, action="accept", reason="Ông An")
    services.petition_result(
        actor=province.clerk.user, petition=petition, result="dung", summary="Bồi thường"
    )
    decide = AuditEvent.objects.get(action="petition.decide", target_id=str(petition.pk))
    result = AuditEvent.objects.get(action="petition.result", target_id=str(petition.pk))
    assert decide.after["reason_length"] == 6 and "reason" not in decide.after
    assert result.after["summary_length"] == 10 and "summary" not in result.after


def test_stats_fold_fields_case_insensitively(province):
    register(province, field="Đất đai")
    register(province, field="đất đai", content="Khiếu nại khác")
    register(province, field="ĐẤT ĐAI", content="Khiếu nại thứ ba")
    register(province, field="", content="Khiếu nại thứ tư")
    stats = selectors.stats(province.clerk.user, start=None, end=None)
    assert stats["by_field"] == {"": 1, "Đất đai": 3}
    assert stats["total"] == 4 and stats["by_kind"]["khieu_nai"] == 4
