"""The reporting API routes, under /api/v1/ (included by vanphong/api/urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from vanphong.reporting.api.products import InfoProductViewSet, ProductTemplateViewSet
from vanphong.reporting.api.views import ReportRequestViewSet, ReportSubmissionViewSet

router = SimpleRouter()
router.register("report-requests", ReportRequestViewSet, basename="report-request")
router.register("report-submissions", ReportSubmissionViewSet, basename="report-submission")
router.register("info-products", InfoProductViewSet, basename="info-product")
router.register("product-templates", ProductTemplateViewSet, basename="product-template")

urlpatterns: list = [
    # The workbook under the name the contract gives it (the same view as .../export/).
    path(
        "report-requests/<int:pk>/aggregate.xlsx",
        ReportRequestViewSet.as_view({"get": "export"}),
        name="report-request-aggregate-xlsx",
    ),
    *router.urls,
]
