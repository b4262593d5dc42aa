"""The records and archive pages, under /ho-so/."""

from django.urls import include, path

from vanphong.records import urls_archive, urls_plans, urls_records

app_name = "records"
urlpatterns: list = [
    path("", include(urls_records)),
    path("danh-muc/", include(urls_plans)),
    path("luu-tru/", include(urls_archive)),
]
