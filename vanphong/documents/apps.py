from importlib import import_module

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "vanphong.documents"
    verbose_name = "Văn bản"

    # Modules that register document-page panels and home-page pending work on import.
    PANEL_MODULES = (
        "views.incoming",
        "views.outgoing",
        "views.files",
        "views.registers",
        "views.links",
        "views.tasks_panel",
    )

    def ready(self) -> None:
        from vanphong.documents import audit_actions  # noqa: F401  (declares this app's audit actions)
        from vanphong.documents.access import documents_visible_to
        from vanphong.tasks.sources import register_document_access

        # The task engine links tasks to documents through this rule, never around it.
        register_document_access(documents_visible_to)
        for module in self.PANEL_MODULES:
            import_module(f"{self.name}.{module}")
