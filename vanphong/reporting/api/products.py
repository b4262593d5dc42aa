"""API of the information products: templates (the office edits them), products made from a
template for a span of days, their candidates, the chosen items and the move into the
outgoing flow. The same functions as the pages (``products``), the same audit."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from vanphong.core.api.errors import ApiError
from vanphong.core.api.schema import error_responses
from vanphong.documents.access import one_or_404
from vanphong.reporting import product_sources, products
from vanphong.reporting.api.product_serializers import (
    CandidateSerializer,
    ProductCreateSerializer,
    ProductSaveSerializer,
    ProductSerializer,
    TemplateInputSerializer,
    TemplateSerializer,
    section_rows,
)
from vanphong.reporting.api.views import _organizations
from vanphong.reporting.models import InfoProduct, ProductKind, ProductTemplate

TAGS = ["reporting"]


def _conflict(error: products.ProductConflict) -> ApiError:
    fields = error.message_dict
    return ApiError(
        status_code=status.HTTP_409_CONFLICT,
        code="conflict",
        message=" ".join(m for ms in fields.values() for m in ms),
        fields=fields,
    )


@extend_schema_view(
    list=extend_schema(
        summary="Các mẫu sản phẩm thông tin",
        description="Mẫu của các cơ quan người gọi soạn thảo được (Văn phòng cho cấp ủy của mình).",
        tags=TAGS,
        responses={200: TemplateSerializer(many=True), **error_responses(401)},
    ),
    retrieve=extend_schema(
        summary="Một mẫu sản phẩm thông tin",
        tags=TAGS,
        responses={200: TemplateSerializer, **error_responses(401, 404)},
    ),
    create=extend_schema(
        summary="Thêm mẫu sản phẩm thông tin",
        description=(
            "Tiêu đề, mở đầu, kết dùng được các trường {ngay}, {tu_ngay}, {den_ngay}, {tuan}, {thang}, "
            "{nam}. Mỗi mục có tiêu đề và nguồn tin: submission, incoming, meeting, event, overdue, note."
        ),
        tags=TAGS,
        request=TemplateInputSerializer,
        responses={201: TemplateSerializer, **error_responses(400, 401, 403)},
    ),
    partial_update=extend_schema(
        summary="Sửa mẫu sản phẩm thông tin",
        description="Gửi đủ các trường như khi thêm; sản phẩm đã tạo giữ nguyên như lúc tạo.",
        tags=TAGS,
        request=TemplateInputSerializer,
        responses={200: TemplateSerializer, **error_responses(400, 401, 403, 404)},
    ),
)
class ProductTemplateViewSet(viewsets.GenericViewSet):
    queryset = ProductTemplate.objects.none()  # for the schema; reads use product_sources
    serializer_class = TemplateSerializer

    def _visible(self) -> Any:
        return product_sources.templates_visible_to(self.request.user).prefetch_related("recipients")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self._visible().order_by("organization__path", "kind", "name"))
        return self.get_paginated_response(TemplateSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(TemplateSerializer(one_or_404(self._visible(), pk)).data)

    def _save(self, request: Request, template: ProductTemplate | None) -> ProductTemplate:
        serializer = TemplateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if template is not None:
            organization = template.organization
        elif data.get("organization") is None:
            raise ApiError(
                status_code=400,
                code="invalid",
                message="Hãy chọn cơ quan của mẫu.",
                fields={"organization": ["Hãy chọn cơ quan của mẫu."]},
            )
        else:
            organization = _organizations([data["organization"]], "organization")[0]
        return products.template_save(
            actor=request.user,
            template=template,
            organization=organization,
            kind=data["kind"],
            name=data["name"],
            title=data["title"],
            doc_type=data["doc_type"],
            intro=data["intro"],
            closing=data["closing"],
            sections=section_rows(data["sections"]),
            recipients=_organizations(list(dict.fromkeys(data["recipients"])), "recipients"),
            active=data["active"],
        )

    def create(self, request: Request) -> Response:
        saved = self._save(request, None)
        return Response(TemplateSerializer(saved).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: Any = None) -> Response:
        saved = self._save(request, one_or_404(self._visible(), pk))
        return Response(TemplateSerializer(saved).data)


@extend_schema_view(
    list=extend_schema(
        summary="Sản phẩm thông tin (báo cáo ngày, bản tin tuần, báo cáo chuyên đề)",
        description="Của các cơ quan người gọi đọc hoặc soạn thảo được; nơi khác nhận 404.",
        tags=TAGS,
        parameters=[OpenApiParameter("kind", str, enum=ProductKind.values, description="Lọc theo loại.")],
        responses={200: ProductSerializer(many=True), **error_responses(401)},
    ),
    retrieve=extend_schema(
        summary="Một sản phẩm thông tin, các mục tin đã chọn",
        tags=TAGS,
        responses={200: ProductSerializer, **error_responses(401, 404)},
    ),
    create=extend_schema(
        summary="Tạo sản phẩm thông tin từ một mẫu",
        description="Khoảng thời gian theo loại: ngày đó; tuần (thứ Hai–Chủ nhật) có ngày đó; ngày 1–15 của "
        "tháng. Mỗi mẫu một sản phẩm cho mỗi khoảng: 409 nếu đã có.",
        tags=TAGS,
        request=ProductCreateSerializer,
        responses={201: ProductSerializer, **error_responses(400, 401, 403, 404, 409)},
    ),
)
class InfoProductViewSet(viewsets.GenericViewSet):
    queryset = InfoProduct.objects.none()  # for the schema; reads use product_sources
    serializer_class = ProductSerializer

    def _visible(self) -> Any:
        return product_sources.products_visible_to(self.request.user).prefetch_related("items", "recipients")

    def _get(self, pk: Any) -> InfoProduct:
        return one_or_404(self._visible(), pk)

    def list(self, request: Request) -> Response:
        qs = self._visible()
        kind = request.query_params.get("kind")
        if kind:
            if kind not in ProductKind.values:
                raise ApiError(
                    status_code=400,
                    code="invalid",
                    message="Loại sản phẩm thông tin không hợp lệ.",
                    fields={"kind": ["Loại sản phẩm thông tin không hợp lệ."]},
                )
            qs = qs.filter(kind=kind)
        page = self.paginate_queryset(qs.order_by("-period_end", "-id"))
        return self.get_paginated_response(ProductSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(ProductSerializer(self._get(pk)).data)

    def create(self, request: Request) -> Response:
        serializer = ProductCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        template = one_or_404(product_sources.templates_visible_to(request.user), data["template"])
        try:
            made = products.product_create(actor=request.user, template=template, day=data["day"])
        except products.ProductConflict as error:
            raise _conflict(error) from None
        return Response(ProductSerializer(self._get(made.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Các tin có thể chọn cho từng mục",
        description="Lấy từ những gì người gọi được xem trong khoảng thời gian của sản phẩm; không bao giờ "
        "có văn bản, nhiệm vụ, báo cáo mật.",
        tags=TAGS,
        responses={200: CandidateSerializer(many=True), **error_responses(401, 404)},
    )
    @action(detail=True, methods=["get"], url_path="candidates", pagination_class=None)
    def candidates(self, request: Request, pk: Any = None) -> Response:
        product = self._get(pk)
        rows = [
            {"section": index, **c.__dict__}
            for index, section in enumerate(product.sections)
            for c in product_sources.candidates(request.user, product, section)
        ]
        return Response(CandidateSerializer(rows, many=True).data)

    @extend_schema(
        summary="Lưu các mục tin đã chọn và lời văn",
        description="items thay toàn bộ danh sách cũ, theo thứ tự gửi. Một tin lấy từ hồ sơ (object_id) "
        "phải có trong danh sách tin chọn được của người gọi. 409 khi sản phẩm đã thành dự thảo văn bản đi.",
        tags=TAGS,
        request=ProductSaveSerializer,
        responses={200: ProductSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="items")
    def items(self, request: Request, pk: Any = None) -> Response:
        product = self._get(pk)
        serializer = ProductSaveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        recipients = data.get("recipients")
        try:
            products.product_save(
                actor=request.user,
                product=product,
                items=data["items"],
                title=data.get("title"),
                intro=data.get("intro"),
                closing=data.get("closing"),
                recipients=None
                if recipients is None
                else _organizations(list(dict.fromkeys(recipients)), "recipients"),
            )
        except products.ProductConflict as error:
            raise _conflict(error) from None
        return Response(ProductSerializer(self._get(pk)).data)

    @extend_schema(
        summary="Chuyển thành dự thảo văn bản đi",
        description="Tạo dự thảo văn bản đi (loại của mẫu, thường là BC) của cơ quan, gửi tới danh sách "
        "nơi nhận; luồng văn bản đi trình duyệt, ký, cấp số và phát hành. Trả về sản phẩm với document.",
        tags=TAGS,
        request=None,
        responses={201: ProductSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="draft")
    def draft(self, request: Request, pk: Any = None) -> Response:
        product = self._get(pk)
        try:
            products.product_draft(actor=request.user, product=product)
        except products.ProductConflict as error:
            raise _conflict(error) from None
        return Response(ProductSerializer(self._get(pk)).data, status=status.HTTP_201_CREATED)
