"""The reception schedule kept by the office, under /don-thu/lich-tiep/ (namespace "petitions")."""

from django.urls import path

from vanphong.petitions import views_sessions

urlpatterns: list = [
    path("", views_sessions.session_list, name="session_list"),
    path("them/", views_sessions.session_create, name="session_create"),
    path("lap-lich-nam/", views_sessions.session_plan, name="session_plan"),
    path("<int:session_id>/huy/", views_sessions.session_cancel, name="session_cancel"),
]
