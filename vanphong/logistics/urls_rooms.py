"""The meeting rooms' pages, under /hau-can/phong-hop/."""

from django.urls import path

from vanphong.logistics import views_rooms

urlpatterns: list = [
    path("", views_rooms.room_list, name="room_list"),
    path("dat/", views_rooms.room_book, name="room_book"),
    path("dat/<int:pk>/", views_rooms.room_booking_detail, name="room_booking_detail"),
    path("dat/<int:pk>/huy/", views_rooms.room_booking_cancel, name="room_booking_cancel"),
]
