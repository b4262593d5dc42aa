"""API of the outgoing flow: drafts, the approval circuit and issue (see /work/shared/API.md)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from vanphong.core.api.schema import error_responses
from vanphong.documents.access import one_or_404
from vanphong.documents.api.serializers_outgoing import (
    IssueInputSerializer,
    IssueResultSerializer,
    OutgoingCreateSerializer,
    OutgoingDetailSerializer,
    OutgoingSerializer,
    ReviewDecisionSerializer,
    ReviewStepSerializer,
    SubmitSerializer,
)
from vanphong.documents.models import Document, ReviewStep
from vanphong.documents.selectors import outgoing as selectors
from vanphong.documents.selectors.outgoing import OUTGOING_STATES
from vanphong.documents.services import outgoing as services
from vanphong.documents.services.reading import document_viewed
from vanphong.orgs.access import Capability, organizations_with
from vanphong.orgs.api.filters import IdFilter, parse_filters


class OutgoingFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=[(s, s.label) for s in OUTGOING_STATES], label="Trạng thái")
    doc_type = django_filters.CharFilter(label="Loại văn bản (NQ, QĐ, CV, ...)")
    organization = IdFilter(label="Id cơ quan ban hành")
    date_from = django_filters.DateFilter(label="Từ ngày (ngày ban hành, hoặc ngày tạo với dự thảo)")
    date_to = django_filters.DateFilter(label="Đến ngày")
    q = django_filters.CharFilter(label="Tìm trong số, ký hiệu và trích yếu")

    class Meta:
        model = Document
        fields = ["state", "doc_type", "organization", "date_from", "date_to", "q"]


_DESCRIPTION = (
    "Văn bản đi (id là id văn bản): dự thảo, đang trình, đã duyệt, đã phát hành, của các cơ quan nơi "
    "người gọi giữ vai trò, cùng dự thảo do mình soạn hoặc được trình duyệt. Văn bản mật chỉ với văn "
    "thư, lãnh đạo và người được trình, trong giới hạn độ mật của người gọi. Ngoài phạm vi: 404."
)


@extend_schema_view(
    list=extend_schema(
        summary="Danh sách văn bản đi",
        description=_DESCRIPTION,
        tags=["outgoing"],
        responses={200: OutgoingSerializer(many=True), **error_responses(400, 401, 404)},
    ),
    retrieve=extend_schema(
        summary="Một văn bản đi, với nơi nhận, tình trạng chuyển và các bước duyệt",
        description=_DESCRIPTION,
        tags=["outgoing"],
        responses={200: OutgoingDetailSerializer, **error_responses(401, 404)},
    ),
    create=extend_schema(
        summary="Tạo dự thảo văn bản đi",
        description=(
            "Tạo dự thảo (phiên bản 1) của cơ quan ban hành; người gọi cần quyền soạn thảo ở cơ quan đó. "
            "Người ký phải là lãnh đạo của cơ quan; thẩm quyền ký mặc định theo vai trò người ký "
            "(T/M với cấp ủy). Gửi JSON, hoặc multipart khi kèm tệp (files)."
        ),
        tags=["outgoing"],
        request={
            "application/json": OutgoingCreateSerializer,
            "multipart/form-data": OutgoingCreateSerializer,
        },
        responses={201: OutgoingDetailSerializer, **error_responses(400, 401, 403)},
    ),
)
class OutgoingViewSet(viewsets.GenericViewSet):
    queryset = Document.objects.none()  # for the schema; requests use the selectors
    serializer_class = OutgoingSerializer
    filterset_class = OutgoingFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset  # filtered by the selector

    def _get(self, pk: Any) -> Document:
        return one_or_404(selectors.outgoing_detail(self.request.user), pk)

    def _detail(self, pk: Any, status_code: int = status.HTTP_200_OK) -> Response:
        return Response(OutgoingDetailSerializer(self._get(pk)).data, status=status_code)

    def list(self, request: Request) -> Response:
        filters = parse_filters(OutgoingFilter, request)
        page = self.paginate_queryset(selectors.outgoing_list(user=request.user, **filters))
        return self.get_paginated_response(OutgoingSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        document = self._get(pk)
        document_viewed(user=request.user, document=document)
        return Response(OutgoingDetailSerializer(document).data)

    def create(self, request: Request) -> Response:
        serializer = OutgoingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["files"] = request.FILES.getlist("files") or data.get("files") or []
        if data.get("organization") is None:
            data["organization"] = (
                organizations_with(request.user, Capability.WRITE)
                .filter(hosted=True)
                .order_by("depth", "path")
                .first()
            )
            if data["organization"] is None:
                raise PermissionDenied("Bạn không được soạn thảo văn bản của cơ quan nào.")
        document = services.outgoing_draft_create(actor=request.user, **data)
        return self._detail(document.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Phát hành: cấp số, ngày và ký hiệu; chuyển ngay cho nơi nhận dùng hệ thống",
        description=(
            "Chỉ văn thư của cơ quan, với văn bản đã được người ký duyệt. Số lấy từ sổ văn bản đi trong "
            "cùng giao dịch với việc ghi sổ: không trùng, không bỏ số, kể cả khi phát hành đồng thời. Gọi "
            "lại trả về đúng số đã cấp. Nơi nhận dùng hệ thống được vào sổ đến ngay (kênh nội bộ)."
        ),
        tags=["outgoing"],
        request=IssueInputSerializer,
        responses={200: IssueResultSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="issue")
    def issue(self, request: Request, pk: Any = None) -> Response:
        document = self._get(pk)
        serializer = IssueInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.outgoing_issue(
            actor=request.user, document=document, issued_date=serializer.validated_data.get("issued_date")
        )
        document.refresh_from_db(fields=["number", "symbol", "issued_date"])
        result = {"number": document.number, "symbol": document.symbol, "issued_date": document.issued_date}
        return Response(IssueResultSerializer(result).data)

    @extend_schema(
        summary="Trình duyệt dự thảo theo quy trình",
        description=(
            "Các bước theo thứ tự stage; các bước cùng stage chạy song song (department, "
            "appraisal_content, appraisal_format). Bước cuối là một bước sign duy nhất của người ký. "
            "Trình lại sau khi bị trả lại là một lượt mới."
        ),
        tags=["outgoing"],
        request=SubmitSerializer,
        responses={200: OutgoingDetailSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="submit")
    def submit(self, request: Request, pk: Any = None) -> Response:
        document = self._get(pk)
        serializer = SubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.outgoing_submit(
            actor=request.user, document=document, steps=serializer.validated_data["steps"]
        )
        return self._detail(document.pk)

    @extend_schema(
        summary="Cho ý kiến ở một bước duyệt: đồng ý hoặc trả lại",
        description=(
            "Chỉ người được giao bước đó, khi đến lượt. Khi mọi bước của một stage đồng ý, stage sau mở; "
            "người ký đồng ý thì văn bản chờ phát hành. Trả lại (cần ghi lý do) đưa văn bản về dự thảo."
        ),
        tags=["outgoing"],
        request=ReviewDecisionSerializer,
        responses={200: ReviewStepSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path=r"reviews/(?P<step_id>\d+)")
    def review(self, request: Request, pk: Any = None, step_id: Any = None) -> Response:
        document = self._get(pk)
        step = ReviewStep.objects.filter(document=document, pk=step_id).first()
        if step is None:
            raise Http404
        serializer = ReviewDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        step = services.outgoing_review_decide(actor=request.user, step=step, **serializer.validated_data)
        return Response(
            ReviewStepSerializer(ReviewStep.objects.select_related("reviewer").get(pk=step.pk)).data
        )


router = SimpleRouter()
router.register("outgoing", OutgoingViewSet, basename="outgoing")
urlpatterns: list = []
