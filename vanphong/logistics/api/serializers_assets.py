"""Shapes of the assets and spending API (see /work/shared/API.md, "Shared services"): input
serializers only parse and check types (ids are resolved by the views, within what the caller
may see); every rule lives in ``services_assets`` and ``services_spending``."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from vanphong.logistics.depreciation import CATEGORIES
from vanphong.logistics.models import Asset, AssetTransfer, Expense
from vanphong.logistics.money import amount_in_words
from vanphong.logistics.selectors_assets import asset_remaining

MAX_ID = 2**63 - 1
MAX_AMOUNT = 10**15


def _id(help_text: str, *, required: bool = True) -> serializers.IntegerField:
    if required:
        return serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=help_text)
    return serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True, default=None, help_text=help_text
    )


# --- Input -----------------------------------------------------------------------------------


class AssetCreateSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40, help_text="Mã tài sản, duy nhất trong sổ.")
    name = serializers.CharField(max_length=300, help_text="Tên tài sản.")
    category = serializers.ChoiceField(
        choices=[(code, c.name) for code, c in CATEGORIES.items()],
        help_text="Loại tài sản (mã trong bảng tỷ lệ hao mòn): " + " | ".join(CATEGORIES),
    )
    value = serializers.IntegerField(min_value=1, max_value=MAX_AMOUNT, help_text="Nguyên giá (đồng).")
    in_use_on = serializers.DateField(help_text="Ngày đưa vào sử dụng (YYYY-MM-DD).")
    organization = _id("Id cơ quan sử dụng.")
    holder = _id("Id người sử dụng (không bắt buộc).", required=False)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    rate = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        help_text="Tỷ lệ hao mòn riêng (%/năm), khi được duyệt khác bảng.",
    )


class AssetTransferCreateSerializer(serializers.Serializer):
    to_organization = _id("Id cơ quan nhận.")
    to_holder = _id("Id người nhận sử dụng (không bắt buộc).", required=False)
    on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Ngày bàn giao; mặc định hôm nay."
    )
    decision = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    condition = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ExpenseCreateSerializer(serializers.Serializer):
    organization = _id("Id cơ quan đề nghị chi.")
    budget_line = _id("Id dòng dự toán của cơ quan.")
    kind = _id("Id nội dung chi theo quy chế chi tiêu nội bộ.")
    description = serializers.CharField(max_length=500, help_text="Diễn giải.")
    quantity = serializers.IntegerField(
        min_value=1, max_value=100_000, default=1, help_text="Số lượng (người/ngày...)."
    )
    amount = serializers.IntegerField(min_value=1, max_value=MAX_AMOUNT, help_text="Số tiền (đồng).")
    spent_on = serializers.DateField(required=False, allow_null=True, default=None, help_text="Ngày chi.")


class ExpenseDecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField(help_text="true: duyệt chi; false: không duyệt (cần lý do).")
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


# --- Output ----------------------------------------------------------------------------------


class AssetSerializer(serializers.ModelSerializer):
    remaining_value = serializers.SerializerMethodField(help_text="Giá trị còn lại cuối năm nay (đồng).")

    class Meta:
        model = Asset
        fields = [
            "id",
            "code",
            "name",
            "category",
            "value",
            "in_use_on",
            "rate",
            "organization",
            "holder",
            "location",
            "state",
            "remaining_value",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField())
    def get_remaining_value(self, asset: Asset) -> int:
        return asset_remaining(asset)


class AssetTransferSerializer(serializers.ModelSerializer):
    remaining_value_in_words = serializers.SerializerMethodField(help_text="Giá trị còn lại bằng chữ.")

    class Meta:
        model = AssetTransfer
        fields = [
            "id",
            "asset",
            "from_organization",
            "to_organization",
            "to_holder",
            "on",
            "decision",
            "condition",
            "remaining_value",
            "remaining_value_in_words",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_remaining_value_in_words(self, transfer: AssetTransfer) -> str:
        return amount_in_words(transfer.remaining_value)


class ExpenseSerializer(serializers.ModelSerializer):
    amount_in_words = serializers.SerializerMethodField(help_text="Số tiền bằng chữ.")

    class Meta:
        model = Expense
        fields = [
            "id",
            "organization",
            "budget_line",
            "kind",
            "description",
            "quantity",
            "amount",
            "amount_in_words",
            "spent_on",
            "state",
            "requested_by",
            "decided_by",
            "decided_at",
            "reason",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_amount_in_words(self, expense: Expense) -> str:
        return amount_in_words(expense.amount)
