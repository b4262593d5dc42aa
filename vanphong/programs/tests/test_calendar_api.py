"""The weekly calendar API: the contract's event fields, the week's life (create, compose,
add, approve, publish, change, cancel) with its errors in the one format, and the
subscription links (absolute, working without sign-in, dead once revoked)."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from icalendar import Calendar

from vanphong.api.tests.helpers import assert_error, bearer
from vanphong.notifications.models import Notification
from vanphong.programs.models import CalendarEvent, CalendarState, CalendarWeek
from vanphong.programs.tests.test_calendar import at, monday, planned  # noqa: F401  (fixture)

WEEKS = "/api/v1/calendar/weeks/"


def get(client, who, url, **params):
    return client.get(url, params, **bearer(who.user))


def post(client, person, url, data=None):
    return client.post(url, data or {}, content_type="application/json", **bearer(person.user))


def patch(client, person, url, data):
    return client.patch(url, data, content_type="application/json", **bearer(person.user))


def test_the_week_through_the_api(client, province, planned, django_capture_on_commit_callbacks):  # noqa: F811
    body = {"organization": province.committee.pk, "week_start": monday().isoformat()}
    response = post(client, province.chief, WEEKS, body)
    assert response.status_code == 201, response.content
    week = response.json()
    assert (
        week["state"] == "draft"
        and week["events"] == []
        and week["week_end"] == (monday() + dt.timedelta(days=6)).isoformat()
    )
    assert post(client, province.specialist, WEEKS, body).status_code == 200  # the same week

    wrong = assert_error(
        post(
            client,
            province.chief,
            WEEKS,
            {**body, "week_start": (monday() + dt.timedelta(days=2)).isoformat()},
        ),
        400,
        "invalid",
    )
    assert "thứ Hai" in wrong["fields"]["week_start"][0]
    assert_error(post(client, province.clerk_x, WEEKS, body), 404, "not_found")
    assert_error(post(client, province.admin, WEEKS, body), 403, "permission_denied")

    url = f"{WEEKS}{week['id']}/"
    composed = post(client, province.chief, f"{url}compose/").json()
    assert len(composed["added"]) == 3 and len(composed["events"]) == 3
    assert post(client, province.chief, f"{url}compose/").json()["added"] == []
    assert_error(get(client, province.clerk_x, url), 404, "not_found")
    assert_error(get(client, province.admin, url), 404, "not_found")  # not published yet

    added = post(
        client,
        province.chief,
        f"{url}events/",
        {
            "start": at(4, 14).isoformat(),
            "end": at(4, 16).isoformat(),
            "title": "Tiếp đoàn công tác của Ban Tổ chức Trung ương",
            "kind": "lam_viec",
            "leaders": [province.leader.pk],
            "participants": "Lãnh đạo Văn phòng",
            "place": "Trụ sở Tỉnh ủy",
            "preparing_organization": province.office.pk,
        },
    )
    assert added.status_code == 201, added.content
    event = added.json()
    assert event["leaders"] == [{"id": province.leader.pk, "name": "leader"}]
    assert (
        event["preparing_organization"] == province.office.pk and event["changed_after_publication"] is False
    )
    outside = assert_error(
        post(client, province.chief, f"{url}events/", {"start": at(9, 8).isoformat(), "title": "Ngoài tuần"}),
        400,
        "invalid",
    )
    assert "trong tuần" in outside["fields"]["start"][0]

    assert_error(post(client, province.specialist, f"{url}approve/"), 403, "permission_denied")
    early = assert_error(post(client, province.chief, f"{url}publish/"), 400, "invalid")
    assert early["fields"]["state"] == ["Lịch tuần cần được duyệt trước khi công bố."]
    assert post(client, province.leader, f"{url}approve/").json()["state"] == "approved"
    with django_capture_on_commit_callbacks(execute=True):
        answer = post(client, province.chief, f"{url}publish/")
    assert answer.status_code == 200 and answer.json()["state"] == "published"
    assert get(client, province.admin, url).status_code == 200

    meeting_event = CalendarEvent.objects.get(meeting=planned["meeting"])
    with django_capture_on_commit_callbacks(execute=True):
        changed = patch(
            client,
            province.chief,
            f"/api/v1/calendar/events/{meeting_event.pk}/",
            {"start": at(1, 14).isoformat(), "end": at(1, 16).isoformat()},
        )
    assert changed.status_code == 200, changed.content
    data = changed.json()
    assert data["changed_after_publication"] is True and data["sequence"] == 1
    assert data["change_note"] == "Đổi giờ từ 09:00 sang 14:00"
    assert Notification.objects.filter(kind="calendar.change", recipient=province.leader).exists()
    assert_error(
        patch(client, province.admin, f"/api/v1/calendar/events/{meeting_event.pk}/", {"title": "x"}),
        403,
        "permission_denied",
    )

    cancel_url = f"/api/v1/calendar/events/{event['id']}/cancel/"
    assert_error(post(client, province.chief, cancel_url, {"reason": ""}), 400, "invalid")
    cancelled = post(client, province.chief, cancel_url, {"reason": "Đoàn lùi lịch"}).json()
    assert cancelled["cancelled"] is True and cancelled["change_note"] == "Hủy: Đoàn lùi lịch"

    weeks = get(client, province.admin, WEEKS, organization=province.committee.pk).json()["results"]
    assert [w["id"] for w in weeks] == [week["id"]]
    assert CalendarWeek.objects.get().state == CalendarState.PUBLISHED


def test_the_events_list_answers_the_contract_fields(client, province, planned):  # noqa: F811
    from vanphong.programs import services

    week = services.week_get_or_create(
        actor=province.chief.user, organization=province.committee, week_start=monday()
    )
    services.week_compose(actor=province.chief.user, week=week)
    params = {"from": monday().isoformat(), "to": (monday() + dt.timedelta(days=7)).isoformat()}
    response = get(client, province.chief, "/api/v1/calendar/", **params)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == 3
    contract = {"id", "title", "start", "end", "place", "kind", "meeting", "changed_after_publication"}
    extra = {"leaders", "participants", "preparing_organization", "cancelled", "change_note", "week"}
    assert contract | extra <= set(rows[0])
    assert [r["title"] for r in rows][0] == "Cho ý kiến dự thảo báo cáo quý"  # Monday 08:00 first
    assert get(client, province.admin, "/api/v1/calendar/", **params).json()["results"] == []
    mine = get(client, province.chief, "/api/v1/calendar/", person=province.specialist.pk, **params).json()
    assert [r["meeting"] for r in mine["results"]] == [planned["meeting"].pk]
    bad = assert_error(
        get(client, province.chief, "/api/v1/calendar/", **{"from": "hôm qua"}), 400, "invalid"
    )
    assert "from" in bad["fields"]
    assert_error(
        get(client, province.chief, "/api/v1/calendar/", **{"from": "2026-12-10", "to": "2026-12-01"}),
        400,
        "invalid",
    )
    assert_error(get(client, province.chief, "/api/v1/calendar/", person="abc"), 400, "invalid")


def test_the_subscription_links(client, province, planned, django_capture_on_commit_callbacks):  # noqa: F811
    from vanphong.programs import services

    week = services.week_get_or_create(
        actor=province.chief.user, organization=province.committee, week_start=monday()
    )
    services.week_compose(actor=province.chief.user, week=week)
    services.week_approve(actor=province.chief.user, week=week)
    with django_capture_on_commit_callbacks(execute=True):
        services.week_publish(actor=province.chief.user, week=week)

    links = get(client, province.specialist, "/api/v1/calendar/feeds/").json()
    assert set(links) == {"person", "organization"}
    assert links["person"].startswith("http://testserver/lich-tuan/ical/") and links["person"].endswith(
        ".ics"
    )
    assert get(client, province.specialist, "/api/v1/calendar/feeds/").json() == links  # stable

    anonymous = Client()
    mine = Calendar.from_ical(anonymous.get(links["person"].removeprefix("http://testserver")).content)
    assert [str(e["SUMMARY"]) for e in mine.walk("VEVENT")] == ["Họp Ban Thường vụ thường kỳ"]
    whole = Calendar.from_ical(anonymous.get(links["organization"].removeprefix("http://testserver")).content)
    assert len(whole.walk("VEVENT")) == 3

    assert (
        post(client, province.specialist, "/api/v1/calendar/feeds/revoke/", {"kind": "person"}).status_code
        == 204
    )
    assert anonymous.get(links["person"].removeprefix("http://testserver")).status_code == 404
    assert anonymous.get(links["organization"].removeprefix("http://testserver")).status_code == 200
    fresh = get(client, province.specialist, "/api/v1/calendar/feeds/").json()
    assert fresh["person"] != links["person"] and fresh["organization"] == links["organization"]
    assert_error(
        post(client, province.specialist, "/api/v1/calendar/feeds/revoke/", {"kind": "khac"}), 400, "invalid"
    )
