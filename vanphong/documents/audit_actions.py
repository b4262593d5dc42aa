"""The audit actions written by the documents app (see ``vanphong.audit.actions``)."""

from django.utils.translation import gettext_lazy as _

from vanphong.audit.actions import register_actions

register_actions(
    {
        # Incoming documents.
        "document.receive": _("Tiếp nhận văn bản đến"),
        "document.register": _("Vào sổ văn bản"),
        "document.view": _("Xem văn bản mật"),
        "incoming.present": _("Trình văn bản đến"),
        "incoming.direct": _("Cho ý kiến chỉ đạo, phân công xử lý"),
        "incoming.process": _("Hoàn thành xử lý văn bản đến"),
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
        # Registers and terms.
        "register.create": _("Mở sổ văn bản"),
        "register.update": _("Sửa sổ văn bản"),
        "register.close": _("Khóa sổ văn bản"),
        "register.open_defaults": _("Mở các sổ mặc định"),
        "register.print": _("In sổ văn bản"),
        "term.create": _("Khai báo nhiệm kỳ"),
        "term.close": _("Kết thúc nhiệm kỳ"),
    }
)
