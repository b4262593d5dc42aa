from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "vanphong.core"
    verbose_name = "Lõi"

    def ready(self) -> None:
        from vanphong.core.forms import install_input_checks

        # Pages and API alike: no text with bidirectional overrides, no date before 1900.
        # Here, before the ready() of the apps listed after this one: theirs import their
        # views, and so build their forms' fields (documents' page panels), which take the
        # checks only once installed.
        install_input_checks()
