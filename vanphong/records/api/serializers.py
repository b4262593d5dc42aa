"""Shapes of the records and archive API (see /work/shared/API.md, "Records and archive").
Input serializers only parse and check types and sizes; every rule (who may, retention,
disposal refusals) lives in ``services``, every read in ``selectors``.

A retention is ``"vinh_vien"`` (permanent) or a number of years, on the way in and out."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from vanphong.orgs.api.serializers import ClassificationField
from vanphong.records.models import (
    ArchiveRequest,
    Disposal,
    FilePlan,
    ItemKind,
    PlanItem,
    PlanState,
    Record,
    RecordItem,
    RecordState,
    RequestMode,
    RequestState,
    Transfer,
    TransferState,
)
from vanphong.records.services import MAX_ITEMS, MAX_RETENTION
from vanphong.tasks.api.serializers import CodeField

MAX_ID = 2**63 - 1  # a larger id is no row; the database would overflow
PERMANENT = "vinh_vien"
MAX_RECORDS = 500  # records named in one transfer, request or disposal

RETENTION_SCHEMA: dict[str, Any] = {
    "oneOf": [
        {"type": "string", "enum": [PERMANENT], "description": "Vĩnh viễn."},
        {"type": "integer", "minimum": 1, "maximum": MAX_RETENTION, "description": "Số năm."},
    ],
    "description": f'Thời hạn bảo quản: "{PERMANENT}" (vĩnh viễn) hoặc số năm (1–{MAX_RETENTION}).',
}


def _choice_help(choices: Any) -> str:
    return " | ".join(choices.values)


def _id(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def _optional_id(help_text: str) -> serializers.IntegerField:
    return _id(required=False, allow_null=True, default=None, help_text=help_text)


def _ids(help_text: str) -> serializers.ListField:
    return serializers.ListField(child=_id(), max_length=MAX_RECORDS, help_text=help_text)


def retention_out(years: int | None) -> str | int:
    return PERMANENT if years is None else years


@extend_schema_field(RETENTION_SCHEMA)
class RetentionField(serializers.Field):
    """``"vinh_vien"`` → None (permanent), a number of years → that int (1–200)."""

    default_error_messages = {
        "invalid": f'Thời hạn bảo quản là số năm (1–{MAX_RETENTION}) hoặc "{PERMANENT}" (vĩnh viễn).',
    }

    def to_internal_value(self, data: Any) -> int | None:
        if data == PERMANENT:
            return None
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, str) and data.strip().isdigit() and len(data.strip()) <= 4:
            data = int(data.strip())
        if not isinstance(data, int) or not 1 <= data <= MAX_RETENTION:
            self.fail("invalid")
        return int(data)

    def to_representation(self, value: int | None) -> str | int:
        return retention_out(value)  # (DRF answers None itself: outputs use get_retention)


# --- Input -----------------------------------------------------------------------------------


class PlanItemInSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20, help_text="Số và ký hiệu hồ sơ, ví dụ 01.TH.")
    title = serializers.CharField(max_length=500, help_text="Tiêu đề hồ sơ.")
    retention = RetentionField()
    unit = _optional_id("Id đơn vị lập hồ sơ.")
    person = _optional_id("Id người lập hồ sơ.")
    heading = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="Đề mục lớn."
    )
    construction = serializers.BooleanField(
        required=False, default=False, help_text="Hồ sơ xây dựng cơ bản (nộp lưu trong 3 tháng)."
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class FilePlanCreateSerializer(serializers.Serializer):
    organization = _optional_id("Id cơ quan; mặc định cơ quan của người gọi (của Văn phòng là cấp ủy).")
    year = serializers.IntegerField(min_value=1945, max_value=9999, help_text="Năm của danh mục.")
    items = serializers.ListField(
        child=PlanItemInSerializer(), required=False, default=list, max_length=MAX_ITEMS
    )


class RecordCreateSerializer(serializers.Serializer):
    plan_item = _optional_id("Id hồ sơ trong danh mục (mở theo danh mục).")
    title = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="Tiêu đề; mặc định tiêu đề trong danh mục.",
    )
    organization = _optional_id("Ngoài danh mục: id cơ quan; mặc định cơ quan của người gọi.")
    code = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default="", help_text="Ngoài danh mục: số, ký hiệu."
    )
    retention = RetentionField(required=False, help_text="Ngoài danh mục: thời hạn bảo quản (bắt buộc).")
    year = serializers.IntegerField(
        min_value=1945,
        max_value=9999,
        required=False,
        allow_null=True,
        default=None,
        help_text="Ngoài danh mục: năm hình thành (mặc định năm nay).",
    )
    unit = _optional_id("Id đơn vị lập hồ sơ.")
    start_date = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Ngày bắt đầu (mặc định hôm nay)."
    )
    keywords = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    description = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", help_text="Chú giải."
    )
    construction = serializers.BooleanField(required=False, default=False)


class RecordFileSerializer(serializers.Serializer):
    document = _optional_id("Id văn bản (đến, đi hoặc nội bộ).")
    meeting = _optional_id("Id cuộc họp.")
    petition = _optional_id("Id đơn thư.")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class RecordCloseSerializer(serializers.Serializer):
    end_date = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Ngày kết thúc (mặc định hôm nay)."
    )
    closing_note = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default="", help_text="Chứng từ kết thúc."
    )
    retention = RetentionField(required=False, help_text="Xác định lại thời hạn bảo quản (nếu cần).")
    page_total = serializers.IntegerField(
        min_value=1, max_value=999_999, required=False, allow_null=True, default=None, help_text="Số tờ."
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="Lý do.")


class TransferCreateSerializer(serializers.Serializer):
    records = _ids("Id các hồ sơ đã kết thúc đưa vào mục lục nộp lưu.")
    organization = _optional_id("Id cơ quan; mặc định cơ quan của các hồ sơ.")
    unit = _optional_id("Id đơn vị nộp.")
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class HandOverSerializer(serializers.Serializer):
    boxes = serializers.IntegerField(
        min_value=0, max_value=10_000, required=False, default=0, help_text="Số hộp (cặp)."
    )
    condition = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", help_text="Tình trạng tài liệu."
    )
    removed = serializers.ListField(
        child=_id(),
        required=False,
        default=list,
        max_length=MAX_RECORDS,
        help_text="Id các hồ sơ không nhận (rút khỏi mục lục, ở lại đơn vị).",
    )


class ArchiveRequestCreateSerializer(serializers.Serializer):
    records = _ids("Id các hồ sơ đã nộp lưu.")
    purpose = serializers.CharField(max_length=500, help_text="Mục đích khai thác.")
    mode = serializers.CharField(
        max_length=10, required=False, default=RequestMode.READ, help_text=_choice_help(RequestMode)
    )
    return_due = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Hạn trả (bắt buộc khi mượn)."
    )


class DecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField(help_text="true: duyệt; false: từ chối (cần note).")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class DisposalCreateSerializer(serializers.Serializer):
    records = _ids("Id các hồ sơ hết thời hạn bảo quản.")
    decision = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        default="",
        help_text="Quyết định hủy của người đứng đầu (số, ngày, người ký); bắt buộc.",
    )
    decided_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Ngày quyết định (mặc định hôm nay)."
    )
    council = serializers.CharField(
        max_length=5000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Hội đồng xác định giá trị tài liệu.",
    )
    organization = _optional_id("Id cơ quan; mặc định cơ quan của các hồ sơ.")


class PlanFilterSerializer(serializers.Serializer):
    """The list's query parameters (checked as any input: a NUL or a bidi control is refused)."""

    organization = _optional_id("Id cơ quan.")
    year = serializers.IntegerField(
        min_value=1, max_value=9999, required=False, allow_null=True, default=None
    )


