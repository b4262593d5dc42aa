"""API of the files flow: download a document's file, and read a file to propose its
registration fields (capture). See docs/api.md, "Files and capture"."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from vanphong.core.api.schema import error_responses, file_responses
from vanphong.documents import capture
from vanphong.documents.downloads import file_response
from vanphong.documents.services.files import file_signatures_for_user
from vanphong.orgs.access import Capability, can

router = SimpleRouter()


class CaptureUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="PDF, Word (.docx) hoặc ảnh quét (JPEG, PNG, TIFF).")


_NULLABLE: dict[str, Any] = {"allow_null": True, "required": False}
CaptureSerializer = inline_serializer(
    name="Capture",
    fields={
        "symbol": serializers.CharField(help_text="Số, ký hiệu, ví dụ 15-NQ/TU.", **_NULLABLE),
        "doc_type": serializers.CharField(help_text="Mã loại văn bản: NQ, QĐ, CV ...", **_NULLABLE),
        "issuer_name": serializers.CharField(help_text="Tên cơ quan ban hành.", **_NULLABLE),
        "place": serializers.CharField(help_text="Địa danh.", **_NULLABLE),
        "issued_date": serializers.DateField(help_text="Ngày văn bản.", **_NULLABLE),
        "subject": serializers.CharField(help_text="Trích yếu.", **_NULLABLE),
        "signer_name": serializers.CharField(**_NULLABLE),
        "signer_position": serializers.CharField(**_NULLABLE),
        "urgency": serializers.ChoiceField(choices=["khan", "thuong_khan", "hoa_toc"], **_NULLABLE),
        "classification": serializers.ChoiceField(choices=["mat", "toi_mat", "tuyet_mat"], **_NULLABLE),
        "ocr": serializers.BooleanField(help_text="Nội dung có từ nhận dạng ký tự (OCR)."),
        "text": serializers.CharField(help_text="Tối đa 2.000 ký tự đầu của nội dung."),
        "note": serializers.CharField(help_text="Ghi chú khi không đọc được hết.", required=False),
    },
)


class CaptureView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="capture_create",
        summary="Đọc một tệp văn bản, đề xuất thông tin vào sổ",
        description=(
            "Đọc trang đầu (và khối chữ ký ở trang cuối) của tệp PDF, DOCX hoặc bản quét (OCR tiếng Việt "
            "khi máy chủ có Tesseract) và đề xuất các trường vào sổ. Không vào sổ, không lưu tệp. Trường "
            "không đọc được là null. Dành cho người giữ sổ hoặc soạn văn bản."
        ),
        request={"multipart/form-data": CaptureUploadSerializer},
        responses={200: CaptureSerializer, **error_responses(400, 401, 403)},
        tags=["files"],
    )
    def post(self, request: Request) -> Response:
        if not (can(request.user, Capability.REGISTER) or can(request.user, Capability.WRITE)):
            raise PermissionDenied(
                "Chỉ người giữ sổ văn bản hoặc soạn thảo văn bản mới dùng được chức năng đọc tệp."
            )
        data = CaptureUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            proposal = capture.capture_file(data.validated_data["file"])
        except ValidationError as exc:
            raise serializers.ValidationError({"file": exc.messages}) from exc
        return Response(proposal)


class FileDownloadView(APIView):
    @extend_schema(
        operation_id="files_retrieve",
        summary="Tải một tệp văn bản",
        description=(
            "Nguyên bản đúng từng byte như khi tải lên (mã băm SHA-256 trong tiêu đề X-Content-SHA256), "
            "hoặc bản chuyển đổi (bản OCR) với ?derived=1. 404 khi người gọi không được xem văn bản "
            "(văn bản mật trên độ mật được tiếp cận, hoặc không thuộc người cần biết). Mỗi lần tải "
            "được ghi nhật ký."
        ),
        parameters=[
            OpenApiParameter(
                "derived", OpenApiTypes.BOOL, description="1: tải bản chuyển đổi (bản OCR có lớp chữ)."
            )
        ],
        responses={
            **file_responses("Nội dung tệp, với kiểu tệp khi tải lên (bản chuyển đổi: PDF)."),
            **error_responses(401, 404),
        },
        tags=["files"],
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        derived = request.query_params.get("derived", "") in {"1", "true"}
        return file_response(request.user, pk, derived=derived)


class SignatureCheckSerializer(serializers.Serializer):
    """One signature of a PDF as verified (``vanphong.core.signatures.SignatureCheck``)."""

    signer = serializers.CharField(help_text="Tên người ký (hoặc cơ quan) trong chứng thư số.")
    signed_at = serializers.DateTimeField(
        allow_null=True,
        help_text="Thời điểm ký: của dấu thời gian khi có, không thì thời điểm phần mềm ký ghi.",
    )
    intact = serializers.BooleanField(help_text="Phần đã ký còn nguyên vẹn (sai khi một byte bị đổi).")
    trusted = serializers.BooleanField(help_text="Chứng thư số thuộc tổ chức cấp chứng thư được tin cậy.")
    valid = serializers.BooleanField(
        help_text="Hợp lệ: nguyên vẹn, tin cậy, chứng thư còn hiệu lực lúc ký, không bị sửa sau khi ký."
    )
    reason = serializers.CharField(help_text="Kết luận bằng lời, ví dụ: Chữ ký hợp lệ.")
    covers_whole_file = serializers.BooleanField(
        help_text="Chữ ký bao toàn bộ tệp (sai khi có phần được thêm sau, như một chữ ký khác)."
    )
    timestamped = serializers.BooleanField(help_text="Có dấu thời gian của tổ chức cấp dấu thời gian.")
    is_seal = serializers.BooleanField(
        allow_null=True, help_text="Chữ ký số của cơ quan (con dấu); null khi không xác định được."
    )
    certificate_subject = serializers.CharField()
    certificate_serial = serializers.CharField()
    field = serializers.CharField(help_text="Tên ô chữ ký trong tệp PDF.")


class FileSignaturesView(APIView):
    @extend_schema(
        operation_id="files_signatures",
        summary="Chữ ký số của một tệp PDF",
        description=(
            "Kết quả kiểm tra từng chữ ký số của tệp (theo thứ tự ký): người ký, thời điểm, nguyên vẹn, "
            "chứng thư tin cậy (theo danh sách tổ chức cấp chứng thư cấu hình trên máy chủ), hợp lệ và lý "
            "do. Danh sách rỗng khi tệp không có chữ ký số. 404 khi người gọi không được xem văn bản."
        ),
        responses={200: SignatureCheckSerializer(many=True), **error_responses(401, 404)},
        tags=["files"],
    )
    def get(self, request: Request, pk: int) -> Response:
        _file, checks = file_signatures_for_user(user=request.user, file_id=pk)
        return Response(SignatureCheckSerializer(checks, many=True).data)


urlpatterns = [
    path("capture/", CaptureView.as_view(), name="capture"),
    path("files/<int:pk>/", FileDownloadView.as_view(), name="file-download"),
    path("files/<int:pk>/signatures/", FileSignaturesView.as_view(), name="file-signatures"),
]
