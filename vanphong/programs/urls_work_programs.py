"""Pages of the work programmes, under /chuong-trinh/ (names in the ``programs`` namespace)."""

from django.urls import path

from vanphong.programs.views import work_programs as views

urlpatterns: list = [
    path("", views.program_list, name="program_list"),
    path("tao-moi/", views.program_create, name="program_create"),
    path("<int:program_id>/", views.program_detail, name="program_detail"),
    path("<int:program_id>/bao-cao/", views.program_report, name="program_report"),
    path("<int:program_id>/noi-dung/", views.item_add, name="program_item_add"),
    path("<int:program_id>/chuyen-xuong/", views.carry_down, name="program_carry_down"),
    path("<int:program_id>/duyet/", views.approve, name="program_approve"),
    path("<int:program_id>/van-ban/", views.issue_draft, name="program_issue_draft"),
    path("noi-dung/<int:item_id>/chuyen-ky/", views.item_move, name="program_item_move"),
    path("noi-dung/<int:item_id>/ket-qua/", views.item_state, name="program_item_state"),
]
