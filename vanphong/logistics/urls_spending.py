"""The spending pages, under /hau-can/chi-tieu/ (names in the ``logistics`` namespace)."""

from django.urls import path

from vanphong.logistics import views_spending as views

urlpatterns: list = [
    path("", views.expense_list, name="expense_list"),
    path("de-nghi/", views.expense_create, name="expense_create"),
    path("<int:pk>/", views.expense_detail, name="expense_detail"),
    path("<int:pk>/duyet/", views.expense_decide, name="expense_decide"),
    path("<int:pk>/thanh-toan/", views.expense_paid, name="expense_paid"),
    path("<int:pk>/in.<str:fmt>", views.expense_print, name="expense_print"),
    path("quy-che/", views.kind_list, name="kind_list"),
    path("quy-che/<int:pk>/", views.kind_edit, name="kind_edit"),
    path("du-toan/", views.budget_list, name="budget_list"),
    path("du-toan/<int:pk>/", views.budget_edit, name="budget_edit"),
]
