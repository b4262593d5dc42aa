"""The task pages: lists, the task page and its actions, giving a task, and the pickers."""

from django.urls import path

from vanphong.tasks.views import calendar as views_calendar
from vanphong.tasks.views import create as views_create
from vanphong.tasks.views import list as views_list
from vanphong.tasks.views import task as views_task

urlpatterns = [
    path("", views_list.task_list, name="list"),
    path("qua-han/", views_list.task_overdue, name="overdue"),
    path("giao/", views_create.task_create, name="create"),
    path("giao/noi-thuc-hien/", views_create.create_targets, name="create_targets"),
    path("tim-van-ban/", views_create.document_search, name="document_search"),
    path("lich-nghi/", views_calendar.calendar_year, name="calendar"),
    path("lich-nghi/them/", views_calendar.calendar_day_edit, name="calendar_add"),
    path("lich-nghi/<int:pk>/sua/", views_calendar.calendar_day_edit, name="calendar_edit"),
    path("lich-nghi/<int:pk>/xoa/", views_calendar.calendar_day_remove, name="calendar_delete"),
    path("tep/<int:file_id>/", views_task.evidence_download, name="evidence_download"),
    path("<int:task_id>/", views_task.task_detail, name="detail"),
    path("<int:task_id>/sua/", views_task.task_edit, name="edit"),
    path("<int:task_id>/tiep-nhan/", views_task.task_accept, name="accept"),
    path("<int:task_id>/bao-cao-tien-do/", views_task.task_progress, name="progress"),
    path("<int:task_id>/hoan-thanh/", views_task.task_complete, name="complete"),
    path("<int:task_id>/xin-gia-han/", views_task.task_extension_request, name="extension_request"),
    path(
        "<int:task_id>/gia-han/<int:extension_id>/",
        views_task.task_extension_decide,
        name="extension_decide",
    ),
    path("<int:task_id>/xac-nhan/", views_task.task_confirm, name="confirm"),
    path("<int:task_id>/tra-lai/", views_task.task_return, name="return"),
    path("<int:task_id>/huy/", views_task.task_cancel, name="cancel"),
    path("<int:task_id>/dung-dinh-ky/", views_task.task_end_series, name="end_series"),
]
