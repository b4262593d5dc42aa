"""API of the reporting regime (see /work/shared/API.md, "Reporting regime")."""

from __future__ import annotations

import io
from typing import Any

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from vanphong.core.api.errors import ApiError
from vanphong.core.api.schema import error_responses
from vanphong.core.http import download_response
from vanphong.documents.access import one_or_404
from vanphong.orgs.actors import person_of
from vanphong.orgs.models import Organization
from vanphong.reporting import exports, periods, selectors, services
from vanphong.reporting.api.serializers import (
    AggregateSerializer,
    BoardSerializer,
    CloseSerializer,
    RequestCreateSerializer,
    RequestSerializer,
    ReturnSerializer,
    SubmissionCreateSerializer,
    SubmissionSerializer,
)
from vanphong.reporting.models import ReportRequest, ReportSubmission

TAGS = ["reporting"]
PERIOD = OpenApiParameter(
    "period",
    OpenApiTypes.STR,
    description="Kỳ báo cáo (YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY, YYYY-Www; hằng ngày YYYY-MM-DD; theo giờ "
    "YYYY-MM-DDTHH, giờ bắt đầu của lần báo cáo); mặc định kỳ sắp đến hạn "
    "(báo cáo nhanh: ngày, lần đang diễn ra).",
)
_DESCRIPTION = (
    "Yêu cầu báo cáo: nơi yêu cầu (người đọc hoặc soạn thảo cho cơ quan yêu cầu) và từng nơi phải báo cáo "
    "được xem; người khác nhận 404."
)


def _invalid(field: str, message: str) -> ApiError:
    return ApiError(status_code=400, code="invalid", message=message, fields={field: [message]})


def _conflict(error: services.SubmissionConflict) -> ApiError:
    fields = error.message_dict
    return ApiError(
        status_code=status.HTTP_409_CONFLICT,
        code="conflict",
        message=" ".join(m for ms in fields.values() for m in ms),
        fields=fields,
    )


