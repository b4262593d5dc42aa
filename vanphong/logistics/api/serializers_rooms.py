"""Room bookings in the API (``/api/v1/room-bookings/``)."""

from __future__ import annotations

from rest_framework import serializers

from vanphong.logistics.models import BookingState, RoomBooking
from vanphong.tasks.api.serializers import CodeField

MAX_ID = 2**63 - 1  # beyond a 64-bit key: refused as invalid, not looked up


class RoomBookingSerializer(serializers.ModelSerializer):
    room = serializers.IntegerField(source="room_id", read_only=True, help_text="Id phòng họp.")
    room_name = serializers.CharField(source="room.name", read_only=True)
    organization = serializers.IntegerField(
        source="organization_id", read_only=True, help_text="Id cơ quan đặt."
    )
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    state = CodeField(BookingState, "RoomBookingStateEnum")
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    booked_by = serializers.IntegerField(source="booked_by_id", read_only=True, help_text="Id cán bộ đặt.")
    booked_by_name = serializers.CharField(source="booked_by.full_name", read_only=True)

    class Meta:
        model = RoomBooking
        fields = [
            "id",
            "room",
            "room_name",
            "organization",
            "organization_name",
            "title",
            "start",
            "end",
            "attendees",
            "state",
            "state_label",
            "booked_by",
            "booked_by_name",
            "cancel_reason",
            "created_at",
        ]
        read_only_fields = fields


class RoomBookingCreateSerializer(serializers.Serializer):
    room = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="Id phòng họp (GET /api/v1/rooms/)."
    )
    start = serializers.DateTimeField(help_text="Bắt đầu (ISO 8601).")
    end = serializers.DateTimeField(help_text="Kết thúc (ISO 8601), sau thời gian bắt đầu.")
    title = serializers.CharField(max_length=300, help_text="Nội dung sử dụng phòng.")
    organization = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        default=None,
        help_text=(
            "Id cơ quan đặt phòng (cùng cấp ủy với phòng, người gọi có quyền soạn thảo ở đó). Bỏ trống: "
            "cơ quan của người gọi, hoặc cơ quan đầu tiên người gọi được đặt thay."
        ),
    )
    attendees = serializers.IntegerField(
        min_value=0, max_value=5000, required=False, default=0, help_text="Số người dự (không quá sức chứa)."
    )


class RoomBookingCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text="Lý do hủy.")
