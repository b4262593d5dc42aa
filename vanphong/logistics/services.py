"""Every change of the car pool, as plain functions taking explicit arguments: each checks who
may do it, validates with Vietnamese messages (``ValidationError`` keyed by field) and writes its
rows and its audit entry in one transaction.

* ``trip_request``: an agency asks for a car (purpose, passengers, from, to, times), to its pool
  (its committee's Văn phòng by default);
* ``trip_decide``: the pool's leaders approve or refuse (a refusal keeps its reason: the
  utilisation report counts the requests refused while cars stood idle);
* ``trip_assign``: a car and a driver for an approved trip. Under row locks on the car and the
  driver (taken in a fixed order), a car already out at an overlapping time, or a driver whose
  trips leave less than the rest time between them, is refused with ``Conflict`` (HTTP 409):
  two dispatchers assigning the same car at once are served one after the other, and exactly
  one wins;
* ``trip_complete``: the trip log (odometer at departure and return, fuel);
* ``trip_cancel``: by the requester or the pool, before the trip is done.

Who: an agency's people holding WRITE ask for cars; the pool's leaders (DIRECT in the pool's
organisation: the Chánh Văn phòng and the heads of its units) approve and dispatch."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from vanphong.audit.services import audit_record
from vanphong.logistics.models import HOLDING, Driver, LicenceClass, Trip, TripState, Vehicle, VehicleKind
from vanphong.logistics.selectors import dispatchable_drivers, dispatchable_vehicles, pool_for
from vanphong.orgs.access import Capability, can
from vanphong.orgs.actors import Actor, acting_person, person_of
from vanphong.orgs.models import Organization, Person

MAX_PASSENGERS = 60
MAX_TRIP_DAYS = 31
DEFAULT_REST_MINUTES = 60
MAX_KM_PER_TRIP = 5000


class Conflict(ValidationError):
    """The car or the driver is already out at that time (HTTP 409, ``conflict``)."""


def licence_classes_for(seats: int) -> frozenset[str]:
    """The licence classes that may drive a car of ``seats`` seats (the driver's included), by the
    classes this register keeps: B up to 9 seats, D up to 30, E above (C, for lorries, carries
    B's rights)."""
    if seats <= 9:
        return frozenset({"B", "C", "D", "E"})
    if seats <= 30:
        return frozenset({"D", "E"})
    return frozenset({"E"})


def rest_between_trips() -> dt.timedelta:
    """The least time a driver rests between two trips (``VANPHONG_DRIVER_REST_MINUTES``)."""
    return dt.timedelta(minutes=int(getattr(settings, "VANPHONG_DRIVER_REST_MINUTES", DEFAULT_REST_MINUTES)))


def may_dispatch(actor: Actor, pool: Organization) -> bool:
    return can(actor, Capability.DIRECT, pool)


def may_request(actor: Actor, organization: Organization) -> bool:
    return can(actor, Capability.WRITE, organization)


def _text(value: str, field: str, limit: int, errors: dict[str, list[str]], label: str) -> str:
    text = " ".join((value or "").split())
    if not text:
        errors.setdefault(field, []).append(f"Nhập {label}.")
    elif len(text) > limit:
        errors.setdefault(field, []).append(f"{label.capitalize()} dài tối đa {limit} ký tự.")
    return text


@transaction.atomic
def trip_request(
    *,
    actor: Actor,
    organization: Organization,
    purpose: str,
    passengers: int,
    from_place: str,
    to_place: str,
    start: dt.datetime,
    end: dt.datetime,
    passenger_names: str = "",
    pool: Organization | None = None,
) -> Trip:
    person = acting_person(actor)
    if not may_request(actor, organization):
        raise PermissionDenied("Bạn không đề nghị được xe cho cơ quan này.")
    errors: dict[str, list[str]] = {}
    purpose = _text(purpose, "purpose", 500, errors, "nội dung công tác")
    from_place = _text(from_place, "from_place", 300, errors, "nơi đi")
    to_place = _text(to_place, "to_place", 300, errors, "nơi đến")
    try:
        count = int(passengers)
    except (TypeError, ValueError):
        count = 0
    if not 1 <= count <= MAX_PASSENGERS:
        errors.setdefault("passengers", []).append(f"Số người đi từ 1 đến {MAX_PASSENGERS}.")
    if start is None or end is None or timezone.is_naive(start) or timezone.is_naive(end):
        errors.setdefault("start", []).append("Nhập giờ đi và giờ về.")
    else:
        if end <= start:
            errors.setdefault("end", []).append("Giờ về phải sau giờ đi.")
        elif end - start > dt.timedelta(days=MAX_TRIP_DAYS):
            errors.setdefault("end", []).append(f"Một chuyến đi dài tối đa {MAX_TRIP_DAYS} ngày.")
        if start < timezone.now() - dt.timedelta(hours=1):
            errors.setdefault("start", []).append("Không đề nghị xe cho chuyến đi đã qua.")
    if errors:
        raise ValidationError(errors)
    trip = Trip.objects.create(
        organization=organization,
        pool=pool or pool_for(organization),
        requested_by=person,
        purpose=purpose,
        passengers=count,
        passenger_names=" ".join((passenger_names or "").split())[:1000],
        from_place=from_place,
        to_place=to_place,
        start=start,
        end=end,
    )
    audit_record(
        actor=actor,
        action="trip.request",
        target=trip,
        organization_id=organization.pk,
        after={"start": start.isoformat(), "end": end.isoformat(), "passengers": count},
    )
    return trip


def _locked(trip: Trip) -> Trip:
    return Trip.objects.select_for_update().select_related("pool", "organization").get(pk=trip.pk)


@transaction.atomic
def trip_decide(*, actor: Actor, trip: Trip, approve: bool, reason: str = "") -> Trip:
    person = acting_person(actor)
    trip = _locked(trip)
    if not may_dispatch(actor, trip.pool):
        raise PermissionDenied("Chỉ lãnh đạo Văn phòng mới duyệt đề nghị xe.")
    if trip.state != TripState.REQUESTED:
        raise ValidationError({"state": [f"Đề nghị đang ở trạng thái “{trip.get_state_display()}”."]})
    reason = " ".join((reason or "").split())[:500]
    if not approve and not reason:
        raise ValidationError({"reason": ["Nêu lý do không bố trí được xe."]})
    trip.state = TripState.APPROVED if approve else TripState.REFUSED
    trip.decided_by = person
    trip.decided_at = timezone.now()
    trip.reason = "" if approve else reason
    trip.save(update_fields=["state", "decided_by", "decided_at", "reason"])
    audit_record(
        actor=actor,
        action="trip.decide",
        target=trip,
        organization_id=trip.pool_id,
        after={"state": trip.state, "reason": trip.reason},
    )
    return trip


def _overlapping(start: dt.datetime, end: dt.datetime) -> QuerySet[Trip]:
    return Trip.objects.filter(state__in=HOLDING, start__lt=end, end__gt=start)


def _when(trip: Trip) -> str:
    start, end = timezone.localtime(trip.start), timezone.localtime(trip.end)
    return f"{start:%H:%M %d/%m} – {end:%H:%M %d/%m/%Y}"


@transaction.atomic
def trip_assign(*, actor: Actor, trip: Trip, vehicle: Vehicle, driver: Driver) -> Trip:
    """Give an approved (or just requested: approved at once) trip a car and a driver, or
    change them. Refused with ``Conflict`` when the car is out, or the driver would not have
    their rest, at that time."""
    person = acting_person(actor)
    trip = _locked(trip)
    if not may_dispatch(actor, trip.pool):
        raise PermissionDenied("Chỉ lãnh đạo Văn phòng mới điều xe.")
    if trip.state not in (TripState.REQUESTED, TripState.APPROVED, TripState.ASSIGNED):
        raise ValidationError({"state": [f"Đề nghị đang ở trạng thái “{trip.get_state_display()}”."]})
    # The car's row, then the driver's: every dispatcher locks in this order, so two of them
    # never wait on each other in a circle, and the second sees the first's assignment.
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    driver = Driver.objects.select_for_update().get(pk=driver.pk)
    errors: dict[str, list[str]] = {}
    if not dispatchable_vehicles(trip.pool).filter(pk=vehicle.pk).exists():
        errors.setdefault("vehicle", []).append("Xe này không thuộc xe do Văn phòng điều hành.")
    elif vehicle.seats - 1 < trip.passengers:
        errors.setdefault("vehicle", []).append(
            f"Xe {vehicle.plate} có {vehicle.seats} chỗ, không đủ cho {trip.passengers} người và lái xe."
        )
    if not dispatchable_drivers(trip.pool).filter(pk=driver.pk).exists():
        errors.setdefault("driver", []).append("Lái xe này không thuộc Văn phòng điều hành.")
    elif driver.licence_until is not None and driver.licence_until < timezone.localtime(trip.end).date():
        errors.setdefault("driver", []).append(
            f"Giấy phép lái xe của {driver.full_name} hết hạn trước chuyến đi."
        )
    elif driver.licence_class not in licence_classes_for(vehicle.seats):
        errors.setdefault("driver", []).append(
            f"Giấy phép hạng {driver.licence_class} của {driver.full_name} không được lái xe "
            f"{vehicle.seats} chỗ (cần hạng {', '.join(sorted(licence_classes_for(vehicle.seats)))})."
        )
    last_day = timezone.localtime(trip.end).date()
    if "vehicle" not in errors:
        for date, what in ((vehicle.inspection_until, "đăng kiểm"), (vehicle.insurance_until, "bảo hiểm")):
            if date is not None and date < last_day:
                errors.setdefault("vehicle", []).append(
                    f"Xe {vehicle.plate} hết hạn {what} ngày {date:%d/%m/%Y}."
                )
    if errors:
        raise ValidationError(errors)
    busy = (
        _overlapping(trip.start, trip.end)
        .filter(vehicle=vehicle)
        .exclude(pk=trip.pk)
        .order_by("start")
        .first()
    )
    if busy is not None:
        raise Conflict({"vehicle": [f"Xe {vehicle.plate} đã được bố trí chuyến khác ({_when(busy)})."]})
    rest = rest_between_trips()
    tired = (
        _overlapping(trip.start - rest, trip.end + rest)
        .filter(driver=driver)
        .exclude(pk=trip.pk)
        .order_by("start")
        .first()
    )
    if tired is not None:
        raise Conflict(
            {
                "driver": [
                    f"Lái xe {driver.full_name} có chuyến khác ({_when(tired)}); giữa hai chuyến cần "
                    f"nghỉ ít nhất {int(rest.total_seconds() // 60)} phút."
                ]
            }
        )
    before = {"vehicle": trip.vehicle_id, "driver": trip.driver_id, "state": trip.state}
    if trip.state == TripState.REQUESTED:
        trip.decided_by = person
        trip.decided_at = timezone.now()
    trip.state = TripState.ASSIGNED
    trip.vehicle = vehicle
    trip.driver = driver
    trip.assigned_by = person
    trip.assigned_at = timezone.now()
    trip.save()
    audit_record(
        actor=actor,
        action="trip.assign",
        target=trip,
        organization_id=trip.pool_id,
        before=before,
        after={"vehicle": vehicle.plate, "driver": driver.full_name},
    )
    return trip


@transaction.atomic
def trip_complete(
    *, actor: Actor, trip: Trip, odometer_start: Any, odometer_end: Any, fuel_litres: Any = None
) -> Trip:
    """The trip log, by the pool or the trip's driver, once the trip has begun."""
    trip = _locked(trip)
    person = person_of(actor)
    is_driver = (
        person is not None
        and trip.driver_id is not None
        and Driver.objects.filter(pk=trip.driver_id, person_id=person.pk).exists()
    )
    if not (may_dispatch(actor, trip.pool) or is_driver):
        raise PermissionDenied("Chỉ Văn phòng hoặc lái xe của chuyến mới ghi nhật trình.")
    if trip.state != TripState.ASSIGNED:
        raise ValidationError({"state": ["Chỉ ghi nhật trình cho chuyến đã bố trí xe."]})
    errors: dict[str, list[str]] = {}
    if trip.start > timezone.now():
        errors.setdefault("state", []).append("Chuyến đi chưa bắt đầu.")
    try:
        km_start, km_end = int(odometer_start), int(odometer_end)
    except (TypeError, ValueError):
        raise ValidationError({"odometer_end": ["Nhập số km lúc đi và lúc về (số nguyên)."]}) from None
    if km_start < 0 or km_end < km_start:
        errors.setdefault("odometer_end", []).append("Số km lúc về phải không nhỏ hơn số km lúc đi.")
    elif km_end - km_start > MAX_KM_PER_TRIP:
        errors.setdefault("odometer_end", []).append(
            f"Một chuyến đi tối đa {MAX_KM_PER_TRIP} km; kiểm tra lại số km."
        )
    fuel = None
    if fuel_litres not in (None, ""):
        try:
            fuel = Decimal(str(fuel_litres))
        except InvalidOperation:
            fuel = Decimal(-1)
        if not Decimal(0) <= fuel < Decimal(10000):
            errors.setdefault("fuel_litres", []).append("Số lít nhiên liệu không hợp lệ.")
    if errors:
        raise ValidationError(errors)
    trip.state = TripState.COMPLETED
    trip.odometer_start = km_start
    trip.odometer_end = km_end
    trip.fuel_litres = fuel
    trip.completed_at = timezone.now()
    trip.save(update_fields=["state", "odometer_start", "odometer_end", "fuel_litres", "completed_at"])
    if trip.vehicle_id is not None:
        Vehicle.objects.filter(pk=trip.vehicle_id, odometer__lt=km_end).update(odometer=km_end)
    audit_record(
        actor=actor,
        action="trip.complete",
        target=trip,
        organization_id=trip.pool_id,
        after={"km": km_end - km_start, "fuel": str(fuel) if fuel is not None else None},
    )
    return trip


@transaction.atomic
def trip_cancel(*, actor: Actor, trip: Trip, reason: str) -> Trip:
    person = acting_person(actor)
    trip = _locked(trip)
    if not (
        trip.requested_by_id == person.pk
        or may_request(actor, trip.organization)
        or may_dispatch(actor, trip.pool)
    ):
        raise PermissionDenied("Bạn không hủy được đề nghị này.")
    if trip.state in (TripState.COMPLETED, TripState.CANCELLED, TripState.REFUSED):
        raise ValidationError({"state": [f"Đề nghị đang ở trạng thái “{trip.get_state_display()}”."]})
    reason = " ".join((reason or "").split())[:500]
    if not reason:
        raise ValidationError({"reason": ["Nêu lý do hủy."]})
    before = trip.state
    trip.state = TripState.CANCELLED
    trip.reason = reason
    trip.save(update_fields=["state", "reason"])
    audit_record(
        actor=actor,
        action="trip.cancel",
        target=trip,
        organization_id=trip.pool_id,
        before={"state": before},
        after={"reason": reason},
    )
    return trip


# ---------------------------------------------------------------------------- the fleet


# 49A-123.45, 49LD-012.34 (five digits) or an older 49A-1234 (four).
PLATE = re.compile(r"^[0-9]{2}[A-ZĐ]{1,2}[0-9]?-?([0-9]{3}\.?[0-9]{2}|[0-9]{4})$")


def may_manage_fleet(actor: Actor, organization: Organization) -> bool:
    """Who keeps an organisation's register of cars and drivers: its leaders (DIRECT)."""
    return can(actor, Capability.DIRECT, organization)


def _clean_plate(plate: str) -> str:
    return "".join((plate or "").upper().split())


@transaction.atomic
def vehicle_save(
    *,
    actor: Actor,
    organization: Organization,
    plate: str,
    seats: int,
    kind: str = "car",
    make_model: str = "",
    shared: bool = True,
    inspection_until: dt.date | None = None,
    insurance_until: dt.date | None = None,
    active: bool = True,
    vehicle: Vehicle | None = None,
) -> Vehicle:
    """Add a car to an organisation's register, or change one (``vehicle``)."""
    if not may_manage_fleet(actor, organization):
        raise PermissionDenied("Chỉ lãnh đạo cơ quan mới quản lý xe của cơ quan.")
    errors: dict[str, list[str]] = {}
    plate = _clean_plate(plate)
    if not PLATE.match(plate):
        errors.setdefault("plate", []).append("Biển số không hợp lệ (ví dụ: 49A-123.45).")
    elif Vehicle.objects.filter(plate=plate).exclude(pk=vehicle.pk if vehicle else 0).exists():
        errors.setdefault("plate", []).append(f"Xe biển số {plate} đã có trong danh sách.")
    try:
        seat_count = int(seats)
    except (TypeError, ValueError):
        seat_count = 0
    if not 2 <= seat_count <= 80:
        errors.setdefault("seats", []).append("Số chỗ ngồi từ 2 đến 80.")
    if kind not in VehicleKind.values:
        errors.setdefault("kind", []).append("Loại xe không hợp lệ.")
    if errors:
        raise ValidationError(errors)
    before = None
    if vehicle is None:
        vehicle = Vehicle(organization=organization)
    else:
        vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
        if vehicle.organization_id != organization.pk:
            raise PermissionDenied("Xe này không thuộc cơ quan.")
        before = {"plate": vehicle.plate, "seats": vehicle.seats, "active": vehicle.active}
    vehicle.plate = plate
    vehicle.seats = seat_count
    vehicle.kind = kind
    vehicle.make_model = " ".join((make_model or "").split())[:120]
    vehicle.shared = bool(shared)
    vehicle.inspection_until = inspection_until
    vehicle.insurance_until = insurance_until
    vehicle.active = bool(active)
    try:
        with transaction.atomic():
            vehicle.save()
    except IntegrityError:
        raise ValidationError({"plate": [f"Xe biển số {plate} đã có trong danh sách."]}) from None
    audit_record(
        actor=actor,
        action="vehicle.save",
        target=vehicle,
        organization_id=organization.pk,
        before=before,
        after={"plate": plate, "seats": seat_count, "active": vehicle.active},
    )
    return vehicle


@transaction.atomic
def driver_save(
    *,
    actor: Actor,
    organization: Organization,
    full_name: str,
    licence_class: str,
    phone: str = "",
    licence_number: str = "",
    licence_until: dt.date | None = None,
    person: Person | None = None,
    active: bool = True,
    driver: Driver | None = None,
) -> Driver:
    """Add a driver to an organisation's register, or change one (``driver``)."""
    if not may_manage_fleet(actor, organization):
        raise PermissionDenied("Chỉ lãnh đạo cơ quan mới quản lý lái xe của cơ quan.")
    errors: dict[str, list[str]] = {}
    name = " ".join((full_name or (person.full_name if person else "")).split())
    if not name or len(name) > 120:
        errors.setdefault("full_name", []).append("Nhập họ và tên lái xe (tối đa 120 ký tự).")
    if licence_class not in LicenceClass.values:
        errors.setdefault("licence_class", []).append("Hạng giấy phép lái xe không hợp lệ.")
    if person is not None and person.organization_id != organization.pk:
        errors.setdefault("person", []).append("Cán bộ không thuộc cơ quan.")
    if errors:
        raise ValidationError(errors)
    if driver is None:
        driver = Driver(organization=organization)
    else:
        driver = Driver.objects.select_for_update().get(pk=driver.pk)
        if driver.organization_id != organization.pk:
            raise PermissionDenied("Lái xe này không thuộc cơ quan.")
    driver.full_name = name
    driver.licence_class = licence_class
    driver.phone = " ".join((phone or "").split())[:30]
    driver.licence_number = " ".join((licence_number or "").split())[:30]
    driver.licence_until = licence_until
    driver.person = person
    driver.active = bool(active)
    try:
        with transaction.atomic():
            driver.save()
    except IntegrityError:
        raise ValidationError({"person": ["Cán bộ này đã là lái xe trong danh sách."]}) from None
    audit_record(
        actor=actor,
        action="driver.save",
        target=driver,
        organization_id=organization.pk,
        after={"full_name": name, "licence_class": licence_class, "active": driver.active},
    )
    return driver
