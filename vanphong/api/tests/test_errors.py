"""Every API error has one shape: {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

import logging

import pytest
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from vanphong.accounts.authentication import VerifiedSessionAuthentication
from vanphong.api.tests.helpers import assert_error, bearer


def test_unknown_api_path_answers_json_not_html(client, db):
    error = assert_error(client.get("/api/v1/khong-co/"), 404, "not_found")
    assert "/api/v1/" in error["message"]
    assert_error(client.post("/api/khac/", {}), 404, "not_found")


def test_known_endpoint_without_its_final_slash_redirects_get(client, db):
    response = client.get("/api/v1/people?q=an")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/people/?q=an"


def test_anonymous_request_gets_401_in_the_error_format(client, db):
    response = client.get("/api/v1/organizations/")
    error = assert_error(response, 401, "not_authenticated")
    assert error["message"] == "Chưa đăng nhập hoặc mã truy cập không hợp lệ."
    assert response["WWW-Authenticate"] == "Bearer"


def test_wrong_method_gets_405_in_vietnamese(client, province):
    response = client.post(
        "/api/v1/organizations/", {}, content_type="application/json", **bearer(province.clerk.user)
    )
    error = assert_error(response, 405, "method_not_allowed")
    assert error["message"] == "Phương thức POST không được hỗ trợ tại địa chỉ này."


def test_unsupported_media_type(client, db):
    response = client.post("/api/v1/auth/token/", "username=a", content_type="text/plain")
    error = assert_error(response, 415, "unsupported_media_type")
    assert "text/plain" in error["message"]


def test_malformed_json(client, db):
    response = client.post("/api/v1/auth/token/", "{không phải json", content_type="application/json")
    error = assert_error(response, 400, "parse_error")
    assert error["message"] == "Dữ liệu gửi lên không đọc được (JSON không hợp lệ)."


def test_bad_query_parameter_is_a_field_error(client, province):
    response = client.get("/api/v1/people/?organization=abc&role=bi_thu", **bearer(province.leader.user))
    error = assert_error(response, 400, "invalid")
    assert set(error["fields"]) == {"organization", "role"}
    assert all(isinstance(m, str) and m for m in error["fields"]["organization"])


def test_page_past_the_end_is_a_404(client, province):
    response = client.get("/api/v1/organizations/?page=99", **bearer(province.clerk.user))
    error = assert_error(response, 404, "not_found")
    assert error["message"] == "Trang không tồn tại."


class _Broken(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    def get(self, request):
        raise RuntimeError("lỗi thử")


def test_unhandled_exception_is_logged_and_answered_as_json_500(db, caplog):
    request = APIRequestFactory().get("/api/v1/broken/")
    with caplog.at_level(logging.ERROR, logger="vanphong.api"):
        response = _Broken.as_view()(request)
    response.render()
    assert response.status_code == 500
    assert response.data["error"]["code"] == "server_error"
    assert "Lỗi hệ thống" in response.data["error"]["message"]
    assert response.data["error"]["fields"] == {}
    record = next(r for r in caplog.records if r.name == "vanphong.api")
    assert record.exc_info is not None and "lỗi thử" in str(record.exc_info[1])


class _SessionWrite(APIView):
    authentication_classes = [VerifiedSessionAuthentication]

    def post(self, request):
        return Response({"ok": True})


def _session_post(user):
    request = APIRequestFactory(enforce_csrf_checks=True).post("/api/v1/x/", {}, format="json")
    request.user = user
    request.user.is_verified = lambda: False
    response = _SessionWrite.as_view()(request)
    response.render()
    return response


def test_session_writes_need_the_csrf_token(province):
    response = _session_post(province.clerk_x.user)
    assert response.status_code == 403
    assert response.data["error"]["code"] == "csrf_failed"
    assert "CSRF" in response.data["error"]["message"]


@pytest.mark.parametrize("username", ["chief", "admin"])
def test_session_without_the_required_second_factor_cannot_use_the_api(client, province, username):
    client.force_login(getattr(province, username).user)
    assert_error(client.get("/api/v1/people/"), 403, "otp_required")


def test_session_of_an_account_that_must_change_its_password_cannot_use_the_api(client, province):
    user = province.clerk_x.user
    user.must_change_password = True
    user.save()
    client.force_login(user)
    assert_error(client.get("/api/v1/people/"), 403, "password_change_required")


class _SessionRead(APIView):
    authentication_classes = [VerifiedSessionAuthentication]

    def get(self, request):
        return Response({"username": request.user.username})


def _session_get(user, *, verified=False):
    request = APIRequestFactory().get("/api/v1/x/")
    request.user = user
    request.user.is_verified = lambda: verified
    response = _SessionRead.as_view()(request)
    response.render()
    return response


def test_session_authentication_itself_ignores_sessions_missing_the_second_factor(province):
    # Behind the page middleware too, so that reordering middleware cannot open the API.
    assert _session_get(province.clerk_x.user).status_code == 200
    response = _session_get(province.chief.user)
    assert response.status_code == 401
    assert response.data["error"]["code"] == "not_authenticated"
    assert _session_get(province.chief.user, verified=True).status_code == 200


def test_session_authentication_itself_ignores_accounts_that_must_change_password(province):
    user = province.clerk_x.user
    user.must_change_password = True
    assert _session_get(user).status_code == 401


def test_verified_session_works_for_reads(client, province):
    client.force_login(province.clerk_x.user)
    response = client.get("/api/v1/people/")
    assert response.status_code == 200
    assert [p["username"] for p in response.json()["results"]] == ["clerk_x"]


def test_session_verified_with_the_second_factor_works(client, province):
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=province.chief.user, name="Điện thoại", confirmed=True)
    client.force_login(province.chief.user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    assert client.get("/api/v1/people/").status_code == 200


def test_api_answers_json_only(client, province):
    response = client.get("/api/v1/organizations/", HTTP_ACCEPT="text/html", **bearer(province.clerk.user))
    error = assert_error(response, 406, "not_acceptable")
    assert "JSON" in error["message"]
    ok = client.get(
        "/api/v1/organizations/",
        HTTP_ACCEPT="text/html,application/json;q=0.9",
        **bearer(province.clerk.user),
    )
    assert ok.status_code == 200 and ok["Content-Type"] == "application/json"
