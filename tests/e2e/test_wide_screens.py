"""Desktop pages (issue "Hardening", item 8): at 1366×768 the incoming, outgoing, task and
search lists show about 15 rows on the first screen, one line each, the trích yếu cut with
"…" (the full text in its title); the registration form of incoming documents and the
drafting form of outgoing ones have two columns on a wide screen and one on a phone, the
Tab key going along each row; a file field speaks Vietnamese. Screenshots go to
test-results/desktop-*.png (and phone-register.png)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from vanphong.documents.services.registering import registers_provision_defaults
from vanphong.documents.tests.factories import incoming_entry, outgoing_draft
from vanphong.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
LONG_SUBJECT = (
    "Kế hoạch thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị về đột phá phát triển khoa học, "
    "công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia trên địa bàn tỉnh giai đoạn 2026 - 2030"
)

ROWS = """(selector) => Array.from(document.querySelectorAll(selector)).map((row) => {
  const box = row.getBoundingClientRect();
  return {top: box.top, bottom: box.bottom, height: box.height};
})"""


def demo_banner_height(page) -> float:
    """The "Bản chạy thử" banner, shown because these tests sign in without a second factor
    (VANPHONG_TOTP_REQUIRED=none); a real install has none, so the screen's height counts
    without it."""
    banner = page.locator("[data-demo-banner]")
    return banner.bounding_box()["height"] if banner.count() else 0


def about_15_rows_fit(page, name: str) -> None:
    rows = page.evaluate(ROWS, "table.table-dense tbody tr")
    assert len(rows) >= 20, f"{name}: {len(rows)} rows in the data"
    tallest = max(row["height"] for row in rows)
    assert tallest <= 30, f"{name}: a row is {tallest}px high"
    screen = DESKTOP["height"] + demo_banner_height(page)
    shown = sum(1 for row in rows if row["bottom"] <= screen)
    assert shown >= 15, f"{name}: {shown} rows on the first screen (first at {rows[0]['top']:.0f}px)"


def subject_cut_with_ellipsis(page, name: str, full_text: str | None = None) -> None:
    """The trích yếu keeps to one line, cut with "…"; its link's title has the whole text."""
    cell = page.locator("table.table-dense tbody tr td.cell-subject").first
    style = cell.evaluate(
        "(td) => { const s = getComputedStyle(td); return [s.whiteSpace, s.textOverflow, s.overflow]; }"
    )
    assert style == ["nowrap", "ellipsis", "hidden"], f"{name}: {style}"
    if full_text is not None:
        assert cell.evaluate("(td) => td.scrollWidth > td.clientWidth"), (
            f"{name}: the long trích yếu is not cut"
        )
        expect(cell.locator("a")).to_have_attribute("title", full_text)


def new_context(browser, viewport):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def test_lists_are_dense_on_a_desktop(live_server, province, browser, screenshots, settings, sign_in):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    registers_provision_defaults(organization=province.committee, term_start=dt.date(2025, 10, 1))
    for number in range(101, 123):
        incoming_entry(province, number)
    for n in range(1, 22):
        outgoing_draft(province, subject=f"Kế hoạch số {n} thực hiện chuyển đổi số năm 2026")
    outgoing_draft(province, subject=LONG_SUBJECT)
    for n in range(1, 23):
        TaskFactory(province=province, title=f"Xây dựng kế hoạch chuyển đổi số đợt {n} của tỉnh")

    context, page = new_context(browser, DESKTOP)
    sign_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}/van-ban/den/")
    expect(page.locator("details.filters-fold > summary")).to_be_hidden()
    expect(page.get_by_role("button", name="Lọc")).to_be_visible()
    about_15_rows_fit(page, "incoming")
    subject_cut_with_ellipsis(page, "incoming")
    expect(page.get_by_role("link", name="Công văn số 122 về kinh tế số")).to_have_attribute(
        "title", "Công văn số 122 về kinh tế số"
    )
    page.screenshot(path=screenshots / "desktop-incoming.png")

    page.goto(f"{live_server.url}/van-ban/di/")
    about_15_rows_fit(page, "outgoing")
    subject_cut_with_ellipsis(page, "outgoing", LONG_SUBJECT)
    page.screenshot(path=screenshots / "desktop-outgoing.png")

    page.goto(f"{live_server.url}/tra-cuu/?q=kinh+te+so")
    expect(page.locator(".search-result").first).to_contain_text("kinh tế số")
    about_15_rows_fit(page, "search")
    subject_cut_with_ellipsis(page, "search")
    page.screenshot(path=screenshots / "desktop-search.png")
    context.close()

    context, page = new_context(browser, DESKTOP)
    sign_in(page, live_server, "leader")
    page.goto(f"{live_server.url}/nhiem-vu/")
    about_15_rows_fit(page, "tasks")
    subject_cut_with_ellipsis(page, "tasks")
    page.screenshot(path=screenshots / "desktop-tasks.png")

    page.goto(f"{live_server.url}/nhiem-vu/tong-quan/")
    expect(page.locator(".stats").first).to_be_visible()
    page.screenshot(path=screenshots / "desktop-dashboard.png", full_page=True)
    context.close()


