"""The room bookings' API routes (``/api/v1/room-bookings/``), joined by api/urls.py."""

from rest_framework.routers import SimpleRouter

from vanphong.logistics.api.views_rooms import RoomBookingViewSet

router = SimpleRouter()
router.register("room-bookings", RoomBookingViewSet, basename="room-booking")

urlpatterns: list = [*router.urls]
