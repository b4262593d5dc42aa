"""What the review of the shared services found, kept fixed: a commune's Đảng ủy is a committee of
its own, never one of the province Văn phòng's agencies (its cars, drivers, assets and budget stay
its own); far dates and years answer a page, never a 500; a typed name never becomes a formula in
the workbook; a driver's licence class and a car's inspection are checked; one stock-take at a
time; a trip's driver reads their trip."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from vanphong.logistics import selectors, services
from vanphong.logistics.exports_fleet import _text
from vanphong.logistics.models import Driver, Vehicle
from vanphong.logistics.tests.conftest import at
from vanphong.orgs.models import Role
from vanphong.orgs.tests.factories import make_actor

pytestmark = pytest.mark.django_db


def trip(province, passengers=3):
    return services.trip_request(
        actor=province.specialist.user,
        organization=province.committee,
        purpose="Công tác",
        passengers=passengers,
        from_place="Tỉnh ủy",
        to_place="Xã",
        start=at(2, 7),
        end=at(2, 11),
    )


def test_a_communes_cars_and_drivers_are_not_the_province_pool(province, pool, agency):
    commune_car = Vehicle.objects.create(organization=province.commune_x, plate="49B-111.11", seats=7)
    commune_driver = Driver.objects.create(organization=province.commune_x, full_name="Xã", licence_class="D")
    lent = Vehicle.objects.create(organization=agency["organization"], plate="49A-333.33", seats=7)
    cars = set(selectors.dispatchable_vehicles(province.office))
    assert lent in cars and commune_car not in cars
    assert commune_driver not in set(selectors.dispatchable_drivers(province.office))
    assert selectors.pool_for(province.commune_x) == province.commune_x
    assert selectors.pool_for(agency["organization"]) == province.office
    assert selectors.pool_for(province.committee) == province.office


def test_far_dates_and_years_answer_a_page(province, client, settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"
    client.force_login(province.chief.user)
    for url in (
        "/hau-can/xe/?den=9999-12-31",
        "/hau-can/xe/dieu-xe/?ngay=9999-12-31",
        "/hau-can/xe/dieu-xe/?tuan=9999-12-30",
        "/hau-can/xe/hieu-suat/?from=9999-12-20",
        "/hau-can/chi-tieu/?nam=0000",
    ):
        assert client.get(url).status_code in (200, 400), url


def test_a_typed_name_never_becomes_a_formula():
    assert _text('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert _text("Lê Văn Minh") == "Lê Văn Minh"


def test_licence_class_and_inspection_are_checked(province, pool):
    b_driver = Driver.objects.create(organization=province.office, full_name="Hạng B", licence_class="B")
    with pytest.raises(ValidationError, match="hạng B"):
        services.trip_assign(
            actor=province.chief.user, trip=trip(province, 10), vehicle=pool["van"], driver=b_driver
        )
    services.trip_assign(actor=province.chief.user, trip=trip(province), vehicle=pool["car"], driver=b_driver)
    pool["van"].inspection_until = at(1, 0).date()
    pool["van"].save()
    with pytest.raises(ValidationError, match="đăng kiểm"):
        services.trip_assign(
            actor=province.chief.user, trip=trip(province, 10), vehicle=pool["van"], driver=pool["hai"]
        )


def test_a_trips_driver_reads_it(province, pool):
    person = make_actor("driver", province.office, Role.CHUYEN_VIEN)
    pool["minh"].person = person
    pool["minh"].save()
    made = trip(province)
    services.trip_assign(actor=province.chief.user, trip=made, vehicle=pool["car"], driver=pool["minh"])
    assert made in selectors.trips_visible_to(person.user)


def test_one_stock_take_at_a_time(province):
    from vanphong.logistics import services_assets

    services_assets.asset_create(
        actor=province.chief.user,
        organization=province.office,
        code="MT-01",
        name="Máy vi tính",
        category="may-vi-tinh",
        value=15_000_000,
        in_use_on=dt.date(2024, 1, 2),
    )
    today = dt.date.today()
    services_assets.stocktake_open(actor=province.chief.user, organization=province.office, on=today)
    with pytest.raises(ValidationError, match="chưa khóa sổ"):
        services_assets.stocktake_open(actor=province.chief.user, organization=province.office, on=today)