FIELD_BOXES = """(names) => names.map((name) => {
  const box = document.querySelector(`.field-${name}`).getBoundingClientRect();
  return {name, x: Math.round(box.left), y: Math.round(box.top)};
})"""


def side_by_side(page, left: str, right: str) -> None:
    a, b = page.evaluate(FIELD_BOXES, [left, right])
    assert a["y"] == b["y"] and a["x"] < b["x"], f"{left} {a}, {right} {b}: not side by side"


def stacked(page, upper: str, lower: str) -> None:
    a, b = page.evaluate(FIELD_BOXES, [upper, lower])
    assert a["x"] == b["x"] and a["y"] < b["y"], f"{upper} {a}, {lower} {b}: not one under the other"


def tab_goes_through(page, ids: list[str]) -> None:
    """From the first field, Tab reaches the others in this order, and that order reads the
    form: along a row from left to right, then down."""
    page.locator(f"#{ids[0]}").focus()
    reached = [ids[0]]
    for _ in ids[1:]:
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.id"))
    assert reached == ids
    boxes = page.evaluate(FIELD_BOXES, [i.removeprefix("id_") for i in ids])
    for before, after in zip(boxes, boxes[1:], strict=False):
        assert after["y"] > before["y"] or (after["y"] == before["y"] and after["x"] > before["x"]), (
            f"Tab goes from {before} back to {after}"
        )


REGISTER_FIELDS = [
    *("id_symbol", "id_issuer_name", "id_issued_date", "id_doc_type", "id_subject"),
    *("id_urgency", "id_classification", "id_signer_name", "id_files"),
    *("id_received_at", "id_channel", "id_signer_position", "id_page_count", "id_notes"),
]


def test_long_forms_have_two_columns_on_a_wide_screen(
    live_server, province, browser, screenshots, settings, sign_in
):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    registers_provision_defaults(organization=province.committee, term_start=dt.date(2025, 10, 1))
    context, page = new_context(browser, DESKTOP)
    sign_in(page, live_server, "clerk")

    page.goto(f"{live_server.url}/van-ban/den/vao-so/")
    expect(page.get_by_role("heading", name="Vào sổ văn bản đến")).to_be_visible()
    side_by_side(page, "symbol", "issuer_name")
    side_by_side(page, "urgency", "classification")
    side_by_side(page, "received_at", "channel")
    tab_goes_through(page, REGISTER_FIELDS)
    # The file field's words are Vietnamese, the browser's own ("Choose files", "No file
    # chosen") hidden with the input, which still takes the focus and the files.
    picker = page.locator(".field-files .file-picker")
    expect(picker.get_by_text("Chọn tệp", exact=True)).to_be_visible()
    expect(picker.get_by_text("Chưa chọn tệp")).to_be_visible()
    assert page.locator("#id_files").bounding_box()["width"] <= 1
    page.locator("#id_files").set_input_files(
        [
            {"name": "15-NQ-TW.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n"},
            {"name": "phu-luc.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n"},
        ]
    )
    expect(picker.locator("[data-file-names]")).to_have_text("15-NQ-TW.pdf, phu-luc.pdf")
    page.locator("#id_files").focus()  # its focus ring shows on "Chọn tệp"
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=screenshots / "desktop-register.png", full_page=True)

    page.goto(f"{live_server.url}/van-ban/di/soan-thao/")
    expect(page.get_by_role("heading", name="Soạn thảo văn bản đi")).to_be_visible()
    side_by_side(page, "organization", "doc_type")
    side_by_side(page, "urgency", "classification")
    side_by_side(page, "circulation", "typist_initials")
    expect(page.locator(".field-files .file-picker")).to_contain_text("Chọn tệp")
    page.screenshot(path=screenshots / "desktop-outgoing-draft.png", full_page=True)
    context.close()

    context, page = new_context(browser, PHONE)
    sign_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}/van-ban/den/vao-so/")
    stacked(page, "symbol", "issuer_name")
    stacked(page, "urgency", "classification")
    stacked(page, "received_at", "channel")
    tab_goes_through(page, REGISTER_FIELDS)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.evaluate("window.scrollTo(0, 0)")  # the sticky top bar stays on top in the picture
    page.screenshot(path=screenshots / "phone-register.png", full_page=True)
    page.goto(f"{live_server.url}/van-ban/di/soan-thao/")
    stacked(page, "urgency", "classification")
    context.close()