def _organizations(ids: list[int], field: str) -> list[Organization]:
    found = {o.pk: o for o in Organization.objects.filter(pk__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise _invalid(field, f"Không tìm thấy cơ quan, tổ chức có id {', '.join(map(str, missing[:10]))}.")
    return [found[i] for i in ids]


def _requester_default(user: Any) -> Organization:
    """The caller's organisation; for a Văn phòng, the committee it works for."""
    person = person_of(user)
    if person is None:
        raise _invalid("organization", "Hãy chọn cơ quan yêu cầu báo cáo.")
    org = person.organization
    if org.is_office and org.parent_id is not None:
        return org.parent  # type: ignore[return-value]  # parent_id checked
    return org


def _period_param(report: ReportRequest, raw: str | None) -> str:
    """The period asked for (checked for the request's frequency), or the default one."""
    if raw is None or raw == "":
        return selectors.default_period(report)
    if report.frequency == periods.ONCE:
        raise _invalid("period", "Yêu cầu báo cáo một lần không chia kỳ: bỏ tham số period.")
    try:
        return selectors.request_period(report, raw).key
    except periods.PeriodError as error:
        raise _invalid("period", str(error)) from None


@extend_schema_view(
    list=extend_schema(
        summary="Danh sách yêu cầu báo cáo",
        description="Các yêu cầu báo cáo người gọi đã gửi (cơ quan mình yêu cầu) hoặc phải trả lời. "
        + _DESCRIPTION,
        tags=TAGS,
        responses={200: RequestSerializer(many=True), **error_responses(401)},
    ),
    retrieve=extend_schema(
        summary="Một yêu cầu báo cáo, với mẫu báo cáo",
        description=_DESCRIPTION,
        tags=TAGS,
        responses={200: RequestSerializer, **error_responses(401, 404)},
    ),
    create=extend_schema(
        summary="Tạo yêu cầu báo cáo gửi cấp dưới",
        description=(
            "Người soạn thảo được cho cơ quan yêu cầu (cán bộ Văn "
            "phòng, lãnh đạo) gửi yêu cầu tới các cơ quan, "
            "tổ chức cấp dưới. Báo cáo của mỗi nơi cho mỗi kỳ là một "
            "nhiệm vụ: kỳ hiện tại và kỳ tới được giao "
            "ngay, các kỳ sau do tác vụ hằng ngày giao. Hạn rơi vào ngày "
            "nghỉ được lùi sang ngày làm việc kế tiếp."
        ),
        tags=TAGS,
        request=RequestCreateSerializer,
        responses={201: RequestSerializer, **error_responses(400, 401, 403)},
    ),
)
class ReportRequestViewSet(viewsets.GenericViewSet):
    queryset = ReportRequest.objects.none()  # for the schema; requests use the selectors
    serializer_class = RequestSerializer

    def _get(self, pk: Any) -> ReportRequest:
        return one_or_404(selectors.request_detail(self.request.user), pk)

    def _requester(self, pk: Any) -> ReportRequest:
        report = self._get(pk)
        if not selectors.is_requester_side(self.request.user, report):
            raise ApiError(status_code=404, code="not_found", message="Không tìm thấy.")
        return report

    def list(self, request: Request) -> Response:
        qs = selectors.request_detail(request.user).order_by("-created_at", "-id")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(RequestSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(RequestSerializer(self._get(pk)).data)

    def create(self, request: Request) -> Response:
        serializer = RequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["organization"] is None:
            organization = _requester_default(request.user)
        else:
            organization = _organizations([data["organization"]], "organization")[0]
        recipients = _organizations(list(dict.fromkeys(data["recipients"])), "recipients")
        made = services.request_create(
            actor=request.user,
            organization=organization,
            title=data["title"],
            frequency=data["frequency"],
            recipients=recipients,
            due_day=data["due_day"],
            due_date=data["due_date"],
            indicators=[
                services.IndicatorSpec(i["code"], i["name"], i["unit"], i["min"], i["max"], i["source"])
                for i in data["indicators"]
            ],
            sections=data["sections"],
            urgent=data["urgent"],
            interval_hours=data["interval_hours"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
        )
        return Response(RequestSerializer(self._get(made.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Kết thúc yêu cầu báo cáo",
        description=(
            "Người tạo yêu cầu hoặc lãnh đạo cơ quan yêu cầu (lãnh đạo Văn phòng) kết thúc yêu cầu (hết bão, "
            "thôi yêu cầu báo cáo định kỳ), nêu lý do: không giao thêm kỳ nào; các báo cáo chưa gửi và chưa "
            "đến hạn được rút lại, nhiệm vụ của chúng bị hủy; báo cáo đã gửi, đã quá hạn giữ nguyên. "
            "Sau đó không nhận báo cáo các kỳ sau khi kết thúc (400). Nơi báo cáo nhận 404."
        ),
        tags=TAGS,
        request=CloseSerializer,
        responses={200: RequestSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="close")
    def close(self, request: Request, pk: Any = None) -> Response:
        report = self._requester(pk)
        serializer = CloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.request_close(actor=request.user, request=report, reason=serializer.validated_data["reason"])
        return Response(RequestSerializer(self._get(pk)).data)

    @extend_schema(
        summary="Theo dõi gửi báo cáo của một kỳ",
        description=(
            "Tình trạng của từng nơi: pending (chưa nộp, chưa đến "
            "hạn), overdue (quá hạn chưa nộp), submitted "
            "(nộp đúng hạn), submitted_late (nộp muộn), returned (bị "
            "trả lại), draft (đang soạn). Hạn tính cả gia hạn của nhiệm vụ; báo cáo theo giờ quá hạn sau giờ "
            "kết thúc của lần báo cáo (due_at). Nơi yêu cầu "
            "thấy mọi nơi; một nơi báo cáo chỉ thấy dòng của mình."
        ),
        tags=TAGS,
        parameters=[PERIOD],
        responses={200: BoardSerializer, **error_responses(400, 401, 404)},
    )
    @action(detail=True, methods=["get"], url_path="board")
    def board(self, request: Request, pk: Any = None) -> Response:
        report = self._get(pk)
        period = _period_param(report, request.query_params.get("period"))
        return Response(BoardSerializer(selectors.board(request.user, report, period)).data)

    @extend_schema(
        summary="Tổng hợp số liệu của một kỳ",
        description=(
            "Tổng từng chỉ tiêu của các báo cáo đã gửi, số liệu từng "
            "nơi, so với kỳ trước và cùng kỳ năm trước "
            "(null khi chưa có số liệu). Chỉ nơi yêu cầu xem được (404 với nơi báo cáo). Bảng tính Excel của "
            "kỳ: GET /api/v1/report-requests/{id}/aggregate.xlsx?period=."
        ),
        tags=TAGS,
        parameters=[PERIOD],
        responses={200: AggregateSerializer, **error_responses(400, 401, 404)},
    )
    @action(detail=True, methods=["get"], url_path="aggregate")
    def aggregate(self, request: Request, pk: Any = None) -> Response:
        report = self._requester(pk)
        period = _period_param(report, request.query_params.get("period"))
        result = selectors.aggregate(report, period)
        return Response(
            {
                "period": result.period or None,
                "period_label": result.label,
                "previous_period": result.previous,
                "same_period_last_year": result.last_year,
                "submitted": result.submitted,
                "expected": result.expected,
                "indicators": [i.as_json() for i in result.indicators],
            }
        )

    @extend_schema(
        summary="Tổng hợp chỉ tiêu của một kỳ, tệp Excel",
        description="Bên yêu cầu tải được; kỳ theo ?period= như trang tổng hợp. 404 với người khác.",
        tags=TAGS,
        parameters=[
            OpenApiParameter("period", OpenApiTypes.STR, description="Kỳ báo cáo (YYYY-MM, YYYY-Qn…).")
        ],
        responses={
            (200, exports.XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="Tệp Excel (.xlsx)."),
            **error_responses(400, 401, 404),
        },
    )
    @action(detail=True, methods=["get"], url_path="export")
    def export(self, request: Request, pk: Any = None) -> FileResponse:
        report = self._requester(pk)
        period = _period_param(report, request.query_params.get("period"))
        result = selectors.aggregate(report, period)
        data = exports.aggregate_workbook(result, selectors.board(request.user, report, period))
        return download_response(
            io.BytesIO(data), name=exports.workbook_name(result), content_type=exports.XLSX
        )


@extend_schema_view(
    retrieve=extend_schema(
        summary="Một báo cáo (một nơi, một kỳ)",
        description="Chỉ nơi yêu cầu và chính nơi gửi báo cáo xem được; nơi khác nhận 404.",
        tags=TAGS,
        responses={200: SubmissionSerializer, **error_responses(401, 404)},
    ),
    create=extend_schema(
        summary="Lưu nháp hoặc gửi báo cáo",
        description=(
            "Người soạn thảo được cho nơi báo cáo nhập số liệu (values), nội dung (text), tệp (files). "
            "Trước khi gửi, nơi yêu cầu chỉ thấy tình trạng (contents_visible false). "
            "submit=false lưu nháp; gửi lại cho cùng yêu cầu, kỳ, nơi báo cáo thì cập nhật bản nháp. "
            "submit=true gửi báo cáo (đủ số liệu mọi chỉ tiêu) và hoàn "
            "thành nhiệm vụ của kỳ; sau hạn là nộp muộn. "
            "Báo cáo đã gửi chỉ sửa được khi nơi yêu cầu trả lại: 409 (mã conflict)."
        ),
        tags=TAGS,
        request={
            "application/json": SubmissionCreateSerializer,
            "multipart/form-data": SubmissionCreateSerializer,
        },
        responses={200: SubmissionSerializer, **error_responses(400, 401, 403, 409)},
    ),
)
class ReportSubmissionViewSet(viewsets.GenericViewSet):
    queryset = ReportSubmission.objects.none()  # for the schema; requests use the selectors
    serializer_class = SubmissionSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def _get(self, pk: Any) -> ReportSubmission:
        return one_or_404(selectors.submission_detail(self.request.user), pk)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(SubmissionSerializer(self._get(pk), context={"request": request}).data)

    def create(self, request: Request) -> Response:
        serializer = SubmissionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        report = selectors.requests_visible_to(request.user).filter(pk=data["request"]).first()
        if report is None:
            raise _invalid("request", "Không tìm thấy yêu cầu báo cáo (hoặc đồng chí không được xem).")
        if data["organization"] is not None:
            organization = _organizations([data["organization"]], "organization")[0]
        else:
            organization = self._own_recipient(report)
        submission = services.find_submission(report, organization, data["period"])
        try:
            services.submission_save(
                actor=request.user,
                submission=submission,
                values=data["values"],
                text=data["text"],
                uploads=data["files"],
                submit=data["submit"],
            )
        except services.SubmissionConflict as error:
            raise _conflict(error) from None
        return Response(SubmissionSerializer(self._get(submission.pk), context={"request": request}).data)

    def _own_recipient(self, report: ReportRequest) -> Organization:
        """The recipient the caller writes for: their own organisation, else the only one."""
        person = person_of(self.request.user)
        recipients = list(report.recipients.all())
        if person is not None and any(o.pk == person.organization_id for o in recipients):
            return person.organization
        mine = [o for o in recipients if selectors.may_submit_for(self.request.user, o)]
        if len(mine) == 1:
            return mine[0]
        raise _invalid("organization", "Hãy chọn cơ quan gửi báo cáo.")

    @extend_schema(
        summary="Trả lại báo cáo để bổ sung, sửa",
        description=(
            "Nơi yêu cầu trả lại báo cáo đã gửi, nêu lý do; nhiệm vụ của nơi báo cáo mở lại, nơi báo cáo sửa "
            "và gửi lại."
        ),
        tags=TAGS,
        request=ReturnSerializer,
        responses={200: SubmissionSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: Any = None) -> Response:
        submission = self._get(pk)
        serializer = ReturnSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.submission_return(
            actor=request.user, submission=submission, reason=serializer.validated_data["reason"]
        )
        return Response(SubmissionSerializer(self._get(pk), context={"request": request}).data)
