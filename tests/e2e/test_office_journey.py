"""The Chánh Văn phòng Tỉnh ủy's morning, in the demo province: the home page lists what the
văn thư presented; a Nghị quyết is presented on to the Bí thư, a routine Công văn is directed
by the Chánh Văn phòng (the Tỉnh ủy's OfficeDirectionRule lets the office direct it) and
becomes a task, which the Chánh Văn phòng then follows up from the task pages. Desktop and
phone screenshots of the home and the task page go to test-results/."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from vanphong.demo.orgs import seed_demo
from vanphong.documents.models import Assignment, Direction, EntryStatus, OfficeDirectionRule
from vanphong.documents.services.incoming import incoming_present, incoming_register
from vanphong.documents.services.registering import registers_provision_defaults
from vanphong.orgs.models import Organization, Person
from vanphong.orgs.tests.factories import TEST_PASSWORD
from vanphong.tasks.models import Priority, Task, TaskEvent

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
# The Tỉnh ủy's term as the demo documents open its books (vanphong.demo.documents).
COMMITTEE_TERM_START = dt.date(2025, 10, 15)


def person(username: str) -> Person:
    return Person.objects.select_related("user").get(user__username=username)


def new_page(browser, viewport: dict[str, int]):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def sideways(page) -> int:
    """How far the page scrolls sideways (0 when it fits the screen's width)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_chanhvp_presents_on_directs_and_follows_up(
    live_server, browser, page, screenshots, settings, sign_in
):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    seed_demo(scale=1, password=TEST_PASSWORD)  # conftest's sign_in types TEST_PASSWORD
    committee = Organization.objects.get(slug="tinhuy")
    registers_provision_defaults(organization=committee, term_start=COMMITTEE_TERM_START)
    OfficeDirectionRule.objects.create(committee=committee, doc_types=["CV", "GM", "TB", "BC"])
    commune = Organization.objects.get(slug="phuquy")
    vanthu, chanhvp, bithu = person("vanthu"), person("chanhvp"), person("bithu")

    resolution = incoming_register(
        actor=vanthu.user,
        organization=committee,
        symbol="57-NQ/TW",
        subject="Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
        issued_date=dt.date(2024, 12, 22),
    )
    routine = incoming_register(
        actor=vanthu.user,
        organization=committee,
        symbol="125-CV/VPTW",
        doc_type="CV",
        issuer_name="Văn phòng Trung ương Đảng",
        subject="Công văn về việc báo cáo kết quả thực hiện chuyển đổi số quý IV",
        issued_date=timezone.localdate() - dt.timedelta(days=2),
    )
    for entry in (resolution, routine):
        incoming_present(actor=vanthu.user, entry=entry, to_person=chanhvp)
        entry.refresh_from_db()
        assert (entry.status, entry.presented_to) == (EntryStatus.PRESENTED, chanhvp)

    # On the phone first: the home page and the routine document's page, before acting.
    phone_context, phone = new_page(browser, PHONE)
    sign_in(phone, live_server, "chanhvp")
    phone_pending = phone.locator(".card", has_text="Văn bản chờ cho ý kiến")
    expect(phone_pending.get_by_role("link", name="57-NQ/TW")).to_be_visible()
    phone.screenshot(path=screenshots / "office-07-home-phone.png", full_page=True)
    assert sideways(phone) <= 0, "the home page scrolls sideways on a phone"
    phone_pending.get_by_role("link", name="125-CV/VPTW").click()
    expect(phone.get_by_role("heading", name="Cho ý kiến chỉ đạo")).to_be_visible()
    phone.screenshot(path=screenshots / "office-09-document-phone.png", full_page=True)
    assert sideways(phone) <= 0, "the document page scrolls sideways on a phone"

    # Home: both documents wait in the "for direction" group.
    sign_in(page, live_server, "chanhvp")
    pending = page.locator(".card", has_text="Văn bản chờ cho ý kiến")
    expect(pending).to_be_visible()
    expect(pending.get_by_role("link", name="57-NQ/TW")).to_be_visible()
    expect(pending.get_by_role("link", name="125-CV/VPTW")).to_be_visible()
    page.screenshot(path=screenshots / "office-01-home-desktop.png", full_page=True)

    # The Nghị quyết is not routine: no direction form; it is presented on to the Bí thư.
    pending.get_by_role("link", name="57-NQ/TW").click()
    expect(page.get_by_role("heading", name="57-NQ/TW")).to_be_visible()
    expect(page.get_by_role("heading", name="Cho ý kiến chỉ đạo")).to_have_count(0)
    page.get_by_label("Trình đồng chí").select_option(label=f"{bithu.full_name} — Bí thư")
    page.get_by_role("button", name="Trình", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Đã trình văn bản")
    page.screenshot(path=screenshots / "office-02-presented-on.png", full_page=True)
    resolution.refresh_from_db()
    assert (resolution.status, resolution.presented_to) == (EntryStatus.PRESENTED, bithu)
    assert not Direction.objects.filter(entry=resolution).exists()

    # The Công văn is routine: the Chánh Văn phòng directs it; Phú Quý leads, in ten days.
    page.goto(f"{live_server.url}/")
    pending = page.locator(".card", has_text="Văn bản chờ cho ý kiến")
    expect(pending.get_by_role("link", name="57-NQ/TW")).to_have_count(0)  # now the Bí thư's
    pending.get_by_role("link", name="125-CV/VPTW").click()
    page.get_by_role("textbox", name="Ý kiến chỉ đạo").fill(
        "Giao Đảng ủy đặc khu Phú Quý chủ trì, báo cáo kết quả về Văn phòng Tỉnh ủy"
    )
    page.get_by_label("Nơi nhận việc, dòng 1").select_option(label=commune.short_name)
    page.get_by_label("Vai trò, dòng 1").select_option("lead")
    due = timezone.localdate() + dt.timedelta(days=10)
    page.get_by_label("Hạn xử lý, dòng 1").fill(due.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Lưu ý kiến chỉ đạo").click()
    expect(page.locator(".messages")).to_contain_text("Đã ghi ý kiến chỉ đạo.")
    expect(page.locator("#h-directions")).to_be_visible()
    page.screenshot(path=screenshots / "office-03-directed.png", full_page=True)
    routine.refresh_from_db()
    assert routine.status == EntryStatus.DIRECTED
    direction = Direction.objects.get(entry=routine)
    assert direction.author == chanhvp
    assignment = Assignment.objects.get(direction=direction)
    assert (assignment.organization, assignment.role, assignment.due_date) == (commune, "lead", due)
    task = Task.objects.get(pk=assignment.task_id)
    assert (task.organization, task.issued_by, task.lead_organization, task.due_date) == (
        committee,
        chanhvp,
        commune,
        due,
    )
    assert task.source_document == routine.document

    # Follow-up: the task list shows it; on its page the Chánh Văn phòng raises its priority
    # and adds what is expected, which the task's history records.
    page.goto(f"{live_server.url}/nhiem-vu/")
    link = page.get_by_role("link", name=task.title[:40], exact=False).first
    expect(link).to_be_visible()
    page.screenshot(path=screenshots / "office-04-task-list.png", full_page=True)
    link.click()
    expect(page.get_by_role("heading", name="Thông tin nhiệm vụ")).to_be_visible()
    expect(page.get_by_text(commune.name).first).to_be_visible()
    page.screenshot(path=screenshots / "office-05-task-desktop.png", full_page=True)
    page.get_by_role("link", name="Điều chỉnh").click()
    expect(page.get_by_role("heading", name="Điều chỉnh nhiệm vụ")).to_be_visible()
    page.get_by_label("Mức độ").select_option(label="Khẩn")
    content = page.get_by_label("Nội dung, yêu cầu")
    content.fill(f"{content.input_value()}\nĐề nghị báo cáo tiến độ trước ngày 20 hằng tháng.".strip())
    page.get_by_role("button", name="Lưu điều chỉnh").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu điều chỉnh nhiệm vụ.")
    expect(page.get_by_role("heading", name="Thông tin nhiệm vụ")).to_be_visible()
    history = page.locator("section", has=page.locator("#h-history"))
    expect(history).to_contain_text(f"Điều chỉnh — {chanhvp.full_name}")
    page.screenshot(path=screenshots / "office-06-task-followed-up.png", full_page=True)
    task.refresh_from_db()
    assert task.priority == Priority.URGENT
    assert "trước ngày 20 hằng tháng" in task.content
    assert TaskEvent.objects.filter(task=task, actor=chanhvp).exclude(kind="created").exists()

    # The task page on the phone.
    phone.goto(f"{live_server.url}/nhiem-vu/{task.pk}/")
    expect(phone.get_by_role("heading", name="Thông tin nhiệm vụ")).to_be_visible()
    expect(phone.get_by_text("Khẩn").first).to_be_visible()
    phone.screenshot(path=screenshots / "office-08-task-phone.png", full_page=True)
    assert sideways(phone) <= 0, "the task page scrolls sideways on a phone"
    phone_context.close()
