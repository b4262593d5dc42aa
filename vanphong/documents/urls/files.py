"""Pages of the files flow (mounted by vanphong/documents/urls.py)."""

from django.urls import path

from vanphong.documents.views import files as views_files

urlpatterns = [
    path("tep/<int:file_id>/", views_files.file_download, name="file_download"),
    path("<int:document_id>/them-tep/", views_files.file_attach, name="file_attach"),
    path("den/cho-vao-so/", views_files.arrival_list, name="arrival_list"),
    path("den/cho-vao-so/tai-len/", views_files.arrival_upload, name="arrival_upload"),
    path("den/cho-vao-so/<int:arrival_id>/loai-bo/", views_files.arrival_discard, name="arrival_discard"),
    path("den/cho-vao-so/<int:arrival_id>/tep/", views_files.arrival_file, name="arrival_file"),
]
