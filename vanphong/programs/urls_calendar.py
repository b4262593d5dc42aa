"""Pages of the calendar (filled in by its module)."""

urlpatterns: list = []
