"""Pages of the outgoing flow (mounted by vanphong/documents/urls.py)."""

urlpatterns: list = []
