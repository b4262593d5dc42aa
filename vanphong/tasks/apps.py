from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "vanphong.tasks"
    verbose_name = "Theo dõi nhiệm vụ"

    def ready(self) -> None:
        # Tasks are born from other modules' events (a leader's direction on an incoming
        # document); the receivers live with the engine, not with the sources.
        # The document page's task panel and the home page's task groups register on import.
        from vanphong.documents.views import tasks_panel as views_panels  # noqa: F401
