"""Changing a meeting after it was scheduled: rescheduling under the room's booking rule,
cancelling with a reason (the room freed, the people told), the minutes' signed file, and a
meeting taking up an item of the work programme."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from vanphong.api.tests.helpers import assert_error, bearer
from vanphong.audit.models import AuditEvent
from vanphong.notifications.models import Notification
from vanphong.programs import services
from vanphong.programs.models import (
    CalendarEvent,
    ItemState,
    Meeting,
    MeetingState,
    Program,
    ProgramBody,
    ProgramItem,
    ProgramPeriod,
)
from vanphong.programs.tests.conftest import at, book

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _program_item(organization, content="Sơ kết 6 tháng") -> ProgramItem:
    year = at(0, 8).year
    program = Program.objects.create(
        organization=organization,
        body=ProgramBody.BAN_THUONG_VU,
        period=ProgramPeriod.YEAR,
        start=dt.date(year, 1, 1),
        end=dt.date(year, 12, 31),
        title=f"Chương trình công tác năm {year}",
    )
    return ProgramItem.objects.create(program=program, order=1, content=content)


# --- Rescheduling ------------------------------------------------------------------------------


def test_rescheduling_into_a_booked_room_is_refused_and_changes_nothing(province, rooms):
    first = book(province, room=rooms[0]).meeting
    second = book(province, room=rooms[0], start=at(1, 14), end=at(1, 16)).meeting
    with pytest.raises(services.RoomConflict) as caught:
        services.meeting_update(actor=province.chief.user, meeting=second, start=at(1, 9), end=at(1, 11))
    assert "Phòng họp số 1" in caught.value.message_dict["room"][0]
    second.refresh_from_db()
    assert second.start == at(1, 14)
    # Its own slot is no clash: a new title, or a shorter time in the same room, is kept.
    services.meeting_update(actor=province.chief.user, meeting=first, title="Họp Ban Thường vụ (mở rộng)")
    services.meeting_update(actor=province.chief.user, meeting=first, end=at(1, 9, 30))
    first.refresh_from_db()
    assert (first.title, first.end) == ("Họp Ban Thường vụ (mở rộng)", at(1, 9, 30))
    assert AuditEvent.objects.filter(action="meeting.update", target_id=str(first.pk)).count() == 2


def test_rescheduling_tells_the_people_seated_and_a_newcomer_is_invited(province, rooms):
    meeting = book(province, room=rooms[0]).meeting
    booked = services.meeting_update(
        actor=province.leader.user, meeting=meeting, start=at(2, 8), end=at(2, 10), room=rooms[1]
    )
    assert booked.warnings == []
    told = Notification.objects.filter(kind="meeting", title__startswith="Dời lịch họp")
    # The chair moved it: the chief and the specialist are told, not the chair himself.
    assert set(told.values_list("recipient_id", flat=True)) == {province.chief.pk, province.specialist.pk}
    assert "Hội trường lớn" in told.first().body
    services.meeting_update(
        actor=province.leader.user, meeting=meeting, participants=[province.chief, province.clerk]
    )
    assert set(meeting.participants.values_list("person_id", flat=True)) == {
        province.chief.pk,
        province.clerk.pk,
    }
    invited = Notification.objects.filter(kind="meeting", title__startswith="Mời họp")
    assert list(invited.values_list("recipient_id", flat=True)) == [province.clerk.pk]


def test_only_a_planned_meeting_is_changed_and_only_by_who_manages_it(province, rooms):
    meeting = book(province).meeting
    with pytest.raises(PermissionDenied):
        services.meeting_update(actor=province.clerk_x.user, meeting=meeting, title="Khác")
    services.minutes_record(actor=province.leader.user, meeting=meeting, minutes="Đã họp.")
    with pytest.raises(ValidationError) as caught:
        services.meeting_update(actor=province.leader.user, meeting=meeting, start=at(3, 8), end=at(3, 9))
    assert "không sửa được" in caught.value.message_dict["state"][0]


# --- Cancelling --------------------------------------------------------------------------------


def test_cancelling_needs_a_reason_frees_the_room_and_tells_the_people(province, rooms):
    meeting = book(province, room=rooms[0]).meeting
    with pytest.raises(ValidationError) as caught:
        services.meeting_cancel(actor=province.chief.user, meeting=meeting, reason="  ")
    assert caught.value.message_dict["reason"] == ["Hãy ghi lý do hủy, hoãn cuộc họp."]
    with pytest.raises(services.RoomConflict):
        book(province, room=rooms[0], title="Giao ban Văn phòng")
    services.meeting_cancel(actor=province.chief.user, meeting=meeting, reason="Đồng chí Bí thư đi công tác")
    meeting.refresh_from_db()
    assert (meeting.state, meeting.cancel_reason) == (MeetingState.CANCELLED, "Đồng chí Bí thư đi công tác")
    assert book(province, room=rooms[0], title="Giao ban Văn phòng").meeting.room == rooms[0]
    told = Notification.objects.filter(kind="meeting", title__startswith="Hủy, hoãn")
    assert set(told.values_list("recipient_id", flat=True)) == {province.leader.pk, province.specialist.pk}
    with pytest.raises(ValidationError):
        services.meeting_cancel(actor=province.chief.user, meeting=meeting, reason="Lần nữa")


# --- Minutes file ------------------------------------------------------------------------------


def test_the_signed_minutes_file_is_kept_and_the_meeting_is_held(province, rooms):
    meeting = book(province).meeting
    services.minutes_record(
        actor=province.chief.user,
        meeting=meeting,
        upload=SimpleUploadedFile("Biên bản ký.pdf", PDF, content_type="application/pdf"),
    )
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.HELD and meeting.minutes == ""
    assert meeting.minutes_file.name.endswith(".pdf")
    with meeting.minutes_file.open("rb") as fh:
        assert fh.read() == PDF
    entry = AuditEvent.objects.get(action="meeting.minutes_file", target_id=str(meeting.pk))
    assert entry.after["size"] == len(PDF)


def test_a_refused_minutes_file_loses_nothing(province):
    meeting = book(province).meeting
    with pytest.raises(ValidationError) as caught:
        services.minutes_record(
            actor=province.chief.user,
            meeting=meeting,
            minutes="Nội dung biên bản",
            upload=SimpleUploadedFile(
                "bien-ban.exe", b"MZ\x90\x00 not a document", content_type="text/plain"
            ),
        )
    assert "minutes_file" in caught.value.message_dict
    meeting.refresh_from_db()
    assert (meeting.state, meeting.minutes, meeting.minutes_file.name) == (MeetingState.PLANNED, "", "")
    assert not AuditEvent.objects.filter(action__startswith="meeting.minutes").exists()


# --- From the work programme -----------------------------------------------------------------


def test_a_meeting_takes_up_an_item_of_its_committees_programme_only(province):
    own = _program_item(province.committee)
    other = _program_item(province.commune_x, "Nội dung của xã")
    meeting = book(province, organization=province.office, program_item=own).meeting
    assert meeting.program_item == own
    with pytest.raises(ValidationError) as caught:
        book(province, program_item=other, start=at(4, 8), end=at(4, 9))
    assert "program_item" in caught.value.message_dict
    assert own.state == ItemState.PLANNED
    # Holding the meeting carries the item out, on the meeting's day.
    services.minutes_record(actor=province.chief.user, meeting=meeting, minutes="Đã họp, thông qua.")
    own.refresh_from_db()
    assert (own.state, own.done_on) == (ItemState.DONE, at(1, 8).date())


# --- API ---------------------------------------------------------------------------------------


def test_api_patch_reschedules_answers_409_on_a_clash_and_cancel_needs_a_reason(client, province, rooms):
    taken = book(province, room=rooms[0]).meeting
    meeting = book(province, room=rooms[0], start=at(1, 14), end=at(1, 16)).meeting
    url = f"/api/v1/meetings/{meeting.pk}/"
    auth = bearer(province.chief.user)
    error = assert_error(
        client.patch(url, {"start": at(1, 9).isoformat()}, content_type="application/json", **auth),
        409,
        "conflict",
    )
    assert "room" in error["fields"]
    response = client.patch(
        url,
        {"start": at(1, 15).isoformat(), "end": at(1, 17).isoformat()},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 200, response.content
    assert response.json()["start"].startswith(at(1, 15).strftime("%Y-%m-%dT%H:%M"))
    assert "warnings" in response.json()
    cancel = f"/api/v1/meetings/{taken.pk}/cancel/"
    assert_error(client.post(cancel, {}, content_type="application/json", **auth), 400, "invalid")
    response = client.post(cancel, {"reason": "Hoãn"}, content_type="application/json", **auth)
    assert response.status_code == 200 and response.json()["state"] == "cancelled"
    assert response.json()["cancel_reason"] == "Hoãn"
    outsider = bearer(province.clerk_y.user)
    assert client.patch(url, {"title": "X"}, content_type="application/json", **outsider).status_code == 404


def test_api_minutes_with_a_file_and_its_download(client, province):
    meeting = book(province).meeting
    auth = bearer(province.chief.user)
    response = client.post(
        f"/api/v1/meetings/{meeting.pk}/minutes/",
        {
            "minutes": "Biên bản tóm tắt",
            "file": SimpleUploadedFile("bb.pdf", PDF, content_type="application/pdf"),
        },
        **auth,
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "held" and body["minutes"] == "Biên bản tóm tắt"
    assert body["minutes_file"] == f"/api/v1/meetings/{meeting.pk}/minutes-file/"
    download = client.get(body["minutes_file"], **auth)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert client.get(body["minutes_file"], **bearer(province.clerk_y.user)).status_code == 404
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.HELD


def test_pages_edit_and_cancel_a_meeting(client, province, rooms, settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    meeting = book(province, room=rooms[0]).meeting
    client.force_login(province.chief.user)
    page = client.get(f"/cuoc-hop/{meeting.pk}/sua/")
    assert page.status_code == 200 and "Sửa, dời lịch cuộc họp" in page.content.decode()
    form = {
        "organization": province.committee.pk,
        "kind": meeting.kind,
        "title": "Họp Ban Thường vụ (dời)",
        "start": at(3, 8).strftime("%d/%m/%Y %H:%M"),
        "end": at(3, 10).strftime("%d/%m/%Y %H:%M"),
        "room": rooms[0].pk,
        "place": "",
        "chair": province.leader.pk,
        "participants": [province.chief.pk, province.specialist.pk],
    }
    response = client.post(f"/cuoc-hop/{meeting.pk}/sua/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting.refresh_from_db()
    assert (meeting.title, meeting.start) == ("Họp Ban Thường vụ (dời)", at(3, 8))
    response = client.post(f"/cuoc-hop/{meeting.pk}/huy/", {"reason": ""})
    assert response.status_code == 400 and "Hãy ghi lý do hủy, hoãn cuộc họp." in response.content.decode()
    response = client.post(f"/cuoc-hop/{meeting.pk}/huy/", {"reason": "Trùng hội nghị của Trung ương"})
    assert response.status_code == 302
    page = client.get(f"/cuoc-hop/{meeting.pk}/").content.decode()
    assert "Trùng hội nghị của Trung ương" in page and "Đã hủy" in page
    client.force_login(province.clerk_y.user)
    assert client.get(f"/cuoc-hop/{meeting.pk}/sua/").status_code == 404


def test_the_home_page_lists_the_meetings_one_sits_in_this_week(client, province, settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    book(province, title="Họp Ban Thường vụ tuần này")
    later = book(province, title="Họp sau hai tuần", start=at(15, 8), end=at(15, 9)).meeting
    cancelled = book(province, title="Họp đã hoãn", start=at(2, 8), end=at(2, 9)).meeting
    services.meeting_cancel(actor=province.chief.user, meeting=cancelled, reason="Hoãn")
    client.force_login(province.specialist.user)
    page = client.get("/").content.decode()
    assert "Cuộc họp sắp tới của tôi" in page and "Họp Ban Thường vụ tuần này" in page
    assert later.title not in page and cancelled.title not in page
    client.force_login(province.clerk_x.user)
    assert "Cuộc họp sắp tới của tôi" not in client.get("/").content.decode()


def test_the_published_calendar_follows_a_rescheduled_then_cancelled_meeting(province, rooms):
    meeting = book(province, room=rooms[0]).meeting
    day = at(1, 8).date()
    week = services.week_get_or_create(
        actor=province.chief.user,
        organization=province.committee,
        week_start=day - dt.timedelta(days=day.weekday()),
    )
    services.week_compose(actor=province.chief.user, week=week)
    services.week_approve(actor=province.leader.user, week=week)
    services.week_publish(actor=province.leader.user, week=week)
    event = CalendarEvent.objects.get(meeting=meeting)
    assert not event.changed_after_publication

    services.meeting_update(actor=province.chief.user, meeting=meeting, start=at(1, 14), end=at(1, 16))
    event.refresh_from_db()
    assert (event.start, event.end, event.changed_after_publication) == (at(1, 14), at(1, 16), True)
    assert "08:00" in event.change_note and "14:00" in event.change_note
    assert event.sequence == 1

    services.meeting_cancel(actor=province.chief.user, meeting=meeting, reason="Bão số 5")
    event.refresh_from_db()
    assert event.cancelled and "Bão số 5" in event.change_note and event.sequence == 2
