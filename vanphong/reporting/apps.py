from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "vanphong.reporting"
    label = "reporting"
    verbose_name = "Chế độ báo cáo"

    def ready(self) -> None:
        # This app's audit actions; the link back from a task to the request it came from; the
        # home page's urgent reports (views); the engine's question before a report's task is
        # completed, returned or cancelled from the task pages; the products being composed.
        from vanphong.reporting import audit_actions, links, product_pending, services, views  # noqa: F401
        from vanphong.tasks.models import SourceKind
        from vanphong.tasks.services import register_source_guard

        register_source_guard(SourceKind.REPORT_REQUEST, services.report_task_guard)
