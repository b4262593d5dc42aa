"""The audit actions written by the exchange app (see ``vanphong.audit.actions``)."""

from django.utils.translation import gettext_lazy as _

from vanphong.audit.actions import register_actions

register_actions(
    {
        "exchange.package_receive": _("Nhận gói tin liên thông"),
        "exchange.package_refuse": _("Từ chối gói tin liên thông"),
        "exchange.package_build": _("Lập gói tin liên thông"),
        "exchange.status_receive": _("Nhận trạng thái xử lý từ nơi nhận"),
        "exchange.send": _("Gửi văn bản qua liên thông"),
        "exchange.export": _("Xuất gói tin liên thông ra tệp"),
        "exchange.deliver": _("Chuyển gói tin đến hệ thống khác"),
        "exchange.retry": _("Gửi lại gói tin liên thông"),
        "exchange.figures_send": _("Gửi số liệu tổng hợp lên cấp trên"),
        "exchange.figures_receive": _("Nhận số liệu tổng hợp của cấp dưới"),
        "exchange.peer_create": _("Khai báo hệ thống liên thông"),
        "exchange.peer_update": _("Sửa kết nối liên thông"),
    }
)
