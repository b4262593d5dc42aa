"""The periodic report to the Standing Committee (mounted by vanphong/tasks/urls.py)."""

from django.urls import path

from vanphong.tasks.views import reports as views

urlpatterns = [
    path("bao-cao/", views.report, name="report"),
    path("bao-cao/tai-ve/", views.report_download, name="report_download"),
]
