"""The exchange's own pages under /lien-thong/ (names in the ``exchange`` namespace): the
status, the packages, the import from a file, the document panel's actions, the peers."""

from django.urls import URLPattern, path

from vanphong.exchange import views_exchange as views

urlpatterns: list[URLPattern] = [
    path("", views.status, name="status"),
    path("gui-lai/<int:delivery_id>/", views.delivery_retry, name="delivery_retry"),
    path("goi-tin/", views.package_list, name="package_list"),
    path("goi-tin/<int:package_id>/", views.package_detail, name="package_detail"),
    path("goi-tin/<int:package_id>/tai-ve/", views.package_download, name="package_download"),
    path("nhap/", views.package_import, name="import"),
    path("van-ban/<int:document_id>/gui/", views.document_send, name="document_send"),
    path("van-ban/<int:document_id>/goi-tin/", views.document_export, name="document_export"),
    path("he-thong/", views.peer_list, name="peer_list"),
    path("he-thong/them/", views.peer_edit, name="peer_create"),
    path("he-thong/<int:peer_id>/", views.peer_edit, name="peer_edit"),
]
