"""The audit actions of signing (``vanphong.exchange.signing``), declared on import."""

from django.utils.translation import gettext_lazy as _

from vanphong.audit.actions import register_actions

register_actions(
    {
        "exchange.credential_add": _("Nạp chứng thư số"),
        "exchange.credential_deactivate": _("Ngừng dùng chứng thư số"),
        "exchange.file_sign": _("Ký số tệp văn bản"),
    }
)
