"""API of the files flow: add routes to `router` and paths to `urlpatterns`."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter()
urlpatterns: list = []
