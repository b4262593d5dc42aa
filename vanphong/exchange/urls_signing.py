"""The signing pages, mounted under /lien-thong/ky-so/ in the ``exchange`` namespace."""

from django.urls import URLPattern, path

from vanphong.exchange import views_signing

urlpatterns: list[URLPattern] = [
    path("", views_signing.credential_list, name="credential_list"),
    path("nap/", views_signing.credential_add, name="credential_add"),
    path("<int:pk>/ngung/", views_signing.credential_deactivate, name="credential_deactivate"),
    path("ky/", views_signing.file_sign, name="file_sign"),
]
