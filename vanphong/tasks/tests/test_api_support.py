"""Shared data and helpers of the task API tests (test_api*.py); it holds no tests itself.

Tasks are made through the services, as the engine makes them; the API is then called with
bearer tokens of the ``province`` actors (root conftest.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from vanphong.api.tests.helpers import bearer
from vanphong.documents.tests.factories import DocumentFactory
from vanphong.orgs.models import Classification
from vanphong.tasks.models import SourceKind, Task
from vanphong.tasks.selectors import Today
from vanphong.tasks.tests.factories import TaskFactory

URL = "/api/v1/tasks/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def today() -> dt.date:
    return timezone.localdate()


def days(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)


def soon() -> dt.date:
    """A due date that is "sắp đến hạn" today (a working day within the window)."""
    return Today.now().soon_until


def document(organization: Any, subject: str = "Văn bản", classification: int = Classification.NONE):
    """A received document owned by ``organization`` (its readers see it)."""
    return DocumentFactory(organization=organization, subject=subject, classification=classification)


def give(province: Any, lead: Any, **kwargs: Any) -> Task:
    """A task given by the Tỉnh ủy after a conclusion, due in 30 days (entered by the Chánh
    Văn phòng unless another ``actor``, a person, is said)."""
    values: dict[str, Any] = {
        "actor": province.chief,
        "due_in": 30,
        "source_kind": SourceKind.CONCLUSION,
        "source_label": "Thông báo kết luận số 12-TB/TU",
    }
    return TaskFactory(province=province, lead=lead, **{**values, **kwargs})


def get(client: Any, person: Any, url: str, **params: Any) -> Any:
    return client.get(url, params, **bearer(person.user))


def post(client: Any, person: Any, url: str, data: Any = None) -> Any:
    return client.post(url, data or {}, content_type="application/json", **bearer(person.user))


def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content[:500]
    return [row["id"] for row in response.json()["results"]]
