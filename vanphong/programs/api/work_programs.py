"""API of the work programmes (see /work/shared/API.md, "Work programmes, calendar, meetings"):
programmes with their items, approval (items become tasks), the CTr draft, the carried-out
report; an item moved to a later period, carried down to a shorter programme, its result."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from vanphong.core.api.errors import ApiError
from vanphong.core.api.schema import error_responses
from vanphong.documents.access import one_or_404
from vanphong.orgs.access import Capability, organizations_with
from vanphong.programs import selectors, services
from vanphong.programs.api.work_programs_serializers import (
    CarryDownSerializer,
    IssueDraftSerializer,
    ItemCreateSerializer,
    ItemMoveSerializer,
    ItemStateSerializer,
    ProgramCreateSerializer,
    ProgramDetailSerializer,
    ProgramItemSerializer,
    ProgramSerializer,
    ReportSerializer,
)
from vanphong.programs.models import Program, ProgramItem, ProgramPeriod

TAGS = ["programs"]
MAX_ID = 2**63 - 1

_DESCRIPTION = (
    "Chương trình công tác: người có quyền xem hồ sơ của cơ quan (lãnh đạo cấp ủy, lãnh đạo và văn thư "
    "Văn phòng), người soạn thảo nhân danh cơ quan và người lập được xem toàn bộ; cơ quan chuẩn bị và "
    "lãnh đạo phụ trách chỉ thấy các nội dung liên quan đến mình; người khác nhận 404. Trạng thái issued "
    "khi văn bản ban hành chương trình đã phát hành."
)


def _conflict(error: services.ProgramConflict) -> ApiError:
    fields = error.message_dict
    return ApiError(
        status_code=status.HTTP_409_CONFLICT,
        code="conflict",
        message=" ".join(fields.get("start", error.messages)),
        fields=fields,
    )


def _invalid(field: str, message: str) -> ApiError:
    return ApiError(status_code=400, code="invalid", message=message, fields={field: [message]})


def _int_param(request: Request, name: str, *, low: int = 1, high: int = MAX_ID) -> int | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = None
    if value is None or not low <= value <= high:
        raise _invalid(name, f"Giá trị lọc “{name}” phải là số nguyên từ {low} đến {high}.")
    return value


def _program_of(request: Request, pk: int, field: str = "program") -> Program:
    found = selectors.program_detail(request.user).filter(pk=pk).first()
    if found is None:
        raise _invalid(field, "Không tìm thấy chương trình công tác.")
    return found


@extend_schema_view(
    list=extend_schema(
        summary="Danh sách chương trình công tác",
        description=_DESCRIPTION,
        tags=TAGS,
        parameters=[
            OpenApiParameter("organization", OpenApiTypes.INT, description="Id cơ quan."),
            OpenApiParameter("period", OpenApiTypes.STR, enum=ProgramPeriod.values, description="Thời kỳ."),
            OpenApiParameter(
                "year", OpenApiTypes.INT, description="Năm (chương trình diễn ra trong năm đó)."
            ),
        ],
        responses={200: ProgramSerializer(many=True), **error_responses(400, 401)},
    ),
    retrieve=extend_schema(
        summary="Một chương trình công tác, với các nội dung",
        description=_DESCRIPTION,
        tags=TAGS,
        responses={200: ProgramDetailSerializer, **error_responses(401, 404)},
    ),
    create=extend_schema(
        summary="Lập chương trình công tác (dự thảo)",
        description=(
            "Người gọi cần quyền soạn thảo nhân danh cơ quan. Thời gian phải đúng một tuần (thứ Hai–Chủ "
            "nhật), một tháng, một quý, một năm, hoặc một nhiệm kỳ. Cơ quan đã có chương trình cùng cơ "
            "quan thực hiện, cùng thời kỳ, cùng ngày bắt đầu: 409 (mã conflict)."
        ),
        tags=TAGS,
        request=ProgramCreateSerializer,
        responses={201: ProgramDetailSerializer, **error_responses(400, 401, 403, 409)},
    ),
)
class ProgramViewSet(viewsets.GenericViewSet):
    queryset = Program.objects.none()  # for the schema; requests use the selectors
    serializer_class = ProgramSerializer

    def _get(self, pk: Any) -> Program:
        return one_or_404(selectors.program_detail(self.request.user), pk)

    def _detail(self, program: Program, *, status_code: int = 200) -> Response:
        program = self._get(program.pk)
        items = list(selectors.program_items(self.request.user, program))
        return Response(ProgramDetailSerializer(program, context={"items": items}).data, status=status_code)

    def list(self, request: Request) -> Response:
        period = request.query_params.get("period") or None
        if period is not None and period not in ProgramPeriod.values:
            raise _invalid("period", "Thời kỳ phải là một trong: " + ", ".join(ProgramPeriod.values) + ".")
        qs = selectors.program_list(
            request.user,
            organization=_int_param(request, "organization"),
            period=period,
            year=_int_param(request, "year", low=1900, high=9998),
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(ProgramSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return self._detail(self._get(pk))

    def create(self, request: Request) -> Response:
        serializer = ProgramCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if data["organization"] is None:
            # The caller's own: the committee their office works for before the office itself.
            data["organization"] = (
                organizations_with(request.user, Capability.WRITE)
                .filter(hosted=True, active=True)
                .order_by("depth", "path")
                .first()
            )
            if data["organization"] is None:
                raise PermissionDenied("Bạn không lập được chương trình công tác của cơ quan nào.")
        try:
            program = services.program_create(actor=request.user, **data)
        except services.ProgramConflict as error:
            raise _conflict(error) from None
        return self._detail(program, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Thêm nội dung vào chương trình",
        description=(
            "Thời gian dự kiến: một trong planned_date, planned_week (thứ Hai), planned_month (YYYY-MM), "
            "trong thời gian của chương trình. Chương trình đã duyệt: nội dung có cơ quan chuẩn bị và thời "
            "gian được giao thành nhiệm vụ ngay (task)."
        ),
        tags=TAGS,
        request=ItemCreateSerializer,
        responses={201: ProgramItemSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="items")
    def items(self, request: Request, pk: Any = None) -> Response:
        program = self._get(pk)
        serializer = ItemCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        parent_id = data.pop("parent", None)
        parent = None
        if parent_id is not None:
            parent = (
                selectors.items_visible_to(request.user)
                .select_related("program")
                .filter(pk=parent_id)
                .first()
            )
            if parent is None:
                raise _invalid("parent", "Không tìm thấy nội dung của chương trình dài hơn.")
        item = services.item_add(actor=request.user, program=program, parent=parent, **data)
        return _item_response(request, item, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Duyệt chương trình; các nội dung được giao thành nhiệm vụ",
        description=(
            "Lãnh đạo cấp ủy duyệt; lãnh đạo Văn phòng duyệt chương trình tháng, tuần. Mỗi nội dung có cơ "
            "quan chuẩn bị và thời gian trở thành nhiệm vụ (hạn: ngày dự kiến, hoặc ngày làm việc cuối "
            "của tuần, tháng dự kiến)."
        ),
        tags=TAGS,
        request=None,
        responses={200: ProgramDetailSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="approve")
    def approve(self, request: Request, pk: Any = None) -> Response:
        program = services.program_approve(actor=request.user, program=self._get(pk))
        return self._detail(program)

    @extend_schema(
        summary="Dự thảo văn bản ban hành chương trình (loại CTr)",
        description=(
            "Tạo dự thảo văn bản đi loại Chương trình (CTr) với các nội dung của chương trình đã duyệt; "
            "văn bản được trình ký, lấy số và phát hành theo quy trình văn bản đi. Câu trả lời có document."
        ),
        tags=TAGS,
        request=IssueDraftSerializer,
        responses={201: ProgramDetailSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="issue-draft")
    def issue_draft(self, request: Request, pk: Any = None) -> Response:
        program = self._get(pk)
        serializer = IssueDraftSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.program_issue_draft(actor=request.user, program=program, **serializer.validated_data)
        return self._detail(program, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Báo cáo kết quả thực hiện chương trình theo cơ quan chuẩn bị",
        description=(
            "Số nội dung dự kiến, đã thực hiện, chuyển kỳ sau, không thực hiện và tỷ lệ đã thực hiện của "
            "từng cơ quan chuẩn bị, kèm các nội dung chuyển, không thực hiện và lý do."
        ),
        tags=TAGS,
        responses={200: ReportSerializer, **error_responses(401, 404)},
    )
    @action(detail=True, methods=["get"], url_path="report")
    def report(self, request: Request, pk: Any = None) -> Response:
        report = selectors.program_report(request.user, self._get(pk))
        return Response(ReportSerializer(report).data)


def _item_response(request: Request, item: ProgramItem, status_code: int = 200) -> Response:
    fresh = selectors.item_detail(request.user).get(pk=item.pk)
    return Response(ProgramItemSerializer(fresh).data, status=status_code)


@extend_schema_view(
    retrieve=extend_schema(
        summary="Một nội dung chương trình công tác",
        description=_DESCRIPTION,
        tags=TAGS,
        responses={200: ProgramItemSerializer, **error_responses(401, 404)},
    ),
)
class ProgramItemViewSet(viewsets.GenericViewSet):
    queryset = ProgramItem.objects.none()  # for the schema; requests use the selectors
    serializer_class = ProgramItemSerializer

    def _get(self, pk: Any) -> ProgramItem:
        return one_or_404(selectors.item_detail(self.request.user), pk)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(ProgramItemSerializer(self._get(pk)).data)

    @extend_schema(
        summary="Chuyển nội dung sang chương trình kỳ sau",
        description=(
            "Chương trình nhận phải của cùng cơ quan, cùng cơ quan thực hiện, bắt đầu sau chương trình hiện "
            "tại; lý do bắt buộc. Nội dung cũ thành moved (giữ lý do), nội dung mới (câu trả lời) có "
            "moved_from. Nhiệm vụ của nội dung cũ bị hủy kèm lý do; nội dung mới được giao nhiệm vụ khi "
            "chương trình nhận đã duyệt."
        ),
        tags=TAGS,
        request=ItemMoveSerializer,
        responses={201: ProgramItemSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="move")
    def move(self, request: Request, pk: Any = None) -> Response:
        item = self._get(pk)
        serializer = ItemMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        target = _program_of(request, data.pop("program"))
        new = services.item_move(actor=request.user, item=item, program=target, **data)
        return _item_response(request, new, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Ghi kết quả thực hiện một nội dung",
        description=(
            "state: done (done_on mặc định hôm nay), dropped (cần reason; nhiệm vụ bị hủy), planned. "
            "Chuyển kỳ sau dùng /move/. Kết quả được tổng hợp lên nội dung của chương trình dài hơn."
        ),
        tags=TAGS,
        request=ItemStateSerializer,
        responses={200: ProgramItemSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="state")
    def state(self, request: Request, pk: Any = None) -> Response:
        item = self._get(pk)
        serializer = ItemStateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.item_set_state(actor=request.user, item=item, **serializer.validated_data)
        return _item_response(request, item)

    @extend_schema(
        summary="Chuyển nội dung xuống chương trình ngắn hơn",
        description=(
            "Sao nội dung của chương trình dài hơn (năm, quý, tháng) vào chương trình ngắn hơn của cùng cơ "
            "quan, cùng thời gian; thời gian dự kiến thu hẹp theo chương trình nhận. Mỗi nội dung một lần "
            "trong một chương trình. Câu trả lời là nội dung mới (parent là nội dung gốc)."
        ),
        tags=TAGS,
        request=CarryDownSerializer,
        responses={201: ProgramItemSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="carry-down")
    def carry_down(self, request: Request, pk: Any = None) -> Response:
        item = self._get(pk)
        serializer = CarryDownSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        target = _program_of(request, serializer.validated_data["program"])
        try:
            child = services.item_carry_down(actor=request.user, item=item, program=target)
        except ValidationError as error:
            if hasattr(error, "error_dict") and "item" in error.message_dict:
                raise _invalid("program", " ".join(error.message_dict["item"])) from None
            raise
        return _item_response(request, child, status.HTTP_201_CREATED)


router = SimpleRouter()
router.register("programs", ProgramViewSet, basename="program")
router.register("program-items", ProgramItemViewSet, basename="program-item")

urlpatterns: list = [*router.urls]
