"""The queue of letters sent online, under /don-thu/truc-tuyen/ (namespace "petitions")."""

from django.urls import path

from vanphong.petitions import views_submissions

urlpatterns: list = [
    path("", views_submissions.submission_list, name="submission_list"),
    path("<int:submission_id>/", views_submissions.submission_detail, name="submission_detail"),
    path("<int:submission_id>/vao-so/", views_submissions.submission_register, name="submission_register"),
    path("<int:submission_id>/khong-vao-so/", views_submissions.submission_reject, name="submission_reject"),
    path(
        "<int:submission_id>/tep/<int:file_id>/",
        views_submissions.submission_file,
        name="submission_file",
    ),
]
