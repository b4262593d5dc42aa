"""The audit actions written by the room bookings (``services_rooms``)."""

from django.utils.translation import gettext_lazy as _

from vanphong.audit.actions import register_actions

register_actions(
    {
        "room_booking.create": _("Đặt phòng họp"),
        "room_booking.cancel": _("Hủy đặt phòng họp"),
    }
)
