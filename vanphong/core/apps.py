from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "vanphong.core"
    verbose_name = "Lõi"
