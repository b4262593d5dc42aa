"""The API's contract at its edges (issue "Hardening", item 7): page numbers out of range,
paths with control characters, the content types of file downloads in the schema, dates
before 1900 and bidirectional override characters in texts."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django import forms
from rest_framework import serializers

from vanphong.api.tests.helpers import assert_error, bearer
from vanphong.core.files import DOCX, JPEG, PDF, PNG, TIFF
from vanphong.core.forms import DATE_FORMATS
from vanphong.documents.tests.conftest import books  # noqa: F401  (the province's registers)
from vanphong.documents.tests.factories import incoming_entry
from vanphong.tasks.tests.test_api_support import _media, give  # noqa: F401

LISTS = [
    "/api/v1/organizations/",
    "/api/v1/units/",
    "/api/v1/people/",
    "/api/v1/incoming/",
    "/api/v1/outgoing/",
    "/api/v1/registers/",
    "/api/v1/tasks/",
    "/api/v1/search/",
    "/api/v1/search/?q=nghị quyết",
]
BAD_PAGES = ["99999999999999999999", "9223372036854775808", "0", "-1", "abc", "1e3", "1.5", "%00"]


def _post(client, user, url, data):
    return client.post(url, json.dumps(data), content_type="application/json", **bearer(user))


# --- ?page= -------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", LISTS)
def test_a_page_number_out_of_range_is_a_400_or_404_in_the_error_format(client, province, books, url):  # noqa: F811
    incoming_entry(province)  # lists with something in them (an empty search stops early)
    auth = bearer(province.leader.user)
    response = client.get(url, **auth)
    assert response.status_code == 200
    if "q=" in url or "/incoming/" in url:
        assert response.json()["count"] == 1
    for page in BAD_PAGES:
        joiner = "&" if "?" in url else "?"
        response = client.get(f"{url}{joiner}page={page}", **auth)
        assert response.status_code in (400, 404), (url, page, response.status_code)
        error = assert_error(
            response, response.status_code, "invalid" if response.status_code == 400 else "not_found"
        )
        if response.status_code == 400:
            assert "page" in error["fields"], error
        else:
            assert error["message"] == "Trang không tồn tại."


def test_search_pages_within_range_answer(client, province):
    response = client.get("/api/v1/search/?page=1000000", **bearer(province.leader.user))
    assert response.status_code == 200 and response.json()["results"] == []
    error = assert_error(
        client.get("/api/v1/search/?page=1000001", **bearer(province.leader.user)), 400, "invalid"
    )
    assert error["fields"]["page"] == ["Giá trị không được lớn hơn 1000000."]


# --- Paths with control characters ------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/incoming/%00/",
        "/api/v1/%0d%0a",
        "/api/v1/%0a",
        "/api/%0d%0a",
        "/api/v1/tasks/1%0a/",
        "/api/v1/incoming/%0a/directions/",
        "/api/v1/search/%09",
        "/api/v1/%7f/",
        "/api/v1/%1b%5b31m/",
        "/api/v1/%e2%80%ae/",
        "/api/v1/%ff%fe/",
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_api_paths_with_control_characters_answer_the_json_error(client, province, path, method):
    response = getattr(client, method)(path, **bearer(province.leader.user))
    # 405 where a route takes the character for an id (/incoming/<id>/ answers no POST).
    assert_error(
        response, response.status_code, {404: "not_found", 405: "method_not_allowed"}[response.status_code]
    )


# --- The schema of file downloads ---------------------------------------------------------------


def test_the_schema_states_the_content_types_of_file_downloads(client, province):
    response = client.get("/api/schema/?format=json", **bearer(province.clerk.user))
    assert response.status_code == 200
    schema = json.loads(response.content)
    download = schema["paths"]["/api/v1/files/{id}/"]["get"]["responses"]["200"]["content"]
    assert set(download) == {PDF, DOCX, JPEG, PNG, TIFF}
    assert all(body["schema"] == {"type": "string", "format": "binary"} for body in download.values())


# --- Dates before 1900 ------------------------------------------------------------------------------

EARLY_DATE_MESSAGE = "Ngày không hợp lệ: phải từ ngày 01/01/1900 trở về sau (năm có bốn chữ số)."


def test_dates_before_1900_are_refused_on_incoming_registration(client, province, books):  # noqa: F811
    data = {"symbol": "1-CV/TU", "subject": "Công văn", "issued_date": "1899-12-31"}
    error = assert_error(_post(client, province.clerk.user, "/api/v1/incoming/", data), 400, "invalid")
    assert error["fields"] == {"issued_date": [EARLY_DATE_MESSAGE]}
    data = {"symbol": "1-CV/TU", "subject": "Công văn", "received_at": "0001-01-01T00:00:00Z"}
    error = assert_error(_post(client, province.clerk.user, "/api/v1/incoming/", data), 400, "invalid")
    assert list(error["fields"]) == ["received_at"]


def test_dates_before_1900_are_refused_on_directions_and_tasks(client, province, books):  # noqa: F811
    entry = incoming_entry(province)
    data = {
        "text": "Giao xã",
        "assignments": [{"organization": province.commune_x.pk, "role": "lead", "due_date": "1800-05-01"}],
    }
    error = assert_error(
        _post(client, province.leader.user, f"/api/v1/incoming/{entry.pk}/directions/", data), 400, "invalid"
    )
    assert error["fields"] == {"assignments": {"0": {"due_date": [EARLY_DATE_MESSAGE]}}}
    data = {
        "title": "Nhiệm vụ",
        "organization": province.committee.pk,
        "lead": {"organization": province.commune_x.pk},
        "due_date": "0999-01-01",
    }
    error = assert_error(_post(client, province.chief.user, "/api/v1/tasks/", data), 400, "invalid")
    assert error["fields"] == {"due_date": [EARLY_DATE_MESSAGE]}
    task = give(province, province.commune_x)
    data = {"completed": True, "text": "Xong", "completed_on": "1899-12-31"}
    error = assert_error(
        _post(client, province.clerk_x.user, f"/api/v1/tasks/{task.pk}/progress/", data), 400, "invalid"
    )
    assert error["fields"] == {"completed_on": [EARLY_DATE_MESSAGE]}


def test_every_date_field_refuses_dates_before_1900_and_takes_1900():
    for field in (serializers.DateField(), serializers.DateTimeField()):
        with pytest.raises(serializers.ValidationError) as refused:
            field.run_validation(
                "1899-12-31" if isinstance(field, serializers.DateField) else "1899-12-31T23:00"
            )
        assert refused.value.detail == [EARLY_DATE_MESSAGE]
    assert serializers.DateField().run_validation("1900-01-01") == dt.date(1900, 1, 1)
    page_field = forms.DateField(input_formats=DATE_FORMATS)
    with pytest.raises(forms.ValidationError) as refused_on_page:
        page_field.clean("31/12/1899")
    assert refused_on_page.value.messages == [EARLY_DATE_MESSAGE]
    assert page_field.clean("01/01/1900") == dt.date(1900, 1, 1)
    with pytest.raises(forms.ValidationError):
        forms.DateTimeField().clean("1899-12-31 10:00")


def test_a_page_date_field_refuses_a_date_before_1900():
    from vanphong.tasks.forms import date_field

    field = date_field("Hạn hoàn thành")
    with pytest.raises(forms.ValidationError) as refused:
        field.clean("31/12/1899")
    assert refused.value.messages == [EARLY_DATE_MESSAGE]
    assert field.clean("05/11/2025") == dt.date(2025, 11, 5)


# --- Bidirectional override characters ---------------------------------------------------------------


@pytest.mark.parametrize(
    "char", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
)
def test_bidirectional_overrides_are_refused_in_every_text(char):
    with pytest.raises(serializers.ValidationError) as refused:
        serializers.CharField().run_validation(f"Trích yếu {char}ẩn")
    message = str(refused.value.detail[0])
    assert f"U+{ord(char):04X}" in message and "chiều chữ" in message
    with pytest.raises(forms.ValidationError):
        forms.CharField().clean(f"Nội dung{char}")


def test_ordinary_texts_and_direction_marks_are_kept():
    text = "Nghị quyết số 08-NQ/TU \u200e(bản tiếng Việt)\u200f — “Đảng ủy” 😀"
    assert serializers.CharField().run_validation(text) == text
    assert forms.CharField().clean(text) == text


def test_bidirectional_overrides_are_refused_by_the_api(client, province, books):  # noqa: F811
    data = {"symbol": "1-CV/TU", "subject": "Về việc \u202egnáht naoh\u202c nộp báo cáo"}
    error = assert_error(_post(client, province.clerk.user, "/api/v1/incoming/", data), 400, "invalid")
    assert list(error["fields"]) == ["subject"] and "U+202E" in error["fields"]["subject"][0]
    data = {"doc_type": "CV", "subject": "Công văn", "body": "Nội dung \u2066ẩn\u2069"}
    error = assert_error(_post(client, province.clerk.user, "/api/v1/outgoing/", data), 400, "invalid")
    assert list(error["fields"]) == ["body"] and "U+2066" in error["fields"]["body"][0]
    entry = incoming_entry(province)
    data = {"text": "Giao \u202dxã\u202c"}
    error = assert_error(
        _post(client, province.leader.user, f"/api/v1/incoming/{entry.pk}/directions/", data), 400, "invalid"
    )
    assert list(error["fields"]) == ["text"]
    data = {"title": "Nhiệm vụ \u202b", "organization": province.committee.pk}
    error = assert_error(_post(client, province.chief.user, "/api/v1/tasks/", data), 400, "invalid")
    assert list(error["fields"]) == ["title"]


def _project_form_classes() -> list[type[forms.BaseForm]]:
    """Every form class of the project's forms modules: those imported at start-up, and the
    others imported now."""
    import importlib
    import pkgutil
    import sys

    import vanphong

    for module in pkgutil.walk_packages(vanphong.__path__, "vanphong."):
        if module.name.rsplit(".", 1)[-1] == "forms" and ".tests" not in module.name:
            importlib.import_module(module.name)
    return [
        value
        for name, module in list(sys.modules.items())
        if name.startswith("vanphong.") and ".forms" in name and "tests" not in name
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, forms.BaseForm) and value.__module__ == name
    ]


def test_every_text_field_of_the_pages_forms_refuses_them_but_secrets():
    """The checks are installed before any app imports its views and builds its forms:
    documents' ready() imports its page panels, whose forms once came before the checks."""
    from vanphong.core.forms import is_secret_field, refuse_bidi_controls

    classes = _project_form_classes()
    assert {c.__name__ for c in classes} >= {
        "LoginForm",
        "IncomingRegisterForm",
        "DraftForm",
        "PersonCreateForm",
    }
    texts = [
        (f"{c.__module__}.{c.__name__}.{name}", field)
        for c in classes
        for name, field in c.base_fields.items()
        if type(field) is forms.CharField  # an EmailField, a SlugField... check their own way
    ]
    assert [
        label
        for label, field in texts
        if (refuse_bidi_controls in field.validators) == is_secret_field(field)
    ] == []
    assert sorted(label for label, field in texts if is_secret_field(field)) == [
        "vanphong.accounts.forms.LoginForm.password",
        "vanphong.accounts.forms.OtpForm.otp",
        "vanphong.accounts.forms.PasswordChangeForm.new_password",
        "vanphong.accounts.forms.PasswordChangeForm.new_password_repeat",
        "vanphong.accounts.forms.PasswordChangeForm.old_password",
        "vanphong.exchange.forms_exchange.PeerForm.inbound_secret",
        "vanphong.exchange.forms_exchange.PeerForm.outbound_secret",
        "vanphong.exchange.forms_signing.CredentialAddForm.passphrase",
        "vanphong.exchange.forms_signing.FileSignForm.passphrase",
        "vanphong.orgs.forms.PersonCreateForm.password",
    ]


