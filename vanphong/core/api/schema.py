"""The error answer as the OpenAPI schema shows it, for every API view of every app."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """``{"error": {"code", "message", "fields"}}`` (for the schema)."""

    error = inline_serializer(
        name="ErrorDetail",
        fields={
            "code": serializers.CharField(),
            "message": serializers.CharField(),
            "fields": serializers.DictField(child=serializers.JSONField()),
        },
    )


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    return {s: OpenApiResponse(ErrorSerializer, description="Lỗi, theo định dạng chung.") for s in statuses}
