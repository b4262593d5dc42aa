"""Every error that reaches a person is in Vietnamese (issue "Hardening", item 6).

The API's own messages are written in Vietnamese; Django's and DRF's come from their
Vietnamese catalogues, completed by ours (locale/vi/LC_MESSAGES/django.po). These tests walk
the API's validation, authentication and CSRF errors with malformed inputs, check the
catalogues for every message DRF's fields and exceptions and Django's form fields can give,
and that the committed .mo is the compiled .po."""

from __future__ import annotations

import ast
import gettext
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.conf import settings
from django.test import Client
from django.utils import translation
from rest_framework import exceptions, fields, relations
from rest_framework.test import APIRequestFactory

from vanphong.api.tests.helpers import assert_error, bearer
from vanphong.core.api.errors import exception_handler
from vanphong.documents.tests.conftest import books  # noqa: F401  (the province's registers)
from vanphong.documents.tests.factories import incoming_entry
from vanphong.tasks.tests.test_api_support import _media, give  # noqa: F401

ENGLISH = re.compile(
    r"\b(Ensure|Invalid|This field|must|valid|wrong format|CSRF Failed|not found|Not found|"
    r"Authentication credentials|Expected|Incorrect|required|may not|is not|Enter|does not exist|"
    r"Please|Select|allowed|Malformed|Unsupported|Could not|throttled)\b"
)
PO = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.po"
TOO_LONG = "x" * 60_000


def _messages(error: dict[str, Any]) -> list[str]:
    """The error's message and every field message, however deeply nested."""
    found = [error["message"]]

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        else:
            found.append(str(value))

    walk(error["fields"])
    return found


def assert_vietnamese(response: Any, status: int, code: str) -> list[str]:
    error = assert_error(response, status, code)
    messages = _messages(error)
    english = [m for m in messages if ENGLISH.search(m)]
    assert not english, (response.request["PATH_INFO"], english)
    return messages


def _post(client: Any, user: Any, url: str, data: Any, method: str = "post") -> Any:
    return getattr(client, method)(url, json.dumps(data), content_type="application/json", **bearer(user))


# --- The API, walked with malformed inputs ------------------------------------------------------------

MALFORMED_INCOMING = [
    {"symbol": TOO_LONG, "subject": TOO_LONG, "notes": TOO_LONG, "signer_name": TOO_LONG},
    {"symbol": 5, "subject": None, "issuer": "abc", "organization": 999_999, "page_count": "nhiều"},
    {"symbol": ["a"], "subject": {"a": 1}, "issuer": [1], "page_count": 10**30, "urgency": "rất khẩn"},
    {"symbol": "1-CV/TU", "subject": "X", "issued_date": "31/02/2025", "received_at": "hôm qua"},
    {"symbol": "1-CV/TU", "subject": "X", "issued_date": "2025-01-01T10:00", "received_at": "2025-01-01"},
    {"symbol": "1-CV/TU", "subject": "X", "classification": "mật", "files": "tệp", "issuer": True},
    {"symbol": "1-CV/TU", "subject": "X", "issued_date": "1899-12-31", "page_count": 0},
    {"symbol": "1-CV/TU\u202e", "subject": "Trích yếu \u2066ẩn\u2069"},
    [],
    "chuỗi",
]

MALFORMED_OUTGOING = [
    {"doc_type": TOO_LONG, "subject": TOO_LONG, "body": "x" * 200_001, "circulation": TOO_LONG},
    {"doc_type": 5, "subject": "", "recipients": [99_999, "x", None], "signer": {"a": 1}},
    {"doc_type": "NQ", "subject": "X", "copies_count": "nhiều", "signing_authority": "XYZ", "recipients": 3},
    {"doc_type": "NQ", "subject": "X", "organization": -1, "urgency": 7, "files": [1]},
]

MALFORMED_DIRECTION = [
    {"text": TOO_LONG},
    {"text": None, "assignments": "tất cả"},
    {"text": "Giao", "assignments": [{"role": "boss", "person": "abc", "due_date": "mai", "unit": 0}]},
    {"text": "Giao", "assignments": [{"role": "lead", "person": 10**30, "due_date": "0001-01-01"}]},
    {"assignments": [1, None]},
]

MALFORMED_TASK = [
    {"title": TOO_LONG, "content": "x" * 50_001, "source_label": TOO_LONG},
    {"title": None, "organization": "abc", "lead": {"organization": 99_999}, "due_date": "mai"},
    {"title": "X", "lead": "xã An Phú", "cooperating": [{"person": "abc"}, 5], "priority": "cao"},
    {"title": "X", "recurrence": {"frequency": 2, "day_of_month": "cuối", "starts_on": "x"}},
    {"title": "X", "parent": 0, "source_document": "abc", "classification": 1, "issued_by": [1]},
    {"title": "X", "lead": {}, "due_date": "2025-13-01", "source_kind": "khác"},
]

MALFORMED_PROGRESS = [
    {"text": "x" * 50_001, "percent": "nửa", "completed": "có"},
    {"percent": 10**30, "evidence": "1,2", "result_document": 0, "completed_on": "hôm nay"},
    {"evidence": [0, "a", None], "completed_on": "1800-01-01", "files": {"a": 1}},
    {"text": None, "completed": None},
]

