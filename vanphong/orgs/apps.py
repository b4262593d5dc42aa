from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "vanphong.orgs"
    verbose_name = "Tổ chức, cán bộ"

    def ready(self) -> None:
        from vanphong.orgs import audit_actions  # noqa: F401  (declares this app's audit actions)
