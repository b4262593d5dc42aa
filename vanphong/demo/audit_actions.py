"""The audit actions written by the demo data commands (see ``vanphong.audit.actions``)."""

from django.utils.translation import gettext_lazy as _

from vanphong.audit.actions import register_actions

register_actions(
    {
        "demo.seed": _("Tạo dữ liệu mẫu"),
        "demo.seed_documents": _("Tạo văn bản mẫu"),
        "demo.seed_tasks": _("Tạo nhiệm vụ mẫu"),
    }
)
