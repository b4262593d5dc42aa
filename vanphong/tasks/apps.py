from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "vanphong.tasks"
    verbose_name = "Theo dõi nhiệm vụ"

    def ready(self) -> None:
        # This app's audit actions; the calendar's receivers and the notifications on task events.
        from vanphong.tasks import audit_actions, receivers  # noqa: F401
