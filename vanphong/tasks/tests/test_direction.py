"""A leader's direction on an incoming document becomes a task, linked both ways."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from vanphong.documents.models import Assignment
from vanphong.documents.services.incoming import incoming_direct
from vanphong.documents.tests.factories import incoming_entry
from vanphong.orgs.models import Classification
from vanphong.tasks.access import visible_tasks
from vanphong.tasks.models import PartyRole, SourceKind, Task

pytestmark = pytest.mark.django_db


def register(province, **kw):
    """Nghị quyết 57-NQ/TW, registered by the Tỉnh ủy's văn thư."""
    subject = "Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số"
    values = {"symbol": "57-NQ/TW", "subject": subject, "issued_date": dt.date(2024, 12, 22)}
    return incoming_entry(province, **{**values, **kw})


def test_a_direction_with_a_lead_and_cooperating_units_makes_one_task(province, books):
    entry = register(province)
    due = timezone.localdate() + dt.timedelta(days=15)
    direction = incoming_direct(
        actor=province.leader.user,
        entry=entry,
        text="Giao Đảng ủy xã An Phú chủ trì, Đảng ủy xã Bình Minh phối hợp, báo cáo kết quả",
        assignments=[
            {"organization": province.commune_x, "role": "lead", "due_date": due},
            {"organization": province.commune_y, "role": "cooperate", "due_date": due},
            {"person": province.specialist, "role": "inform"},
        ],
    )
    task = Task.objects.get()
    assert task.source_kind == SourceKind.DIRECTION and task.source == direction
    assert task.source_document == entry.document and task.issued_by == province.leader
    assert task.organization == province.committee and task.lead_organization == province.commune_x
    assert task.due_date == due and task.content.startswith("Giao Đảng ủy xã An Phú")
    assert task.title.startswith("Nghị quyết về đột phá") and "57-NQ/TW" in task.source_label
    assert list(task.parties.values_list("role", "organization")) == [
        (PartyRole.COOPERATE, province.commune_y.pk),
        (PartyRole.LEAD, province.commune_x.pk),
    ]
    linked = dict(Assignment.objects.values_list("role", "task_id"))
    assert linked == {"lead": task.pk, "cooperate": task.pk, "inform": None}
    assert visible_tasks(province.clerk_x.user).filter(pk=task.pk).exists()


def test_for_information_only_makes_no_task_and_classification_is_inherited(province, books):
    entry = register(province)
    incoming_direct(
        actor=province.leader.user,
        entry=entry,
        text="Để biết",
        assignments=[{"person": province.chief, "role": "inform"}],
    )
    assert not Task.objects.exists()
    secret = register(
        province,
        symbol="12-CV/TW",
        subject="Về công tác bảo vệ chính trị nội bộ",
        classification=Classification.MAT,
    )
    incoming_direct(
        actor=province.leader.user,
        entry=secret,
        text="Văn phòng tham mưu",
        assignments=[{"organization": province.office, "role": "lead"}],
    )
    task = Task.objects.get()
    assert task.classification == Classification.MAT and task.due_date is None
