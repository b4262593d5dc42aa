"""One policy for a refused action, whichever app refuses it (core/api/errors.py): a service's
``PermissionDenied`` is a 403 ``permission_denied`` with the service's own Vietnamese message
(the generic one when it gives none), its ``ValidationError`` a 400 ``invalid`` with fields."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy
from rest_framework.permissions import AllowAny
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from vanphong.api.tests.helpers import assert_error, bearer
from vanphong.tasks.tests.test_api_support import give


def _post(client, person, url, data=None):
    return client.post(url, data or {}, content_type="application/json", **bearer(person.user))


def test_a_documents_refusal_and_a_tasks_refusal_answer_alike(client, province):
    # Documents: the Tỉnh ủy's văn thư registers into a commune's books, which it does not keep.
    by_documents = _post(
        client,
        province.clerk,
        "/api/v1/incoming/",
        {"symbol": "08-NQ/TU", "subject": "Nghị quyết", "organization": province.commune_x.pk},
    )
    # Tasks: the Văn phòng sees the task it gave but is not its lead, so may not accept it.
    task = give(province, province.commune_x)
    by_tasks = _post(client, province.chief, f"/api/v1/tasks/{task.pk}/accept/")

    documents_error = assert_error(by_documents, 403, "permission_denied")
    tasks_error = assert_error(by_tasks, 403, "permission_denied")
    assert by_documents.json().keys() == by_tasks.json().keys() == {"error"}
    assert documents_error.keys() == tasks_error.keys() == {"code", "message", "fields"}
    assert documents_error["fields"] == tasks_error["fields"] == {}
    # Each with the refusing service's own words, not a generic text.
    assert documents_error["message"] == "Bạn không giữ sổ văn bản của Đảng ủy xã An Phú."
    assert tasks_error["message"] == "Bạn không phải nơi chủ trì thực hiện nhiệm vụ này."


class _Refusing(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    raised: Exception | None = None

    def post(self, request):
        raise self.raised


def _answer(exc: Exception) -> dict:
    request = APIRequestFactory().post("/api/v1/x/", {}, format="json")
    response = _Refusing.as_view(raised=exc)(request)
    response.render()
    return {"status": response.status_code, **response.data["error"]}


ISSUE = "Chỉ văn thư của cơ quan mới phát hành được văn bản."
ACCOUNTS = "Bạn không có quyền quản lý tài khoản này."
GENERIC = "Không có quyền thực hiện thao tác này."


@pytest.mark.parametrize(
    ("raised", "message"),
    [
        (PermissionDenied(ISSUE), ISSUE),
        (PermissionDenied(gettext_lazy(ACCOUNTS)), ACCOUNTS),
        (PermissionDenied(), GENERIC),
        (PermissionDenied(""), GENERIC),
    ],
)
def test_a_refusal_keeps_the_services_message(raised, message):
    assert _answer(raised) == {"status": 403, "code": "permission_denied", "message": message, "fields": {}}


def test_a_services_validation_error_is_a_400_with_its_fields():
    answer = _answer(ValidationError({"reason": "Hãy nêu lý do.", "__all__": "Nhiệm vụ đã kết thúc."}))
    assert answer["status"] == 400 and answer["code"] == "invalid"
    assert answer["fields"] == {"reason": ["Hãy nêu lý do."]}
    assert answer["message"] == "Nhiệm vụ đã kết thúc."  # an error about no one field
    answer = _answer(ValidationError("Nhiệm vụ đã được tiếp nhận."))
    assert answer["status"] == 400 and answer["message"] == "Nhiệm vụ đã được tiếp nhận."
    assert answer["fields"] == {}