# --- Secrets take any character ---------------------------------------------------------------------

# A password may hold anything, U+202E included: it is checked by the password validators only.
BIDI_PASSWORD = "Tinh-uy\u202e-moi-2027"
TOKEN_URL = "/api/v1/auth/token/"


def test_password_and_code_fields_take_bidi_characters_and_other_texts_do_not():
    from django.contrib.auth import forms as auth_forms

    from vanphong.accounts import forms as account_forms
    from vanphong.api.views import TokenCreateSerializer
    from vanphong.orgs.forms import PersonCreateForm

    value = "mk\u202e-2027"  # a one-time code field takes 12 characters at most
    secrets = [
        account_forms.LoginForm.base_fields["password"],
        *(
            account_forms.PasswordChangeForm.base_fields[name]
            for name in ("old_password", "new_password", "new_password_repeat")
        ),
        account_forms.OtpForm.base_fields["otp"],  # autocomplete="one-time-code"
        PersonCreateForm.base_fields["password"],
        auth_forms.SetPasswordForm.base_fields["new_password1"],
        auth_forms.AdminPasswordChangeForm.base_fields["password1"],
        forms.CharField(widget=forms.PasswordInput),
        forms.CharField(widget=forms.TextInput(attrs={"autocomplete": "new-password"})),
    ]
    for field in secrets:
        assert field.clean(value) == value
    token = TokenCreateSerializer()
    for name in ("password", "otp"):
        assert token.fields[name].write_only
        assert token.fields[name].run_validation(value) == value
    assert serializers.CharField(style={"input_type": "password"}).run_validation(value) == value

    texts = [
        account_forms.LoginForm.base_fields["username"],
        PersonCreateForm.base_fields["username"],
        forms.CharField(widget=forms.Textarea),
    ]
    for field in texts:
        with pytest.raises(forms.ValidationError, match="U\\+202E"):
            field.clean(value)
    for field in (token.fields["username"], token.fields["name"], serializers.CharField(write_only=True)):
        with pytest.raises(serializers.ValidationError, match="U\\+202E"):
            field.run_validation(value)


