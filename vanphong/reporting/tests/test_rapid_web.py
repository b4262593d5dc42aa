"""Rapid reporting on the pages and through the API: the create form's new fields, the live
board on the request page and its fragment (asked again by htmx), ending a request on its
page and through ``POST /api/v1/report-requests/{id}/close/``, the board of a slot."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from vanphong.api.tests.helpers import assert_error, bearer
from vanphong.reporting import periods
from vanphong.reporting.models import ReportRequest
from vanphong.reporting.tests.test_rapid import make_rapid
from vanphong.tasks.models import Priority

REQUESTS = "/api/v1/report-requests/"


@pytest.fixture(autouse=True)
def _pages_without_second_factor(settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"


def test_the_create_form_makes_an_urgent_hourly_request(client, province):
    today = timezone.localdate()
    client.force_login(province.specialist.user)
    html = client.get(reverse("reporting:request_create")).content.decode()
    assert "Báo cáo nhanh khẩn" in html and "4 giờ một lần" in html and "Theo giờ" in html
    data = {
        "organization": province.committee.pk,
        "title": "Báo cáo nhanh tình hình dịch sốt xuất huyết",
        "frequency": "hourly",
        "interval_hours": "4",
        "urgent": "on",
        "ends_on": (today + dt.timedelta(days=5)).strftime("%d/%m/%Y"),
        "recipients": [province.commune_x.pk, province.commune_y.pk],
        "indicators": "ca_mac | Số ca mắc mới | ca | 0 |",
        "sections": "Tình hình và biện pháp phòng, chống",
    }
    response = client.post(reverse("reporting:request_create"), {**data, "ends_on": ""})
    assert response.status_code == 400 and "cần ngày kết thúc báo cáo" in response.content.decode()
    response = client.post(reverse("reporting:request_create"), data)
    request = ReportRequest.objects.get()
    assert response.status_code == 302
    assert request.urgent and request.interval_hours == 4 and request.frequency == "hourly"
    assert {s.task.priority for s in request.submissions.all()} == {Priority.URGENT}


def test_the_request_page_shows_the_live_board_that_asks_for_itself_again(client, province):
    request = make_rapid(province, interval_hours=4)
    client.force_login(province.specialist.user)
    html = client.get(reverse("reporting:request_detail", args=[request.pk])).content.decode()
    fragment_url = reverse("reporting:live_board", args=[request.pk])
    assert 'id="live-board"' in html and f'hx-get="{fragment_url}"' in html  # today: no day in it
    assert 'hx-trigger="every 30s, live-refresh"' in html and "reporting/live-board.js" in html
    assert 'aria-live="polite"' in html and "Kết thúc yêu cầu báo cáo" in html
    main = html.split("<main", 1)[1]
    assert "style=" not in main and "<script>" not in main  # the Content-Security-Policy
    response = client.get(fragment_url, {"ngay": timezone.localdate().isoformat()})
    part = response.content.decode()
    assert response.status_code == 200
    assert 'id="live-board"' in part and "<html" not in part and "Đảng ủy xã Bình Minh" in part
    assert "no-cache" in response.get("Cache-Control", "")
    assert part.count('class="slot ') == 12  # 6 slots × 2 communes
    # a commune sees its own row; a monthly request has no live board
    client.force_login(province.clerk_x.user)
    part = client.get(fragment_url).content.decode()
    assert "Đảng ủy xã An Phú" in part and "Đảng ủy xã Bình Minh" not in part
    html = client.get(reverse("reporting:request_detail", args=[request.pk])).content.decode()
    assert "Kết thúc yêu cầu báo cáo" not in html
    from vanphong.reporting.tests.conftest import make_request

    monthly = make_request(province)
    assert client.get(reverse("reporting:live_board", args=[monthly.pk])).status_code == 404
    other = make_rapid(province, recipients=[province.commune_y])
    assert client.get(reverse("reporting:live_board", args=[other.pk])).status_code == 404


def test_a_day_outside_the_request_shows_its_nearest_day(client, province):
    request = make_rapid(province, frequency="daily", interval_hours=None)
    client.force_login(province.chief.user)
    url = reverse("reporting:live_board", args=[request.pk])
    for raw in ("1999-01-01", "2099-01-01", "hôm qua"):
        part = client.get(url, {"ngay": raw}).content.decode()
        assert f", {timezone.localdate():%d/%m/%Y}</h2>" in part and f'hx-get="{url}"' in part


def test_ending_a_request_on_its_page(client, province):
    request = make_rapid(province)
    url = reverse("reporting:request_close", args=[request.pk])
    client.force_login(province.clerk_x.user)
    assert client.post(url, {"reason": "Hết bão"}).status_code == 404
    client.force_login(province.specialist.user)
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400 and "Hãy nêu lý do kết thúc" in response.content.decode()
    response = client.post(url, {"reason": "Bão đã tan, tình hình ổn định."}, follow=True)
    html = response.content.decode()
    assert "Đã kết thúc yêu cầu báo cáo" in html and "Bão đã tan, tình hình ổn định." in html
    assert not ReportRequest.objects.get(pk=request.pk).active


def test_the_api_makes_an_urgent_request_shows_a_slots_board_and_ends_it(client, province):
    today = timezone.localdate()
    payload = {
        "title": "Báo cáo nhanh tình hình bão số 9",
        "recipients": [province.commune_x.pk, province.commune_y.pk],
        "frequency": "hourly",
        "interval_hours": 3,
        "urgent": True,
        "ends_on": (today + dt.timedelta(days=2)).isoformat(),
        "indicators": [{"code": "ho_so_tan", "name": "Số hộ phải sơ tán", "unit": "hộ", "min": 0}],
        "sections": ["Tình hình"],
    }
    auth = bearer(province.specialist.user)
    error = assert_error(
        client.post(REQUESTS, {**payload, "interval_hours": 5}, content_type="application/json", **auth),
        400,
        "invalid",
    )
    assert "interval_hours" in error["fields"]
    response = client.post(REQUESTS, payload, content_type="application/json", **auth)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["urgent"] is True and body["interval_hours"] == 3 and body["ends_on"] == payload["ends_on"]
    assert body["starts_on"] == today.isoformat() and body["closed_at"] is None
    slot = periods.slot_at(timezone.now(), 3)
    if (slot.ends_at - timezone.now()) * 2 < slot.ends_at - slot.starts_at:
        slot = slot.next()  # made late in the slot under way: its reports start with the next
    board = client.get(f"{REQUESTS}{body['id']}/board/", {"period": slot.key}, **auth).json()
    assert board["period"] == slot.key and board["due_date"] == slot.date.isoformat()
    assert {r["status"] for r in board["rows"]} == {"pending"}
    assert set(board["rows"][0]) >= {"organization", "status", "submitted_at"}
    assert board["due_at"] is not None
    assert dt.datetime.fromisoformat(board["due_at"]) == slot.ends_at
    error = assert_error(
        client.get(f"{REQUESTS}{body['id']}/board/", {"period": f"{today.isoformat()}T04"}, **auth),
        400,
        "invalid",
    )
    assert "bội số của 3" in error["fields"]["period"][0]
    # a report for the slot, through the API (a period of 13 characters)
    sent = client.post(
        "/api/v1/report-submissions/",
        {"request": body["id"], "period": slot.key, "values": {"ho_so_tan": 40}, "submit": True},
        content_type="application/json",
        **bearer(province.clerk_x.user),
    )
    assert sent.status_code == 200 and sent.json()["status"] == "submitted", sent.content
    # ending it: 404 for a commune, 403 for one who may not, 400 without a reason
    close = f"{REQUESTS}{body['id']}/close/"
    assert_error(
        client.post(close, {"reason": "x"}, content_type="application/json", **bearer(province.clerk_x.user)),
        404,
        "not_found",
    )
    assert_error(
        client.post(close, {"reason": "x"}, content_type="application/json", **bearer(province.clerk.user)),
        403,
        "permission_denied",
    )
    assert_error(client.post(close, {}, content_type="application/json", **auth), 400, "invalid")
    response = client.post(close, {"reason": "Bão đã tan"}, content_type="application/json", **auth)
    assert response.status_code == 200, response.content
    assert response.json()["active"] is False and response.json()["closed_reason"] == "Bão đã tan"
    assert response.json()["closed_at"]
    late = client.post(
        "/api/v1/report-submissions/",
        {"request": body["id"], "period": slot.next().key, "values": {"ho_so_tan": 1}},
        content_type="application/json",
        **bearer(province.clerk_y.user),
    )
    error = assert_error(late, 400, "invalid")
    assert "đã kết thúc lúc" in error["fields"]["request"][0]


def test_the_urgent_form_says_its_deadline_on_the_office_clock(client, province):
    today = timezone.localdate()
    request = make_rapid(province, now=periods.at(today, 22) + dt.timedelta(minutes=10))
    last = request.submissions.get(organization=province.commune_x, period=f"{today.isoformat()}T22")
    client.force_login(province.clerk_x.user)
    html = client.get(reverse("reporting:submission", args=[last.pk])).content.decode()
    assert f"Hạn gửi: 24:00 {today:%d/%m/%Y}" in html and "Khẩn" in html
    assert last.due_date == today


# --- The live board's polling: after midnight, past days, an ended request, a session expired --


def _started_yesterday(province) -> ReportRequest:
    request = make_rapid(province, interval_hours=4)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    ReportRequest.objects.filter(pk=request.pk).update(starts_on=yesterday)
    request.refresh_from_db()
    return request


def test_todays_board_asks_for_today_so_it_turns_to_the_new_day_after_midnight(client, province):
    request = _started_yesterday(province)
    client.force_login(province.specialist.user)
    url = reverse("reporting:live_board", args=[request.pk])
    today = timezone.localdate()
    for page in (reverse("reporting:request_detail", args=[request.pk]), url):
        html = client.get(page).content.decode()
        assert f'hx-get="{url}"' in html and "?ngay=" + today.isoformat() not in html
    # the board the page polls, asked for after midnight, is the new day's
    tomorrow = today + dt.timedelta(days=1)
    ReportRequest.objects.filter(pk=request.pk).update(ends_on=tomorrow + dt.timedelta(days=1))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
        part = client.get(url).content.decode()
    assert f", {tomorrow:%d/%m/%Y}</h2>" in part and "hôm nay" in part


def test_a_past_day_and_an_ended_request_are_not_polled(client, province):
    request = _started_yesterday(province)
    client.force_login(province.specialist.user)
    url = reverse("reporting:live_board", args=[request.pk])
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    part = client.get(url, {"ngay": yesterday.isoformat()}).content.decode()
    assert f", {yesterday:%d/%m/%Y}</h2>" in part
    assert "hx-get" not in part and "hx-trigger" not in part and "Ngày đã qua: không cập nhật nữa" in part
    assert 'hx-trigger="every 30s, live-refresh"' in client.get(url).content.decode()
    from vanphong.reporting import services

    services.request_close(actor=province.specialist.user, request=request, reason="Bão đã tan.")
    part = client.get(url).content.decode()
    assert "hx-get" not in part and "hx-trigger" not in part and "Yêu cầu đã kết thúc" in part


def test_an_expired_session_reloads_the_page_instead_of_showing_the_sign_in_form_in_the_board(
    client, province
):
    request = make_rapid(province, interval_hours=4)
    url = reverse("reporting:live_board", args=[request.pk])
    response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Refresh"] == "true"
    assert response.content == b""
    response = client.get(url)  # not htmx: the sign-in page, as anywhere else
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert "truc-tuyen" in response["Location"]