MALFORMED_TOKEN = [
    {},
    {"username": ["a"], "password": None, "otp": 123456},
    {"username": TOO_LONG, "password": "x" * 5000, "name": TOO_LONG},
    [],
]

MALFORMED_QUERIES = [
    "/api/v1/search/?q=" + "a" * 300 + "&year=abc&issuer=-1&kind=zz&page=0&page_size=x",
    "/api/v1/search/?state=zz&status=zz&classification=zz&organization=abc&doc_type=" + "x" * 20,
    "/api/v1/search/?year=1800&page=-1&page_size=100000",
    "/api/v1/incoming/?received_from=abc&received_to=32/01/2025&status=zz",
    "/api/v1/outgoing/?state=zz&organization=abc&date_from=x&date_to=2025-02-30",
    "/api/v1/tasks/?status=zz&organization=abc&due_from=x&ordering=zz&parent=-1",
    "/api/v1/tasks/stats/?organization=abc&from=x&to=y",
    "/api/v1/people/?organization=abc&role=zz&unit=0",
    "/api/v1/organizations/?hosted=maybe&parent=x",
    "/api/v1/registers/?kind=zz&active=maybe&organization=x",
]


@pytest.mark.parametrize("data", MALFORMED_INCOMING)
def test_incoming_register_errors(client, province, books, data):  # noqa: F811
    assert_vietnamese(_post(client, province.clerk.user, "/api/v1/incoming/", data), 400, "invalid")


@pytest.mark.parametrize("data", MALFORMED_OUTGOING)
def test_outgoing_draft_errors(client, province, books, data):  # noqa: F811
    assert_vietnamese(_post(client, province.clerk.user, "/api/v1/outgoing/", data), 400, "invalid")


def test_direction_errors(client, province, books):  # noqa: F811
    entry = incoming_entry(province)
    url = f"/api/v1/incoming/{entry.pk}/directions/"
    for data in MALFORMED_DIRECTION:
        assert_vietnamese(_post(client, province.leader.user, url, data), 400, "invalid")


@pytest.mark.parametrize("data", MALFORMED_TASK)
def test_task_create_errors(client, province, data):
    assert_vietnamese(_post(client, province.chief.user, "/api/v1/tasks/", data), 400, "invalid")


def test_task_progress_and_edit_errors(client, province):
    task = give(province, province.commune_x)
    for data in MALFORMED_PROGRESS:
        url = f"/api/v1/tasks/{task.pk}/progress/"
        assert_vietnamese(_post(client, province.clerk_x.user, url, data), 400, "invalid")
    edit = {"title": TOO_LONG, "priority": "cao", "due_date": "1899-01-01"}
    response = _post(client, province.chief.user, f"/api/v1/tasks/{task.pk}/", edit, method="patch")
    assert_vietnamese(response, 400, "invalid")


@pytest.mark.parametrize("data", MALFORMED_TOKEN)
def test_token_errors(client, db, data):
    response = client.post("/api/v1/auth/token/", json.dumps(data), content_type="application/json")
    assert_vietnamese(response, 400, "invalid")


def test_wrong_credentials(client, province):
    data = {"username": province.clerk.user.username, "password": "sai mật khẩu"}
    response = client.post("/api/v1/auth/token/", data, content_type="application/json")
    assert_vietnamese(response, 401, "invalid_credentials")


@pytest.mark.parametrize("url", MALFORMED_QUERIES)
def test_query_parameter_errors(client, province, url):
    assert_vietnamese(client.get(url, **bearer(province.leader.user)), 400, "invalid")


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_AUTHORIZATION": "Bearer"},
        {"HTTP_AUTHORIZATION": "Bearer khong-phai-ma"},
        {"HTTP_AUTHORIZATION": "Bearer a b"},
        {"HTTP_AUTHORIZATION": "Basic dXNlcjpwYXNz"},
        {"HTTP_AUTHORIZATION": "Bearer \u00ff\u00fe"},
    ],
)
def test_authentication_errors(client, db, headers):
    response = client.get("/api/v1/incoming/", **headers)
    assert response.status_code == 401
    assert_vietnamese(response, 401, response.json()["error"]["code"])


def test_missing_csrf_token_on_a_session_write(province):
    client = Client(enforce_csrf_checks=True)
    client.force_login(province.clerk_x.user)
    response = client.post("/api/v1/tasks/", {"title": "X"}, content_type="application/json")
    messages = assert_vietnamese(response, 403, "csrf_failed")
    assert "CSRF" in messages[0]
    response = client.post(
        "/api/v1/tasks/", {"title": "X"}, content_type="application/json", HTTP_X_CSRFTOKEN="sai"
    )
    assert_vietnamese(response, 403, "csrf_failed")