def test_a_password_with_a_bidi_character_is_set_and_signs_in_on_the_page_and_the_api(client, province):
    from django.urls import reverse

    from vanphong.accounts.tests.helpers import sign_in
    from vanphong.orgs.tests.factories import TEST_PASSWORD

    user = province.specialist.user
    sign_in(client, user)
    changed = client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password": BIDI_PASSWORD, "new_password_repeat": BIDI_PASSWORD},
    )
    assert changed.status_code == 302, changed.content.decode()
    user.refresh_from_db()
    assert user.check_password(BIDI_PASSWORD)
    client.logout()

    signed_in = client.post(reverse("accounts:login"), {"username": "specialist", "password": BIDI_PASSWORD})
    assert signed_in.status_code == 302 and signed_in.url == reverse("web:home")
    assert client.session["_auth_user_id"] == str(user.pk)
    client.logout()

    token = client.post(
        TOKEN_URL, {"username": "specialist", "password": BIDI_PASSWORD}, content_type="application/json"
    )
    assert token.status_code == 201, token.content.decode()
    assert set(token.json()) == {"token", "expires_at"}  # the password is never sent back

    # The username next to it is an ordinary text: still refused, the password not echoed.
    refused = client.post(
        reverse("accounts:login"), {"username": "spe\u202ecialist", "password": BIDI_PASSWORD}
    )
    body = refused.content.decode()
    assert refused.status_code == 200 and "U+202E" in body and BIDI_PASSWORD not in body
    error = assert_error(
        client.post(
            TOKEN_URL,
            {"username": "spe\u202ecialist", "password": BIDI_PASSWORD},
            content_type="application/json",
        ),
        400,
        "invalid",
    )
    assert list(error["fields"]) == ["username"] and BIDI_PASSWORD not in json.dumps(error)
