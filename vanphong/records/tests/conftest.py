"""Records of the test province (root conftest.py): the Tỉnh ủy's file plan and records, kept
by its Văn phòng (the clerk keeps the archive, the specialist makes files, the chief approves)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from vanphong.documents.models import Document
from vanphong.documents.tests.factories import DocumentFactory
from vanphong.records import services
from vanphong.records.models import FilePlan, Record
from vanphong.records.services import ItemSpec

ITEMS = [
    ItemSpec("01.TH", "Chương trình, kế hoạch, báo cáo công tác năm của Tỉnh ủy", None, heading="Tổng hợp"),
    ItemSpec("02.TH", "Báo cáo tháng, quý của Văn phòng Tỉnh ủy", 5, heading="Tổng hợp"),
    ItemSpec("03.HC", "Hồ sơ sửa chữa trụ sở", 20, heading="Hành chính, quản trị", construction=True),
    ItemSpec("04.HC", "Sổ theo dõi công văn đi, đến", 2, heading="Hành chính, quản trị"),
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def plan(province) -> FilePlan:
    """The Tỉnh ủy's 2026 plan, drafted by the specialist and approved by the Chánh Văn phòng."""
    made = services.plan_create(
        actor=province.specialist.user, organization=province.committee, year=2026, items=ITEMS
    )
    return services.plan_approve(actor=province.chief.user, plan=made)


def document(province: Any, **fields: Any) -> Document:
    fields.setdefault("symbol", "15-NQ/TU")
    return DocumentFactory(organization=province.committee, **fields)


def open_record(province: Any, plan: FilePlan, code: str = "01.TH") -> Record:
    return services.record_open(
        actor=province.specialist.user, plan_item=plan.items.get(code=code), start_date=dt.date(2026, 1, 2)
    )
