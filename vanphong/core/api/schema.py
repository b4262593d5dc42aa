"""The error answer as the OpenAPI schema shows it, for every API view of every app, and
the answer of a file download."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

from vanphong.core.files import EXTENSIONS


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


def file_responses(description: str = "Nội dung tệp.") -> dict[tuple[int, str], OpenApiResponse]:
    """The 200 answer of a file download, with each content type it can have: the kinds of
    file accepted on upload (``core.files.sniff``: PDF, DOCX, JPEG, PNG, TIFF), the one the
    file was stored as (an OCR'd copy is a PDF)."""
    return {
        (200, content_type): OpenApiResponse(OpenApiTypes.BINARY, description=description)
        for content_type in EXTENSIONS
    }
