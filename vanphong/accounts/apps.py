from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "vanphong.accounts"
    verbose_name = "Tài khoản"
