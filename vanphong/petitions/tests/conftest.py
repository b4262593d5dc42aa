"""Petitions of the test province (root conftest.py): the Tỉnh ủy's book, kept by its clerk."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from vanphong.petitions import services
from vanphong.petitions.models import Petition
from vanphong.petitions.services import PetitionerSpec

AN = PetitionerSpec("Nguyễn Văn An", "Thôn Đông, xã An Phú, tỉnh Thử nghiệm", "001085012345", "0912345678")
CONTENT = "Khiếu nại việc Ủy ban nhân dân xã thu hồi đất nông nghiệp của gia đình không bồi thường thỏa đáng"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Files (attachments, the letters every decision produces) go to the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


def register(province: Any, **kwargs: Any) -> Petition:
    """A complaint of Nguyễn Văn An received by the Tỉnh ủy on 13/02/2026, entered by the clerk."""
    values: dict[str, Any] = {
        "actor": province.clerk.user,
        "organization": province.committee,
        "received_date": dt.date(2026, 2, 13),
        "channel": "post",
        "kind": "khieu_nai",
        "content": CONTENT,
        "petitioners": [AN],
        "respondent": "Ủy ban nhân dân xã An Phú",
        "field": "Đất đai",
    }
    values.update(kwargs)
    return services.petition_register(**values)
