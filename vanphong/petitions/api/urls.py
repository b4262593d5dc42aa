"""The petitions API routes, under /api/v1/ (included by vanphong/api/urls.py)."""

from rest_framework.routers import SimpleRouter

from vanphong.petitions.api.views import PetitionViewSet, ReceptionViewSet

router = SimpleRouter()
router.register("petitions", PetitionViewSet, basename="petition")
router.register("receptions", ReceptionViewSet, basename="reception")

urlpatterns = router.urls
