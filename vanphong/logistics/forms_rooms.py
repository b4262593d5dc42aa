"""HTML input of the room-booking pages. Fields only parse and check types; every rule lives
in ``services_rooms`` (its errors are put next to the fields with ``core.forms.apply_errors``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from vanphong.core.forms import DATETIME_FORMATS
from vanphong.orgs.models import Organization
from vanphong.programs.models import Room

DATETIME_ERROR = "Thời gian viết theo dạng ngày/tháng/năm giờ:phút, ví dụ 05/11/2025 08:00."


class DateTimeInput(forms.DateTimeInput):
    def __init__(self) -> None:
        super().__init__(
            attrs={"placeholder": "dd/mm/yyyy hh:mm", "autocomplete": "off"}, format="%d/%m/%Y %H:%M"
        )


class RoomChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        seats = f", {obj.capacity} chỗ" if obj.capacity else ""
        org = obj.organization.short_name or obj.organization.name
        return f"{obj.name} ({org}{seats})"


class OrganizationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class BookingForm(forms.Form):
    room = RoomChoice(
        label="Phòng họp",
        queryset=Room.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": "Hãy chọn một phòng họp trong danh sách."},
    )
    organization = OrganizationChoice(
        label="Cơ quan đặt phòng",
        queryset=Organization.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": "Hãy chọn một cơ quan trong danh sách."},
    )
    title = forms.CharField(
        label="Nội dung sử dụng phòng",
        max_length=300,
        error_messages={"required": "Hãy nhập nội dung sử dụng phòng."},
    )
    start = forms.DateTimeField(
        label="Từ",
        input_formats=DATETIME_FORMATS,
        widget=DateTimeInput(),
        error_messages={"invalid": DATETIME_ERROR, "required": "Hãy nhập thời gian bắt đầu."},
    )
    end = forms.DateTimeField(
        label="Đến",
        input_formats=DATETIME_FORMATS,
        widget=DateTimeInput(),
        error_messages={"invalid": DATETIME_ERROR, "required": "Hãy nhập thời gian kết thúc."},
    )
    attendees = forms.IntegerField(
        label="Số người dự",
        required=False,
        min_value=0,
        max_value=5000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Số người là một số nguyên.",
            "min_value": "Số người không âm.",
            "max_value": "Số người tối đa 5000.",
        },
    )

    def __init__(
        self, *args: Any, rooms: QuerySet[Room], organizations: QuerySet[Organization], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        room_field = self.fields["room"]
        org_field = self.fields["organization"]
        assert isinstance(room_field, forms.ModelChoiceField)
        assert isinstance(org_field, forms.ModelChoiceField)
        room_field.queryset = rooms
        org_field.queryset = organizations


class BookingCancelForm(forms.Form):
    reason = forms.CharField(
        label="Lý do hủy",
        max_length=300,
        error_messages={"required": "Hãy nêu lý do hủy."},
    )
