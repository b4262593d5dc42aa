"""The audit actions written by the assets and spending services (see ``vanphong.audit.actions``)."""

from django.utils.translation import gettext_lazy as _

from vanphong.audit.actions import register_actions

register_actions(
    {
        "asset.create": _("Ghi sổ tài sản"),
        "asset.update": _("Sửa thông tin tài sản"),
        "asset.transfer": _("Điều chuyển, bàn giao tài sản"),
        "asset.repair_request": _("Đề nghị sửa chữa tài sản"),
        "asset.repair_start": _("Bắt đầu sửa chữa tài sản"),
        "asset.repair_done": _("Ghi kết quả sửa chữa tài sản"),
        "asset.repair_refuse": _("Không sửa chữa tài sản"),
        "stocktake.open": _("Mở đợt kiểm kê tài sản"),
        "stocktake.record": _("Ghi kết quả kiểm kê một tài sản"),
        "stocktake.close": _("Khóa sổ kiểm kê tài sản"),
        "spending_kind.save": _("Cập nhật nội dung chi theo quy chế chi tiêu nội bộ"),
        "budget_line.save": _("Cập nhật dòng dự toán"),
        "expense.request": _("Đề nghị chi, thanh toán"),
        "expense.decide": _("Duyệt đề nghị chi"),
        "expense.paid": _("Ghi đã thanh toán khoản chi"),
    }
)
