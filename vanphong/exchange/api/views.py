"""API of the exchange (/work/shared/API.md, "Exchange and signatures"): an issued document as
an edXML package, a package imported from a file or delivered by a peer instance, the packages
and deliveries a văn thư sees, a received package registered in one step, and where one of our
documents stands at each recipient."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from vanphong.core.api.errors import ApiError, error_body
from vanphong.core.api.schema import error_responses, file_responses
from vanphong.documents.access import documents_visible_to, one_or_404
from vanphong.documents.models import DocumentState
from vanphong.exchange import selectors, services, transport
from vanphong.exchange.models import Delivery, LowerFigures, Package, PackageState
from vanphong.exchange.selectors_figures import lower_figures_for
from vanphong.orgs.access import Capability, organizations_with
from vanphong.orgs.models import Organization


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="Gói tin edXML (QCVN 102:2016).")
    organization = serializers.IntegerField(
        required=False, help_text="Id cơ quan nhận; mặc định cơ quan đầu tiên người gọi giữ sổ."
    )


class InboxSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="Gói tin edXML, hoặc số liệu tổng hợp (JSON) khi kind=figures.")
    organization = serializers.CharField(
        required=False, allow_blank=True, help_text="Mã định danh điện tử của cơ quan nhận."
    )
    kind = serializers.ChoiceField(choices=["edxml", "figures"], required=False, default="edxml")


ReceivedSerializer = inline_serializer(
    name="ExchangeReceived",
    fields={
        "id": serializers.IntegerField(help_text="Id gói tin."),
        "document": serializers.IntegerField(
            allow_null=True, help_text="Id văn bản gói tin tạo ra hoặc tác động."
        ),
        "status": serializers.ChoiceField(choices=["accepted", "refused"]),
        "kind": serializers.CharField(),
        "queue": serializers.CharField(allow_null=True, help_text="waiting, registered, discarded"),
        "created": serializers.BooleanField(help_text="false: gói tin đã nhận trước đó, không vào sổ lại."),
    },
)


class PackageSerializer(serializers.ModelSerializer):
    queue = serializers.SerializerMethodField()
    organization_name = serializers.CharField(source="organization.name", default=None, read_only=True)
    peer = serializers.CharField(source="peer.code", default=None, read_only=True)

    class Meta:
        model = Package
        fields = [
            "id",
            "direction",
            "kind",
            "state",
            "reason",
            "peer",
            "organization",
            "organization_name",
            "sender_id",
            "sender_name",
            "document_key",
            "status_code",
            "document",
            "queue",
            "sha256",
            "size",
            "details",
            "created_at",
        ]

    def get_queue(self, package: Package) -> str | None:
        return package.arrival.state if package.arrival_id else None  # type: ignore[union-attr]


class DeliverySerializer(serializers.ModelSerializer):
    peer = serializers.CharField(source="peer.code", read_only=True)
    document = serializers.IntegerField(source="package.document_id", allow_null=True, read_only=True)
    kind = serializers.CharField(source="package.kind", read_only=True)
    recipient_name = serializers.CharField(source="recipient.name", default=None, read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "package",
            "kind",
            "document",
            "peer",
            "recipient",
            "recipient_name",
            "state",
            "attempts",
            "next_attempt_at",
            "last_error",
            "delivered_at",
            "remote_id",
        ]


class StatusSerializer(serializers.Serializer):
    recipient = serializers.IntegerField(allow_null=True)
    recipient_name = serializers.CharField()
    code = serializers.CharField(help_text="Mã trạng thái QCVN 102: 01 đã đến … 06 hoàn thành.")
    label = serializers.CharField()  # type: ignore[assignment]
    description = serializers.CharField()
    reported_at = serializers.DateTimeField()


DocumentExchangeSerializer = inline_serializer(
    name="DocumentExchange",
    fields={
        "deliveries": DeliverySerializer(many=True),
        "statuses": StatusSerializer(many=True),
    },
)


def _read_upload(upload: Any) -> bytes:
    return b"".join(upload.chunks())


def _received(received: services.Received) -> dict[str, Any]:
    package = received.package
    return {
        "id": package.pk,
        "document": package.document_id,
        "status": package.state,
        "kind": package.kind,
        "queue": package.arrival.state if package.arrival_id else None,  # type: ignore[union-attr]
        "created": received.created,
    }


def _refused(exc: services.PackageRefused) -> Response:
    body = error_body("refused", exc.package.reason)
    body["id"] = exc.package.pk
    body["status"] = PackageState.REFUSED
    return Response(body, status=status.HTTP_400_BAD_REQUEST)


class PackageEdxmlView(APIView):
    @extend_schema(
        operation_id="outgoing_edxml",
        summary="Gói tin edXML của văn bản đã phát hành",
        description=(
            "Văn bản đã phát hành dưới dạng gói tin edXML (QCVN 102:2016), kèm các tệp (bản chính đã ký "
            "số thay "
            "bản chưa ký). Dùng để chuyển bằng tệp khi hai mạng không nối với nhau. Văn bản mật không gửi "
            "liên thông (400). Văn bản người gọi không xem được: 404."
        ),
        responses={**file_responses("Gói tin edXML."), **error_responses(400, 401, 403, 404)},
        tags=["exchange"],
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        document = one_or_404(documents_visible_to(request.user).filter(state=DocumentState.ISSUED), pk)
        package = services.document_export(actor=request.user, document=document)
        name = (document.symbol or f"van-ban-{document.pk}").replace("/", "-") + ".edxml"
        response = FileResponse(
            package.file.open("rb"), content_type="application/xml", as_attachment=True, filename=name
        )
        return response


class ImportView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="exchange_import",
        summary="Nhập một gói tin edXML",
        description=(
            "Gói tin văn bản mới: văn bản chờ vào sổ của cơ quan nhận với đủ thông tin (201). Gửi lại "
            "đúng gói "
            "tin đó (hoặc gói tin khác của cùng văn bản, cùng nơi gửi): trả về gói tin đã nhận, không vào "
            "sổ lại "
            "(200). Gói tin thu hồi, cập nhật, thay thế tác động lên văn bản nó nêu; gói tin trạng thái "
            "cập nhật "
            "tình trạng ở nơi nhận của văn bản đi. Gói tin sai cấu trúc: 400 kèm lý do, gói tin được giữ "
            "lại để "
            "kiểm tra. Người gọi phải là văn thư của cơ quan nhận (403)."
        ),
        request={"multipart/form-data": ImportSerializer},
        responses={201: ReceivedSerializer, 200: ReceivedSerializer, **error_responses(400, 401, 403, 404)},
        tags=["exchange"],
    )
    def post(self, request: Request) -> Response:
        data = ImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        keeping = organizations_with(request.user, Capability.REGISTER)
        organization: Organization | None
        if data.validated_data.get("organization") is not None:
            organization = one_or_404(
                Organization.objects.filter(pk__in=keeping), data.validated_data["organization"]
            )
        else:
            organization = Organization.objects.filter(pk__in=keeping, hosted=True).order_by("path").first()
            if organization is None:
                raise PermissionDenied("Chỉ văn thư mới nhập được gói tin liên thông.")
        upload = data.validated_data["file"]
        try:
            received = services.package_receive(
                actor=request.user,
                data=_read_upload(upload),
                organization=organization,
                name=upload.name or "",
            )
        except services.PackageRefused as exc:
            return _refused(exc)
        return Response(_received(received), status=201 if received.created else 200)


class InboxView(APIView):
    """For a peer instance: no session, no user; the request is signed (transport.verify)."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    parser_classes = [MultiPartParser]
    throttle_classes: list[Any] = []

    @extend_schema(
        operation_id="exchange_inbox",
        summary="Hộp thư liên thông (dành cho hệ thống khác)",
        description=(
            "Như nhập gói tin, cho một hệ thống liên thông đã khai báo: xác thực bằng các tiêu đề "
            "X-Vanphong-Instance, X-Vanphong-Timestamp và X-Vanphong-Signature (HMAC-SHA256 với khóa hai "
            "bên đã "
            "trao đổi, trên mã hệ thống, thời điểm, loại, cơ quan nhận và SHA-256 của tệp). Sai xác thực: "
            "401; "
            "chữ ký không khớp nội dung (gói tin bị thay đổi trên đường truyền): 400, gói tin được giữ "
            "lại để "
            "kiểm tra. kind=figures: số liệu tổng hợp của cấp dưới (JSON)."
        ),
        request={"multipart/form-data": InboxSerializer},
        responses={201: ReceivedSerializer, 200: ReceivedSerializer, **error_responses(400, 401)},
        tags=["exchange"],
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = InboxSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        content = _read_upload(upload)
        kind = data.validated_data.get("kind") or "edxml"
        organization_key = (data.validated_data.get("organization") or "").strip()
        try:
            verified = transport.verify(
                headers=request.headers, kind=kind, organization=organization_key, data=content
            )
        except transport.Unauthenticated as exc:
            raise ApiError(status_code=401, code="authentication_failed", message=str(exc)) from None
        except transport.Altered as exc:
            kept = services.refuse_altered(peer=exc.peer, data=content, name=upload.name or "")
            return _refused(services.PackageRefused(kept))
        try:
            if verified.kind == "figures":
                received = services.figures_inbound(peer=verified.peer, data=content)
            else:
                organization = services.organization_for_key(verified.peer, organization_key)
                received = services.package_receive(
                    actor=None,
                    data=content,
                    organization=organization,
                    peer=verified.peer,
                    name=upload.name or "",
                )
        except services.PackageRefused as exc:
            return _refused(exc)
        return Response(_received(received), status=201 if received.created else 200)


class PackageListView(GenericAPIView):
    queryset = Package.objects.none()  # for the schema; requests use the selectors
    serializer_class = PackageSerializer

    @extend_schema(
        operation_id="exchange_packages_list",
        summary="Gói tin liên thông đã gửi, đã nhận",
        description="Gói tin của các cơ quan người gọi giữ sổ. Lọc: direction (in, out), state, kind, q.",
        responses={200: PackageSerializer(many=True), **error_responses(401)},
        tags=["exchange"],
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        packages = selectors.package_list(
            request.user,
            direction=params.get("direction", "")[:3],
            state=params.get("state", "")[:10],
            kind=params.get("kind", "")[:10],
            q=params.get("q", "")[:100],
        )
        page = self.paginate_queryset(packages)
        return self.get_paginated_response(PackageSerializer(page, many=True).data)


class PackageDetailView(APIView):
    @extend_schema(
        operation_id="exchange_packages_retrieve",
        summary="Một gói tin liên thông",
        responses={200: PackageSerializer, **error_responses(401, 404)},
        tags=["exchange"],
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(PackageSerializer(one_or_404(selectors.packages_visible_to(request.user), pk)).data)


RegisterSerializer = inline_serializer(
    name="ExchangeRegistered",
    fields={
        "entry": serializers.IntegerField(help_text="Id mục sổ văn bản đến."),
        "document": serializers.IntegerField(),
        "register_number": serializers.IntegerField(help_text="Số đến."),
    },
)


class PackageRegisterView(APIView):
    @extend_schema(
        operation_id="exchange_packages_register",
        summary="Vào sổ văn bản của gói tin (một bước)",
        description=(
            "Vào sổ văn bản đến văn bản gói tin mang đến, với đủ thông tin của gói tin; bên gửi nhận "
            "trạng thái "
            "03 (đã tiếp nhận). Đã vào sổ hoặc đã loại bỏ: 400."
        ),
        request=None,
        responses={201: RegisterSerializer, **error_responses(400, 401, 403, 404)},
        tags=["exchange"],
    )
    def post(self, request: Request, pk: int) -> Response:
        package = one_or_404(selectors.packages_visible_to(request.user), pk)
        entry = services.package_register(actor=request.user, package=package)
        return Response(
            {"entry": entry.pk, "document": entry.document_id, "register_number": entry.number}, status=201
        )


class DeliveryListView(GenericAPIView):
    queryset = Delivery.objects.none()
    serializer_class = DeliverySerializer

    @extend_schema(
        operation_id="exchange_deliveries_list",
        summary="Hàng đợi gửi liên thông",
        description=(
            "Các lượt gửi: đang chờ (pending), đã chuyển (delivered), không gửi được (failed). Lọc: state."
        ),
        responses={200: DeliverySerializer(many=True), **error_responses(401)},
        tags=["exchange"],
    )
    def get(self, request: Request) -> Response:
        deliveries = selectors.deliveries_visible_to(request.user).order_by("-created_at", "-id")
        state = request.query_params.get("state", "")[:10]
        if state:
            deliveries = deliveries.filter(state=state)
        page = self.paginate_queryset(deliveries)
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)


class DeliveryRetryView(APIView):
    @extend_schema(
        operation_id="exchange_deliveries_retry",
        summary="Gửi lại một lượt gửi không thành công",
        request=None,
        responses={200: DeliverySerializer, **error_responses(400, 401, 403, 404)},
        tags=["exchange"],
    )
    def post(self, request: Request, pk: int) -> Response:
        delivery = one_or_404(selectors.deliveries_visible_to(request.user), pk)
        return Response(
            DeliverySerializer(services.delivery_retry(actor=request.user, delivery=delivery)).data
        )


class DocumentExchangeView(APIView):
    @extend_schema(
        operation_id="outgoing_exchange",
        summary="Tình hình gửi liên thông của văn bản đi",
        description="Các lượt gửi đến từng nơi nhận và trạng thái xử lý nơi nhận báo về (mới nhất trước).",
        responses={200: DocumentExchangeSerializer, **error_responses(401, 404)},
        tags=["exchange"],
    )
    def get(self, request: Request, pk: int) -> Response:
        document = one_or_404(documents_visible_to(request.user).exclude(state=DocumentState.RECEIVED), pk)
        statuses = selectors.statuses_of(document.pk)
        for row in statuses:
            row.pop("history", None)
        return Response(
            {
                "deliveries": DeliverySerializer(selectors.deliveries_of(document.pk), many=True).data,
                "statuses": StatusSerializer(statuses, many=True).data,
            }
        )


class LowerFiguresSerializer(serializers.ModelSerializer):
    peer = serializers.CharField(source="peer.code", read_only=True)

    class Meta:
        model = LowerFigures
        fields = [
            "id",
            "peer",
            "organization",
            "organization_key",
            "organization_name",
            "as_of",
            "figures",
            "received_at",
        ]


class LowerFiguresListView(GenericAPIView):
    queryset = LowerFigures.objects.none()
    serializer_class = LowerFiguresSerializer

    @extend_schema(
        operation_id="exchange_figures_list",
        summary="Số liệu tổng hợp cấp dưới gửi lên (mô hình hai cấp)",
        description=(
            "Số liệu mới nhất của từng cơ quan cấp dưới mà hệ thống cấp dưới gửi lên qua liên thông: "
            "thống kê nhiệm vụ, chỉ tiêu báo cáo. Chỉ những cơ quan người gọi được xem."
        ),
        responses={200: LowerFiguresSerializer(many=True), **error_responses(401)},
        tags=["exchange"],
    )
    def get(self, request: Request) -> Response:
        rows = lower_figures_for(request.user).select_related("peer").order_by("organization_name", "pk")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(LowerFiguresSerializer(page, many=True).data)
