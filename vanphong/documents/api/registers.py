"""API of the registers flow: ``GET /api/v1/registers/`` — the registers (sổ văn bản) of the
organisations the caller may read, with their numbering policy as data and in words.
Classified registers are listed to their keepers and leaders only."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Count, QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.routers import SimpleRouter

from vanphong.core.api.schema import error_responses
from vanphong.documents.models import NumberReset, Register, RegisterKind
from vanphong.documents.services import registers as services
from vanphong.orgs.api.filters import BoolFilter, IdFilter, parse_filters
from vanphong.orgs.models import Organization


class RegisterSerializer(serializers.ModelSerializer):
    organization = serializers.PrimaryKeyRelatedField[Organization](read_only=True)
    kind = serializers.ChoiceField(choices=RegisterKind.choices, read_only=True, help_text="den | di | sao")
    reset = serializers.ChoiceField(
        choices=NumberReset.choices,
        read_only=True,
        help_text="year | term | never: khi nào đánh số lại từ 01.",
    )
    style = serializers.ChoiceField(  # type: ignore[assignment]  # a declared field, not Field.style
        choices=["party", "state"], read_only=True, help_text="party | state"
    )
    policy = serializers.SerializerMethodField(help_text="Cách đánh số, bằng lời.")
    entry_count = serializers.IntegerField(read_only=True, help_text="Số văn bản đã vào sổ.")

    class Meta:
        model = Register
        fields = [
            "id",
            "organization",
            "kind",
            "name",
            "classified",
            "reset",
            "per_type",
            "secret_series",
            "style",
            "active",
            "policy",
            "entry_count",
        ]
        read_only_fields = fields

    def get_policy(self, obj: Register) -> str:
        terms = self.context.setdefault("_terms", {})
        if obj.organization_id not in terms:
            terms[obj.organization_id] = services.current_term(obj.organization, timezone.localdate())
        return services.policy_words(obj, terms[obj.organization_id])


class RegisterFilter(django_filters.FilterSet):
    organization = IdFilter(label="Id cơ quan")
    kind = django_filters.ChoiceFilter(choices=RegisterKind.choices, label="Loại sổ: den, di, sao")
    active = BoolFilter(label="Đang sử dụng")

    class Meta:
        model = Register
        fields = ["organization", "kind", "active"]


@extend_schema_view(
    list=extend_schema(
        summary="Sổ văn bản trong phạm vi được xem",
        description=(
            "Các sổ văn bản (đến, đi, sao) của các cơ quan người gọi được xem, với cách đánh số: "
            "reset (year: từ 01 mỗi năm; term: theo nhiệm kỳ; never: một dãy liên tục), per_type "
            "(mỗi loại văn bản một dãy số), secret_series (văn bản mật có dãy số riêng). Sổ văn bản mật "
            "chỉ hiện với văn thư, lãnh đạo của cơ quan."
        ),
        tags=["documents"],
        responses={200: RegisterSerializer(many=True), **error_responses(400, 401)},
    )
)
class RegisterViewSet(viewsets.GenericViewSet, mixins.ListModelMixin):
    serializer_class = RegisterSerializer
    filterset_class = RegisterFilter
    queryset = Register.objects.none()  # for the schema; requests use the access layer

    def get_queryset(self) -> QuerySet[Register]:
        filters: dict[str, Any] = parse_filters(RegisterFilter, self.request)
        qs = services.registers_visible_to(self.request.user).filter(**filters)
        return (
            qs.select_related("organization")
            .annotate(entry_count=Count("entries"))
            .order_by("organization__path", "kind", "order", "name")
        )

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset  # already filtered above


router = SimpleRouter()
router.register("registers", RegisterViewSet, basename="register")
urlpatterns: list = []
