"""Query parameters of the organisation and people lists.

The filter sets only parse and validate (and describe the parameters in the OpenAPI schema);
the selectors in ``vanphong.orgs.selectors`` apply them, with access, in one query."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from vanphong.orgs.models import Organization, Person, Role, Unit


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.Filter):
    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        super().__init__(*args, **kwargs)


class StrictBooleanField(forms.Field):
    """true/false (also 1/0): anything else is an error, not silently "no filter"."""

    TRUE, FALSE = frozenset({"true", "1"}), frozenset({"false", "0"})

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError("Giá trị phải là true hoặc false.", code="invalid")


@extend_schema_field(OpenApiTypes.BOOL)
class BoolFilter(django_filters.Filter):
    field_class = StrictBooleanField


class OrganizationFilter(django_filters.FilterSet):
    hosted = BoolFilter(label="Dùng hệ thống này (true) hay cơ quan bên ngoài (false)")
    level = django_filters.CharFilter(label="Mã cấp tổ chức, ví dụ tinh, xa")
    parent = IdFilter(label="Id tổ chức cấp trên trực tiếp")
    q = django_filters.CharFilter(label="Tìm trong tên, tên ngắn, chữ viết tắt")
    active = BoolFilter(label="Đang hoạt động")

    class Meta:
        model = Organization
        fields = ["hosted", "level", "parent", "q", "active"]


class UnitFilter(django_filters.FilterSet):
    organization = IdFilter(label="Id cơ quan")

    class Meta:
        model = Unit
        fields = ["organization"]


class PersonFilter(django_filters.FilterSet):
    organization = IdFilter(label="Id cơ quan công tác")
    unit = IdFilter(label="Id phòng")
    role = django_filters.ChoiceFilter(choices=Role.choices, label="Vai trò đang giữ")
    q = django_filters.CharFilter(label="Tìm trong họ tên, tên đăng nhập")

    class Meta:
        model = Person
        fields = ["organization", "unit", "role", "q"]


def parse_filters(filterset_class: type[django_filters.FilterSet], request: Request) -> dict[str, Any]:
    """The given query parameters, validated, as keyword arguments for a selector. Raises
    ``ValidationError`` (400, errors keyed by parameter) on a bad value."""
    filterset = filterset_class(data=request.query_params)
    if not filterset.is_valid():
        raise ValidationError({name: list(errors) for name, errors in filterset.errors.items()})
    return {
        name: value
        for name, value in filterset.form.cleaned_data.items()
        if value is not None and value != "" and name in request.query_params
    }
