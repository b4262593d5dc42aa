"""API of the incoming flow: register, list, read, direct (see /work/shared/API.md)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from vanphong.core.api.schema import error_responses
from vanphong.documents.access import one_or_404
from vanphong.documents.api.serializers_incoming import (
    DirectionCreateSerializer,
    DirectionSerializer,
    IncomingCreateSerializer,
    IncomingDetailSerializer,
    IncomingSerializer,
)
from vanphong.documents.models import EntryStatus, RegisterEntry
from vanphong.documents.selectors import incoming as selectors
from vanphong.documents.services import incoming as services
from vanphong.documents.services.reading import document_viewed
from vanphong.orgs.access import Capability, organizations_with
from vanphong.orgs.api.filters import parse_filters


class IncomingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Lọc theo số, ký hiệu, trích yếu, cơ quan ban hành")
    status = django_filters.ChoiceFilter(choices=EntryStatus.choices, label="Tình trạng xử lý")
    received_from = django_filters.DateFilter(label="Ngày đến, từ ngày (YYYY-MM-DD)")
    received_to = django_filters.DateFilter(label="Ngày đến, đến ngày (YYYY-MM-DD)")

    class Meta:
        model = RegisterEntry
        fields = ["q", "status", "received_from", "received_to"]


_DESCRIPTION = (
    "Văn bản đến: mỗi bản ghi là một mục sổ đến (id là id mục sổ), kèm thông tin văn bản. "
    "Chỉ gồm văn bản người gọi được xem; văn bản mật chỉ với văn thư, lãnh đạo và người được "
    "giao hoặc được phép đọc, trong giới hạn độ mật của người gọi. Ngoài phạm vi: 404."
)


@extend_schema_view(
    list=extend_schema(
        summary="Danh sách văn bản đến",
        description=_DESCRIPTION,
        tags=["incoming"],
        responses={200: IncomingSerializer(many=True), **error_responses(400, 401, 404)},
    ),
    retrieve=extend_schema(
        summary="Một văn bản đến (404 nếu ngoài phạm vi được xem)",
        description=_DESCRIPTION + " Xem văn bản mật được ghi nhật ký.",
        tags=["incoming"],
        responses={200: IncomingDetailSerializer, **error_responses(401, 404)},
    ),
    create=extend_schema(
        summary="Vào sổ một văn bản đến",
        description=(
            "Đọc số, ký hiệu để suy ra loại, số và cơ quan ban hành; cấp số đến tiếp theo của sổ "
            "(sổ mật với văn bản mật). Văn bản đã vào sổ trước đó (cùng cơ quan ban hành, ký hiệu, "
            "ngày) vẫn được vào sổ, với duplicate_of là mục sổ trước. Gửi JSON, hoặc multipart khi "
            "kèm tệp (files)."
        ),
        tags=["incoming"],
        request={
            "application/json": IncomingCreateSerializer,
            "multipart/form-data": IncomingCreateSerializer,
        },
        responses={201: IncomingDetailSerializer, **error_responses(400, 401, 403)},
    ),
)
class IncomingViewSet(viewsets.GenericViewSet):
    queryset = RegisterEntry.objects.none()  # for the schema; requests use the selectors
    serializer_class = IncomingSerializer
    filterset_class = IncomingFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset  # filtered by the selector

    def _get(self, pk: Any) -> RegisterEntry:
        return one_or_404(selectors.incoming_detail(user=self.request.user), pk)

    def list(self, request: Request) -> Response:
        filters = parse_filters(IncomingFilter, request)
        entries = selectors.incoming_list(user=request.user, **filters)
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(IncomingSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        entry = self._get(pk)
        document_viewed(user=request.user, document=entry.document)
        return Response(IncomingDetailSerializer(entry).data)

    def create(self, request: Request) -> Response:
        serializer = IncomingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["files"] = request.FILES.getlist("files") or data.get("files") or []
        organization = data.pop("organization", None)
        if organization is None:
            organization = (
                organizations_with(request.user, Capability.REGISTER)
                .filter(hosted=True)
                .order_by("depth", "path")
                .first()
            )
            if organization is None:
                raise PermissionDenied("Bạn không giữ sổ văn bản đến của cơ quan nào.")
        entry = services.incoming_register(actor=request.user, organization=organization, **data)
        return Response(IncomingDetailSerializer(self._get(entry.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Ghi ý kiến chỉ đạo (bút phê) và phân công xử lý",
        description=(
            "Lãnh đạo có quyền chỉ đạo ở cơ quan giữ sổ, hoặc người được trình văn bản. Mỗi phân công "
            "nêu đúng một trong organization, unit, person; role lead | cooperate | inform; due_date "
            "(không ở quá khứ với chủ trì, phối hợp). Phân công chủ trì, phối hợp sẽ thành nhiệm vụ."
        ),
        tags=["incoming"],
        request=DirectionCreateSerializer,
        responses={201: DirectionSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="directions")
    def directions(self, request: Request, pk: Any = None) -> Response:
        entry = self._get(pk)
        serializer = DirectionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        direction = services.incoming_direct(
            actor=request.user,
            entry=entry,
            text=serializer.validated_data["text"],
            assignments=serializer.validated_data["assignments"],
        )
        direction = (
            type(direction)
            .objects.select_related("author")
            .prefetch_related("assignments__organization", "assignments__unit", "assignments__person")
            .get(pk=direction.pk)
        )
        return Response(DirectionSerializer(direction).data, status=status.HTTP_201_CREATED)


router = SimpleRouter()
router.register("incoming", IncomingViewSet, basename="incoming")
urlpatterns: list = []
