from django.apps import AppConfig


class WebConfig(AppConfig):
    """The web shell: navigation, each user's home page with their pending work, the health
    check and ``serve``. It stands above every domain app and may import any of them."""

    name = "vanphong.web"
    verbose_name = "Giao diện chung"
