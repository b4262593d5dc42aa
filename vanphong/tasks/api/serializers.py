"""Shapes of the task API (see /work/shared/API.md, "Tasks", and docs/api.md): input
serializers only parse and check types; every rule lives in ``services`` and ``access``.

Output serializers expect the querysets built in ``api.py`` (``status`` annotated by
``selectors.with_status``, parties, events and extensions prefetched): they never query."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from vanphong.orgs.api.serializers import ClassificationField
from vanphong.orgs.models import CLASSIFICATION_BY_CODE, Organization, Person, Unit
from vanphong.tasks.models import (
    EventKind,
    EvidenceFile,
    ExtensionRequest,
    ExtensionState,
    Frequency,
    PartyRole,
    Priority,
    SourceKind,
    Status,
    Task,
    TaskEvent,
    TaskParty,
    TaskSeries,
    TaskState,
)
from vanphong.tasks.selectors import Today, days_late

PRIORITY_HELP = "Mức độ: 0 bình thường, 1 quan trọng, 2 khẩn."


def _name(target: Any) -> str:
    return str(target) if target is not None else ""


class CodeField(serializers.CharField):
    """A read-only code from a set of choices, described in the schema by its own named enum
    (``enum_name``): the task engine's status, state and kinds share field names with other
    modules' different value sets, so the schema must not name them after the field."""

    def __init__(self, choices: Any, enum_name: str, **kwargs: Any) -> None:
        self.code_choices = [(str(value), str(label)) for value, label in choices.choices]
        self.enum_name = enum_name
        super().__init__(read_only=True, **kwargs)


class CodeFieldScheme(OpenApiSerializerFieldExtension):
    target_class = CodeField

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> Any:
        field = self.target
        component = ResolvedComponent(
            name=field.enum_name,
            type=ResolvedComponent.SCHEMA,
            object=field.enum_name,
            schema={
                "type": "string",
                "enum": [value for value, _label in field.code_choices],
                "description": "\n".join(f"* `{value}` - {label}" for value, label in field.code_choices),
            },
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


# --- Input -----------------------------------------------------------------------------------


class TaskTargetSerializer(serializers.Serializer):
    """One organisation, unit or person: exactly one of the three ids."""

    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True, help_text="Id cơ quan."
    )
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.select_related("organization"),
        required=False,
        allow_null=True,
        help_text="Id phòng.",
    )
    person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.select_related("organization", "unit"),
        required=False,
        allow_null=True,
        help_text="Id cán bộ.",
    )

    def validate(self, attrs: dict[str, Any]) -> Any:
        given = [v for v in (attrs.get("organization"), attrs.get("unit"), attrs.get("person")) if v]
        if len(given) != 1:
            raise serializers.ValidationError("Nêu đúng một trong organization, unit, person.")
        return given[0]


class TaskRecurrenceSerializer(serializers.Serializer):
    frequency = serializers.ChoiceField(
        choices=Frequency.choices, help_text="Chu kỳ, số tháng: 1 hằng tháng, 3 hằng quý, 6, 12 hằng năm."
    )
    day_of_month = serializers.IntegerField(
        help_text="Ngày đến hạn trong tháng (1–31; 29–31 là ngày cuối tháng với tháng ngắn hơn)."
    )
    month_in_period = serializers.IntegerField(
        required=False,
        default=0,
        help_text="Tháng thứ mấy trong kỳ (quý, 6 tháng, năm): 0 tháng cuối kỳ (mặc định), 1 tháng đầu kỳ...",
    )
    starts_on = serializers.DateField(help_text="Từ ngày: kỳ đầu tiên là hạn đầu tiên từ ngày này.")
    ends_on = serializers.DateField(required=False, allow_null=True, default=None, help_text="Đến ngày.")


class TaskCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=2000, allow_blank=True, help_text="Tên nhiệm vụ (≤ 500 ký tự).")
    content = serializers.CharField(max_length=50_000, required=False, allow_blank=True, default="")
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(),
        required=False,
        allow_null=True,
        help_text=(
            "Cơ quan giao nhiệm vụ (người gọi phải được giao việc thay mặt cơ quan này). Bắt buộc, trừ "
            "nhiệm vụ con: mặc định là cơ quan chủ trì nhiệm vụ cha."
        ),
    )
    issued_by = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(),
        required=False,
        allow_null=True,
        help_text="Id lãnh đạo giao nhiệm vụ; mặc định người gọi.",
    )
    lead = TaskTargetSerializer(
        required=False, allow_null=True, help_text="Nơi chủ trì: {organization}, {unit} hoặc {person}."
    )
    cooperating = TaskTargetSerializer(many=True, required=False, default=list, help_text="Các nơi phối hợp.")
    due_date = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Hạn hoàn thành."
    )
    recurrence = TaskRecurrenceSerializer(
        required=False,
        allow_null=True,
        default=None,
        help_text="Nhiệm vụ định kỳ (thay cho due_date): tạo kỳ đầu tiên, các kỳ sau được tạo dần.",
    )
    priority = serializers.ChoiceField(
        choices=Priority.choices, required=False, default=Priority.NORMAL, help_text=PRIORITY_HELP
    )
    classification = serializers.ChoiceField(
        choices=list(CLASSIFICATION_BY_CODE),
        required=False,
        allow_null=True,
        default=None,
        help_text="Độ mật; mặc định theo văn bản nguồn, nhiệm vụ cha (không thấp hơn).",
    )
    parent = serializers.IntegerField(  # type: ignore[assignment]  # a declared field, not Field.parent
        required=False, allow_null=True, default=None, min_value=1, help_text="Id nhiệm vụ cha (chia nhỏ)."
    )
    source_kind = serializers.ChoiceField(
        choices=SourceKind.choices, required=False, default=SourceKind.MANUAL, help_text="Nguồn giao."
    )
    source_label = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="Văn bản, sự kiện giao, ví dụ: Thông báo kết luận số 12-TB/TU ngày 05/11/2026.",
    )
    source_document = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        help_text="Id văn bản nguồn (người gọi phải được xem văn bản đó).",
    )

    def validate_classification(self, value: str | None) -> int | None:
        return None if value is None else CLASSIFICATION_BY_CODE[value]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("due_date") is not None and attrs.get("recurrence") is not None:
            raise serializers.ValidationError(
                {"recurrence": "Nhiệm vụ định kỳ lấy hạn theo lịch định kỳ: không nêu thêm due_date."}
            )
        return attrs


class TaskUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    content = serializers.CharField(max_length=50_000, required=False, allow_blank=True)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False, help_text=PRIORITY_HELP)
    due_date = serializers.DateField(
        required=False, help_text="Sửa hạn (chỉ khi chưa được gia hạn; hạn ban đầu đổi theo)."
    )


class TaskProgressSerializer(serializers.Serializer):
    text = serializers.CharField(
        max_length=50_000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Nội dung báo cáo tiến độ; với completed=true là kết quả thực hiện.",
    )
    percent = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Phần trăm đã làm (0–99); bỏ trống với nhiệm vụ có nhiệm vụ con (tính từ nhiệm vụ con).",
    )
    completed = serializers.BooleanField(required=False, default=False, help_text="Báo cáo hoàn thành.")
    evidence = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=list,
        help_text="Id các văn bản làm minh chứng (người gọi phải được xem các văn bản đó).",
    )
    result_document = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        help_text="Với completed=true: id văn bản kết quả.",
    )
    completed_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Với completed=true: ngày hoàn thành (mặc định hôm nay; không sau hôm nay).",
    )
    files = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, help_text="Tệp minh chứng (multipart)."
    )


class TaskExtensionCreateSerializer(serializers.Serializer):
    new_due_date = serializers.DateField(help_text="Hạn đề nghị (sau hạn hiện tại).")
    reason = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class TaskExtensionDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField(help_text="true: đồng ý gia hạn; false: không đồng ý.")
    note = serializers.CharField(
        max_length=5000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Ý kiến; bắt buộc khi không đồng ý.",
    )


class TaskConfirmSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class TaskReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


# --- Output ----------------------------------------------------------------------------------


