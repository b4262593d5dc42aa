from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "vanphong.programs"
    label = "programs"
    verbose_name = "Chương trình công tác, cuộc họp"

    def ready(self) -> None:
        # This app's audit actions; the link back from a task to the meeting it came from;
        # its groups of the home page's pending work.
        from vanphong.programs import audit_actions  # noqa: F401
        from vanphong.programs.views import calendar, links, pending  # noqa: F401
