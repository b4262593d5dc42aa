"""Output shapes of the organisation directory and of people (see /work/shared/API.md: the
listed fields are a contract; fields may be added, never renamed or removed in v1)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from vanphong.orgs.models import (
    CLASSIFICATION_CODES,
    Organization,
    OrgKind,
    OrgLevel,
    Person,
    Position,
    Role,
    RoleAssignment,
    Unit,
)


class OrganizationSerializer(serializers.ModelSerializer):
    level = serializers.SlugRelatedField[OrgLevel](
        slug_field="code", read_only=True, allow_null=True, help_text="Mã cấp tổ chức (tinh, xa, ...)."
    )
    parent = serializers.PrimaryKeyRelatedField[Organization](  # type: ignore[assignment]  # not Field.parent: the metaclass pops declared fields
        read_only=True, allow_null=True, help_text="Id tổ chức cấp trên."
    )
    kind = serializers.ChoiceField(choices=OrgKind.choices, read_only=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "short_name",
            "abbreviation",
            "level",
            "parent",
            "hosted",
            "kind",
            "slug",
            "active",
            "place_name",
            "electronic_id",
        ]
        read_only_fields = fields


class UnitSerializer(serializers.ModelSerializer):
    organization = serializers.PrimaryKeyRelatedField[Organization](read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "organization", "name", "short_name", "abbreviation", "active"]
        read_only_fields = fields


class RoleSerializer(serializers.ModelSerializer):
    role = serializers.ChoiceField(choices=Role.choices, read_only=True)
    organization = serializers.PrimaryKeyRelatedField[Organization](read_only=True)
    unit = serializers.PrimaryKeyRelatedField[Unit](read_only=True, allow_null=True)

    class Meta:
        model = RoleAssignment
        fields = ["role", "organization", "unit", "title", "starts_on", "ends_on"]
        read_only_fields = fields


@extend_schema_field({"type": "string", "enum": list(CLASSIFICATION_CODES.values())})
class ClassificationField(serializers.Field):
    """An ordered classification level as its API code (none | mat | toi_mat | tuyet_mat)."""

    def to_representation(self, value: int) -> str:
        return CLASSIFICATION_CODES[value]


class PersonSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True, allow_null=True)
    organization = serializers.PrimaryKeyRelatedField[Organization](read_only=True)
    unit = serializers.PrimaryKeyRelatedField[Unit](read_only=True, allow_null=True)
    position = serializers.SlugRelatedField[Position](slug_field="name", read_only=True, allow_null=True)
    # ``current_roles`` is prefetched by the selectors (current assignments only).
    roles = RoleSerializer(
        source="current_roles", many=True, read_only=True, help_text="Các vai trò đang giữ."
    )
    clearance = ClassificationField(read_only=True, help_text="Độ mật cao nhất được tiếp cận.")

    class Meta:
        model = Person
        fields = [
            "id",
            "username",
            "full_name",
            "organization",
            "unit",
            "position",
            "roles",
            "clearance",
            "email",
            "phone",
            "active",
        ]
        read_only_fields = fields
