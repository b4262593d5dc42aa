"""The audit actions written by the audit app itself (see ``vanphong.audit.actions``)."""

from django.utils.translation import gettext_lazy as _

from vanphong.audit.actions import register_actions

register_actions(
    {
        "audit.verify": _("Kiểm tra chuỗi nhật ký"),
        # Django's admin, through AuditedModelAdmin.
        "admin.create": _("Thêm mới (trang quản trị)"),
        "admin.change": _("Sửa (trang quản trị)"),
        "admin.delete": _("Xóa (trang quản trị)"),
    }
)
