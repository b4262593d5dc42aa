"""API of the room bookings (see /work/shared/API.md, "Shared services"): a room of the
programmes' register (``/api/v1/rooms/``) booked for something other than a meeting; a clash
with a booking or a meeting answers 409 ``conflict``."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

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
from vanphong.logistics import selectors_rooms, services_rooms
from vanphong.logistics.api.serializers_rooms import (
    RoomBookingCancelSerializer,
    RoomBookingCreateSerializer,
    RoomBookingSerializer,
)
from vanphong.logistics.models import RoomBooking
from vanphong.logistics.services import Conflict
from vanphong.orgs.models import Organization


def _conflict(error: Conflict) -> ApiError:
    fields = error.message_dict
    return ApiError(
        status_code=status.HTTP_409_CONFLICT,
        code="conflict",
        message=" ".join(fields.get("room", error.messages)),
        fields=fields,
    )


def _invalid(name: str, text: str) -> ApiError:
    return ApiError(
        status_code=400, code="invalid", message="Tham số lọc không hợp lệ.", fields={name: [text]}
    )


def _parse_datetime(raw: str | None, name: str) -> dt.datetime | None:
    """A ``?from=`` / ``?to=`` bound: an ISO 8601 date or date-time (local time when it names
    no offset), in the years 1900–9998; 400 on ``name`` otherwise."""
    if not raw:
        return None
    value: dt.datetime | None = None
    with contextlib.suppress(ValueError):
        value = dt.datetime.fromisoformat(raw)
    if value is None:
        with contextlib.suppress(ValueError):
            value = dt.datetime.combine(dt.date.fromisoformat(raw), dt.time.min)
    if value is not None and 1900 <= value.year <= 9998:
        return timezone.make_aware(value) if timezone.is_naive(value) else value
    raise _invalid(name, "Viết theo ISO 8601, năm từ 1900 đến 9998, ví dụ 2025-11-05 hoặc 2025-11-05T08:00.")


_SEEN = (
    "Lịch đặt phòng của các phòng họp người gọi được xem: phòng của cấp ủy, Văn phòng và các cơ quan "
    "tham mưu của cấp ủy nơi người gọi công tác; người khác nhận 404."
)


@extend_schema_view(
    list=extend_schema(
        summary="Danh sách lịch đặt phòng họp",
        description=_SEEN
        + " Lọc theo phòng và khoảng thời gian (lịch giao với khoảng đó); gồm cả lịch đã hủy.",
        tags=["logistics"],
        parameters=[
            OpenApiParameter("room", OpenApiTypes.INT, description="Id phòng họp."),
            OpenApiParameter("from", OpenApiTypes.DATETIME, description="Từ thời điểm (ISO 8601)."),
            OpenApiParameter("to", OpenApiTypes.DATETIME, description="Đến thời điểm (ISO 8601)."),
        ],
        responses={200: RoomBookingSerializer(many=True), **error_responses(400, 401)},
    ),
    retrieve=extend_schema(
        summary="Một lịch đặt phòng họp",
        description=_SEEN,
        tags=["logistics"],
        responses={200: RoomBookingSerializer, **error_responses(401, 404)},
    ),
    create=extend_schema(
        summary="Đặt phòng họp",
        description=(
            "Đặt phòng cho một cơ quan cùng cấp ủy với phòng (người gọi cần quyền soạn thảo ở cơ quan "
            "đó: 403). Phòng đã có lịch đặt hoặc cuộc họp trùng giờ: 409 (mã conflict); đặt nối tiếp "
            "được. Quá sức chứa, thời gian đã qua, kết thúc không sau bắt đầu: 400. Phòng người gọi không "
            "được xem: 404."
        ),
        tags=["logistics"],
        request=RoomBookingCreateSerializer,
        responses={201: RoomBookingSerializer, **error_responses(400, 401, 403, 404, 409)},
    ),
)
class RoomBookingViewSet(viewsets.GenericViewSet):
    queryset = RoomBooking.objects.none()  # for the schema; requests use the selectors
    serializer_class = RoomBookingSerializer

    def _get(self, pk: Any) -> RoomBooking:
        return one_or_404(selectors_rooms.bookings_visible_to(self.request.user), pk)

    def list(self, request: Request) -> Response:
        room = None
        raw_room = request.query_params.get("room")
        if raw_room:
            if not raw_room.isdigit() or len(raw_room) > 18:
                raise _invalid("room", "Id phòng họp là một số nguyên dương.")
            room = selectors_rooms.rooms_visible_to(request.user).filter(pk=int(raw_room)).first()
            if room is None:
                return self.get_paginated_response(
                    RoomBookingSerializer(self.paginate_queryset(RoomBooking.objects.none()), many=True).data
                )
        start = _parse_datetime(request.query_params.get("from"), "from")
        end = _parse_datetime(request.query_params.get("to"), "to")
        bookings = selectors_rooms.booking_list(request.user, room=room, start=start, end=end)
        page = self.paginate_queryset(bookings)
        return self.get_paginated_response(RoomBookingSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(RoomBookingSerializer(self._get(pk)).data)

    def create(self, request: Request) -> Response:
        serializer = RoomBookingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        room = one_or_404(selectors_rooms.rooms_visible_to(request.user), data["room"])
        organization: Organization | None
        if data["organization"] is None:
            organization = selectors_rooms.default_booking_organization(request.user, room)
            if organization is None:
                raise ApiError(
                    status_code=403,
                    code="permission_denied",
                    message="Bạn không có quyền đặt phòng họp này cho cơ quan nào.",
                )
        else:
            organization = Organization.objects.filter(pk=data["organization"]).first()
            if organization is None:
                raise ApiError(
                    status_code=400,
                    code="invalid",
                    message="Dữ liệu gửi lên chưa hợp lệ.",
                    fields={"organization": ["Không có cơ quan này."]},
                )
        try:
            booking = services_rooms.room_book(
                actor=request.user,
                room=room,
                organization=organization,
                title=data["title"],
                start=data["start"],
                end=data["end"],
                attendees=data["attendees"],
            )
        except Conflict as error:
            raise _conflict(error) from None
        return Response(RoomBookingSerializer(self._get(booking.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Hủy lịch đặt phòng họp",
        description=(
            "Người đặt hoặc lãnh đạo cơ quan quản lý phòng hủy, nêu lý do (403 với người khác); phòng được "
            "giải phóng ngay. Lịch đã hủy hoặc đã qua: 400."
        ),
        tags=["logistics"],
        request=RoomBookingCancelSerializer,
        responses={200: RoomBookingSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="cancel")
    def cancel(self, request: Request, pk: Any = None) -> Response:
        booking = self._get(pk)
        serializer = RoomBookingCancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services_rooms.room_booking_cancel(
            actor=request.user, booking=booking, reason=serializer.validated_data["reason"]
        )
        return Response(RoomBookingSerializer(self._get(booking.pk)).data)
