"""The agency archive's pages, under /ho-so/luu-tru/ (namespace "records")."""

from django.urls import path

from vanphong.records import views_archive

urlpatterns: list = [
    path("", views_archive.archive_search, name="archive_search"),
    path("nop-luu/", views_archive.transfer_list, name="transfer_list"),
    path("nop-luu/lap/", views_archive.transfer_create, name="transfer_create"),
    path("nop-luu/<int:pk>/", views_archive.transfer_detail, name="transfer_detail"),
    path("nop-luu/<int:pk>/giao-nhan/", views_archive.transfer_hand_over, name="transfer_hand_over"),
    path("nop-luu/<int:pk>/in/", views_archive.transfer_print, name="transfer_print"),
    path("khai-thac/", views_archive.request_list, name="request_list"),
    path("khai-thac/lap/", views_archive.request_create, name="request_create"),
    path("khai-thac/<int:pk>/duyet/", views_archive.request_decide, name="request_decide"),
    path("khai-thac/<int:pk>/tra/", views_archive.request_return, name="request_return"),
    path("tieu-huy/", views_archive.disposal_review, name="disposal_review"),
    path("tieu-huy/thuc-hien/", views_archive.disposal_execute, name="disposal_execute"),
    path("tieu-huy/<int:pk>/", views_archive.disposal_detail, name="disposal_detail"),
    path("goi/ho-so/<int:pk>.zip", views_archive.record_package, name="record_package"),
    path("goi/nam/", views_archive.year_package, name="year_package"),
    path("goi/nhap/", views_archive.package_import, name="package_import"),
]
