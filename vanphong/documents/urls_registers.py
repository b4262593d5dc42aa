"""Pages of the registers flow (mounted by vanphong/documents/urls.py)."""

urlpatterns: list = []
