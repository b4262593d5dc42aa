"""The audit actions written by the logistics app (see ``vanphong.audit.actions``)."""

from django.utils.translation import gettext_lazy as _

from vanphong.audit.actions import register_actions

register_actions(
    {
        "vehicle.save": _("Cập nhật danh sách xe ô tô"),
        "driver.save": _("Cập nhật danh sách lái xe"),
        "trip.request": _("Đề nghị bố trí xe"),
        "trip.decide": _("Duyệt đề nghị bố trí xe"),
        "trip.assign": _("Điều xe, lái xe cho chuyến công tác"),
        "trip.complete": _("Ghi nhật trình chuyến công tác"),
        "trip.cancel": _("Hủy chuyến công tác"),
    }
)
