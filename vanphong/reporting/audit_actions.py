"""The audit actions written by the reporting app (see ``vanphong.audit.actions``)."""

from django.utils.translation import gettext_lazy as _

from vanphong.audit.actions import register_actions

register_actions(
    {
        "report_request.create": _("Tạo yêu cầu báo cáo"),
        "report_request.periods": _("Giao báo cáo kỳ mới của yêu cầu báo cáo"),
        "report_request.close": _("Kết thúc yêu cầu báo cáo"),
        "report.draft": _("Lưu nháp báo cáo"),
        "report.submit": _("Gửi báo cáo"),
        "report.return": _("Trả lại báo cáo để bổ sung, sửa"),
        "report.summary_draft": _("Dự thảo báo cáo tổng hợp"),
        "report.template_save": _("Lưu mẫu sản phẩm thông tin"),
        "report.product_create": _("Tạo sản phẩm thông tin"),
        "report.product_save": _("Biên tập sản phẩm thông tin"),
        "report.product_draft": _("Chuyển sản phẩm thông tin thành dự thảo văn bản đi"),
    }
)
