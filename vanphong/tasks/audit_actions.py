"""The audit actions written by the task engine (see ``vanphong.audit.actions``)."""

from django.utils.translation import gettext_lazy as _

from vanphong.audit.actions import register_actions

register_actions(
    {
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
        "calendar_day.create": _("Thêm ngày vào lịch ngày nghỉ, ngày làm bù"),
        "calendar_day.update": _("Sửa ngày trong lịch ngày nghỉ, ngày làm bù"),
        "calendar_day.delete": _("Xóa ngày khỏi lịch ngày nghỉ, ngày làm bù"),
    }
)
