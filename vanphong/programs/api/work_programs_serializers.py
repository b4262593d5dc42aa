"""Shapes of the work programmes API (see /work/shared/API.md, "Work programmes, calendar,
meetings"): input serializers only parse and check types; every rule lives in ``services`` and
``selectors``."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from vanphong.orgs.models import Organization, Person
from vanphong.programs.models import (
    ItemState,
    MeetingKind,
    Program,
    ProgramBody,
    ProgramItem,
    ProgramPeriod,
    ProgramState,
)
from vanphong.programs.selectors.work_programs import program_state, program_state_label
from vanphong.tasks.api.serializers import CodeField

MAX_ID = 2**63 - 1
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-03"})
class MonthField(serializers.Field):
    """A month written ``YYYY-MM``; held as the date of its 1st."""

    default_error_messages = {"invalid": "Tháng viết theo dạng YYYY-MM, ví dụ 2026-03."}

    def to_internal_value(self, data: Any) -> dt.date:
        match = MONTH.match(data) if isinstance(data, str) else None
        if match is None:
            self.fail("invalid")
        assert match is not None
        year, month = int(match.group(1)), int(match.group(2))
        if not (1 <= month <= 12 and 1900 <= year <= 9998):
            self.fail("invalid")
        return dt.date(year, month, 1)

    def to_representation(self, value: dt.date | None) -> str | None:
        return None if value is None else f"{value:%Y-%m}"


class StateChoiceField(serializers.ChoiceField):
    """An item's state as input, described in the schema by the same named enum as the output
    (``ProgramItemStateEnum``): ``state`` fields of other modules have other value sets."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=ItemState.choices, **kwargs)


class StateChoiceFieldScheme(OpenApiSerializerFieldExtension):
    target_class = StateChoiceField

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> Any:
        component = ResolvedComponent(
            name="ProgramItemStateEnum",
            type=ResolvedComponent.SCHEMA,
            object="ProgramItemStateEnum",
            schema={
                "type": "string",
                "enum": list(ItemState.values),
                "description": "\n".join(f"* `{value}` - {label}" for value, label in ItemState.choices),
            },
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


# --- Input -------------------------------------------------------------------------------------------


class ProgramCreateSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Id cơ quan (cấp ủy) có chương trình; mặc định cơ quan của người gọi.",
    )
    body = serializers.ChoiceField(choices=ProgramBody.choices, help_text="Cơ quan thực hiện chương trình.")
    period = serializers.ChoiceField(choices=ProgramPeriod.choices, help_text="Thời kỳ của chương trình.")
    start = serializers.DateField(help_text="Từ ngày (YYYY-MM-DD).")
    end = serializers.DateField(help_text="Đến ngày (YYYY-MM-DD).")
    title = serializers.CharField(max_length=500, help_text="Tên chương trình.")
    steering_name = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        default="",
        help_text="Tên Ban Chỉ đạo (khi body là ban_chi_dao).",
    )


class ItemCreateSerializer(serializers.Serializer):
    content = serializers.CharField(max_length=5000, help_text="Nội dung.")
    preparing_organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Id cơ quan chuẩn bị.",
    )
    leader = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Id lãnh đạo phụ trách (cán bộ).",
    )
    planned_date = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Ngày dự kiến (YYYY-MM-DD)."
    )
    planned_week = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Tuần dự kiến: ngày thứ Hai (YYYY-MM-DD)."
    )
    planned_month = MonthField(
        required=False, allow_null=True, default=None, help_text="Tháng dự kiến (YYYY-MM)."
    )
    meeting_kind = serializers.ChoiceField(
        choices=MeetingKind.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Hình thức xem xét (loại cuộc họp).",
    )
    # A declared field named like ``Field.parent``: DRF's metaclass takes it off the class.
    parent = serializers.IntegerField(  # type: ignore[assignment]
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=MAX_ID,
        help_text="Id nội dung của chương trình dài hơn mà nội dung này cụ thể hóa.",
    )


class ItemMoveSerializer(serializers.Serializer):
    program = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Id chương trình kỳ sau.")
    reason = serializers.CharField(max_length=1000, help_text="Lý do chuyển.")
    planned_date = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Ngày dự kiến mới."
    )
    planned_week = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Tuần dự kiến mới (ngày thứ Hai)."
    )
    planned_month = MonthField(
        required=False, allow_null=True, default=None, help_text="Tháng dự kiến mới (YYYY-MM)."
    )


class ItemStateSerializer(serializers.Serializer):
    state = StateChoiceField(help_text="planned, done hoặc dropped (moved: dùng /move/).")
    reason = serializers.CharField(
        max_length=1000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Lý do (bắt buộc khi dropped).",
    )
    done_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Ngày thực hiện (mặc định hôm nay)."
    )


class CarryDownSerializer(serializers.Serializer):
    program = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="Id chương trình ngắn hơn nhận nội dung."
    )


