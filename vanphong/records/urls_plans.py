"""The file plans' pages, under /ho-so/danh-muc/ (namespace "records")."""

from django.urls import path

from vanphong.records import views_plans

urlpatterns: list = [
    path("", views_plans.plan_list, name="plan_list"),
    path("lap/", views_plans.plan_create, name="plan_create"),
    path("<int:plan_id>/", views_plans.plan_detail, name="plan_detail"),
    path("<int:plan_id>/sua/", views_plans.plan_edit, name="plan_edit"),
    path("<int:plan_id>/ban-hanh/", views_plans.plan_approve, name="plan_approve"),
    path("<int:plan_id>/lap-nam-sau/", views_plans.plan_carry_over, name="plan_carry_over"),
    path("<int:plan_id>/in/", views_plans.plan_print, name="plan_print"),
]
