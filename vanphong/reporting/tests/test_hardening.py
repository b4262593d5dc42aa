"""What a review of the reporting regime found, pinned: the first year's aggregate, ids and
numbers beyond what the database holds, a confirmed report not sent back, and no file left
without its row when a report is refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from vanphong.api.tests.helpers import bearer
from vanphong.reporting import selectors, services
from vanphong.reporting.models import SubmissionFile, SubmissionState
from vanphong.reporting.tests.conftest import make_request, row
from vanphong.tasks import services as tasks
from vanphong.tasks.models import TaskState

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_the_first_years_aggregate_has_nothing_to_compare_with(province):
    request = make_request(province)
    result = selectors.aggregate(request, "2000-01")
    assert all(i.previous is None and i.same_period_last_year is None for i in result.indicators)


def test_api_ids_and_numbers_beyond_the_database_are_refused_in_vietnamese(client, province):
    request = make_request(province)
    submission = row(request, province.commune_x)
    auth = bearer(province.clerk_x.user)
    for payload in (
        {"request": request.pk, "period": submission.period, "organization": 10**30, "values": {}},
        {"request": request.pk, "period": submission.period, "values": {"don_thu": True}},
    ):
        response = client.post(
            "/api/v1/report-submissions/", payload, content_type="application/json", **auth
        )
        assert response.status_code == 400, response.content
        assert response.json()["error"]["code"] == "invalid"
    response = client.get(
        f"/api/v1/report-requests/{request.pk}/aggregate/?period=2000-01", **bearer(province.chief.user)
    )
    assert response.status_code in (200, 400), response.content


def test_a_confirmed_report_is_not_sent_back(province):
    request = make_request(province)
    submission = row(request, province.commune_x)
    services.submission_save(
        actor=province.clerk_x.user,
        submission=submission,
        values={"dang_vien_moi": 3, "don_thu": 12},
        submit=True,
    )
    submission.refresh_from_db()
    tasks.task_confirm(actor=province.specialist.user, task=submission.task)
    with pytest.raises(ValidationError) as caught:
        services.submission_return(actor=province.specialist.user, submission=submission, reason="Sai số")
    assert "xác nhận" in caught.value.message_dict["state"][0]
    submission.refresh_from_db()
    assert submission.state == SubmissionState.SUBMITTED and submission.task.state == TaskState.CONFIRMED


def test_a_refused_report_leaves_no_file_behind(province, settings):
    request = make_request(province)
    submission = row(request, province.commune_x)
    with pytest.raises(ValidationError):  # numbers missing: the report cannot be sent
        services.submission_save(
            actor=province.clerk_x.user,
            submission=submission,
            uploads=[SimpleUploadedFile("bc.pdf", PDF, content_type="application/pdf")],
            submit=True,
        )
    assert not SubmissionFile.objects.exists()
    media = settings.MEDIA_ROOT
    assert not [p for p in media.rglob("*") if p.is_file()] if media.exists() else True
