from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "vanphong.records"
    label = "records"
    verbose_name = "Hồ sơ, lưu trữ"

    def ready(self) -> None:
        # This app's audit actions; the home page's groups; the document page's panel; the link
        # back from a task to the record it came from; the engine's question before such a task
        # is closed by hand.
        from vanphong.records import audit_actions, links, panels, pending, services  # noqa: F401
        from vanphong.tasks.models import SourceKind
        from vanphong.tasks.services import register_source_guard

        register_source_guard(SourceKind.RECORD, services.record_task_guard)
