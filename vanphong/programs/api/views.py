"""API of rooms and meetings (see /work/shared/API.md, "Work programmes, calendar, meetings")."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django.http import FileResponse, Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from vanphong.core.api.errors import ApiError
from vanphong.core.api.schema import error_responses, file_responses
from vanphong.documents.access import one_or_404
from vanphong.documents.services.reading import document_viewed
from vanphong.programs import selectors, services
from vanphong.programs.api.serializers import (
    AgendaCreateSerializer,
    AgendaItemSerializer,
    ConclusionCreateSerializer,
    ConclusionSerializer,
    MeetingCancelSerializer,
    MeetingCreatedSerializer,
    MeetingCreateSerializer,
    MeetingDetailSerializer,
    MeetingSerializer,
    MeetingUpdateSerializer,
    MinutesSerializer,
    PackDocumentSerializer,
    RoomSerializer,
)
from vanphong.programs.downloads import minutes_file_response
from vanphong.programs.models import Meeting, Room


@extend_schema_view(
    list=extend_schema(
        summary="Danh sách phòng họp",
        description="Phòng họp của các cơ quan người gọi được xem (và của cơ quan cấp trên trực tiếp).",
        tags=["meetings"],
        responses={200: RoomSerializer(many=True), **error_responses(401)},
    ),
)
class RoomViewSet(viewsets.GenericViewSet):
    queryset = Room.objects.none()  # for the schema; requests use the selectors
    serializer_class = RoomSerializer

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.rooms_visible_to(request.user))
        return self.get_paginated_response(RoomSerializer(page, many=True).data)


_DESCRIPTION = (
    "Cuộc họp: người dự họp, khách mời, người chủ trì, người tạo và những người có quyền xem hồ sơ của "
    "cơ quan (lãnh đạo cấp ủy, lãnh đạo và văn thư Văn phòng) được xem; người khác nhận 404. Tài liệu "
    "của một nội dung chỉ hiện với người có mức tiếp cận bằng hoặc cao hơn độ mật của tài liệu."
)


def _conflict(error: services.RoomConflict) -> ApiError:
    fields = error.message_dict
    return ApiError(
        status_code=status.HTTP_409_CONFLICT,
        code="conflict",
        message=" ".join(fields.get("room", error.messages)),
        fields=fields,
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
    raise ApiError(
        status_code=400,
        code="invalid",
        message="Thời gian lọc không hợp lệ.",
        fields={name: ["Viết theo ISO 8601, năm từ 1900 đến 9998, ví dụ 2025-11-05 hoặc 2025-11-05T08:00."]},
    )


@extend_schema_view(
    list=extend_schema(
        summary="Danh sách cuộc họp",
        description=_DESCRIPTION,
        tags=["meetings"],
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATETIME, description="Từ thời điểm (ISO 8601)."),
            OpenApiParameter("to", OpenApiTypes.DATETIME, description="Đến thời điểm (ISO 8601)."),
        ],
        responses={200: MeetingSerializer(many=True), **error_responses(400, 401)},
    ),
    retrieve=extend_schema(
        summary="Một cuộc họp, với thành phần, chương trình (tài liệu) và kết luận",
        description=_DESCRIPTION,
        tags=["meetings"],
        responses={200: MeetingDetailSerializer, **error_responses(401, 404)},
    ),
    create=extend_schema(
        summary="Tạo cuộc họp",
        description=(
            "Lên lịch cuộc họp của cơ quan; người gọi cần quyền soạn thảo ở cơ quan đó. Phòng họp đã có cuộc "
            "họp trùng giờ: 409 (mã conflict). Người dự đã có lịch họp khác cùng giờ vẫn được mời; câu trả "
            "lời nêu trong warnings."
        ),
        tags=["meetings"],
        request=MeetingCreateSerializer,
        responses={201: MeetingCreatedSerializer, **error_responses(400, 401, 403, 409)},
    ),
)
class MeetingViewSet(viewsets.GenericViewSet):
    queryset = Meeting.objects.none()  # for the schema; requests use the selectors
    serializer_class = MeetingSerializer

    def _get(self, pk: Any) -> Meeting:
        return one_or_404(selectors.meeting_detail(self.request.user), pk)

    def _detail(self, meeting: Meeting, *, status_code: int = 200, **extra: Any) -> Response:
        meeting = self._get(meeting.pk)
        context = {"agenda": selectors.agenda_with_pack(self.request.user, meeting), **extra}
        serializer = MeetingCreatedSerializer if "warnings" in extra else MeetingDetailSerializer
        return Response(serializer(meeting, context=context).data, status=status_code)

    def list(self, request: Request) -> Response:
        start = _parse_datetime(request.query_params.get("from"), "from")
        end = _parse_datetime(request.query_params.get("to"), "to")
        page = self.paginate_queryset(selectors.meeting_list(request.user, start=start, end=end))
        return self.get_paginated_response(MeetingSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return self._detail(self._get(pk))

    def create(self, request: Request) -> Response:
        serializer = MeetingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            booked = services.meeting_create(actor=request.user, **serializer.validated_data)
        except services.RoomConflict as error:
            raise _conflict(error) from None
        return self._detail(booked.meeting, status_code=status.HTTP_201_CREATED, warnings=booked.warnings)

    @extend_schema(
        summary="Sửa, dời lịch cuộc họp",
        description=(
            "Chỉ những trường gửi lên thay đổi; cuộc họp đã họp hoặc đã hủy không sửa được (400). Giờ hoặc "
            "phòng mới trùng với cuộc họp khác trong phòng đó: 409 (mã conflict). Người dự được báo khi "
            "dời lịch."
        ),
        tags=["meetings"],
        request=MeetingUpdateSerializer,
        responses={200: MeetingCreatedSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        meeting = self._get(pk)
        serializer = MeetingUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        try:
            booked = services.meeting_update(actor=request.user, meeting=meeting, **serializer.validated_data)
        except services.RoomConflict as error:
            raise _conflict(error) from None
        return self._detail(booked.meeting, warnings=booked.warnings)

    @extend_schema(
        summary="Hủy, hoãn cuộc họp",
        description=(
            "Cần lý do; phòng họp được giải phóng, người dự được báo. Cuộc họp đã họp không hủy được."
        ),
        tags=["meetings"],
        request=MeetingCancelSerializer,
        responses={200: MeetingDetailSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="cancel")
    def cancel(self, request: Request, pk: Any = None) -> Response:
        meeting = self._get(pk)
        serializer = MeetingCancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.meeting_cancel(
            actor=request.user, meeting=meeting, reason=serializer.validated_data["reason"]
        )
        return self._detail(meeting)

    @extend_schema(
        summary="Ghi biên bản cuộc họp (nội dung, tệp, hoặc cả hai)",
        description=(
            "multipart/form-data: minutes (văn bản) và/hoặc file (PDF, DOCX, ảnh quét). Tệp được kiểm tra "
            "trước khi ghi; tệp bị từ chối thì không có gì thay đổi. Sau đó cuộc họp ở trạng thái đã họp."
        ),
        tags=["meetings"],
        request={"multipart/form-data": MinutesSerializer, "application/json": MinutesSerializer},
        responses={200: MeetingDetailSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="minutes",
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def minutes(self, request: Request, pk: Any = None) -> Response:
        meeting = self._get(pk)
        serializer = MinutesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.minutes_record(
            actor=request.user,
            meeting=meeting,
            minutes=serializer.validated_data["minutes"],
            upload=serializer.validated_data["file"],
        )
        return self._detail(meeting)

    @extend_schema(
        summary="Tải tệp biên bản cuộc họp",
        description="404 khi người gọi không được xem cuộc họp hoặc cuộc họp chưa có tệp biên bản.",
        tags=["meetings"],
        responses={
            **file_responses("Tệp biên bản (PDF, DOCX, JPEG, PNG, TIFF)."),
            **error_responses(401, 404),
        },
    )
    @action(detail=True, methods=["get"], url_path="minutes-file", url_name="minutes-file")
    def minutes_file(self, request: Request, pk: Any = None) -> FileResponse:
        return minutes_file_response(request.user, pk)

    @extend_schema(
        summary="Thêm nội dung (kèm tài liệu) vào chương trình cuộc họp",
        description=(
            "Người chủ trì, người tạo và Văn phòng thêm được. Mỗi tài liệu phải là văn bản người gọi "
            "được xem; người dự họp chưa đủ mức tiếp cận không thấy tài liệu mật và nhận 404 khi mở nó."
        ),
        tags=["meetings"],
        request=AgendaCreateSerializer,
        responses={201: AgendaItemSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="agenda")
    def agenda(self, request: Request, pk: Any = None) -> Response:
        meeting = self._get(pk)
        serializer = AgendaCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.agenda_item_add(actor=request.user, meeting=meeting, **serializer.validated_data)
        pack = dict(selectors.agenda_with_pack(request.user, self._get(pk)))
        data = {"id": item.pk, "order": item.order, "title": item.title, "documents": pack.get(item, [])}
        return Response(AgendaItemSerializer(data).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Ghi kết luận; có nơi chủ trì và thời hạn thì giao thành nhiệm vụ",
        description=(
            "Kết luận có lead và due_date trở thành nhiệm vụ của cơ quan tổ chức cuộc họp (nguồn: kết luận "
            "cuộc họp); câu trả lời có task (id nhiệm vụ)."
        ),
        tags=["meetings"],
        request=ConclusionCreateSerializer,
        responses={201: ConclusionSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="conclusions")
    def conclusions(self, request: Request, pk: Any = None) -> Response:
        meeting = self._get(pk)
        serializer = ConclusionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        conclusion = services.conclusion_add(actor=request.user, meeting=meeting, **serializer.validated_data)
        conclusion = (
            meeting.conclusions.select_related("task")
            .prefetch_related("parties__organization", "parties__unit", "parties__person")
            .get(pk=conclusion.pk)
        )
        return Response(ConclusionSerializer(conclusion).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Một tài liệu của cuộc họp",
        description=(
            "404 khi người gọi không được xem cuộc họp, hoặc chưa đủ mức tiếp cận độ mật của tài liệu."
        ),
        tags=["meetings"],
        responses={200: PackDocumentSerializer, **error_responses(401, 404)},
    )
    @action(detail=True, methods=["get"], url_path=r"documents/(?P<document_id>\d+)")
    def document(self, request: Request, pk: Any = None, document_id: Any = None) -> Response:
        meeting = self._get(pk)
        document = selectors.pack_document(request.user, meeting, document_id)
        if document is None:
            raise Http404
        document_viewed(user=request.user, document=document)
        return Response(PackDocumentSerializer(document).data)
