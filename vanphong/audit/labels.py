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
    # Incoming documents.
    "document.receive": _("Tiếp nhận văn bản đến"),
    "document.register": _("Vào sổ văn bản"),
    "document.view": _("Xem văn bản mật"),
    "incoming.present": _("Trình văn bản đến"),
    "incoming.direct": _("Cho ý kiến chỉ đạo, phân công xử lý"),
    "incoming.process": _("Hoàn thành xử lý văn bản đến"),
    "document.update": _("Sửa thông tin văn bản"),
    "document.copy": _("Sao văn bản"),
    "document.copy_classified": _("Sao văn bản mật"),
    "document.file_attach": _("Đính kèm tệp"),
    "document.file_download": _("Tải tệp văn bản"),
    "document.file_extract": _("Trích xuất nội dung tệp"),
    "document.arrival_receive": _("Tiếp nhận văn bản chờ vào sổ"),
    "document.arrival_discard": _("Loại bỏ văn bản chờ vào sổ"),
    "document.arrival_register": _("Vào sổ văn bản từ tệp đã nhận"),
    "document.reader_grant": _("Cho phép đọc văn bản mật"),
    "document.reader_revoke": _("Thu hồi quyền đọc văn bản mật"),
    # Outgoing documents.
    "outgoing.draft_create": _("Soạn dự thảo"),
    "outgoing.version_add": _("Thêm phiên bản dự thảo"),
    "outgoing.comment_add": _("Góp ý dự thảo"),
    "outgoing.submit": _("Trình duyệt dự thảo"),
    "outgoing.review_decide": _("Cho ý kiến duyệt dự thảo"),
    "outgoing.issue": _("Phát hành văn bản"),
    # Registers.
    "register.create": _("Mở sổ văn bản"),
    "register.update": _("Sửa sổ văn bản"),
    "register.close": _("Khóa sổ văn bản"),
    "register.open_defaults": _("Mở các sổ mặc định"),
    "register.print": _("In sổ văn bản"),
    "term.create": _("Khai báo nhiệm kỳ"),
    "term.close": _("Kết thúc nhiệm kỳ"),
    "demo.seed_documents": _("Tạo văn bản mẫu"),
    "demo.seed_tasks": _("Tạo nhiệm vụ mẫu"),
    "system.bootstrap": _("Khởi tạo hệ thống"),
    "task.create": _("Giao nhiệm vụ"),
    "task.accept": _("Tiếp nhận nhiệm vụ"),
    "task.progress": _("Báo cáo tiến độ nhiệm vụ"),
    "task.complete": _("Báo cáo hoàn thành nhiệm vụ"),
    "task.confirm": _("Xác nhận hoàn thành nhiệm vụ"),
    "task.return": _("Trả lại nhiệm vụ"),
    "task.cancel": _("Hủy nhiệm vụ"),
    "task.update": _("Điều chỉnh nhiệm vụ"),
    "task.extension_request": _("Xin gia hạn nhiệm vụ"),
    "task.extension_decide": _("Quyết định gia hạn nhiệm vụ"),
    "task.series_end": _("Dừng nhiệm vụ định kỳ"),
    "task.view": _("Xem nhiệm vụ mật"),
    "task.file_download": _("Tải tệp minh chứng của nhiệm vụ mật"),
    "task.report": _("Lập báo cáo tình hình thực hiện nhiệm vụ"),
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
