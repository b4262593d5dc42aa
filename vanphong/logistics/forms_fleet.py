"""HTML input of the car pool's pages. Fields only parse and check types; every rule lives in
``services`` (their errors are put next to the fields with ``core.forms.apply_errors``).

Times are typed in office time through the browser's ``datetime-local`` input (the form makes
them aware in the site's time zone); dates through ``date`` inputs, or typed as dd/mm/yyyy."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from vanphong.core.forms import DATE_FORMATS, DATETIME_FORMATS, model_field
from vanphong.logistics.models import Driver, LicenceClass, Vehicle, VehicleKind
from vanphong.orgs.models import Organization, Person

DATETIME_ERROR = "Thời gian viết theo dạng ngày/tháng/năm giờ:phút, ví dụ 05/11/2025 08:00."
DATE_ERROR = "Ngày viết theo dạng ngày/tháng/năm, ví dụ 05/11/2025."


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(attrs={"step": "60"}, format="%Y-%m-%dT%H:%M")


class DateLocalInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def _when(label: str, required_message: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=DATETIME_FORMATS,
        widget=DateTimeLocalInput(),
        error_messages={"invalid": DATETIME_ERROR, "required": required_message},
    )


def _date(label: str, *, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=DateLocalInput(),
        error_messages={"invalid": DATE_ERROR},
    )


def org_label(organization: Organization) -> str:
    return organization.short_name or organization.name


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return org_label(obj)


class VehicleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        owner = "" if obj.organization_id is None else f" — {org_label(obj.organization)}"
        return f"{obj.plate} · {obj.seats} chỗ · {obj.get_kind_display()}{owner}"


class DriverChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        phone = f" · {obj.phone}" if obj.phone else ""
        return f"{obj.full_name} (hạng {obj.licence_class}){phone}"


class TripRequestForm(forms.Form):
    organization = OrgChoiceField(
        label="Cơ quan đề nghị",
        queryset=Organization.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": "Chọn cơ quan trong danh sách."},
    )
    purpose = forms.CharField(
        label="Nội dung công tác",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Nhập nội dung công tác."},
    )
    passengers = forms.IntegerField(
        label="Số người đi",
        min_value=1,
        max_value=60,
        error_messages={
            "required": "Nhập số người đi.",
            "invalid": "Số người đi là một số nguyên.",
            "min_value": "Số người đi từ 1 đến 60.",
            "max_value": "Số người đi từ 1 đến 60.",
        },
    )
    passenger_names = forms.CharField(
        label="Thành phần đi",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Họ tên, chức vụ những người đi (không bắt buộc).",
    )
    from_place = forms.CharField(label="Nơi đi", max_length=300, error_messages={"required": "Nhập nơi đi."})
    to_place = forms.CharField(label="Nơi đến", max_length=300, error_messages={"required": "Nhập nơi đến."})
    start = _when("Đi lúc", "Nhập giờ đi.")
    end = _when("Về lúc", "Nhập giờ về.")

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_field(self, "organization").queryset = organizations


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label="Quyết định",
        choices=[("approve", "Duyệt, bố trí xe"), ("refuse", "Không bố trí được xe")],
        widget=forms.RadioSelect,
        error_messages={"required": "Chọn duyệt hoặc không bố trí."},
    )
    reason = forms.CharField(label="Lý do (khi không bố trí được)", max_length=500, required=False)


class AssignForm(forms.Form):
    vehicle = VehicleChoiceField(
        label="Xe",
        queryset=Vehicle.objects.none(),
        empty_label="— Chọn xe —",
        error_messages={"required": "Chọn xe.", "invalid_choice": "Chọn xe trong danh sách."},
    )
    driver = DriverChoiceField(
        label="Lái xe",
        queryset=Driver.objects.none(),
        empty_label="— Chọn lái xe —",
        error_messages={"required": "Chọn lái xe.", "invalid_choice": "Chọn lái xe trong danh sách."},
    )

    def __init__(
        self, *args: Any, vehicles: QuerySet[Vehicle], drivers: QuerySet[Driver], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        model_field(self, "vehicle").queryset = vehicles
        model_field(self, "driver").queryset = drivers


class CompleteForm(forms.Form):
    odometer_start = forms.IntegerField(
        label="Số km lúc đi",
        min_value=0,
        error_messages={"required": "Nhập số km lúc đi.", "invalid": "Số km là một số nguyên."},
    )
    odometer_end = forms.IntegerField(
        label="Số km lúc về",
        min_value=0,
        error_messages={"required": "Nhập số km lúc về.", "invalid": "Số km là một số nguyên."},
    )
    fuel_litres = forms.DecimalField(
        label="Nhiên liệu (lít)",
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=2,
        localize=True,
        error_messages={"invalid": "Số lít nhiên liệu không hợp lệ."},
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label="Lý do hủy", max_length=500, error_messages={"required": "Nêu lý do hủy."})


class VehicleForm(forms.Form):
    organization = OrgChoiceField(
        label="Cơ quan quản lý",
        queryset=Organization.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": "Chọn cơ quan trong danh sách."},
    )
    plate = forms.CharField(
        label="Biển số",
        max_length=20,
        help_text="Ví dụ: 49A-123.45.",
        error_messages={"required": "Nhập biển số."},
    )
    kind = forms.ChoiceField(label="Loại xe", choices=VehicleKind.choices)
    seats = forms.IntegerField(
        label="Số chỗ ngồi",
        error_messages={"required": "Nhập số chỗ ngồi.", "invalid": "Số chỗ ngồi là một số nguyên."},
    )
    make_model = forms.CharField(label="Nhãn hiệu, đời xe", max_length=120, required=False)
    shared = forms.BooleanField(
        label="Xe dùng chung (Văn phòng điều hành cho các cơ quan)", required=False, initial=True
    )
    inspection_until = _date("Hạn đăng kiểm")
    insurance_until = _date("Hạn bảo hiểm")
    active = forms.BooleanField(label="Đang sử dụng", required=False, initial=True)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_field(self, "organization").queryset = organizations


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} — {org_label(obj.organization)}"


class DriverForm(forms.Form):
    organization = OrgChoiceField(
        label="Cơ quan quản lý",
        queryset=Organization.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": "Chọn cơ quan trong danh sách."},
    )
    person = PersonChoiceField(
        label="Cán bộ của cơ quan",
        queryset=Person.objects.none(),
        required=False,
        empty_label="— Lái xe hợp đồng (không có tài khoản) —",
        help_text="Khi lái xe là cán bộ có tài khoản: họ tự ghi nhật trình chuyến của mình.",
    )
    full_name = forms.CharField(label="Họ và tên", max_length=120, required=False)
    phone = forms.CharField(label="Điện thoại", max_length=30, required=False)
    licence_class = forms.ChoiceField(label="Hạng giấy phép lái xe", choices=LicenceClass.choices)
    licence_number = forms.CharField(label="Số giấy phép lái xe", max_length=30, required=False)
    licence_until = _date("Giấy phép có giá trị đến")
    active = forms.BooleanField(label="Đang làm việc", required=False, initial=True)

    def __init__(
        self, *args: Any, organizations: QuerySet[Organization], people: QuerySet[Person], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        model_field(self, "organization").queryset = organizations
        model_field(self, "person").queryset = people

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("full_name") or "").strip() and data.get("person") is None:
            self.add_error("full_name", "Nhập họ và tên lái xe, hoặc chọn cán bộ của cơ quan.")
        return data
