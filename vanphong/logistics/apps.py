from django.apps import AppConfig


class LogisticsConfig(AppConfig):
    name = "vanphong.logistics"
    label = "logistics"
    verbose_name = "Quản trị, hậu cần dùng chung"

    def ready(self) -> None:
        # This app's audit actions; the home page's groups; the rooms' bookings as holders of a
        # room for the meetings' own clash check; the engine's question before a repair's task
        # is closed by hand.
        from vanphong.logistics import (  # noqa: F401
            audit_actions,
            audit_assets,
            audit_rooms,
            pending,
            services_assets,
            services_rooms,
        )
        from vanphong.tasks.models import SourceKind
        from vanphong.tasks.services import register_source_guard

        register_source_guard(SourceKind.LOGISTICS, services_assets.repair_task_guard)
