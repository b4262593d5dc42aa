"""Shapes of the outgoing API (see /work/shared/API.md, "Documents"): input serializers only
parse and validate types; the rules live in ``services.outgoing``."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from vanphong.documents.models import (
    Document,
    DocumentState,
    DraftVersion,
    Recipient,
    ReviewDecision,
    ReviewKind,
    ReviewStep,
    Urgency,
)
from vanphong.documents.services.outgoing import AUTHORITIES, signature_block
from vanphong.orgs.api.serializers import ClassificationField
from vanphong.orgs.models import CLASSIFICATION_BY_CODE, Organization, Person


class OutgoingCreateSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.filter(active=True, hosted=True),
        required=False,
        help_text="Cơ quan ban hành; mặc định cơ quan đầu tiên mà người gọi được soạn thảo văn bản.",
    )
    doc_type = serializers.CharField(max_length=12, help_text="Chữ viết tắt tên loại: NQ, QĐ, CV, ...")
    subject = serializers.CharField(max_length=5000, help_text="Trích yếu nội dung.")
    urgency = serializers.ChoiceField(choices=Urgency.values, required=False, default=Urgency.NORMAL)
    classification = serializers.ChoiceField(
        choices=list(CLASSIFICATION_BY_CODE), required=False, default="none"
    )
    signer = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.filter(active=True), required=False, allow_null=True, help_text="Id người ký."
    )
    signing_authority = serializers.ChoiceField(
        choices=["", *AUTHORITIES],
        required=False,
        allow_null=True,
        default=None,
        help_text="TM, KT, TL, TUQ, Q hoặc rỗng (người đứng đầu ký); mặc định theo vai trò của người ký.",
    )
    recipients = serializers.ListField(
        child=serializers.PrimaryKeyRelatedField(queryset=Organization.objects.filter(active=True)),
        required=False,
        default=list,
        help_text="Id các cơ quan nhận.",
    )
    body = serializers.CharField(max_length=200_000, required=False, allow_blank=True, default="")
    files = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, help_text="Tệp dự thảo (multipart)."
    )
    circulation = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="Phạm vi lưu hành, in trong khung dưới ngày tháng, ví dụ: Lưu hành nội bộ.",
    )
    typist_initials = serializers.CharField(
        max_length=10,
        required=False,
        allow_blank=True,
        default="",
        help_text="Ký hiệu người đánh máy: chữ cái, tối đa 10, ví dụ TH.",
    )
    copies_count = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="Số lượng bản phát hành, 1–1000."
    )

    def validate_classification(self, value: str) -> int:
        return CLASSIFICATION_BY_CODE[value]


class StepInputSerializer(serializers.Serializer):
    stage = serializers.IntegerField(min_value=1, max_value=50)
    kind = serializers.ChoiceField(choices=ReviewKind.values)
    reviewer = serializers.PrimaryKeyRelatedField(queryset=Person.objects.filter(active=True))


class SubmitSerializer(serializers.Serializer):
    steps = StepInputSerializer(many=True, help_text="Các bước duyệt; bước cuối là người ký (kind sign).")


class ReviewDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[ReviewDecision.APPROVED, ReviewDecision.RETURNED])
    comment = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class IssueInputSerializer(serializers.Serializer):
    issued_date = serializers.DateField(required=False, allow_null=True, help_text="Mặc định: hôm nay.")


class IssueResultSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    symbol = serializers.CharField()
    issued_date = serializers.DateField()


class RecipientSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="organization.name", read_only=True)
    hosted = serializers.BooleanField(source="organization.hosted", read_only=True)
    delivery = serializers.SerializerMethodField(help_text="delivered | awaiting_exchange | not_issued")

    class Meta:
        model = Recipient
        fields = ["organization", "name", "hosted", "purpose", "delivery", "delivered_at", "delivered_entry"]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=["delivered", "awaiting_exchange", "not_issued"]))
    def get_delivery(self, obj: Recipient) -> str:
        if obj.delivered_at is not None:
            return "delivered"
        return "awaiting_exchange" if obj.document.number else "not_issued"


class ReviewStepSerializer(serializers.ModelSerializer):
    reviewer_name = serializers.CharField(source="reviewer.full_name", read_only=True)

    class Meta:
        model = ReviewStep
        fields = [
            "id",
            "round",
            "stage",
            "kind",
            "reviewer",
            "reviewer_name",
            "decision",
            "comment",
            "decided_at",
        ]
        read_only_fields = fields


class VersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = DraftVersion
        fields = ["number", "note", "file", "created_at"]
        read_only_fields = fields


class OutgoingSerializer(serializers.ModelSerializer):
    classification = ClassificationField(read_only=True)
    # Plain value lists, as the incoming API declares them: one enum per field in the schema.
    urgency = serializers.ChoiceField(choices=Urgency.values, read_only=True)
    style = serializers.ChoiceField(choices=["party", "state"], read_only=True)  # type: ignore[assignment]  # not Field.style
    state = serializers.ChoiceField(choices=DocumentState.values, read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "organization",
            "state",
            "style",
            "doc_type",
            "number",
            "symbol",
            "issued_date",
            "subject",
            "urgency",
            "classification",
            "signer_name",
            "created_at",
        ]
        read_only_fields = fields


class OutgoingDetailSerializer(OutgoingSerializer):
    recipients = RecipientSerializer(many=True, read_only=True)
    review_steps = ReviewStepSerializer(many=True, read_only=True)
    versions = VersionSerializer(many=True, read_only=True)
    signature = serializers.SerializerMethodField(help_text="Các dòng thẩm quyền ký, chức vụ và họ tên.")

    class Meta(OutgoingSerializer.Meta):
        fields = [
            *OutgoingSerializer.Meta.fields,
            "issued_place",
            "signer",
            "signer_position",
            "signing_authority",
            "recipients_text",
            "circulation",
            "typist_initials",
            "copies_count",
            "recipients",
            "review_steps",
            "versions",
            "signature",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_signature(self, obj: Document) -> list[Any]:
        block = signature_block(obj)
        return [*block.lines, block.name]
