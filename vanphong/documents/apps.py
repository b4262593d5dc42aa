from importlib import import_module

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "vanphong.documents"
    verbose_name = "Văn bản"

    # Modules that register document-page panels and home-page pending work on import.
    PANEL_MODULES = ("views_incoming", "views_outgoing", "views_files", "views_registers", "views_links")

    def ready(self) -> None:
        for module in self.PANEL_MODULES:
            try:
                import_module(f"{self.name}.{module}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{self.name}.{module}":
                    raise