class RecordFilterSerializer(PlanFilterSerializer):
    state = serializers.ChoiceField(
        choices=RecordState.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=_choice_help(RecordState),
    )
    q = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="Từ khóa."
    )


class PackageImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="Gói BagIt (.zip) do hệ thống này hoặc hệ thống khác tạo ra.")
    organization = _id(help_text="Id cơ quan nhận hồ sơ vào lưu trữ.")


# --- Output ----------------------------------------------------------------------------------


class PlanItemSerializer(serializers.ModelSerializer):
    retention = serializers.SerializerMethodField()

    class Meta:
        model = PlanItem
        fields = [
            "id",
            "order",
            "heading",
            "code",
            "title",
            "retention",
            "unit",
            "person",
            "construction",
            "note",
        ]
        read_only_fields = fields

    @extend_schema_field(RETENTION_SCHEMA)
    def get_retention(self, obj: Any) -> str | int:
        return retention_out(obj.retention_years)


class FilePlanSerializer(serializers.ModelSerializer):
    state = CodeField(PlanState, "FilePlanStateEnum")
    items = PlanItemSerializer(many=True, read_only=True)

    class Meta:
        model = FilePlan
        fields = [
            "id",
            "organization",
            "year",
            "state",
            "based_on",
            "approved_by",
            "approved_at",
            "created_by",
            "created_at",
            "items",
        ]
        read_only_fields = fields


