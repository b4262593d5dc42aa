"""The meeting services: room clashes and participant warnings, who sees a meeting, the
meeting pack by clearance, conclusions becoming tasks, the Thông báo kết luận draft."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from vanphong.audit.models import AuditEvent
from vanphong.documents.models import Document, DocumentState
from vanphong.documents.tests.factories import DocumentFactory
from vanphong.orgs.models import Classification, Role
from vanphong.orgs.tests.factories import make_actor
from vanphong.programs import selectors, services
from vanphong.programs.models import Attendance, ConclusionRole, MeetingState
from vanphong.programs.tests.conftest import at, book
from vanphong.programs.views.links import conclusion_link
from vanphong.tasks.models import PartyRole, SourceKind
from vanphong.tasks.sources import source_link

# --- Rooms and clashes ---------------------------------------------------------------------------


def test_a_room_booked_at_that_time_is_refused_with_the_other_meeting_named(province, rooms):
    room, _hall = rooms
    book(province, room=room, title="Giao ban Văn phòng")
    with pytest.raises(services.RoomConflict) as caught:
        book(province, room=room, start=at(1, 9), end=at(1, 11), title="Họp khác")
    message = caught.value.message_dict["room"][0]
    assert "Phòng họp số 1" in message and "Giao ban Văn phòng" in message
    assert isinstance(caught.value, ValidationError)


@pytest.mark.parametrize(("start", "end"), [((1, 10), (1, 11)), ((1, 7), (1, 8)), ((2, 8), (2, 10))])
def test_meetings_back_to_back_or_on_another_day_share_a_room(province, rooms, start, end):
    room, _hall = rooms
    book(province, room=room)
    later = book(province, room=room, start=at(*start), end=at(*end), title="Họp kế tiếp")
    assert later.meeting.room == room


def test_a_cancelled_meeting_frees_its_room_and_another_room_is_free(province, rooms):
    room, hall = rooms
    first = book(province, room=room).meeting
    assert book(province, room=hall).meeting.room == hall
    first.state = MeetingState.CANCELLED
    first.save()
    assert book(province, room=room).meeting.room == room


def test_a_participant_in_another_meeting_is_warned_not_refused(province, rooms):
    room, hall = rooms
    book(province, room=room, title="Hội nghị Ban Chấp hành", participants=[province.chief])
    booked = book(province, room=hall, start=at(1, 9), end=at(1, 12), participants=[province.chief])
    assert booked.meeting.pk
    assert any("chief" in w and "Hội nghị Ban Chấp hành" in w for w in booked.warnings)
    # The chair (leader) chairs both: warned too. No warning without an overlap.
    assert any("leader" in w for w in booked.warnings)
    assert book(province, room=hall, start=at(3, 8), end=at(3, 9)).warnings == []


def test_the_meeting_is_checked_before_anything_is_written(province, rooms):
    room, _hall = rooms
    with pytest.raises(ValidationError) as caught:
        book(province, title=" ", start=at(1, 10), end=at(1, 9), chair=None, kind="x", room=None, place="")
    assert set(caught.value.message_dict) == {"title", "kind", "end", "place", "chair"}
    assert not AuditEvent.objects.filter(action="meeting.create").exists()


def test_only_those_who_write_for_the_organisation_create_meetings(province, rooms):
    with pytest.raises(PermissionDenied):
        book(province, actor=province.clerk_x.user, place="Hội trường")


def test_creating_a_meeting_is_audited(province, rooms):
    meeting = book(province, room=rooms[0]).meeting
    event = AuditEvent.objects.get(action="meeting.create")
    assert event.target_id == str(meeting.pk)
    assert event.after["room"] == rooms[0].pk


def test_a_room_of_another_organisation_is_refused(province, rooms):
    other = services.room_create(actor=None, organization=province.commune_y, name="Phòng xã")
    with pytest.raises(ValidationError) as caught:
        book(province, room=other)
    assert "room" in caught.value.message_dict


# --- Who sees a meeting --------------------------------------------------------------------------


def test_participants_chair_and_readers_of_the_organisation_see_the_meeting(province, rooms):
    meeting = book(province, room=rooms[0], participants=[province.specialist, province.clerk_x]).meeting
    visible = {
        p.user.username
        for p in (
            province.leader,
            province.chief,
            province.specialist,
            province.clerk,
            province.clerk_x,
            province.clerk_y,
            province.admin,
        )
        if selectors.meetings_visible_to(p.user).filter(pk=meeting.pk).exists()
    }
    # The leader chairs; chief, clerk and admin read the committee's records; specialist and
    # clerk_x are seated. clerk_y is none of these.
    assert visible == {"leader", "chief", "specialist", "clerk", "clerk_x", "admin"}


def test_a_seated_reader_of_a_commune_may_not_change_the_meeting(province, rooms):
    meeting = book(province, room=rooms[0], participants=[province.clerk_x]).meeting
    with pytest.raises(PermissionDenied):
        services.conclusion_add(actor=province.clerk_x.user, meeting=meeting, text="Kết luận")
    with pytest.raises(PermissionDenied):
        services.agenda_item_add(actor=province.clerk_x.user, meeting=meeting, title="Nội dung")


# --- The meeting pack by clearance ---------------------------------------------------------------


def _pack(province):
    meeting = book(province).meeting
    plain = DocumentFactory(
        organization=province.committee, subject="Báo cáo kinh tế - xã hội", symbol="10-BC/TU"
    )
    secret = DocumentFactory(
        organization=province.committee,
        subject="Đề án nhân sự",
        symbol="11-ĐA/TU",
        classification=Classification.MAT,
    )
    item = services.agenda_item_add(
        actor=province.leader.user,
        meeting=meeting,
        title="Kinh tế - xã hội, nhân sự",
        documents=[plain, secret],
    )
    return meeting, item, plain, secret


def test_a_classified_pack_document_is_only_for_cleared_participants(province):
    meeting, item, plain, secret = _pack(province)
    assert item.order == 1
    for person, expected in ((province.specialist, [plain]), (province.chief, [plain, secret])):
        [(shown_item, documents)] = selectors.agenda_with_pack(person.user, meeting)
        assert shown_item == item
        assert sorted(d.pk for d in documents) == sorted(d.pk for d in expected)
    assert selectors.pack_document(province.specialist.user, meeting, secret.pk) is None
    assert selectors.pack_document(province.specialist.user, meeting, plain.pk) == plain
    assert selectors.pack_document(province.chief.user, meeting, secret.pk) == secret


def test_a_reader_of_the_organisation_who_does_not_sit_in_the_meeting_needs_the_documents_own_rule(province):
    """Seeing a meeting (READ on its organisation) is not the need to know its classified
    pack: someone cleared for Mật who does not sit in it sees only what the documents' access
    rule shows them (a chuyên viên of the Tỉnh ủy: the unclassified document)."""
    meeting, _item, plain, secret = _pack(province)
    reader = make_actor("reader", province.committee, Role.CHUYEN_VIEN, clearance=Classification.MAT)
    assert selectors.meetings_visible_to(reader.user).filter(pk=meeting.pk).exists()
    [(_shown, documents)] = selectors.agenda_with_pack(reader.user, meeting)
    assert [d.pk for d in documents] == [plain.pk]
    assert selectors.pack_document(reader.user, meeting, secret.pk) is None
    # The Văn thư, who keeps the Tỉnh ủy's classified books, reads it by the documents' rule.
    assert selectors.pack_document(province.clerk.user, meeting, secret.pk) == secret


def test_an_agenda_document_must_be_one_the_actor_sees(province):
    meeting = book(province).meeting
    elsewhere = DocumentFactory(organization=province.commune_y, subject="Văn bản của xã")
    with pytest.raises(ValidationError) as caught:
        services.agenda_item_add(
            actor=province.chief.user, meeting=meeting, title="Nội dung", documents=[elsewhere]
        )
    assert "documents" in caught.value.message_dict
    assert not meeting.agenda.exists()


# --- Conclusions to tasks ------------------------------------------------------------------------


def test_a_conclusion_with_a_lead_and_a_date_becomes_a_task_linked_both_ways(province):
    meeting = book(province, participants=[province.chief]).meeting
    due = at(30, 0).date()
    conclusion = services.conclusion_add(
        actor=province.chief.user,
        meeting=meeting,
        text="Đảng ủy xã An Phú xây dựng kế hoạch chuyển đổi số.",
        lead=province.commune_x,
        cooperating=[province.office, province.specialist],
        due_date=due,
    )
    task = conclusion.task
    assert task is not None
    assert (task.organization, task.lead_organization, task.due_date) == (
        province.committee,
        province.commune_x,
        due,
    )
    assert task.source_kind == SourceKind.CONCLUSION
    assert task.source == conclusion
    assert "Họp Ban Thường vụ" in task.source_label
    parties = {(p.role, str(p.organization or p.person)) for p in task.parties.all()}
    assert parties == {
        (PartyRole.LEAD, province.commune_x.name),
        (PartyRole.COOPERATE, province.office.name),
        (PartyRole.COOPERATE, "specialist"),
    }
    assert [p.role for p in conclusion.parties.order_by("role")] == [
        ConclusionRole.COOPERATE,
        ConclusionRole.COOPERATE,
        ConclusionRole.LEAD,
    ]
    # The task page links back to the meeting for those who see it, not for the others.
    url = reverse("programs:meeting_detail", args=[meeting.pk])
    assert source_link(province.leader.user, task) == (url, f"Cuộc họp: {meeting.title}")
    assert source_link(province.clerk_y.user, task) is None
    assert conclusion_link(province.clerk_x.user, conclusion.pk) is None
    assert AuditEvent.objects.filter(action="meeting.conclusion_add", after__task=task.pk).exists()


def test_a_conclusion_without_a_lead_is_recorded_without_a_task(province):
    meeting = book(province).meeting
    conclusion = services.conclusion_add(
        actor=province.leader.user, meeting=meeting, text="Thống nhất chủ trương."
    )
    assert conclusion.task is None and conclusion.order == 1


def test_a_lead_needs_a_due_date_and_the_task_engine_refuses_whom_it_refuses(province):
    meeting = book(province).meeting
    with pytest.raises(ValidationError) as caught:
        services.conclusion_add(
            actor=province.leader.user, meeting=meeting, text="Làm", lead=province.commune_x
        )
    assert "due_date" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.conclusion_add(
            actor=province.leader.user,
            meeting=meeting,
            text="Làm",
            lead=province.commune_x,
            due_date=at(-3, 0).date(),
        )
    assert "due_date" in caught.value.message_dict
    assert not meeting.conclusions.exists()


# --- Attendance, minutes, the notice -------------------------------------------------------------


def test_attendance_and_minutes_are_recorded(province):
    meeting = book(province).meeting
    with pytest.raises(ValidationError):
        services.attendance_set(
            actor=province.chief.user,
            meeting=meeting,
            person=province.specialist,
            attendance=Attendance.EXCUSED,
        )
    seat = services.attendance_set(
        actor=province.chief.user,
        meeting=meeting,
        person=province.specialist,
        attendance=Attendance.EXCUSED,
        reason="Đi công tác",
    )
    assert (seat.attendance, seat.reason) == (Attendance.EXCUSED, "Đi công tác")
    services.minutes_record(actor=province.chief.user, meeting=meeting, minutes="Hội nghị đã thảo luận …")
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD


def test_the_notice_is_an_outgoing_tb_draft_with_the_conclusions(province):
    meeting = book(province).meeting
    with pytest.raises(ValidationError):
        services.notice_draft(actor=province.chief.user, meeting=meeting)
    services.conclusion_add(
        actor=province.chief.user,
        meeting=meeting,
        text="Giao Đảng ủy xã An Phú chuẩn bị đại hội",
        lead=province.commune_x,
        due_date=at(20, 0).date(),
    )
    services.conclusion_add(actor=province.chief.user, meeting=meeting, text="Thống nhất thời gian tổ chức.")
    document = services.notice_draft(actor=province.chief.user, meeting=meeting)
    assert (document.doc_type, document.state, document.organization) == (
        "TB",
        DocumentState.DRAFT,
        province.committee,
    )
    body = document.versions.get().body
    assert body.startswith(
        f"Ngày {meeting.start.astimezone(timezone.get_current_timezone()):%d/%m/%Y}, Tỉnh ủy Thử nghiệm"
    )
    assert "1. Giao Đảng ủy xã An Phú chuẩn bị đại hội. Giao Đảng ủy xã An Phú chủ trì" in body
    assert "2. Thống nhất thời gian tổ chức." in body
    meeting.refresh_from_db()
    assert meeting.notice == document
    with pytest.raises(ValidationError):
        services.notice_draft(actor=province.chief.user, meeting=meeting)
    assert Document.objects.filter(doc_type="TB").count() == 1


def test_a_year_far_off_is_a_typing_slip(province):
    far = at(1, 8).replace(year=2999)
    with pytest.raises(ValidationError) as caught:
        book(province, start=far, end=far + dt.timedelta(hours=1))
    assert caught.value.message_dict["start"] == ["Thời gian họp phải trong các năm 2000–2100."]


def test_rooms_are_added_by_the_office_and_administrators_only(province):
    room = services.room_create(
        actor=province.clerk.user, organization=province.committee, name="Hội trường A"
    )
    assert AuditEvent.objects.filter(action="room.create", target_id=str(room.pk)).exists()
    with pytest.raises(PermissionDenied):
        services.room_create(actor=province.specialist.user, organization=province.committee, name="Phòng B")
    with pytest.raises(ValidationError):
        services.room_create(
            actor=province.admin.user, organization=province.committee, name=" hội trường a "
        )


def test_a_clash_names_the_other_meeting_only_to_those_who_may_see_it(province, rooms):
    room, hall = rooms
    book(province, room=room, title="Họp về nhân sự", participants=[province.chief])
    with pytest.raises(services.RoomConflict) as caught:
        book(province, actor=province.specialist.user, room=room, participants=[])
    [message] = caught.value.message_dict["room"]
    assert "Họp về nhân sự" not in message and "đã có cuộc họp khác (08:00–10:00" in message
    booked = book(province, actor=province.specialist.user, room=hall, participants=[province.chief])
    assert booked.warnings and all("Họp về nhân sự" not in w for w in booked.warnings)
    assert "Đồng chí chief đã có lịch họp khác" in " ".join(booked.warnings)


def test_a_room_out_of_use_is_refused_and_the_change_audited(province, rooms):
    room, _hall = rooms
    services.room_set_active(actor=province.chief.user, room=room, active=False)
    assert AuditEvent.objects.filter(action="room.update", target_id=str(room.pk)).exists()
    with pytest.raises(ValidationError) as caught:
        book(province, room=room)
    assert caught.value.message_dict["room"] == ["Phòng “Phòng họp số 1” không còn sử dụng."]
    with pytest.raises(PermissionDenied):
        services.room_set_active(actor=province.specialist.user, room=room, active=True)
