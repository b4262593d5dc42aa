"""The lower levels' figures, under /lien-thong/so-lieu/ (names in the ``exchange`` namespace)."""

from django.urls import URLPattern, path

from vanphong.exchange import views_figures as views

urlpatterns: list[URLPattern] = [
    path("", views.figures_overview, name="figures"),
    path("<int:pk>/", views.figures_detail, name="figures_detail"),
]
