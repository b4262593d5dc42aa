from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "vanphong.api"
    verbose_name = "API"

    def ready(self) -> None:
        from vanphong.core.forms import install_input_checks

        # Pages and API alike: no text with bidirectional overrides, no date before 1900.
        install_input_checks()
