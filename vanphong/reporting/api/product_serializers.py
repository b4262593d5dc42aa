"""Shapes of the information products' API: input serializers only parse; every rule lives in
``products`` (the service) and ``product_sources`` (what may be read and chosen)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from vanphong.reporting import products
from vanphong.reporting.api.serializers import MAX_ID
from vanphong.reporting.models import InfoProduct, ItemSource, ProductItem, ProductKind, ProductTemplate
from vanphong.tasks.api.serializers import CodeField


class SectionSerializer(serializers.Serializer):
    heading = serializers.CharField(max_length=300, allow_blank=True)
    source = serializers.CharField(max_length=20, help_text=" | ".join(ItemSource.values))  # type: ignore[assignment]  # a field named like Field.source (popped by the metaclass)
    next = serializers.BooleanField(required=False, default=False)


class TemplateInputSerializer(serializers.Serializer):
    organization = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    kind = serializers.CharField(max_length=20, help_text=" | ".join(ProductKind.values))
    name = serializers.CharField(max_length=200)
    title = serializers.CharField(max_length=500)
    doc_type = serializers.CharField(max_length=10, required=False, default="BC")
    intro = serializers.CharField(required=False, allow_blank=True, default="")
    closing = serializers.CharField(required=False, allow_blank=True, default="")
    sections = SectionSerializer(many=True)
    recipients = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        default=list,
        max_length=500,
    )
    active = serializers.BooleanField(required=False, default=True)


class TemplateSerializer(serializers.ModelSerializer):
    organization = serializers.IntegerField(source="organization_id", read_only=True)
    kind = CodeField(ProductKind, "ProductKindEnum")
    sections = SectionSerializer(many=True, read_only=True)
    recipients = serializers.SerializerMethodField()

    class Meta:
        model = ProductTemplate
        fields = [
            "id",
            "organization",
            "kind",
            "name",
            "title",
            "doc_type",
            "intro",
            "closing",
            "sections",
            "recipients",
            "active",
            "updated_at",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_recipients(self, obj: ProductTemplate) -> list[int]:
        return sorted(o.pk for o in obj.recipients.all())


class ProductCreateSerializer(serializers.Serializer):
    template = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    day = serializers.DateField(help_text="Ngày trong khoảng của sản phẩm (ngày, tuần, nửa đầu tháng).")


class ItemInSerializer(serializers.Serializer):
    section = serializers.IntegerField(min_value=0, max_value=100)
    source = serializers.CharField(max_length=20, required=False, default=ItemSource.NOTE)  # type: ignore[assignment]  # as above
    object_id = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True)
    text = serializers.CharField(allow_blank=True, max_length=5000)


class ProductSaveSerializer(serializers.Serializer):
    items = ItemInSerializer(many=True, max_length=products.MAX_ITEMS)  # type: ignore[call-arg]  # ListSerializer takes it
    title = serializers.CharField(max_length=500, required=False)
    intro = serializers.CharField(allow_blank=True, required=False)
    closing = serializers.CharField(allow_blank=True, required=False)
    recipients = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False, max_length=500
    )


class ItemSerializer(serializers.ModelSerializer):
    source = CodeField(ItemSource, "ProductItemSourceEnum")  # type: ignore[assignment]  # as above

    class Meta:
        model = ProductItem
        fields = ["section", "source", "object_id", "text"]


class CandidateSerializer(serializers.Serializer):
    section = serializers.IntegerField()
    source = serializers.CharField()  # type: ignore[assignment]  # as above
    object_id = serializers.IntegerField()
    text = serializers.CharField()
    notable = serializers.BooleanField()


class ProductSerializer(serializers.ModelSerializer):
    organization = serializers.IntegerField(source="organization_id", read_only=True)
    template = serializers.IntegerField(source="template_id", read_only=True)
    kind = CodeField(ProductKind, "ProductKindEnum")
    sections = SectionSerializer(many=True, read_only=True)
    items = ItemSerializer(many=True, read_only=True)
    recipients = serializers.SerializerMethodField()
    document = serializers.IntegerField(source="document_id", read_only=True, allow_null=True)
    state = serializers.SerializerMethodField()

    class Meta:
        model = InfoProduct
        fields = [
            "id",
            "organization",
            "template",
            "kind",
            "period_start",
            "period_end",
            "title",
            "doc_type",
            "intro",
            "closing",
            "sections",
            "items",
            "recipients",
            "document",
            "state",
            "created_at",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_recipients(self, obj: InfoProduct) -> list[int]:
        return sorted(o.pk for o in obj.recipients.all())

    @extend_schema_field(CodeField(products.ProductState, "InfoProductStateEnum"))
    def get_state(self, obj: InfoProduct) -> str:
        return products.product_state(obj)


def section_rows(data: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The sections as the service takes them (``next`` only when set)."""
    return [{k: v for k, v in row.items() if k != "next" or v} for row in data]
