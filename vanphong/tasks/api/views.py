"""API of the task engine (see /work/shared/API.md "Tasks" and docs/api.md "Tasks").

Each endpoint parses its input, finds the task through the access layer (404 when the caller
may not see it) and calls the one service that makes the change; the rules, checks and
Vietnamese messages are the services'. A service's refusal (``PermissionDenied``) on a task
the caller can see answers 403 with the service's message, by the API's one exception handler
(``vanphong.core.api.errors``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, Prefetch, QuerySet
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from vanphong.core.api.schema import error_responses, file_responses
from vanphong.orgs.access import Capability, can
from vanphong.orgs.actors import Actor
from vanphong.orgs.api.filters import parse_filters
from vanphong.orgs.models import Organization
from vanphong.tasks import selectors, services
from vanphong.tasks.access import get_task, may_manage, may_work, visible_tasks
from vanphong.tasks.api.filters import TaskListFilter, TaskStatsFilter, list_filters, stats_period
from vanphong.tasks.api.serializers import (
    TaskConfirmSerializer,
    TaskCreateSerializer,
    TaskDetailSerializer,
    TaskExtensionCreateSerializer,
    TaskExtensionDecisionSerializer,
    TaskExtensionSerializer,
    TaskProgressSerializer,
    TaskReasonSerializer,
    TaskSerializer,
    TaskStatsSerializer,
    TaskUpdateSerializer,
    stats_data,
)
from vanphong.tasks.downloads import evidence_response
from vanphong.tasks.models import ExtensionRequest, Task, TaskEvent, TaskParty
from vanphong.tasks.services import TaskSource
from vanphong.tasks.sources import document_model, documents_visible_to

_PARTIES = Prefetch("parties", queryset=TaskParty.objects.select_related("organization", "unit", "person"))

_DESCRIPTION = (
    "Nhiệm vụ người gọi được xem: do cơ quan mình giao (và Văn phòng theo dõi cho cấp ủy), do cơ quan "
    "mình chủ trì hoặc phối hợp, hoặc có tên mình. Nhiệm vụ mật (theo văn bản nguồn) chỉ với lãnh đạo, "
    "văn thư của các cơ quan đó và người có tên, trong giới hạn độ mật của người gọi. Ngoài phạm vi: 404. "
    "Tình trạng (status) luôn tính từ các ngày theo lịch ngày làm việc, không nhập tay."
)


def _list_queryset(queryset: QuerySet[Task]) -> QuerySet[Task]:
    return queryset.select_related("issued_by").prefetch_related(_PARTIES)


def _detail_queryset(today: selectors.Today) -> QuerySet[Task]:
    events = TaskEvent.objects.select_related("actor").prefetch_related(
        Prefetch("documents", queryset=document_model()._default_manager.only("pk")), "files"
    )
    extensions = ExtensionRequest.objects.select_related("requested_by", "decided_by")
    return selectors.with_status(
        Task.objects.select_related(
            "organization",
            "issued_by",
            "lead_organization",
            "lead_unit",
            "lead_person",
            "series",
        ).prefetch_related(
            _PARTIES,
            Prefetch("events", queryset=events),
            Prefetch("extensions", queryset=extensions),
        ),
        today,
    )


@contextmanager
def _nested_errors(name: str, keys: set[str]) -> Iterator[None]:
    """Field errors about the members of a nested input object reported under it, as DRF
    reports its own (``{"recurrence": {"day_of_month": [...]}}``)."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict") or not keys & set(exc.error_dict):
            raise
        errors = exc.message_dict
        nested = {k: errors.pop(k) for k in list(errors) if k in keys}
        raise DRFValidationError({**errors, name: nested}) from None


def _documents(user: Actor, ids: list[int], field: str) -> list[Any]:
    """The documents with these ids that ``user`` may see; any other id is a field error
    (an unknown and an invisible document answer alike)."""
    wanted = list(dict.fromkeys(ids))
    found = {d.pk: d for d in documents_visible_to(user).filter(pk__in=wanted)}
    missing = [i for i in wanted if i not in found]
    if missing:
        raise ValidationError(
            {field: f"Không tìm thấy văn bản (hoặc bạn không được xem): {', '.join(map(str, missing))}."}
        )
    return [found[i] for i in wanted]


