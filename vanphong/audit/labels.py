"""How audit entries are named on screen: actions and target types in Vietnamese."""

from __future__ import annotations

from functools import lru_cache

from django.apps import apps
from django.utils.translation import gettext_lazy as _

# Actions written by this app and by sign-in. Other apps' actions show as their stable
# dotted name until they are added here.
ACTION_LABELS = {
    "audit.verify": _("Kiểm tra chuỗi nhật ký"),
    "admin.create": _("Thêm mới (trang quản trị)"),
    "admin.change": _("Sửa (trang quản trị)"),
    "admin.delete": _("Xóa (trang quản trị)"),
    "auth.login": _("Đăng nhập"),
    "auth.login_failed": _("Đăng nhập không thành công"),
    "auth.logout": _("Đăng xuất"),
    "auth.locked": _("Khóa tài khoản do đăng nhập sai"),
    "auth.otp_enrol_start": _("Bắt đầu đăng ký xác thực hai lớp"),
    "auth.otp_enrol": _("Đăng ký xác thực hai lớp"),
    "auth.otp_failed": _("Mã xác thực hai lớp sai"),
    "account.activate": _("Mở lại tài khoản"),
    "account.deactivate": _("Khóa tài khoản"),
    "account.password_change": _("Đổi mật khẩu"),
    "account.password_reset": _("Đặt lại mật khẩu"),
    "account.totp_reset": _("Xóa xác thực hai lớp"),
    "account.unlock": _("Mở khóa đăng nhập"),
    "api.token_issue": _("Cấp mã truy cập API"),
    "api.token_revoke": _("Thu hồi mã truy cập API"),
    "person.create": _("Thêm cán bộ"),
    "person.update": _("Sửa thông tin cán bộ"),
    "person.deactivate": _("Thôi công tác"),
    "role.assign": _("Giao vai trò"),
    "role.end": _("Kết thúc vai trò"),
    "delegation.create": _("Ủy quyền"),
    "delegation.revoke": _("Thu hồi ủy quyền"),
    "staff_quota.set": _("Giao biên chế"),
    "demo.seed": _("Tạo dữ liệu mẫu"),
}


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return f"{label} ({action})" if label else action


@lru_cache(maxsize=256)
def target_type_label(target_type: str) -> str:
    """``orgs.person`` → "Cán bộ": the model's own name, when the type names a model."""
    if not target_type:
        return ""
    try:
        model = apps.get_model(target_type)
    except (LookupError, ValueError):
        return target_type
    return str(model._meta.verbose_name).capitalize()


def field_label(target_type: str, key: str) -> str:
    """The verbose name of a field in a snapshot (``organization_id`` → "Cơ quan")."""
    try:
        model = apps.get_model(target_type)
    except (LookupError, ValueError):
        return key
    for f in model._meta.concrete_fields + model._meta.many_to_many:
        if key in (f.name, f.attname):
            return str(f.verbose_name).capitalize()
    return key
