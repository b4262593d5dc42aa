"""Pages of the outgoing flow (mounted by vanphong/documents/urls.py)."""

from django.urls import path

from vanphong.documents.views import outgoing as views

urlpatterns = [
    path("di/", views.outgoing_list, name="outgoing_list"),
    path("di/soan-thao/", views.outgoing_create, name="outgoing_create"),
    path("di/<int:pk>/gop-y/", views.outgoing_comment, name="outgoing_comment"),
    path("di/<int:pk>/phien-ban/", views.outgoing_version, name="outgoing_version"),
    path("di/<int:pk>/trinh/", views.outgoing_submit, name="outgoing_submit"),
    path("di/<int:pk>/duyet/<int:step_id>/", views.outgoing_decide, name="outgoing_decide"),
    path("di/<int:pk>/phat-hanh/", views.outgoing_issue, name="outgoing_issue"),
    path("di/<int:pk>/van-ban.docx", views.outgoing_docx, name="outgoing_docx"),
    path("<int:pk>/sao/", views.document_copy, name="document_copy"),
]