def test_protocol_errors(client, province):
    auth = bearer(province.clerk.user)
    assert_vietnamese(client.put("/api/v1/incoming/", {}, **auth), 405, "method_not_allowed")
    assert_vietnamese(client.get("/api/v1/incoming/", HTTP_ACCEPT="text/html", **auth), 406, "not_acceptable")
    response = client.post("/api/v1/tasks/", "a=1", content_type="text/plain", **auth)
    assert_vietnamese(response, 415, "unsupported_media_type")
    response = client.post("/api/v1/tasks/", "{", content_type="application/json", **auth)
    assert_vietnamese(response, 400, "parse_error")
    response = client.post("/api/v1/tasks/", b"--x\r\n", content_type="multipart/form-data", **auth)
    assert_vietnamese(response, 400, "parse_error")
    assert_vietnamese(client.get("/api/v1/incoming/999999/", **auth), 404, "not_found")
    assert_vietnamese(client.get("/api/v1/khong-co/", **auth), 404, "not_found")


# --- Every exception DRF raises, through the API's handler --------------------------------------------


def _subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


@pytest.mark.parametrize(
    "exc_class",
    [
        c
        for c in [exceptions.APIException, *_subclasses(exceptions.APIException)]
        if c.__module__.startswith("rest_framework")
    ],
    ids=lambda c: c.__name__,
)
def test_every_drf_exception_is_answered_in_vietnamese(db, exc_class):
    arguments = {
        exceptions.MethodNotAllowed: ("PUT",),
        exceptions.UnsupportedMediaType: ("text/plain",),
        exceptions.Throttled: (3,),
    }.get(exc_class, ())
    request = APIRequestFactory().get("/api/v1/x/")
    response = exception_handler(exc_class(*arguments), {"request": request, "view": None})
    message = response.data["error"]["message"]
    assert message and not ENGLISH.search(message), message


# --- The catalogues ------------------------------------------------------------------------------


def _error_messages(base: type, module_prefix: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for cls in [base, *_subclasses(base)]:
        if not cls.__module__.startswith(module_prefix):
            continue
        for klass in cls.__mro__:
            for key, message in vars(klass).get("default_error_messages", {}).items():
                found[f"{cls.__name__}.{key}"] = message
    return found


DRF_MESSAGES = {
    **_error_messages(fields.Field, "rest_framework"),
    **{
        f"{n}.detail": c.default_detail
        for n, c in vars(exceptions).items()
        if isinstance(c, type) and hasattr(c, "default_detail")
    },
}
DJANGO_FORM_MESSAGES = _error_messages(forms.Field, "django.forms")


ALL_MESSAGES = {**DRF_MESSAGES, **DJANGO_FORM_MESSAGES}


@pytest.mark.parametrize("name", sorted(ALL_MESSAGES))
def test_every_field_message_reads_in_vietnamese(name):
    with translation.override("vi"):
        text = str(ALL_MESSAGES[name])
    assert not ENGLISH.search(text), (name, text)


def test_the_active_language_is_vietnamese_whatever_the_browser_asks(client, province):
    assert settings.LANGUAGE_CODE == "vi" and [code for code, _name in settings.LANGUAGES] == ["vi"]
    assert "django.middleware.locale.LocaleMiddleware" not in settings.MIDDLEWARE
    response = client.get(
        "/api/v1/search/?year=abc", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9", **bearer(province.leader.user)
    )
    assert_vietnamese(response, 400, "invalid")
    assert relations.PrimaryKeyRelatedField.default_error_messages  # the relation messages are walked


def _parse_po(path: Path) -> dict[Any, str]:
    """The entries of a .po as ``GNUTranslations`` holds a .mo: msgid -> msgstr, and
    (msgid, 0) -> msgstr[0] for a plural (Vietnamese has one form). The header is the
    entry with the empty msgid."""
    entries: dict[Any, str] = {}
    current: dict[str, str] = {}
    key = ""

    def flush() -> None:
        if "msgid" in current:
            msgid = current["msgid"]
            if "msgctxt" in current:
                msgid = f"{current['msgctxt']}\x04{msgid}"
            if "msgid_plural" in current:
                entries[(msgid, 0)] = current.get("msgstr[0]", "")
            else:
                entries[msgid] = current.get("msgstr", "")
        current.clear()

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] += ast.literal_eval(line)
        else:
            key, _space, value = line.partition(" ")
            if key == "msgid" and "msgid" in current:
                flush()
            current[key] = ast.literal_eval(value)
    flush()
    return entries


def test_the_compiled_catalogue_is_the_po_file():
    with PO.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    assert compiled == _parse_po(PO), (
        "locale/vi/LC_MESSAGES/django.mo is not the compiled .po: run "
        "msgfmt --check -o locale/vi/LC_MESSAGES/django.mo locale/vi/LC_MESSAGES/django.po"
    )


def test_each_translation_keeps_the_placeholders_of_its_message():
    placeholder = re.compile(r"\{[^}]*\}|%\([a-z_]+\)[a-z]")
    for msgid, msgstr in _parse_po(PO).items():
        if not msgid:
            continue
        source = msgid[0] if isinstance(msgid, tuple) else msgid
        assert sorted(placeholder.findall(source)) == sorted(placeholder.findall(msgstr)), msgid
        assert not ENGLISH.search(msgstr), msgstr
