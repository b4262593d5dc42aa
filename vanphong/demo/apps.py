from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data (``seed-demo``, ``seed-tasks``) and the benchmarks (``bench``,
    ``bench-tasks``). It stands on top: it may import every app, and no app imports it."""

    name = "vanphong.demo"
    verbose_name = "Dữ liệu mẫu và đo hiệu năng"

    def ready(self) -> None:
        from vanphong.demo import audit_actions  # noqa: F401  (declares this app's audit actions)
