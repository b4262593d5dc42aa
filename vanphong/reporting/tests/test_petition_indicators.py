"""Indicators fed by the petitions book: the requester ties an indicator to a figure of the
petitions statistics (``Indicator.source``); the commune opening its report finds that figure,
counted over its own book and the report's period, offered in the form (never saved behind
its back); a saved value stays; an unknown figure is refused (service, page, API)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from vanphong.api.tests.helpers import assert_error, bearer
from vanphong.petitions.tests.conftest import register
from vanphong.reporting import services
from vanphong.reporting.forms import SUGGESTED_NOTE
from vanphong.reporting.models import ReportRequest, ReportSubmission, ReportValue
from vanphong.reporting.services import IndicatorSpec
from vanphong.reporting.tests.conftest import make_request, row

SOURCED = [
    IndicatorSpec("don_nhan", "Số đơn thư tiếp nhận", "đơn", source="total"),
    IndicatorSpec("khieu_nai", "Số đơn khiếu nại", "đơn", source="kind.khieu_nai"),
    IndicatorSpec("luot_tiep", "Số lượt tiếp công dân", "lượt"),
]


@pytest.fixture(autouse=True)
def _pages_without_second_factor(settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"


def monthly(province: Any) -> ReportRequest:
    """Due on the month's last day (31, clipped), so the first period given is today's month."""
    return make_request(province, indicators=SOURCED, due_day=31, sections=[])


def this_month(request: ReportRequest, organization: Any) -> ReportSubmission:
    today = timezone.localdate()
    return row(request, organization, f"{today:%Y}-{today:%m}")


def petitions_of_the_month(province: Any) -> None:
    """Commune X: two complaints and a recommendation this month, a complaint the day before
    the month began; commune Y and the Tỉnh ủy: a complaint each today."""
    today = timezone.localdate()
    first = today.replace(day=1)
    x = {"actor": province.clerk_x.user, "organization": province.commune_x}
    register(province, **x, received_date=today)
    register(province, **x, received_date=first)
    register(province, **x, received_date=today, kind="kien_nghi")
    register(province, **x, received_date=first - dt.timedelta(days=1))
    register(province, actor=province.clerk_y.user, organization=province.commune_y, received_date=today)
    register(province, received_date=today)


def open_report(client: Any, who: Any, submission: ReportSubmission) -> str:
    client.force_login(who.user)
    response = client.get(reverse("reporting:submission", args=[submission.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_request_keeps_the_figure_each_indicator_takes(province):
    request = monthly(province)
    assert [(i.code, i.source) for i in request.indicators.all()] == [
        ("don_nhan", "total"),
        ("khieu_nai", "kind.khieu_nai"),
        ("luot_tiep", ""),
    ]


def test_an_unknown_figure_is_refused(province):
    with pytest.raises(ValidationError) as caught:
        make_request(province, indicators=[IndicatorSpec("x", "Số gì đó", source="kind.khong_co")])
    assert "không có số liệu “kind.khong_co” trong sổ đơn thư" in caught.value.message_dict["indicators"][0]
    assert not ReportRequest.objects.exists()


def test_the_commune_is_offered_its_own_figures_of_the_period(province):
    request = monthly(province)
    petitions_of_the_month(province)
    submission = this_month(request, province.commune_x)
    offers = services.petition_suggestions(actor=province.clerk_x.user, submission=submission)
    by_code = {i.code: offers.get(i.pk) for i in request.indicators.all()}
    # Not commune Y's, nor the Tỉnh ủy's, nor last month's.
    assert by_code["don_nhan"] is not None and by_code["don_nhan"].value == 3
    assert by_code["khieu_nai"] is not None and by_code["khieu_nai"].value == 2
    assert by_code["luot_tiep"] is None  # typed by hand
    first = timezone.localdate().replace(day=1)
    assert by_code["don_nhan"].start == first and by_code["don_nhan"].end.month == first.month
    other = services.petition_suggestions(
        actor=province.clerk_y.user, submission=this_month(request, province.commune_y)
    )
    assert sorted(o.value for o in other.values()) == [1, 1]  # Y's one complaint


def test_the_report_page_shows_the_figures_prefilled_and_saves_nothing(client, province):
    request = monthly(province)
    petitions_of_the_month(province)
    submission = this_month(request, province.commune_x)
    html = open_report(client, province.clerk_x, submission)
    assert 'name="v_1" value="3"' in html and 'name="v_2" value="2"' in html
    assert 'name="v_3" value="' not in html  # no figure for the hand-typed indicator
    assert html.count(SUGGESTED_NOTE) == 2
    assert not ReportValue.objects.exists()  # an offer only: the reporter checks, then sends
    submission.refresh_from_db()
    assert submission.state == "pending"


def test_a_saved_value_is_not_overwritten(client, province):
    request = monthly(province)
    petitions_of_the_month(province)
    submission = this_month(request, province.commune_x)
    services.submission_save(
        actor=province.clerk_x.user, submission=submission, values={"don_nhan": "7"}, text={}
    )
    html = open_report(client, province.clerk_x, submission)
    assert 'name="v_1" value="7"' in html and 'name="v_2" value="2"' in html
    assert html.count(SUGGESTED_NOTE) == 1
    assert ReportValue.objects.get().value == Decimal(7)


def test_the_reporter_sends_the_offered_figures(client, province):
    request = monthly(province)
    petitions_of_the_month(province)
    submission = this_month(request, province.commune_x)
    client.force_login(province.clerk_x.user)
    url = reverse("reporting:submission", args=[submission.pk])
    response = client.post(url, {"v_1": "3", "v_2": "2", "v_3": "4", "action": "submit"})
    assert response.status_code == 302
    saved = dict(submission.values.values_list("indicator__code", "value"))
    assert saved == {"don_nhan": 3, "khieu_nai": 2, "luot_tiep": 4}
    assert SUGGESTED_NOTE not in open_report(client, province.clerk_x, submission)


def test_a_report_without_sourced_indicators_does_not_read_the_petitions_book(
    province, django_assert_num_queries
):
    request = make_request(province)
    first = row(request, province.commune_x)
    submission = ReportSubmission.objects.prefetch_related("values", "request__indicators").get(pk=first.pk)
    with django_assert_num_queries(0):
        assert services.petition_suggestions(actor=province.clerk_x.user, submission=submission) == {}


def test_a_one_off_report_counts_the_year_to_its_due_date(province):
    today = timezone.localdate()
    request = make_request(province, frequency="once", due_date=today, indicators=SOURCED, sections=[])
    petitions_of_the_month(province)
    submission = row(request, province.commune_x)
    assert services.source_span(request, submission) == (dt.date(today.year, 1, 1), today)
    offers = services.petition_suggestions(actor=province.clerk_x.user, submission=submission)
    total = offers[request.indicators.get(code="don_nhan").pk].value
    # The day before the month began is in the year, unless this is January.
    assert total == (4 if today.month > 1 else 3)


def test_the_create_page_ties_indicators_to_figures(client, province):
    client.force_login(province.specialist.user)
    url = reverse("reporting:request_create")
    html = client.get(url).content.decode()
    assert "Lấy số liệu từ sổ đơn thư" in html and 'value="kind.to_cao"' in html
    data = {
        "organization": province.committee.pk,
        "title": "Báo cáo tháng công tác tiếp dân, xử lý đơn thư",
        "frequency": "monthly",
        "due_day": "25",
        "recipients": [province.commune_x.pk],
        "indicators": "don | Số đơn nhận | đơn\n\nto_cao | Số đơn tố cáo | đơn",
        "source_1": "total",
        "source_2": "kind.to_cao",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    request = ReportRequest.objects.get()
    sources = [(i.code, i.source) for i in request.indicators.all()]
    assert sources == [("don", "total"), ("to_cao", "kind.to_cao")]


def test_the_create_page_refuses_a_figure_without_its_indicator_or_unknown(client, province):
    client.force_login(province.specialist.user)
    url = reverse("reporting:request_create")
    data = {
        "organization": province.committee.pk,
        "title": "Báo cáo tháng",
        "frequency": "monthly",
        "due_day": "25",
        "recipients": [province.commune_x.pk],
        "indicators": "don | Số đơn nhận | đơn",
        "source_2": "total",
    }
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 400 and "Danh sách chỉ tiêu chưa có chỉ tiêu thứ 2." in html
    data.pop("source_2")
    data["source_1"] = "kind.khong_co"
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 400 and "Số liệu này không có trong sổ đơn thư." in html
    assert not ReportRequest.objects.exists()


def test_the_api_takes_and_shows_the_figure_of_an_indicator(client, province):
    payload = {
        "title": "Báo cáo tháng công tác tiếp dân",
        "recipients": [province.commune_x.pk],
        "frequency": "monthly",
        "due_day": 25,
        "indicators": [
            {"code": "don", "name": "Số đơn nhận", "unit": "đơn", "source": "total"},
            {"code": "luot", "name": "Số lượt tiếp", "unit": "lượt"},
        ],
    }
    url = "/api/v1/report-requests/"
    auth = bearer(province.specialist.user)
    response = client.post(url, payload, content_type="application/json", **auth)
    assert response.status_code == 201, response.content
    assert [i["source"] for i in response.json()["indicators"]] == ["total", ""]
    payload["indicators"][1]["source"] = "result.khong_co"
    error = assert_error(client.post(url, payload, content_type="application/json", **auth), 400, "invalid")
    assert "result.khong_co" in error["fields"]["indicators"][0]
    assert ReportRequest.objects.count() == 1
