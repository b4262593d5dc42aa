"""Shapes of the car pool's API (see /work/shared/API.md, "Shared services", and docs/api.md):
input serializers only parse and check types; every rule lives in ``services`` and every read
in ``selectors``."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers

from vanphong.logistics.models import Driver, LicenceClass, Trip, TripState, Vehicle, VehicleKind
from vanphong.orgs.models import Organization, Person
from vanphong.tasks.api.serializers import CodeField


class NamedChoiceField(serializers.ChoiceField):
    """A choice as input, described in the schema by a named enum (the same one as the output's
    ``CodeField``): ``kind`` and ``state`` fields of other modules have other value sets."""

    def __init__(self, choices: Any, enum_name: str, **kwargs: Any) -> None:
        self.enum_name = enum_name
        self.code_choices = [(str(value), str(label)) for value, label in choices.choices]
        super().__init__(choices=choices.choices, **kwargs)


class NamedChoiceFieldScheme(OpenApiSerializerFieldExtension):
    target_class = NamedChoiceField

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> Any:
        field = self.target
        component = ResolvedComponent(
            name=field.enum_name,
            type=ResolvedComponent.SCHEMA,
            object=field.enum_name,
            schema={
                "type": "string",
                "enum": [value for value, _label in field.code_choices],
                "description": "\n".join(f"* `{value}` - {label}" for value, label in field.code_choices),
            },
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


KIND_ENUM = "VehicleKindEnum"
LICENCE_ENUM = "LicenceClassEnum"
TRIP_STATE_ENUM = "TripStateEnum"


# --- Input -----------------------------------------------------------------------------------


class VehicleCreateSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(),
        help_text="Id cơ quan quản lý xe (Văn phòng với xe dùng chung, hoặc một cơ quan với xe riêng).",
    )
    plate = serializers.CharField(max_length=20, help_text="Biển số, ví dụ 49A-123.45.")
    seats = serializers.IntegerField(min_value=2, max_value=80, help_text="Số chỗ ngồi (kể cả lái xe).")
    kind = NamedChoiceField(VehicleKind, KIND_ENUM, required=False, default=VehicleKind.CAR)
    make_model = serializers.CharField(
        max_length=120, required=False, allow_blank=True, default="", help_text="Nhãn hiệu, đời xe."
    )
    shared = serializers.BooleanField(
        required=False, default=True, help_text="Xe dùng chung, do Văn phòng điều hành cho các cơ quan."
    )
    inspection_until = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Hạn đăng kiểm."
    )
    insurance_until = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Hạn bảo hiểm."
    )


class DriverCreateSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), help_text="Id cơ quan quản lý lái xe."
    )
    full_name = serializers.CharField(
        max_length=120,
        required=False,
        allow_blank=True,
        default="",
        help_text="Họ và tên (mặc định: của cán bộ).",
    )
    licence_class = NamedChoiceField(LicenceClass, LICENCE_ENUM, help_text="Hạng giấy phép lái xe.")
    licence_number = serializers.CharField(
        max_length=30, required=False, allow_blank=True, default="", help_text="Số giấy phép lái xe."
    )
    licence_until = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Giấy phép có giá trị đến ngày."
    )
    phone = serializers.CharField(
        max_length=30, required=False, allow_blank=True, default="", help_text="Điện thoại."
    )
    person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Id cán bộ của cơ quan là lái xe (tùy chọn; lái xe hợp đồng thì để trống).",
    )


class TripCreateSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), help_text="Id cơ quan đề nghị xe."
    )
    purpose = serializers.CharField(max_length=500, help_text="Nội dung công tác.")
    passengers = serializers.IntegerField(min_value=1, max_value=60, help_text="Số người đi (1–60).")
    passenger_names = serializers.CharField(
        max_length=1000, required=False, allow_blank=True, default="", help_text="Thành phần đi."
    )
    from_place = serializers.CharField(max_length=300, help_text="Nơi đi.")
    to_place = serializers.CharField(max_length=300, help_text="Nơi đến.")
    start = serializers.DateTimeField(help_text="Đi lúc (ISO 8601).")
    end = serializers.DateTimeField(help_text="Về lúc (ISO 8601), sau giờ đi.")


class TripDecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField(help_text="true: duyệt; false: không bố trí được (cần reason).")
    reason = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", help_text="Lý do không bố trí được xe."
    )


class TripAssignSerializer(serializers.Serializer):
    vehicle = serializers.PrimaryKeyRelatedField(queryset=Vehicle.objects.all(), help_text="Id xe.")
    driver = serializers.PrimaryKeyRelatedField(queryset=Driver.objects.all(), help_text="Id lái xe.")


class TripCompleteSerializer(serializers.Serializer):
    odometer_start = serializers.IntegerField(min_value=0, max_value=9_999_999, help_text="Số km lúc đi.")
    odometer_end = serializers.IntegerField(min_value=0, max_value=9_999_999, help_text="Số km lúc về.")
    fuel_litres = serializers.DecimalField(
        max_digits=7,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        default=None,
        help_text="Nhiên liệu đã dùng (lít).",
    )


class TripCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="Lý do hủy.")


# --- Output ----------------------------------------------------------------------------------


class VehicleSerializer(serializers.ModelSerializer):
    organization = serializers.PrimaryKeyRelatedField[Organization](read_only=True)
    organization_name = serializers.CharField(source="organization.short_name", read_only=True)
    kind = CodeField(VehicleKind, KIND_ENUM)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Vehicle
        fields = [
            "id",
            "plate",
            "seats",
            "kind",
            "kind_label",
            "make_model",
            "organization",
            "organization_name",
            "shared",
            "odometer",
            "inspection_until",
            "insurance_until",
            "active",
        ]
        read_only_fields = fields


class DriverSerializer(serializers.ModelSerializer):
    organization = serializers.PrimaryKeyRelatedField[Organization](read_only=True)
    organization_name = serializers.CharField(source="organization.short_name", read_only=True)
    person = serializers.PrimaryKeyRelatedField[Person](read_only=True, allow_null=True)
    licence_class = CodeField(LicenceClass, LICENCE_ENUM)

    class Meta:
        model = Driver
        fields = [
            "id",
            "full_name",
            "licence_class",
            "licence_number",
            "licence_until",
            "phone",
            "organization",
            "organization_name",
            "person",
            "active",
        ]
        read_only_fields = fields


class TripSerializer(serializers.ModelSerializer):
    organization = serializers.PrimaryKeyRelatedField[Organization](read_only=True)
    organization_name = serializers.CharField(source="organization.short_name", read_only=True)
    pool = serializers.PrimaryKeyRelatedField[Organization](read_only=True)
    requested_by = serializers.PrimaryKeyRelatedField[Person](read_only=True)
    requested_by_name = serializers.CharField(source="requested_by.full_name", read_only=True)
    state = CodeField(TripState, TRIP_STATE_ENUM)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    vehicle = serializers.PrimaryKeyRelatedField[Vehicle](read_only=True, allow_null=True)
    vehicle_plate = serializers.CharField(
        source="vehicle.plate", read_only=True, allow_null=True, default=None
    )
    driver = serializers.PrimaryKeyRelatedField[Driver](read_only=True, allow_null=True)
    driver_name = serializers.CharField(
        source="driver.full_name", read_only=True, allow_null=True, default=None
    )
    km = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Số km của chuyến (đã ghi nhật trình)."
    )

    class Meta:
        model = Trip
        fields = [
            "id",
            "organization",
            "organization_name",
            "pool",
            "requested_by",
            "requested_by_name",
            "purpose",
            "passengers",
            "passenger_names",
            "from_place",
            "to_place",
            "start",
            "end",
            "state",
            "state_label",
            "reason",
            "decided_at",
            "vehicle",
            "vehicle_plate",
            "driver",
            "driver_name",
            "assigned_at",
            "odometer_start",
            "odometer_end",
            "km",
            "fuel_litres",
            "completed_at",
            "created_at",
        ]
        read_only_fields = fields


class VehicleUsageSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="key")
    plate = serializers.CharField(source="name")
    trips = serializers.IntegerField()
    hours = serializers.FloatField(help_text="Số giờ xe đi (từ giờ đi đến giờ về).")
    km = serializers.IntegerField(help_text="Số km theo nhật trình của các chuyến đã đi xong.")


class DriverUsageSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="key")
    full_name = serializers.CharField(source="name")
    trips = serializers.IntegerField()
    hours = serializers.FloatField()
    km = serializers.IntegerField()


class AgencyUsageSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="key")
    name = serializers.CharField()
    trips = serializers.IntegerField()
    hours = serializers.FloatField()
    km = serializers.IntegerField()


class UtilisationSerializer(serializers.Serializer):
    pool = serializers.IntegerField(help_text="Id đơn vị điều xe (Văn phòng).")
    from_ = serializers.DateField(help_text="Từ ngày (tính cả ngày này).")
    to = serializers.DateField(help_text="Đến ngày (tính cả ngày này).")
    vehicles = VehicleUsageSerializer(many=True, help_text="Theo xe, xe đi nhiều nhất trước.")
    drivers = DriverUsageSerializer(many=True, help_text="Theo lái xe.")
    agencies = AgencyUsageSerializer(many=True, help_text="Theo cơ quan đề nghị.")
    refused = serializers.IntegerField(help_text="Số đề nghị không bố trí được xe.")
    refused_while_idle = serializers.IntegerField(
        help_text="Trong đó: không bố trí được trong khi có xe đủ chỗ đang rảnh (cần điều hòa lại xe)."
    )
    idle_vehicles = serializers.ListField(
        child=serializers.CharField(), help_text="Biển số các xe không đi chuyến nào trong kỳ."
    )

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        # ``from`` is a Python keyword: the field is declared as ``from_`` and named ``from``.
        field = fields.pop("from_")
        field.source = "from_"
        return {"pool": fields.pop("pool"), "from": field, **fields}
