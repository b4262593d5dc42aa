"""The programs API routes, under /api/v1/ (included by vanphong/api/urls.py): rooms and
meetings here, work programmes and the weekly calendar in their own modules."""

from rest_framework.routers import SimpleRouter

from vanphong.programs.api import calendar, work_programs
from vanphong.programs.api.views import MeetingViewSet, RoomViewSet

router = SimpleRouter()
router.register("rooms", RoomViewSet, basename="room")
router.register("meetings", MeetingViewSet, basename="meeting")

urlpatterns: list = [*router.urls, *work_programs.urlpatterns, *calendar.urlpatterns]
