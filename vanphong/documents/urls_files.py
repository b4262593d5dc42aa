"""Pages of the files flow (mounted by vanphong/documents/urls.py)."""

urlpatterns: list = []
