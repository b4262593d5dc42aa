"""The car pool's pages, under /hau-can/xe/: the trips a reader sees and a request for a car, one
trip with the forms its reader may use (approve or refuse, assign a car and a driver, log,
cancel), the dispatcher's board for a day or a week, the register of cars and drivers, and the
utilisation of the pool (tables, bar charts, .xlsx).

Reads go through the selectors (a trip outside the reader's reach is a 404); each change calls
one service: its ``ValidationError`` is shown next to the form's fields (a ``Conflict``, a car
or a driver already out, answers 409 with its message and keeps the choice), its
``PermissionDenied`` is the 403 page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vanphong.core.forms import apply_errors
from vanphong.core.paging import CappedPaginator
from vanphong.logistics import exports_fleet, services
from vanphong.logistics.forms_fleet import (
    AssignForm,
    CancelForm,
    CompleteForm,
    DecideForm,
    DriverForm,
    TripRequestForm,
    VehicleForm,
    org_label,
)
from vanphong.logistics.models import HOLDING, Driver, Trip, TripState, Vehicle
from vanphong.logistics.selectors import (
    dispatchable_drivers,
    dispatchable_vehicles,
    trips_visible_to,
    vehicles_of,
)
from vanphong.logistics.selectors import (
    utilisation as select_utilisation,
)
from vanphong.orgs.access import Capability, organizations_with
from vanphong.orgs.actors import person_of
from vanphong.orgs.models import Organization, Person

NAV = "logistics"
PER_PAGE = 50
WAITING_LIMIT = 100
STATE_BADGES = {
    TripState.REQUESTED: "badge-warn",
    TripState.APPROVED: "badge-accent",
    TripState.ASSIGNED: "badge-ok",
    TripState.COMPLETED: "",
    TripState.REFUSED: "badge-danger",
    TripState.CANCELLED: "",
}
DAY_FIRST_HOUR, DAY_LAST_HOUR = 6, 20  # the day board's columns, widened to the day's trips
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def _context(tab: str, **extra: Any) -> dict[str, Any]:
    return {"nav_active": NAV, "tab": tab, **extra}


def _date(value: str | None) -> dt.date | None:
    """A day from ``yyyy-mm-dd`` (the date input) or ``dd/mm/yyyy``; None when it is neither."""
    value = (value or "").strip()
    parts = value.split("/")
    if len(parts) == 3:
        value = "-".join((parts[2], parts[1].zfill(2), parts[0].zfill(2)))
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    return day if 1900 <= day.year <= 9000 else None  # a week or a period around it stays a date


def _int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def _span(trip: Trip) -> str:
    start, end = timezone.localtime(trip.start), timezone.localtime(trip.end)
    if start.date() == end.date():
        return f"{start:%H:%M} – {end:%H:%M} ngày {start:%d/%m/%Y}"
    return f"{start:%H:%M %d/%m/%Y} – {end:%H:%M %d/%m/%Y}"


def _badge(trip: Trip) -> Trip:
    trip.badge = STATE_BADGES.get(TripState(trip.state), "")  # type: ignore[attr-defined]
    return trip


# ---------------------------------------------------------------------------- the trips


def _writing_organizations(request: HttpRequest) -> list[Organization]:
    """The organisations for which the reader may ask for a car (WRITE there)."""
    return list(
        organizations_with(request.user, Capability.WRITE).filter(active=True).order_by("depth", "path")
    )


def _dispatch_pools(request: HttpRequest) -> list[Organization]:
    """The pools (a committee's Văn phòng) the reader dispatches: DIRECT there."""
    return list(
        organizations_with(request.user, Capability.DIRECT)
        .filter(is_office=True, active=True)
        .order_by("depth", "path")
    )


@require_GET
def trip_list(request: HttpRequest) -> HttpResponse:
    get = request.GET
    state = get.get("tinh_trang", "")
    state = state if state in TripState.values else ""
    start, end = _date(get.get("tu")), _date(get.get("den"))
    organization = _int(get.get("co_quan"))
    trips = trips_visible_to(request.user)
    if state:
        trips = trips.filter(state=state)
    if start is not None:
        trips = trips.filter(end__gte=_midnight(start))
    if end is not None:
        trips = trips.filter(start__lt=_midnight(end + dt.timedelta(days=1)))
    if organization is not None:
        trips = trips.filter(organization_id=organization)
    trips = trips.select_related("organization", "vehicle", "driver").order_by("-start", "-id")
    page = CappedPaginator(trips, PER_PAGE).get_page(get.get("trang"))
    keep = {
        key: value
        for key, value in (
            ("tinh_trang", state),
            ("tu", start.isoformat() if start else ""),
            ("den", end.isoformat() if end else ""),
            ("co_quan", str(organization or "")),
        )
        if value
    }
    organizations = Organization.objects.filter(
        pk__in=trips_visible_to(request.user).values("organization_id")
    ).order_by("depth", "path")
    context = _context(
        "trips",
        page=page,
        trips=[_badge(t) for t in page.object_list],
        states=TripState.choices,
        state=state,
        start=start,
        end=end,
        organization=organization,
        organizations=organizations,
        query=urlencode(keep),
        may_request=bool(_writing_organizations(request)),
        may_dispatch=bool(_dispatch_pools(request)),
    )
    return render(request, "logistics/trip_list.html", context)


@require_http_methods(["GET", "POST"])
def trip_create(request: HttpRequest) -> HttpResponse:
    organizations = _writing_organizations(request)
    if not organizations:
        raise Http404
    queryset = Organization.objects.filter(pk__in=[o.pk for o in organizations]).order_by("depth", "path")
    posted = request.POST if request.method == "POST" else None
    person = person_of(request.user)
    default = next(
        (o for o in organizations if person is not None and o.pk == person.organization_id), organizations[0]
    )
    form = TripRequestForm(posted, organizations=queryset, initial={"organization": default.pk})
    if posted is not None and form.is_valid():
        data = form.cleaned_data
        try:
            trip = services.trip_request(
                actor=request.user,
                organization=data["organization"],
                purpose=data["purpose"],
                passengers=data["passengers"],
                passenger_names=data["passenger_names"],
                from_place=data["from_place"],
                to_place=data["to_place"],
                start=data["start"],
                end=data["end"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Đã gửi đề nghị xe đi {trip.to_place} ({_span(trip)}).")
            return redirect("logistics:trip_detail", trip.pk)
    return render(
        request,
        "logistics/trip_create.html",
        _context("trips", form=form),
        status=400 if posted is not None else 200,
    )


def _trip(request: HttpRequest, trip_id: int) -> Trip:
    trip = (
        trips_visible_to(request.user)
        .select_related(
            "organization", "pool", "requested_by", "decided_by", "assigned_by", "vehicle", "driver"
        )
        .filter(pk=trip_id)
        .first()
    )
    if trip is None:
        raise Http404
    return _badge(trip)


@dataclass
class TripForms:
    decide: DecideForm | None = None
    assign: AssignForm | None = None
    complete: CompleteForm | None = None
    cancel: CancelForm | None = None
    conflict: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _forms(request: HttpRequest, trip: Trip, bound: dict[str, forms.Form] | None = None) -> TripForms:
    """The forms the reader may use on the trip now (a bound one, after a refused change, in
    place of its blank)."""
    bound = bound or {}
    user = request.user
    dispatcher = services.may_dispatch(user, trip.pool)
    person = person_of(user)
    result = TripForms()
    if dispatcher and trip.state == TripState.REQUESTED:
        result.decide = bound.get("decide") or DecideForm()  # type: ignore[assignment]
    if dispatcher and trip.state in (TripState.REQUESTED, TripState.APPROVED, TripState.ASSIGNED):
        result.assign = bound.get("assign") or AssignForm(  # type: ignore[assignment]
            vehicles=vehicles_of(trip.pool),
            drivers=dispatchable_drivers(trip.pool).order_by("full_name"),
            initial={"vehicle": trip.vehicle_id, "driver": trip.driver_id},
        )
    is_driver = (
        person is not None
        and trip.driver_id is not None
        and trip.driver is not None
        and trip.driver.person_id == person.pk
    )
    if (dispatcher or is_driver) and trip.state == TripState.ASSIGNED and trip.start <= timezone.now():
        initial = {"odometer_start": trip.vehicle.odometer} if trip.vehicle is not None else {}
        result.complete = bound.get("complete") or CompleteForm(initial=initial)  # type: ignore[assignment]
    may_cancel = (
        dispatcher
        or (person is not None and trip.requested_by_id == person.pk)
        or services.may_request(user, trip.organization)
    )
    if may_cancel and trip.state in (TripState.REQUESTED, TripState.APPROVED, TripState.ASSIGNED):
        result.cancel = bound.get("cancel") or CancelForm()  # type: ignore[assignment]
    return result


def _detail(
    request: HttpRequest, trip: Trip, *, bound: dict[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    trip_forms = _forms(request, trip, bound)
    return render(
        request,
        "logistics/trip_detail.html",
        _context(
            "trips",
            trip=trip,
            forms=trip_forms,
            conflict=status == 409,
            dispatcher=services.may_dispatch(request.user, trip.pool),
        ),
        status=status,
    )


@require_GET
def trip_detail(request: HttpRequest, trip_id: int) -> HttpResponse:
    return _detail(request, _trip(request, trip_id))


@require_POST
def trip_decide(request: HttpRequest, trip_id: int) -> HttpResponse:
    trip = _trip(request, trip_id)
    form = DecideForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.trip_decide(
                actor=request.user, trip=trip, approve=approve, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if approve:
                messages.success(request, "Đã duyệt đề nghị; hãy bố trí xe và lái xe.")
            else:
                messages.success(request, "Đã trả lời không bố trí được xe.")
            return redirect("logistics:trip_detail", trip.pk)
    return _detail(request, trip, bound={"decide": form}, status=400)


@require_POST
def trip_assign(request: HttpRequest, trip_id: int) -> HttpResponse:
    trip = _trip(request, trip_id)
    if not services.may_dispatch(request.user, trip.pool):
        raise PermissionDenied("Chỉ lãnh đạo Văn phòng mới điều xe.")
    form = AssignForm(
        request.POST,
        vehicles=vehicles_of(trip.pool),
        drivers=dispatchable_drivers(trip.pool).order_by("full_name"),
    )
    status = 400
    if form.is_valid():
        vehicle, driver = form.cleaned_data["vehicle"], form.cleaned_data["driver"]
        try:
            services.trip_assign(actor=request.user, trip=trip, vehicle=vehicle, driver=driver)
        except services.Conflict as error:
            apply_errors(form, error)
            status = 409
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Đã bố trí xe {vehicle.plate}, lái xe {driver.full_name}.")
            nxt = request.POST.get("next", "")
            if nxt == "board":
                day = timezone.localtime(trip.start).date()
                return redirect(f"{reverse('logistics:board')}?ngay={day.isoformat()}")
            return redirect("logistics:trip_detail", trip.pk)
    trip = _trip(request, trip_id)
    return _detail(request, trip, bound={"assign": form}, status=status)


@require_POST
def trip_complete(request: HttpRequest, trip_id: int) -> HttpResponse:
    trip = _trip(request, trip_id)
    form = CompleteForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.trip_complete(
                actor=request.user,
                trip=trip,
                odometer_start=data["odometer_start"],
                odometer_end=data["odometer_end"],
                fuel_litres=data["fuel_litres"],
            )
        except ValidationError as error:
            apply_errors(form, error, aliases={"state": "odometer_start"})
        else:
            messages.success(request, "Đã ghi nhật trình chuyến đi.")
            return redirect("logistics:trip_detail", trip.pk)
    return _detail(request, trip, bound={"complete": form}, status=400)


@require_POST
def trip_cancel(request: HttpRequest, trip_id: int) -> HttpResponse:
    trip = _trip(request, trip_id)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.trip_cancel(actor=request.user, trip=trip, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error, aliases={"state": "reason"})
        else:
            messages.success(request, "Đã hủy đề nghị xe.")
            return redirect("logistics:trip_detail", trip.pk)
    return _detail(request, trip, bound={"cancel": form}, status=400)


# ---------------------------------------------------------------------------- the board


@dataclass
class Block:
    span: int
    trips: list[Trip]


@dataclass
class BoardRow:
    vehicle: Vehicle
    cells: list[Block]
    trips: list[Trip]


def _pool(request: HttpRequest) -> tuple[Organization, list[Organization]]:
    """The pool the page is about (``?don_vi=``, else the reader's first), 404 for one they do
    not dispatch."""
    pools = _dispatch_pools(request)
    if not pools:
        raise Http404
    wanted = _int(request.GET.get("don_vi"))
    chosen = next((p for p in pools if p.pk == wanted), pools[0])
    return chosen, pools


def _blocks(trips: list[Trip], slots: list[tuple[dt.datetime, dt.datetime]]) -> list[Block]:
    """The row's cells: a trip spans the slots it covers; trips sharing a slot share a block."""
    cells: list[Block] = []
    cursor = 0
    for trip in sorted(trips, key=lambda t: (t.start, t.pk)):
        first = next((i for i, (s, e) in enumerate(slots) if e > trip.start), len(slots))
        last = max((i for i, (s, e) in enumerate(slots) if s < trip.end), default=-1)
        if last < first:
            continue
        if first < cursor:
            if last < cursor:
                cells[-1].trips.append(trip)
                continue
            cells[-1].trips.append(trip)
            cells[-1].span += last - cursor + 1
            cursor = last + 1
            continue
        cells.extend(Block(1, []) for _ in range(first - cursor))
        cells.append(Block(last - first + 1, [trip]))
        cursor = last + 1
    cells.extend(Block(1, []) for _ in range(len(slots) - cursor))
    return cells


@require_GET
def board(request: HttpRequest) -> HttpResponse:
    pool, pools = _pool(request)
    today = timezone.localdate()
    week = _date(request.GET.get("tuan"))
    slots: list[tuple[dt.datetime, dt.datetime]] = []
    headings: list[str] = []
    if week is not None:
        first_day = week - dt.timedelta(days=week.weekday())
        period_start = _midnight(first_day)
        period_end = _midnight(first_day + dt.timedelta(days=7))
        days = [first_day + dt.timedelta(days=n) for n in range(7)]
        slots = [(_midnight(d), _midnight(d + dt.timedelta(days=1))) for d in days]
        headings = [f"{WEEKDAYS[d.weekday()]} {d:%d/%m}" for d in days]
        day = None
    else:
        day = _date(request.GET.get("ngay")) or today
        first_day = day - dt.timedelta(days=day.weekday())
        period_start, period_end = _midnight(day), _midnight(day + dt.timedelta(days=1))
    vehicles = list(vehicles_of(pool))
    trips = list(
        Trip.objects.filter(
            vehicle__in=[v.pk for v in vehicles],
            state__in=HOLDING,
            start__lt=period_end,
            end__gt=period_start,
        )
        .select_related("organization", "driver")
        .order_by("start", "id")
    )
    if day is not None:
        first_hour, last_hour = DAY_FIRST_HOUR, DAY_LAST_HOUR
        for trip in trips:
            start = max(timezone.localtime(trip.start), timezone.localtime(period_start))
            end = min(timezone.localtime(trip.end), timezone.localtime(period_end))
            first_hour = min(first_hour, start.hour)
            last_hour = max(last_hour, 23 if end.date() > day else end.hour - (end.minute == 0))
        slots = [
            (period_start + dt.timedelta(hours=h), period_start + dt.timedelta(hours=h + 1))
            for h in range(first_hour, last_hour + 1)
        ]
        headings = [f"{h}h" for h in range(first_hour, last_hour + 1)]
    by_vehicle: dict[int, list[Trip]] = {}
    for trip in trips:
        by_vehicle.setdefault(trip.vehicle_id or 0, []).append(trip)
    rows = [BoardRow(v, _blocks(by_vehicle.get(v.pk, []), slots), by_vehicle.get(v.pk, [])) for v in vehicles]
    waiting = [
        _badge(t)
        for t in Trip.objects.filter(
            pool=pool,
            state__in=(TripState.REQUESTED, TripState.APPROVED),
            end__gt=timezone.now(),
        )
        .select_related("organization")
        .order_by("start", "id")[:WAITING_LIMIT]
    ]
    base = {"don_vi": pool.pk} if len(pools) > 1 else {}
    if day is not None:
        links = {
            "previous": urlencode({**base, "ngay": (day - dt.timedelta(days=1)).isoformat()}),
            "next": urlencode({**base, "ngay": (day + dt.timedelta(days=1)).isoformat()}),
            "other": urlencode({**base, "tuan": first_day.isoformat()}),
            "today": urlencode({**base, "ngay": today.isoformat()}),
        }
    else:
        links = {
            "previous": urlencode({**base, "tuan": (first_day - dt.timedelta(days=7)).isoformat()}),
            "next": urlencode({**base, "tuan": (first_day + dt.timedelta(days=7)).isoformat()}),
            "other": urlencode({**base, "ngay": first_day.isoformat()}),
            "today": urlencode({**base, "tuan": today.isoformat()}),
        }
    context = _context(
        "board",
        pool=pool,
        pools=pools,
        day=day,
        week_start=first_day,
        week_end=first_day + dt.timedelta(days=6),
        headings=headings,
        rows=rows,
        trips=trips,
        waiting=waiting,
        links=links,
    )
    return render(request, "logistics/fleet_board.html", context)


# ---------------------------------------------------------------------------- cars and drivers


def _register_organizations(request: HttpRequest) -> list[int]:
    """The organisations whose cars and drivers the reader sees: READ there, or the pools they
    dispatch (with the shared cars of their committee)."""
    return list(organizations_with(request.user, Capability.READ).values_list("pk", flat=True))


def _expired(value: dt.date | None, today: dt.date) -> bool:
    return value is not None and value < today


def _register(request: HttpRequest, which: str) -> HttpResponse:
    orgs = _register_organizations(request)
    today = timezone.localdate()
    managed = set(organizations_with(request.user, Capability.DIRECT).values_list("pk", flat=True))
    vehicles: list[Vehicle] = []
    drivers: list[Driver] = []
    if which == "vehicles":
        vehicles = list(
            Vehicle.objects.filter(organization_id__in=orgs)
            .select_related("organization")
            .order_by("-active", "plate")[:500]
        )
        for v in vehicles:
            v.inspection_expired = _expired(v.inspection_until, today)  # type: ignore[attr-defined]
            v.insurance_expired = _expired(v.insurance_until, today)  # type: ignore[attr-defined]
            v.may_edit = v.organization_id in managed  # type: ignore[attr-defined]
    else:
        drivers = list(
            Driver.objects.filter(organization_id__in=orgs)
            .select_related("organization")
            .order_by("-active", "full_name")[:500]
        )
        for d in drivers:
            d.licence_expired = _expired(d.licence_until, today)  # type: ignore[attr-defined]
            d.may_edit = d.organization_id in managed  # type: ignore[attr-defined]
    return render(
        request,
        "logistics/fleet_register.html",
        _context(
            "vehicles", which=which, vehicles=vehicles, drivers=drivers, may_manage=bool(managed), today=today
        ),
    )


@require_GET
def vehicle_list(request: HttpRequest) -> HttpResponse:
    return _register(request, "vehicles")


@require_GET
def driver_list(request: HttpRequest) -> HttpResponse:
    return _register(request, "drivers")


def _managed(request: HttpRequest) -> Any:
    organizations = organizations_with(request.user, Capability.DIRECT).filter(active=True)
    if not organizations.exists():
        raise Http404
    return organizations.order_by("depth", "path")


def _visible_vehicle(request: HttpRequest, vehicle_id: int) -> Vehicle:
    vehicle = (
        Vehicle.objects.filter(pk=vehicle_id, organization_id__in=_register_organizations(request))
        .select_related("organization")
        .first()
    )
    if vehicle is None:
        raise Http404
    return vehicle


@require_http_methods(["GET", "POST"])
def vehicle_edit(request: HttpRequest, vehicle_id: int | None = None) -> HttpResponse:
    vehicle = _visible_vehicle(request, vehicle_id) if vehicle_id is not None else None
    if vehicle is not None and not services.may_manage_fleet(request.user, vehicle.organization):
        raise PermissionDenied("Chỉ lãnh đạo cơ quan mới quản lý xe của cơ quan.")
    organizations = _managed(request)
    posted = request.POST if request.method == "POST" else None
    initial: dict[str, Any] = {"organization": organizations.first().pk}
    if vehicle is not None:
        initial = {
            "organization": vehicle.organization_id,
            "plate": vehicle.plate,
            "kind": vehicle.kind,
            "seats": vehicle.seats,
            "make_model": vehicle.make_model,
            "shared": vehicle.shared,
            "inspection_until": vehicle.inspection_until,
            "insurance_until": vehicle.insurance_until,
            "active": vehicle.active,
        }
    form = VehicleForm(posted, organizations=organizations, initial=initial)
    if posted is not None and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.vehicle_save(actor=request.user, vehicle=vehicle, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Đã lưu xe {saved.plate}.")
            return redirect("logistics:vehicle_list")
    return render(
        request,
        "logistics/fleet_vehicle_form.html",
        _context("vehicles", form=form, vehicle=vehicle),
        status=400 if posted is not None else 200,
    )


def _visible_driver(request: HttpRequest, driver_id: int) -> Driver:
    driver = (
        Driver.objects.filter(pk=driver_id, organization_id__in=_register_organizations(request))
        .select_related("organization")
        .first()
    )
    if driver is None:
        raise Http404
    return driver


@require_http_methods(["GET", "POST"])
def driver_edit(request: HttpRequest, driver_id: int | None = None) -> HttpResponse:
    driver = _visible_driver(request, driver_id) if driver_id is not None else None
    if driver is not None and not services.may_manage_fleet(request.user, driver.organization):
        raise PermissionDenied("Chỉ lãnh đạo cơ quan mới quản lý lái xe của cơ quan.")
    organizations = _managed(request)
    people = (
        Person.objects.filter(organization__in=organizations, active=True)
        .select_related("organization")
        .order_by("full_name")[:500]
    )
    people_qs = (
        Person.objects.filter(pk__in=[p.pk for p in people])
        .select_related("organization")
        .order_by("full_name")
    )
    posted = request.POST if request.method == "POST" else None
    initial: dict[str, Any] = {"organization": organizations.first().pk}
    if driver is not None:
        initial = {
            "organization": driver.organization_id,
            "person": driver.person_id,
            "full_name": driver.full_name,
            "phone": driver.phone,
            "licence_class": driver.licence_class,
            "licence_number": driver.licence_number,
            "licence_until": driver.licence_until,
            "active": driver.active,
        }
    form = DriverForm(posted, organizations=organizations, people=people_qs, initial=initial)
    if posted is not None and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.driver_save(actor=request.user, driver=driver, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Đã lưu lái xe {saved.full_name}.")
            return redirect("logistics:driver_list")
    return render(
        request,
        "logistics/fleet_driver_form.html",
        _context("vehicles", form=form, driver=driver),
        status=400 if posted is not None else 200,
    )


# ---------------------------------------------------------------------------- utilisation


@require_GET
def utilisation(request: HttpRequest) -> HttpResponse:
    pool, pools = _pool(request)
    today = timezone.localdate()
    start = _date(request.GET.get("from")) or today.replace(day=1)
    end = _date(request.GET.get("to"))
    if end is None:
        following = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        end = following - dt.timedelta(days=1)
    if end < start:
        start, end = end, start
    end = min(end, start + dt.timedelta(days=366))
    figures = select_utilisation(pool, _midnight(start), _midnight(end + dt.timedelta(days=1)))
    if request.GET.get("format") == "xlsx":
        content = exports_fleet.utilisation_workbook(figures, pool_name=org_label(pool), start=start, end=end)
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{exports_fleet.filename(start, end)}"'
        return response
    refused = list(
        Trip.objects.filter(
            pool=pool,
            state=TripState.REFUSED,
            start__gte=_midnight(start),
            start__lt=_midnight(end + dt.timedelta(days=1)),
        )
        .select_related("organization")
        .order_by("start", "id")[:200]
    )
    keep = {"from": start.isoformat(), "to": end.isoformat()}
    if len(pools) > 1:
        keep["don_vi"] = str(pool.pk)
    context = _context(
        "utilisation",
        pool=pool,
        pools=pools,
        start=start,
        end=end,
        figures=figures,
        tables=exports_fleet.tables(figures),
        refused_trips=refused,
        xlsx_query=urlencode({**keep, "format": "xlsx"}),
        dispatchable=dispatchable_vehicles(pool).count(),
    )
    return render(request, "logistics/fleet_utilisation.html", context)
