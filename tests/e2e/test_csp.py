"""Content-Security-Policy (issue "Hardening", item 5): every main page loads in chromium
under the policy without a single violation, so no inline script, style or handler is left
that the policy would silently break."""

from __future__ import annotations

import datetime as dt

import pytest

from vanphong.documents.services.incoming import incoming_present
from vanphong.documents.services.registering import registers_provision_defaults
from vanphong.documents.tests.factories import incoming_entry, outgoing_draft
from vanphong.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.e2e

# Violations reach the page as a DOM event; the console says "Refused to …" as well.
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${where}`);
});
"""


def is_violation(text: str) -> bool:
    return "Content Security Policy" in text or "Refused to" in text


def visit_all(page, live_server, urls: list[str]) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: is_violation(m.text) and problems.append(f"{page.url}: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"{page.url}: script error {e}"))
    for url in urls:
        response = page.goto(f"{live_server.url}{url}")
        assert response is not None and response.status < 400, (
            f"{url} answered {response and response.status}"
        )
        assert response.headers.get("content-security-policy", "").startswith("default-src 'self'"), url
        page.wait_for_load_state("networkidle")
        problems += [f"{url}: {v}" for v in page.evaluate("window.__csp")]
    return problems


def test_every_main_page_loads_without_a_csp_violation(
    live_server, province, browser, page, settings, sign_in
):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    registers_provision_defaults(organization=province.committee, term_start=dt.date(2025, 10, 1))
    entry = incoming_entry(province)
    incoming_present(actor=province.clerk.user, entry=entry, to_person=province.leader)
    draft = outgoing_draft(province)
    task = TaskFactory(province=province)
    page.add_init_script(LISTEN)

    # The sign-in page first (as anyone arrives), then the văn thư's pages.
    problems = visit_all(page, live_server, ["/tai-khoan/dang-nhap/"])
    sign_in(page, live_server, "clerk")
    problems += visit_all(
        page,
        live_server,
        [
            "/",
            "/van-ban/den/",
            "/van-ban/den/vao-so/",
            f"/van-ban/so/{entry.pk}/",
            f"/van-ban/{entry.document_id}/",
            "/van-ban/di/",
            "/van-ban/di/soan-thao/",
            f"/van-ban/{draft.pk}/",
            "/van-ban/so-van-ban/",
            "/tra-cuu/?q=kinh+t%E1%BA%BF",
        ],
    )
    # The incoming form's live symbol reading still works (htmx, without hx-on).
    page.goto(f"{live_server.url}/van-ban/den/vao-so/")
    page.get_by_label("Số, ký hiệu").fill("57-NQ/TW")
    page.wait_for_load_state("networkidle")
    problems += [f"register form: {v}" for v in page.evaluate("window.__csp")]

    # The leader's: tasks, the dashboard (Chart.js), reports.
    page.context.clear_cookies()
    sign_in(page, live_server, "leader")
    problems += visit_all(
        page,
        live_server,
        ["/", "/nhiem-vu/", f"/nhiem-vu/{task.pk}/", "/nhiem-vu/tong-quan/", "/nhiem-vu/bao-cao/"],
    )
    assert not problems, "\n".join(problems)
