"""The car pool's pages: an agency asks for a car, the Văn phòng assigns it (a second overlapping
assignment of the same car shows its conflict and keeps the choice), the trip is logged; the
dispatcher's board; the register of cars and drivers; who sees what (404 outside one's reach)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from vanphong.logistics import services
from vanphong.logistics.models import Driver, Trip, TripState, Vehicle
from vanphong.logistics.tests.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"


def login(client, person):
    client.force_login(person.user)
    return client


def local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def ask(province, start, end, passengers=3, to_place="Đảng ủy xã An Phú"):
    return services.trip_request(
        actor=province.specialist.user,
        organization=province.committee,
        purpose="Kiểm tra công tác xây dựng Đảng",
        passengers=passengers,
        from_place="Trụ sở Tỉnh ủy",
        to_place=to_place,
        start=start,
        end=end,
    )


def test_an_agency_requests_a_car_through_the_page(client, province, pool):
    login(client, province.specialist)
    page = client.get(reverse("logistics:trip_create"))
    assert page.status_code == 200
    assert 'type="datetime-local"' in page.content.decode()
    data = {
        "organization": province.committee.pk,
        "purpose": "Dự hội nghị sơ kết tại huyện",
        "passengers": "4",
        "passenger_names": "Đồng chí Phó Bí thư, chuyên viên",
        "from_place": "Trụ sở Tỉnh ủy",
        "to_place": "Huyện ủy Bình Sơn",
        "start": local(at(3, 7, 30)),
        "end": local(at(3, 17)),
    }
    response = client.post(reverse("logistics:trip_create"), data)
    trip = Trip.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "logistics:trip_detail", args=[trip.pk]
    )
    assert (trip.organization, trip.pool, trip.passengers) == (province.committee, province.office, 4)
    assert trip.start == at(3, 7, 30) and trip.state == TripState.REQUESTED


def test_the_request_form_shows_errors_by_field_and_keeps_what_was_typed(client, province, pool):
    login(client, province.specialist)
    data = {
        "organization": province.committee.pk,
        "purpose": "Đi kiểm tra",
        "passengers": "3",
        "from_place": "Tỉnh ủy",
        "to_place": "Xã An Phú",
        "start": local(at(3, 17)),
        "end": local(at(3, 8)),
    }
    response = client.post(reverse("logistics:trip_create"), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Giờ về phải sau giờ đi." in body
    assert 'value="Xã An Phú"' in body and "Đi kiểm tra" in body
    assert not Trip.objects.exists()


def test_a_commune_clerk_cannot_see_the_committees_trips(client, province, pool):
    trip = ask(province, at(2, 7), at(2, 11))
    login(client, province.clerk_x)
    assert client.get(reverse("logistics:trip_detail", args=[trip.pk])).status_code == 404
    listing = client.get(reverse("logistics:trip_list"))
    assert listing.status_code == 200 and "Kiểm tra công tác" not in listing.content.decode()
    assert client.get(reverse("logistics:board")).status_code == 404
    assert client.get(reverse("logistics:utilisation")).status_code == 404
    posted = client.post(
        reverse("logistics:trip_assign", args=[trip.pk]),
        {"vehicle": pool["car"].pk, "driver": pool["minh"].pk},
    )
    assert posted.status_code == 404
    trip.refresh_from_db()
    assert trip.state == TripState.REQUESTED


def test_an_agency_user_cannot_dispatch(client, province, pool):
    trip = ask(province, at(2, 7), at(2, 11))
    login(client, province.specialist)
    page = client.get(reverse("logistics:trip_detail", args=[trip.pk]))
    assert page.status_code == 200 and "Bố trí xe" not in page.content.decode()
    assert client.get(reverse("logistics:board")).status_code == 404
    posted = client.post(
        reverse("logistics:trip_assign", args=[trip.pk]),
        {"vehicle": pool["car"].pk, "driver": pool["minh"].pk},
    )
    assert posted.status_code == 403
    trip.refresh_from_db()
    assert trip.vehicle is None


def test_assign_then_conflict_on_a_second_overlapping_trip_then_log(client, province, pool):
    first = ask(province, at(2, 7), at(2, 12))
    second = ask(province, at(2, 10), at(2, 15), to_place="Xã Bình Minh")
    login(client, province.chief)
    page = client.get(reverse("logistics:trip_detail", args=[first.pk]))
    body = page.content.decode()
    assert "49A-000.01 · 5 chỗ" in body and "49A-000.16 · 16 chỗ" in body
    done = client.post(
        reverse("logistics:trip_assign", args=[first.pk]),
        {"vehicle": pool["car"].pk, "driver": pool["minh"].pk},
    )
    assert done.status_code == 302
    first.refresh_from_db()
    assert (first.state, first.vehicle, first.driver) == (TripState.ASSIGNED, pool["car"], pool["minh"])

    clash = client.post(
        reverse("logistics:trip_assign", args=[second.pk]),
        {"vehicle": pool["car"].pk, "driver": pool["hai"].pk},
    )
    body = clash.content.decode()
    assert clash.status_code == 409
    assert "Trùng lịch" in body and "Xe 49A-000.01 đã được bố trí chuyến khác" in body
    # The choice is kept.
    assert f'<option value="{pool["car"].pk}" selected>' in body
    assert f'<option value="{pool["hai"].pk}" selected>' in body
    second.refresh_from_db()
    assert second.state == TripState.REQUESTED and second.vehicle is None

    # The driver's rest counts too.
    tired = client.post(
        reverse("logistics:trip_assign", args=[second.pk]),
        {"vehicle": pool["van"].pk, "driver": pool["minh"].pk},
    )
    assert tired.status_code == 409 and "Lái xe Lê Văn Minh có chuyến khác" in tired.content.decode()

    # The trip's log, once it has begun.
    Trip.objects.filter(pk=first.pk).update(start=at(-1, 7), end=at(-1, 12))
    page = client.get(reverse("logistics:trip_detail", args=[first.pk]))
    assert "Ghi nhật trình" in page.content.decode()
    logged = client.post(
        reverse("logistics:trip_complete", args=[first.pk]),
        {"odometer_start": "12000", "odometer_end": "12085", "fuel_litres": "9,5"},
    )
    assert logged.status_code == 302
    first.refresh_from_db()
    assert (first.state, first.km, str(first.fuel_litres)) == (TripState.COMPLETED, 85, "9.50")
    pool["car"].refresh_from_db()
    assert pool["car"].odometer == 12085
    shown = client.get(reverse("logistics:trip_detail", args=[first.pk])).content.decode()
    assert "85 km" in shown


def test_a_log_with_the_odometer_backwards_is_refused_by_field(client, province, pool):
    trip = ask(province, at(2, 7), at(2, 12))
    services.trip_assign(actor=province.chief.user, trip=trip, vehicle=pool["car"], driver=pool["minh"])
    Trip.objects.filter(pk=trip.pk).update(start=at(-1, 7), end=at(-1, 12))
    login(client, province.chief)
    response = client.post(
        reverse("logistics:trip_complete", args=[trip.pk]), {"odometer_start": "500", "odometer_end": "400"}
    )
    assert response.status_code == 400
    assert "Số km lúc về phải không nhỏ hơn số km lúc đi." in response.content.decode()


def test_refuse_needs_a_reason_and_cancel_by_the_requester(client, province, pool):
    trip = ask(province, at(2, 7), at(2, 12))
    login(client, province.chief)
    refused = client.post(reverse("logistics:trip_decide", args=[trip.pk]), {"decision": "refuse"})
    assert refused.status_code == 400 and "Nêu lý do không bố trí được xe." in refused.content.decode()
    approved = client.post(reverse("logistics:trip_decide", args=[trip.pk]), {"decision": "approve"})
    assert approved.status_code == 302
    trip.refresh_from_db()
    assert trip.state == TripState.APPROVED

    login(client, province.specialist)
    empty = client.post(reverse("logistics:trip_cancel", args=[trip.pk]), {"reason": ""})
    assert empty.status_code == 400 and "Nêu lý do hủy." in empty.content.decode()
    cancelled = client.post(reverse("logistics:trip_cancel", args=[trip.pk]), {"reason": "Hoãn hội nghị"})
    assert cancelled.status_code == 302
    trip.refresh_from_db()
    assert (trip.state, trip.reason) == (TripState.CANCELLED, "Hoãn hội nghị")


def test_the_board_lists_the_days_trips_and_the_waiting_requests(client, province, pool):
    morning = ask(province, at(1, 7), at(1, 11), to_place="Xã An Phú")
    services.trip_assign(actor=province.chief.user, trip=morning, vehicle=pool["car"], driver=pool["minh"])
    afternoon = ask(province, at(1, 13), at(1, 16), passengers=9, to_place="Xã Bình Minh")
    services.trip_assign(actor=province.chief.user, trip=afternoon, vehicle=pool["van"], driver=pool["hai"])
    other_day = ask(province, at(2, 8), at(2, 10), to_place="Huyện Sơn Tịnh")
    services.trip_assign(actor=province.chief.user, trip=other_day, vehicle=pool["car"], driver=pool["minh"])
    waiting = ask(province, at(1, 8), at(1, 9), to_place="Sở Nội vụ")

    login(client, province.chief)
    day = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.get(reverse("logistics:board"), {"ngay": day})
    body = response.content.decode()
    assert response.status_code == 200
    assert "→ Xã An Phú" in body and "→ Xã Bình Minh" in body
    assert "07:00–11:00" in body and "13:00–16:00" in body
    assert "Huyện Sơn Tịnh" not in body
    assert 'colspan="4"' in body  # 7h–11h: four hour columns
    assert reverse("logistics:trip_detail", args=[waiting.pk]) + "#bo-tri" in body

    week = client.get(reverse("logistics:board"), {"tuan": day}).content.decode()
    assert "Huyện Sơn Tịnh" in week and "Xã An Phú" in week


def test_the_board_is_for_dispatchers(client, province, pool):
    login(client, province.specialist)
    assert client.get(reverse("logistics:board")).status_code == 404
    login(client, province.chief)
    assert client.get(reverse("logistics:board")).status_code == 200
    assert client.get(reverse("logistics:board"), {"ngay": "khong-phai-ngay"}).status_code == 200


def test_trip_list_filters_and_its_query_count_is_bounded(
    client, province, pool, django_assert_max_num_queries
):
    for n in range(30):
        trip = ask(province, at(1 + n % 5, 7 + n % 8), at(1 + n % 5, 8 + n % 8), to_place=f"Xã số {n}")
        if n % 3 == 0:
            services.trip_decide(actor=province.chief.user, trip=trip, approve=False, reason="Hết xe")
    login(client, province.chief)
    # 14 today: the session, the reader and their access scope, the count, the page of trips with
    # their agencies, cars and drivers in one query, the filter's agencies, the menu; none per trip.
    with django_assert_max_num_queries(16):
        response = client.get(reverse("logistics:trip_list"))
    body = response.content.decode()
    assert response.status_code == 200 and "30 chuyến" in body
    refused = client.get(reverse("logistics:trip_list"), {"tinh_trang": "refused"}).content.decode()
    assert "10 chuyến" in refused and "Không bố trí được" in refused
    day = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    one_day = client.get(reverse("logistics:trip_list"), {"tu": day, "den": day}).content.decode()
    assert "6 chuyến" in one_day


def test_the_register_of_cars_and_drivers(client, province, pool):
    Vehicle.objects.filter(pk=pool["car"].pk).update(
        inspection_until=timezone.localdate() - dt.timedelta(days=3)
    )
    Driver.objects.filter(pk=pool["hai"].pk).update(licence_until=timezone.localdate() - dt.timedelta(days=1))
    login(client, province.chief)
    cars = client.get(reverse("logistics:vehicle_list")).content.decode()
    assert "49A-000.01" in cars and "Quá hạn" in cars and "lg-expired" in cars
    assert reverse("logistics:vehicle_edit", args=[pool["car"].pk]) in cars
    drivers = client.get(reverse("logistics:driver_list")).content.decode()
    assert "Phạm Văn Hải" in drivers and "Hết hạn" in drivers

    created = client.post(
        reverse("logistics:vehicle_create"),
        {
            "organization": province.office.pk,
            "plate": "49a-123.45",
            "kind": "seven",
            "seats": "7",
            "shared": "on",
            "active": "on",
            "inspection_until": "2027-06-30",
        },
    )
    assert created.status_code == 302
    car = Vehicle.objects.get(plate="49A-123.45")
    assert (car.seats, car.kind, car.inspection_until) == (7, "seven", dt.date(2027, 6, 30))
    duplicate = client.post(
        reverse("logistics:vehicle_create"),
        {"organization": province.office.pk, "plate": "49A-123.45", "kind": "car", "seats": "5"},
    )
    assert duplicate.status_code == 400 and "đã có trong danh sách" in duplicate.content.decode()
    edited = client.post(
        reverse("logistics:vehicle_edit", args=[car.pk]),
        {"organization": province.office.pk, "plate": "49A-123.45", "kind": "seven", "seats": "8"},
    )
    assert edited.status_code == 302
    car.refresh_from_db()
    assert car.seats == 8 and not car.active

    added = client.post(
        reverse("logistics:driver_create"),
        {"organization": province.office.pk, "full_name": "Võ Văn Tâm", "licence_class": "C", "active": "on"},
    )
    assert added.status_code == 302 and Driver.objects.filter(full_name="Võ Văn Tâm", active=True).exists()
    nameless = client.post(
        reverse("logistics:driver_create"), {"organization": province.office.pk, "licence_class": "C"}
    )
    assert nameless.status_code == 400 and "Nhập họ và tên lái xe" in nameless.content.decode()


def test_only_the_organisations_leaders_keep_its_register(client, province, pool):
    login(client, province.specialist)
    listing = client.get(reverse("logistics:vehicle_list")).content.decode()
    assert reverse("logistics:vehicle_edit", args=[pool["car"].pk]) not in listing
    assert client.get(reverse("logistics:vehicle_edit", args=[pool["car"].pk])).status_code == 403
    assert client.get(reverse("logistics:vehicle_create")).status_code == 404
    login(client, province.clerk_x)
    assert client.get(reverse("logistics:vehicle_edit", args=[pool["car"].pk])).status_code == 404
    assert client.get(reverse("logistics:driver_edit", args=[pool["minh"].pk])).status_code == 404
    assert "49A-000.01" not in client.get(reverse("logistics:vehicle_list")).content.decode()


def test_the_utilisation_page_shows_the_tables_charts_and_gaps(client, province, pool):
    Vehicle.objects.create(organization=province.office, plate="49A-999.99", seats=7)
    one = ask(province, at(1, 7), at(1, 11))
    services.trip_assign(actor=province.chief.user, trip=one, vehicle=pool["car"], driver=pool["minh"])
    refused = ask(province, at(1, 8), at(1, 10))
    services.trip_decide(actor=province.chief.user, trip=refused, approve=False, reason="Hết xe")
    login(client, province.chief)
    start = timezone.localdate()
    end = start + dt.timedelta(days=5)
    response = client.get(
        reverse("logistics:utilisation"), {"from": start.isoformat(), "to": end.isoformat()}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in body and "Số giờ sử dụng theo xe: 49A-000.01 4 giờ" in body
    assert "49A-999.99" in body and "Hết xe" in body
    assert 'style="' not in body.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "format=xlsx" in body
