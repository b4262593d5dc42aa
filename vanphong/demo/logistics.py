"""The demo's shared services: the Văn phòng Tỉnh ủy's car pool — its own cars and drivers, and
the shared cars of two agencies — with a year of the agencies' trips. The pool is uneven, as
the seeds describe before pooling: most trips went in the three newest cars, the old seven-seater
stood idle many days while some requests were refused "hết xe". This week's trips are assigned;
a few requests of today and tomorrow wait for the dispatcher (the Chánh Văn phòng's home lists
them); one of this morning's trips waits for its log.

The year is written in as it happened (the trips' rows, with their odometer), the way the other
demo modules write their history; today's and the coming days' requests go through the
services: requested by the agencies' people, approved and assigned by the Văn phòng."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from vanphong.logistics import services, services_assets, services_rooms, services_spending
from vanphong.logistics.models import Asset, Driver, Trip, TripState, Vehicle
from vanphong.orgs.models import Organization, Person
from vanphong.programs.models import Room

SEED = 20261210
DAYS_BACK = 365

# (plate, seats, kind, make, owner: "office" or an agency's name, shared, weight: how often it goes out)
CARS = (
    ("49A-001.23", 5, "car", "Toyota Camry 2022", "office", True, 10),
    ("49A-002.45", 7, "seven", "Toyota Fortuner 2021", "office", True, 9),
    ("49A-003.67", 5, "car", "Toyota Corolla Altis 2020", "office", True, 8),
    ("49A-004.89", 16, "van", "Ford Transit 2019", "office", True, 4),
    ("49A-000.88", 7, "seven", "Toyota Innova 2012", "office", True, 1),
    ("49A-010.10", 5, "car", "Mazda 6 2018", "Ban Tổ chức", True, 2),
    ("49A-020.20", 7, "seven", "Mitsubishi Pajero 2016", "Ủy ban Kiểm tra", True, 2),
)
DRIVERS = (
    ("Nguyễn Văn Lực", "D"),
    ("Trần Minh Tâm", "D"),
    ("Lê Quang Vinh", "E"),
    ("Phạm Đức Thắng", "D"),
    ("Hoàng Văn Sơn", "C"),
)
DESTINATIONS = (
    ("Đảng ủy Phú Quý", 170),
    ("Đảng ủy Bảo Lộc 1", 110),
    ("Đảng ủy Di Linh", 80),
    ("Đảng ủy Lạc Dương", 30),
    ("Đảng ủy Đức Trọng", 35),
    ("Đảng ủy Phan Thiết", 160),
    ("Đảng ủy Tuy Phong", 230),
    ("Đảng ủy Bắc Gia Nghĩa", 190),
    ("Sân bay Liên Khương", 30),
)
PURPOSES = (
    "Kiểm tra, giám sát việc thực hiện nghị quyết",
    "Dự hội nghị sơ kết công tác xây dựng Đảng",
    "Khảo sát, nắm tình hình cơ sở",
    "Làm việc với Ban Thường vụ Đảng ủy",
    "Đưa đoàn công tác của Trung ương",
    "Dự lễ kỷ niệm ngày thành lập Đảng bộ",
)
AGENCIES = ("Văn phòng", "Ban Tổ chức", "Ban Tuyên giáo và Dân vận", "Ủy ban Kiểm tra", "Ban Nội chính")


def _user(username: str) -> Any:
    return Person.objects.select_related("user").get(user__username=username).user


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _fleet(tinhuy: Organization, office: Organization) -> tuple[list[Vehicle], list[Driver]]:
    agencies = {o.short_name: o for o in Organization.objects.filter(parent=tinhuy)}
    cars: list[Vehicle] = []
    for plate, seats, kind, make, owner, shared, _weight in CARS:
        cars.append(
            Vehicle.objects.create(
                organization=office if owner == "office" else agencies[owner],
                plate=plate,
                seats=seats,
                kind=kind,
                make_model=make,
                shared=shared,
                inspection_until=timezone.localdate() + dt.timedelta(days=40 + len(cars) * 37),
                insurance_until=timezone.localdate() + dt.timedelta(days=20 + len(cars) * 45),
            )
        )
    drivers = [
        Driver.objects.create(
            organization=office,
            full_name=name,
            licence_class=licence,
            licence_number=f"6801{n:08d}",
            licence_until=timezone.localdate() + dt.timedelta(days=400 + n * 300),
            phone=f"09{n}8{n}1234{n}",
        )
        for n, (name, licence) in enumerate(DRIVERS, start=1)
    ]
    return cars, drivers


@transaction.atomic
def seed_logistics(*, today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    rng = random.Random(SEED)  # noqa: S311 (demo data)
    tinhuy = Organization.objects.get(slug="tinhuy")
    office = Organization.objects.get(parent=tinhuy, is_office=True)
    agencies = [o for o in Organization.objects.filter(parent=tinhuy) if o.short_name in AGENCIES]
    requester = Person.objects.get(user__username="chuyenvien")
    dispatcher = Person.objects.get(user__username="chanhvp")
    cars, drivers = _fleet(tinhuy, office)
    weights = [c[6] for c in CARS]
    counts = {"vehicles": len(cars), "drivers": len(drivers), "trips": 0, "refused": 0, "waiting": 0}

    # The year: written as it happened.
    odometer = {car.pk: 20_000 + 9_000 * n for n, car in enumerate(cars)}
    rows: list[Trip] = []
    busy: dict[tuple[int, dt.date], int] = {}
    day = today - dt.timedelta(days=DAYS_BACK)
    while day < today:
        if day.weekday() < 5:
            for _ in range(rng.randint(1, 4)):
                place, km = DESTINATIONS[rng.randrange(len(DESTINATIONS))]
                start = _at(day, rng.choice((6, 7, 7, 8, 13)), rng.choice((0, 30)))
                hours = max(2, min(11, km // 25 + rng.randint(1, 4)))
                end = start + dt.timedelta(hours=hours)
                passengers = rng.choice((2, 3, 3, 4, 6, 10))
                agency = rng.choice(agencies)
                car = rng.choices(cars, weights=weights)[0]
                taken = busy.get((car.pk, day), 0)
                suitable = car.seats - 1 >= passengers and taken < 1
                trip = Trip(
                    organization=agency,
                    pool=office,
                    requested_by=requester,
                    purpose=rng.choice(PURPOSES),
                    passengers=passengers,
                    from_place="Trụ sở Tỉnh ủy, Đà Lạt",
                    to_place=place,
                    start=start,
                    end=end,
                    decided_by=dispatcher,
                    decided_at=start - dt.timedelta(days=1),
                    created_at=start - dt.timedelta(days=2),
                )
                if not suitable and rng.random() < 0.6:
                    trip.state = TripState.REFUSED
                    trip.reason = "Hết xe trong ngày"
                    counts["refused"] += 1
                elif suitable:
                    busy[(car.pk, day)] = taken + 1
                    driven = 2 * km + rng.randint(0, 25)
                    trip.state = TripState.COMPLETED
                    trip.vehicle = car
                    trip.driver = drivers[(day.toordinal() + taken + car.pk) % len(drivers)]
                    trip.assigned_by = dispatcher
                    trip.assigned_at = trip.decided_at
                    trip.odometer_start = odometer[car.pk]
                    trip.odometer_end = odometer[car.pk] + driven
                    trip.fuel_litres = round(driven * 0.09, 1)
                    trip.completed_at = end
                    odometer[car.pk] += driven
                else:
                    continue
                rows.append(trip)
        day += dt.timedelta(days=1)
    # A driver drives one trip at a time: drop the year's rows whose driver is already out.
    kept: list[Trip] = []
    driving: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
    for trip in rows:
        if trip.driver is not None:
            spans = driving.setdefault(trip.driver.pk, [])
            if any(
                s < trip.end + dt.timedelta(hours=1) and e + dt.timedelta(hours=1) > trip.start
                for s, e in spans
            ):
                continue
            spans.append((trip.start, trip.end))
        kept.append(trip)
    Trip.objects.bulk_create(kept)
    for car in cars:
        Vehicle.objects.filter(pk=car.pk).update(odometer=odometer[car.pk])
    counts["trips"] = len(kept)

    # Today and the coming days, through the services.
    chief = _user("chanhvp")
    asker = _user("chuyenvien")
    tomorrow = today + dt.timedelta(days=1)
    planned = (
        (tomorrow, 7, 12, "Đảng ủy Lạc Dương", 3, True),
        (tomorrow, 6, 17, "Đảng ủy Phú Quý", 4, True),
        (tomorrow, 13, 17, "Đảng ủy Đức Trọng", 2, False),
        (today + dt.timedelta(days=2), 7, 16, "Đảng ủy Di Linh", 5, False),
        (today + dt.timedelta(days=3), 8, 11, "Sân bay Liên Khương", 2, False),
    )
    for n, (when, start_h, end_h, place, passengers, assign) in enumerate(planned):
        trip = services.trip_request(
            actor=asker,
            organization=tinhuy,
            purpose=PURPOSES[n % len(PURPOSES)],
            passengers=passengers,
            from_place="Trụ sở Tỉnh ủy, Đà Lạt",
            to_place=place,
            start=_at(when, start_h),
            end=_at(when, end_h),
        )
        if assign:
            services.trip_assign(actor=chief, trip=trip, vehicle=cars[n], driver=drivers[n])
        else:
            counts["waiting"] += 1
    counts.update(_assets(tinhuy, office, cars, today))
    counts.update(_spending(tinhuy, office, today))
    counts.update(_rooms(tinhuy, office, today))
    return counts


# (code, name, category, value, years ago put in use, agency or "office")
ASSETS = (
    ("TS-XE-01", "Xe ô tô Toyota Camry 49A-001.23", "xe-o-to", 1_280_000_000, 4, "office"),
    ("TS-XE-02", "Xe ô tô Toyota Fortuner 49A-002.45", "xe-o-to", 1_150_000_000, 5, "office"),
    ("TS-XE-05", "Xe ô tô Toyota Innova 49A-000.88", "xe-o-to", 720_000_000, 14, "office"),
    (
        "TS-MT-001",
        "Máy vi tính để bàn Dell OptiPlex (Phòng Tổng hợp)",
        "may-vi-tinh",
        18_500_000,
        2,
        "office",
    ),
    (
        "TS-MT-002",
        "Máy vi tính xách tay HP ProBook (Chánh Văn phòng)",
        "may-vi-tinh",
        24_900_000,
        1,
        "office",
    ),
    ("TS-MT-003", "Máy chủ lưu trữ hồ sơ điện tử", "may-vi-tinh", 186_000_000, 3, "office"),
    ("TS-PT-001", "Máy photocopy Ricoh IM 4000", "may-photocopy", 96_000_000, 6, "office"),
    ("TS-DH-001", "Điều hòa Daikin 24.000 BTU Hội trường", "dieu-hoa", 32_000_000, 7, "office"),
    ("TS-AT-001", "Hệ thống âm thanh Hội trường Tỉnh ủy", "am-thanh-hinh-anh", 420_000_000, 5, "office"),
    ("TS-MT-101", "Máy vi tính để bàn Ban Tổ chức", "may-vi-tinh", 17_800_000, 3, "Ban Tổ chức"),
    ("TS-MT-201", "Máy vi tính để bàn Ủy ban Kiểm tra", "may-vi-tinh", 17_800_000, 6, "Ủy ban Kiểm tra"),
    ("TS-PM-001", "Phần mềm quản lý văn bản và điều hành", "phan-mem", 650_000_000, 2, "office"),
)


def _assets(
    tinhuy: Organization, office: Organization, cars: list[Vehicle], today: dt.date
) -> dict[str, int]:
    chief = _user("chanhvp")
    keeper = _user("cv.tcqt")
    agencies = {o.short_name: o for o in Organization.objects.filter(parent=tinhuy)}
    made = []
    for code, name, category, value, years, owner in ASSETS:
        made.append(
            services_assets.asset_create(
                actor=keeper,
                organization=office if owner == "office" else agencies[owner],
                code=code,
                name=name,
                category=category,
                value=value,
                in_use_on=dt.date(today.year - years, 3, 15),
                location="Trụ sở Tỉnh ủy",
            )
        )
    for asset, car in zip(made[:3], (cars[0], cars[1], cars[4]), strict=True):
        Asset.objects.filter(pk=asset.pk).update(vehicle=car)
    # The old seven-seater, idle in the pool, goes to the Ủy ban Kiểm tra, which lacked a car.
    services_assets.asset_transfer(
        actor=chief,
        asset=made[2],
        to_organization=agencies["Ủy ban Kiểm tra"],
        on=today - dt.timedelta(days=20),
        decision="Quyết định số 112-QĐ/VPTU của Chánh Văn phòng Tỉnh ủy",
        condition="Xe hoạt động bình thường, đã bảo dưỡng định kỳ.",
    )
    repair = services_assets.repair_request(
        actor=keeper, asset=made[6], description="Máy photocopy kẹt giấy liên tục, báo lỗi SC542."
    )
    services_assets.repair_start(actor=chief, repair=repair)
    services_assets.repair_request(
        actor=keeper, asset=made[7], description="Điều hòa Hội trường không làm lạnh, chảy nước."
    )
    return {"assets": len(made), "repairs": 2}


KINDS = (
    ("CTP", "Công tác phí (phụ cấp lưu trú)", 200_000, "người/ngày"),
    ("TIEPKHACH", "Tiếp khách", 300_000, "suất"),
    ("VPP", "Văn phòng phẩm", 5_000_000, "lần mua"),
    ("SUACHUA", "Sửa chữa nhỏ tài sản", 20_000_000, "lần"),
)


def _spending(tinhuy: Organization, office: Organization, today: dt.date) -> dict[str, int]:
    chief = _user("chanhvp")
    clerk = _user("cv.tcqt")
    kinds = {
        code: services_spending.kind_save(
            actor=chief, organization=office, code=code, name=name, limit=limit, per=per
        )
        for code, name, limit, per in KINDS
    }
    lines = {
        code: services_spending.budget_line_save(
            actor=chief, organization=office, year=today.year, code=code, name=name, amount=amount
        )
        for code, name, amount in (
            ("6700", "Công tác phí", 450_000_000),
            ("6650", "Hội nghị, tiếp khách", 320_000_000),
            ("6550", "Vật tư văn phòng", 180_000_000),
            ("6900", "Sửa chữa tài sản", 400_000_000),
        )
    }
    count = 0
    plan = (
        ("6700", "CTP", "Phụ cấp lưu trú đoàn kiểm tra tại Đảng ủy Phú Quý", 4, 800_000, True),
        ("6700", "CTP", "Phụ cấp lưu trú đoàn công tác tại Đảng ủy Tuy Phong", 3, 600_000, True),
        ("6650", "TIEPKHACH", "Tiếp đoàn công tác Văn phòng Trung ương Đảng", 12, 3_600_000, True),
        ("6550", "VPP", "Mua giấy in, mực in quý IV", 1, 4_850_000, True),
        ("6900", "SUACHUA", "Thay linh kiện máy photocopy Ricoh", 1, 7_500_000, False),
        ("6700", "CTP", "Phụ cấp lưu trú đoàn khảo sát tại Đảng ủy Di Linh", 5, 1_000_000, False),
    )
    for n, (line, kind, text, quantity, amount, approve) in enumerate(plan):
        expense = services_spending.expense_request(
            actor=clerk,
            organization=office,
            budget_line=lines[line],
            kind=kinds[kind],
            description=text,
            quantity=quantity,
            amount=amount,
            spent_on=today - dt.timedelta(days=30 - n * 5),
        )
        if approve:
            services_spending.expense_decide(actor=chief, expense=expense, approve=True)
        count += 1
    return {"expenses": count}


def _rooms(tinhuy: Organization, office: Organization, today: dt.date) -> dict[str, int]:
    asker = (
        _user("cv.btc") if Person.objects.filter(user__username="cv.btc").exists() else _user("chuyenvien")
    )
    agency = (
        Person.objects.get(user__username="cv.btc").organization if asker != _user("chuyenvien") else tinhuy
    )
    room = Room.objects.filter(organization=office, name="Phòng họp số 2").first()
    if room is None:
        return {"bookings": 0}
    count = 0
    for days, hour, title in (
        (1, 14, "Tập huấn nghiệp vụ công tác tổ chức xây dựng Đảng"),
        (2, 8, "Họp thẩm định hồ sơ nhân sự"),
        (4, 14, "Giao ban công tác tổ chức tháng"),
    ):
        start = _at(today + dt.timedelta(days=days), hour)
        try:
            services_rooms.room_book(
                actor=asker,
                room=room,
                organization=agency,
                title=title,
                start=start,
                end=start + dt.timedelta(hours=3),
                attendees=15,
            )
        except services_rooms.Conflict:
            continue  # a meeting of the calendar holds the room then
        count += 1
    return {"bookings": count}


def summary(counts: dict[str, int]) -> str:
    return (
        f"{counts['vehicles']} xe, {counts['drivers']} lái xe, {counts['trips']} chuyến công tác trong năm "
        f"({counts['refused']} đề nghị không bố trí được xe), {counts['waiting']} đề nghị xe chờ bố trí, "
        f"{counts['assets']} tài sản ({counts['repairs']} đang sửa chữa), {counts['expenses']} khoản chi, "
        f"{counts['bookings']} lịch đặt phòng họp"
    )
