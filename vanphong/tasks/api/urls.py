"""The task API routes, under /api/v1/ (included by vanphong/api/urls.py)."""

from rest_framework.routers import SimpleRouter

from vanphong.tasks.api.views import TaskViewSet

router = SimpleRouter()
router.register("tasks", TaskViewSet, basename="task")

urlpatterns: list = [*router.urls]
