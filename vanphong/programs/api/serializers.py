"""Shapes of the meetings API (see /work/shared/API.md, "Work programmes, calendar, meetings",
and docs/api.md): input serializers only parse and check types; every rule lives in
``services`` and ``selectors``."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from vanphong.orgs.api.serializers import ClassificationField
from vanphong.orgs.models import Organization, Person
from vanphong.programs.models import (
    Attendance,
    Conclusion,
    ConclusionRole,
    Meeting,
    MeetingKind,
    MeetingParticipant,
    MeetingState,
    ParticipantRole,
    ProgramItem,
    Room,
)
from vanphong.tasks.api.serializers import CodeField, TaskTargetSerializer

# --- Input -----------------------------------------------------------------------------------


class MeetingCreateSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), help_text="Id cơ quan tổ chức cuộc họp."
    )
    title = serializers.CharField(max_length=500, help_text="Tên cuộc họp.")
    kind = serializers.ChoiceField(choices=MeetingKind.choices, help_text="Loại cuộc họp.")
    start = serializers.DateTimeField(help_text="Bắt đầu (ISO 8601).")
    end = serializers.DateTimeField(help_text="Kết thúc (ISO 8601), sau thời gian bắt đầu.")
    room = serializers.PrimaryKeyRelatedField(
        queryset=Room.objects.select_related("organization"),
        required=False,
        allow_null=True,
        default=None,
        help_text="Id phòng họp (GET /api/v1/rooms/). Phòng đã có cuộc họp trùng giờ: 409.",
    )
    place = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        default="",
        help_text="Địa điểm, khi không họp tại phòng.",
    )
    chair = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), help_text="Id cán bộ chủ trì.")
    participants = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(),
        many=True,
        required=False,
        default=list,
        help_text="Id các cán bộ dự họp.",
    )
    guests = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), many=True, required=False, default=list, help_text="Id các khách mời."
    )
    program_item = serializers.PrimaryKeyRelatedField(
        queryset=ProgramItem.objects.select_related("program"),
        required=False,
        allow_null=True,
        default=None,
        help_text="Id nội dung của chương trình công tác mà cuộc họp thực hiện (tùy chọn).",
    )


class MeetingUpdateSerializer(serializers.Serializer):
    """PATCH: only the fields given change (rescheduling is a new ``start``/``end``)."""

    title = serializers.CharField(max_length=500, required=False, help_text="Tên cuộc họp.")
    kind = serializers.ChoiceField(choices=MeetingKind.choices, required=False, help_text="Loại cuộc họp.")
    start = serializers.DateTimeField(required=False, help_text="Bắt đầu (ISO 8601).")
    end = serializers.DateTimeField(required=False, help_text="Kết thúc (ISO 8601).")
    room = serializers.PrimaryKeyRelatedField(
        queryset=Room.objects.select_related("organization"),
        required=False,
        allow_null=True,
        help_text="Id phòng họp; null để họp ngoài phòng (khi đó cần place). Trùng giờ: 409.",
    )
    place = serializers.CharField(max_length=300, required=False, allow_blank=True, help_text="Địa điểm.")
    chair = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), required=False)
    participants = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), many=True, required=False
    )
    guests = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), many=True, required=False)


class MeetingCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="Lý do hủy, hoãn.")


class MinutesSerializer(serializers.Serializer):
    minutes = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=100_000, help_text="Nội dung biên bản."
    )
    file = serializers.FileField(
        required=False, allow_null=True, default=None, help_text="Tệp biên bản (PDF, DOCX, ảnh quét)."
    )


class AgendaCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=500, help_text="Nội dung.")
    documents = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=list,
        max_length=100,
        help_text="Id các văn bản của tài liệu cuộc họp (văn bản người gọi được xem).",
    )


class ConclusionCreateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000, help_text="Nội dung kết luận.")
    lead = TaskTargetSerializer(
        required=False,
        allow_null=True,
        default=None,
        help_text="Nơi chủ trì: đúng một trong organization, unit, person.",
    )
    cooperating = TaskTargetSerializer(many=True, required=False, default=list, help_text="Các nơi phối hợp.")
    due_date = serializers.DateField(required=False, allow_null=True, default=None, help_text="Thời hạn.")


# --- Output ----------------------------------------------------------------------------------


class RoomSerializer(serializers.ModelSerializer):
    organization = serializers.PrimaryKeyRelatedField[Organization](read_only=True)

    class Meta:
        model = Room
        fields = ["id", "name", "capacity", "organization", "equipment", "active"]


class MeetingSerializer(serializers.ModelSerializer):
    organization = serializers.PrimaryKeyRelatedField[Organization](read_only=True)
    room = serializers.PrimaryKeyRelatedField[Room](read_only=True, allow_null=True)
    room_name = serializers.CharField(source="room.name", read_only=True, allow_null=True, default=None)
    chair = serializers.PrimaryKeyRelatedField[Person](read_only=True)
    chair_name = serializers.CharField(source="chair.full_name", read_only=True)
    kind = CodeField(MeetingKind, "MeetingKindEnum")
    state = CodeField(MeetingState, "MeetingStateEnum")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "organization",
            "title",
            "kind",
            "kind_label",
            "start",
            "end",
            "room",
            "room_name",
            "place",
            "chair",
            "chair_name",
            "state",
            "state_label",
            "program_item",
        ]


class ParticipantSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.full_name", read_only=True)
    role = CodeField(ParticipantRole, "MeetingParticipantRoleEnum")
    attendance = CodeField(Attendance, "MeetingAttendanceEnum")

    class Meta:
        model = MeetingParticipant
        fields = ["person", "name", "role", "attendance", "reason"]


class PackDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    symbol = serializers.CharField()
    subject = serializers.CharField()
    issued_date = serializers.DateField(allow_null=True)
    classification = ClassificationField()


class AgendaItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    title = serializers.CharField()
    documents = PackDocumentSerializer(many=True, help_text="Tài liệu người gọi được đọc (theo độ mật).")


class PartyOutSerializer(serializers.Serializer):
    organization = serializers.IntegerField(source="organization_id", allow_null=True)
    unit = serializers.IntegerField(source="unit_id", allow_null=True)
    person = serializers.IntegerField(source="person_id", allow_null=True)
    name = serializers.CharField(source="__str__")


class ConclusionSerializer(serializers.ModelSerializer):
    lead = serializers.SerializerMethodField()
    cooperating = serializers.SerializerMethodField()
    task = serializers.IntegerField(
        source="task_id", allow_null=True, read_only=True, help_text="Id nhiệm vụ giao."
    )
    task_state = serializers.CharField(source="task.state", allow_null=True, read_only=True, default=None)

    class Meta:
        model = Conclusion
        fields = ["id", "order", "text", "lead", "cooperating", "due_date", "task", "task_state"]

    @extend_schema_field(PartyOutSerializer(allow_null=True))
    def get_lead(self, obj: Conclusion) -> dict[str, Any] | None:
        lead = [p for p in obj.parties.all() if p.role == ConclusionRole.LEAD]
        return dict(PartyOutSerializer(lead[0]).data) if lead else None

    @extend_schema_field(PartyOutSerializer(many=True))
    def get_cooperating(self, obj: Conclusion) -> list[dict[str, Any]]:
        rows = [p for p in obj.parties.all() if p.role == ConclusionRole.COOPERATE]
        return [dict(d) for d in PartyOutSerializer(rows, many=True).data]


class MeetingDetailSerializer(MeetingSerializer):
    participants = ParticipantSerializer(many=True, read_only=True)
    agenda = serializers.SerializerMethodField()
    conclusions = ConclusionSerializer(many=True, read_only=True)
    notice = serializers.IntegerField(
        source="notice_id", allow_null=True, read_only=True, help_text="Id văn bản Thông báo kết luận."
    )
    minutes_file = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = [
            *MeetingSerializer.Meta.fields,
            "participants",
            "agenda",
            "conclusions",
            "minutes",
            "minutes_file",
            "cancel_reason",
            "notice",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_minutes_file(self, obj: Meeting) -> str | None:
        """Where the minutes' file is downloaded (signed-in, with the meeting's access)."""
        if not obj.minutes_file:
            return None
        return reverse("api:meeting-minutes-file", args=[obj.pk])

    @extend_schema_field(AgendaItemSerializer(many=True))
    def get_agenda(self, obj: Meeting) -> list[dict[str, Any]]:
        pack = self.context["agenda"]
        return [
            {
                "id": item.pk,
                "order": item.order,
                "title": item.title,
                "documents": PackDocumentSerializer(docs, many=True).data,
            }
            for item, docs in pack
        ]


class MeetingCreatedSerializer(MeetingDetailSerializer):
    warnings = serializers.SerializerMethodField()

    class Meta(MeetingDetailSerializer.Meta):
        fields = [*MeetingDetailSerializer.Meta.fields, "warnings"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_warnings(self, obj: Meeting) -> list[str]:
        return list(self.context.get("warnings", []))
