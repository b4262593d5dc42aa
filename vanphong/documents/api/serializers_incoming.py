"""Shapes of the incoming API (see /work/shared/API.md, "Documents"): input serializers only
parse and validate types; the rules live in ``services.incoming``."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from vanphong.documents.models import (
    Assignment,
    AssignmentRole,
    Direction,
    DocumentFile,
    EntryStatus,
    RegisterEntry,
    Urgency,
)
from vanphong.documents.services.incoming import symbol_read
from vanphong.orgs.api.serializers import ClassificationField
from vanphong.orgs.models import CLASSIFICATION_BY_CODE, Organization, Person, Unit


class ParsedSymbolSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    doc_type = serializers.CharField(allow_null=True)
    issuer_abbreviation = serializers.CharField(allow_null=True)
    style = serializers.ChoiceField(choices=["party", "state"])  # type: ignore[assignment]  # a declared field, not Field.style


class IncomingCreateSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(active=True, hosted=True),
        required=False,
        help_text="Cơ quan nhận (vào sổ đến của cơ quan này); mặc định cơ quan đầu tiên mà người gọi giữ sổ.",
    )
    symbol = serializers.CharField(max_length=100, help_text="Số, ký hiệu như in trên văn bản: 08-NQ/TU.")
    issuer = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(active=True),
        required=False,
        allow_null=True,
        help_text="Id cơ quan ban hành; nếu không có, dùng issuer_name hoặc suy ra từ ký hiệu.",
    )
    issuer_name = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    issued_date = serializers.DateField(required=False, allow_null=True)
    doc_type = serializers.CharField(
        max_length=12, required=False, allow_blank=True, default="", help_text="Mặc định: theo ký hiệu."
    )
    subject = serializers.CharField(max_length=5000, help_text="Trích yếu nội dung.")
    urgency = serializers.ChoiceField(choices=Urgency.values, required=False, default=Urgency.NORMAL)
    classification = serializers.ChoiceField(
        choices=list(CLASSIFICATION_BY_CODE), required=False, default="none"
    )
    received_at = serializers.DateTimeField(required=False, allow_null=True)
    channel = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    signer_name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    signer_position = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    page_count = serializers.IntegerField(min_value=1, max_value=32000, required=False, allow_null=True)
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    files = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, help_text="Tệp văn bản (multipart)."
    )

    def validate_classification(self, value: str) -> int:
        return CLASSIFICATION_BY_CODE[value]


class AssignmentInputSerializer(serializers.Serializer):
    organization = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    unit = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    person = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    role = serializers.ChoiceField(choices=AssignmentRole.values)
    due_date = serializers.DateField(required=False, allow_null=True)


class DirectionCreateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000, help_text="Ý kiến chỉ đạo (bút phê).")
    assignments = AssignmentInputSerializer(many=True, required=False, default=list)


class AssignmentSerializer(serializers.ModelSerializer):
    role = serializers.ChoiceField(choices=AssignmentRole.choices, read_only=True)
    organization = serializers.PrimaryKeyRelatedField[Organization](read_only=True, allow_null=True)
    unit = serializers.PrimaryKeyRelatedField[Unit](read_only=True, allow_null=True)
    person = serializers.PrimaryKeyRelatedField[Person](read_only=True, allow_null=True)
    target_name = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = ["id", "role", "organization", "unit", "person", "target_name", "due_date", "task_id"]
        read_only_fields = fields

    def get_target_name(self, obj: Assignment) -> str:
        return str(obj.organization or obj.unit or obj.person)


class DirectionSerializer(serializers.ModelSerializer):
    author = serializers.PrimaryKeyRelatedField[Person](read_only=True)
    author_name = serializers.CharField(source="author.full_name", read_only=True)
    assignments = AssignmentSerializer(many=True, read_only=True)

    class Meta:
        model = Direction
        fields = ["id", "text", "author", "author_name", "given_at", "assignments"]
        read_only_fields = fields


class FileSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = DocumentFile
        fields = ["id", "name", "kind", "size", "sha256", "content_type", "extraction", "url"]
        read_only_fields = fields

    def get_url(self, obj: DocumentFile) -> str:
        return f"/api/v1/files/{obj.pk}/"


class IncomingSerializer(serializers.ModelSerializer):
    """One incoming register entry with its document's fields flattened."""

    document = serializers.IntegerField(source="document_id", read_only=True)
    organization = serializers.IntegerField(source="organization_id", read_only=True)
    symbol = serializers.CharField(source="document.symbol", read_only=True)
    subject = serializers.CharField(source="document.subject", read_only=True)
    doc_type = serializers.CharField(source="document.doc_type", read_only=True)
    issuer = serializers.IntegerField(source="document.issuer_id", read_only=True, allow_null=True)
    issuer_name = serializers.CharField(source="document.issuer_name", read_only=True)
    issued_date = serializers.DateField(source="document.issued_date", read_only=True, allow_null=True)
    urgency = serializers.ChoiceField(source="document.urgency", choices=Urgency.values, read_only=True)
    classification = ClassificationField(read_only=True)
    status = serializers.ChoiceField(choices=EntryStatus.values, read_only=True)
    register = serializers.IntegerField(source="register_id", read_only=True)
    register_name = serializers.CharField(source="register.name", read_only=True)
    register_number = serializers.IntegerField(source="number", read_only=True, help_text="Số đến.")
    duplicate_of = serializers.IntegerField(
        source="duplicate_of_id",
        read_only=True,
        allow_null=True,
        help_text="Id mục sổ đến trước đó của cùng văn bản (cùng cơ quan ban hành, ký hiệu, ngày), nếu có.",
    )
    presented_to = serializers.IntegerField(source="presented_to_id", read_only=True, allow_null=True)
    parsed = serializers.SerializerMethodField()

    class Meta:
        model = RegisterEntry
        fields = [
            "id",
            "document",
            "organization",
            "symbol",
            "subject",
            "doc_type",
            "issuer",
            "issuer_name",
            "issued_date",
            "urgency",
            "classification",
            "status",
            "received_at",
            "registered_at",
            "register",
            "register_name",
            "register_number",
            "duplicate_of",
            "presented_to",
            "processed_at",
            "parsed",
        ]
        read_only_fields = fields

    @extend_schema_field(ParsedSymbolSerializer(allow_null=True))
    def get_parsed(self, obj: RegisterEntry) -> dict[str, Any] | None:
        return symbol_read(obj.document.symbol).as_dict()


class IncomingDetailSerializer(IncomingSerializer):
    signer_name = serializers.CharField(source="document.signer_name", read_only=True)
    signer_position = serializers.CharField(source="document.signer_position", read_only=True)
    channel = serializers.CharField(read_only=True)
    notes = serializers.CharField(read_only=True)
    files = FileSerializer(source="document.files", many=True, read_only=True)
    directions = DirectionSerializer(many=True, read_only=True)

    class Meta(IncomingSerializer.Meta):
        fields = [
            *IncomingSerializer.Meta.fields,
            "signer_name",
            "signer_position",
            "channel",
            "notes",
            "files",
            "directions",
        ]
        read_only_fields = fields
