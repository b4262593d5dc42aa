from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "vanphong.petitions"
    label = "petitions"
    verbose_name = "Tiếp công dân, xử lý đơn thư"

    def ready(self) -> None:
        # This app's audit actions; the link back from a task to the petition it came from;
        # the home page's groups; the engine's question before a petition's task is
        # completed, returned or cancelled from the task pages.
        from vanphong.petitions import (  # noqa: F401
            audit_actions,
            letters,
            links,
            pending,
            pending_submissions,
            services,
            sessions,
        )
        from vanphong.tasks.models import SourceKind
        from vanphong.tasks.services import register_source_guard

        register_source_guard(SourceKind.PETITION, services.petition_task_guard)
