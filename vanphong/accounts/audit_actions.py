"""The audit actions written by sign-in and account management (see
``vanphong.audit.actions``). The API's sign-in writes ``auth.login`` too."""

from django.utils.translation import gettext_lazy as _

from vanphong.audit.actions import register_actions

register_actions(
    {
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
    }
)