class RecordItemSerializer(serializers.ModelSerializer):
    kind = CodeField(ItemKind, "RecordItemKindEnum")
    classification = ClassificationField(read_only=True)

    class Meta:
        model = RecordItem
        fields = [
            "ordinal",
            "kind",
            "document",
            "meeting",
            "petition",
            "type_name",
            "symbol",
            "issued_date",
            "issuer_name",
            "subject",
            "page_count",
            "classification",
            "note",
            "added_at",
        ]
        read_only_fields = fields


RECORD_FIELDS = [
    "id",
    "organization",
    "plan_item",
    "year",
    "code",
    "file_code",
    "title",
    "retention",
    "construction",
    "unit",
    "creator",
    "classification",
    "state",
    "keywords",
    "description",
    "start_date",
    "end_date",
    "closing_note",
    "page_total",
    "retention_until",
    "transfer_due",
    "transfer",
    "disposal",
    "held",
    "hold_reason",
    "imported",
    "created_at",
]


class RecordSerializer(serializers.ModelSerializer):
    retention = serializers.SerializerMethodField()
    classification = ClassificationField(read_only=True)
    state = CodeField(RecordState, "RecordStateEnum")
    file_code = serializers.CharField(read_only=True, help_text="Mã hồ sơ: mã cơ quan.năm.số ký hiệu.")
    held = serializers.SerializerMethodField(help_text="Đang bị phong tỏa (không được hủy).")

    class Meta:
        model = Record
        fields = RECORD_FIELDS
        read_only_fields = fields

    @extend_schema_field(RETENTION_SCHEMA)
    def get_retention(self, obj: Any) -> str | int:
        return retention_out(obj.retention_years)

    def get_held(self, obj: Record) -> bool:
        return bool(obj.hold_reason)


class RecordDetailSerializer(RecordSerializer):
    items = RecordItemSerializer(many=True, read_only=True)

    class Meta(RecordSerializer.Meta):
        fields = [*RECORD_FIELDS, "items"]
        read_only_fields = fields


class TransferSerializer(serializers.ModelSerializer):
    state = CodeField(TransferState, "TransferStateEnum")
    records = serializers.SerializerMethodField()

    class Meta:
        model = Transfer
        fields = [
            "id",
            "organization",
            "unit",
            "state",
            "records",
            "handed_by",
            "received_by",
            "handed_over_at",
            "boxes",
            "condition",
            "note",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_records(self, obj: Transfer) -> list[int]:
        return sorted(r.pk for r in obj.records.all())


class ArchiveRequestSerializer(serializers.ModelSerializer):
    state = CodeField(RequestState, "ArchiveRequestStateEnum")
    mode = CodeField(RequestMode, "ArchiveRequestModeEnum")
    records = serializers.SerializerMethodField()

    class Meta:
        model = ArchiveRequest
        fields = [
            "id",
            "organization",
            "requester",
            "records",
            "purpose",
            "mode",
            "state",
            "return_due",
            "decided_by",
            "decided_at",
            "decision_note",
            "return_task",
            "returned_at",
            "received_back_by",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_records(self, obj: ArchiveRequest) -> list[int]:
        return sorted(r.pk for r in obj.records.all())


class DisposalSerializer(serializers.ModelSerializer):
    records = serializers.SerializerMethodField()
    listing = serializers.JSONField(
        read_only=True,
        help_text=(
            "Danh mục tài liệu hủy như khi quyết định: mỗi hồ sơ với mã, tiêu đề, thời hạn, các văn bản "
            "và tên, mã băm SHA-256 của từng tệp đã hủy."
        ),
    )

    class Meta:
        model = Disposal
        fields = [
            "id",
            "organization",
            "decision",
            "decided_on",
            "council",
            "records",
            "listing",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_records(self, obj: Disposal) -> list[int]:
        return sorted(r.pk for r in obj.records.all())


class PackageImportResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Id hồ sơ đầu tiên được nhập.")
    records = RecordSerializer(many=True)
