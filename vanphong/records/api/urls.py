"""The records API routes, under /api/v1/ (included by vanphong/api/urls.py)."""

from rest_framework.routers import SimpleRouter

from vanphong.records.api.views import (
    ArchiveRequestViewSet,
    DisposalViewSet,
    FilePlanViewSet,
    RecordViewSet,
    TransferViewSet,
)

router = SimpleRouter()
router.register("file-plans", FilePlanViewSet, basename="file-plan")
router.register("records", RecordViewSet, basename="record")
router.register("transfers", TransferViewSet, basename="record-transfer")
router.register("archive-requests", ArchiveRequestViewSet, basename="archive-request")
router.register("disposals", DisposalViewSet, basename="disposal")

urlpatterns = router.urls
