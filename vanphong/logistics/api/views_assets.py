"""API of the asset register and of spending (see /work/shared/API.md, "Shared services").

Reads go through the selectors (an asset or expense outside the caller's reach is 404); each
change calls one service. A request above the spending rule's limit answers 400 with the code
``over_limit``; above what remains of the budget line, 400 ``over_budget``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from vanphong.core.api.errors import ApiError
from vanphong.core.api.schema import error_responses
from vanphong.documents.access import one_or_404
from vanphong.logistics import services_assets, services_spending
from vanphong.logistics.api.serializers_assets import (
    AssetCreateSerializer,
    AssetSerializer,
    AssetTransferCreateSerializer,
    AssetTransferSerializer,
    ExpenseCreateSerializer,
    ExpenseDecideSerializer,
    ExpenseSerializer,
)
from vanphong.logistics.models import Asset, Expense
from vanphong.logistics.selectors_assets import assets_visible_to
from vanphong.logistics.selectors_spending import budget_lines_visible_to, expenses_visible_to, kinds_for
from vanphong.orgs.models import Organization, Person


def _organization(pk: int | None, field: str) -> Organization | None:
    if pk is None:
        return None
    found = Organization.objects.filter(pk=pk, active=True).first()
    if found is None:
        raise ValidationError({field: ["Không có cơ quan này."]})
    return found


def _person(pk: int | None, field: str) -> Person | None:
    if pk is None:
        return None
    found = Person.objects.filter(pk=pk, active=True).first()
    if found is None:
        raise ValidationError({field: ["Không có cán bộ này."]})
    return found


def _spending_error(error: ValidationError, code: str) -> ApiError:
    fields = error.message_dict
    return ApiError(
        status_code=status.HTTP_400_BAD_REQUEST,
        code=code,
        message=" ".join(fields.get("amount", error.messages)),
        fields=fields,
    )


@extend_schema_view(
    list=extend_schema(
        summary="Sổ tài sản",
        description="Tài sản của các cơ quan người gọi được xem, kèm giá trị còn lại cuối năm nay.",
        tags=["assets"],
        responses={200: AssetSerializer(many=True), **error_responses(401)},
    ),
    retrieve=extend_schema(
        summary="Một tài sản",
        tags=["assets"],
        responses={200: AssetSerializer, **error_responses(401, 404)},
    ),
)
class AssetViewSet(viewsets.GenericViewSet):
    queryset = Asset.objects.none()  # for the schema; requests use the selectors
    serializer_class = AssetSerializer

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(assets_visible_to(request.user))
        return self.get_paginated_response(AssetSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(AssetSerializer(one_or_404(assets_visible_to(request.user), pk)).data)

    @extend_schema(
        summary="Ghi sổ tài sản",
        description="Người có quyền ghi của cơ quan, hoặc Văn phòng cấp ủy quản lý tài sản của cơ quan.",
        tags=["assets"],
        request=AssetCreateSerializer,
        responses={201: AssetSerializer, **error_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        serializer = AssetCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organization = _organization(data.pop("organization"), "organization")
        assert organization is not None
        asset = services_assets.asset_create(
            actor=request.user,
            organization=organization,
            holder=_person(data.pop("holder"), "holder"),
            **data,
        )
        return Response(AssetSerializer(asset).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Điều chuyển tài sản",
        description=(
            "Lãnh đạo Văn phòng (hoặc lãnh đạo cơ quan đang sử dụng) điều chuyển tài sản sang cơ quan "
            "khác do "
            "cùng Văn phòng quản lý; biên bản bàn giao ghi giá trị còn lại cuối năm bàn giao."
        ),
        tags=["assets"],
        request=AssetTransferCreateSerializer,
        responses={201: AssetTransferSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="transfer")
    def transfer(self, request: Request, pk: Any = None) -> Response:
        asset = one_or_404(assets_visible_to(request.user), pk)
        serializer = AssetTransferCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        to_organization = _organization(data.pop("to_organization"), "to_organization")
        assert to_organization is not None
        transfer = services_assets.asset_transfer(
            actor=request.user,
            asset=asset,
            to_organization=to_organization,
            to_holder=_person(data.pop("to_holder"), "to_holder"),
            **data,
        )
        return Response(AssetTransferSerializer(transfer).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="Các khoản chi",
        description="Khoản chi của các cơ quan người gọi được xem, và những khoản người gọi đề nghị.",
        tags=["spending"],
        responses={200: ExpenseSerializer(many=True), **error_responses(401)},
    ),
    retrieve=extend_schema(
        summary="Một khoản chi",
        tags=["spending"],
        responses={200: ExpenseSerializer, **error_responses(401, 404)},
    ),
)
class ExpenseViewSet(viewsets.GenericViewSet):
    queryset = Expense.objects.none()
    serializer_class = ExpenseSerializer

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(expenses_visible_to(request.user))
        return self.get_paginated_response(ExpenseSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(ExpenseSerializer(one_or_404(expenses_visible_to(request.user), pk)).data)

    @extend_schema(
        summary="Đề nghị chi, thanh toán",
        description=(
            "Theo quy chế chi tiêu nội bộ: số tiền vượt mức chi tối đa × số lượng của nội dung chi "
            "trả 400 mã "
            "over_limit; vượt phần còn lại của dòng dự toán (đã duyệt + đã chi + khoản này) trả 400 mã "
            "over_budget."
        ),
        tags=["spending"],
        request=ExpenseCreateSerializer,
        responses={201: ExpenseSerializer, **error_responses(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        serializer = ExpenseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organization = _organization(data.pop("organization"), "organization")
        line = budget_lines_visible_to(request.user).filter(pk=data.pop("budget_line")).first()
        kind_id = data.pop("kind")
        kind = kinds_for(organization, active_only=False).filter(pk=kind_id).first() if organization else None
        if line is None or kind is None:
            errors: dict[str, list[str]] = {}
            if line is None:
                errors["budget_line"] = ["Không có dòng dự toán này."]
            if kind is None:
                errors["kind"] = ["Không có nội dung chi này trong quy chế."]
            raise ValidationError(errors)
        assert organization is not None
        try:
            expense = services_spending.expense_request(
                actor=request.user, organization=organization, budget_line=line, kind=kind, **data
            )
        except services_spending.OverLimit as error:
            raise _spending_error(error, "over_limit") from None
        except services_spending.OverBudget as error:
            raise _spending_error(error, "over_budget") from None
        return Response(ExpenseSerializer(expense).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Duyệt khoản chi",
        description=(
            "Lãnh đạo duyệt hoặc không duyệt (cần lý do); duyệt vượt dự toán còn lại trả 400 over_budget."
        ),
        tags=["spending"],
        request=ExpenseDecideSerializer,
        responses={200: ExpenseSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="decide")
    def decide(self, request: Request, pk: Any = None) -> Response:
        expense = one_or_404(expenses_visible_to(request.user), pk)
        serializer = ExpenseDecideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            expense = services_spending.expense_decide(
                actor=request.user, expense=expense, **serializer.validated_data
            )
        except services_spending.OverBudget as error:
            raise _spending_error(error, "over_budget") from None
        return Response(ExpenseSerializer(expense).data)