class IssueDraftSerializer(serializers.Serializer):
    signer = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), required=False, allow_null=True, default=None, help_text="Id người ký."
    )


# --- Output ------------------------------------------------------------------------------------------


class ProgramItemSerializer(serializers.ModelSerializer):
    program = serializers.IntegerField(source="program_id", read_only=True)
    preparing_organization = serializers.IntegerField(
        source="preparing_organization_id", read_only=True, allow_null=True
    )
    preparing_organization_name = serializers.CharField(
        source="preparing_organization.name", read_only=True, allow_null=True, default=None
    )
    leader = serializers.IntegerField(source="leader_id", read_only=True, allow_null=True)
    leader_name = serializers.CharField(
        source="leader.full_name", read_only=True, allow_null=True, default=None
    )
    planned_month = MonthField(read_only=True, allow_null=True)
    meeting_kind = serializers.CharField(read_only=True, help_text="Mã hình thức xem xét, hoặc rỗng.")
    state = CodeField(ItemState, "ProgramItemStateEnum")
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    parent = serializers.IntegerField(source="parent_id", read_only=True, allow_null=True)  # type: ignore[assignment]
    moved_from = serializers.IntegerField(source="moved_from_id", read_only=True, allow_null=True)
    moved_to = serializers.SerializerMethodField()
    task = serializers.IntegerField(
        source="task_id", read_only=True, allow_null=True, help_text="Id nhiệm vụ."
    )

    class Meta:
        model = ProgramItem
        fields = [
            "id",
            "program",
            "order",
            "content",
            "preparing_organization",
            "preparing_organization_name",
            "leader",
            "leader_name",
            "planned_date",
            "planned_week",
            "planned_month",
            "meeting_kind",
            "state",
            "state_label",
            "reason",
            "done_on",
            "parent",
            "moved_from",
            "moved_to",
            "task",
        ]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_moved_to(self, obj: ProgramItem) -> int | None:
        return getattr(obj, "moved_to_id", None)


class ProgramSerializer(serializers.ModelSerializer):
    organization = serializers.IntegerField(source="organization_id", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    body = CodeField(ProgramBody, "ProgramBodyEnum")
    body_label = serializers.CharField(source="get_body_display", read_only=True)
    period = CodeField(ProgramPeriod, "ProgramPeriodEnum")
    period_label = serializers.CharField(source="get_period_display", read_only=True)
    state = serializers.SerializerMethodField()
    state_label = serializers.SerializerMethodField()
    document = serializers.IntegerField(
        source="document_id", read_only=True, allow_null=True, help_text="Id văn bản ban hành (CTr)."
    )
    approved_by = serializers.IntegerField(source="approved_by_id", read_only=True, allow_null=True)

    class Meta:
        model = Program
        fields = [
            "id",
            "organization",
            "organization_name",
            "body",
            "body_label",
            "steering_name",
            "period",
            "period_label",
            "start",
            "end",
            "title",
            "state",
            "state_label",
            "document",
            "approved_by",
            "approved_at",
        ]

    @extend_schema_field(
        CodeField(ProgramState, "ProgramStateEnum", help_text="issued khi văn bản ban hành đã phát hành.")
    )
    def get_state(self, obj: Program) -> str:
        return program_state(obj)

    def get_state_label(self, obj: Program) -> str:
        return program_state_label(obj)


class ProgramDetailSerializer(ProgramSerializer):
    items = serializers.SerializerMethodField()

    class Meta(ProgramSerializer.Meta):
        fields = [*ProgramSerializer.Meta.fields, "items"]

    @extend_schema_field(ProgramItemSerializer(many=True))
    def get_items(self, obj: Program) -> list[dict[str, Any]]:
        return [dict(d) for d in ProgramItemSerializer(self.context["items"], many=True).data]


class ReportItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    order = serializers.IntegerField()
    content = serializers.CharField()
    state = CodeField(ItemState, "ProgramItemStateEnum")
    reason = serializers.CharField()
    moved_to = serializers.IntegerField(source="moved_to_id", allow_null=True, default=None)
    moved_to_program = serializers.IntegerField(source="moved_to_program_id", allow_null=True, default=None)


class ReportRowSerializer(serializers.Serializer):
    preparing_organization = serializers.IntegerField(source="organization_id", allow_null=True)
    name = serializers.CharField()
    total = serializers.IntegerField()
    planned = serializers.IntegerField()
    done = serializers.IntegerField()
    moved = serializers.IntegerField()
    dropped = serializers.IntegerField()
    percent_done = serializers.FloatField(help_text="Tỷ lệ đã thực hiện trên tổng số nội dung (%).")
    closed = ReportItemSerializer(many=True, help_text="Nội dung chuyển kỳ sau, không thực hiện, kèm lý do.")


class ReportSerializer(serializers.Serializer):
    program = serializers.IntegerField(source="program.pk")
    rows = ReportRowSerializer(many=True)
    totals = ReportRowSerializer()
