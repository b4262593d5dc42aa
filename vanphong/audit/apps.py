from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "vanphong.audit"
    verbose_name = "Nhật ký hệ thống"
