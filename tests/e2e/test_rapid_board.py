"""Storm no. 9: the Tỉnh ủy's office follows the communes' reports every two hours on the live
board of the request page. While the page is open, a commune sends the report of the slot
under way (through the services, as another person's browser would) and the board shows it
by itself — no reload — within a few seconds. Screenshots of the board at desktop width and
at 390 px (a phone)."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from vanphong.orgs.models import Role
from vanphong.orgs.tests.factories import OrganizationFactory, make_actor
from vanphong.reporting import periods, services, views
from vanphong.reporting.services import IndicatorSpec

pytestmark = pytest.mark.e2e

PHONE = {"locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh", "viewport": {"width": 390, "height": 844}}
PLACES = ("Đức Trọng", "Di Linh", "Lạc Dương", "Tuy Phong")
FIGURES = {"ho_so_tan": 120, "nguoi_bi_thuong": 1, "nha_hu_hong": 14, "lua_ngap": "35,5"}


def _storm(province):
    """An urgent request made seven hours ago to six communes, every two hours; the hourly
    job run since; a few slots answered (some late), a few not."""
    communes = [province.commune_x, province.commune_y]
    clerks = {province.commune_x.pk: province.clerk_x, province.commune_y.pk: province.clerk_y}
    for n, place in enumerate(PLACES):
        org = OrganizationFactory(
            name=f"Đảng ủy xã {place}", short_name=f"ĐU {place}", parent=province.committee, slug=f"xa{n}"
        )
        communes.append(org)
        clerks[org.pk] = make_actor(f"clerk_{n}", org, Role.VAN_THU)
    now = timezone.now()
    request = services.request_create(
        actor=province.specialist.user,
        organization=province.committee,
        title="Báo cáo nhanh tình hình mưa lũ do bão số 9",
        frequency="hourly",
        interval_hours=2,
        urgent=True,
        ends_on=timezone.localdate() + dt.timedelta(days=3),
        recipients=communes,
        indicators=[
            IndicatorSpec("ho_so_tan", "Số hộ phải sơ tán", "hộ", Decimal(0)),
            IndicatorSpec("nguoi_bi_thuong", "Số người bị thương", "người", Decimal(0)),
            IndicatorSpec("nha_hu_hong", "Số nhà bị hư hỏng", "nhà", Decimal(0)),
            IndicatorSpec("lua_ngap", "Diện tích lúa bị ngập", "ha", Decimal(0)),
        ],
        sections=["Tình hình và công tác ứng phó"],
        now=now - dt.timedelta(hours=7),
    )
    services.periods_ensure(request, now=now)
    current = periods.slot_at(now, 2)
    for n, submission in enumerate(request.submissions.order_by("period", "organization__path")):
        if submission.period >= current.key or n % 4 == 3:
            continue  # the slot under way still to send; a few missing
        services.submission_save(
            actor=clerks[submission.organization_id].user,
            submission=submission,
            values={**FIGURES, "ho_so_tan": 40 + 10 * n},
            submit=True,
        )
    return request, current


def test_the_live_board_shows_a_report_sent_while_it_is_open(
    live_server, province, browser, page, settings, sign_in, screenshots, monkeypatch
):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    monkeypatch.setattr(views, "LIVE_REFRESH_SECONDS", 2)  # the server thread reads it per request
    request, current = _storm(province)
    problems: list[str] = []  # script errors and Content-Security-Policy refusals, as they come
    page.on(
        "console",
        lambda m: ("Refused to" in m.text or "Content Security Policy" in m.text) and problems.append(m.text),
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    sign_in(page, live_server, "specialist")
    page.goto(f"{live_server.url}/bao-cao/{request.pk}/")
    board = page.locator("#live-board")
    expect(board).to_contain_text("Theo dõi trực tuyến hôm nay")
    cell = page.locator(f'tr[data-organization="{province.commune_x.pk}"] li[data-period="{current.key}"]')
    expect(cell).to_have_attribute("data-status", "pending")
    expect(page.locator("#live-table tbody tr")).to_have_count(6)
    page.evaluate("window.__notReloaded = true")

    # An Phú's văn thư sends the report of the slot under way, elsewhere.
    submission = request.submissions.get(organization=province.commune_x, period=current.key)
    services.submission_save(actor=province.clerk_x.user, submission=submission, values=FIGURES, submit=True)

    expect(cell).to_have_attribute("data-status", "submitted", timeout=15_000)
    assert page.evaluate("window.__notReloaded === true"), "the page was reloaded"
    assert problems == []
    row = page.locator(f'tr[data-organization="{province.commune_x.pk}"]')
    expect(row.locator('[data-figure="ho_so_tan"]')).to_have_text("120")
    page.screenshot(path=screenshots / "rapid-board-desktop.png", full_page=True)

    phone = browser.new_context(**PHONE)
    small = phone.new_page()
    small.set_default_timeout(10_000)
    sign_in(small, live_server, "specialist")
    small.goto(f"{live_server.url}/bao-cao/{request.pk}/")
    expect(small.locator("#live-board")).to_be_visible()
    small.screenshot(path=screenshots / "rapid-board-phone.png", full_page=True)
    assert small.evaluate("document.documentElement.scrollWidth") <= 390
    phone.close()


def test_the_urgent_report_is_answered_from_a_phone(
    live_server, province, browser, settings, sign_in, screenshots
):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    request, current = _storm(province)
    phone = browser.new_context(**PHONE)
    clerk = phone.new_page()
    clerk.set_default_timeout(10_000)
    sign_in(clerk, live_server, "clerk_x")
    expect(clerk.get_by_text("Báo cáo nhanh khẩn phải gửi")).to_be_visible()
    clerk.get_by_role("link", name=f"KHẨN — {request.title}").first.click()
    expect(clerk.get_by_text("Hạn gửi:")).to_be_visible()
    clerk.goto(
        f"{live_server.url}/bao-cao/nop/"
        f"{request.submissions.get(organization=province.commune_x, period=current.key).pk}/"
    )
    clerk.get_by_label("Số hộ phải sơ tán (hộ)").fill("95")
    clerk.get_by_label("Số người bị thương (người)").fill("0")
    clerk.get_by_label("Số nhà bị hư hỏng (nhà)").fill("7")
    clerk.get_by_label("Diện tích lúa bị ngập (ha)").fill("12,5")
    clerk.get_by_role("button", name="Gửi báo cáo").click()
    expect(clerk.locator(".messages")).to_contain_text("Đã gửi báo cáo.")
    assert clerk.evaluate("document.documentElement.scrollWidth") <= 390
    clerk.screenshot(path=screenshots / "rapid-form-phone.png", full_page=True)
    phone.close()


def _small_storm(province):
    return services.request_create(
        actor=province.specialist.user,
        organization=province.committee,
        title="Báo cáo nhanh tình hình mưa lũ do bão số 9",
        frequency="hourly",
        interval_hours=2,
        urgent=True,
        ends_on=timezone.localdate() + dt.timedelta(days=3),
        recipients=[province.commune_x, province.commune_y],
        indicators=[IndicatorSpec("ho_so_tan", "Số hộ phải sơ tán", "hộ", Decimal(0))],
        sections=["Tình hình và công tác ứng phó"],
    )


def test_an_expired_session_takes_the_page_to_the_sign_in_page(
    live_server, province, page, settings, sign_in, monkeypatch
):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    monkeypatch.setattr(views, "LIVE_REFRESH_SECONDS", 1)
    request = _small_storm(province)
    sign_in(page, live_server, "specialist")
    page.goto(f"{live_server.url}/bao-cao/{request.pk}/")
    expect(page.locator("#live-board")).to_be_visible()
    page.context.clear_cookies()  # the session expired
    login = reverse("accounts:login")
    expect(page).to_have_url(re.compile(re.escape(login)), timeout=15_000)
    expect(page.locator("#live-board")).to_have_count(0)


def test_an_answer_that_is_not_the_board_is_not_put_in_the_board(
    live_server, province, page, settings, sign_in, monkeypatch
):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    monkeypatch.setattr(views, "LIVE_REFRESH_SECONDS", 1)
    request = _small_storm(province)
    sign_in(page, live_server, "specialist")
    page.goto(f"{live_server.url}/bao-cao/{request.pk}/")
    expect(page.locator("#live-board")).to_be_visible()
    page.evaluate("window.__notReloaded = true")
    # something else than the board answers the board's request (a sign-in page served in its
    # place): its address is the board's own, its body is not the board
    sign_in_page = (
        '<!doctype html><html><body><form method="post"><input name="password"></form></body></html>'
    )

    def board_request(url: str) -> bool:
        return "/truc-tuyen/" in url and "next=" not in url

    page.route(
        board_request, lambda route: route.fulfill(status=200, content_type="text/html", body=sign_in_page)
    )
    for _ in range(60):  # the page reloads (the CSP forbids wait_for_function's eval)
        page.wait_for_timeout(250)
        with contextlib.suppress(PlaywrightError):  # the page may be navigating
            if page.evaluate("window.__notReloaded === undefined"):
                break
    else:
        pytest.fail("the page did not reload")
    page.unroute(board_request)
    expect(page.locator("#live-board")).to_be_visible()
    expect(page.locator("#live-board form")).to_have_count(0)
