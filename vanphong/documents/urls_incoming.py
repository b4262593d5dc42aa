"""Pages of the incoming flow (mounted by vanphong/documents/urls.py)."""

urlpatterns: list = []
