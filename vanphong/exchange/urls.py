"""The exchange's pages under /lien-thong/: the status of what was sent and received, the
packages, the peers; signing credentials under ky-so/; the lower levels' figures under so-lieu/."""

from django.urls import include, path

from vanphong.exchange import urls_exchange, urls_figures, urls_signing

app_name = "exchange"

urlpatterns = [
    *urls_exchange.urlpatterns,
    path("ky-so/", include(urls_signing.urlpatterns)),
    path("so-lieu/", include(urls_figures.urlpatterns)),
]
