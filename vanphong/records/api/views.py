"""API of the records and the archive (see /work/shared/API.md, "Records and archive", and
docs/api.md). Views parse, fetch through ``selectors`` (outside the caller's reach, a classified
record above their clearance included: 404), call ``services`` and answer; a service's
``PermissionDenied`` on a visible object is the API's 403 and its ``ValidationError`` the 400,
by the exception handler of ``core.api.errors``."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from vanphong.core.api.errors import ApiError
from vanphong.core.api.schema import error_responses
from vanphong.documents.access import documents_visible_to, one_or_404
from vanphong.orgs.actors import Actor, person_of
from vanphong.orgs.models import Organization, Person, Unit
from vanphong.petitions.selectors import petitions_visible_to
from vanphong.programs.selectors.meetings import meetings_visible_to
from vanphong.records import package, selectors, services
from vanphong.records.api.serializers import (
    MAX_ID,
    ArchiveRequestCreateSerializer,
    ArchiveRequestSerializer,
    DecideSerializer,
    DisposalCreateSerializer,
    DisposalSerializer,
    FilePlanCreateSerializer,
    FilePlanSerializer,
    HandOverSerializer,
    PackageImportResultSerializer,
    PackageImportSerializer,
    PlanFilterSerializer,
    ReasonSerializer,
    RecordCloseSerializer,
    RecordCreateSerializer,
    RecordDetailSerializer,
    RecordFileSerializer,
    RecordFilterSerializer,
    RecordItemSerializer,
    RecordSerializer,
    TransferCreateSerializer,
    TransferSerializer,
)
from vanphong.records.models import (
    ArchiveRequest,
    Disposal,
    FilePlan,
    PlanItem,
    Record,
    RecordItem,
    RecordState,
    Transfer,
)
from vanphong.records.selectors_archive import disposals_visible_to

TAGS = ["records"]
ZIP = "application/zip"
_WHO = (
    "Hồ sơ của một cơ quan: người có quyền đọc tài liệu của cơ quan đó và người lập hồ sơ (người mở, "
    "người được giao, cán bộ của đơn vị lập) được xem, trong phạm vi độ mật được tiếp cận; người khác "
    "nhận 404. Thao tác trên hồ sơ xem được nhưng không có quyền: 403 với lý do."
)


# --- Parsing helpers ---------------------------------------------------------------------------


def _invalid(field: str, message: str) -> ApiError:
    return ApiError(status_code=400, code="invalid", message=message, fields={field: [message]})


def _get(qs: QuerySet[Any], pk: Any) -> Any:
    """One row of a queryset the selectors restricted, or 404 (also for an id no row can have)."""
    try:
        number = int(str(pk))
    except ValueError:
        raise Http404 from None
    if not 1 <= number <= MAX_ID:
        raise Http404
    return one_or_404(qs, number)


def _filters(request: Request, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
    """A list's query parameters, parsed and checked (an empty one is absent): 400 ``invalid``
    naming the parameter otherwise."""
    names = serializer_class().fields.keys()
    given = {name: request.query_params.get(name, "") for name in names}
    serializer = serializer_class(data={name: value for name, value in given.items() if value.strip()})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _default_organization(user: Actor) -> Organization:
    """The caller's organisation; for the staff of a committee's Văn phòng, the committee (the
    office keeps the committee's records)."""
    person = person_of(user)
    if person is None:
        raise _invalid("organization", "Hãy chọn cơ quan.")
    org = person.organization
    if org.is_office and org.parent is not None:
        return org.parent
    return org


def _organization(pk: int | None, user: Actor, field: str = "organization") -> Organization:
    if pk is None:
        return _default_organization(user)
    found = Organization.objects.filter(pk=pk).first()
    if found is None:
        raise _invalid(field, f"Không tìm thấy cơ quan, tổ chức có id {pk}.")
    return found


def _unit(pk: int | None, field: str = "unit") -> Unit | None:
    if pk is None:
        return None
    found = Unit.objects.filter(pk=pk).first()
    if found is None:
        raise _invalid(field, f"Không tìm thấy đơn vị có id {pk}.")
    return found


def _person(pk: int | None, field: str) -> Person | None:
    if pk is None:
        return None
    found = Person.objects.filter(pk=pk).first()
    if found is None:
        raise _invalid(field, f"Không tìm thấy cán bộ có id {pk}.")
    return found


def _records(user: Actor, ids: Sequence[int], field: str = "records") -> list[Record]:
    """The records named by ``ids``, each one the caller may see (else 400 naming the others)."""
    wanted = sorted(set(ids))
    found = list(selectors.records_visible_to(user).filter(pk__in=wanted).select_related("organization"))
    missing = sorted(set(wanted) - {r.pk for r in found})
    if missing:
        shown = ", ".join(str(pk) for pk in missing[:20])
        raise _invalid(field, f"Không tìm thấy hồ sơ có id {shown} (hoặc đồng chí không được xem).")
    return found


# --- File plans --------------------------------------------------------------------------------


def _plans(user: Actor) -> QuerySet[FilePlan]:
    return selectors.plans_visible_to(user).prefetch_related(
        Prefetch("items", queryset=PlanItem.objects.order_by("order", "id"))
    )


@extend_schema_view(
    list=extend_schema(
        summary="Danh mục hồ sơ",
        description=(
            "Các danh mục hồ sơ người gọi được xem (cơ quan mà họ đọc hoặc lập tài liệu), năm mới nhất "
            "trước, kèm các hồ sơ trong danh mục; lọc theo organization, year."
        ),
        tags=TAGS,
        parameters=[
            OpenApiParameter("organization", OpenApiTypes.INT, description="Id cơ quan."),
            OpenApiParameter("year", OpenApiTypes.INT, description="Năm."),
        ],
        responses={200: FilePlanSerializer(many=True), **error_responses(400, 401)},
    ),
    retrieve=extend_schema(
        summary="Một danh mục hồ sơ",
        tags=TAGS,
        responses={200: FilePlanSerializer, **error_responses(401, 404)},
    ),
    create=extend_schema(
        summary="Lập danh mục hồ sơ",
        description=(
            "Danh mục hồ sơ năm của một cơ quan (dự thảo), với các hồ sơ: số và ký hiệu, tiêu đề, thời "
            'hạn bảo quản ("vinh_vien" hoặc số năm), đơn vị lập. Mỗi cơ quan một danh mục mỗi năm.'
        ),
        tags=TAGS,
        request=FilePlanCreateSerializer,
        responses={201: FilePlanSerializer, **error_responses(400, 401, 403)},
    ),
)
class FilePlanViewSet(viewsets.GenericViewSet):
    queryset = FilePlan.objects.none()  # for the schema; requests use the selectors
    serializer_class = FilePlanSerializer

    def _get(self, pk: Any) -> FilePlan:
        return _get(_plans(self.request.user), pk)

    def _answer(self, plan: FilePlan, code: int = status.HTTP_200_OK) -> Response:
        return Response(FilePlanSerializer(self._get(plan.pk)).data, status=code)

    def list(self, request: Request) -> Response:
        qs = _plans(request.user)
        params = _filters(request, PlanFilterSerializer)
        if params["organization"] is not None:
            qs = qs.filter(organization_id=params["organization"])
        if params["year"] is not None:
            qs = qs.filter(year=params["year"])
        page = self.paginate_queryset(qs.order_by("-year", "organization_id", "pk"))
        return self.get_paginated_response(FilePlanSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(FilePlanSerializer(self._get(pk)).data)

    def create(self, request: Request) -> Response:
        serializer = FilePlanCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        items = [
            services.ItemSpec(
                code=row["code"],
                title=row["title"],
                retention_years=row["retention"],
                heading=row["heading"],
                unit=_unit(row["unit"], "items"),
                person=_person(row["person"], "items"),
                construction=row["construction"],
                note=row["note"],
            )
            for row in data["items"]
        ]
        plan = services.plan_create(
            actor=request.user,
            organization=_organization(data["organization"], request.user),
            year=data["year"],
            items=items,
        )
        return self._answer(plan, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Lập danh mục năm sau từ danh mục này",
        description=(
            "Danh mục năm sau (dự thảo), chép mọi hồ sơ của danh mục này với số, ký hiệu, tiêu đề, thời "
            "hạn và người lập. Năm sau đã có danh mục: 400."
        ),
        tags=TAGS,
        request=None,
        responses={201: FilePlanSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="next-year")
    def next_year(self, request: Request, pk: Any = None) -> Response:
        plan = services.plan_carry_over(actor=request.user, plan=self._get(pk))
        return self._answer(plan, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Ban hành danh mục hồ sơ",
        description="Lãnh đạo cơ quan duyệt, ban hành danh mục (dự thảo, có ít nhất một hồ sơ).",
        tags=TAGS,
        request=None,
        responses={200: FilePlanSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        plan = services.plan_approve(actor=request.user, plan=self._get(pk))
        return self._answer(plan)


# --- Records -----------------------------------------------------------------------------------


def _record_detail(user: Actor) -> QuerySet[Record]:
    return (
        selectors.records_visible_to(user)
        .select_related("organization")
        .prefetch_related(Prefetch("items", queryset=RecordItem.objects.order_by("ordinal")))
    )


@extend_schema_view(
    list=extend_schema(
        summary="Danh sách hồ sơ",
        description=(
            _WHO + " Lọc theo organization, year, state; q tìm không dấu trong số, ký hiệu, tiêu đề, từ "
            "khóa, chú giải của hồ sơ và trong số, ký hiệu, tác giả, trích yếu các văn bản của hồ sơ."
        ),
        tags=TAGS,
        parameters=[
            OpenApiParameter("organization", OpenApiTypes.INT, description="Id cơ quan."),
            OpenApiParameter("year", OpenApiTypes.INT, description="Năm hình thành."),
            OpenApiParameter(
                "state", OpenApiTypes.STR, description=" | ".join(RecordState.values), enum=RecordState.values
            ),
            OpenApiParameter("q", OpenApiTypes.STR, description="Từ khóa (không phân biệt dấu)."),
        ],
        responses={200: RecordSerializer(many=True), **error_responses(400, 401)},
    ),
    retrieve=extend_schema(
        summary="Một hồ sơ, với mục lục văn bản",
        description=_WHO,
        tags=TAGS,
        responses={200: RecordDetailSerializer, **error_responses(401, 404)},
    ),
    create=extend_schema(
        summary="Mở hồ sơ",
        description=(
            "Theo danh mục: plan_item (số, ký hiệu, thời hạn, người lập lấy từ danh mục; title mặc định "
            "tiêu đề trong danh mục). Ngoài danh mục: organization, code, title, retention (bắt buộc)."
        ),
        tags=TAGS,
        request=RecordCreateSerializer,
        responses={201: RecordDetailSerializer, **error_responses(400, 401, 403)},
    ),
)
class RecordViewSet(viewsets.GenericViewSet):
    queryset = Record.objects.none()  # for the schema; requests use the selectors
    serializer_class = RecordSerializer

    def _get(self, pk: Any) -> Record:
        return _get(_record_detail(self.request.user), pk)

    def _answer(self, record: Record, code: int = status.HTTP_200_OK) -> Response:
        return Response(RecordDetailSerializer(self._get(record.pk)).data, status=code)

    def list(self, request: Request) -> Response:
        params = _filters(request, RecordFilterSerializer)
        filters = selectors.ArchiveFilters(
            q=params["q"], organization=params["organization"], year=params["year"], state=params["state"]
        )
        page = self.paginate_queryset(selectors.record_list(request.user, filters))
        return self.get_paginated_response(RecordSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(RecordDetailSerializer(self._get(pk)).data)

    def create(self, request: Request) -> Response:
        serializer = RecordCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        common: dict[str, Any] = {
            "actor": request.user,
            "title": data["title"],
            "unit": _unit(data["unit"]),
            "start_date": data["start_date"],
            "keywords": data["keywords"],
            "description": data["description"],
        }
        if data["plan_item"] is not None:
            item = (
                PlanItem.objects.filter(
                    plan__in=selectors.plans_visible_to(request.user), pk=data["plan_item"]
                )
                .select_related("plan__organization")
                .first()
            )
            if item is None:
                raise _invalid(
                    "plan_item", "Không tìm thấy hồ sơ trong danh mục (hoặc đồng chí không được xem)."
                )
            record = services.record_open(plan_item=item, **common)
        else:
            if "retention" not in data:
                raise _invalid(
                    "retention", 'Hồ sơ ngoài danh mục phải có thời hạn bảo quản (số năm hoặc "vinh_vien").'
                )
            record = services.record_open(
                organization=_organization(data["organization"], request.user),
                code=data["code"],
                retention_years=data["retention"],
                year=data["year"],
                construction=data["construction"],
                **common,
            )
        return self._answer(record, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Đưa văn bản vào hồ sơ",
        description=(
            "Một văn bản (document), một cuộc họp (meeting) hoặc một đơn thư (petition) mà người gọi được "
            "xem, vào cuối mục lục của hồ sơ đang lập. Văn bản mật nâng độ mật của hồ sơ."
        ),
        tags=TAGS,
        request=RecordFileSerializer,
        responses={201: RecordItemSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def documents(self, request: Request, pk: Any = None) -> Response:
        record = self._get(pk)
        serializer = RecordFileSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        named = [name for name in ("document", "meeting", "petition") if data[name] is not None]
        if len(named) != 1:
            raise _invalid("document", "Chọn một văn bản, một cuộc họp hoặc một đơn thư để đưa vào hồ sơ.")
        name = named[0]
        sources: dict[str, tuple[Callable[[Actor], QuerySet[Any]], str]] = {
            "document": (documents_visible_to, "Không tìm thấy văn bản (hoặc đồng chí không được xem)."),
            "meeting": (meetings_visible_to, "Không tìm thấy cuộc họp (hoặc đồng chí không được xem)."),
            "petition": (petitions_visible_to, "Không tìm thấy đơn thư (hoặc đồng chí không được xem)."),
        }
        visible, missing = sources[name]
        thing = visible(request.user).filter(pk=data[name]).first()
        if thing is None:
            raise _invalid(name, missing)
        item = services.record_file(actor=request.user, record=record, note=data["note"], **{name: thing})
        return Response(RecordItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Bỏ một văn bản khỏi hồ sơ",
        description="Bỏ mục thứ ordinal khỏi hồ sơ đang lập (bản trùng, bản nháp); mục lục được đánh số lại.",
        tags=TAGS,
        parameters=[
            OpenApiParameter("ordinal", OpenApiTypes.INT, OpenApiParameter.PATH, description="Số thứ tự."),
        ],
        request=None,
        responses={204: None, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["delete"], url_path=r"documents/(?P<ordinal>[0-9]{1,5})")
    def unfile(self, request: Request, pk: Any = None, ordinal: str = "") -> Response:
        record = self._get(pk)
        item = record.items.filter(ordinal=int(ordinal)).first()
        if item is None:
            raise Http404
        services.record_unfile(actor=request.user, item=item)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Kết thúc hồ sơ",
        description=(
            "Khi công việc kết thúc: thời hạn bảo quản được xác định lại (retention, nếu cần) và tính từ "
            "năm kết thúc; retention_until là ngày cuối của năm hết hạn (null với hồ sơ vĩnh viễn). Hồ sơ "
            "bảo quản từ 5 năm trở lên phải nộp lưu: transfer_due (một năm sau ngày kết thúc; hồ sơ xây "
            "dựng cơ bản: ba tháng), là nhiệm vụ của đơn vị lập hồ sơ."
        ),
        tags=TAGS,
        request=RecordCloseSerializer,
        responses={200: RecordDetailSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        record = self._get(pk)
        serializer = RecordCloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        closed = services.record_close(
            actor=request.user,
            record=record,
            end_date=data["end_date"],
            closing_note=data["closing_note"],
            retention_years=data.get("retention", "unchanged"),
            page_total=data["page_total"],
        )
        return self._answer(closed)

    @extend_schema(
        summary="Mở lại hồ sơ đã kết thúc",
        description=(
            "Hồ sơ đã kết thúc, chưa nộp lưu (sót văn bản); nhiệm vụ nộp lưu được hủy, giao lại khi kết thúc."
        ),
        tags=TAGS,
        request=ReasonSerializer,
        responses={200: RecordDetailSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: Any = None) -> Response:
        record = self._get(pk)
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.record_reopen(actor=request.user, record=record, reason=serializer.validated_data["reason"])
        return self._answer(record)

    @extend_schema(
        summary="Phong tỏa hồ sơ",
        description=(
            "Lãnh đạo cơ quan phong tỏa hồ sơ (thanh tra, tố tụng…): hồ sơ bị phong tỏa không được hủy."
        ),
        tags=TAGS,
        request=ReasonSerializer,
        responses={200: RecordDetailSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def hold(self, request: Request, pk: Any = None) -> Response:
        record = self._get(pk)
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.record_hold(actor=request.user, record=record, reason=serializer.validated_data["reason"])
        return self._answer(record)

    @extend_schema(
        summary="Gỡ phong tỏa hồ sơ",
        tags=TAGS,
        request=None,
        responses={200: RecordDetailSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def release(self, request: Request, pk: Any = None) -> Response:
        record = self._get(pk)
        services.record_release(actor=request.user, record=record)
        return self._answer(record)

    @extend_schema(
        summary="Gói lưu trữ BagIt của hồ sơ",
        description=(
            "Tệp .zip theo BagIt: bagit.txt, bag-info.txt, manifest-sha256.txt và data/ với mọi tệp của hồ "
            "sơ mà người gọi được xem cùng metadata.xml (thông tin hồ sơ và mục lục văn bản)."
        ),
        tags=TAGS,
        responses={
            (200, ZIP): OpenApiResponse(OpenApiTypes.BINARY, description="Gói BagIt (.zip)."),
            **error_responses(401, 403, 404),
        },
    )
    @action(detail=True, methods=["get"])
    def package(self, request: Request, pk: Any = None) -> FileResponse:
        record = self._get(pk)
        made = package.record_package(actor=request.user, record=record)
        temp = Path(made.path)
        handle = temp.open("rb")  # closed by the response once sent
        with contextlib.suppress(OSError):
            temp.unlink()  # the open handle keeps the data (POSIX)
        return FileResponse(handle, as_attachment=True, filename=made.filename, content_type=ZIP)

    @extend_schema(
        operation_id="records_import",
        summary="Nhập hồ sơ từ gói BagIt",
        description=(
            "Multipart: file (gói .zip) và organization (cơ quan nhận). Mọi tệp được kiểm tra mã băm theo "
            "manifest; một tệp sai thì không nhận gì: 400 invalid_package, fields.file nêu tệp đầu tiên "
            "không khớp. Thành công: 201 với các hồ sơ đã nhập (id là hồ sơ đầu tiên)."
        ),
        tags=TAGS,
        request={"multipart/form-data": PackageImportSerializer},
        responses={201: PackageImportResultSerializer, **error_responses(400, 401, 403)},
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_package(self, request: Request) -> Response:
        serializer = PackageImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organization = _organization(data["organization"], request.user)
        try:
            records = package.package_import(
                actor=request.user, organization=organization, upload=data["file"]
            )
        except package.PackageRefused as error:
            message = " ".join(error.messages) or "Gói lưu trữ không hợp lệ."
            raise ApiError(
                status_code=400,
                code="invalid_package",
                message=message,
                fields={"file": [error.file] if error.file else []},
            ) from None
        rows = list(_record_detail(request.user).filter(pk__in=[r.pk for r in records]).order_by("pk"))
        body = {"id": rows[0].pk if rows else None, "records": RecordSerializer(rows, many=True).data}
        return Response(body, status=status.HTTP_201_CREATED)


# --- Transfers ---------------------------------------------------------------------------------


def _transfers(user: Actor) -> QuerySet[Transfer]:
    return selectors.transfers_visible_to(user).prefetch_related("records")


@extend_schema_view(
    list=extend_schema(
        summary="Các đợt nộp lưu",
        description="Mục lục hồ sơ nộp lưu của các cơ quan người gọi được xem, mới nhất trước.",
        tags=TAGS,
        responses={200: TransferSerializer(many=True), **error_responses(401)},
    ),
    retrieve=extend_schema(
        summary="Một đợt nộp lưu", tags=TAGS, responses={200: TransferSerializer, **error_responses(401, 404)}
    ),
    create=extend_schema(
        summary="Lập mục lục hồ sơ nộp lưu",
        description="Các hồ sơ đã kết thúc, chưa nộp lưu, của một cơ quan.",
        tags=TAGS,
        request=TransferCreateSerializer,
        responses={201: TransferSerializer, **error_responses(400, 401, 403)},
    ),
)
class TransferViewSet(viewsets.GenericViewSet):
    queryset = Transfer.objects.none()  # for the schema; requests use the selectors
    serializer_class = TransferSerializer

    def _answer(self, transfer: Transfer, code: int = status.HTTP_200_OK) -> Response:
        return Response(
            TransferSerializer(_get(_transfers(self.request.user), transfer.pk)).data, status=code
        )

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(_transfers(request.user).order_by("-created_at", "-id"))
        return self.get_paginated_response(TransferSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(TransferSerializer(_get(_transfers(request.user), pk)).data)

    def create(self, request: Request) -> Response:
        serializer = TransferCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        records = _records(request.user, data["records"])
        if data["organization"] is not None or not records:
            organization = _organization(data["organization"], request.user)
        else:
            organization = records[0].organization
        transfer = services.transfer_create(
            actor=request.user,
            organization=organization,
            records=records,
            unit=_unit(data["unit"]),
            note=data["note"],
        )
        return self._answer(transfer, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Giao nhận hồ sơ nộp lưu",
        description=(
            "Người làm lưu trữ của cơ quan nhận hồ sơ (biên bản giao nhận: số hộp, tình trạng); hồ sơ "
            "không nhận (removed) được rút khỏi mục lục. Các hồ sơ nhận thành đã nộp lưu, nhiệm vụ nộp lưu "
            "hoàn thành."
        ),
        tags=TAGS,
        request=HandOverSerializer,
        responses={200: TransferSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="hand-over")
    def hand_over(self, request: Request, pk: Any = None) -> Response:
        transfer = _get(_transfers(request.user), pk)
        serializer = HandOverSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        removed = [r for r in transfer.records.all() if r.pk in set(data["removed"])]
        if len(removed) != len(set(data["removed"])):
            raise _invalid("removed", "Có hồ sơ không nằm trong đợt nộp lưu này.")
        done = services.transfer_hand_over(
            actor=request.user,
            transfer=transfer,
            boxes=data["boxes"],
            condition=data["condition"],
            removed=removed,
        )
        return self._answer(done)


# --- Archive requests --------------------------------------------------------------------------


def _requests(user: Actor) -> QuerySet[ArchiveRequest]:
    return selectors.requests_visible_to(user).prefetch_related("records")


@extend_schema_view(
    list=extend_schema(
        summary="Phiếu yêu cầu khai thác hồ sơ",
        description=(
            "Phiếu của người gọi, và mọi phiếu của cơ quan mà người gọi giữ lưu trữ hoặc lãnh đạo; "
            "mới nhất trước."
        ),
        tags=TAGS,
        responses={200: ArchiveRequestSerializer(many=True), **error_responses(401)},
    ),
    retrieve=extend_schema(
        summary="Một phiếu khai thác",
        tags=TAGS,
        responses={200: ArchiveRequestSerializer, **error_responses(401, 404)},
    ),
    create=extend_schema(
        summary="Lập phiếu yêu cầu khai thác",
        description=(
            "Hồ sơ đã nộp lưu mà người gọi được xem, của một cơ quan; mục đích; hình thức (read: đọc tại "
            "chỗ, copy: sao chụp, borrow: mượn, cần return_due trong một năm)."
        ),
        tags=TAGS,
        request=ArchiveRequestCreateSerializer,
        responses={201: ArchiveRequestSerializer, **error_responses(400, 401, 403)},
    ),
)
class ArchiveRequestViewSet(viewsets.GenericViewSet):
    queryset = ArchiveRequest.objects.none()  # for the schema; requests use the selectors
    serializer_class = ArchiveRequestSerializer

    def _answer(self, request_: ArchiveRequest, code: int = status.HTTP_200_OK) -> Response:
        fresh = _get(_requests(self.request.user), request_.pk)
        return Response(ArchiveRequestSerializer(fresh).data, status=code)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(_requests(request.user).order_by("-created_at", "-id"))
        return self.get_paginated_response(ArchiveRequestSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(ArchiveRequestSerializer(_get(_requests(request.user), pk)).data)

    def create(self, request: Request) -> Response:
        serializer = ArchiveRequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        made = services.request_create(
            actor=request.user,
            records=_records(request.user, data["records"]),
            purpose=data["purpose"],
            mode=data["mode"],
            return_due=data["return_due"],
        )
        return self._answer(made, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Duyệt phiếu khai thác",
        description=(
            "Lãnh đạo cơ quan duyệt (approve: true) hoặc từ chối (false, cần note). Duyệt cho mượn: việc trả "
            "hồ sơ thành nhiệm vụ của người mượn, hạn là return_due."
        ),
        tags=TAGS,
        request=DecideSerializer,
        responses={200: ArchiveRequestSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: Any = None) -> Response:
        found = _get(_requests(request.user), pk)
        serializer = DecideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        done = services.request_decide(
            actor=request.user, request=found, approve=data["approve"], note=data["note"]
        )
        return self._answer(done)

    @extend_schema(
        summary="Nhận lại hồ sơ cho mượn",
        description="Người làm lưu trữ nhận lại hồ sơ; nhiệm vụ trả hồ sơ hoàn thành.",
        tags=TAGS,
        request=None,
        responses={200: ArchiveRequestSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: Any = None) -> Response:
        found = _get(_requests(request.user), pk)
        done = services.request_return(actor=request.user, request=found)
        return self._answer(done)


# --- Disposals ---------------------------------------------------------------------------------


def _disposals(user: Actor) -> QuerySet[Disposal]:
    return disposals_visible_to(user).prefetch_related("records")


@extend_schema_view(
    list=extend_schema(
        summary="Các đợt hủy tài liệu",
        description="Quyết định hủy và danh mục tài liệu hủy của các cơ quan người gọi được xem.",
        tags=TAGS,
        responses={200: DisposalSerializer(many=True), **error_responses(401)},
    ),
    retrieve=extend_schema(
        summary="Một đợt hủy tài liệu",
        tags=TAGS,
        responses={200: DisposalSerializer, **error_responses(401, 404)},
    ),
    create=extend_schema(
        summary="Hủy tài liệu hết giá trị",
        description=(
            "Người làm lưu trữ thực hiện quyết định hủy (decision: số, ngày, người ký; bắt buộc) với các hồ "
            "sơ đã hết thời hạn bảo quản. Từ chối cả đợt (400, không hủy gì) khi có hồ sơ vĩnh viễn, chưa "
            "hết hạn, đang phong tỏa, đang cho mượn, hoặc thiếu quyết định. Hồ sơ đã hủy giữ nguyên thông "
            "tin và mục lục văn bản; tệp lưu trữ bị xóa, danh mục hủy giữ tên và mã băm từng tệp."
        ),
        tags=TAGS,
        request=DisposalCreateSerializer,
        responses={201: DisposalSerializer, **error_responses(400, 401, 403)},
    ),
)
class DisposalViewSet(viewsets.GenericViewSet):
    queryset = Disposal.objects.none()  # for the schema; requests use the selectors
    serializer_class = DisposalSerializer

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(_disposals(request.user).order_by("-decided_on", "-id"))
        return self.get_paginated_response(DisposalSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(DisposalSerializer(_get(_disposals(request.user), pk)).data)

    def create(self, request: Request) -> Response:
        serializer = DisposalCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        records = _records(request.user, data["records"])
        if data["organization"] is not None or not records:
            organization = _organization(data["organization"], request.user)
        else:
            organization = records[0].organization
        decided_on: dt.date | None = data["decided_on"]
        disposal = services.disposal_execute(
            actor=request.user,
            organization=organization,
            records=records,
            decision=data["decision"],
            decided_on=decided_on,
            council=data["council"],
        )
        fresh = _disposals(request.user).filter(pk=disposal.pk).first() or disposal
        return Response(DisposalSerializer(fresh).data, status=status.HTTP_201_CREATED)


__all__ = [
    "ArchiveRequestViewSet",
    "DisposalViewSet",
    "FilePlanViewSet",
    "RecordViewSet",
    "TransferViewSet",
]
