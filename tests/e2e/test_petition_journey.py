"""The office's main path through the petitions book: the văn thư enters a complaint with its
scanned letter, the Chánh Văn phòng gives it to a specialist, who accepts it (the page shows
the resolution deadline and the letter the decision produced, which downloads as .docx) and
records the result. A denunciation in the same book shows its leader a masked identity.
Screenshots of the book and of a petition at desktop width and at 390 px (a phone)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from vanphong.petitions import services
from vanphong.petitions.models import Petition, PetitionFileKind, State
from vanphong.petitions.services import PetitionerSpec

pytestmark = pytest.mark.e2e

PHONE = {"locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh", "viewport": {"width": 390, "height": 844}}
DESKTOP = {"locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh", "viewport": {"width": 1280, "height": 860}}
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
COMPLAINT = (
    "Khiếu nại việc Ủy ban nhân dân xã thu hồi đất nông nghiệp của gia đình không bồi thường thỏa đáng."
)
PETITIONER = "Nguyễn Thị Hồng Nhung"
DENOUNCER = "Trần Văn Bảo"


def _context(browser, **options):
    context = browser.new_context(**options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def test_a_complaint_goes_from_the_clerk_to_its_result_and_a_denouncer_stays_masked(
    live_server, province, browser, page, screenshots, settings, sign_in, tmp_path
):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    settings.MEDIA_ROOT = tmp_path / "media"
    scan = tmp_path / "don-khieu-nai.pdf"
    scan.write_bytes(PDF)

    # The văn thư enters the complaint, with the scanned letter.
    sign_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}/don-thu/")
    page.get_by_role("link", name="Vào sổ đơn").click()
    expect(page.get_by_role("heading", name="Vào sổ đơn thư")).to_be_visible()
    page.get_by_label("Loại đơn").select_option(label="Khiếu nại")
    page.get_by_label("Nội dung tóm tắt").fill(COMPLAINT)
    page.get_by_label("Người, cơ quan bị khiếu nại, tố cáo").fill("Ủy ban nhân dân xã An Phú")
    page.get_by_label("Lĩnh vực").fill("Đất đai")
    page.get_by_label("Địa bàn").fill("Xã An Phú")
    page.get_by_label("Họ và tên, người thứ 1").fill(PETITIONER)
    page.get_by_label("Địa chỉ, người thứ 1").fill("Thôn Đông, xã An Phú")
    page.get_by_label("Điện thoại, người thứ 1").fill("0912345678")
    page.get_by_label("Tài liệu kèm đơn").set_input_files(str(scan))
    page.get_by_role("button", name="Vào sổ", exact=True).last.click()
    petition = Petition.objects.get()
    number = f"{petition.number}/{petition.year}"
    expect(page.locator(".messages")).to_contain_text(f"Đã vào sổ đơn số {number} (khiếu nại).")
    expect(page.get_by_role("heading", name=f"Đơn số {number}")).to_be_visible()
    expect(page.locator("body")).to_contain_text(PETITIONER)
    expect(page.locator("body")).to_contain_text("Xã An Phú")
    files = page.locator("section[aria-labelledby=h-files]")
    expect(files.get_by_role("link", name="don-khieu-nai.pdf")).to_be_visible()
    assert petition.files.filter(kind=PetitionFileKind.ATTACHMENT).count() == 1

    # The Chánh Văn phòng gives it to the specialist.
    office, desk = _context(browser, **DESKTOP)
    sign_in(desk, live_server, "chief")
    desk.goto(f"{live_server.url}/don-thu/{petition.pk}/")
    desk.locator("#giao").get_by_label("Cán bộ xử lý").select_option(label=province.specialist.full_name)
    desk.get_by_role("button", name="Giao xử lý").click()
    expect(desk.locator(".messages")).to_contain_text(
        f"Đã giao {province.specialist.full_name} xử lý đơn số {number}."
    )
    office.close()

    # The specialist accepts it: the resolution deadline and the letter appear.
    work, mine = _context(browser, **DESKTOP)
    sign_in(mine, live_server, "specialist")
    mine.goto(f"{live_server.url}/don-thu/?cua_toi=1")
    mine.get_by_role("link", name=number).click()
    expect(mine.get_by_role("heading", name=f"Đơn số {number}")).to_be_visible()
    mine.locator("#xu-ly").get_by_label("Thụ lý giải quyết").check()
    mine.locator("#xu-ly").get_by_label("Lý do, ghi chú xử lý").fill("Đơn đủ điều kiện thụ lý.")
    mine.get_by_role("button", name="Ghi quyết định").click()
    expect(mine.locator(".messages")).to_contain_text(f"Đã xử lý đơn số {number}")
    petition.refresh_from_db()
    assert petition.state == State.ACCEPTED and petition.resolve_by is not None
    expect(mine.locator(".page-header")).to_contain_text(f"Hạn giải quyết: {petition.resolve_by:%d/%m/%Y}")
    letter = mine.locator("section[aria-labelledby=h-files] a", has_text=".docx")
    expect(letter).to_have_count(1)
    with mine.expect_download() as info:
        letter.click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    assert Path(download.path()).read_bytes()[:2] == b"PK"
    mine.evaluate("window.scrollTo(0, 0)")  # the sticky top bar stays at the top of the picture
    mine.screenshot(path=screenshots / "petitions-01-detail-accepted-desktop.png", full_page=True)

    # ... and records the result.
    result = mine.locator("#ket-qua")
    result.get_by_label("Kết quả giải quyết").select_option(label="Đúng một phần")
    result.get_by_label("Tóm tắt kết quả").fill("Đề nghị Ủy ban nhân dân xã xem xét bồi thường bổ sung.")
    mine.get_by_role("button", name="Ghi kết quả").click()
    expect(mine.locator(".messages")).to_contain_text(f"Đã ghi kết quả giải quyết đơn số {number}.")
    expect(mine.locator(".page-header")).to_contain_text("Đã giải quyết")
    expect(mine.locator("section[aria-labelledby=h-decision]")).to_contain_text("Đúng một phần")
    petition.refresh_from_db()
    assert petition.state == State.RESOLVED and petition.resolved_on == timezone.localdate()
    mine.screenshot(path=screenshots / "petitions-02-detail-resolved-desktop.png", full_page=True)
    work.close()

    # A denunciation entered by the clerk: its leader sees the case, not who denounced.
    denunciation = services.petition_register(
        actor=province.clerk.user,
        organization=province.committee,
        received_date=timezone.localdate(),
        channel="post",
        kind="to_cao",
        content="Tố cáo cán bộ địa chính xã nhận tiền của người dân khi làm thủ tục cấp giấy chứng nhận.",
        petitioners=[PetitionerSpec(DENOUNCER, "Xóm Trại, xã Bình Minh", "001086054321", "0987654321")],
        respondent="Cán bộ địa chính xã Bình Minh",
        field="Đất đai",
        locality="Xã Bình Minh",
    )
    lead, chair = _context(browser, **DESKTOP)
    sign_in(chair, live_server, "leader")
    chair.goto(f"{live_server.url}/don-thu/")
    row = chair.locator(
        ".petition-table tbody tr",
        has=chair.get_by_role("link", name=f"{denunciation.number}/{denunciation.year}", exact=True),
    )
    expect(row).to_contain_text("Danh tính được bảo vệ")
    expect(chair.locator(".petition-table")).to_contain_text(PETITIONER)
    expect(chair.locator("body")).not_to_contain_text(DENOUNCER)
    chair.screenshot(path=screenshots / "petitions-03-list-leader-desktop.png", full_page=True)
    chair.goto(f"{live_server.url}/don-thu/{denunciation.pk}/")
    expect(chair.locator("section[aria-labelledby=h-who]")).to_contain_text("Danh tính được bảo vệ")
    expect(chair.locator("body")).not_to_contain_text(DENOUNCER)
    expect(chair.locator("body")).not_to_contain_text("001086054321")
    expect(chair.locator("section[aria-labelledby=h-files]")).to_contain_text(
        "chỉ mở được với cán bộ xử lý đơn"
    )
    chair.screenshot(path=screenshots / "petitions-04-detail-masked-desktop.png", full_page=True)
    lead.close()

    # The same pages on a phone: cards, nothing wider than the screen.
    phone, small = _context(browser, **PHONE)
    sign_in(small, live_server, "clerk")
    for name, url in (
        ("list", "/don-thu/"),
        ("detail", f"/don-thu/{petition.pk}/"),
        ("register", "/don-thu/vao-so/"),
    ):
        small.goto(f"{live_server.url}{url}")
        small.screenshot(path=screenshots / f"petitions-05-{name}-phone.png", full_page=True)
        assert small.evaluate("document.documentElement.scrollWidth") <= 390, name
    phone.close()