def _document(user: Actor, pk: int | None, field: str) -> Any:
    return None if pk is None else _documents(user, [pk], field)[0]


@extend_schema_view(
    list=extend_schema(
        summary="Danh sách nhiệm vụ",
        description=_DESCRIPTION,
        tags=["tasks"],
        responses={200: TaskSerializer(many=True), **error_responses(400, 401, 404)},
    ),
    retrieve=extend_schema(
        summary="Một nhiệm vụ: các nơi thực hiện, diễn biến, đề nghị gia hạn, nhiệm vụ con",
        description=_DESCRIPTION + " Xem nhiệm vụ mật được ghi nhật ký.",
        tags=["tasks"],
        responses={200: TaskDetailSerializer, **error_responses(401, 404)},
    ),
    create=extend_schema(
        summary="Giao nhiệm vụ (kể cả nhiệm vụ định kỳ, nhiệm vụ con)",
        description=(
            "Người gọi phải được giao việc thay mặt cơ quan giao (lãnh đạo cơ quan, hoặc lãnh đạo, "
            "chuyên viên Văn phòng với nhiệm vụ của cấp ủy); nhiệm vụ con: nơi chủ trì nhiệm vụ cha cũng "
            "được giao. Nơi chủ trì (lead) và mỗi nơi phối hợp (cooperating) là {organization}, {unit} "
            "hoặc {person}. Có hạn (due_date) hoặc lịch định kỳ (recurrence, tạo kỳ đầu tiên). Độ mật "
            "không thấp hơn văn bản nguồn, nhiệm vụ cha. Trả về nhiệm vụ đã tạo (kỳ đầu tiên với nhiệm "
            "vụ định kỳ)."
        ),
        tags=["tasks"],
        request=TaskCreateSerializer,
        responses={201: TaskDetailSerializer, **error_responses(400, 401, 403)},
    ),
    partial_update=extend_schema(
        summary="Sửa nhiệm vụ đang thực hiện: tên, nội dung, mức độ, hạn",
        description=(
            "Bên giao. Hạn chỉ sửa được khi chưa được gia hạn (hạn ban đầu đổi theo); sau đó hạn chỉ đổi "
            "qua đề nghị gia hạn."
        ),
        tags=["tasks"],
        request=TaskUpdateSerializer,
        responses={200: TaskDetailSerializer, **error_responses(400, 401, 403, 404)},
    ),
)
class TaskViewSet(viewsets.GenericViewSet):
    queryset = Task.objects.none()  # for the schema; requests use the selectors
    serializer_class = TaskSerializer
    filterset_class = TaskListFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset  # filtered by the selector

    def _today(self) -> selectors.Today:
        if not hasattr(self, "_today_value"):
            self._today_value = selectors.Today.now()
        return self._today_value

    def _get(self, pk: Any) -> Task:
        return get_task(self.request.user, pk, selectors.with_status(Task.objects.all(), self._today()))

    def _detail(
        self, pk: Any, status_code: int = status.HTTP_200_OK, *, audit_view: bool = False
    ) -> Response:
        user = self.request.user
        today = self._today()
        task = get_task(user, pk, _detail_queryset(today))
        if audit_view:
            services.task_viewed(user=user, task=task)
        subtasks = selectors.with_status(
            visible_tasks(user, Task.objects.filter(parent=task)), today
        ).select_related("lead_organization", "lead_unit", "lead_person")
        context = {
            "today": today,
            "subtasks": subtasks.order_by("effective_due", "id"),
            "permissions": {"work": may_work(user, task), "manage": may_manage(user, task)},
        }
        return Response(TaskDetailSerializer(task, context=context).data, status=status_code)

    # --- Reading ---------------------------------------------------------------------------

    def list(self, request: Request) -> Response:
        filters, ordering = list_filters(parse_filters(TaskListFilter, request))
        tasks = _list_queryset(selectors.task_list(request.user, filters, today=self._today()))
        if ordering == "due":
            tasks = tasks.order_by(F("effective_due").asc(nulls_last=True), "id")
        page = self.paginate_queryset(tasks)
        return self.get_paginated_response(
            TaskSerializer(page, many=True, context={"today": self._today()}).data
        )

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return self._detail(pk, audit_view=True)

    @extend_schema(
        summary="Số liệu nhiệm vụ: tổng số, đúng hạn, quá hạn, đang thực hiện, tỷ lệ đúng hạn",
        description=(
            "Không có organization: các nhiệm vụ người gọi được xem. Có organization: các nhiệm vụ cơ "
            "quan đó chủ trì — khi người gọi được xem cơ quan đó, số liệu tính cho cả cơ quan (gồm cả "
            "nhiệm vụ mật, chỉ là con số), lấy từ bảng số liệu duy trì sẵn khi kỳ là trọn tháng (nếu "
            "không, đếm trên các nhiệm vụ, cùng kết quả); khi người gọi không được xem cơ quan đó: chỉ "
            "các nhiệm vụ người gọi được xem. Kỳ (from, to) tính theo hạn ban đầu (không đổi khi gia "
            "hạn), hoặc ngày giao với nhiệm vụ không có hạn. total không tính nhiệm vụ đã hủy; "
            "in_progress là chưa hoàn thành và còn trong hạn (gồm due_soon); on_time_rate là tỷ lệ "
            "hoàn thành đúng hạn trên số đã hoàn thành (%)."
        ),
        tags=["tasks"],
        parameters=[
            OpenApiParameter("organization", OpenApiTypes.INT, description="Id cơ quan chủ trì."),
            OpenApiParameter("from", OpenApiTypes.DATE, description="Kỳ thống kê từ ngày (YYYY-MM-DD)."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Kỳ thống kê đến ngày (YYYY-MM-DD)."),
        ],
        filters=False,
        responses={200: TaskStatsSerializer, **error_responses(400, 401)},
    )
    @action(detail=False, methods=["get"], url_path="stats", filterset_class=None, pagination_class=None)
    def stats(self, request: Request) -> Response:
        params = parse_filters(TaskStatsFilter, request)
        start, end = stats_period(params)
        today = self._today()
        organization = None
        if "organization" in params:
            organization = Organization.objects.filter(pk=params["organization"]).first()
            if organization is None:
                raise ValidationError({"organization": "Không tìm thấy cơ quan."})
        if organization is not None and can(request.user, Capability.READ, organization):
            # The whole organisation's numbers: from the maintained tally for whole months.
            if selectors.whole_months(start, end):
                numbers = selectors.tally_counts(
                    [organization.pk], today=today, month_from=start, month_to=end
                )
            else:
                numbers = selectors.organization_counts(
                    [organization.pk], today=today, period_from=start, period_to=end
                )
        else:
            filters = selectors.TaskFilters(
                lead_organization=organization.pk if organization else None, period_from=start, period_to=end
            )
            numbers = selectors.counts(request.user, filters, today=today)
        data = stats_data(
            numbers,
            today=today.day,
            start=start,
            end=end,
            organization=organization.pk if organization else None,
        )
        return Response(TaskStatsSerializer(data).data)

    @extend_schema(
        summary="Tải một tệp minh chứng của nhiệm vụ",
        description=(
            "Nguyên bản như khi tải lên (mã băm SHA-256 trong tiêu đề X-Content-SHA256). 404 khi người "
            "gọi không được xem nhiệm vụ. Tải tệp của nhiệm vụ mật được ghi nhật ký."
        ),
        tags=["tasks"],
        responses={
            **file_responses("Nội dung tệp, với kiểu tệp nhận ra khi tải lên (PDF, DOCX, JPEG, PNG, TIFF)."),
            **error_responses(401, 404),
        },
    )
    @action(detail=True, methods=["get"], url_path=r"files/(?P<file_id>\d+)")
    def file(self, request: Request, pk: Any = None, file_id: Any = None) -> FileResponse:
        return evidence_response(request.user, file_id, task_id=pk)

    # --- Giving and changing -----------------------------------------------------------------

    def create(self, request: Request) -> Response:
        serializer = TaskCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        user = request.user
        parent = None
        if data.get("parent") is not None:
            parent = visible_tasks(user).filter(pk=data["parent"]).select_related("lead_organization").first()
            if parent is None:
                raise ValidationError({"parent": "Không tìm thấy nhiệm vụ cha (hoặc bạn không được xem)."})
        organization = data.get("organization") or (parent.lead_organization if parent else None)
        if organization is None:
            raise ValidationError({"organization": "Hãy chọn cơ quan giao nhiệm vụ."})
        fields = {
            "organization": organization,
            "title": data["title"],
            "content": data["content"],
            "lead": data.get("lead"),
            "cooperating": data["cooperating"],
            "priority": data["priority"],
            "classification": data["classification"],
            "source": TaskSource(
                kind=data["source_kind"],
                label=data["source_label"],
                document=_document(user, data["source_document"], "source_document"),
            ),
            "issued_by": data.get("issued_by"),
            "parent": parent,
        }
        recurrence = data.get("recurrence")
        if recurrence is not None:
            with _nested_errors("recurrence", set(recurrence)):
                series = services.series_create(actor=user, **recurrence, **fields)
            task = series.tasks.order_by("original_due_date", "id").first()
            assert task is not None  # series_create makes the first occurrence
        else:
            task = services.task_create(actor=user, due_date=data["due_date"], **fields)
        return self._detail(task.pk, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: Any = None) -> Response:
        task = self._get(pk)
        serializer = TaskUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.task_update(actor=request.user, task=task, **serializer.validated_data)
        return self._detail(task.pk)

    @extend_schema(
        summary="Tiếp nhận nhiệm vụ",
        description="Nơi chủ trì xác nhận đã nhận nhiệm vụ mới giao.",
        tags=["tasks"],
        request=None,
        responses={200: TaskDetailSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="accept")
    def accept(self, request: Request, pk: Any = None) -> Response:
        task = self._get(pk)
        services.task_accept(actor=request.user, task=task)
        return self._detail(task.pk)

    @extend_schema(
        summary="Báo cáo tiến độ, hoặc báo cáo hoàn thành (completed=true)",
        description=(
            "Nơi chủ trì. percent từ 0 đến 99 (100% là hoàn thành: gửi completed=true); với nhiệm vụ "
            "có nhiệm vụ con, tiến độ tính từ các nhiệm vụ con. evidence: id các văn bản minh chứng "
            "(được xem); tệp minh chứng gửi multipart trong trường files. Hoàn thành: text là kết quả, "
            "result_document là văn bản kết quả, completed_on là ngày hoàn thành (mặc định hôm nay); "
            "đúng hạn khi không muộn hơn hạn (theo ngày làm việc, kể cả gia hạn). Trả về nhiệm vụ."
        ),
        tags=["tasks"],
        request={
            "application/json": TaskProgressSerializer,
            "multipart/form-data": TaskProgressSerializer,
        },
        responses={200: TaskDetailSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="progress")
    def progress(self, request: Request, pk: Any = None) -> Response:
        task = self._get(pk)
        serializer = TaskProgressSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = request.user
        uploads = request.FILES.getlist("files") or data["files"]
        evidence = _documents(user, data["evidence"], "evidence")
        if data["completed"]:
            services.task_complete(
                actor=user,
                task=task,
                text=data["text"],
                result_document=_document(user, data["result_document"], "result_document"),
                documents=evidence,
                uploads=uploads,
                on=data["completed_on"],
            )
        else:
            services.task_report_progress(
                actor=user,
                task=task,
                text=data["text"],
                percent=data["percent"],
                documents=evidence,
                uploads=uploads,
            )
        return self._detail(task.pk)

    @extend_schema(
        summary="Xin gia hạn",
        description=(
            "Nơi chủ trì đề nghị hạn mới (sau hạn hiện tại) kèm lý do. Mỗi nhiệm vụ có nhiều nhất một đề "
            "nghị đang chờ. Bên giao quyết định qua .../extensions/{ext_id}/decision/. Hạn ban đầu giữ "
            "nguyên cho thống kê."
        ),
        tags=["tasks"],
        request=TaskExtensionCreateSerializer,
        responses={201: TaskExtensionSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="extensions")
    def extensions(self, request: Request, pk: Any = None) -> Response:
        task = self._get(pk)
        serializer = TaskExtensionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        extension = services.extension_request(actor=request.user, task=task, **serializer.validated_data)
        extension = ExtensionRequest.objects.select_related("requested_by", "decided_by").get(pk=extension.pk)
        return Response(TaskExtensionSerializer(extension).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Quyết định một đề nghị gia hạn: đồng ý hoặc không",
        description=(
            "Bên giao. Đồng ý: hạn của nhiệm vụ đổi thành hạn đề nghị (hạn ban đầu giữ nguyên). Không "
            "đồng ý: phải nêu ý kiến (note)."
        ),
        tags=["tasks"],
        request=TaskExtensionDecisionSerializer,
        responses={200: TaskExtensionSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path=r"extensions/(?P<ext_id>\d+)/decision")
    def extension_decision(self, request: Request, pk: Any = None, ext_id: Any = None) -> Response:
        task = self._get(pk)
        extension = ExtensionRequest.objects.filter(task=task, pk=ext_id).first()
        if extension is None:
            raise Http404
        serializer = TaskExtensionDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.extension_decide(actor=request.user, request=extension, **serializer.validated_data)
        extension = ExtensionRequest.objects.select_related("requested_by", "decided_by").get(pk=extension.pk)
        return Response(TaskExtensionSerializer(extension).data)

    @extend_schema(
        summary="Xác nhận hoàn thành",
        description="Bên giao xác nhận nhiệm vụ đã báo cáo hoàn thành (text: ý kiến, không bắt buộc).",
        tags=["tasks"],
        request=TaskConfirmSerializer,
        responses={200: TaskDetailSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="confirm")
    def confirm(self, request: Request, pk: Any = None) -> Response:
        task = self._get(pk)
        serializer = TaskConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.task_confirm(actor=request.user, task=task, text=serializer.validated_data["text"])
        return self._detail(task.pk)

    @extend_schema(
        summary="Trả lại nhiệm vụ đã báo cáo hoàn thành",
        description=(
            "Bên giao, kèm lý do (reason): nhiệm vụ trở lại đang thực hiện và được tính là chưa xong."
        ),
        tags=["tasks"],
        request=TaskReasonSerializer,
        responses={200: TaskDetailSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: Any = None) -> Response:
        task = self._get(pk)
        serializer = TaskReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.task_return(actor=request.user, task=task, reason=serializer.validated_data["reason"])
        return self._detail(task.pk)

    @extend_schema(
        summary="Hủy nhiệm vụ",
        description=(
            "Bên giao, kèm lý do (reason); các nhiệm vụ con đang mở cũng bị hủy. Không còn tính vào số liệu."
        ),
        tags=["tasks"],
        request=TaskReasonSerializer,
        responses={200: TaskDetailSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="cancel")
    def cancel(self, request: Request, pk: Any = None) -> Response:
        task = self._get(pk)
        serializer = TaskReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.task_cancel(actor=request.user, task=task, reason=serializer.validated_data["reason"])
        return self._detail(task.pk)

    @extend_schema(
        summary="Dừng nhiệm vụ định kỳ",
        description="Bên giao, kèm lý do (reason): không tạo thêm kỳ mới; các kỳ đã giao vẫn được theo dõi.",
        tags=["tasks"],
        request=TaskReasonSerializer,
        responses={200: TaskDetailSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="end-series")
    def end_series(self, request: Request, pk: Any = None) -> Response:
        task = self._get(pk)
        serializer = TaskReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.series_end(actor=request.user, task=task, reason=serializer.validated_data["reason"])
        return self._detail(task.pk)
