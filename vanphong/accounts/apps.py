from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "vanphong.accounts"
    verbose_name = "Tài khoản"

    def ready(self) -> None:
        from vanphong.accounts import audit_actions  # noqa: F401  (declares this app's audit actions)