class TaskSourceSerializer(serializers.Serializer):
    kind = CodeField(SourceKind, "TaskSourceKindEnum", source="source_kind")
    kind_label = serializers.CharField(source="get_source_kind_display")
    label = serializers.CharField(source="source_label")  # type: ignore[assignment]  # a declared field, not Field.label
    document = serializers.IntegerField(source="source_document_id", allow_null=True)
    url = serializers.SerializerMethodField(help_text="Trang văn bản nguồn trên hệ thống, nếu có.")

    def get_url(self, obj: Task) -> str | None:
        if obj.source_document_id is None:
            return None
        return reverse("documents:document_detail", args=[obj.source_document_id])


class TaskLeadSerializer(serializers.Serializer):
    organization = serializers.IntegerField(source="lead_organization_id")
    organization_name = serializers.CharField(source="lead_organization.name")
    unit = serializers.IntegerField(source="lead_unit_id", allow_null=True)
    person = serializers.IntegerField(source="lead_person_id", allow_null=True)
    name = serializers.SerializerMethodField(help_text="Tên nơi chủ trì (cán bộ, phòng hoặc cơ quan).")

    def get_name(self, obj: Task) -> str:
        return _name(obj.lead_person or obj.lead_unit or obj.lead_organization)


class TaskPartySerializer(serializers.ModelSerializer):
    role = serializers.ChoiceField(choices=PartyRole.choices, read_only=True)
    organization = serializers.IntegerField(source="organization_id", read_only=True, allow_null=True)
    unit = serializers.IntegerField(source="unit_id", read_only=True, allow_null=True)
    person = serializers.IntegerField(source="person_id", read_only=True, allow_null=True)
    name = serializers.SerializerMethodField()

    class Meta:
        model = TaskParty
        fields = ["id", "role", "organization", "unit", "person", "name"]
        read_only_fields = fields

    def get_name(self, obj: TaskParty) -> str:
        return _name(obj.target)


