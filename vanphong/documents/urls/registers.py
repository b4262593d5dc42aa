"""Pages of the registers flow (mounted by vanphong/documents/urls.py)."""

from django.urls import path

from vanphong.documents.views import registers as views

urlpatterns = [
    path("so-van-ban/", views.register_list, name="register_list"),
    path("so-van-ban/them/", views.register_create, name="register_create"),
    path("so-van-ban/mo-so-mac-dinh/", views.registers_defaults, name="registers_defaults"),
    path("so-van-ban/nhiem-ky/", views.term_create, name="term_create"),
    path("so-van-ban/<int:pk>/sua/", views.register_edit, name="register_edit"),
    path("so-van-ban/<int:pk>/dong/", views.register_close, name="register_close"),
    path("so-van-ban/<int:pk>/in/", views.register_print, name="register_print"),
    path("<int:pk>/nguoi-doc/", views.document_readers, name="document_readers"),
    path("<int:pk>/nguoi-doc/<int:person_pk>/thu-hoi/", views.reader_revoke, name="reader_revoke"),
]
