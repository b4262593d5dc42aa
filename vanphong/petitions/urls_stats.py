"""The petitions statistics and the book export, under /don-thu/thong-ke/ (namespace
"petitions")."""

from django.urls import path

from vanphong.petitions import views_stats

urlpatterns: list = [
    path("", views_stats.stats_page, name="stats"),
    path("xlsx", views_stats.stats_xlsx, name="stats_xlsx"),
    path("so-theo-doi.xlsx", views_stats.book_xlsx, name="book_xlsx"),
]
