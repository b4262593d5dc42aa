"""The officers' pages of the petitions book and the reception register (namespace
"petitions", under /don-thu/)."""

from django.urls import path

from vanphong.petitions import views

urlpatterns: list = [
    path("", views.petition_list, name="petition_list"),
    path("vao-so/", views.petition_register, name="petition_register"),
    path("<int:petition_id>/", views.petition_detail, name="petition_detail"),
    path("<int:petition_id>/xu-ly/", views.petition_decide, name="petition_decide"),
    path("<int:petition_id>/giao/", views.petition_assign, name="petition_assign"),
    path("<int:petition_id>/gia-han/", views.petition_extend, name="petition_extend"),
    path("<int:petition_id>/ket-qua/", views.petition_result, name="petition_result"),
    path("<int:petition_id>/bo-sung-tep/", views.petition_attach, name="petition_attach"),
    path("<int:petition_id>/tep/<int:file_id>/", views.petition_file, name="petition_file"),
    path("tiep-cong-dan/", views.reception_list, name="reception_list"),
    path("tiep-cong-dan/ghi-so/", views.reception_record, name="reception_record"),
    path("tiep-cong-dan/<int:reception_id>/gan-don/", views.reception_link, name="reception_link"),
]
