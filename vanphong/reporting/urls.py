"""The reporting pages, under /bao-cao/."""

from django.urls import path

from vanphong.reporting import views

app_name = "reporting"
urlpatterns: list = [
    path("", views.request_list, name="request_list"),
    path("tao-moi/", views.request_create, name="request_create"),
    path("<int:request_id>/", views.request_detail, name="request_detail"),
    path("<int:request_id>/truc-tuyen/", views.live_board, name="live_board"),
    path("<int:request_id>/ket-thuc/", views.request_close, name="request_close"),
    path("<int:request_id>/tong-hop/", views.aggregate_page, name="aggregate"),
    path("<int:request_id>/tong-hop.xlsx", views.aggregate_xlsx, name="aggregate_xlsx"),
    path("<int:request_id>/tong-hop/du-thao/", views.summary, name="summary"),
    path("nop/<int:submission_id>/", views.submission_page, name="submission"),
    path("nop/<int:submission_id>/tra-lai/", views.submission_return, name="submission_return"),
    path("nop/<int:submission_id>/tep/<int:file_id>/", views.submission_file, name="submission_file"),
]
