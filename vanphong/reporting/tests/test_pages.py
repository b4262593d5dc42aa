"""The reporting pages: the list, the create form (indicators and sections as lines), the
request with its board, the submission form (draft, submit), return with a reason, the
aggregate with its chart, the workbook and the summary draft; 404 outside reach."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from vanphong.reporting.models import ReportRequest, SubmissionState
from vanphong.reporting.tests.conftest import make_request, row
from vanphong.tasks.models import TaskState


@pytest.fixture(autouse=True)
def _pages_without_second_factor(settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"


def page(client, who, name, *args, **params):
    client.force_login(who.user)
    response = client.get(reverse(name, args=args), params)
    return response, response.content.decode()


def send(client, who, name, *args, data):
    client.force_login(who.user)
    return client.post(reverse(name, args=args), data)


def test_the_create_form_makes_a_request_from_lines_of_text(client, province):
    response, html = page(client, province.specialist, "reporting:request_create")
    assert response.status_code == 200 and "Chỉ tiêu số liệu" in html and "Đảng ủy xã An Phú" in html
    data = {
        "organization": province.committee.pk,
        "title": "Báo cáo tháng công tác tiếp dân",
        "frequency": "monthly",
        "due_day": "25",
        "recipients": [province.commune_x.pk, province.commune_y.pk],
        "indicators": "luot_tiep | Số lượt tiếp công dân | lượt | 0 |\ndon | Số đơn nhận | đơn",
        "sections": "Tình hình chung\nKiến nghị",
    }
    response = send(client, province.specialist, "reporting:request_create", data=data)
    request = ReportRequest.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "reporting:request_detail", args=[request.pk]
    )
    assert [(i.code, i.unit, i.min_value) for i in request.indicators.all()] == [
        ("luot_tiep", "lượt", 0),
        ("don", "đơn", None),
    ]
    assert request.sections == ["Tình hình chung", "Kiến nghị"]


def test_the_create_form_shows_slips_next_to_the_fields(client, province):
    data = {
        "organization": province.committee.pk,
        "title": "Báo cáo",
        "frequency": "monthly",
        "recipients": [province.commune_x.pk],
        "indicators": "chi có một cột",
    }
    response = send(client, province.specialist, "reporting:request_create", data=data)
    html = response.content.decode()
    assert response.status_code == 400 and "Dòng 1" in html
    data["indicators"] = "a | Một"
    response = send(client, province.specialist, "reporting:request_create", data=data)
    assert response.status_code == 400 and "Hãy nhập ngày hạn nộp trong kỳ." in response.content.decode()
    assert not ReportRequest.objects.exists()
    response, _html = page(client, province.clerk_x, "reporting:request_create")
    assert response.status_code == 404  # a commune with nothing below it requests nothing


def test_a_clerk_answers_on_the_page_and_the_board_follows(client, province):
    request = make_request(province)
    submission = row(request, province.commune_x)
    response, html = page(client, province.clerk_x, "reporting:request_list")
    assert request.title in html and reverse("reporting:submission", args=[submission.pk]) in html
    response, html = page(client, province.clerk_x, "reporting:submission", submission.pk)
    assert "Số đảng viên mới kết nạp (người)" in html and "Lưu nháp" in html and "Gửi báo cáo" in html
    data = {"v_1": "3", "v_2": "", "t_1": "Tình hình ổn định", "action": "draft"}
    response = send(client, province.clerk_x, "reporting:submission", submission.pk, data=data)
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == SubmissionState.DRAFT
    data = {"v_1": "3", "v_2": "", "t_1": "Tình hình ổn định", "action": "submit"}
    response = send(client, province.clerk_x, "reporting:submission", submission.pk, data=data)
    assert (
        response.status_code == 400
        and "Còn thiếu số liệu: Số đơn thư tiếp nhận." in response.content.decode()
    )
    data["v_2"] = "12 đơn"
    response = send(client, province.clerk_x, "reporting:submission", submission.pk, data=data)
    assert response.status_code == 400 and "hãy nhập một số" in response.content.decode()
    data["v_2"] = "1.200"  # dots group thousands, as a Vietnamese clerk types them
    response = send(client, province.clerk_x, "reporting:submission", submission.pk, data=data)
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == SubmissionState.SUBMITTED and submission.task.state == TaskState.COMPLETED
    assert submission.values.get(indicator__code="don_thu").value == 1200
    _response, html = page(
        client, province.specialist, "reporting:request_detail", request.pk, ky=submission.period
    )
    assert "Đã nộp đúng hạn" in html and "Chưa nộp" in html
    _response, html = page(client, province.clerk_x, "reporting:submission", submission.pk)
    assert "1.200" in html and "Lưu nháp" not in html


def test_the_neighbour_gets_404_and_sees_only_its_own_row(client, province):
    request = make_request(province)
    submission = row(request, province.commune_x)
    response, _html = page(client, province.clerk_y, "reporting:submission", submission.pk)
    assert response.status_code == 404
    _response, html = page(client, province.clerk_y, "reporting:request_detail", request.pk)
    assert "Đảng ủy xã Bình Minh" in html and "Đảng ủy xã An Phú" not in html
    response, _html = page(client, province.clerk_y, "reporting:aggregate", request.pk)
    assert response.status_code == 404


def test_the_requester_returns_a_report_with_a_reason(client, province):
    request = make_request(province)
    submission = row(request, province.commune_x)
    client.force_login(province.clerk_x.user)
    client.post(
        reverse("reporting:submission", args=[submission.pk]),
        {"v_1": "1", "v_2": "2", "action": "submit"},
    )
    _response, html = page(client, province.specialist, "reporting:submission", submission.pk)
    assert "Trả lại để bổ sung, sửa" in html
    response = send(
        client, province.specialist, "reporting:submission_return", submission.pk, data={"reason": ""}
    )
    assert response.status_code == 400
    response = send(
        client,
        province.specialist,
        "reporting:submission_return",
        submission.pk,
        data={"reason": "Thiếu phần kiến nghị"},
    )
    assert response.status_code == 302
    _response, html = page(client, province.clerk_x, "reporting:submission", submission.pk)
    assert "Thiếu phần kiến nghị" in html and "Gửi báo cáo" in html


def test_the_aggregate_page_draws_its_chart_and_exports(client, province):
    request = make_request(province)
    key = row(request, province.commune_x).period
    for clerk, org, values in (
        (province.clerk_x, province.commune_x, {"v_1": "3", "v_2": "10"}),
        (province.clerk_y, province.commune_y, {"v_1": "4", "v_2": "5"}),
    ):
        send(
            client,
            clerk,
            "reporting:submission",
            row(request, org, key).pk,
            data={**values, "action": "submit"},
        )
    response, html = page(client, province.chief, "reporting:aggregate", request.pk, ky=key)
    assert response.status_code == 200
    assert "<svg" in html and 'class="bar-current"' in html and "style=" not in html.split("<main", 1)[-1]
    assert "<script" not in html.split("<main", 1)[-1]
    assert "Kỳ trước" in html and "Cùng kỳ năm trước" in html
    client.force_login(province.chief.user)
    response = client.get(reverse("reporting:aggregate_xlsx", args=[request.pk]), {"ky": key})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Tổng hợp"]
    line = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "don_thu")
    assert list(line[3:6]) == [10, 5, 15]
    response = send(client, province.specialist, "reporting:summary", request.pk, data={"ky": key})
    assert response.status_code == 302
    _response, html = page(client, province.chief, "reporting:aggregate", request.pk, ky=key)
    assert "Báo cáo tổng hợp (dự thảo)" in html
