"""The task dashboards (/nhiem-vu/tong-quan/): ``views_dashboard``."""

from django.urls import path

from vanphong.tasks.views import dashboard as views

urlpatterns = [
    path("tong-quan/", views.dashboard, name="dashboard"),
    path("tong-quan/toan-tinh/", views.province, name="dashboard_province"),
    path("tong-quan/to-chuc/<int:pk>/", views.organization, name="dashboard_org"),
    path("tong-quan/phong/<int:pk>/", views.unit, name="dashboard_unit"),
    path("tong-quan/lanh-dao/", views.leader, name="dashboard_leader"),
    path("tong-quan/lanh-dao/<int:pk>/", views.leader, name="dashboard_leader"),
]
