"""The asset pages, under /hau-can/tai-san/ (names in the ``logistics`` namespace)."""

from django.urls import path

from vanphong.logistics import views_assets as views

urlpatterns: list = [
    path("", views.asset_list, name="asset_list"),
    path("ghi-so/", views.asset_create, name="asset_create"),
    path("kiem-ke/", views.stocktake_list, name="stocktake_list"),
    path("kiem-ke/<int:pk>/", views.stocktake_detail, name="stocktake_detail"),
    path("kiem-ke/<int:pk>/dong/<int:line_pk>/", views.stocktake_record, name="stocktake_record"),
    path("kiem-ke/<int:pk>/khoa-so/", views.stocktake_close, name="stocktake_close"),
    path("<int:pk>/", views.asset_detail, name="asset_detail"),
    path("<int:pk>/sua/", views.asset_edit, name="asset_edit"),
    path("<int:pk>/dieu-chuyen/", views.asset_transfer, name="asset_transfer"),
    path(
        "<int:pk>/dieu-chuyen/<int:transfer_pk>/in.<str:fmt>",
        views.transfer_print,
        name="transfer_print",
    ),
    path("<int:pk>/sua-chua/", views.repair_request, name="repair_request"),
    path("<int:pk>/sua-chua/<int:repair_pk>/bat-dau/", views.repair_start, name="repair_start"),
    path("<int:pk>/sua-chua/<int:repair_pk>/xong/", views.repair_done, name="repair_done"),
    path("<int:pk>/sua-chua/<int:repair_pk>/khong-sua/", views.repair_refuse, name="repair_refuse"),
]
