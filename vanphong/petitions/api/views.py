"""API of citizen reception and petitions (see /work/shared/API.md, "Citizen reception and
petitions"). Views parse, call ``services`` and answer through ``selectors``: the denouncer's
identity is masked by the selectors and the serializer, each disclosure audited
(``selectors.disclose``)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from vanphong.core.api.errors import ApiError
from vanphong.core.api.schema import error_responses
from vanphong.documents.access import one_or_404
from vanphong.orgs.actors import person_of
from vanphong.orgs.models import Organization, Person
from vanphong.petitions import browse, selectors, services
from vanphong.petitions.api.serializers import (
    DecisionSerializer,
    ExtendSerializer,
    PetitionAssignSerializer,
    PetitionCreateSerializer,
    PetitionSerializer,
    PetitionStatsSerializer,
    ReceptionCreateSerializer,
    ReceptionLinkSerializer,
    ReceptionSerializer,
    ResultSerializer,
)
from vanphong.petitions.models import Petition, Reception, ReceptionSession
from vanphong.tasks.sources import documents_visible_to

TAGS = ["petitions"]
_DESCRIPTION = (
    "Đơn thư thuộc sổ của một cơ quan: người có quyền đọc hồ sơ của cơ quan đó, người vào sổ và cán bộ "
    "được giao xử lý được xem; người khác nhận 404. Danh tính người tố cáo (đơn to_cao) chỉ hiện với người "
    "xử lý (người vào sổ và cán bộ được giao xử lý, khi còn công tác tại cơ quan; lãnh đạo cơ quan chỉ khi "
    "tự nhận xử lý); người khác nhận petitioners: [] và identity_protected: true. related chỉ gồm các đơn "
    "mà người gọi thấy danh tính ở cả hai đơn; duplicate_count là null khi danh tính bị che. Mỗi lần danh "
    "tính được hiện đều được ghi nhật ký."
)
FILES_SCHEMA = {
    "type": "object",
    "properties": {"files[]": {"type": "array", "items": {"type": "string", "format": "binary"}}},
}


MAX_STATS_DAYS = 3660  # ten years, as the statistics page


def _uploads(request: Request) -> list[Any]:
    """The files sent as ``files[]`` (or ``files``) of a multipart request."""
    if not hasattr(request.FILES, "getlist"):
        return []
    return [*request.FILES.getlist("files[]"), *request.FILES.getlist("files")]


def _create_data(request: Request) -> Any:
    """The request's fields; in a multipart request (with ``files[]``) the list of petitioners
    comes as one JSON text field."""
    data = request.data
    if not hasattr(data, "getlist"):
        return data
    plain: dict[str, Any] = {key: data.get(key) for key in data if key not in ("files", "files[]")}
    raw = plain.get("petitioners")
    if isinstance(raw, str):
        try:
            plain["petitioners"] = json.loads(raw) if raw.strip() else []
        except ValueError:
            raise _invalid("petitioners", "petitioners phải là một mảng JSON khi gửi kèm tệp.") from None
    return plain


def _invalid(field: str, message: str) -> ApiError:
    return ApiError(status_code=400, code="invalid", message=message, fields={field: [message]})


def _conflict(error: services.PetitionConflict) -> ApiError:
    fields = error.message_dict
    return ApiError(
        status_code=status.HTTP_409_CONFLICT,
        code="conflict",
        message=" ".join(m for ms in fields.values() for m in ms),
        fields=fields,
    )


def _organization(pk: int | None, field: str, user: Any) -> Organization:
    if pk is None:
        person = person_of(user)
        if person is None:
            raise _invalid(field, "Hãy chọn cơ quan tiếp nhận.")
        org = person.organization
        if org.is_office and org.parent_id is not None:
            return org.parent  # type: ignore[return-value]  # parent_id checked
        return org
    found = Organization.objects.filter(pk=pk).first()
    if found is None:
        raise _invalid(field, f"Không tìm thấy cơ quan, tổ chức có id {pk}.")
    return found


def _person(pk: int | None, field: str) -> Person | None:
    if pk is None:
        return None
    found = Person.objects.filter(pk=pk).first()
    if found is None:
        raise _invalid(field, f"Không tìm thấy cán bộ có id {pk}.")
    return found


def _session(pk: int | None) -> ReceptionSession | None:
    if pk is None:
        return None
    found = ReceptionSession.objects.filter(pk=pk).first()
    if found is None:
        raise _invalid("session", f"Không tìm thấy buổi tiếp có id {pk}.")
    return found


def _specs(rows: list[dict[str, str]]) -> list[services.PetitionerSpec]:
    return [services.PetitionerSpec(r["full_name"], r["address"], r["id_number"], r["phone"]) for r in rows]


def _date_param(request: Request, name: str) -> dt.date | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise _invalid(name, "Ngày không hợp lệ (định dạng YYYY-MM-DD).") from None


@extend_schema_view(
    list=extend_schema(
        summary="Danh sách đơn thư",
        description=_DESCRIPTION,
        tags=TAGS,
        responses={200: PetitionSerializer(many=True), **error_responses(401)},
    ),
    retrieve=extend_schema(
        summary="Một đơn thư",
        description=_DESCRIPTION,
        tags=TAGS,
        responses={200: PetitionSerializer, **error_responses(401, 404)},
    ),
    create=extend_schema(
        summary="Tiếp nhận, vào sổ đơn thư",
        description=(
            "Vào sổ một đơn: số đơn theo cơ quan và năm (liên tục, không trùng), các đơn trước của "
            "cùng người về cùng nội dung (related, so khớp không dấu), hạn xử lý đơn "
            "(deadlines.process_by, ngày làm việc) và nhiệm vụ xử lý đơn. Tệp kèm đơn: gửi multipart với "
            "files[] (khi đó petitioners là một mảng JSON dạng văn bản); một tệp không nhận được thì không "
            "vào sổ gì cả."
        ),
        tags=TAGS,
        request=PetitionCreateSerializer,
        responses={201: PetitionSerializer, **error_responses(400, 401, 403)},
    ),
)
class PetitionViewSet(viewsets.GenericViewSet):
    queryset = Petition.objects.none()  # for the schema; requests use the selectors
    serializer_class = PetitionSerializer

    def _get(self, pk: Any) -> Petition:
        return one_or_404(selectors.petition_detail(self.request.user), pk)

    def _answer(self, petition: Petition, code: int = status.HTTP_200_OK) -> Response:
        selectors.disclose(self.request.user, [petition])
        return Response(PetitionSerializer(petition).data, status=code)

    def list(self, request: Request) -> Response:
        qs = selectors.petition_detail(request.user).order_by("-received_date", "-id")
        page = self.paginate_queryset(qs)
        selectors.disclose(request.user, page or [])
        return self.get_paginated_response(PetitionSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return self._answer(self._get(pk))

    def create(self, request: Request) -> Response:
        serializer = PetitionCreateSerializer(data=_create_data(request))
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        made = services.petition_register(
            actor=request.user,
            organization=_organization(data["organization"], "organization", request.user),
            received_date=data["received_date"],
            channel=data["channel"],
            kind=data["kind"],
            content=data["content"],
            petitioners=_specs(data["petitioners"]),
            respondent=data["respondent"],
            field=data["field"],
            locality=data["locality"],
            complex_case=data["complex"],
            remote_area=data["remote_area"],
            against_party_member=data["against_party_member"],
            handler=_person(data["handler"], "handler"),
            files=_uploads(request),
        )
        return self._answer(self._get(made.pk), status.HTTP_201_CREATED)

    @extend_schema(
        summary="Quyết định xử lý đơn",
        description=(
            "accept (thụ lý: deadlines.resolve_by và nhiệm vụ giải quyết với đơn khiếu nại, tố cáo), "
            "transfer (chuyển, cần to_organization), guide (hướng dẫn), file (lưu đơn, cần reason). "
            "Nhiệm vụ xử lý đơn được hoàn thành. letter: id tệp văn bản tạo ra từ mẫu của cơ quan (thông báo "
            "thụ lý, phiếu chuyển đơn, văn bản hướng dẫn, phiếu đề xuất lưu đơn; .docx). Đơn đã xử lý: 409."
        ),
        tags=TAGS,
        request=DecisionSerializer,
        responses={200: PetitionSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def decision(self, request: Request, pk: Any = None) -> Response:
        petition = self._get(pk)
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        target = None
        if data["to_organization"] is not None:
            target = _organization(data["to_organization"], "to_organization", request.user)
        try:
            services.petition_decide(
                actor=request.user,
                petition=petition,
                action=data["action"],
                to_organization=target,
                reason=data["reason"],
            )
        except services.PetitionConflict as error:
            raise _conflict(error) from None
        return self._answer(self._get(petition.pk))

    @extend_schema(
        summary="Giao cán bộ xử lý đơn",
        description=(
            "Lãnh đạo cơ quan tiếp nhận (quyền chỉ đạo) giao hoặc giao lại cán bộ xử lý đơn: cán bộ "
            "đang công tác tại cơ quan, không phải người bị khiếu nại, tố cáo nêu trong đơn. Cán bộ được "
            "giao thấy danh tính người tố cáo; cán bộ cũ thôi thấy. Đơn đã kết thúc: 409."
        ),
        tags=TAGS,
        request=PetitionAssignSerializer,
        responses={200: PetitionSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: Any = None) -> Response:
        petition = self._get(pk)
        serializer = PetitionAssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        handler = _person(serializer.validated_data["handler"], "handler")
        try:
            services.petition_assign(actor=request.user, petition=petition, handler=handler)
        except services.PetitionConflict as error:
            raise _conflict(error) from None
        return self._answer(self._get(petition.pk))

    @extend_schema(
        summary="Gia hạn giải quyết",
        description=(
            "Lãnh đạo cơ quan gia hạn thời hạn giải quyết đơn đã thụ lý, trong số lần luật cho phép "
            "(tố cáo phức tạp: tối đa hai lần, mỗi lần 30 ngày; tố cáo đảng viên: một lần 30 ngày làm "
            "việc; khiếu nại, kiến nghị, phản ánh: không gia hạn). Nhiệm vụ giải quyết được gia hạn "
            "theo. Đơn không ở bước giải quyết: 409."
        ),
        tags=TAGS,
        request=ExtendSerializer,
        responses={200: PetitionSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, pk: Any = None) -> Response:
        petition = self._get(pk)
        serializer = ExtendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.petition_extend(
                actor=request.user, petition=petition, reason=serializer.validated_data["reason"]
            )
        except services.PetitionConflict as error:
            raise _conflict(error) from None
        return self._answer(self._get(petition.pk))

    @extend_schema(
        summary="Bổ sung tệp cho đơn",
        description="Multipart files[]: tài liệu bổ sung của đơn (người xử lý đơn).",
        tags=TAGS,
        request={"multipart/form-data": FILES_SCHEMA},
        responses={200: PetitionSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def files(self, request: Request, pk: Any = None) -> Response:
        petition = self._get(pk)
        services.petition_attach(actor=request.user, petition=petition, files=_uploads(request))
        return self._answer(self._get(petition.pk))

    @extend_schema(
        summary="Ghi kết quả giải quyết",
        description="Kết quả của đơn đã thụ lý; hoàn thành nhiệm vụ giải quyết. Đơn đã có kết quả: 409.",
        tags=TAGS,
        request=ResultSerializer,
        responses={200: PetitionSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def result(self, request: Request, pk: Any = None) -> Response:
        petition = self._get(pk)
        serializer = ResultSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        document = None
        if data["document"] is not None:
            document = documents_visible_to(request.user).filter(pk=data["document"]).first()
            if document is None:
                raise _invalid("document", "Không tìm thấy văn bản (hoặc đồng chí không được xem).")
        try:
            services.petition_result(
                actor=request.user,
                petition=petition,
                result=data["result"],
                summary=data["summary"],
                document=document,
            )
        except services.PetitionConflict as error:
            raise _conflict(error) from None
        return self._answer(self._get(petition.pk))

    @extend_schema(
        summary="Thống kê đơn thư",
        description=(
            "Số đơn người gọi được xem, nhận trong khoảng from–to (bao gồm hai đầu), theo loại, lĩnh vực "
            "và kết quả. Không có thông tin người gửi."
        ),
        tags=TAGS,
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="Từ ngày (YYYY-MM-DD)."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Đến ngày (YYYY-MM-DD)."),
            OpenApiParameter("organization", OpenApiTypes.INT, description="Chỉ sổ của cơ quan này."),
        ],
        responses={200: PetitionStatsSerializer, **error_responses(400, 401)},
    )
    @action(detail=False, methods=["get"])
    def stats(self, request: Request) -> Response:
        start = _date_param(request, "from")
        end = _date_param(request, "to")
        if start is not None and end is not None and start > end:
            raise _invalid("to", "Ngày kết thúc không được trước ngày bắt đầu.")
        if start is not None and end is not None and (end - start).days > MAX_STATS_DAYS:
            raise _invalid("from", "Khoảng thời gian dài quá 10 năm: hãy chọn khoảng ngắn hơn.")
        organization = None
        raw = request.query_params.get("organization")
        if raw:
            if not raw.isdigit():
                raise _invalid("organization", "Id cơ quan không hợp lệ.")
            organization = _organization(int(raw), "organization", request.user)
        return Response(selectors.stats(request.user, start=start, end=end, organization=organization))


@extend_schema_view(
    list=extend_schema(
        summary="Sổ tiếp công dân",
        description=(
            "Các lượt tiếp công dân người gọi được xem (quyền đọc hồ sơ của cơ quan, hoặc người tiếp, người "
            "ghi sổ), mới nhất trước; lọc theo from, to (YYYY-MM-DD). Công dân bị che như khi ghi sổ."
        ),
        tags=TAGS,
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="Từ ngày (YYYY-MM-DD)."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Đến ngày (YYYY-MM-DD)."),
        ],
        responses={200: ReceptionSerializer(many=True), **error_responses(400, 401)},
    ),
    retrieve=extend_schema(
        summary="Một lượt tiếp công dân",
        tags=TAGS,
        responses={200: ReceptionSerializer, **error_responses(401, 404)},
    ),
    create=extend_schema(
        summary="Ghi sổ tiếp công dân",
        description=(
            "Một lượt tiếp công dân: ngày, người tiếp, công dân đến, nội dung, kết quả, đơn liên quan "
            "(nếu có). Từ 5 người trở lên (citizen_count) là đoàn đông người (group). Khi đơn liên quan là "
            "đơn tố cáo mà người gọi không phải người xử lý, citizens: [] và citizens_protected: true."
        ),
        tags=TAGS,
        request=ReceptionCreateSerializer,
        responses={201: ReceptionSerializer, **error_responses(400, 401, 403)},
    ),
)
class ReceptionViewSet(viewsets.GenericViewSet):
    queryset = Reception.objects.none()  # for the schema
    serializer_class = ReceptionSerializer

    def _context(self, receptions: list[Reception]) -> dict[str, Any]:
        user = self.request.user
        return {"user": user, "masked": browse.masked_receptions(user, receptions)}  # one query

    def _answer_many(self, receptions: list[Reception]) -> Any:
        return ReceptionSerializer(receptions, many=True, context=self._context(receptions)).data

    def list(self, request: Request) -> Response:
        qs = browse.reception_list(
            request.user, start=_date_param(request, "from"), end=_date_param(request, "to")
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self._answer_many(list(page or [])))

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        reception = one_or_404(browse.receptions_visible_to(request.user), pk)
        return Response(ReceptionSerializer(reception, context=self._context([reception])).data)

    def create(self, request: Request) -> Response:
        serializer = ReceptionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        petition = None
        if data["petition"] is not None:
            petition = selectors.petitions_visible_to(request.user).filter(pk=data["petition"]).first()
            if petition is None:
                raise _invalid("petition", "Không tìm thấy đơn (hoặc đồng chí không được xem).")
        receiving = _person(data["receiving_person"], "receiving_person")
        made = services.reception_record(
            actor=request.user,
            organization=_organization(data["organization"], "organization", request.user),
            date=data["date"],
            receiving_person=receiving,
            citizens=_specs(data["citizens"]),
            citizen_count=data["citizen_count"],
            content=data["content"],
            outcome=data["outcome"],
            documents_received=data["documents_received"],
            session=_session(data["session"]),
            petition=petition,
            confidential=data["confidential"],
        )
        return Response(
            ReceptionSerializer(made, context=self._context([made])).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Gắn lượt tiếp với đơn",
        description=(
            "Gắn một lượt tiếp công dân đã ghi sổ với đơn nó dẫn đến (cùng sổ của cơ quan), khi đơn "
            "vào sổ sau buổi tiếp. Gắn với đơn tố cáo thì lượt tiếp được giữ bí mật (confidential) "
            "và giữ như vậy về sau."
        ),
        tags=TAGS,
        request=ReceptionLinkSerializer,
        responses={200: ReceptionSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def link(self, request: Request, pk: Any = None) -> Response:
        reception = one_or_404(browse.receptions_visible_to(request.user), pk)
        serializer = ReceptionLinkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        petition = (
            selectors.petitions_visible_to(request.user)
            .filter(pk=serializer.validated_data["petition"])
            .first()
        )
        if petition is None:
            raise _invalid("petition", "Không tìm thấy đơn (hoặc đồng chí không được xem).")
        linked = services.reception_link(actor=request.user, reception=reception, petition=petition)
        return Response(ReceptionSerializer(linked, context=self._context([linked])).data)