class TaskSerializer(serializers.ModelSerializer):
    """A task in a list: who gave it, who does it, by when, and how it stands today."""

    source = serializers.SerializerMethodField()  # type: ignore[assignment]  # a declared field, not Field.source
    organization = serializers.IntegerField(source="organization_id", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    issued_by = serializers.IntegerField(source="issued_by_id", read_only=True, allow_null=True)
    issued_by_name = serializers.SerializerMethodField()
    lead = serializers.SerializerMethodField()
    cooperating = serializers.SerializerMethodField()
    status = CodeField(
        Status,
        "TaskStatusEnum",
        help_text="Tình trạng tính từ các ngày: chưa đến hạn, sắp đến hạn, quá hạn, hoàn thành đúng hạn, "
        "hoàn thành quá hạn, đã hủy.",
    )
    status_label = serializers.SerializerMethodField()
    days_late = serializers.SerializerMethodField(help_text="Số ngày quá hạn (0 khi không quá hạn).")
    state = CodeField(TaskState, "TaskStateEnum", help_text="Bước xử lý.")
    priority = serializers.ChoiceField(choices=Priority.choices, read_only=True, help_text=PRIORITY_HELP)
    classification = ClassificationField(read_only=True)
    extended = serializers.BooleanField(read_only=True, help_text="Đã được gia hạn (hạn khác hạn ban đầu).")
    parent = serializers.IntegerField(source="parent_id", read_only=True, allow_null=True)  # type: ignore[assignment]  # not Field.parent
    series = serializers.IntegerField(source="series_id", read_only=True, allow_null=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "title",
            "source",
            "organization",
            "organization_name",
            "issued_by",
            "issued_by_name",
            "lead",
            "cooperating",
            "assigned_on",
            "due_date",
            "original_due_date",
            "effective_due",
            "extended",
            "status",
            "status_label",
            "days_late",
            "progress",
            "state",
            "priority",
            "classification",
            "parent",
            "series",
            "completed_on",
        ]
        read_only_fields = fields

    def _today(self) -> Today:
        today = self.context.get("today")
        if today is None:
            today = self.context["today"] = Today.now()
        return today

    def _nested(self, kind: type[serializers.Serializer]) -> serializers.Serializer:
        """One instance of a nested serializer for every row of a list: building one per row
        deep-copies its fields each time, which cost more than the rest of a page of 50."""
        cache = self.__dict__.setdefault("_nested_serializers", {})
        if kind not in cache:
            cache[kind] = kind(context=self.context)
        return cache[kind]

    @extend_schema_field(TaskSourceSerializer)
    def get_source(self, obj: Task) -> dict[str, Any]:
        return self._nested(TaskSourceSerializer).to_representation(obj)

    def get_issued_by_name(self, obj: Task) -> str:
        return _name(obj.issued_by)

    @extend_schema_field(TaskLeadSerializer)
    def get_lead(self, obj: Task) -> dict[str, Any]:
        return self._nested(TaskLeadSerializer).to_representation(obj)

    @extend_schema_field(TaskPartySerializer(many=True))
    def get_cooperating(self, obj: Task) -> list[dict[str, Any]]:
        party = self._nested(TaskPartySerializer)
        return [party.to_representation(p) for p in obj.parties.all() if p.role == PartyRole.COOPERATE]

    def get_status_label(self, obj: Task) -> str:
        return str(Status(obj.status).label)  # type: ignore[attr-defined]  # annotated by selectors.with_status

    def get_days_late(self, obj: Task) -> int:
        late = obj.status in (Status.OVERDUE, Status.DONE_LATE)  # type: ignore[attr-defined]  # see with_status
        return days_late(obj, self._today()) if late else 0


class TaskEvidenceFileSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name", read_only=True)
    url = serializers.SerializerMethodField(help_text="Địa chỉ tải tệp qua API.")

    class Meta:
        model = EvidenceFile
        fields = ["id", "name", "content_type", "size", "sha256", "uploaded_at", "url"]
        read_only_fields = fields

    def get_url(self, obj: EvidenceFile) -> str:
        return f"/api/v1/tasks/{obj.event.task_id}/files/{obj.pk}/"


class TaskEventSerializer(serializers.ModelSerializer):
    kind = CodeField(EventKind, "TaskEventKindEnum")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    actor = serializers.IntegerField(source="actor_id", read_only=True, allow_null=True)
    actor_name = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField(help_text="Id các văn bản minh chứng.")
    files = TaskEvidenceFileSerializer(many=True, read_only=True)

    class Meta:
        model = TaskEvent
        fields = [
            "id",
            "kind",
            "kind_label",
            "actor",
            "actor_name",
            "at",
            "text",
            "percent",
            "documents",
            "files",
        ]
        read_only_fields = fields

    def get_actor_name(self, obj: TaskEvent) -> str:
        return _name(obj.actor)

    def get_documents(self, obj: TaskEvent) -> list[int]:
        return [d.pk for d in obj.documents.all()]


class TaskExtensionSerializer(serializers.ModelSerializer):
    task = serializers.IntegerField(source="task_id", read_only=True)
    state = CodeField(ExtensionState, "TaskExtensionStateEnum")
    requested_by = serializers.IntegerField(source="requested_by_id", read_only=True)
    requested_by_name = serializers.CharField(source="requested_by.full_name", read_only=True)
    decided_by = serializers.IntegerField(source="decided_by_id", read_only=True, allow_null=True)
    decided_by_name = serializers.SerializerMethodField()

    class Meta:
        model = ExtensionRequest
        fields = [
            "id",
            "task",
            "requested_by",
            "requested_by_name",
            "requested_at",
            "current_due_date",
            "new_due_date",
            "reason",
            "state",
            "decided_by",
            "decided_by_name",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields

    def get_decided_by_name(self, obj: ExtensionRequest) -> str:
        return _name(obj.decided_by)


class TaskSeriesSerializer(serializers.ModelSerializer):
    frequency = serializers.ChoiceField(choices=Frequency.choices, read_only=True)

    class Meta:
        model = TaskSeries
        fields = ["id", "frequency", "day_of_month", "month_in_period", "starts_on", "ends_on", "active"]
        read_only_fields = fields


class TaskSubtaskSerializer(serializers.ModelSerializer):
    status = CodeField(Status, "TaskStatusEnum")
    lead_name = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = ["id", "title", "lead_name", "due_date", "effective_due", "status", "progress"]
        read_only_fields = fields

    def get_lead_name(self, obj: Task) -> str:
        return _name(obj.lead_person or obj.lead_unit or obj.lead_organization)


class TaskSubtasksSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Số nhiệm vụ con người gọi được xem.")
    by_status = serializers.DictField(
        child=serializers.IntegerField(), help_text="Số nhiệm vụ con theo tình trạng."
    )
    items = TaskSubtaskSerializer(many=True)


class TaskPermissionsSerializer(serializers.Serializer):
    work = serializers.BooleanField(help_text="Người gọi là nơi thực hiện (tiếp nhận, báo cáo, xin gia hạn).")
    manage = serializers.BooleanField(
        help_text="Người gọi là bên giao (xác nhận, trả lại, quyết định gia hạn, hủy, sửa)."
    )


class TaskDetailSerializer(TaskSerializer):
    """One task with its parties, history, extension requests and subtasks."""

    created_by = serializers.IntegerField(source="created_by_id", read_only=True, allow_null=True)
    confirmed_by = serializers.IntegerField(source="confirmed_by_id", read_only=True, allow_null=True)
    result_document = serializers.IntegerField(source="result_document_id", read_only=True, allow_null=True)
    parties = TaskPartySerializer(many=True, read_only=True)
    events = TaskEventSerializer(many=True, read_only=True)
    extensions = TaskExtensionSerializer(many=True, read_only=True)
    recurrence = TaskSeriesSerializer(source="series", read_only=True, allow_null=True)
    subtasks = serializers.SerializerMethodField()
    permissions = serializers.SerializerMethodField()

    class Meta(TaskSerializer.Meta):
        fields = [
            *TaskSerializer.Meta.fields,
            "content",
            "created_by",
            "created_at",
            "accepted_at",
            "completed_at",
            "confirmed_at",
            "confirmed_by",
            "result",
            "result_document",
            "recurrence",
            "parties",
            "events",
            "extensions",
            "subtasks",
            "permissions",
        ]
        read_only_fields = fields

    @extend_schema_field(TaskSubtasksSerializer)
    def get_subtasks(self, obj: Task) -> dict[str, Any]:
        items = list(self.context.get("subtasks", []))
        by_status: dict[str, int] = {}
        for child in items:
            by_status[child.status] = by_status.get(child.status, 0) + 1
        return {
            "count": len(items),
            "by_status": by_status,
            "items": TaskSubtaskSerializer(items, many=True).data,
        }

    @extend_schema_field(TaskPermissionsSerializer)
    def get_permissions(self, obj: Task) -> dict[str, bool]:
        return self.context.get("permissions", {"work": False, "manage": False})


class TaskStatsSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="Số nhiệm vụ (không tính nhiệm vụ đã hủy).")
    done_on_time = serializers.IntegerField()
    done_late = serializers.IntegerField()
    overdue = serializers.IntegerField(help_text="Chưa hoàn thành, đã quá hạn.")
    in_progress = serializers.IntegerField(help_text="Chưa hoàn thành, còn trong hạn (gồm sắp đến hạn).")
    due_soon = serializers.IntegerField()
    cancelled = serializers.IntegerField()
    on_time_rate = serializers.FloatField(
        allow_null=True, help_text="Tỷ lệ hoàn thành đúng hạn trên số đã hoàn thành (%), null khi chưa có."
    )
    as_of = serializers.DateField(help_text="Ngày tính số liệu.")
    period_from = serializers.DateField(allow_null=True)
    period_to = serializers.DateField(allow_null=True)
    organization = serializers.IntegerField(allow_null=True)


def stats_data(counts: Any, *, today: dt.date, start: Any, end: Any, organization: int | None) -> dict:
    return {
        **counts.as_dict(),
        "as_of": today,
        "period_from": start,
        "period_to": end,
        "organization": organization,
    }
