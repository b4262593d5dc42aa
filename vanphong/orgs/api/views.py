"""Read-only endpoints of the organisation directory and of people. Each one parses its
query parameters, then asks a selector, which applies access in SQL."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from vanphong.core.api.schema import error_responses
from vanphong.orgs import selectors
from vanphong.orgs.api.filters import OrganizationFilter, PersonFilter, UnitFilter, parse_filters
from vanphong.orgs.api.serializers import OrganizationSerializer, PersonSerializer, UnitSerializer
from vanphong.orgs.models import Organization, Person, Unit


class _DirectoryViewSet(viewsets.ReadOnlyModelViewSet):
    # ``filterset_class`` validates the query parameters of lists (and documents them through
    # drf-spectacular's django-filter support); the selector applies them.

    filterset_class: Any = None

    def filters(self) -> dict[str, Any]:
        if self.action != "list":
            return {}
        return parse_filters(self.filterset_class, self.request)

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset  # already filtered by the selector


def _documented(
    serializer: type[Any], *, tag: str, list_summary: str, detail_summary: str, description: str
) -> Any:
    return extend_schema_view(
        list=extend_schema(
            summary=list_summary,
            description=description,
            tags=[tag],
            responses={200: serializer(many=True), **error_responses(400, 401, 404)},
        ),
        retrieve=extend_schema(
            summary=detail_summary,
            description=description,
            tags=[tag],
            responses={200: serializer, **error_responses(401, 404)},
        ),
    )


_DIRECTORY = (
    "Danh mục dùng chung: mọi tài khoản đang giữ ít nhất một vai trò đều xem được, kể cả các cơ quan "
    "bên ngoài (hosted=false) để ghi nơi gửi, nơi nhận văn bản."
)


@_documented(
    OrganizationSerializer,
    tag="organizations",
    description=_DIRECTORY,
    list_summary="Danh mục tổ chức, cơ quan (kể cả cơ quan bên ngoài)",
    detail_summary="Một tổ chức, cơ quan",
)
class OrganizationViewSet(_DirectoryViewSet):
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter
    queryset = Organization.objects.none()  # for the schema; requests use the selector

    def get_queryset(self) -> QuerySet[Organization]:
        return selectors.organization_list(user=self.request.user, **self.filters())


@_documented(
    UnitSerializer,
    tag="organizations",
    description=_DIRECTORY,
    list_summary="Danh mục phòng, đơn vị",
    detail_summary="Một phòng, đơn vị",
)
class UnitViewSet(_DirectoryViewSet):
    serializer_class = UnitSerializer
    filterset_class = UnitFilter
    queryset = Unit.objects.none()

    def get_queryset(self) -> QuerySet[Unit]:
        return selectors.unit_list(user=self.request.user, **self.filters())


@_documented(
    PersonSerializer,
    tag="people",
    description=(
        "Cán bộ (vai trò đang giữ, độ mật được tiếp cận) trong phạm vi được xem của người gọi: "
        "cơ quan nơi mình giữ vai trò, và cả các cơ quan trực thuộc với lãnh đạo cấp ủy, quản trị. "
        "Mặc định chỉ gồm cán bộ đang công tác. Cán bộ ngoài phạm vi trả về 404."
    ),
    list_summary="Cán bộ trong phạm vi được xem",
    detail_summary="Một cán bộ (404 nếu ngoài phạm vi được xem)",
)
class PersonViewSet(_DirectoryViewSet):
    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    queryset = Person.objects.none()

    def get_queryset(self) -> QuerySet[Person]:
        return selectors.person_list(user=self.request.user, **self.filters())

    def get_object(self) -> Person:
        return selectors.person_get(user=self.request.user, pk=self.kwargs["pk"])
