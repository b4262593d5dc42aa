"""Pages of the incoming flow and the document page (mounted by vanphong/documents/urls.py)."""

from django.urls import path

from vanphong.documents.views import document as views_document
from vanphong.documents.views import incoming as views_incoming

urlpatterns = [
    path("den/", views_incoming.incoming_list, name="incoming_list"),
    path("den/vao-so/", views_incoming.incoming_register, name="incoming_register"),
    path(
        "den/vao-so/tu-tep/<int:arrival_id>/",
        views_incoming.incoming_from_arrival,
        name="incoming_from_arrival",
    ),
    path("den/doc-ky-hieu/", views_incoming.incoming_parse_symbol, name="incoming_parse_symbol"),
    path("so/<int:entry_id>/", views_document.entry_detail, name="entry_detail"),
    path("so/<int:entry_id>/trinh/", views_incoming.incoming_present_view, name="incoming_present"),
    path("so/<int:entry_id>/chi-dao/", views_incoming.incoming_direct_view, name="incoming_direct"),
    path("so/<int:entry_id>/xu-ly-xong/", views_incoming.incoming_processed_view, name="incoming_processed"),
    path("<int:document_id>/", views_document.document_detail, name="document_detail"),
]
