from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "vanphong.tasks"
    verbose_name = "Theo dõi nhiệm vụ"

    def ready(self) -> None:
        # This app's audit actions; the calendar's receivers and the notifications on task
        # events; the home page's groups of one's own overdue and due-soon tasks.
        from vanphong.tasks import audit_actions, receivers  # noqa: F401
        from vanphong.tasks.views import pending  # noqa: F401
