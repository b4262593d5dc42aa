"""The utilisation workbook and charts on known data: the workbook opens with openpyxl and holds
the figures per car, per driver and per agency, and the gaps; the bars scale to the largest."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from vanphong.logistics import exports_fleet, selectors, services
from vanphong.logistics.models import Trip, Vehicle
from vanphong.logistics.tests.conftest import at


def ask(province, start, end, passengers=3):
    return services.trip_request(
        actor=province.specialist.user,
        organization=province.committee,
        purpose="Công tác",
        passengers=passengers,
        from_place="Tỉnh ủy",
        to_place="Xã",
        start=start,
        end=end,
    )


@pytest.fixture
def known(province, pool):
    """Three trips (8.5 h and 80 km on the car, 2 h on the van), one refusal while the 7-seater
    stood idle, and the 7-seater never out."""
    Vehicle.objects.create(organization=province.office, plate="49A-999.99", seats=7)
    one = ask(province, at(1, 7), at(1, 11))
    two = ask(province, at(1, 13), at(1, 17, 30))
    three = ask(province, at(2, 7), at(2, 9), passengers=10)
    for t, car, driver in ((one, "car", "minh"), (two, "car", "hai"), (three, "van", "minh")):
        services.trip_assign(actor=province.chief.user, trip=t, vehicle=pool[car], driver=pool[driver])
    refused = ask(province, at(1, 8), at(1, 10))
    services.trip_decide(actor=province.chief.user, trip=refused, approve=False, reason="Hết xe")
    Trip.objects.filter(pk=one.pk).update(start=at(-1, 7), end=at(-1, 11))
    one.refresh_from_db()
    services.trip_complete(actor=province.chief.user, trip=one, odometer_start=1000, odometer_end=1080)
    return pool


def rows(sheet):
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.django_db
def test_the_workbook_holds_the_figures_of_known_data(client, province, known, settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    client.force_login(province.chief.user)
    start = timezone.localdate() - dt.timedelta(days=3)
    end = timezone.localdate() + dt.timedelta(days=3)
    response = client.get(
        reverse("logistics:utilisation"), {"from": start.isoformat(), "to": end.isoformat(), "format": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert f"hieu-suat-xe-{start:%Y%m%d}-{end:%Y%m%d}.xlsx" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Theo xe", "Theo lái xe", "Theo cơ quan", "Khoảng trống"]
    cars = rows(book["Theo xe"])
    assert cars[3] == ("STT", "Xe", "Số chuyến", "Số giờ", "Số km")
    assert cars[4:] == [
        (1, "49A-000.01", 2, 8.5, 80),
        (2, "49A-000.16", 1, 2.0, 0),
        (None, "Cộng", 3, 10.5, 80),
    ]
    drivers = rows(book["Theo lái xe"])
    assert drivers[4:6] == [(1, "Lê Văn Minh", 2, 6.0, 80), (2, "Phạm Văn Hải", 1, 4.5, 0)]
    agencies = rows(book["Theo cơ quan"])
    assert agencies[4] == (1, "Tỉnh ủy", 3, 10.5, 80)
    gaps = {row[0]: row[1] for row in rows(book["Khoảng trống"]) if row and row[0]}
    assert gaps["Số đề nghị không bố trí được xe"] == 1
    assert gaps["Trong đó: khi vẫn có xe đủ chỗ để không"] == 1
    assert gaps["Số xe không đi chuyến nào"] == 1
    assert "49A-999.99" in gaps


@pytest.mark.django_db
def test_the_charts_scale_to_the_largest_value(province, known):
    figures = selectors.utilisation(province.office, at(-3, 0), at(4, 0))
    cars, drivers, agencies = exports_fleet.tables(figures)
    assert [(b.label, b.text) for b in cars.chart.bars] == [("49A-000.01", "8,5"), ("49A-000.16", "2")]
    widest = exports_fleet.ROW_WIDTH - 56
    assert float(cars.chart.bars[0].width) == widest
    assert float(cars.chart.bars[1].width) == pytest.approx(widest * 2 / 8.5, abs=0.1)
    assert cars.chart.summary == "49A-000.01 8,5 giờ; 49A-000.16 2 giờ"
    assert [(b.label, b.text) for b in agencies.chart.bars] == [("Tỉnh ủy", "3")]
    assert drivers.chart.height == 8 + 2 * exports_fleet.ROW_STEP


def test_a_long_tail_is_summed_as_other():
    chart = exports_fleet.bar_chart("Số chuyến", "chuyến", [(f"Xe {n}", n) for n in range(1, 21)])
    assert len(chart.bars) == exports_fleet.ROW_LIMIT
    assert chart.bars[0].label == "Xe 20" and chart.bars[-1].label == "Khác"
    assert chart.bars[-1].value == sum(range(1, 10))
    assert exports_fleet.bar_chart("Trống", "giờ", [("Xe", 0)]).bars == []
