from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "vanphong.notifications"
    verbose_name = "Thông báo"
