"""The records' pages, under /ho-so/ (namespace "records")."""

from django.urls import path

from vanphong.records import views_records

urlpatterns: list = [
    path("", views_records.record_list, name="record_list"),
    path("mo/", views_records.record_open, name="record_open"),
    path("dua-vao/", views_records.record_file_chosen, name="record_file_chosen"),
    path("<int:record_id>/", views_records.record_detail, name="record_detail"),
    path("<int:record_id>/dua-vao/", views_records.record_file, name="record_file"),
    path("<int:record_id>/muc/<int:item_id>/bo/", views_records.record_unfile, name="record_unfile"),
    path("<int:record_id>/ket-thuc/", views_records.record_close, name="record_close"),
    path("<int:record_id>/mo-lai/", views_records.record_reopen, name="record_reopen"),
    path("<int:record_id>/phong-toa/", views_records.record_hold, name="record_hold"),
    path("<int:record_id>/go-phong-toa/", views_records.record_release, name="record_release"),
    path("<int:record_id>/muc-luc/", views_records.record_index, name="record_index"),
    path("<int:record_id>/bia/", views_records.record_cover, name="record_cover"),
]
