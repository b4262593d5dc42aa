"""The car pool's API routes, under /api/v1/ (joined by vanphong/logistics/api/urls.py):
vehicles (with ``vehicles/utilisation/``, routed before ``vehicles/{id}/``), drivers, trips."""

from rest_framework.routers import SimpleRouter

from vanphong.logistics.api.views_fleet import DriverViewSet, TripViewSet, VehicleViewSet

router = SimpleRouter()
router.register("vehicles", VehicleViewSet, basename="vehicle")
router.register("drivers", DriverViewSet, basename="driver")
router.register("trips", TripViewSet, basename="trip")

urlpatterns: list = router.urls
