"""A citizen sends a complaint from a phone, without signing in: the public form with its
offline captcha, the tracking code, the lookup ("chờ vào sổ"); the văn thư opens the online
queue and enters the letter in the book; the citizen's lookup then shows its number.
Screenshots of the public form and of the confirmation at 390 px (a phone)."""

from __future__ import annotations

import pytest
from captcha.models import CaptchaStore
from playwright.sync_api import expect

from vanphong.petitions.models import PetitionSubmission, SubmissionState

pytestmark = pytest.mark.e2e

PHONE = {"locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh", "viewport": {"width": 390, "height": 844}}
CONTENT = (
    "Năm 2025, Ủy ban nhân dân xã An Phú thu hồi 500 m² đất nông nghiệp của gia đình tôi để làm "
    "đường nhưng mức bồi thường thấp hơn giá thị trường. Đề nghị xem xét lại mức bồi thường."
)
CITIZEN = "Lê Thị Thu Hường"


def test_a_citizen_sends_a_complaint_from_a_phone_and_follows_it_into_the_book(
    live_server, province, browser, screenshots, settings, sign_in, tmp_path
):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    settings.MEDIA_ROOT = tmp_path / "media"

    # The citizen, on a phone, not signed in.
    phone = browser.new_context(**PHONE)
    citizen = phone.new_page()
    citizen.set_default_timeout(10_000)
    citizen.goto(f"{live_server.url}/cong-dan/gui-don/")
    expect(citizen.get_by_role("heading", name="Gửi đơn trực tuyến")).to_be_visible()
    expect(citizen.locator("body")).not_to_contain_text("Việc của tôi")  # no officer's menu
    citizen.get_by_label("Cơ quan nhận đơn").select_option(label=province.committee.name)
    citizen.get_by_label("Khiếu nại", exact=True).check()
    citizen.get_by_label("Họ và tên người gửi").fill(CITIZEN)
    citizen.get_by_label("Địa chỉ liên hệ").fill("Thôn Đông, xã An Phú, tỉnh Thử nghiệm")
    citizen.get_by_label("Số điện thoại").fill("0912345678")
    citizen.get_by_label("Người, cơ quan bị khiếu nại, tố cáo").fill("Ủy ban nhân dân xã An Phú")
    citizen.get_by_label("Nơi xảy ra sự việc (xã, phường)").fill("Xã An Phú")
    citizen.get_by_label("Nội dung đơn").fill(CONTENT)
    # What a person reads in the picture: the answer kept under the form's hidden key.
    key = citizen.locator('input[name="captcha_0"]').input_value()
    picture = citizen.locator("img.captcha")
    expect(picture).to_be_visible()
    assert citizen.evaluate("(img) => img.complete && img.naturalWidth > 0", picture.element_handle())
    citizen.get_by_label("Mã kiểm tra").fill(CaptchaStore.objects.get(hashkey=key).response.upper())
    citizen.evaluate("window.scrollTo(0, 0)")  # the sticky top bar stays at the top of the picture
    citizen.screenshot(path=screenshots / "public-petition-01-form-phone.png", full_page=True)
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 390
    citizen.get_by_role("button", name="Gửi đơn").click()

    expect(citizen.get_by_text("Đơn của ông (bà) đã được gửi.")).to_be_visible()
    submission = PetitionSubmission.objects.get()
    assert submission.state == SubmissionState.PENDING and submission.full_name == CITIZEN
    code = citizen.locator("[data-tracking-code]").inner_text().strip()
    assert code == submission.tracking_code
    citizen.screenshot(path=screenshots / "public-petition-02-sent-phone.png", full_page=True)
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 390

    citizen.get_by_role("link", name="Tra cứu", exact=True).click()
    citizen.get_by_label("Mã tra cứu").fill(code.lower())
    citizen.get_by_role("button", name="Tra cứu").click()
    status = citizen.locator("section[aria-labelledby=h-status]")
    expect(status).to_contain_text("Đã nhận, chờ vào sổ.")
    expect(status).to_contain_text(province.committee.name)

    # The văn thư enters it in the book from the online queue.
    office = browser.new_context(
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 1280, "height": 860}
    )
    desk = office.new_page()
    desk.set_default_timeout(10_000)
    sign_in(desk, live_server, "clerk")
    desk.goto(f"{live_server.url}/don-thu/truc-tuyen/")
    expect(desk.get_by_role("heading", name="Chờ vào sổ (1)")).to_be_visible()
    desk.get_by_role("link", name="Năm 2025, Ủy ban nhân dân xã An Phú").click()
    expect(desk.locator("body")).to_contain_text(CITIZEN)
    expect(desk.locator("body")).to_contain_text(code)
    desk.get_by_role("button", name="Vào sổ", exact=True).click()
    submission.refresh_from_db()
    assert submission.state == SubmissionState.REGISTERED and submission.petition is not None
    petition = submission.petition
    number = f"{petition.number}/{petition.year}"
    expect(desk.locator(".messages")).to_contain_text(f"Đã vào sổ đơn số {number}.")
    expect(desk.get_by_role("heading", name=f"Đơn số {number}")).to_be_visible()
    expect(desk.locator("section[aria-labelledby=h-who]")).to_contain_text(CITIZEN)
    expect(desk.locator("section[aria-labelledby=h-meta]")).to_contain_text("Trực tuyến")
    office.close()

    # The citizen's lookup now shows the number (and nothing of who handles it).
    citizen.get_by_label("Mã tra cứu").fill(code)
    citizen.get_by_role("button", name="Tra cứu").click()
    expect(status).to_contain_text(f"Đã vào sổ số {number}")
    expect(citizen.locator("body")).not_to_contain_text(province.clerk.full_name)
    citizen.screenshot(path=screenshots / "public-petition-03-track-phone.png", full_page=True)
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 390
    phone.close()
