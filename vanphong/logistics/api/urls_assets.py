"""The assets and spending API routes, under /api/v1/: assets (with their transfers) and expenses."""

from rest_framework.routers import SimpleRouter

from vanphong.logistics.api.views_assets import AssetViewSet, ExpenseViewSet

router = SimpleRouter()
router.register("assets", AssetViewSet, basename="asset")
router.register("expenses", ExpenseViewSet, basename="expense")

urlpatterns: list = [*router.urls]
