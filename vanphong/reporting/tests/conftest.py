"""Report requests of the test province (root conftest.py): the Tỉnh ủy asks its two communes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from vanphong.reporting import services
from vanphong.reporting.models import ReportRequest, ReportSubmission
from vanphong.reporting.services import IndicatorSpec

INDICATORS = [
    IndicatorSpec("dang_vien_moi", "Số đảng viên mới kết nạp", "người", Decimal(0), Decimal(500)),
    IndicatorSpec("don_thu", "Số đơn thư tiếp nhận", "đơn", Decimal(0), None),
]
SECTIONS = ["Tình hình chung", "Kết quả thực hiện nhiệm vụ", "Kiến nghị, đề xuất"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def make_request(province: Any, **kwargs: Any) -> ReportRequest:
    """A monthly request of the Tỉnh ủy to both communes, due on the 20th, entered by the
    office's specialist."""
    values: dict[str, Any] = {
        "actor": province.specialist.user,
        "organization": province.committee,
        "title": "Báo cáo tình hình công tác xây dựng Đảng",
        "frequency": "monthly",
        "due_day": 20,
        "recipients": [province.commune_x, province.commune_y],
        "indicators": INDICATORS,
        "sections": SECTIONS,
    }
    values.update(kwargs)
    return services.request_create(**values)


def row(request: ReportRequest, organization: Any, period: str | None = None) -> ReportSubmission:
    if period is None:
        return request.submissions.filter(organization=organization).order_by("due_date").first()  # type: ignore[return-value]
    return request.submissions.get(organization=organization, period=period)


def past(days: int) -> dt.date:
    from django.utils import timezone

    return timezone.localdate() - dt.timedelta(days=days)
