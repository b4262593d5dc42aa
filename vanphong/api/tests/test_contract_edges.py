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
