"""The audit actions written by the petitions app (see ``vanphong.audit.actions``)."""

from django.utils.translation import gettext_lazy as _

from vanphong.audit.actions import register_actions

register_actions(
    {
        "petition.register": _("Tiếp nhận, vào sổ đơn thư"),
        "petition.decide": _("Quyết định xử lý đơn thư"),
        "petition.assign": _("Giao cán bộ xử lý đơn thư"),
        "petition.result": _("Ghi kết quả giải quyết đơn thư"),
        "petition.extend": _("Gia hạn giải quyết đơn thư"),
        "petition.attach": _("Bổ sung tài liệu của đơn thư"),
        "petition.book_export": _("Xuất sổ theo dõi đơn thư"),
        "petition.identity_read": _("Xem thông tin người tố cáo"),
        "reception.record": _("Ghi sổ tiếp công dân"),
        "reception.link": _("Gắn lượt tiếp công dân với đơn thư"),
    }
)
