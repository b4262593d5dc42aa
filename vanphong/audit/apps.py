from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "vanphong.audit"
    verbose_name = "Nhật ký hệ thống"

    def ready(self) -> None:
        from vanphong.audit import audit_actions  # noqa: F401  (declares this app's audit actions)
