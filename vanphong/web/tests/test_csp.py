"""Content-Security-Policy (issue "Hardening", item 5): the header on every response, and
templates that need nothing the policy forbids (inline scripts, styles, event handlers)."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from vanphong.web.tests.test_shell import sign_in

ROOT = Path(settings.BASE_DIR)
# Not served to a browser: WeasyPrint renders the register print, mail clients the e-mails.
# Allowed inline by vanphong.web.csp: the 500 page (self-contained), the API's Redoc page.
NOT_PAGES = (
    "documents/registers/print.html",
    # Printed forms rendered to PDF by WeasyPrint, never served as pages.
    "records/templates/records/print_",
    "records/templates/records/transfer_print_",
    "logistics/templates/logistics/print_",
    "notifications/email/",
    "templates/500.html",
    "api/templates/api/redoc.html",
)
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=|\shx-on[:-]|javascript:", re.I
)


def test_the_policy_allows_only_this_origin():
    policy = settings.VANPHONG_CSP
    assert "script-src 'self';" in policy and "style-src 'self';" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_a_page_carries_the_policy(client, province):
    response = sign_in(client, province.clerk_x).get(reverse("web:home"))
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == settings.VANPHONG_CSP


def test_the_sign_in_page_and_an_api_answer_carry_the_policy(client):
    assert client.get(reverse("accounts:login"))["Content-Security-Policy"] == settings.VANPHONG_CSP
    api = client.get("/api/v1/documents/")
    assert api.status_code in (401, 403, 404)
    assert api["Content-Security-Policy"] == settings.VANPHONG_CSP


def test_an_empty_setting_turns_the_header_off(client, settings):
    settings.VANPHONG_CSP = ""
    assert "Content-Security-Policy" not in client.get(reverse("accounts:login"))


def test_the_api_docs_and_the_error_page_have_their_own_policy(settings):
    from vanphong.web.csp import policy_for

    assert "style-src 'self' 'unsafe-inline'" in policy_for("/api/redoc/", 200)
    assert "style-src 'self' 'unsafe-inline'" in policy_for("/van-ban/den/", 500)
    assert "script-src 'self';" in policy_for("/van-ban/den/", 500)
    assert policy_for("/van-ban/den/", 200) == settings.VANPHONG_CSP


def test_templates_have_no_inline_script_style_or_handler():
    offenders = []
    for template in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("vanphong/*/templates/**/*.html")]:
        if any(part in template.as_posix() for part in NOT_PAGES):
            continue
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
            if INLINE.search(line):
                offenders.append(f"{template.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)
