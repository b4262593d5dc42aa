"""The audit actions written by the records app (see ``vanphong.audit.actions``)."""

from django.utils.translation import gettext_lazy as _

from vanphong.audit.actions import register_actions

register_actions(
    {
        "file_plan.create": _("Lập danh mục hồ sơ"),
        "file_plan.carry_over": _("Lập danh mục hồ sơ năm sau từ năm trước"),
        "file_plan.change": _("Sửa danh mục hồ sơ"),
        "file_plan.approve": _("Ban hành danh mục hồ sơ"),
        "record.open": _("Mở hồ sơ"),
        "record.file": _("Đưa văn bản vào hồ sơ"),
        "record.unfile": _("Rút văn bản khỏi hồ sơ"),
        "record.close": _("Kết thúc hồ sơ"),
        "record.reopen": _("Mở lại hồ sơ"),
        "record.hold": _("Phong tỏa hồ sơ"),
        "record.release": _("Gỡ phong tỏa hồ sơ"),
        "record.export": _("Xuất gói lưu trữ hồ sơ"),
        "record.import": _("Nhập gói lưu trữ hồ sơ"),
        "transfer.create": _("Lập mục lục hồ sơ nộp lưu"),
        "transfer.hand_over": _("Giao nhận hồ sơ nộp lưu"),
        "archive_request.create": _("Lập phiếu yêu cầu khai thác hồ sơ"),
        "archive_request.decide": _("Duyệt phiếu yêu cầu khai thác hồ sơ"),
        "archive_request.return": _("Nhận lại hồ sơ cho mượn"),
        "disposal.execute": _("Hủy tài liệu hết giá trị"),
    }
)
