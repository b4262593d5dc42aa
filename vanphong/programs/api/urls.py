"""The meetings API routes, under /api/v1/ (included by vanphong/api/urls.py)."""

from rest_framework.routers import SimpleRouter

from vanphong.programs.api.views import MeetingViewSet, RoomViewSet

router = SimpleRouter()
router.register("rooms", RoomViewSet, basename="room")
router.register("meetings", MeetingViewSet, basename="meeting")

urlpatterns: list = [*router.urls]
