"""The petitions pages of the officers, under /don-thu/; the citizens' public pages are in
``urls_public`` (under /cong-dan/)."""

from django.urls import include, path

from vanphong.petitions import urls_letters, urls_pages, urls_sessions, urls_stats, urls_submissions

app_name = "petitions"
urlpatterns: list = [
    path("", include(urls_pages)),
    path("thong-ke/", include(urls_stats)),
    path("mau-van-ban/", include(urls_letters)),
    path("truc-tuyen/", include(urls_submissions)),
    path("lich-tiep/", include(urls_sessions)),
]
