from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "vanphong.reporting"
    label = "reporting"
    verbose_name = "Chế độ báo cáo"

    def ready(self) -> None:
        # This app's audit actions; the link back from a task to the request it came from.
        from vanphong.reporting import audit_actions, links  # noqa: F401
