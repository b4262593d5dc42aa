"""The letter templates' pages, under /don-thu/mau-van-ban/ (namespace "petitions")."""

from django.urls import path

from vanphong.petitions import views_letters

urlpatterns: list = [
    path("", views_letters.letter_template_list, name="letter_template_list"),
    path("<str:action>/", views_letters.letter_template_edit, name="letter_template_edit"),
    path("<str:action>/xem-thu.docx", views_letters.letter_template_preview, name="letter_template_preview"),
]
