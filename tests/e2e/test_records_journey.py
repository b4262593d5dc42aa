"""The records' main path: the văn thư opens the Tỉnh ủy's file "01.TH" from the approved plan,
files three documents into it from the page's search, closes it (its retention and transfer
date appear), and prints its index (mục lục văn bản): the PDF holds the three documents in
order, and its first page is rendered to a PNG to be looked at. Screenshots of the record at
desktop width and at 390 px (a phone)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from vanphong.documents.tests.factories import DocumentFactory
from vanphong.records import services
from vanphong.records.models import Record, RecordState
from vanphong.records.services import ItemSpec

pytestmark = pytest.mark.e2e

PHONE = {"locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh", "viewport": {"width": 390, "height": 844}}
DOCUMENTS = (
    ("15-NQ/TU", "Nghị quyết về chuyển đổi số trong các cơ quan Đảng của tỉnh"),
    ("22-BC/TU", "Báo cáo sơ kết chuyển đổi số sáu tháng đầu năm"),
    ("31-KH/TU", "Kế hoạch thực hiện chuyển đổi số năm sau"),
)


def test_the_clerk_files_three_documents_closes_the_record_and_prints_its_index(
    live_server, province, page, browser, screenshots, settings, sign_in, tmp_path
):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    settings.MEDIA_ROOT = tmp_path / "media"
    year = timezone.localdate().year
    plan = services.plan_create(
        actor=province.specialist.user,
        organization=province.committee,
        year=year,
        items=[
            ItemSpec("01.TH", "Hồ sơ chuyển đổi số của Tỉnh ủy", 10, heading="Tổng hợp"),
            ItemSpec("02.TH", "Báo cáo tháng, quý", 5, heading="Tổng hợp"),
        ],
    )
    services.plan_approve(actor=province.chief.user, plan=plan)
    for n, (symbol, subject) in enumerate(DOCUMENTS):
        DocumentFactory(
            organization=province.committee,
            symbol=symbol,
            subject=subject,
            issued_date=dt.date(year, 1, 10 + n),
            page_count=3 + n,
        )

    # The văn thư opens the file from the plan.
    sign_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}/ho-so/danh-muc/{plan.pk}/")
    page.get_by_role("link", name="Mở hồ sơ").first.click()
    expect(page.get_by_role("heading", name="Mở hồ sơ")).to_be_visible()
    page.get_by_label("Ngày bắt đầu").fill(f"02/01/{year}")
    page.get_by_role("button", name="Mở hồ sơ").click()
    record = Record.objects.get()
    expect(page.get_by_role("heading", name="Hồ sơ 01.TH")).to_be_visible()

    # Three documents, found by a search without accents, filed in order.
    for symbol, _subject in DOCUMENTS:
        page.get_by_label("Tìm văn bản theo số, ký hiệu hoặc trích yếu").fill(symbol)
        page.get_by_role("button", name="Tìm", exact=True).click()
        page.get_by_role("button", name=f"Đưa văn bản {symbol} vào hồ sơ").click()
        expect(page.locator(".messages")).to_be_visible()
    index = page.locator("section[aria-labelledby=h-index]")
    for symbol, _subject in DOCUMENTS:
        expect(index).to_contain_text(symbol)
    assert list(record.items.order_by("ordinal").values_list("symbol", flat=True)) == [
        s for s, _ in DOCUMENTS
    ]

    # Closed: retention from the year it closed, a transfer owed within a year.
    close = page.locator("section[aria-labelledby=h-close]")
    close.get_by_label("Chứng từ kết thúc").fill("Hồ sơ gồm 3 văn bản, đã loại bỏ bản trùng và bản nháp.")
    close.get_by_role("button", name="Kết thúc hồ sơ").click()
    record.refresh_from_db()
    assert record.state == RecordState.CLOSED and record.retention_until == dt.date(year + 10, 12, 31)
    expect(page.locator("body")).to_contain_text("Hạn nộp lưu")
    page.screenshot(path=str(screenshots / "records-detail-desktop.png"), full_page=True)

    # The index, printed: the three documents in order in the PDF, its first page looked at.
    with page.expect_download() as download:
        page.get_by_role("link", name="In mục lục văn bản").click()
    pdf = tmp_path / "muc-luc.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "MỤC LỤC VĂN BẢN" in text
    positions = [text.index(symbol) for symbol, _ in DOCUMENTS]
    assert positions == sorted(positions)
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                str(pdf),
                str(screenshots / "records-index-pdf"),
            ],
            check=True,
        )
        assert any(Path(screenshots).glob("records-index-pdf*.png"))

    # The same record on a phone.
    phone = browser.new_context(**PHONE)
    mobile = phone.new_page()
    mobile.set_default_timeout(10_000)
    sign_in(mobile, live_server, "clerk")
    mobile.goto(f"{live_server.url}/ho-so/{record.pk}/")
    expect(mobile.get_by_role("heading", name="Hồ sơ 01.TH")).to_be_visible()
    mobile.screenshot(path=str(screenshots / "records-detail-phone.png"), full_page=True)
    mobile.goto(f"{live_server.url}/ho-so/")
    mobile.screenshot(path=str(screenshots / "records-list-phone.png"), full_page=True)
    phone.close()
