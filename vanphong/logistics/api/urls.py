"""The shared services' API routes, under /api/v1/ (included by vanphong/api/urls.py)."""

from vanphong.logistics.api import urls_assets, urls_fleet, urls_rooms

urlpatterns: list = [*urls_fleet.urlpatterns, *urls_rooms.urlpatterns, *urls_assets.urlpatterns]
