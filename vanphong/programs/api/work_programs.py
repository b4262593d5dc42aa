"""API routes of the work programs (filled in by its module)."""

urlpatterns: list = []
