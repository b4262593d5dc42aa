"""The car pool's pages, under /hau-can/xe/."""

from django.urls import path

from vanphong.logistics import views_fleet as views

urlpatterns = [
    path("", views.trip_list, name="trip_list"),
    path("de-nghi/", views.trip_create, name="trip_create"),
    path("<int:trip_id>/", views.trip_detail, name="trip_detail"),
    path("<int:trip_id>/duyet/", views.trip_decide, name="trip_decide"),
    path("<int:trip_id>/bo-tri/", views.trip_assign, name="trip_assign"),
    path("<int:trip_id>/nhat-trinh/", views.trip_complete, name="trip_complete"),
    path("<int:trip_id>/huy/", views.trip_cancel, name="trip_cancel"),
    path("dieu-xe/", views.board, name="board"),
    path("danh-sach/", views.vehicle_list, name="vehicle_list"),
    path("danh-sach/them-xe/", views.vehicle_edit, name="vehicle_create"),
    path("danh-sach/xe-<int:vehicle_id>/", views.vehicle_edit, name="vehicle_edit"),
    path("lai-xe/", views.driver_list, name="driver_list"),
    path("lai-xe/them/", views.driver_edit, name="driver_create"),
    path("lai-xe/<int:driver_id>/", views.driver_edit, name="driver_edit"),
    path("hieu-suat/", views.utilisation, name="utilisation"),
]
