"""The shared services' pages, under /hau-can/."""

from django.urls import include, path

from vanphong.logistics import urls_assets, urls_fleet, urls_rooms, urls_spending

app_name = "logistics"
urlpatterns: list = [
    path("xe/", include(urls_fleet)),
    path("phong-hop/", include(urls_rooms)),
    path("tai-san/", include(urls_assets)),
    path("chi-tieu/", include(urls_spending)),
]
