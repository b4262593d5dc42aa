"""The audit actions written by the organisations app (see ``vanphong.audit.actions``)."""

from django.utils.translation import gettext_lazy as _

from vanphong.audit.actions import register_actions

register_actions(
    {
        "person.create": _("Thêm cán bộ"),
        "person.update": _("Sửa thông tin cán bộ"),
        "person.deactivate": _("Thôi công tác"),
        "role.assign": _("Giao vai trò"),
        "role.end": _("Kết thúc vai trò"),
        "delegation.create": _("Ủy quyền"),
        "delegation.revoke": _("Thu hồi ủy quyền"),
        "staff_quota.set": _("Giao biên chế"),
        "system.bootstrap": _("Khởi tạo hệ thống"),
    }
)
