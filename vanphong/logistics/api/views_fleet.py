"""API of the car pool (see /work/shared/API.md, "Shared services", and docs/api.md): cars,
drivers, trips and the pool's utilisation. Views parse, call ``services`` and answer what the
``selectors`` let the caller see; a clash of cars or drivers (``services.Conflict``) is a 409
``conflict``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from vanphong.core.api.errors import ApiError
from vanphong.core.api.schema import error_responses
from vanphong.documents.access import one_or_404
from vanphong.logistics import selectors, services
from vanphong.logistics.api.serializers_fleet import (
    DriverCreateSerializer,
    DriverSerializer,
    TripAssignSerializer,
    TripCancelSerializer,
    TripCompleteSerializer,
    TripCreateSerializer,
    TripDecideSerializer,
    TripSerializer,
    UtilisationSerializer,
    VehicleCreateSerializer,
    VehicleSerializer,
)
from vanphong.logistics.models import Driver, Trip, TripState, Vehicle
from vanphong.orgs.access import Capability, can, scope_for
from vanphong.orgs.actors import person_of
from vanphong.orgs.models import Organization, OrgKind

TAGS = ["fleet"]
MAX_SPAN_DAYS = 366  # one utilisation report: at most a year


# --- Reading ----------------------------------------------------------------------------------


def _dispatched(user: Any) -> QuerySet[Organization]:
    """The pools the user dispatches: the Văn phòng where they hold DIRECT."""
    return Organization.objects.filter(scope_for(user).org_q(Capability.DIRECT), is_office=True)


def _fleet_q(user: Any, *, shared_only: bool) -> Q:
    """Cars or drivers of the organisations the user reads, and those of the pools they
    dispatch (``selectors.dispatchable_vehicles``: the pool's own, and its committee's other
    agencies' — of a car, only a shared one)."""
    pools = _dispatched(user)
    # The pools' committees' agencies only (a lower committee's cars are its own).
    others = Q(organization__parent__in=pools.values("parent_id")) & ~Q(organization__kind=OrgKind.COMMITTEE)
    if shared_only:
        others &= Q(shared=True)
    return (
        scope_for(user).org_q(Capability.READ, prefix="organization__")
        | Q(organization__in=pools.values("pk"))
        | others
    )


def vehicles_visible_to(user: Any) -> QuerySet[Vehicle]:
    return (
        Vehicle.objects.filter(_fleet_q(user, shared_only=True))
        .select_related("organization")
        .order_by("plate")
    )


def drivers_visible_to(user: Any) -> QuerySet[Driver]:
    return (
        Driver.objects.filter(_fleet_q(user, shared_only=False))
        .select_related("organization")
        .order_by("full_name", "pk")
    )


def _trips(user: Any) -> QuerySet[Trip]:
    return selectors.trips_visible_to(user).select_related(
        "organization", "requested_by", "vehicle", "driver"
    )


# --- Parameters -------------------------------------------------------------------------------


def _invalid(field: str, message: str) -> ApiError:
    return ApiError(status_code=400, code="invalid", message=message, fields={field: [message]})


def _date_param(request: Request, name: str) -> dt.date | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        value = dt.date.fromisoformat(raw)
    except ValueError:
        raise _invalid(name, "Ngày không hợp lệ (định dạng YYYY-MM-DD).") from None
    if not 1900 <= value.year <= 9998:
        raise _invalid(name, "Năm phải từ 1900 đến 9998.")
    return value


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _conflict(error: services.Conflict) -> ApiError:
    fields = error.message_dict
    return ApiError(
        status_code=status.HTTP_409_CONFLICT,
        code="conflict",
        message=" ".join(m for ms in fields.values() for m in ms),
        fields=fields,
    )


def _pool_of(request: Request) -> Organization:
    """The pool of ``?pool=``, else the one the caller dispatches, else their organisation's
    (``selectors.pool_for``); 404 unless the caller reads it."""
    raw = request.query_params.get("pool")
    pool: Organization | None
    if raw:
        if not raw.isdigit() or len(raw) > 12:
            raise _invalid("pool", "pool phải là id (số nguyên dương) của một cơ quan.")
        pool = Organization.objects.filter(pk=int(raw)).first()
    else:
        pool = _dispatched(request.user).order_by("pk").first()
        if pool is None:
            person = person_of(request.user)
            pool = selectors.pool_for(person.organization) if person is not None else None
    if pool is None or not can(request.user, Capability.READ, pool):
        raise Http404
    return pool


# --- Views ------------------------------------------------------------------------------------

_VEHICLES = (
    "Xe của các cơ quan người gọi được xem, và các xe do Văn phòng người gọi điều hành (xe của Văn phòng "
    "và xe dùng chung của các cơ quan)."
)


@extend_schema_view(
    list=extend_schema(
        summary="Danh sách xe ô tô",
        description=_VEHICLES,
        tags=TAGS,
        responses={200: VehicleSerializer(many=True), **error_responses(401)},
    ),
    retrieve=extend_schema(
        summary="Một xe ô tô",
        description=_VEHICLES + " Xe khác: 404.",
        tags=TAGS,
        responses={200: VehicleSerializer, **error_responses(401, 404)},
    ),
    create=extend_schema(
        summary="Thêm xe vào danh sách xe của một cơ quan",
        description=(
            "Lãnh đạo cơ quan (quyền chỉ đạo ở cơ quan đó) thêm được; người khác nhận 403. Biển số dạng "
            "49A-123.45, không trùng."
        ),
        tags=TAGS,
        request=VehicleCreateSerializer,
        responses={201: VehicleSerializer, **error_responses(400, 401, 403)},
    ),
)
class VehicleViewSet(viewsets.GenericViewSet):
    queryset = Vehicle.objects.none()  # for the schema; requests use the selectors
    serializer_class = VehicleSerializer

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(vehicles_visible_to(request.user))
        return self.get_paginated_response(VehicleSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(VehicleSerializer(one_or_404(vehicles_visible_to(request.user), pk)).data)

    def create(self, request: Request) -> Response:
        serializer = VehicleCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        vehicle = services.vehicle_save(actor=request.user, **serializer.validated_data)
        vehicle = Vehicle.objects.select_related("organization").get(pk=vehicle.pk)
        return Response(VehicleSerializer(vehicle).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Hiệu suất sử dụng xe trong một kỳ",
        description=(
            "Theo xe, theo lái xe và theo cơ quan đề nghị: số chuyến, số giờ đi, số km (theo nhật trình) của "
            "các chuyến bắt đầu trong kỳ; số đề nghị không bố trí được xe, trong đó bao nhiêu đề nghị bị từ "
            "chối khi vẫn có xe đủ chỗ đang rảnh; các xe không đi chuyến nào. Mặc định: tháng này, đơn vị "
            "điều xe người gọi điều hành (hoặc của cơ quan người gọi). Chỉ người được xem hồ sơ của đơn vị "
            f"điều xe; người khác nhận 404. Một kỳ dài tối đa {MAX_SPAN_DAYS} ngày."
        ),
        tags=TAGS,
        parameters=[
            OpenApiParameter(
                "from", OpenApiTypes.DATE, description="Từ ngày (YYYY-MM-DD), tính cả ngày này."
            ),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Đến ngày (YYYY-MM-DD), tính cả ngày này."),
            OpenApiParameter("pool", OpenApiTypes.INT, description="Id đơn vị điều xe (Văn phòng)."),
        ],
        responses={200: UtilisationSerializer, **error_responses(400, 401, 404)},
    )
    @action(detail=False, methods=["get"], url_path="utilisation", pagination_class=None, filter_backends=[])
    def utilisation(self, request: Request) -> Response:
        today = timezone.localdate()
        first = _date_param(request, "from") or today.replace(day=1)
        last = _date_param(request, "to")
        if last is None:
            following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            last = following - dt.timedelta(days=1)
        if last < first:
            raise _invalid("to", "Ngày kết thúc phải không sớm hơn ngày bắt đầu.")
        if (last - first).days >= MAX_SPAN_DAYS:
            raise _invalid("to", f"Một kỳ dài tối đa {MAX_SPAN_DAYS} ngày.")
        pool = _pool_of(request)
        figures = selectors.utilisation(pool, _day_start(first), _day_start(last + dt.timedelta(days=1)))
        data = {
            "pool": pool.pk,
            "from_": first,
            "to": last,
            "vehicles": figures.vehicles,
            "drivers": figures.drivers,
            "agencies": figures.agencies,
            "refused": figures.refused,
            "refused_while_idle": figures.refused_while_idle,
            "idle_vehicles": figures.idle_vehicles,
        }
        return Response(UtilisationSerializer(data).data)


@extend_schema_view(
    list=extend_schema(
        summary="Danh sách lái xe",
        description=(
            "Lái xe của các cơ quan người gọi được xem, và các lái xe do Văn phòng người gọi điều hành."
        ),
        tags=TAGS,
        responses={200: DriverSerializer(many=True), **error_responses(401)},
    ),
    retrieve=extend_schema(
        summary="Một lái xe",
        description="Lái xe người gọi không được xem: 404.",
        tags=TAGS,
        responses={200: DriverSerializer, **error_responses(401, 404)},
    ),
    create=extend_schema(
        summary="Thêm lái xe vào danh sách của một cơ quan",
        description=(
            "Lãnh đạo cơ quan thêm được; người khác nhận 403. person (tùy chọn) là cán bộ của chính cơ quan "
            "đó; full_name để trống thì lấy họ tên của cán bộ."
        ),
        tags=TAGS,
        request=DriverCreateSerializer,
        responses={201: DriverSerializer, **error_responses(400, 401, 403)},
    ),
)
class DriverViewSet(viewsets.GenericViewSet):
    queryset = Driver.objects.none()  # for the schema; requests use the selectors
    serializer_class = DriverSerializer

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(drivers_visible_to(request.user))
        return self.get_paginated_response(DriverSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(DriverSerializer(one_or_404(drivers_visible_to(request.user), pk)).data)

    def create(self, request: Request) -> Response:
        serializer = DriverCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        driver = services.driver_save(actor=request.user, **serializer.validated_data)
        driver = Driver.objects.select_related("organization").get(pk=driver.pk)
        return Response(DriverSerializer(driver).data, status=status.HTTP_201_CREATED)


_TRIPS = (
    "Chuyến công tác (đề nghị xe): người của cơ quan đề nghị, người đề nghị và người của đơn vị điều xe "
    "(Văn phòng) được xem; người khác nhận 404."
)


@extend_schema_view(
    list=extend_schema(
        summary="Danh sách chuyến công tác (đề nghị xe)",
        description=_TRIPS + " Lọc theo tình trạng và theo ngày đi; sắp theo giờ đi.",
        tags=TAGS,
        parameters=[
            OpenApiParameter(
                "state", OpenApiTypes.STR, enum=list(TripState.values), description="Tình trạng."
            ),
            OpenApiParameter("from", OpenApiTypes.DATE, description="Đi từ ngày (YYYY-MM-DD)."),
            OpenApiParameter(
                "to", OpenApiTypes.DATE, description="Đi đến ngày (YYYY-MM-DD), tính cả ngày này."
            ),
        ],
        responses={200: TripSerializer(many=True), **error_responses(400, 401)},
    ),
    retrieve=extend_schema(
        summary="Một chuyến công tác",
        description=_TRIPS,
        tags=TAGS,
        responses={200: TripSerializer, **error_responses(401, 404)},
    ),
    create=extend_schema(
        summary="Đề nghị xe cho một chuyến công tác",
        description=(
            "Người có quyền soạn thảo ở cơ quan đề nghị gửi được (người khác: 403); đề nghị gửi đến Văn "
            "phòng của cấp ủy (đơn vị điều xe). Giờ về sau giờ đi, chuyến dài tối đa 31 ngày, không đề "
            "nghị cho chuyến đã qua."
        ),
        tags=TAGS,
        request=TripCreateSerializer,
        responses={201: TripSerializer, **error_responses(400, 401, 403)},
    ),
)
class TripViewSet(viewsets.GenericViewSet):
    queryset = Trip.objects.none()  # for the schema; requests use the selectors
    serializer_class = TripSerializer
    filter_backends: list = []

    def _get(self, pk: Any) -> Trip:
        return one_or_404(_trips(self.request.user), pk)

    def _answer(self, trip: Trip, code: int = status.HTTP_200_OK) -> Response:
        return Response(TripSerializer(self._get(trip.pk)).data, status=code)

    def list(self, request: Request) -> Response:
        trips = _trips(request.user)
        state = request.query_params.get("state")
        if state:
            if state not in TripState.values:
                raise _invalid("state", "Tình trạng không hợp lệ: " + ", ".join(TripState.values) + ".")
            trips = trips.filter(state=state)
        first = _date_param(request, "from")
        last = _date_param(request, "to")
        if first is not None:
            trips = trips.filter(start__gte=_day_start(first))
        if last is not None:
            trips = trips.filter(start__lt=_day_start(last + dt.timedelta(days=1)))
        page = self.paginate_queryset(trips.order_by("start", "id"))
        return self.get_paginated_response(TripSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return self._answer(self._get(pk))

    def create(self, request: Request) -> Response:
        serializer = TripCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        trip = services.trip_request(actor=request.user, **serializer.validated_data)
        return self._answer(trip, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Duyệt hoặc không bố trí được xe",
        description=(
            "Lãnh đạo Văn phòng (đơn vị điều xe) quyết định một đề nghị đang chờ duyệt; không bố trí được "
            "thì cần reason (được tính trong báo cáo hiệu suất). Người khác: 403."
        ),
        tags=TAGS,
        request=TripDecideSerializer,
        responses={200: TripSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="decide")
    def decide(self, request: Request, pk: Any = None) -> Response:
        trip = self._get(pk)
        serializer = TripDecideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        trip = services.trip_decide(actor=request.user, trip=trip, **serializer.validated_data)
        return self._answer(trip)

    @extend_schema(
        summary="Bố trí xe và lái xe cho chuyến",
        description=(
            "Lãnh đạo Văn phòng bố trí (hoặc đổi) xe và lái xe; đề nghị chưa duyệt thì được duyệt luôn. Xe "
            "đã có chuyến trùng giờ, hoặc lái xe không đủ thời gian nghỉ giữa hai chuyến: 409 (mã "
            "conflict), kể cả khi hai người điều xe bố trí cùng lúc (đúng một người được). Xe không đủ chỗ, "
            "giấy phép lái xe hết hạn, xe hoặc lái xe không thuộc Văn phòng: 400."
        ),
        tags=TAGS,
        request=TripAssignSerializer,
        responses={200: TripSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="assign")
    def assign(self, request: Request, pk: Any = None) -> Response:
        trip = self._get(pk)
        serializer = TripAssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            trip = services.trip_assign(actor=request.user, trip=trip, **serializer.validated_data)
        except services.Conflict as error:
            raise _conflict(error) from None
        return self._answer(trip)

    @extend_schema(
        summary="Ghi nhật trình (số km, nhiên liệu) khi chuyến đã đi",
        description=(
            "Văn phòng hoặc lái xe của chuyến ghi, khi chuyến đã bắt đầu; số km của xe được cập nhật. "
            "Số km lúc về không nhỏ hơn lúc đi, một chuyến tối đa 5000 km."
        ),
        tags=TAGS,
        request=TripCompleteSerializer,
        responses={200: TripSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="complete")
    def complete(self, request: Request, pk: Any = None) -> Response:
        trip = self._get(pk)
        serializer = TripCompleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        trip = services.trip_complete(actor=request.user, trip=trip, **serializer.validated_data)
        return self._answer(trip)

    @extend_schema(
        summary="Hủy đề nghị xe",
        description=(
            "Người đề nghị, cơ quan đề nghị hoặc Văn phòng hủy được, trước khi chuyến đi xong; cần lý do. "
            "Xe và lái xe được giải phóng."
        ),
        tags=TAGS,
        request=TripCancelSerializer,
        responses={200: TripSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="cancel")
    def cancel(self, request: Request, pk: Any = None) -> Response:
        trip = self._get(pk)
        serializer = TripCancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        trip = services.trip_cancel(actor=request.user, trip=trip, reason=serializer.validated_data["reason"])
        return self._answer(trip)
