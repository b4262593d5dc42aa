from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "vanphong.orgs"
    verbose_name = "Tổ chức, cán bộ"
